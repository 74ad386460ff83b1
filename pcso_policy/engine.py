"""The lint engine: read each file once, parse it once, run the checks, place the findings.

Checks yield :class:`~pcso_policy.diagnostics.Finding` objects naming rules
they declared; the engine drops deselected rules, applies inline
suppressions, and attaches the path and the configured severity.
"""

from __future__ import annotations

import datetime
import signal
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pcso_policy import reading
from pcso_policy.cache import Cache, FileResult
from pcso_policy.check import Check, CheckContext, ProjectCheck, footer_labels
from pcso_policy.config import DEFAULT_FILE_TIMEOUT, DEFAULT_MAX_FILE_SIZE
from pcso_policy.diagnostics import Diagnostic, Finding, Severity
from pcso_policy.errors import PcsoPolicyError
from pcso_policy.fingerprints import line_digests
from pcso_policy.parsing import ParseResult, parse_bytes
from pcso_policy.rules import Registry
from pcso_policy.suppressions import Suppression, apply_suppressions, read_suppressions


@dataclass(frozen=True, slots=True)
class RuleSelection:
    """Which rules run and at what severity."""

    active: frozenset[str]
    severity: Mapping[str, Severity] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        registry: Registry,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        severity: Mapping[str, Severity] | None = None,
    ) -> RuleSelection:
        """Resolve selectors (rule ids or groups); an unknown one is a usage error."""
        select, ignore = list(select), list(ignore)
        for selector in (*select, *ignore):
            registry.check_selector(selector)
        for rule_id in severity or {}:
            registry[rule_id]
        chosen = {rule for selector in select for rule in registry.matching(selector)} if select else set(registry)
        dropped = {rule for selector in ignore for rule in registry.matching(selector)}
        return cls(frozenset(chosen - dropped), dict(severity or {}))


@dataclass(slots=True)
class LintResult:
    diagnostics: list[Diagnostic]
    files: int
    unreadable: int = 0
    paths: list[str] = field(default_factory=list)
    """Every file linted, in the order given."""
    baselined: int = 0
    """Findings left out because the baseline records them."""
    line_digests: dict[str, bytes] = field(default_factory=dict)
    """Per file, the digest of each line (when the engine was asked to keep them)."""

    def count(self, severity: Severity) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.severity is severity)


_WORKER_ENGINE: Engine | None = None


def _start_worker(engine: Engine) -> None:
    global _WORKER_ENGINE
    _WORKER_ENGINE = engine


def _lint_in_worker(item: tuple[str, bytes]) -> FileResult:
    assert _WORKER_ENGINE is not None
    return _WORKER_ENGINE.lint_content(*item)


def _lint_into(engine: Engine, item: tuple[str, bytes], pipe: Any) -> None:
    """In a child process of its own: lint one file and send back what it yields (or the error it raised)."""
    try:
        answer: tuple[str, object] = ("result", engine.lint_content(*item))
    except Exception as error:  # noqa: BLE001 - handed to the parent, which raises it as a serial run would
        answer = ("error", error)
    try:
        pipe.send(answer)
    except Exception as error:  # noqa: BLE001 - an error that cannot be pickled is sent as its text
        pipe.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
    pipe.close()


class WorkerKilled(PcsoPolicyError):
    """A file whose linting ended its process (the out-of-memory killer, a signal, a crash)."""

    def __init__(self, path: str, exitcode: int | None) -> None:
        self.path = path
        if exitcode is not None and exitcode < 0:
            try:
                name = signal.Signals(-exitcode).name
            except ValueError:
                name = f"signal {-exitcode}"
            how = f"was killed by {name}" + (" (as the out-of-memory killer does)" if name == "SIGKILL" else "")
        else:
            how = f"exited with status {exitcode}"
        super().__init__(
            f"{path}: the process linting this file {how}, and again when it was linted alone, so the file was "
            "not checked: look at the file (its size, very long lines), exclude it, or lint it with --jobs 1 "
            "to see what happens"
        )


class _FileTimeout(BaseException):
    """Raised by the alarm inside whatever a file's lint was doing (``re`` included: its matcher checks
    for signals as it runs); a BaseException so that no check's ``except Exception`` swallows it."""


class _Alarm:
    """Whether a file's time limit is running: an alarm delivered late, once its lint is over, is ignored."""

    armed = False

    @staticmethod
    def ring(signum: int, frame: object) -> None:
        if _Alarm.armed:
            raise _FileTimeout


