"""Inline suppressions: ``<!-- pcso-policy: disable=group/name reason="..." -->``.

A suppression silences the named rules on the next block of the Markdown (a
paragraph, a list, a heading, a table). Every exception must be justified and
visible: a suppression without a reason, one past its ``until=`` date (judged
on the ``--as-of`` date) and one that silenced nothing are each reported.
"""

from __future__ import annotations

import bisect
import datetime
import re
import shlex
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from pcso_policy.diagnostics import Finding, Severity
from pcso_policy.model import Block, Comment, Document
from pcso_policy.rules import Rule, unknown_rule_message

_NEAR_MISS = re.compile(r"^<!--\s*pcso[\s_-]*policy\b(?=.*\bdisable\b)", re.IGNORECASE | re.DOTALL)
"""A comment meant as a suppression but mistyped ('PCSO-Policy', no colon): it would silently do nothing."""
_DIRECTIVE = re.compile(r"^<!--\s*pcso-policy\s*:(?P<body>.*?)-->\s*$", re.DOTALL)

RULES = (
    Rule(
        "parse/suppression-invalid",
        Severity.ERROR,
        "A 'pcso-policy:' comment that cannot be understood: no 'disable=', an unknown rule id, a bad 'until=' date, "
        "or an unknown attribute.",
        "A suppression that silently does nothing leaves its author believing a finding is handled.",
        "Write it as <!-- pcso-policy: disable=group/name reason=\"why\" until=YYYY-MM-DD -->; "
        "'pcso-policy rules' lists the rule ids.",
        "<!-- pcso-policy: disable=review/overdo reason=\"...\" -->   -> disable=review/overdue",
    ),
    Rule(
        "parse/suppression-no-reason",
        Severity.ERROR,
        "A suppression without a reason=\"...\".",
        "In a compliance tool every exception is justified where a reviewer can read it.",
        "Add reason=\"...\" saying why the finding does not apply here.",
        "<!-- pcso-policy: disable=marking/legacy-marking -->\n"
        "-> <!-- pcso-policy: disable=marking/legacy-marking reason=\"quoted from the 2012 original\" -->",
    ),
    Rule(
        "parse/suppression-expired",
        Severity.WARNING,
        "A suppression whose until= date has passed; it no longer silences anything.",
        "Temporary exceptions must end; the finding it silenced is reported again.",
        "Fix the finding and remove the suppression, or renew it with a new date and reason.",
        "<!-- pcso-policy: disable=review/overdue reason=\"review board in March\" until=2026-03-31 -->",
    ),
    Rule(
        "parse/suppression-unused",
        Severity.WARNING,
        "A suppression that silenced no finding on the block it names.",
        "Stale suppressions hide future findings and mislead readers about what is exempt.",
        "Remove the suppression, or move it to just before the block with the finding.",
        "<!-- pcso-policy: disable=terminology/substitution reason=\"...\" -->\n4.1. A text with no such term.",
    ),
)

UNSUPPRESSIBLE = frozenset(rule.id for rule in RULES)


@dataclass(slots=True)
class Suppression:
    comment: Comment
    rules: tuple[str, ...]
    reason: str | None
    until: datetime.date | None
    first_line: int
    last_line: int
    used: bool = field(default=False)

    def covers(self, finding: Finding) -> bool:
        return finding.rule in self.rules and self.first_line <= finding.line <= self.last_line


def read_suppressions(
    document: Document, known_rules: Collection[str]
) -> tuple[list[Suppression], list[Finding]]:
    """The document's suppressions, and findings about malformed ones."""
    suppressions: list[Suppression] = []
    problems: list[Finding] = []
    targets = _Targets(document.blocks)
    for comment in document.comments:
        match = _DIRECTIVE.match(comment.text)
        if not match:
            if _NEAR_MISS.match(comment.text):
                message = (
                    "this comment looks like a suppression but is not one: write it as "
                    '<!-- pcso-policy: disable=group/name reason="..." --> (lower case, with the colon)'
                )
                problems.append(Finding("parse/suppression-invalid", comment.line, comment.column, message))
            continue
        target = targets.after(comment)
        result = _parse(match.group("body"), comment, target, known_rules)
        if isinstance(result, Suppression):
            suppressions.append(result)
        else:
            problems.append(result)
    return suppressions, problems


def apply_suppressions(
    findings: list[Finding],
    suppressions: list[Suppression],
    as_of: datetime.date,
    ran: Collection[str],
) -> list[Finding]:
    """Drop suppressed findings; add findings about the suppressions themselves."""
    active = _Index([s for s in suppressions if s.until is None or s.until >= as_of])
    kept: list[Finding] = []
    for finding in findings:
        covering = active.covering(finding) if finding.rule not in UNSUPPRESSIBLE else []
        for suppression in covering:
            suppression.used = True
        if not covering:
            kept.append(finding)
    for suppression in suppressions:
        kept.extend(_audit(suppression, as_of, ran))
    return kept


