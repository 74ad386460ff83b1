"""Shared by the rendering tests: the fixtures, rendering them, and the outside programs."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pcso_policy.render import Rendered, render_bytes

ROOT = Path(__file__).resolve().parents[2]
KENT = ROOT / "policies" / "kent" / "o38-police-community-support-officers.md"
CONSTRUCTS = ROOT / "tests" / "fixtures" / "render" / "constructs.md"
CLEAN = ROOT / "tests" / "fixtures" / "publish" / "t100-body-worn-video.md"


@functools.cache
def rendered(path: Path) -> Rendered:
    return render_bytes(str(path.relative_to(ROOT)), path.read_bytes())


def program(name: str) -> str:
    """The path of an outside program; in CI (CI set) its absence fails, elsewhere it skips with the reason."""
    found = shutil.which(name)
    if found:
        return found
    message = f"'{name}' is not installed: .ci/run installs it (apt-get); install it to run this reader's test"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def to_pdf(docx: Path, work: Path) -> Path:
    """Convert with LibreOffice in a fresh user profile, as a publishing office would open it."""
    soffice = program("soffice")
    profile = (work / "lo-profile").as_uri()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(docx)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = work / (docx.stem + ".pdf")
    assert result.returncode == 0 and pdf.is_file(), f"LibreOffice failed: {result.stdout}\n{result.stderr}"
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    result = subprocess.run([program("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = result.stdout.split("\f")
    return [page for page in pages if page.strip()]
