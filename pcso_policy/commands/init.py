"""``pcso-policy init [DIR]``: set up a force's policy repository.

Writes a commented configuration, a starting policy that lints clean with the
bundled checks on the day it is written, an inert example of a force's own
check, a pre-commit hook, the CI jobs of ``docs/examples/`` and a
``.gitignore`` for the reports it writes. It never overwrites a file: what is already there
is listed as left alone. Into a folder that holds anything besides ``.git`` it
writes only the parts it is asked for (``--add PART``, or ``--add all``), so a
mistyped folder name does not fill the wrong folder.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pcso_policy import resources
from pcso_policy.commands import EXIT_OK
from pcso_policy.errors import UsageError

ALL = "all"
"""``--add all``: every part (still never overwriting a file)."""

REVIEW_CYCLE_MONTHS = 24
EXAMPLE_POLICY = "policies/example-policy.md"


@dataclass(frozen=True, slots=True)
class InitSettings:
    folder: Path = Path(".")
    """The repository folder to set up (created if missing)."""
    add: tuple[str, ...] = ()
    """Parts to write (see :data:`PARTS`); empty means every part, which only an empty folder allows."""
    today: datetime.date | None = None
    """The day the starting policy is dated from (default: today)."""


def run(settings: InitSettings, out: TextIO) -> int:
    root = settings.folder
    if root.exists() and not root.is_dir():
        raise UsageError(f"'{_shown(root)}' is not a folder")
    parts = _chosen_parts(settings.add)
    if not settings.add and _holds_anything(root):
        raise UsageError(
            f"'{_shown(root)}' is not empty: pass --add all to add every missing part beside what is there, or "
            f"--add PART for some ({', '.join(PARTS)}); existing files are never overwritten"
        )
    today = settings.today or datetime.date.today()
    planned = [(root / name, make) for part in parts for name, make in PARTS[part]]
    created: list[Path] = []
    kept: list[Path] = []
    for path, _ in planned:
        if path.exists() or path.is_symlink():
            kept.append(path)
        else:
            _refuse_outside(path, root)
    for path, make in planned:
        if path in kept:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("xb") as handle:  # "x": never replace a file, even one that appeared meanwhile
                handle.write(make(today))
        except FileExistsError:
            kept.append(path)
            continue
        created.append(path)
    _report(out, root, created, kept)
    return EXIT_OK


def _chosen_parts(add: tuple[str, ...]) -> list[str]:
    if not add or ALL in add:
        return list(PARTS)
    unknown = [part for part in add if part not in PARTS]
    if unknown:
        raise UsageError(f"unknown part '{unknown[0]}': use one of {', '.join(PARTS)} or {ALL}")
    return [part for part in PARTS if part in add]


def _holds_anything(root: Path) -> bool:
    """Whether ``root`` holds anything besides ``.git`` (a fresh ``git init`` is still empty)."""
    if not root.is_dir():
        return False
    return any(entry.name != ".git" for entry in root.iterdir())


def _refuse_outside(path: Path, root: Path) -> None:
    """Nothing is written outside ``root``, not even through a linked folder inside it."""
    inside = root.resolve()
    target = path.parent.resolve() / path.name
    if target != inside and inside not in target.parents:
        raise UsageError(f"'{_shown(path)}' would be written outside '{_shown(root)}' (through a link): nothing was written")


def _shown(path: Path) -> str:
    """``path`` relative to the folder the command was run in."""
    return Path(os.path.relpath(path.absolute(), Path.cwd())).as_posix()


def _report(out: TextIO, root: Path, created: list[Path], kept: list[Path]) -> None:
    if created:
        out.write("Created:\n")
        out.writelines(f"  {_shown(path)}\n" for path in created)
    if kept:
        out.write("Left alone (already there):\n")
        out.writelines(f"  {_shown(path)}\n" for path in kept)
    files = "file" if len(created) == 1 else "files"
    out.write(f"Set up '{_shown(root)}': {len(created)} {files} created, {len(kept)} left alone.\n")
    policy = root / EXAMPLE_POLICY
    if policy in created:
        where = "" if root.absolute() == Path.cwd() else f"cd {_shown(root)} && "
        out.write(f"Next: make {_shown(policy)} your first policy, then run '{where}pcso-policy lint'.\n")
    ci = [path for path in created if path.name in (".gitlab-ci.yml", "pcso-policy.yml", ".pre-commit-config.yaml")]
    if ci:
        names = ", ".join(_shown(path) for path in ci)
        out.write(f"Before the first push: replace each EDIT-ME in {names} with where this tool is installed from.\n")


def _month(day: datetime.date, months: int = 0) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _policy(today: datetime.date) -> bytes:
    last_year, last_month = _month(today)
    next_year, next_month = _month(today, REVIEW_CYCLE_MONTHS)
    text = POLICY.format(
        last_reviewed=f"{last_year:04d}-{last_month:02d}",
        next_review=f"{next_year:04d}-{next_month:02d}",
        cycle=REVIEW_CYCLE_MONTHS,
        last_words=f"{_MONTH_NAMES[last_month]} {last_year}",
        next_words=f"{_MONTH_NAMES[next_month]} {next_year}",
    )
    return text.encode("utf-8")


_MONTH_NAMES = (
    "", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
)
"""English month names whatever the locale (``calendar.month_name`` follows it)."""


def _text(content: str) -> Callable[[datetime.date], bytes]:
    return lambda _today: content.encode("utf-8")


def _example(name: str) -> Callable[[datetime.date], bytes]:
    """A file of ``docs/examples/``, byte for byte (read when written: one source of truth)."""
    return lambda _today: (resources.examples_dir() / name).read_bytes()


CONFIG = """\
# pcso-policy configuration. Every setting is optional; the commented lines
# show each one with an example value (remove the "# " to use it). Settings
# are checked against schemas/config.schema.json: an unknown or mistyped
# setting stops the run with its line. Paths are relative to this file.

