"""Reading YAML front matter safely, with the position of every key.

Only PyYAML's safe constructors are used, so tags that build Python objects
are refused. Timestamps are not resolved: ``2025-01-06`` stays the string the
author wrote, which the front-matter schema then checks. Anchors and aliases
are refused outright, which also rules out "billion laughs" expansion.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from pcso_policy.diagnostics import Finding, Position, Related, one_based
from pcso_policy.model import FrontMatter, KeyPath

try:
    # yaml.cyaml takes CParser from here too; the stubs declare it only here.
    from yaml._yaml import CParser as _Parser

    class _FrontMatterLoader(_Parser, SafeConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    # The same loader, pure Python: one of the two definitions is made.
    class _FrontMatterLoader(Reader, Scanner, Parser, Composer, SafeConstructor, Resolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)


_EVENT_LOADER = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
"""For reading events again where the node tree has lost a position (aliases, anchors)."""

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}


MAX_DEPTH = 50
"""The deepest nesting of lists and mappings read. A policy's front matter nests three deep, a check
file nine; libyaml's composer recurses once per level, and a file of 100,000 '[' overflows its stack."""
_NESTING = "[{-:?"
"""Every list or mapping starts at one of these characters (a flow bracket, a block entry's '-',
a key's ':' or '?'), so a text holding fewer of them than :data:`MAX_DEPTH` cannot nest deeper."""


@dataclass(frozen=True, slots=True)
class FrontMatterResult:
    front_matter: FrontMatter | None
    findings: list[Finding]


class _Walker:
    """Collects key positions and refuses aliases and duplicate keys."""

    def __init__(self, line_offset: int, label: str) -> None:
        self.line_offset = line_offset
        self.label = label
        self.positions: dict[KeyPath, Position] = {}
        self.value_positions: dict[KeyPath, Position] = {}
        self.findings: list[Finding] = []
        self._seen: set[int] = set()
        self._first: dict[KeyPath, Position] = {}
        """Where each key was first written (``positions`` follows the last, the value YAML keeps)."""

    def position(self, node: Node) -> Position:
        mark = node.start_mark
        return one_based(mark.line + self.line_offset, mark.column)

    def walk(self, node: Node, path: KeyPath) -> None:
        if id(node) in self._seen:
            if any(finding.rule == "parse/yaml-alias" for finding in self.findings):
                return  # one finding says it; thousands of aliases would only bury it
            pos = self.position(node)
            self.findings.append(
                Finding(
                    "parse/yaml-alias",
                    *self._alias_place(path, pos),
                    f"anchors and aliases are not allowed in {self.label}: write the value out in full",
                )
            )
            return
        self._seen.add(id(node))
        if isinstance(node, MappingNode):
            self._walk_mapping(node, path)
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                item_path = (*path, index)
                self.positions[item_path] = self.position(item)
                self.value_positions[item_path] = self.position(item)
                self.walk(item, item_path)

    def _alias_place(self, path: KeyPath, fallback: Position) -> tuple[int, int]:
        pos = self.positions.get(path, fallback)
        return pos.line, pos.column

    def _walk_mapping(self, node: MappingNode, path: KeyPath) -> None:
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                pos = self.position(key_node)
                message = f"merge keys ('<<') are not allowed in {self.label}: write the keys out"
                self.findings.append(Finding("parse/yaml-alias", pos.line, pos.column, message))
                continue
            key = key_node.value if isinstance(key_node, ScalarNode) else str(key_node.value)
            key_path = (*path, key)
            if key_path in self._first:
                self._duplicate(key, key_path, key_node)
            else:
                self._first[key_path] = self.position(key_node)
            self.positions[key_path] = self.position(key_node)
            self.value_positions[key_path] = self.position(value_node)
            self.walk(value_node, key_path)

    def _duplicate(self, key: str, key_path: KeyPath, key_node: Node) -> None:
        first = self._first[key_path]
        pos = self.position(key_node)
        self.findings.append(
            Finding(
                "front-matter/duplicate-key",
                pos.line,
                pos.column,
                f"key '{key}' is given twice (first at line {first.line}); YAML keeps only the last: remove one",
                related=(Related(first.line, first.column, f"'{key}' first given here"),),
            )
        )


def read_front_matter(source: str, first_line: int, last_line: int, label: str = "front matter") -> FrontMatterResult:
    """Read the YAML mapping ``source`` that stands after file line ``first_line`` (1-based).

    ``first_line`` is the line of the opening ``---`` (0 for a whole YAML
    file); the YAML starts on the next. ``label`` names the YAML in messages.
    """
    line_offset = first_line  # 0-based index of the first YAML line
    deep = _too_deep(source, line_offset, label)
    if deep is not None:
        return FrontMatterResult(None, [deep])
    loader = _FrontMatterLoader(source)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        return FrontMatterResult(None, [_yaml_error("parse/yaml-syntax", error, line_offset, label)])
    except yaml.YAMLError as error:
        return FrontMatterResult(None, [Finding("parse/yaml-syntax", max(first_line, 1), 1, f"{label} is not valid YAML: {error}")])
    if node is None or not isinstance(node, MappingNode):
        return FrontMatterResult(None, [_not_mapping(node, first_line, line_offset, label)])
    walker = _Walker(line_offset, label)
    walker.walk(node, ())
    if any(f.rule == "parse/yaml-alias" for f in walker.findings):
        return FrontMatterResult(None, _at_first_alias(walker.findings, source, line_offset))
    anchor = _first_anchor(source, line_offset, label) if "&" in source else None
    if anchor is not None:
        return FrontMatterResult(None, [anchor])
    try:
        data: Any = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        return FrontMatterResult(None, [*walker.findings, _yaml_error("parse/yaml-tag", error, line_offset, label)])
    except ValueError:  # an integer of more digits than Python converts (sys.get_int_max_str_digits())
        return FrontMatterResult(None, [*walker.findings, _too_long_number(node, line_offset, first_line, label)])
    finally:
        loader.dispose()
    front_matter = FrontMatter(
        data={str(key): value for key, value in data.items()},
        start_line=first_line,
        end_line=last_line,
        positions=walker.positions,
        value_positions=walker.value_positions,
    )
    return FrontMatterResult(front_matter, walker.findings)


def _too_deep(source: str, line_offset: int, label: str) -> Finding | None:
    """The finding for lists and mappings nested deeper than :data:`MAX_DEPTH`, read from the parser's
    events (libyaml's parser keeps its own stack; only composing the nodes recurses)."""
    if sum(source.count(character) for character in _NESTING) <= MAX_DEPTH:
        return None
    message = f"{label} nests lists and mappings more than {MAX_DEPTH} levels deep: write it as 'key: value' lines and short lists"
    depth = 0
    try:
        for event in yaml.parse(source, Loader=_EVENT_LOADER):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    assert event.start_mark is not None  # the parser marks every event
                    pos = one_based(event.start_mark.line + line_offset, event.start_mark.column)
                    return Finding("parse/yaml-syntax", pos.line, pos.column, message)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as error:
        # libyaml 0.2.5 (PyYAML 6.0.4's wheels) refuses flow nesting beyond 1,000 while scanning ahead,
        # before it yields the events above: find the same place by counting the brackets.
        if "maximum nesting depth" not in str(error):
            return None  # reading it again reports the error
        deep = _deep_flow_bracket(source)
        if deep is not None:
            pos = one_based(deep[0] + line_offset, deep[1])
            return Finding("parse/yaml-syntax", pos.line, pos.column, message)
    return None


def _deep_flow_bracket(source: str) -> tuple[int, int] | None:
    """The 0-based line and column of the first '[' or '{' that nests more than :data:`MAX_DEPTH`
    collections deep, outside quoted text and comments, counting the front matter's own mapping as
    the parser's events do."""
    depth, quote = 1, ""
    for line_number, text in enumerate(source.split("\n")):
        column = 0
        while column < len(text):
            character = text[column]
            if quote:
                if character == "\\" and quote == '"':
                    column += 1
                elif character == quote:
                    quote = ""
            elif character in "'\"":
                quote = character
            elif character == "#" and (column == 0 or text[column - 1] in " \t"):
                break
            elif character in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return line_number, column
            elif character in "]}":
                depth -= 1
            column += 1
    return None


def _too_long_number(node: Node, line_offset: int, first_line: int, label: str) -> Finding:
    """The finding for the first integer too long to convert (more than 4,300 digits by default): Python
    refuses them, since converting one costs time growing with the square of its length."""
    limit = sys.get_int_max_str_digits()
    stack = [node] if limit else []
    while stack:
        current = stack.pop()
        digits = sum(character.isdigit() for character in current.value) if isinstance(current, ScalarNode) else 0
        if current.tag == _INT_TAG and digits > limit:
            pos = one_based(current.start_mark.line + line_offset, current.start_mark.column)
            message = (
                f"{label} holds a number of {digits:,} digits, more than the {limit:,} a number may have: "
                "shorten it, or quote it to make it text"
            )
            return Finding("parse/yaml-syntax", pos.line, pos.column, message)
        if isinstance(current, MappingNode):
            stack.extend(item for pair in reversed(current.value) for item in reversed(pair))
        elif isinstance(current, SequenceNode):
            stack.extend(reversed(current.value))
    message = f"{label} holds a value too long to read: shorten it"
    return Finding("parse/yaml-syntax", max(first_line, 1), 1, message)


_INT_TAG = "tag:yaml.org,2002:int"


def _first_anchor(source: str, line_offset: int, label: str) -> Finding | None:
    """An anchor with no alias: harmless today, but the start of what the contract refuses."""
    for event in yaml.parse(source, Loader=_EVENT_LOADER):
        if isinstance(event, yaml.NodeEvent) and event.anchor:
            assert event.start_mark is not None  # the parser marks every event
            pos = one_based(event.start_mark.line + line_offset, event.start_mark.column)
            message = f"anchors and aliases are not allowed in {label}: remove the '&{event.anchor}' anchor"
            return Finding("parse/yaml-alias", pos.line, pos.column, message)
    return None


def _at_first_alias(findings: list[Finding], source: str, line_offset: int) -> list[Finding]:
    """Point the alias finding at the first alias as written.

    The composed node tree hands back the anchored node itself for an alias,
    so only the parser's events still know where the alias was written.
    """
    for event in yaml.parse(source, Loader=_EVENT_LOADER):
        if isinstance(event, yaml.AliasEvent):
            assert event.start_mark is not None  # the parser marks every event
            pos = one_based(event.start_mark.line + line_offset, event.start_mark.column)
            return [
                Finding(f.rule, pos.line, pos.column, f.message) if f.rule == "parse/yaml-alias" and "merge" not in f.message else f
                for f in findings
            ]
    return findings


def _yaml_error(rule: str, error: yaml.MarkedYAMLError, line_offset: int, label: str) -> Finding:
    # A key written without the space after its colon ('status:draft') makes the scanner stop
    # at the next line; the line it was reading when it began the key is where the mistake is.
    simple_key = bool(error.context and "simple key" in error.context)
    mark = (error.context_mark if simple_key else None) or error.problem_mark or error.context_mark
    pos = one_based(mark.line + line_offset, mark.column) if mark else Position(line_offset, 1)
    problem = error.problem or "invalid YAML"
    if rule == "parse/yaml-tag":
        message = f"{label} uses a YAML tag that is not allowed ({problem}): use plain strings, numbers, lists and mappings"
    else:
        context = f" {error.context}" if error.context else ""
        message = f"{label} is not valid YAML: {problem}{context}"
    return Finding(rule, pos.line, pos.column, message)


def _not_mapping(node: Node | None, first_line: int, line_offset: int, label: str) -> Finding:
    if node is None:
        return Finding("parse/front-matter-not-mapping", max(first_line, 1), 1, f"{label} is empty: write its keys as 'key: value' lines")
    kind = "a list" if isinstance(node, SequenceNode) else "a single value"
    pos = one_based(node.start_mark.line + line_offset, node.start_mark.column)
    message = f"{label} is {kind}, not a mapping of keys to values: write 'key: value' lines"
    return Finding("parse/front-matter-not-mapping", pos.line, pos.column, message)
