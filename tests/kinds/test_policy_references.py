"""policy-references: resolving against policy files that are not part of the run."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from pcso_policy.check import CheckContext
from pcso_policy.kinds.policy_references import build
from pcso_policy.parsing import parse_text

POLICY = """---
id: A1
title: Test
references: [B2, C3]
---

1.1. See Policy B2 and Policy C3.
"""


def test_a_reference_resolves_to_a_policy_file_outside_the_run(tmp_path: Path) -> None:
    (tmp_path / "policies" / "other").mkdir(parents=True)
    (tmp_path / "policies" / "other" / "b2.md").write_text("---\nid: B2\n---\n\nText.\n", encoding="utf-8")
    check = build({"citation_patterns": [r"Policy (?P<id>[A-Z]\d)"], "repository_paths": ["policies"]})
    document = parse_text("a.md", POLICY).document
    assert document is not None
    summary = check.summarize(document)
    assert json.loads(json.dumps(summary)) == summary, "summaries are cached as JSON"
    context = CheckContext(datetime.date(2026, 11, 23), tmp_path)
    findings = [(path, f.rule, f.line, f.message.split(" ")[0]) for path, f in check.finish({"a.md": summary}, context)]
    assert findings == [("a.md", "references/unresolved", 4, "C3")]
