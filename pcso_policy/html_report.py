"""``pcso-policy report --html DIR``: a static, self-contained site for a force's policy unit.

Pages: ``index.html`` (every policy with its status, owner, review dates and
position, findings by severity and alignment status; reviews due over the
next two years) and ``policies/<id>.html`` (one per policy, its findings at
their lines with the line's text). No server and no network: CSS is inline,
and a little inline JavaScript only adds sorting and filtering to a table
that reads fully without it. Status is written in words, never only colour.

The folder is built beside ``DIR`` and swapped in whole, so a reader never
sees half a report; an existing ``DIR`` is only replaced when it is empty or
holds a report written by this command and nothing else (it carries a marker
file, and only the pages a report writes: a pull request can plant the
marker, but a folder holding a policy, or anything else, is never replaced).

Everything a policy controls (file names, YAML values, its text) is shown
escaped twice over: :func:`pcso_policy.sanitise.shown` (control characters,
bidirectional controls and a name's bytes that are not UTF-8 written
``\\x1b``, ``\\u202e``, ``\\xff``), then :func:`html.escape`. Each page carries
a strict Content-Security-Policy: nothing may load, and only its own inline
style and script run, named by their SHA-256 hashes.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pcso_policy import align_report, reviews
from pcso_policy.atomic import write_atomic
from pcso_policy.cache import FileResult
from pcso_policy.dates import PartialDate
from pcso_policy.diagnostics import Diagnostic, Severity
from pcso_policy.errors import PcsoPolicyError, UsageError
from pcso_policy.kinds.alignment import AlignmentCheck
from pcso_policy.model import Document
from pcso_policy.project import Project
from pcso_policy.sanitise import shown

MARKER = ".pcso-policy-report"
HORIZON_MONTHS = 24
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@dataclass(slots=True)
class PolicyPage:
    review: reviews.Review
    page: str
    """File name under ``policies/``."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    alignments: list[dict[str, Any]] = field(default_factory=list)
    """Each ``aligns_with`` entry compared point by point, as ``pcso-policy align --format json`` gives it."""
    alignment_error: str | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.severity is severity)

    def alignment(self) -> str:
        if self.alignment_error is not None:
            return "not compared"
        if not self.alignments:
            return "none declared"
        drifted = sum(1 for entry in self.alignments if entry["status"] != "aligned")
        return "aligned" if not drifted else f"drift in {drifted} of {len(self.alignments)}"


def build_pages(project: Project, paths: list[str], as_of: datetime.date) -> list[PolicyPage]:
    """A page per policy, each read and parsed once: its review, findings, lines and alignments."""
    from pcso_policy.commands.align import aligner

    engine = project.engine(as_of)
    soon = reviews.due_soon_days_of(project.checks)
    check = aligner(project)
    results: dict[str, FileResult] = {}
    pages: list[PolicyPage] = []
    taken: set[str] = set()
    for policy in project.policies(paths, engine):
        results[policy.path] = policy.result
        if policy.data is None:
            problem = reviews.unread_reason(policy.result.findings[0], project.config.max_file_size)
            review, lines = reviews.unknown_review(policy.path, problem), []
        else:
            review = reviews.review_of(policy.path, policy.data, as_of, soon, policy.document)
            lines = _lines(policy.data)
        page = PolicyPage(review, _page_name(review, taken))
        page.lines = lines
        if lines:
            _compare(page, policy.document, check, project)
        pages.append(page)
    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in engine.finish(results).diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    for page in pages:
        page.diagnostics = sorted(by_path.get(page.review.path, []), key=Diagnostic.sort_key)
    return sorted(pages, key=lambda page: page.review.urgency())