# What `pcso-policy lint` (and reviews, report, publish) read with no PATH.
paths = ["policies"]

# Files to leave out (globs).
# exclude = ["policies/archive/*"]

# Rule ids or groups to run (empty: all), and ones not to run;
# `pcso-policy rules` lists them. --select and --ignore replace these lists.
# select = []
# ignore = ["terminology/undefined-acronym"]

# A rule's severity instead of its default: error, warning or info.
# severity = { "parse/suppression-unused" = "error" }

# The folder of this force's own check files (default "checks"; once named
# here, it must exist).
# checks = "checks"

# The recommended check files that ship with pcso-policy: true (all of them,
# the default), false (none) or the names of those to keep. A file in the
# checks folder with the same name as a bundled one replaces it.
# bundled_checks = ["structure.yaml", "review.yaml", "marking.yaml", "publication.yaml"]

# Whether the national texts that ship with pcso-policy are registered
# (default true); a references/ folder here adds to them.
# bundled_references = true

# Larger files are reported as parse/too-large instead of being read.
# max_file_size_mb = 5

# What names this repository's review calendar (reviews --format ics) in
# every event's UID: a name only your force uses. Default: the git remote.
# calendar_id = "policies.example.police.uk"

# Seconds a file may take to lint before it is stopped and reported as
# parse/timeout (a policy of ordinary size takes well under one).
# file_timeout_seconds = 60
"""

POLICY = """\
---
# The front matter: what the tool (and the review calendar) knows about the
# document. schemas/policy.schema.json in pcso-policy lists every key.
id: EX1
title: Example policy
type: policy
owner: Head of Policy
status: draft
classification: OFFICIAL
last_reviewed: "{last_reviewed}"
next_review: "{next_review}"
review_cycle_months: {cycle}
---
<!--
A starting policy written by `pcso-policy init`: every section a policy needs
under the bundled checks, in order. Replace the text of each paragraph with
your own, keep the numbering, and change the id, title and owner above and in
the footer. Dates in the text, the front matter and the footer must agree.
-->

# Example policy

## 1. Marking

1.1. OFFICIAL

## 2. Amendments

2.1. This is the first version of this policy. List the changes made at each review here.

## 3. Applicability

3.1. Name here the officers, staff and others this policy applies to.