TIMEOUT = "parse/timeout"


def _timed_out(seconds: float) -> FileResult:
    message = (
        f"linting this file took longer than {seconds:g} seconds and was stopped, so it was not checked: "
        "look for very long lines or long runs of one character, split the file, or raise file_timeout_seconds "
        "in the configuration"
    )
    return FileResult((Finding(TIMEOUT, 1, 1, message),))


def _timed_out_result(result: FileResult) -> bool:
    return len(result.findings) == 1 and result.findings[0].rule == TIMEOUT


def _unreadable(result: FileResult) -> bool:
    return any(finding.rule == UNREADABLE for finding in result.findings)


UNREADABLE = "parse/unreadable"


def _too_large(limit: int) -> Finding:
    message = (
        f"file is larger than {limit / 1_000_000:g} MB and was not parsed: split it, keep it out of the policy folders, "
        "or raise max_file_size_mb in the configuration"
    )
    return Finding("parse/too-large", 1, 1, message)


def read_policy(path: str, limit: int, root: Path | None = None) -> bytes | FileResult:
    """A policy file's bytes (at most ``limit``), or the finding that says why they cannot be linted.

    Every command reads policies here, once per run, through :mod:`pcso_policy.reading`: regular
    files only, and a path inside the project ``root`` only where its links lead inside it too.
    """
    try:
        return reading.read_bytes(path, limit, root)
    except reading.TooLarge:
        return FileResult((_too_large(limit),))
    except reading.Refused as refused:
        return FileResult((Finding(UNREADABLE, 1, 1, f"cannot read file: {refused.reason}"),))


def _can_time() -> bool:
    """Whether an interval timer can bound a file's lint here: a POSIX system, the main thread (the
    only one Python delivers signals to), and no interval timer already running (whoever set it
    keeps it)."""
    return (
        _HAS_TIMER
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )


_HAS_TIMER = hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")


class _Planned:
    """A check that runs, with what the engine needs to know of it on every file."""

    __slots__ = ("index", "check", "project", "rule_ids", "front_matter_rules")

    def __init__(self, index: int, check: Check) -> None:
        self.index = index
        self.check = check
        # isinstance() on a runtime-checkable Protocol is slow: ask once, not per file.
        self.project = check if isinstance(check, ProjectCheck) else None
        self.rule_ids = frozenset(rule.id for rule in check.rules)
        self.front_matter_rules = frozenset(rule.id for rule in check.rules if rule.needs_front_matter)
        """Its rules that rest on the front matter (:attr:`Rule.needs_front_matter`)."""

    @property
    def needs_front_matter(self) -> bool:
        """Whether every rule it raises rests on the front matter: on a file without one it is not run at all."""
        return self.front_matter_rules == self.rule_ids

    def declared(self, findings: Iterable[Finding]) -> list[Finding]:
        """``findings``, after making sure the check declares each one's rule."""
        found = list(findings)
        for finding in found:
            if finding.rule not in self.rule_ids:
                raise RuntimeError(f"{type(self.check).__name__} raised {finding.rule}, which it does not declare")
        return found


