"""Test pcso-policy as a user gets it: the built wheel, installed in a fresh virtual environment.

Usage: python3 .ci/installed_wheel.py [--keep]

The test suite runs against the checkout, where schemas/, checks/ and
references/ sit beside the package. A user installs the wheel instead, which
carries them inside the package (pyproject.toml's force-include). This script:

1. builds the wheel (and, when the 'build' package is installed, the sdist)
   into a temporary folder, and checks that each holds every file of
   schemas/, checks/ and references/;
2. installs the wheel in a new virtual environment outside the checkout;
3. from a new git repository holding only policies/o38.md (a copy of the Kent
   policy), runs that environment's pcso-policy: --version, the README's
   quick-start lint (judged on 2026-11-23), which must report exactly the six
   defects README.md lists under "On the bundled Kent policy" (rule, severity,
   line and column, read from README.md so the two cannot drift), align,
   render, and the same lint with a repository check file of its own added
   (its finding joins the six);
4. publishes a clean approved policy (tests/fixtures/publish/) from another
   repository.

It prints each check as it passes and stops at the first failure with what
the command printed. Temporary folders are removed on exit (--keep keeps
them and prints where). Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KENT = ROOT / "policies" / "kent" / "o38-police-community-support-officers.md"
APPROVED = ROOT / "tests" / "fixtures" / "publish" / "t100-body-worn-video.md"
DATA = ("schemas", "checks", "references")
"""Top-level folders the wheel must carry (pyproject.toml's force-include says where)."""
AS_OF = "2026-11-23"
PUBLISH_AS_OF = "2026-01-15"
"""A day on which the approved fixture is neither overdue nor due soon (tests/render/test_publish.py)."""
README_LISTING = "On the bundled Kent policy, `pcso-policy lint --as-of 2026-11-23 policies/`"
FINDING = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning|info) (?P<rule>\S+) ")
SUMMARY = re.compile(r"^Checked 1 file: (?P<errors>\d+) errors?, (?P<warnings>\d+) warnings?, (?P<infos>\d+) infos?\.$")

FORCE_CHECKS = """\
# A force's own requirement, on top of the bundled rule set.
checks:
  - kind: required-sections
    description: This force also requires a complaints section.
    options:
      types:
        policy:
          - name: complaints
            titles: [Complaints, Complaints procedure]
"""
FORCE_FINDING = ("structure/missing-section", "error")

Finding = tuple[str, str, int, int]
"""rule, severity, line, column"""


