"""Time pcso-policy against the floor any Python linter pays, and print the ratios the CI-gate issue sets.

Usage: python bench/run.py [--sizes 100,1000,10000] [--work FOLDER] [--repeat 3] [--startup-runs 20]
       python bench/run.py --startup-only    (start-up alone, bench/startup.py: a few seconds)

Every measurement runs in its own process, so its peak memory (maximum
resident set size) is its own. The *floor* reads every file, loads its front
matter with libyaml's safe loader and parses its body with markdown-it-py,
which is the least work any Python implementation of the linter must do.
Absolute times on shared machines drift; each measurement keeps the fastest
of ``--repeat`` runs, since other jobs on the machine only ever add time.
Start-up (``--version`` and a lint of the Kent policy, whole process) is
timed last, by bench/startup.py, as min, median and max of ``--startup-runs``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import startup  # noqa: E402
from generate import generate  # noqa: E402

FLOOR = """
import sys, pathlib, yaml
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark").enable("table")
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.md")):
    text = path.read_bytes().decode("utf-8")
    _, front, body = text.split("---\\n", 2)
    yaml.load(front, Loader=loader)
    md.parse(body)
"""


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_mb: float


def measure(command: list[str], repeat: int = 1, before: Callable[[], None] = lambda: None) -> Measure:
    """The fastest of ``repeat`` runs (other jobs on a shared machine only ever add time), and the
    highest peak memory; ``before`` runs ahead of each (emptying a cache for a cold run)."""
    runs: list[Measure] = []
    for _ in range(repeat):
        before()
        runs.append(_run(command))
    return _fastest(runs)


def _run(command: list[str]) -> Measure:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return Measure(seconds, usage.ru_maxrss / 1024)


def lint(folder: Path, cache: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "pcso_policy", "lint", "--as-of", "2026-11-23", "--cache-dir", str(cache), *options, str(folder)]


def bench_size(size: int, work: Path, repeat: int) -> dict[str, Measure]:
    folder = work / f"policies-{size}"
    if not folder.is_dir():
        generate(size, folder)
    cache = work / f"cache-{size}"

    def empty_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    results = {"floor": measure([sys.executable, "-c", FLOOR, str(folder)], repeat)}
    results["cold"] = measure(lint(folder, cache), repeat, empty_cache)
    results["warm"] = measure(lint(folder, cache), repeat)
    results["cold --jobs 2"] = measure(lint(folder, cache, "--jobs", "2"), repeat, empty_cache)
    empty_cache()
    return results


PUBLISHABLE = 'status: approved\nversion: "1.0"\nclassification: OFFICIAL\n'


def bench_publish(work: Path, repeat: int, count: int = 100) -> dict[str, Measure]:
    """``publish`` of ``count`` approved policies against one pandoc process converting the same files.

    The generated policies carry deliberate review and marking defects, so this
    publishes them with a configuration that uses the repository's checks but
    ignores those groups, after adding the version and classification publish requires.
    """
    folder = work / f"publish-{count}"
    shutil.rmtree(folder, ignore_errors=True)
    generate(count, folder / "src")
    for path in (folder / "src").glob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("status: approved\n", PUBLISHABLE, 1), encoding="utf-8")
    config = folder / ".pcso-policy.toml"
    config.write_text(f'checks = "{ROOT / "checks"}"\nignore = ["review", "marking"]\n', encoding="utf-8")
    sources = sorted(str(path) for path in (folder / "src").glob("*.md"))
    publish = [
        sys.executable, "-m", "pcso_policy", "publish", "--config", str(config), "--as-of", "2026-11-23",
        "--out", str(folder / "out"), str(folder / "src"),
    ]
    pandoc = ["pandoc", "-f", "markdown", "-t", "docx", "-o", str(folder / "pandoc.docx"), *sources] if shutil.which("pandoc") else None
    runs: dict[str, list[Measure]] = {"publish": [], "pandoc (1 process)": []}
    for _ in range(repeat):  # alternated, so that a slow spell of the machine weighs on both alike
        shutil.rmtree(folder / "out", ignore_errors=True)
        runs["publish"].append(_run(publish))
        published = len(list((folder / "out").glob("*.docx")))
        if published != count:
            raise SystemExit(f"publish wrote {published} of {count} documents: run the command by hand to see why")
        if pandoc is not None:
            runs["pandoc (1 process)"].append(_run(pandoc))
    return {name: _fastest(measures) for name, measures in runs.items() if measures}


def _fastest(measures: list[Measure]) -> Measure:
    return Measure(min(m.seconds for m in measures), max(m.peak_mb for m in measures))


def report(size: int, results: dict[str, Measure]) -> None:
    print(f"\n{size} policies")
    for name, result in results.items():
        rate = size / result.seconds
        print(f"  {name:<14} {result.seconds:8.2f} s  {rate:9.0f} docs/s  peak {result.peak_mb:6.1f} MB")
    floor, cold = results["floor"].seconds, results["cold"].seconds
    print(f"  cold / floor            {cold / floor:5.2f}  (target <= 1.50)")
    print(f"  warm / cold             {results['warm'].seconds / cold:5.2f}  (target <= 0.15)")
    print(f"  jobs 2 / cold           {results['cold --jobs 2'].seconds / cold:5.2f}  (target <= 0.70)")


def compile_package() -> None:
    """Byte-compile the package, as installing it does.

    A checkout run with PYTHONDONTWRITEBYTECODE (or from a read-only folder)
    would otherwise compile every module from source in every measured
    process, which no installed copy of the tool pays.
    """
    compileall.compile_dir(ROOT / "pcso_policy", quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated numbers of policies")
    parser.add_argument("--work", type=Path, help="folder for generated policies (default: a temporary one)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement, the fastest kept (default 3)")
    parser.add_argument("--startup-runs", type=int, default=20, help="runs of each start-up command (default 20)")
    parser.add_argument("--startup-only", action="store_true", help="time only the start-up (bench/startup.py)")
    args = parser.parse_args()
    if args.startup_only:
        startup.run(args.startup_runs)
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    compile_package()
    print(f"pcso-policy benchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as temporary:
        work = args.work or Path(temporary)
        measured = {size: bench_size(size, work, args.repeat) for size in sizes}
    for size, results in measured.items():
        report(size, results)
    if 1000 in measured and 10000 in measured:
        growth = measured[10000]["cold"].seconds / measured[1000]["cold"].seconds
        print(f"\n10,000 / 1,000 cold       {growth:5.2f}  (target <= 11, peak under 150 MB)")
    with tempfile.TemporaryDirectory() as temporary:
        published = bench_publish(args.work or Path(temporary), args.repeat)
    print("\npublish of 100 approved policies (lint gate, render, read-back check, manifest)")
    for name, result in published.items():
        print(f"  {name:<18} {result.seconds:8.2f} s  {100 / result.seconds:9.0f} docs/s  peak {result.peak_mb:6.1f} MB")
    if "pandoc (1 process)" in published:
        print(f"  publish / pandoc        {published['publish'].seconds / published['pandoc (1 process)'].seconds:5.2f}")
    else:
        print("  pandoc is not installed: no comparison")
    startup.run(args.startup_runs)


if __name__ == "__main__":
    main()
