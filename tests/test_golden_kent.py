"""The bundled Kent policy is the acceptance test: its real defects, and nothing else.

The expected output is tests/golden/kent.json, reviewed by a person. After a
deliberate change, regenerate it with ``PCSO_UPDATE_GOLDEN=1 python3 -m pytest
tests/test_golden_kent.py`` and review the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pcso_policy.cli import run

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "kent.json"


def test_kent_json_output_matches_golden(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code = run(["lint", "--format", "json", "--as-of", "2026-11-23", "policies/kent"])
    output = capsys.readouterr().out
    if os.environ.get("PCSO_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(output, encoding="utf-8")
    assert json.loads(output) == json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert code == (1 if json.loads(output)["summary"]["errors"] else 0)


def test_corrected_kent_policy_lints_clean(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixing the real defects leaves nothing to report (judged before its review falls due)."""
    monkeypatch.chdir(ROOT)
    code = run(["lint", "--no-cache", "--format", "json", "--as-of", "2025-06-01", "tests/fixtures/kent-corrected"])
    assert json.loads(capsys.readouterr().out)["diagnostics"] == []
    assert code == 0
