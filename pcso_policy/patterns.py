"""Regular expressions that check files give as lists."""

from __future__ import annotations

import re
from collections.abc import Iterable


def any_of(patterns: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One pattern that matches where any of ``patterns`` does; with none, one that never matches."""
    alternatives = [f"(?:{pattern})" for pattern in patterns]
    return re.compile("|".join(alternatives) if alternatives else r"(?!)", flags)
