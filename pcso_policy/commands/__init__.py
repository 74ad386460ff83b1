"""The commands behind the CLI, one module each, each with ``run(settings, out) -> int``.

The CLI imports a command's module only when that command runs, so a run
pays only for what it uses. Exit codes: 0 no finding at error severity,
1 errors found, 2 usage error or a file that could not be read.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2
