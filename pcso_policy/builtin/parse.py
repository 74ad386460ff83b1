"""``parse/*``: a file that cannot be read as a policy.

The parser (:mod:`pcso_policy.parsing`, :mod:`pcso_policy.frontmatter`)
raises these; this module only declares them.
"""

from __future__ import annotations

from pcso_policy.diagnostics import Severity
from pcso_policy.rules import Rule

ERROR = Severity.ERROR

RULES = (
    Rule(
        "parse/unreadable",
        ERROR,
        "The file could not be read (permission denied, vanished, or a device).",
        "A policy the gate cannot read is a policy nobody checked.",
        "Make the file readable by the user running pcso-policy, or exclude its path in the configuration.",
        "policies/kent/o38.md:1:1: error parse/unreadable cannot read file: permission denied",
    ),
    Rule(
        "parse/too-large",
        ERROR,
        "The file is larger than the configured limit (max_file_size_mb, default 5 MB) and was not parsed.",
        "A policy is a few kilobytes; a file of megabytes is an export, a log or an embedded image, and parsing it "
        "would slow every run of the gate. The limit keeps time and memory bounded whatever a repository holds.",
        "Split the document, move the file out of the policy folders or exclude it, or raise max_file_size_mb "
        "in [tool.pcso-policy].",
        "policies/archive/all-policies-2019.md:1:1: error parse/too-large file is larger than 5 MB and was not parsed",
    ),
    Rule(
        "parse/timeout",
        ERROR,
        "Linting the file took longer than the configured limit (file_timeout_seconds, default 60) and was "
        "stopped, so none of its other findings are reported.",
        "A file built to make a pattern backtrack, or a check meet its worst case, could otherwise hold up "
        "every run of the gate (one pull request with such a file would stall CI for hours); the limit keeps "
        "each file's time bounded whatever it holds. A policy of ordinary size lints in well under a second.",
        "Look for what makes the file unusual (a line of hundreds of thousands of characters, a long run of "
        "one character, tens of thousands of list items or comments) and split or remove it; a force's own "
        "pattern in checks/ that meets such text can be rewritten. Raise file_timeout_seconds in "
        "[tool.pcso-policy] only for a machine that is truly slow.",
        "policies/o38.md:1:1: error parse/timeout linting this file took longer than 60 seconds and was stopped",
    ),
    Rule(
        "parse/empty",
        ERROR,
        "The file is empty or holds only white space.",
        "An empty file in the policy folder is usually a failed save or a forgotten placeholder.",
        "Write the policy, or delete the file.",
        "A zero-byte file 'policies/new.md'.",
    ),
    Rule(
        "parse/binary",
        ERROR,
        "The file holds NUL bytes: it is binary (a Word document renamed .md, an image), not Markdown.",
        "Binary files cannot be reviewed, diffed or published as policy text.",
        "Convert the document to Markdown, or keep binaries out of the policy folder.",
        "A .docx saved as 'policies/o38.md'.",
    ),
    Rule(
        "parse/encoding",
        ERROR,
        "The file is not valid UTF-8; the finding points at the first byte that cannot be decoded.",
        "Text pasted from Word is often saved as Windows-1252; its curly quotes and dashes then become "
        "garbage in every tool that reads the policy as UTF-8.",
        "Re-save the file as UTF-8 (for example 'iconv -f WINDOWS-1252 -t UTF-8 old.md > new.md').",
        "A byte 0x92 (a Windows-1252 apostrophe) in 'Kent Police\\x92s policy'.",
    ),
    Rule(
        "parse/missing-front-matter",
        ERROR,
        "The file does not start with YAML front matter between '---' lines.",
        "The front matter holds the policy's id, owner, status and review dates that every other check relies on.",
        "Start the file with a '---' line, the policy's keys, and a closing '---' line.",
        "---\nid: O38\ntitle: Police community support officers policy\nowner: Head of Partnerships\n"
        "status: approved\nlast_reviewed: \"2025-01\"\nnext_review: \"2027-01\"\nreview_cycle_months: 24\n---",
    ),
    Rule(
        "parse/unclosed-front-matter",
        ERROR,
        "The front matter opened with '---' on the first line is never closed.",
        "Without the closing line the whole policy would be read as YAML.",
        "Add a '---' line after the last front-matter key.",
        "---\nid: O38\n# Police community support officers policy   <- no closing '---' above",
    ),
    Rule(
        "parse/yaml-syntax",
        ERROR,
        "The front matter is not valid YAML; the finding points at the line and column where the YAML parser stopped. "
        "Also YAML that is valid but cannot be read safely: lists and mappings nested more than 50 levels deep, "
        "or an integer of more digits than Python converts (4,300 by default).",
        "Invalid front matter means none of the policy's metadata can be checked.",
        "Correct the YAML at the place shown: a missing space after a colon, an unclosed quote, a bad indent; "
        "write deep structures flat, and quote a very long number to make it text.",
        "title: \"Police community support officers policy   <- unclosed quote",
    ),
    Rule(
        "parse/front-matter-not-mapping",
        ERROR,
        "The front matter is empty, a list or a single value instead of 'key: value' lines.",
        "The front-matter contract is a mapping of named keys.",
        "Write the front matter as 'key: value' lines.",
        "---\n- O38\n- Police community support officers policy\n---",
    ),
    Rule(
        "parse/yaml-tag",
        ERROR,
        "The front matter uses a YAML tag that would construct an object (such as '!!python/object').",
        "Tags that build objects are a well-known way to run code from a data file; a linter must never do it.",
        "Remove the tag and write a plain string, number, list or mapping.",
        "owner: !!python/object/apply:os.system ['true']",
    ),
    Rule(
        "parse/yaml-alias",
        ERROR,
        "The front matter uses YAML anchors, aliases or merge keys.",
        "Aliases can multiply a small file into gigabytes of data ('billion laughs') and hide what a key really says.",
        "Write each value out in full.",
        "owner: &o Head of Partnerships\napproved_by: *o",
    ),
)
