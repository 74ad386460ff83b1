"""Time pcso-policy's start-up, whole process, against the targets the CI-gate issue sets.

Usage: python bench/startup.py [--runs 20] [--pcso-policy PATH]
(or python bench/run.py --startup-only)

The targets: ``pcso-policy --version`` within 1.5 times ``python -c "import
click"``, and ``pcso-policy lint --no-cache`` of the Kent policy at most
0.15 s. Each command runs ``--runs`` times, the three in turn (so that a slow
spell of the machine weighs on all alike), each from the repository root, as
a user runs them; each run is timed from its start to its exit. The figures
are the min, median and max wall time; the ratio compares medians.

The console script is the one installed beside the running Python (a wrapper
such as a pyenv shim would add its own start-up to every run); without one,
``python -m pcso_policy``. ``--pcso-policy`` names another, such as a wheel
installed in a virtual environment.
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KENT = "policies/kent/o38-police-community-support-officers.md"
VERSION_RATIO_TARGET = 1.5
LINT_TARGET = 0.15


@dataclass(frozen=True)
class Spread:
    """Wall seconds of repeated runs of one command."""

    runs: list[float]

    @property
    def min(self) -> float:
        return min(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def max(self) -> float:
        return max(self.runs)


def console_script(named: str | None) -> list[str]:
    """How to start pcso-policy: ``named``, else the console script beside this Python, else ``python -m``."""
    if named is not None:
        found = shutil.which(named)
        if found is None:
            raise SystemExit(f"--pcso-policy {named}: no such program")
        return [found]
    beside = Path(sys.executable).parent / "pcso-policy"
    return [str(beside)] if beside.is_file() else [sys.executable, "-m", "pcso_policy"]


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # lint of the Kent policy exits 1: it has real defects
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode(errors='replace')}")
    return seconds


def measure(commands: dict[str, list[str]], runs: int) -> dict[str, Spread]:
    """Each command ``runs`` times, in turn, after one run of each that is not counted (it fills the page cache)."""
    for command in commands.values():
        wall(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(wall(command))
    return {name: Spread(seconds) for name, seconds in times.items()}


def commands(pcso_policy: list[str]) -> dict[str, list[str]]:
    return {
        'python -c "import click"': [sys.executable, "-c", "import click"],
        "pcso-policy --version": [*pcso_policy, "--version"],
        "pcso-policy lint --no-cache (Kent)": [*pcso_policy, "lint", "--no-cache", KENT],
    }


def report(measured: dict[str, Spread], runs: int) -> None:
    print(f"\nstart-up, whole process, {runs} runs each in turn (wall seconds)")
    print(f"  {'':<36} {'min':>7} {'median':>7} {'max':>7}")
    for name, spread in measured.items():
        print(f"  {name:<36} {spread.min:7.3f} {spread.median:7.3f} {spread.max:7.3f}")
    click, version, lint = measured.values()
    print(f"  {'--version / import click':<26}{version.median / click.median:5.2f}  (medians; target <= {VERSION_RATIO_TARGET:.2f})")
    print(f"  {f'lint (Kent) / {LINT_TARGET} s':<26}{lint.median / LINT_TARGET:5.2f}  (median {lint.median:.3f} s; target <= 1.00)")


def run(runs: int, named: str | None = None) -> dict[str, Spread]:
    pcso_policy = console_script(named)
    # Byte-compiled first, as installing it does (see compile_package in bench/run.py).
    compileall.compile_dir(ROOT / "pcso_policy", quiet=1)
    print(f"\npcso-policy start-up: {' '.join(pcso_policy)} (Python {sys.version.split()[0]})")
    measured = measure(commands(pcso_policy), runs)
    report(measured, runs)
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each command (default 20)")
    parser.add_argument("--pcso-policy", dest="named", help="the pcso-policy program to time (default: the one beside this Python)")
    args = parser.parse_args()
    run(args.runs, args.named)


if __name__ == "__main__":
    main()
