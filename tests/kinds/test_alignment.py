"""alignment: word comparison, the reworded-versus-different threshold, matching, options, the Kent policy."""

from __future__ import annotations

import datetime
import itertools
from pathlib import Path

import pytest

from pcso_policy.check import CheckContext
from pcso_policy.checkfiles import load_check_file
from pcso_policy.drift import Comparison, Thresholds, Words, compare, similarity, word_changes, words
from pcso_policy.kinds.alignment import AlignmentCheck, build
from pcso_policy.parsing import parse_text
from pcso_policy.references import Library, Reference, load

ROOT = Path(__file__).resolve().parents[2]
KENT = ROOT / "policies" / "kent" / "o38-police-community-support-officers.md"
REFERENCES = load(ROOT / "references")


def _current(source: str) -> Reference:
    reference = REFERENCES.current(source)
    assert reference is not None, source
    return reference


ROLE = _current("college-of-policing/pcso-role-and-purpose")
PROFILE = _current("college-of-policing/pcso-professional-profile")
NATIONAL = [words(item.text) for item in ROLE.items]
REWORDED = Thresholds().reworded


def configured() -> AlignmentCheck:
    (check,) = load_check_file(ROOT / "checks" / "alignment.yaml")
    assert isinstance(check, AlignmentCheck)
    return check


# Words: what does and does not count as a difference.


@pytest.mark.parametrize(
    "variant",
    [
        "Anti-social behaviour (ASB) and low-level offending.",
        "anti‑social behaviour, “ASB”, and low–level   offending",
        "Anti social behaviour - ASB - and low level offending!",
        "ANTI-SOCIAL BEHAVIOUR (ASB)\nand low-level offending.",
    ],
)
def test_punctuation_quotes_dashes_case_and_spacing_do_not_count(variant: str) -> None:
    assert words(variant).tokens == words("Anti-social behaviour (ASB) and low-level offending.").tokens


def test_case_counts_when_asked() -> None:
    assert words("Be integrated", ignore_case=False).tokens != words("be integrated", ignore_case=False).tokens


def test_curly_and_straight_apostrophes_are_the_same_word() -> None:
    assert words("the force’s values").tokens == words("the force's values").tokens == ("the", "force's", "values")


def test_the_word_diff_quotes_the_change_with_a_word_of_context() -> None:
    changes = word_changes(NATIONAL[0], words(ROLE.items[0].text.replace("normally geographic", "usually geographic")))
    assert [str(change) for change in changes] == ["'normally geographic' -> 'usually geographic'"]
    assert changes[0].kind == "replace"


def test_a_change_at_the_end_takes_the_word_before_and_long_quotes_are_shortened() -> None:
    (change,) = word_changes(NATIONAL[7], words("Respond to incidents of low-level offending and ASB."))
    assert str(change) == "'ASB. Where incidents are outside their ... police constable' -> 'ASB'"
    assert change.kind == "delete"


# The threshold: where "reworded" ends and "a different point" begins.

POINT = ROLE.items[1].text
REWORDINGS = {
    "one word": (POINT.replace("comprehensive", "detailed"), 0.96),
    "three places": (
        POINT.replace("comprehensive knowledge", "a detailed knowledge")
        .replace("those who are vulnerable", "vulnerable people")
        .replace("effectively ", ""),
        0.87,
    ),
    "paraphrase keeping the structure": (
        "Develop a thorough knowledge and understanding of the local community they serve, to identify and support "
        "people affected by offending and those who are vulnerable or at risk.",
        0.78,
    ),
}


@pytest.mark.parametrize("name", sorted(REWORDINGS))
def test_rewordings_score_above_the_threshold(name: str) -> None:
    text, at_least = REWORDINGS[name]
    ratio = similarity(words(POINT).tokens, words(text).tokens).ratio
    assert ratio >= at_least >= REWORDED


def test_a_rewrite_in_other_words_is_a_different_point() -> None:
    rewrite = (
        "Get to know the local community well so as to find and help people affected by crime and those who are vulnerable or at risk."
    )
    assert 0.5 < similarity(words(POINT).tokens, words(rewrite).tokens).ratio < REWORDED


