"""Hypothesis profiles: 'ci' (the default) is derandomised and bounded so .ci/run stays fast and
repeatable; run 'HYPOTHESIS_PROFILE=long python3 -m pytest tests/test_properties.py' by hand to search harder.
Every test gets a user cache folder of the test session's own, and none writes to a CI job's summary."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _user_cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lint keeps its cache and the cache's key in the user cache folder: in tests, one of the session's
    own, never the developer's ~/.cache (subprocesses inherit it)."""
    monkeypatch.setenv("PCSO_POLICY_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "user-cache"))


@pytest.fixture(autouse=True)
def _no_job_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--format github`` appends to ``$GITHUB_STEP_SUMMARY`` when it is set: under GitHub Actions the
    hostile-input tests would otherwise write into the real job's summary. Tests that want one set it."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