def _lines(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _compare(page: PolicyPage, document: Document | None, check: AlignmentCheck, project: Project) -> None:
    """The same comparison as ``pcso-policy align``; a broken reference text is shown, not fatal."""
    try:
        page.alignments = align_report.file_report(page.review.path, document, check, project.references())["alignments"]
    except PcsoPolicyError as error:
        page.alignment_error = str(error)


def _page_name(review: reviews.Review, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", (review.id or Path(review.path).stem).lower()).strip("-") or "policy"
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}-{number}"
    taken.add(name)
    return f"{name}.html"


# Rendering ----------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:0 auto;max-width:75rem;padding:1rem 1.5rem;
color:#1b1b1b;background:#fff;line-height:1.45}
a{color:#1d4f91}a:focus,button:focus,input:focus,select:focus{outline:3px solid #ffbf47;outline-offset:1px}
table{border-collapse:collapse;width:100%;margin:1rem 0}caption{text-align:left;font-weight:600;padding:.4rem 0}
th,td{border:1px solid #b1b4b6;padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f3f2f1}td.num{text-align:right}td.date,code.rule{white-space:nowrap}
.state{font-weight:600;padding:0 0 0 .3rem;border-left:.4rem solid transparent}
.overdue{border-color:#d4351c}.due-soon{border-color:#f47738}.scheduled{border-color:#00703c}
.unknown{border-color:#505a5f}.withdrawn{border-color:#b1b4b6}
.error{color:#a4230f;font-weight:600}.warning{color:#8a4500;font-weight:600}
code,pre{font-family:ui-monospace,Consolas,monospace;font-size:.9em;white-space:pre-wrap;word-break:break-word}
[hidden]{display:none!important}.controls{display:flex;gap:1rem;flex-wrap:wrap;align-items:end}
.controls label{display:block;font-weight:600}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit;text-align:left}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
"""

# Sorting and filtering only: without it every row shows, in urgency order.
_SCRIPT = """
(function(){
var table=document.getElementById('policies');if(!table)return;
var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows),status=document.getElementById('shown');
var box=document.getElementById('filters');box.hidden=false;
var text=document.getElementById('filter-text'),state=document.getElementById('filter-state');
function key(row,i){var c=row.cells[i];return c.hasAttribute('data-sort')?c.getAttribute('data-sort'):c.textContent.trim().toLowerCase();}
function apply(){var q=text.value.trim().toLowerCase(),s=state.value,n=0;
rows.forEach(function(r){var ok=(!q||r.textContent.toLowerCase().indexOf(q)>=0)&&(!s||r.getAttribute('data-state')===s);
r.hidden=!ok;if(ok)n++;});status.textContent=n+' of '+rows.length+(rows.length===1?' policy':' policies')+' shown';}
text.addEventListener('input',apply);state.addEventListener('change',apply);
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
var b=document.createElement('button');b.type='button';b.textContent=th.textContent;th.textContent='';th.appendChild(b);
b.addEventListener('click',function(){var asc=th.getAttribute('aria-sort')!=='ascending';
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(o){o.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',asc?'ascending':'descending');
rows.sort(function(a,b){var x=key(a,i),y=key(b,i),nx=parseFloat(x),ny=parseFloat(y);
var d=(!isNaN(nx)&&!isNaN(ny)&&String(nx)===x&&String(ny)===y)?nx-ny:x.localeCompare(y);return asc?d:-d;});
rows.forEach(function(r){body.appendChild(r);});});});
apply();})();
"""


def _e(text: object) -> str:
    return html.escape(shown(str(text)), quote=True)


def _hash(source: str) -> str:
    """A CSP source expression allowing exactly this inline style or script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(script: str = "") -> str:
    """Nothing loads (no network, no images, fonts, frames or forms); only the page's own inline CSS and script apply."""
    scripts = _hash(script) if script else "'none'"
    return f"default-src 'none'; style-src {_hash(_CSS)}; script-src {scripts}; base-uri 'none'; form-action 'none'"


def _page(title: str, body: str, script: str = "") -> str:
    tail = f"<script>{script}</script>\n" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(script)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}{tail}</body>\n</html>\n"
    )


def _date(date: PartialDate | None) -> str:
    return reviews.date_text(date) or "not stated"


def _state_cell(review: reviews.Review) -> str:
    css = review.state.replace(" ", "-")
    sort = str(review.urgency()[0] * 100000 + (review.days or 0) + 50000)
    return f'<td data-sort="{sort}"><span class="state {css}">{_e(review.state.capitalize())}</span>: {_e(review.when())}</td>'


def _overview_row(page: PolicyPage) -> str:
    review = page.review
    name = review.id or Path(review.path).name
    cells = [
        f'<th scope="row"><a href="policies/{_e(page.page)}">{_e(name)}</a></th>',
        f"<td>{_e(review.title or 'not stated')}</td>",
        f"<td>{_e(review.owner or 'not stated')}</td>",
        f"<td>{_e(review.status or 'not stated')}</td>",
        f'<td class="date">{_e(_date(review.last_reviewed))}</td>',
        f'<td class="date" data-sort="{_e(review.due.isoformat() if review.due else "9999")}">{_e(_date(review.next_review))}</td>',
        _state_cell(review),
        *(f'<td class="num">{page.count(severity)}</td>' for severity in SEVERITIES),
        f"<td>{_e(page.alignment())}</td>",
    ]
    return f'<tr data-state="{_e(review.state)}">' + "".join(cells) + "</tr>\n"


def _overview(pages: list[PolicyPage], as_of: datetime.date, soon: int) -> str:
    headers = ("Policy", "Title", "Owner", "Status", "Last reviewed", "Next review", "Review", "Errors", "Warnings", "Infos", "Alignment")
    head = "".join(f'<th scope="col">{_e(header)}</th>' for header in headers)
    options = "".join(f'<option value="{_e(state)}">{_e(state.capitalize())}</option>' for state in reviews.STATES)
    filters = (
        '<div id="filters" class="controls" hidden>\n'
        '<div><label for="filter-text">Filter policies</label><input id="filter-text" type="search"></div>\n'
        f'<div><label for="filter-state">Review</label><select id="filter-state"><option value="">All</option>{options}</select></div>\n'
        '<p id="shown" role="status" aria-live="polite"></p>\n</div>\n'
    )
    rows = "".join(_overview_row(page) for page in pages)
    counts = Counter(page.review.state for page in pages)
    summary = ", ".join(f"{counts[state]} {state}" for state in reviews.STATES)
    return (
        f"<h2>Policies</h2>\n<p>{len(pages)} {'policy' if len(pages) == 1 else 'policies'} on {as_of.isoformat()}: {_e(summary)}. "
        f"A review is due soon within {soon} days of its due date; a month-only next review is due by the end of that month.</p>\n"
        f"{filters}<table id=\"policies\">\n<caption>Policies, most urgent review first</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
    )


def _quarter(date: datetime.date) -> str:
    return f"{date.year} Q{(date.month - 1) // 3 + 1} ({['January', 'April', 'July', 'October'][(date.month - 1) // 3]} to " + (
        f"{['March', 'June', 'September', 'December'][(date.month - 1) // 3]})"
    )


def _timeline(pages: list[PolicyPage], as_of: datetime.date) -> str:
    end = reviews.window_end(as_of, f"{HORIZON_MONTHS}m")
    due = [page for page in pages if page.review.due is not None and page.review.state != reviews.WITHDRAWN and page.review.due <= end]
    due.sort(key=lambda page: (page.review.due, page.review.path))
    heading = f"<h2>Reviews due by {end.isoformat()}</h2>\n"
    if not due:
        return heading + "<p>No review falls due in the next two years.</p>\n"
    rows = []
    for page in due:
        review = page.review
        assert review.due is not None
        period = "Overdue" if review.state == reviews.OVERDUE else _quarter(review.due)
        rows.append(
            f'<tr><td>{_e(period)}</td><td class="date">{_e(review.due.isoformat())}</td>'
            f'<th scope="row"><a href="policies/{_e(page.page)}">{_e(review.id or review.path)}</a> {_e(review.title or "")}</th>'
            f"<td>{_e(review.owner or 'not stated')}</td>{_state_cell(review)}</tr>\n"
        )
    head = "".join(f'<th scope="col">{header}</th>' for header in ("Period", "Due by", "Policy", "Owner", "Review"))
    return (
        heading + _chart(due, as_of, end) + "<table>\n<caption>Reviews in date order, overdue first</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table>\n"
    )


def _chart(due: list[PolicyPage], as_of: datetime.date, end: datetime.date) -> str:
    """A bar per quarter: how many reviews fall due in it. The table below says the same in words."""
    quarters: list[tuple[int, int]] = []
    year, quarter = as_of.year, (as_of.month - 1) // 3
    while (year, quarter) <= (end.year, (end.month - 1) // 3):
        quarters.append((year, quarter))
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
    counts: Counter[tuple[int, int]] = Counter()
    for page in due:
        when = max(page.review.due or as_of, as_of)
        counts[(when.year, (when.month - 1) // 3)] += 1
    top = max(counts.values(), default=1)
    width, bar, height = 60, 44, 120
    parts = []
    for index, key in enumerate(quarters):
        count = counts.get(key, 0)
        size = round(height * count / top)
        x = index * width + 8
        parts.append(
            f'<rect x="{x}" y="{height - size + 20}" width="{bar}" height="{size}" fill="#1d4f91"></rect>'
            f'<text x="{x + bar / 2}" y="{height + 16 - size}" text-anchor="middle" font-size="12">{count}</text>'
            f'<text x="{x + bar / 2}" y="{height + 36}" text-anchor="middle" font-size="11">{key[0]} Q{key[1] + 1}</text>'
        )
    total_width = len(quarters) * width + 16
    label = "Reviews due per quarter: " + ", ".join(f"{key[0]} Q{key[1] + 1}: {counts.get(key, 0)}" for key in quarters)
    return (
        f'<figure><svg role="img" aria-labelledby="chart-title" width="{total_width}" height="{height + 44}" '
        f'viewBox="0 0 {total_width} {height + 44}"><title id="chart-title">{_e(label)}</title>'
        f'{"".join(parts)}</svg><figcaption>Reviews due per quarter (overdue reviews count in the current quarter)</figcaption></figure>\n'
    )


def render_index(pages: list[PolicyPage], as_of: datetime.date, soon: int) -> str:
    body = (
        "<header><h1>Policy reviews and findings</h1>\n"
        f"<p>Generated by pcso-policy for {as_of.isoformat()}.</p></header>\n<main>\n"
        + _overview(pages, as_of, soon)
        + _timeline(pages, as_of)
        + "</main>\n"
    )
    return _page("Policy reviews and findings", body, _SCRIPT)


def render_policy(page: PolicyPage, as_of: datetime.date) -> str:
    review = page.review
    name = review.id or Path(review.path).name
    title = f"{name} {review.title or ''}".strip()
    facts = [
        ("File", review.path),
        ("Owner", review.owner or "not stated"),
        ("Status", review.status or "not stated"),
        ("Last reviewed", _date(review.last_reviewed)),
        ("Next review", _date(review.next_review)),
        ("Review", f"{review.state.capitalize()}: {review.when()}" + (f" (due by {review.due.isoformat()})" if review.due else "")),
        ("Alignment", page.alignment()),
    ]
    details = "".join(f"<dt>{_e(term)}</dt><dd>{_e(value)}</dd>\n" for term, value in facts)
    body = (
        '<nav><a href="../index.html">All policies</a></nav>\n<main>\n'
        f"<h1>{_e(title)}</h1>\n<dl>\n{details}</dl>\n<h2>Findings</h2>\n{_findings(page, as_of)}"
        f"{_alignment_section(page)}</main>\n"
    )
    return _page(f"{title}: policy report", body)


def _findings(page: PolicyPage, as_of: datetime.date) -> str:
    if not page.diagnostics:
        return f"<p>No findings on {as_of.isoformat()}.</p>\n"
    counts = ", ".join(f"{page.count(severity)} {severity.value}{'s' if page.count(severity) != 1 else ''}" for severity in SEVERITIES)
    head = "".join(f'<th scope="col">{header}</th>' for header in ("Line", "Severity", "Rule", "Finding", "Text at the line"))
    rows = []
    for diagnostic in page.diagnostics:
        text = page.lines[diagnostic.line - 1] if 0 < diagnostic.line <= len(page.lines) else ""
        rows.append(
            f'<tr id="finding-{diagnostic.line}-{diagnostic.column}"><th scope="row">{diagnostic.line}:{diagnostic.column}</th>'
            f'<td class="{diagnostic.severity.value}">{_e(diagnostic.severity.value.capitalize())}</td>'
            f'<td><code class="rule">{_e(diagnostic.rule)}</code></td><td>{_e(diagnostic.message)}</td>'
            f"<td><code>{_e(text.strip())}</code></td></tr>\n"
        )
    return (
        f"<p>{_e(counts)}.</p>\n<table>\n<caption>Findings by line</caption>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n{''.join(rows)}</tbody>\n</table>\n"
    )


def _alignment_section(page: PolicyPage) -> str:
    if page.alignment_error is not None:
        return f"<h2>Alignment with national texts</h2>\n<p>Could not be compared: {_e(page.alignment_error)}</p>\n"
    if not page.alignments:
        return ""
    return "<h2>Alignment with national texts</h2>\n" + "".join(_alignment_entry(entry) for entry in page.alignments)


def _alignment_entry(entry: dict[str, Any]) -> str:
    where = f"Section {entry['section']}" + (f" (line {entry['line']})" if entry["line"] else "")
    if entry["status"] == "unknown-source":
        unknown = f"{_e(entry['source'])} version {_e(entry['version'])} is not registered in references/"
        return f"<h3>{_e(where)}</h3>\n<p>Not compared: {unknown}.</p>\n"
    current = "current" if entry["current_version"] == entry["version"] else f"not current: {entry['current_version']} is newer"
    head = f"<h3>{_e(where)} against {_e(entry['publisher'])} ‘{_e(entry['title'])}’, version {_e(entry['version'])} ({_e(current)})</h3>\n"
    if entry["status"] == "section-not-found":
        return head + f"<p>The document has no section {_e(entry['section'])}.</p>\n"
    counts = ", ".join(f"{count} {status.replace('_', ' ')}" for status, count in entry["counts"].items() if count)
    rows = []
    for row in entry["points"]:
        local = "<br>".join(f"line {item['line']}: {_e(item['text'])}" for item in row["local"]) or "(missing)"
        changes = "".join(f"<br>‘{_e(change['national'])}’ → ‘{_e(change['local'])}’" for change in row["changes"])
        moved = " (out of order)" if row["out_of_order"] else ""
        rows.append(
            f'<tr><th scope="row">{row["number"] or "+"}</th><td>{_e(row["status"].capitalize())}{moved}{changes}</td>'
            f"<td>{_e(row['national'] or '(not in the national text)')}</td><td>{local}</td></tr>\n"
        )
    head_cells = "".join(f'<th scope="col">{name}</th>' for name in ("Point", "Comparison", "National text", "This policy"))
    return (
        head + f"<p>{_e(entry['status'].capitalize())}: {_e(counts)}.</p>\n<table>\n<caption>{_e(where)}, point by point</caption>\n"
        f"<thead><tr>{head_cells}</tr></thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table>\n"
    )


def render_site(pages: list[PolicyPage], as_of: datetime.date, soon: int) -> dict[str, str]:
    """Every file of the site by its relative path."""
    site = {"index.html": render_index(pages, as_of, soon), MARKER: "Written by pcso-policy report --html; safe to replace.\n"}
    for page in pages:
        site[f"policies/{page.page}"] = render_policy(page, as_of)
    return site


# Writing --------------------------------------------------------------------------------------------


def write_site(out: Path, site: dict[str, str]) -> None:
    """Build the site beside ``out``, then swap it in whole."""
    name = shown(str(out))
    if out.exists() and not out.is_dir():
        raise UsageError(f"'{name}' is a file: give a folder for the report")
    if out.exists() and not _replaceable(out):
        raise UsageError(f"'{name}' is not empty and was not written by 'pcso-policy report': choose a new or empty folder")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"cannot write '{name}': folder '{shown(str(parent))}' does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write '{name}': folder '{shown(str(parent))}' is not writable: give --html another folder")
    try:
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{out.name}.", suffix=".tmp"))
    except OSError as error:
        raise UsageError(f"cannot write '{name}': {error.strerror or error}") from None
    try:
        for relative, text in site.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, text)
            target.chmod(0o644)  # a published artefact, not a private file (mkstemp makes 0600)
        staging.chmod(0o755)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _replaceable(out: Path) -> bool:
    """An empty folder, or one holding an earlier report and nothing else: its marker and its pages."""
    if not out.is_dir() or out.is_symlink():
        return False
    entries = list(out.iterdir())
    if entries and not (out / MARKER).is_file():
        return False
    for entry in entries:
        if entry.is_symlink():
            return False
        if entry.name == "policies" and entry.is_dir():
            if any(page.suffix != ".html" or page.is_symlink() or not page.is_file() for page in entry.iterdir()):
                return False
        elif entry.name not in (MARKER, "index.html") or not entry.is_file():
            return False
    return True


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.replace(staging, out)
        return
    old = Path(tempfile.mkdtemp(dir=out.parent if str(out.parent) else ".", prefix=f".{out.name}.", suffix=".old"))
    old.rmdir()
    os.replace(out, old)
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