def test_distinct_national_points_score_well_below_the_threshold() -> None:
    """Every pair of different points in both registered texts; the most alike are the College's
    'Develop close working relationships with key groups ...' and the profile's 'Developing close working
    relationships with key community bodies ...' (0.42): related, but different points."""
    texts = [item.text for item in (*ROLE.items, *PROFILE.items)]
    ratios = [similarity(words(a).tokens, words(b).tokens).ratio for a, b in itertools.combinations(texts, 2)]
    assert 0.4 < max(ratios) < 0.45 < REWORDED


# Matching: each kind of drift gives one answer.


def local(*texts: str) -> list[Words]:
    return [words(text) for text in texts]


def statuses(result: Comparison) -> list[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    return [(pair.status, pair.national, pair.local) for pair in result.pairs if pair.status != "same"]


def test_identical_lists_are_aligned() -> None:
    result = compare(NATIONAL, list(NATIONAL))
    assert result.aligned and result.count("same") == 11


def test_merged_points_are_one_merge() -> None:
    texts = [item.text for item in ROLE.items]
    merged = texts[:7] + [texts[7] + " " + texts[8]] + texts[9:]
    assert statuses(compare(NATIONAL, local(*merged))) == [("merged", (7, 8), (7,))]


def test_points_merged_in_the_other_order_are_one_merge() -> None:
    texts = [item.text for item in ROLE.items]
    merged = [texts[1] + " " + texts[0], *texts[2:]]
    result = compare(NATIONAL, local(*merged))
    assert statuses(result) == [("merged", (0, 1), (0,))]
    assert result.pairs[0].changes == (), "the national points are read in the order the local point gives them"


def test_a_point_cut_short_inside_a_merge_is_merged_not_missing() -> None:
    texts = [item.text for item in ROLE.items]
    merged = texts[:7] + ["Respond to incidents of low-level offending and ASB, and d" + texts[8][1:]] + texts[9:]
    (pair,) = [pair for pair in compare(NATIONAL, local(*merged)).pairs if pair.status != "same"]
    assert (pair.status, pair.national, pair.local) == ("merged", (7, 8), (7,))
    assert str(pair.changes[0]) == "'Where incidents are outside their authority ... constable. Defuse' -> 'and defuse'"


def test_a_few_shared_words_do_not_make_a_merge() -> None:
    """Point 4 ends 'anti-social behaviour (ASB) and low-level offending': four of its words beside point 9
    are an addition to point 9, with point 4 missing, not a merge (unless fragment_words allows it)."""
    texts = [item.text for item in ROLE.items]
    changed = texts[:3] + texts[4:8] + [texts[8] + " And low-level offending."] + texts[9:]
    assert statuses(compare(NATIONAL, local(*changed))) == [("missing", (3,), ()), ("reworded", (8,), (7,))]
    looser = Thresholds(fragment_words=4)
    assert statuses(compare(NATIONAL, local(*changed), looser)) == [("merged", (3, 8), (7,))]


def test_a_split_point_is_one_split() -> None:
    texts = [item.text for item in ROLE.items]
    first, second = texts[8].split(". If this", 1)
    split = texts[:8] + [first + ".", "If this" + second] + texts[9:]
    assert statuses(compare(NATIONAL, local(*split))) == [("split", (8,), (8, 9))]


def test_a_truncated_point_is_reworded_not_missing_and_extra() -> None:
    texts = [item.text for item in ROLE.items]
    truncated = texts[:7] + ["Respond to incidents of low-level offending and ASB."] + texts[8:]
    assert statuses(compare(NATIONAL, local(*truncated))) == [("reworded", (7,), (7,))]


def test_a_swap_moves_one_point() -> None:
    texts = [item.text for item in ROLE.items]
    swapped = texts[:5] + [texts[6], texts[5]] + texts[7:]
    result = compare(NATIONAL, local(*swapped))
    assert statuses(result) == [] and result.moved == (6,) and not result.aligned


def test_missing_and_extra() -> None:
    texts = [item.text for item in ROLE.items]
    changed = texts[:3] + texts[4:] + ["Patrol on foot in their ward at least twice a week."]
    assert statuses(compare(NATIONAL, local(*changed))) == [("missing", (3,), ()), ("extra", (), (10,))]


def test_a_short_local_duplicate_does_not_turn_an_exact_point_into_a_split() -> None:
    texts = [item.text for item in ROLE.items]
    assert statuses(compare(NATIONAL, local(*texts, "Respond to incidents."))) == [("extra", (), (11,))]


def test_thresholds_are_options() -> None:
    strict = Thresholds(reworded=0.99, contained=0.99)
    texts = [item.text for item in ROLE.items]
    changed = [texts[0].replace("normally", "usually"), *texts[1:]]
    assert statuses(compare(NATIONAL, local(*changed), strict)) == [("missing", (0,), ()), ("extra", (), (0,))]


# Options and the check.


def test_defaults_without_options() -> None:
    check = build({})
    assert check.thresholds == Thresholds() and check.ignore_case and check.statements == {}
    assert check.undeclared_min_points == 2


def test_the_repository_options_validate_and_state_the_date_phrases() -> None:
    check = configured()
    assert check.thresholds == Thresholds(0.6, 0.8, 3, 6)
    found = [(role, str(date.date)) for role, date in check._stated_dates("defined by College of Policing, updated in June 2022.")]
    assert found == [("version", "June 2022")]
    assert list(check._stated_dates("the PCSO Handbook in March 2024, updated later")) == []


def run_check(text: str, check: AlignmentCheck | None = None) -> list[str]:
    document = parse_text("policy.md", text).document
    assert document is not None
    context = CheckContext(datetime.date(2026, 11, 23), ROOT)
    return [f"{f.line}:{f.column} {f.rule}" for f in (check or configured()).check(document, context)]


def test_the_kent_policy_is_fully_aligned() -> None:
    """The acceptance case: all eleven points, the 6 June 2022 version, 'updated in June 2022'."""
    assert run_check(KENT.read_text(encoding="utf-8")) == []


def test_the_kent_policy_statement_agrees_with_the_declared_version() -> None:
    text = KENT.read_text(encoding="utf-8")
    assert "updated in June 2022" in text
    assert run_check(text.replace("updated in June 2022", "updated in June 2021")) == ["60:89 alignment/stale-version"]


@pytest.mark.parametrize(
    "front",
    [
        "id: T1\n",
        "id: T1\naligns_with: college-of-policing/pcso-role-and-purpose\n",
        "id: T1\naligns_with:\n  - source: college-of-policing/pcso-role-and-purpose\n    version: 2022\n    section: 4.3\n",
        "id: T1\naligns_with:\n  - just a string\n",
    ],
)
def test_unusable_declarations_are_left_to_the_front_matter_schema(front: str) -> None:
    assert run_check(f"---\n{front}---\n\n# T\n\n4.3. PCSOs should:\n\n- Patrol.\n") == []


def test_a_document_without_front_matter_is_skipped() -> None:
    assert run_check("# T\n\nNothing here.\n") == []


def test_a_section_heading_can_be_the_aligned_section() -> None:
    items = "\n".join(f"- {item.text}" for item in ROLE.items)
    text = (
        "---\nid: T1\naligns_with:\n  - source: college-of-policing/pcso-role-and-purpose\n"
        f'    version: "2022-06-06"\n    section: "4"\n---\n\n# T\n\n## 4. Role and purpose\n\n{items}\n'
    )
    assert run_check(text) == []
    assert run_check(text.replace("- Gather information", "- Collect information")) == ["19:3 alignment/modified-item"]


def test_the_national_texts_are_read_once_per_run(tmp_path: Path) -> None:
    library = Library(ROOT)
    assert library.get() is library.get()
    assert Library(tmp_path, bundled=False).get().sources == {}
    assert set(Library(tmp_path).get().sources) == set(library.get().sources)  # the bundled texts
