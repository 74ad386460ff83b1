"""protective-marking: how legacy markings are recognised inside sentences."""

from __future__ import annotations

from pcso_policy.kinds.protective_marking import _legacy_pattern, build


def test_phrases_match_in_any_case_single_words_only_in_capitals() -> None:
    assert _legacy_pattern("Not protectively marked").search("is NOT Protectively  marked")
    assert _legacy_pattern("Restricted").search("marked RESTRICTED here")
    assert not _legacy_pattern("Restricted").search("restricted access")
    assert not _legacy_pattern("Protect").search("PROTECTED")


def test_suggestions_for_near_misses() -> None:
    check = build({"markings": ["OFFICIAL", "OFFICIAL-SENSITIVE"]})
    assert check._suggest("official_sensitive") == "write 'OFFICIAL-SENSITIVE'"
    assert check._suggest("Official") == "write 'OFFICIAL'"
    assert check._suggest("PUBLIC") == "use one of OFFICIAL, OFFICIAL-SENSITIVE"
