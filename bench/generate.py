"""Write N realistic, deterministic policies shaped like the Kent PCSO policy.

Each has front matter, numbered sections with numbered paragraphs, bullet
lists, dates in prose, a table, citations and a footer; a few carry the
defects real policies have (a contradicting footer date, an old marking), so
the checks do real work. Usage: python bench/generate.py N FOLDER
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
SUBJECTS = [
    "Stop and search",
    "Body-worn video",
    "Missing persons",
    "Vehicle pursuits",
    "Firearms licensing",
    "Custody",
    "Domestic abuse",
    "Anti-social behaviour",
    "Neighbourhood policing",
    "Use of force",
]
SENTENCES = [
    "Officers and staff must record their decisions and the reasons for them at the time they are made.",
    "Supervisors should ensure that each member of the team maximises the time spent within the community.",
    "The force works with partners including District and Parish Councils, Housing Associations and schools.",
    "Where incidents are outside their authority, staff should seek to prevent escalation until relieved.",
    "This policy applies to Police Community Support Officers (PCSOs), police officers and their supervisors.",
    "Training is provided during initial foundation training and is refreshed every year.",
]
SECTIONS = [
    "Marking",
    "Amendments",
    "Applicability",
    "Policy",
    "Financial implications",
    "Equality impact",
    "Review",
    "Data protection",
    "Retention",
]


def policy(number: int, rng: random.Random) -> str:
    year = rng.randint(2021, 2025)
    month = rng.randint(1, 12)
    subject = rng.choice(SUBJECTS)
    last = f"{MONTHS[month - 1]} {year}"
    footer_date = last if number % 7 else f"{MONTHS[(month + 3) % 12]} {year - 2}"
    marking = "OFFICIAL" if number % 11 else "Not protectively marked"
    body = [f"# {subject} policy", ""]
    for index, title in enumerate(SECTIONS, start=1):
        body += [f"## {index}. {title}", ""]
        if title == "Marking":
            body += [f"{index}.1. {marking}.", ""]
            continue
        if title == "Amendments":
            body += [f"{index}.1. This policy was reviewed in {last} and the following amendments have been made:", ""]
            body += [f"- Update to {subject.lower()} guidance.", "- Update to supervision arrangements.", ""]
            continue
        if title == "Review":
            next_review = f"{MONTHS[month - 1]} {year + 2}"
            body += [f"{index}.1. This policy will be reviewed every two years. The next review will take place in {next_review}.", ""]
            continue
        count = rng.randint(1, 4)
        for paragraph in range(1, count + 1):
            body += [f"{index}.{paragraph}. " + " ".join(rng.sample(SENTENCES, 3)), ""]
        if title == "Policy":
            body += ["| Role | Grade | Role code |", "| --- | --- | --- |"]
            body += [f"| {rng.choice(SUBJECTS)} officer | Grade {rng.choice('BCDE')} | SDV{rng.randint(100, 999)} |" for _ in range(4)]
            body += ["", *(f"- {sentence}" for sentence in rng.sample(SENTENCES, 4)), ""]
        if title == "Data protection":
            body += [
                f"{index}.{count + 1}. Data is held in accordance with the Information Management Policy "
                "(Policy W1000 – Information Management).",
                "",
            ]
    body += [
        "---",
        "",
        f"Policy reference: {subject} policy (P{number:05d})",
        "Contact point: Head of Policy",
        f"Date last reviewed: {footer_date}",
        "",
    ]
    front = [
        "---",
        f"id: P{number:05d}",
        f"title: {subject} policy {number}",
        "force: Example Constabulary",
        "owner: Head of Policy",
        "status: approved",
        f'last_reviewed: "{year}-{month:02d}"',
        f'next_review: "{year + 2}-{month:02d}"',
        "review_cycle_months: 24",
        "equality_impact: medium",
        "references: [W1000]",
        "amendments:",
        f'  - date: "{year}-{month:02d}"',
        f"    summary: Update to {subject.lower()} guidance.",
        "---",
        "",
    ]
    return "\n".join(front + body)


def generate(count: int, folder: Path) -> None:
    rng = random.Random(20261123)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, count + 1):
        (folder / f"p{number:05d}.md").write_text(policy(number, rng), encoding="utf-8")


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