class Failed(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders and print where they are")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the temporary folders are still removed
    start = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="pcso-policy-installed-"))
    try:
        if work.resolve().is_relative_to(ROOT):
            raise Failed(f"the temporary folder {work} is inside the checkout: set TMPDIR elsewhere")
        run_checks(work)
    except Failed as failure:
        print(f"\nFAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"installed wheel: every check passed in {time.perf_counter() - start:.1f} s")
    return 0


def run_checks(work: Path) -> None:
    expected = readme_findings()
    step(f"README.md lists {len(expected)} findings for the Kent policy")
    wheel = build_wheel(work / "dist")
    build_sdist(work / "dist")
    venv = install(wheel, work / "venv")
    cli = str(venv / "bin" / "pcso-policy")

    repo = make_repo(work / "repo", {"policies/o38.md": KENT.read_text(encoding="utf-8")})
    check_version(cli, repo)

    text = run([cli, "lint", "--as-of", AS_OF, "policies/"], repo, expect=1)
    found_text = [(m["rule"], m["severity"], int(m["line"]), int(m["column"])) for m in map(FINDING.match, text.splitlines()) if m]
    compare(found_text, expected, "the quick-start lint (text)", text)
    step("quick-start lint `pcso-policy lint --as-of 2026-11-23 policies/` exits 1 with the README's six findings")

    found, output = lint_json(cli, repo)
    compare(found, expected, "lint --format json", output)
    step("the same as --format json: exactly the README's findings (rule, severity, line, column)")

    aligned = run([cli, "align", "policies"], repo, expect=0)
    same = len(re.findall(r"^\s+\d+\s+same\s", aligned, re.MULTILINE))
    if same != 11 or "aligned: 11 same" not in aligned:
        raise Failed(f"pcso-policy align policies: expected 11 'same' points, found {same}:\n{aligned}")
    step("align policies exits 0 with 11 'same' points against the bundled national text")

    docx = work / "o38.docx"
    run([cli, "render", "policies/o38.md", "-o", str(docx)], repo, expect=0)
    check_docx(docx, "Police community support officers policy")
    step(f"render policies/o38.md -o o38.docx writes a Word document ({docx.stat().st_size:,} bytes)")

    (repo / "checks").mkdir()
    (repo / "checks" / "force.yaml").write_text(FORCE_CHECKS, encoding="utf-8")
    layered, output = lint_json(cli, repo)
    added = [finding for finding in layered if finding not in expected]
    if [finding[:2] for finding in added] != [FORCE_FINDING] or [finding for finding in layered if finding in expected] != expected:
        raise Failed("with checks/force.yaml, expected the six bundled findings and one structure/missing-section, got:\n" + output)
    step(f"a repository's checks/force.yaml adds its finding ({added[0][0]} at {added[0][2]}:{added[0][3]}); the six remain")

    check_publish(cli, work)
    check_init(cli, work)


def check_init(cli: str, work: Path) -> None:
    """``init`` sets up an empty repository whose first policy lints with no error and no warning."""
    repo = make_repo(work / "new-force", {})
    run([cli, "init", "--add", "all"], repo, expect=0)
    output = run([cli, "lint", "--format", "json"], repo, expect=0)
    summary = json.loads(output)["summary"]
    if summary["errors"] or summary["warnings"]:
        raise Failed(f"pcso-policy lint after init: expected no error and no warning, got:\n{output}")
    step("init --add all in an empty repository: its example policy lints with no error and no warning")


def readme_findings() -> list[Finding]:
    """The findings README.md shows for the Kent policy, and its summary line agrees with them."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    try:
        start = lines.index(next(line for line in lines if line.startswith(README_LISTING)))
        fence = next(i for i in range(start, len(lines)) if lines[i].startswith("```"))
    except StopIteration:
        raise Failed(f"README.md no longer has the paragraph starting {README_LISTING!r} followed by a code block") from None
    block = lines[fence + 1 : next(i for i in range(fence + 1, len(lines)) if lines[i].startswith("```"))]
    findings = [(m["rule"], m["severity"], int(m["line"]), int(m["column"])) for m in map(FINDING.match, block) if m]
    summary = next((m for m in map(SUMMARY.match, block) if m), None)
    if len(findings) != 6 or summary is None:
        raise Failed("README.md's Kent listing should hold six findings and a summary line, it holds:\n" + "\n".join(block))
    counted = {level: sum(f[1] == level.rstrip("s") for f in findings) for level in ("errors", "warnings", "infos")}
    if counted != {level: int(summary[level]) for level in counted}:
        raise Failed(f"README.md's Kent summary line {summary[0]!r} does not count its own findings {counted}")
    return findings


def build_wheel(dist: Path) -> Path:
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)], ROOT, expect=0)
    wheels = list(dist.glob("pcso_policy-*.whl"))
    if len(wheels) != 1:
        raise Failed(f"expected one wheel in {dist}, found {[path.name for path in wheels]}")
    with zipfile.ZipFile(wheels[0]) as archive:
        names = set(archive.namelist())
    included = force_included()
    missing = [f"{target}/{name}" for source, target in included.items() for name in files_of(source) if f"{target}/{name}" not in names]
    if missing:
        raise Failed(f"{wheels[0].name} lacks {len(missing)} bundled files, such as {missing[:3]}")
    step(f"built {wheels[0].name}: it carries every file of {', '.join(f'{source}/ as {target}/' for source, target in included.items())}")
    return wheels[0]


def build_sdist(dist: Path) -> None:
    try:
        import build  # noqa: F401  (the 'build' package: only asked whether it is there)
    except ImportError:
        if os.environ.get("CI"):
            raise Failed("the 'build' package is not installed, so the sdist cannot be checked: .ci/run installs it") from None
        step("SKIPPED the sdist: the 'build' package is not installed (.ci/run installs it; under CI its absence fails)")
        return
    run([sys.executable, "-m", "build", "--sdist", "--outdir", str(dist), str(ROOT)], ROOT, expect=0)
    sdists = list(dist.glob("pcso_policy-*.tar.gz"))
    if len(sdists) != 1:
        raise Failed(f"expected one sdist in {dist}, found {[path.name for path in sdists]}")
    with tarfile.open(sdists[0]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    folders = list(force_included())
    missing = [f"{source}/{name}" for source in folders for name in files_of(source) if f"{source}/{name}" not in names]
    if missing:
        raise Failed(f"{sdists[0].name} lacks {len(missing)} files, such as {missing[:3]}")
    step(f"built {sdists[0].name}: it holds every file of {', '.join(f'{source}/' for source in folders)}")


def force_included() -> dict[str, str]:
    """pyproject.toml's force-include: each folder of the checkout the wheel carries, and where."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    included: dict[str, str] = project["tool"]["hatch"]["build"]["targets"]["wheel"].get("force-include", {})
    absent = [name for name in DATA if name not in included]
    if absent:
        raise Failed(f"pyproject.toml's [tool.hatch.build.targets.wheel.force-include] no longer includes {', '.join(absent)}")
    return included


def files_of(folder: str) -> list[str]:
    """Every file under ``folder`` of the checkout, relative to it."""
    base = ROOT / folder
    found = [path.relative_to(base).as_posix() for path in sorted(base.rglob("*")) if path.is_file() and "__pycache__" not in path.parts]
    if not found:
        raise Failed(f"no files under {base}")
    return found


def install(wheel: Path, venv: Path) -> Path:
    run([sys.executable, "-m", "venv", str(venv)], ROOT, expect=0)
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], venv, expect=0)
    where = run([str(venv / "bin" / "python"), "-c", WHERE], venv, expect=0).split()
    package = venv.resolve()
    if not where or any(not Path(path).resolve().is_relative_to(package) for path in where):
        raise Failed(f"the installed package or its data is not inside the virtual environment {venv}:\n  " + "\n  ".join(where))
    step("installed the wheel in a fresh virtual environment; the package and its data load from there")
    return venv


