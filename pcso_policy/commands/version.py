"""``pcso-policy --version``: the tool, its bundled rule set and its bundled national texts.

Read from the package's files alone (nothing is parsed), so it answers as
fast as the command line starts.
"""

from __future__ import annotations

from typing import TextIO

from pcso_policy import __version__, resources
from pcso_policy.commands import EXIT_OK


def run(out: TextIO) -> int:
    out.write(f"pcso-policy {__version__}\n")
    files = [path.name for path in sorted(resources.checks_dir().glob("*.yaml"))]
    out.write(f"bundled rule set {resources.ruleset_version()} ({len(files)} check files: {', '.join(files)})\n")
    out.write("bundled national texts:\n")
    for source, version in resources.bundled_reference_versions():
        out.write(f"  {source} {version}\n")
    return EXIT_OK
