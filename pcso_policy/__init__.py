"""pcso-policy: UK police policies kept as code, linted, aligned and published."""

from __future__ import annotations

__all__ = ["__version__"]
__version__ = "0.1.0"
