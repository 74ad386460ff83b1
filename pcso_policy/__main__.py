"""Entry point for ``python -m pcso_policy`` and the ``pcso-policy`` script."""

from __future__ import annotations

import sys


def main() -> None:
    from pcso_policy.cli import run

    sys.exit(run())


if __name__ == "__main__":
    main()