WHERE = """
import pcso_policy, pcso_policy.resources as r
print(pcso_policy.__file__, r.schema_dir(), r.checks_dir(), r.references_dir())
"""


def make_repo(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    git = ["git", "-c", "init.defaultBranch=main", "-c", "user.name=CI", "-c", "user.email=ci@example.org"]
    folder.mkdir(parents=True, exist_ok=True)
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "--allow-empty", "-m", "policies"]):
        run([*git, *args], folder, expect=0)
    return folder


def check_version(cli: str, repo: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    output = run([cli, "--version"], repo, expect=0)
    bundled = sorted(path.name for path in (ROOT / "checks").glob("*.yaml"))
    if not output.startswith(f"pcso-policy {version}\n") or not all(name in output for name in bundled):
        raise Failed(f"pcso-policy --version should name version {version} and the bundled {', '.join(bundled)}; it printed:\n{output}")
    step(f"--version: pcso-policy {version} with the bundled rule set ({len(bundled)} check files)")


def lint_json(cli: str, repo: Path) -> tuple[list[Finding], str]:
    output = run([cli, "lint", "--as-of", AS_OF, "--format", "json", "policies/"], repo, expect=1)
    try:
        diagnostics = json.loads(output)["diagnostics"]
    except (ValueError, KeyError) as error:
        raise Failed(f"lint --format json did not print the JSON report ({error}):\n{output}") from None
    if any(item["path"] != "policies/o38.md" for item in diagnostics):
        raise Failed(f"lint reported on files other than policies/o38.md:\n{output}")
    return [(item["rule"], item["severity"], item["line"], item["column"]) for item in diagnostics], output


def compare(found: list[Finding], expected: list[Finding], what: str, output: str) -> None:
    if found != expected:
        shown = listing(found) or "    nothing"
        raise Failed(f"{what} of the installed package reported\n{shown}\n  but README.md lists\n{listing(expected)}\n  in full:\n{output}")


def listing(findings: list[Finding]) -> str:
    return "\n".join(f"    {rule} {severity} {line}:{column}" for rule, severity, line, column in findings)


def check_docx(path: Path, title: str) -> None:
    if not path.is_file():
        raise Failed(f"render wrote no file at {path}")
    try:
        with zipfile.ZipFile(path) as archive:
            body = archive.read("word/document.xml").decode("utf-8")
    except (zipfile.BadZipFile, KeyError) as error:
        raise Failed(f"{path.name} is not a Word document: {error}") from None
    if title not in body:
        raise Failed(f"{path.name}'s body does not hold the title {title!r}")


def check_publish(cli: str, work: Path) -> None:
    repo = make_repo(work / "publishing", {"policies/t100.md": APPROVED.read_text(encoding="utf-8")})
    out = work / "published"
    output = run([cli, "publish", "--out", str(out), "--as-of", PUBLISH_AS_OF], repo, expect=0)
    if not output.endswith("Published 1 of 1 policy, refused 0.\n"):
        raise Failed(f"publish did not publish the approved policy:\n{output}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    documents = [entry["docx"] for entry in manifest["published"]]
    if documents != ["T100-1.2.docx"]:
        raise Failed(f"the manifest should list T100-1.2.docx, it lists {documents}")
    check_docx(out / "T100-1.2.docx", "Body-worn video policy")
    step("publish (default paths, policies/) publishes the approved policy with its manifest")


def run(command: list[str], cwd: Path, expect: int) -> str:
    """Run ``command`` in ``cwd`` with none of the caller's Python settings; its standard output."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    shown = " ".join(command)
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise Failed(f"{shown}: {error}") from None
    if done.returncode != expect:
        raise Failed(f"{shown} (in {cwd}) exited {done.returncode}, expected {expect}\n--- stdout\n{done.stdout}--- stderr\n{done.stderr}")
    return done.stdout


_started = time.perf_counter()


def step(message: str) -> None:
    print(f"[{time.perf_counter() - _started:5.1f} s] ok  {message}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
