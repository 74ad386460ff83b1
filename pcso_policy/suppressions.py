"""Inline suppressions: ``<!-- pcso-policy: disable=group/name reason="..." -->``.

A suppression silences the named rules on the next block of the Markdown (a
paragraph, a list, a heading, a table). Every exception must be justified and
visible: a suppression without a reason, one past its ``until=`` date (judged
on the ``--as-of`` date) and one that silenced nothing are each reported.
"""

from __future__ import annotations

import datetime
import re
import shlex
from collections.abc import Collection
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
        target = _next_block(document.blocks, comment)
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
    active = [s for s in suppressions if s.until is None or s.until >= as_of]
    kept: list[Finding] = []
    for finding in findings:
        covering = [s for s in active if s.covers(finding)] if finding.rule not in UNSUPPRESSIBLE else []
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


def _next_block(blocks: list[Block], comment: Comment) -> Block | None:
    for block in blocks:
        if block.line > comment.end_line and block.kind != "html_block":
            return block
    return None


def _parse(body: str, comment: Comment, target: Block | None, known_rules: Collection[str]) -> Suppression | Finding:
    def invalid(why: str) -> Finding:
        return Finding("parse/suppression-invalid", comment.line, comment.column, f"suppression comment {why}")

    try:
        words = shlex.split(body.strip())
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
