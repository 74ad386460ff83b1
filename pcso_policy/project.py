"""One run over a policy repository: configuration, checks, national texts, paths, each policy parsed once.

Every command starts from :meth:`Project.load`. It finds and reads the
configuration, builds the layered check catalogue (bundled rule set plus the
repository's ``checks/``), resolves the rule selection and knows where the
national texts are (read on first use). :meth:`Project.policies` then hands a
command each policy read once and parsed once, with its own findings; the
command keeps what it needs, and :meth:`Engine.finish` runs the project-wide
checks over the whole set.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pcso_policy import config as config_module
from pcso_policy import files, reading
from pcso_policy.cache import Cache, FileResult
from pcso_policy.catalogue import Catalogue
from pcso_policy.catalogue import load as load_catalogue
from pcso_policy.check import Check, CheckContext, footer_labels
from pcso_policy.config import Config
from pcso_policy.diagnostics import Finding
from pcso_policy.engine import Engine, RuleSelection, read_policy
from pcso_policy.errors import ConfigError, UsageError
from pcso_policy.model import Document
from pcso_policy.parsing import ParseResult, markdown_parser, parse_bytes
from pcso_policy.references import Library, References


@dataclass(frozen=True, slots=True)
class Policy:
    """One policy file as a run saw it: its bytes, its parse and what it yields on its own."""

    path: str
    data: bytes | None
    """None when the file could not be read or was too large (``result`` says which)."""
    parsed: ParseResult | None
    result: FileResult

    @property
    def document(self) -> Document | None:
        return self.parsed.document if self.parsed is not None else None

    def problem(self) -> Finding:
        """Why there is no document (its ``document`` is None): the read's finding, else the parser's first."""
        return (self.parsed.findings if self.parsed is not None else self.result.findings)[0]

    def unread_error(self) -> UsageError:
        """The usage error for a policy a command cannot do without (its ``data`` is None)."""
        reason = self.result.findings[0].message.removeprefix("cannot read file: ")
        return UsageError(f"cannot read '{self.path}': {reason}")


@dataclass(slots=True)
class Project:
    config: Config
    catalogue: Catalogue
    selection: RuleSelection
    cwd: Path
    library: Library = field(init=False)
    boundary: Path = field(init=False)
    """What the repository's files must stay inside, links resolved: the git work tree's top, else the root."""

    def __post_init__(self) -> None:
        self.library = Library(self.config.root, bundled=self.config.bundled_references)
        self.boundary = reading.boundary(self.config.root)

    @classmethod
    def load(
        cls, config_file: Path | None = None, select: tuple[str, ...] | None = None, ignore: tuple[str, ...] | None = None
    ) -> Project:
        """The project the working folder belongs to (or ``config_file`` names); ``select`` and
        ``ignore`` replace the configured lists."""
        cwd = Path.cwd()
        config = config_module.load(config_file or config_module.discover(cwd), cwd, named=config_file is not None)
        catalogue = load_catalogue(config)
        return cls(config, catalogue, _selection(catalogue, config, select, ignore), cwd)

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def checks(self) -> tuple[Check, ...]:
        return self.catalogue.checks

    @property
    def footer_labels(self) -> frozenset[str]:
        """What makes a trailing block of lines a footer without a rule (see :func:`pcso_policy.check.footer_labels`)."""
        return footer_labels(self.catalogue.checks)

    def references(self) -> References:
        return self.library.get()

    def paths(self, targets: Iterable[str] = ()) -> list[str]:
        """The policy files of ``targets``, else of the configured paths, as the user would write them."""
        given = tuple(targets) or self.configured_paths()
        return files.collect(given, self.config.exclude, self.root)

    def configured_paths(self) -> tuple[str, ...]:
        shown: list[str] = []
        for path in self.config.paths:
            absolute = self.root / path
            if not reading.contained(absolute, self.boundary):
                message = f"configured path '{path}' is outside the project {self.boundary}: keep policies inside it"
                raise self.config.error_at(path, message)
            if not absolute.exists():
                raise UsageError(f"configured path '{path}' does not exist under {self.root}: give paths on the command line")
            shown.append(os.path.relpath(absolute, self.cwd))
        return tuple(shown)

    def engine(
        self,
        as_of: datetime.date,
        selection: RuleSelection | None = None,
        cache: Cache | None = None,
        jobs: int = 1,
        keep_line_digests: bool = False,
    ) -> Engine:
        """An engine running the catalogue's checks on ``as_of`` (``selection`` narrows the project's)."""
        chosen = selection or self.selection
        context = CheckContext(as_of, self.root, self.library)
        return Engine(
            self.catalogue.registry, self.checks, chosen, as_of, cache=cache, jobs=jobs,
            max_file_size=self.config.max_file_size, context=context, keep_line_digests=keep_line_digests,
            boundary=self.boundary, file_timeout=self.config.file_timeout,
        )

    def cache(
        self, folder: Path | None, selection: RuleSelection, as_of: datetime.date, warn: Callable[[str], object] | None = None
    ) -> Cache | None:
        """The cache, salted with every input besides a file's own bytes that its findings depend on.

        It lives in ``folder`` (what ``--cache-dir`` named) or, by default, in this project's folder of
        the user cache folder (see :func:`pcso_policy.cache.locate`). None when there is none to use:
        a default location refused (``warn`` is told why, in one line) or unavailable (a home folder
        that cannot be written). A named folder that is refused is a usage error.
        """
        from pcso_policy import cache as cache_module

        try:
            location = cache_module.locate(self.root, folder)
        except cache_module.Refused as refused:
            if refused.named:
                raise UsageError(refused.message) from None
            if warn is not None:
                warn(f"pcso-policy: warning: not caching: {refused.message}\n")
            return None
        except cache_module.Unavailable:
            return None
        inputs = [file.path for file in self.catalogue.files]
        inputs += self.library.inputs()
        if self.config.source is not None:
            inputs.append(self.config.source)
        return Cache(location.folder, cache_module.salt(inputs, sorted(selection.active), as_of), location.secret)

    def policies(self, paths: Iterable[str], engine: Engine | None = None, inline: bool = False) -> Iterator[Policy]:
        """Each policy read once and parsed once (``inline`` keeps the inline tokens a renderer needs),
        with what ``engine`` finds in it on its own (hand those to :meth:`Engine.finish`); without an
        engine, only the parser's findings."""
        markdown = markdown_parser(inline=inline)
        labels = engine.footer_labels if engine is not None else self.footer_labels
        for path in paths:
            data = read_policy(path, self.config.max_file_size, self.boundary)
            if isinstance(data, FileResult):
                yield Policy(path, None, None, data)
                continue
            parsed = parse_bytes(path, data, markdown, labels)
            result = engine.lint_parsed(parsed) if engine is not None else FileResult(tuple(parsed.findings))
            yield Policy(path, data, parsed, result)

    def documents(self, paths: Iterable[str], inline: bool = False) -> Iterator[tuple[str, Document | None]]:
        """Each policy's model, parsed once; a file that cannot be read is a usage error naming it."""
        for policy in self.policies(paths, inline=inline):
            if policy.data is None:
                raise policy.unread_error()
            yield policy.path, policy.document


def _selection(
    catalogue: Catalogue, config: Config, select: tuple[str, ...] | None, ignore: tuple[str, ...] | None
) -> RuleSelection:
    """The rules a run uses: the command line's lists, else the configuration's, which must name known rules."""
    registry = catalogue.registry
    for selector in (*config.select, *config.ignore, *config.severity):
        try:
            registry.check_selector(selector)
        except UsageError as error:
            if config.source is None:
                raise
            raise ConfigError(str(config.source), config.line_of(selector), str(error)) from None
    return RuleSelection.build(
        registry,
        select=config.select if select is None else select,
        ignore=config.ignore if ignore is None else ignore,
        severity=config.severity,
    )