## 4. Policy

4.1. State here what the force will do, and why.

4.2. Give each point its own numbered paragraph, as this one is.

## 5. Financial implications

5.1. State here what this policy costs, or that it has no financial implications.

## 6. Equality impact

6.1. Record here how this policy was assessed against the public sector equality duty and all nine protected characteristics.

## 7. Review

7.1. This policy will be reviewed every two years, or sooner when legislation or national guidance changes.
The next review is due by {next_words}.

## 8. Data protection

8.1. State here how information handled under this policy is kept secure and lawfully processed.

## 9. Retention

9.1. State here how long records made under this policy are kept, and how they are disposed of.

---

Policy reference: Example policy (EX1)
Contact point: Head of Policy
Date last reviewed: {last_words}
"""

FORCE_CHECKS = """\
# This force's own checks. They run on top of the recommended checks that ship
# with pcso-policy (`bundled_checks` in .pcso-policy.toml chooses which of
# those run). Every *.yaml file in this folder is read as check definitions;
# `pcso-policy kinds` lists the check kinds, and docs/checks.md in pcso-policy
# describes each one's options.
#
# This file defines no check yet. For example, to require a consultation
# section in every policy, replace the `checks: []` line below with these
# lines, without the "# " in front of each:
#
# checks:
#   - kind: required-sections
#     description: Our policies say who was consulted.
#     options:
#       types:
#         policy:
#           - name: consultation
#             titles: [Consultation, Consultation and engagement]
checks: []
"""

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com) lints the policies each commit changes.
# Once per clone: `pre-commit install`. Over every policy: `pre-commit run --all-files`.
#
# A local hook: it runs the pcso-policy installed where git runs, so it works
# offline and lints with the same version as `pcso-policy lint` in a terminal.
# Install that from pcso-policy's git repository (no package on PyPI is ours:
# `pip install pcso-policy` would install whatever someone registered there):
#   python -m pip install "pcso-policy @ git+https://github.com/EDIT-ME/pcso-policy@EDIT-ME"
# To have pre-commit install pcso-policy itself instead, replace the
# `- repo: local` entry with the one below. In both, put the repository's
# address and a release's full commit SHA (or its tag) in place of the
# EDIT-ME placeholders:
#
#   - repo: https://github.com/EDIT-ME/pcso-policy
#     rev: EDIT-ME  # frozen: the release's tag
#     hooks:
#       - id: pcso-policy
#         files: ^policies/
#
# A hook sees only the files of the commit; the CI job lints them all, so
# checks across policies (duplicate ids, citations) still run on every change.
repos:
  - repo: local
    hooks:
      - id: pcso-policy
        name: pcso-policy lint
        # `--` ends the options: the file names pre-commit appends are never
        # read as one (a folder named `--output=policies` is linted, not obeyed).
        entry: pcso-policy lint --
        language: system
        types: [markdown]
        # The folders `paths` names in .pcso-policy.toml: other Markdown
        # (a README) is not a policy.
        files: ^policies/
        require_serial: true
"""

GITIGNORE = """\
# What pcso-policy writes when it is run here by hand: the reports the CI jobs
# make, published documents and the HTML report, wherever you put them. (Its
# cache of lint results lives outside the repository, in your cache folder.)
pcso-policy.sarif
pcso-policy-junit.xml
/published/
/site/
.venv/
"""

PARTS: dict[str, list[tuple[str, Callable[[datetime.date], bytes]]]] = {
    "config": [(".pcso-policy.toml", _text(CONFIG))],
    "policies": [(EXAMPLE_POLICY, _policy)],
    "checks": [("checks/force.yaml", _text(FORCE_CHECKS))],
    "pre-commit": [(".pre-commit-config.yaml", _text(PRE_COMMIT))],
    "github": [(".github/workflows/pcso-policy.yml", _example("github-workflow.yml"))],
    "gitlab": [(".gitlab-ci.yml", _example("gitlab-ci.yml"))],
    "gitignore": [(".gitignore", _text(GITIGNORE))],
}
"""Each part ``--add`` names, and the files it writes (relative to the folder) with how to make each."""
