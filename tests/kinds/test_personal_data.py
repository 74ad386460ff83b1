"""The personal-data kind's cheap screen never hides a contact its full patterns would find."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from pcso_policy.kinds.personal_data import _ANY_CONTACT, _PHONE


@given(st.text(alphabet="0123456789 +()-@abc\n", max_size=40))
@example("call (01622) 690690")
@example("call +44 1622 690690")
def test_the_contact_screen_passes_every_text_holding_a_contact(text: str) -> None:
    if _PHONE.search(text) or "@" in text:
        assert _ANY_CONTACT.search(text)


def test_the_contact_screen_passes_over_dates_and_years() -> None:
    assert _ANY_CONTACT.search('last_reviewed: "2025-02"\nReviewed in 2025, reference 20251.') is None