class Engine:
    def __init__(
        self,
        registry: Registry,
        checks: tuple[Check, ...],
        selection: RuleSelection,
        as_of: datetime.date,
        cache: Cache | None = None,
        jobs: int = 1,
        root: Path | None = None,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        context: CheckContext | None = None,
        keep_line_digests: bool = False,
        boundary: Path | None = None,
        file_timeout: float | None = DEFAULT_FILE_TIMEOUT,
    ) -> None:
        """``keep_line_digests``: :meth:`lint_files` keeps a digest of each line of each file, for the
        fingerprints of SARIF and baselines (see :mod:`pcso_policy.fingerprints`). ``boundary``: what
        a policy's links must not lead out of (default: the project root).

        ``file_timeout``: seconds one file may take (parsed and checked) before it is stopped and
        reported as ``parse/timeout``; None for no limit. The limit is an interval timer whose signal
        interrupts the lint, so it holds where signals can be used: in the main thread of a process
        on a POSIX system, and while no other interval timer runs (a test runner's); elsewhere files
        are linted without it."""
        self.keep_line_digests = keep_line_digests
        self.boundary = boundary
        self.file_timeout = file_timeout
        self._timing = False
        self.registry = registry
        self.checks = checks
        self.selection = selection
        self.as_of = as_of
        self.context = context or CheckContext(as_of, root or Path.cwd())
        self.cache = cache
        self.jobs = jobs
        self.max_file_size = max_file_size
        self.footer_labels = footer_labels(checks)
        """What makes a trailing block of lines a footer without a rule, decided by every check, selected or not,
        so that a document is read the same whatever the selection."""
        self._plan = [_Planned(index, check) for index, check in enumerate(checks) if self._runs(check)]
        """The checks that raise a selected rule, decided once per run rather than once per file."""

    def lint_files(
        self, paths: list[str], already_read: Mapping[str, bytes] | None = None, on_file: Callable[[], None] | None = None
    ) -> LintResult:
        """Read and lint ``paths``; a file that cannot be read is a ``parse/unreadable`` finding.

        Each file is read once, here (or was, into ``already_read``), and its
        bytes dropped once linted (workers are sent the bytes), so memory does
        not grow with the repository. ``on_file`` is called as each file is
        done with here: linted, or, with ``--jobs``, handed to the workers.
        """
        already_read = already_read or {}
        results: dict[str, FileResult] = {}
        pending: list[tuple[str, bytes, str | None]] = []
        digests: dict[str, bytes] = {}
        for path in paths:
            data = already_read[path] if path in already_read else self.read(path)
            if isinstance(data, FileResult):
                results[path] = data
            else:
                if self.keep_line_digests:
                    digests[path] = line_digests(data)
                self._take(path, data, results, pending)
            if on_file is not None:
                on_file()
        for (path, _, key), fresh in zip(pending, self._lint_in_parallel([(p, d) for p, d, _ in pending]), strict=True):
            results[path] = self._store(key, fresh)
        if self.cache is not None:
            self.cache.close()  # one transaction for every entry of the run
        result = self.finish({path: results[path] for path in paths})
        result.line_digests = digests
        return result

    def _take(self, path: str, data: bytes, results: dict[str, FileResult], pending: list[tuple[str, bytes, str | None]]) -> None:
        """One file's result from the cache, else linted now, else queued for the workers."""
        key = self.cache.key(data) if self.cache is not None else None
        cached = self.cache.get(key) if self.cache is not None and key is not None else None
        if cached is not None:
            results[path] = cached
        elif self.jobs > 1:
            pending.append((path, data, key))
        else:
            results[path] = self._store(key, self.lint_content(path, data))

    def finish(self, results: dict[str, FileResult]) -> LintResult:
        """The run's result from every file's own findings, in the order given: the project-wide
        checks run, then suppressions and severities apply."""
        unreadable = sum(1 for result in results.values() if _unreadable(result))
        return LintResult(self._finish(results), files=len(results), unreadable=unreadable, paths=list(results))

    def read(self, path: str) -> bytes | FileResult:
        return read_policy(path, self.max_file_size, self.boundary or self.context.root)

    def _store(self, key: str | None, result: FileResult) -> FileResult:
        # A timeout says how fast this machine was, not what the file holds: it is never kept.
        if self.cache is not None and key is not None and not _timed_out_result(result):
            self.cache.put(key, result)
        return result

    def _lint_in_parallel(self, items: list[tuple[str, bytes]]) -> list[FileResult]:
        if not items:
            return []
        import multiprocessing  # imported only for a parallel run: it costs a one-file lint a sixth of its time
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        context = multiprocessing.get_context("fork")
        chunk = max(1, len(items) // (self.jobs * 8))
        results: list[FileResult] = []
        try:
            with ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_start_worker, initargs=(self,)) as pool:
                for result in pool.map(_lint_in_worker, items, chunksize=chunk):
                    results.append(result)
        except BrokenProcessPool:
            # A worker died (the out-of-memory killer, a signal): the pool cannot say whose file it was
            # linting. The files without results yet are linted again, each in a process of its own, so
            # that one that kills its process again is named.
            results.extend(self._lint_alone(item) for item in items[len(results) :])
        return results

    def _lint_alone(self, item: tuple[str, bytes]) -> FileResult:
        """Lint one file in a child process of its own; :class:`WorkerKilled` when that process dies."""
        import multiprocessing

        context = multiprocessing.get_context("fork")
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(target=_lint_into, args=(self, item, writer), daemon=True)
        process.start()
        writer.close()
        try:
            kind, answer = reader.recv()
        except EOFError:  # the child ended without answering
            kind, answer = "killed", None
        finally:
            reader.close()
            process.join()
        if kind == "result" and isinstance(answer, FileResult):
            return answer
        if kind == "error" and isinstance(answer, BaseException):
            raise answer
        raise WorkerKilled(item[0], process.exitcode)

    def lint_bytes(self, path: str, data: bytes) -> list[Diagnostic]:
        """Lint one file's content as if it were the whole run."""
        return self._finish({path: self.lint_content(path, data)})

    def lint_content(self, path: str, data: bytes) -> FileResult:
        """Everything one file's content yields on its own, before the project-wide phase."""
        return self._within_budget(lambda: self._lint_parsed(parse_bytes(path, data, footer_labels=self.footer_labels)))

    def lint_parsed(self, parsed: ParseResult) -> FileResult:
        """Everything one parsed file yields on its own, before the project-wide phase."""
        return self._within_budget(lambda: self._lint_parsed(parsed))

    def _within_budget(self, lint: Callable[[], FileResult]) -> FileResult:
        """``lint()``, or the ``parse/timeout`` finding if it takes longer than ``file_timeout``."""
        seconds = self.file_timeout
        if seconds is None or self._timing or not _can_time():
            return lint()
        previous = signal.signal(signal.SIGALRM, _Alarm.ring)
        self._timing = True
        try:
            _Alarm.armed = True
            signal.setitimer(signal.ITIMER_REAL, seconds)
            try:
                return lint()
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                _Alarm.armed = False
        except _FileTimeout:
            return _timed_out(seconds)
        finally:
            self._timing = False
            signal.signal(signal.SIGALRM, previous)

    def _lint_parsed(self, parsed: ParseResult) -> FileResult:
        """Every check on one parsed file; on a file whose front matter is missing or unreadable, those of
        its rules that rest on it are not asked for, so the parse finding saying why stands alone."""
        findings = list(parsed.findings)
        document = parsed.document
        if document is None:
            return FileResult(tuple(findings))
        readable = document.front_matter is not None
        summaries: list[tuple[int, object]] = []
        skipped: set[str] = set()
        for planned in self._plan:
            if readable or not planned.front_matter_rules:
                findings.extend(planned.declared(planned.check.check(document, self.context)))
            else:
                skipped.update(planned.front_matter_rules)
                if planned.needs_front_matter:
                    continue
                found = planned.declared(planned.check.check(document, self.context))
                findings.extend(finding for finding in found if finding.rule not in planned.front_matter_rules)
            if planned.project is not None:
                summaries.append((planned.index, planned.project.summarize(document)))
        suppressions: list[Suppression] = []
        if document.comments:
            suppressions, problems = read_suppressions(document, self.registry)
            findings.extend(problems)
        return FileResult(tuple(findings), tuple(suppressions), tuple(summaries), tuple(sorted(skipped)))

    def _runs(self, check: Check) -> bool:
        return not self.selection.active.isdisjoint(rule.id for rule in check.rules)

    def _finish(self, results: dict[str, FileResult]) -> list[Diagnostic]:
        """Run the project-wide checks, then suppress and place every file's findings."""
        findings_of = {path: list(result.findings) for path, result in results.items()}
        for planned in self._plan:
            if planned.project is None:
                continue
            summaries = {}
            for path, result in results.items():
                for owner, summary in result.summaries:
                    if owner == planned.index:
                        summaries[path] = summary
            for path, finding in planned.project.finish(summaries, self.context):
                findings_of[path].extend(planned.declared([finding]))
        diagnostics: list[Diagnostic] = []
        active = self.selection.active
        for path, result in results.items():
            ran = active.difference(result.skipped) if result.skipped else active
            findings = [finding for finding in findings_of[path] if finding.rule in ran]
            if result.suppressions:
                findings = apply_suppressions(findings, list(result.suppressions), self.as_of, ran)
            diagnostics.extend(self._place(path, findings))
        diagnostics.sort(key=Diagnostic.sort_key)
        return diagnostics

    def _place(self, path: str, findings: list[Finding]) -> list[Diagnostic]:
        placed: list[Diagnostic] = []
        for finding in findings:
            rule = self.registry[finding.rule]
            if rule.id not in self.selection.active:
                continue
            placed.append(
                Diagnostic(
                    path=path,
                    line=finding.line,
                    column=finding.column,
                    rule=rule.id,
                    severity=self.selection.severity.get(rule.id, rule.severity),
                    message=finding.message,
                    end_line=finding.end_line or finding.line,
                    end_column=finding.end_column or finding.column,
                    related=finding.related,
                    fix=finding.fix,
                )
            )
        return placed