def _audit(suppression: Suppression, as_of: datetime.date, ran: Collection[str]) -> list[Finding]:
    line, column = suppression.comment.line, suppression.comment.column
    names = ", ".join(suppression.rules)
    found: list[Finding] = []
    if not suppression.reason:
        found.append(Finding("parse/suppression-no-reason", line, column, f"suppression of {names} gives no reason: add reason=\"...\""))
    if suppression.until is not None and suppression.until < as_of:
        found.append(
            Finding(
                "parse/suppression-expired",
                line,
                column,
                f"suppression of {names} expired on {suppression.until.isoformat()}: fix the finding or renew the suppression",
            )
        )
    elif not suppression.used and all(rule in ran for rule in suppression.rules):
        found.append(
            Finding(
                "parse/suppression-unused",
                line,
                column,
                f"suppression of {names} silences nothing on lines {suppression.first_line}-{suppression.last_line}: remove it",
            )
        )
    return found


class _Index:
    """The suppressions of each rule, found for a finding by a binary search on its line.

    A suppression covers the lines of one block; those of different blocks do not overlap, so of the
    groups covering the same lines, sorted, the last starting at or before a line is the only one
    that can cover it. Should lines ever overlap, every suppression of the rule is asked, as before.
    """

    def __init__(self, suppressions: list[Suppression]) -> None:
        spans: dict[str, dict[tuple[int, int], list[Suppression]]] = {}
        for suppression in suppressions:
            for rule in suppression.rules:
                spans.setdefault(rule, {}).setdefault((suppression.first_line, suppression.last_line), []).append(suppression)
        self.by_rule: dict[str, tuple[list[int], list[int], list[list[Suppression]]] | list[Suppression]] = {}
        for rule, groups in spans.items():
            ordered = sorted(groups.items())
            disjoint = all(ordered[i][0][1] < ordered[i + 1][0][0] for i in range(len(ordered) - 1))
            if disjoint:
                self.by_rule[rule] = ([span[0] for span, _ in ordered], [span[1] for span, _ in ordered], [g for _, g in ordered])
            else:
                self.by_rule[rule] = [s for s in suppressions if rule in s.rules]

    def covering(self, finding: Finding) -> Sequence[Suppression]:
        entry = self.by_rule.get(finding.rule)
        if entry is None:
            return ()
        if isinstance(entry, list):
            return [s for s in entry if s.covers(finding)]
        firsts, lasts, groups = entry
        index = bisect.bisect_right(firsts, finding.line) - 1
        return groups[index] if index >= 0 and finding.line <= lasts[index] else ()


class _Targets:
    """The block each suppression applies to: the first after the comment that is not a comment itself."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.lines = [block.line for block in blocks]
        self.ordered = all(self.lines[i] <= self.lines[i + 1] for i in range(len(self.lines) - 1))
        # For each block, the index of the first block from it on that is not an HTML block (len when none).
        following = [len(blocks)] * (len(blocks) + 1)
        for index in range(len(blocks) - 1, -1, -1):
            following[index] = index if blocks[index].kind != "html_block" else following[index + 1]
        self.following = following

    def after(self, comment: Comment) -> Block | None:
        if not self.ordered:  # the parser lists blocks in file order; anything else is searched in full
            return next((b for b in self.blocks if b.line > comment.end_line and b.kind != "html_block"), None)
        index = self.following[bisect.bisect_right(self.lines, comment.end_line)]
        return self.blocks[index] if index < len(self.blocks) else None


_PLAIN_WORD = re.compile(r'(?:[^ \t\r\n"]+|"[^"]*")+')


def split_words(body: str) -> list[str]:
    """``shlex.split(body)``: the attributes of a suppression, a quoted value kept whole.

    Written out for the usual case (double quotes, no backslash or single quote), where it gives what
    shlex gives at a hundredth of the time: shlex reads a character at a time in Python, and
    tens of thousands of suppressions in one file took seconds to read.
    """
    if "\\" in body or "'" in body:
        return shlex.split(body)
    if body.count('"') % 2:
        raise ValueError("No closing quotation")
    return [word.replace('"', "") for word in _PLAIN_WORD.findall(body)]


def _parse(body: str, comment: Comment, target: Block | None, known_rules: Collection[str]) -> Suppression | Finding:
    def invalid(why: str) -> Finding:
        return Finding("parse/suppression-invalid", comment.line, comment.column, f"suppression comment {why}")

    try:
        words = split_words(body.strip())
    except ValueError:
        return invalid("has an unclosed quote: write reason=\"...\" with both quotes")
    attributes: dict[str, str] = {}
    for word in words:
        key, equals, value = word.partition("=")
        if not equals or key not in ("disable", "reason", "until"):
            return invalid(f"has '{word}', which is not disable=, reason= or until=")
        attributes[key] = value
    if not attributes.get("disable"):
        return invalid("names no rule: write disable=group/name")
    rules = tuple(rule.strip() for rule in attributes["disable"].split(",") if rule.strip())
    for rule in rules:
        if rule not in known_rules:
            return invalid(f"names an unknown rule: {unknown_rule_message(rule, known_rules)}")
        if rule in UNSUPPRESSIBLE:
            return invalid(f"cannot disable {rule}: suppressions are themselves never suppressed")
    until = None
    if "until" in attributes:
        try:
            until = datetime.date.fromisoformat(attributes["until"])
        except ValueError:
            return invalid(f"has until={attributes['until']!r}: write a date as YYYY-MM-DD")
    if target is None:
        return invalid("is not followed by any block to apply to: move it just before the block")
    return Suppression(comment, rules, attributes.get("reason") or None, until, target.line, target.end_line)
