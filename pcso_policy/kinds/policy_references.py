"""policy-references: every policy the text cites is declared, and every declared policy exists.

A citation is text matching one of ``citation_patterns`` (each with a named
group ``id``): "Policy W1000 – Information Management" and, as the bundled
pattern reads them, "see force policy L1200", "procedure P06", "SOP A105"
or "the CCTV Footage Review Procedure (B205)" (the word in any case, the id
in capitals as ids are written; a year and a section number such as "policy
4.2" are not citations). A line of a paragraph that begins with one of
``footer_labels`` ("Policy reference: ... policy (O38)", a footer the text
holds) cites nothing. Each cited id must be listed in the front matter
``references``, and each listed id must be cited and must resolve: to a
document of the run, to a policy file under ``repository_paths`` of the
project (read only when needed, front matter only), or to an entry of the
``register`` of external policies kept in ``checks/``. The footer's policy
reference must name the front matter ``id`` (the whole value, or an id in it
such as "... policy (O38)"); when it names one other id, ``--fix`` writes the
document's own id for it (a safe fix: the front matter id is what the
repository and every citation know the document by). Two documents of one run with the same ``id``
are an error at both. A cited id is reported as undeclared once, at its
first citation; a document citing its own id is not reported.

A pattern may also capture the title written with the id in a named group
``title`` ("Policy W1000 – Information Management"): the words of that title
must begin with the title of the cited policy, as the register or the cited
document of the run gives it, ignoring case and punctuation (words after it,
as in "... Information Management Policy", are allowed).

Options::

    citation_patterns:
      - '\\b(?i:policy|procedure|SOP)\\s+(?P<id>[A-Z]{1,3}\\d{1,5})\\b(?!\\.\\d)(?:\\s+[–—-]\\s+(?P<title>[^()\\n.;]+))?'
      - '\\b(?i:policy|procedure|SOP)\\s+\\((?P<id>[A-Z]{1,3}\\d{1,5})\\)'
    id_pattern: '[A-Z]{1,3}\\d{1,5}'
    footer_labels: [Policy reference]
    repository_paths: [policies]
    register:
      - {id: W1000, title: Information Management}
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pcso_policy import reading
from pcso_policy.check import CheckContext
from pcso_policy.config import DEFAULT_MAX_FILE_SIZE
from pcso_policy.diagnostics import Finding, Position, Severity
from pcso_policy.fixes import Edit, Fix
from pcso_policy.kinds.options import OptionError, options_of
from pcso_policy.model import Document, Field
from pcso_policy.parsing import read_metadata
from pcso_policy.patterns import Pattern, compile_pattern
from pcso_policy.rules import Rule
from pcso_policy.text import normalise_title

KIND = "policy-references"

UNDECLARED = Rule(
    "references/undeclared",
    Severity.ERROR,
    "A policy cited in the text is not listed in the front matter references.",
    "The references list is what tools use to find the policies a change affects and to check that cited "
    "policies exist; a citation missing from it goes unchecked.",
    "Add the id to references in the front matter.",
    "8.1. ... (Policy W1000 – Information Management)   <- W1000 not in references",
    needs_front_matter=True,
)
UNRESOLVED = Rule(
    "references/unresolved",
    Severity.ERROR,
    "A referenced policy is neither in the repository nor in the register of known external policies.",
    "A policy that cites a withdrawn or mistyped policy sends readers to a document that does not exist.",
    "Correct the id, add the policy to the repository, or add it to the register in checks/references.yaml.",
    "references: [W1000, W9999]   <- W9999 is not known",
    needs_front_matter=True,
)
FOOTER_MISMATCH = Rule(
    "references/footer-mismatch",
    Severity.ERROR,
    "The footer's policy reference does not name the front matter id.",
    "Readers and records systems find the policy by the reference its footer prints.",
    "Make the footer name the id, e.g. 'Policy reference: Police community support officers policy (O38)'.",
    "id: O38\nPolicy reference: Police community support officers policy (O39)",
    needs_front_matter=True,
    fixable="safe",
)
DUPLICATE_ID = Rule(
    "references/duplicate-id",
    Severity.ERROR,
    "Two documents have the same id.",
    "Citations, the publishing manifest and the review schedule all key on the id: two documents under one id "
    "make every one of them ambiguous.",
    "Give one of the documents a new id (and update what cites it).",
    "policies/a.md: id: O38\npolicies/b.md: id: O38",
    needs_front_matter=True,
)
UNCITED = Rule(
    "references/uncited",
    Severity.WARNING,
    "A policy listed in references is never cited in the text.",
    "The list and the text disagree: either the citation was removed and the list kept, or the text should say "
    "where the other policy applies.",
    "Cite the policy where it applies, or remove it from references.",
    "references: [W1000, W1012]   <- the text cites only W1000",
    needs_front_matter=True,
)
TITLE_MISMATCH = Rule(
    "references/title-mismatch",
    Severity.WARNING,
    "A citation names the cited policy by a title other than its own.",
    "A title that differs from the cited policy's leaves readers unsure which policy is meant, and often shows a "
    "renamed or renumbered policy.",
    "Write the cited policy's title as the message gives it (from the register or the cited document), or correct "
    "the id. A register title is corrected in checks/.",
    "(Policy W1000 – Records Management)   <- W1000 is 'Information Management'",
)
RULES = (UNDECLARED, UNRESOLVED, FOOTER_MISMATCH, DUPLICATE_ID, UNCITED, TITLE_MISMATCH)


@dataclass(frozen=True, slots=True)
class Options:
    citation_patterns: tuple[str, ...]
    id_pattern: str = r"\b[A-Z]{1,3}\d{1,5}\b"
    footer_labels: tuple[str, ...] = ("Policy reference",)
    repository_paths: tuple[str, ...] = ("policies",)
    register: tuple[Mapping[str, str], ...] = ()
    """Each ``{id, title}``: a policy kept elsewhere that documents may cite."""


@dataclass(frozen=True, slots=True)
class Citation:
    """A policy cited in the text: its id and where it is written, and the title written with it, if any."""

    id: str
    at: Position
    title: str | None = None
    title_at: Position | None = None


@dataclass(frozen=True, slots=True)
class PolicyReferences:
    citation_patterns: tuple[Pattern, ...]
    id_pattern: re.Pattern[str]
    footer_labels: frozenset[str]
    repository_paths: tuple[str, ...]
    register: Mapping[str, str]
    """A line of the text that begins with a footer label ("Policy reference: ... (O38)"): the document's own
    reference written out, not a citation."""
    rules: tuple[Rule, ...] = RULES

    def footer_labels_read(self) -> frozenset[str]:
        return self.footer_labels

    def check(self, document: Document, context: CheckContext) -> Iterator[Finding]:
        own_id = _own_id(document)
        declared = _declared(document)
        cited: set[str] = set()
        for citation in self.citations(document):
            if citation.id == own_id or citation.id in cited:
                continue
            cited.add(citation.id)
            if citation.id not in declared:
                message = f"policy {citation.id} is cited but not listed in references: add it to the front matter"
                yield Finding(UNDECLARED.id, citation.at.line, citation.at.column, message)
        for reference, position in declared.items():
            if reference not in cited:
                message = f"{reference} is listed in references but the text never cites it: cite it or remove it"
                yield Finding(UNCITED.id, position.line, position.column, message)
        yield from self._footer(document, own_id)

    def citations(self, document: Document) -> Iterator[Citation]:
        """Every citation in the paragraphs and list items, block by block, but on their lines that are
        a ``Label: value`` field with a footer label ("Policy reference: ... (O38)" names the document itself)."""
        labelled = {field.line for field in document.labelled if field.key in self.footer_labels}
        for block in document.prose():
            for pattern in self.citation_patterns:
                for match in pattern.finditer(block.text):
                    at = document.position_in(block.line, block.text, match.start("id"))
                    if at.line in labelled:
                        continue
                    title = match.groupdict().get("title")
                    if not title or not title.strip():
                        yield Citation(match["id"], at)
                        continue
                    title_at = document.position_in(block.line, block.text, match.start("title"))
                    yield Citation(match["id"], at, title.strip(), title_at)

    def _footer(self, document: Document, own_id: str | None) -> Iterator[Finding]:
        if own_id is None:
            return
        for field in document.footer:
            if field.key not in self.footer_labels or not field.value:
                continue  # a label left blank is structure/missing-footer-field's
            named = self.id_pattern.findall(field.value)
            if own_id in named or field.value.strip() == own_id:
                continue
            what = f"names {', '.join(named)}" if named else "names no policy id"
            message = f"the footer's policy reference {what} but the front matter id is {own_id}: make them agree"
            fix = self._footer_fix(document, field, own_id) if len(named) == 1 else None
            yield Finding(FOOTER_MISMATCH.id, field.line, field.value_column, message, fix=fix)

    def _footer_fix(self, document: Document, field: Field, own_id: str) -> Fix | None:
        """The one id a footer reference names set to the document's own: safe, since the front matter id
        is what the repository and every citation know the document by."""
        match = self.id_pattern.search(field.value)
        if match is None:
            return None
        at = field.value_position
        line, column = at.line, at.column + match.start()
        source = document.lines[line - 1] if line - 1 < len(document.lines) else ""
        if source[column - 1 : column - 1 + len(match.group())] != match.group():
            return None  # the value is not written as the model gives it (a line break inside it): leave it
        edit = Edit(line, column, line, column + len(match.group()), own_id)
        return Fix(f"write the document's id {own_id} for {match.group()}", (edit,), safe=True)

    def summarize(self, document: Document) -> dict[str, Any]:
        own_id = _own_id(document)
        id_position = document.front_matter.value_position_of(("id",)) if document.front_matter else Position(1, 1)
        references = [[reference, p.line, p.column] for reference, p in _declared(document).items()]
        title = document.meta.get("title")
        titled = [
            [c.id, c.title, c.title_at.line, c.title_at.column]
            for c in self.citations(document)
            if c.title is not None and c.title_at is not None and c.id != own_id
        ]
        return {
            "id": own_id,
            "at": [id_position.line, id_position.column],
            "references": references,
            "title": title if isinstance(title, str) else None,
            "titled": titled,
        }

    def finish(self, summaries: Mapping[str, object], context: CheckContext) -> Iterator[tuple[str, Finding]]:
        by_id: dict[str, list[str]] = defaultdict(list)
        for path, summary in summaries.items():
            if isinstance(summary, dict) and summary["id"]:
                by_id[summary["id"]].append(path)
        yield from _duplicates(by_id, summaries)
        known = set(by_id) | set(self.register)
        repository: set[str] | None = None
        for path, summary in summaries.items():
            if not isinstance(summary, dict):
                continue
            for reference, line, column in summary["references"]:
                if reference in known:
                    continue
                if repository is None:
                    repository = self._repository_ids(context.root, {os.path.realpath(linted) for linted in summaries})
                if reference not in repository:
                    message = (
                        f"{reference} is neither a policy of this repository nor in the register of external policies: "
                        "correct the id or add it to the register in checks/"
                    )
                    yield path, Finding(UNRESOLVED.id, line, column, message)
        yield from self._title_mismatches(by_id, summaries)

    def _title_mismatches(
        self, by_id: Mapping[str, list[str]], summaries: Mapping[str, object]
    ) -> Iterator[tuple[str, Finding]]:
        titles = dict(self.register)
        for policy_id, paths in by_id.items():
            title = summaries[paths[0]].get("title")  # type: ignore[attr-defined]
            if isinstance(title, str) and title.strip():
                titles[policy_id] = title
        for path, summary in summaries.items():
            if not isinstance(summary, dict):
                continue
            for cited_id, cited_title, line, column in summary.get("titled", []):
                title = titles.get(cited_id)
                if title is not None and not title_matches(cited_title, title):
                    message = f"the citation calls {cited_id} '{cited_title}' but its title is '{title}': write '{title}'"
                    yield path, Finding(TITLE_MISMATCH.id, line, column, message)

    def _repository_ids(self, root: Path, linted: set[str]) -> set[str]:
        """The ids of the repository's policies that this run did not lint (those it did are known:
        their files are not read again)."""
        ids: set[str] = set()
        for folder in self.repository_paths:
            for current, dirs, names in os.walk(root / folder):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in names:
                    path = Path(current) / name
                    if name.lower().endswith((".md", ".markdown")) and os.path.realpath(path) not in linted:
                        policy_id = _read_id(path, root)
                        if isinstance(policy_id, str):
                            ids.add(policy_id)
        return ids


def _read_id(path: Path, root: Path) -> object:
    try:
        return read_metadata(reading.read_bytes(path, DEFAULT_MAX_FILE_SIZE, root)).get("id")
    except (reading.Refused, reading.TooLarge):
        return None


def title_matches(cited: str, title: str) -> bool:
    """Whether a cited title's words begin with ``title``'s, ignoring case and punctuation.

    A pattern cannot tell where a title in running text ends, so words after it are allowed.
    """
    cited_words, title_words = normalise_title(cited).split(), normalise_title(title).split()
    return cited_words[: len(title_words)] == title_words


def _duplicates(by_id: Mapping[str, list[str]], summaries: Mapping[str, object]) -> Iterator[tuple[str, Finding]]:
    for policy_id, paths in by_id.items():
        if len(paths) < 2:
            continue
        for path in paths:
            others = ", ".join(other for other in paths if other != path)
            line, column = summaries[path]["at"]  # type: ignore[index]
            message = f"id {policy_id} is also the id of {others}: give each document its own id"
            yield path, Finding(DUPLICATE_ID.id, line, column, message)


def _own_id(document: Document) -> str | None:
    value = document.meta.get("id")
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _declared(document: Document) -> dict[str, Position]:
    references = document.meta.get("references")
    if not isinstance(references, list) or document.front_matter is None:
        return {}
    declared: dict[str, Position] = {}
    for index, reference in enumerate(references):
        if isinstance(reference, str):
            declared.setdefault(reference, document.front_matter.position_of(("references", index)))
    return declared


def build(options: Mapping[str, Any]) -> PolicyReferences:
    given = options_of(Options, options)
    return PolicyReferences(
        citation_patterns=tuple(_citation(pattern, index) for index, pattern in enumerate(given.citation_patterns)),
        id_pattern=re.compile(given.id_pattern),
        footer_labels=frozenset(normalise_title(label) for label in given.footer_labels),
        repository_paths=given.repository_paths,
        register={entry["id"]: entry["title"] for entry in given.register},
    )


def _citation(pattern: str, index: int) -> Pattern:
    """A citation pattern (loading its check file has checked that it compiles), searched only in texts
    holding the words it needs; one without the group ``id`` names no policy, which the schema's test for
    '(?P<id>' cannot tell from '\\(?P<id>'."""
    compiled = compile_pattern(pattern, 0)
    if "id" not in compiled.regex.groupindex:
        raise OptionError(("citation_patterns", index), f"'{pattern}' has no group (?P<id>...) capturing the cited id: add one")
    return compiled
