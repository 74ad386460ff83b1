from __future__ import annotations

import datetime
from pathlib import Path

from pcso_policy.catalogue import load as load_catalogue
from pcso_policy.config import Config
from pcso_policy.engine import Engine, RuleSelection
from tests.fakes import engine_with_flag
from tests.support import FRONT_MATTER

POLICY = Path(__file__).parent / "fixtures" / "suppressions" / "policy.md"


def findings(**selection: object) -> list[tuple[str, int, int]]:
    engine = engine_with_flag(**selection)
    return [(d.rule, d.line, d.column) for d in engine.lint_bytes("policy.md", POLICY.read_bytes())]


def test_each_suppression_is_honoured_or_reported() -> None:
    assert findings() == [
        ("terminology/flag", 16, 6),
        ("parse/suppression-no-reason", 18, 1),
        ("parse/suppression-expired", 21, 1),
        ("terminology/flag", 22, 6),
        ("parse/suppression-unused", 27, 1),
        ("parse/suppression-invalid", 30, 1),
        ("parse/suppression-unused", 33, 1),
    ]


def test_unused_is_not_reported_for_a_rule_that_did_not_run() -> None:
    result = findings(ignore=["terminology"])
    assert ("parse/suppression-unused", 27, 1) not in result
    assert ("parse/suppression-no-reason", 18, 1) in result


def test_suppression_findings_can_themselves_be_ignored() -> None:
    result = findings(ignore=["parse/suppression-unused"])
    assert [r for r in result if r[0] == "parse/suppression-unused"] == []


# With the repository's own checks: a real rule (terminology/substitution, 'PSCO' for 'PCSO') run
# together with the suppression rules. The rule fixtures select one rule at a time, so whether a
# suppression silences a real finding (or, expired or invalid, lets it through) is shown here.

REPO = Path(__file__).resolve().parents[1]
AS_OF = datetime.date(2026, 11, 23)
HEADER = FRONT_MATTER + "\n# Test policy\n\n"


def real_findings(body: str, select: tuple[str, ...] = ("terminology/substitution", "parse")) -> list[tuple[str, int, int]]:
    catalogue = load_catalogue(Config(root=REPO))
    registry, checks = catalogue.registry, catalogue.checks
    engine = Engine(registry, checks, RuleSelection.build(registry, select=select), AS_OF, root=REPO)
    return [(d.rule, d.line, d.column) for d in engine.lint_bytes("t1.md", (HEADER + body).encode())]


def test_the_real_finding_stands_without_a_suppression() -> None:
    assert real_findings("1.1. PSCO text.\n") == [("terminology/substitution", 13, 6)]


def test_a_justified_suppression_silences_a_real_finding_and_is_not_reported() -> None:
    body = '<!-- pcso-policy: disable=terminology/substitution reason="quoted from the College page" until=2027-01-31 -->\n'
    assert real_findings(body + "1.1. PSCO text.\n") == []


def test_a_suppression_silences_only_the_block_after_it() -> None:
    body = '<!-- pcso-policy: disable=terminology/substitution reason="quoted" -->\n1.1. PSCO text.\n\n1.2. PSCO again.\n'
    assert real_findings(body) == [("terminology/substitution", 16, 6)]


def test_an_expired_suppression_lets_the_finding_through() -> None:
    body = '<!-- pcso-policy: disable=terminology/substitution reason="until the review" until=2026-11-22 -->\n'
    assert real_findings(body + "1.1. PSCO text.\n") == [
        ("parse/suppression-expired", 13, 1),
        ("terminology/substitution", 14, 6),
    ]


def test_an_invalid_suppression_silences_nothing() -> None:
    body = '<!-- pcso-policy: disable=terminology/substitutoin reason="typo in the rule id" -->\n'
    assert real_findings(body + "1.1. PSCO text.\n") == [
        ("parse/suppression-invalid", 13, 1),
        ("terminology/substitution", 14, 6),
    ]


def test_a_suppression_without_reason_is_reported() -> None:
    body = "<!-- pcso-policy: disable=terminology/substitution -->\n1.1. PSCO text.\n"
    assert ("parse/suppression-no-reason", 13, 1) in real_findings(body)


def test_unused_is_reported_only_when_the_suppressed_rule_ran() -> None:
    body = '<!-- pcso-policy: disable=terminology/substitution reason="quoted" -->\n1.1. Text.\n'
    assert real_findings(body) == [("parse/suppression-unused", 13, 1)]
    assert real_findings(body, select=("parse",)) == []
    assert real_findings(body, select=("parse/suppression-unused",)) == []


def test_a_suppression_of_two_rules_where_one_did_not_run_is_not_unused() -> None:
    # marking/legacy-marking is not selected, so nothing can be said about that half of it.
    body = '<!-- pcso-policy: disable=terminology/substitution,marking/legacy-marking reason="quoted" -->\n1.1. Text.\n'
    assert real_findings(body) == []
