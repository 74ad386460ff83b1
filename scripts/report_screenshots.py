"""Screenshots of the HTML report, for a person to look at: the overview and each policy's page.

Builds the report of the bundled policies (and any PATHs given) in a temporary
folder, opens it in headless Debian Chromium and saves full-page PNGs:

    python3 scripts/report_screenshots.py --out screenshots [--as-of 2026-11-23] [PATH...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pcso_policy.cli import run  # noqa: E402
from tests import browser  # noqa: E402

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver


def _full_page(session: WebDriver, target: Path) -> None:
    height = session.execute_script("return document.documentElement.scrollHeight")
    # A headless window cannot grow past the virtual screen; the emulated viewport can.
    metrics = {"width": 1280, "height": max(900, int(height)), "deviceScaleFactor": 1, "mobile": False}
    session.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    session.save_screenshot(str(target))
    session.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, required=True, help="Folder for the PNG files.")
    parser.add_argument("--as-of", default="2026-11-23", help="The date the report judges on.")
    parser.add_argument("paths", nargs="*", default=["policies"])
    args = parser.parse_args(argv)
    found = browser.find()
    if found is None:
        print("report_screenshots: chromium and chromedriver are needed (apt-get install chromium chromium-driver)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        if run(["report", "--html", str(site), "--as-of", args.as_of, *args.paths]) != 0:
            return 1
        session = browser.start(*found)
        try:
            for page in [site / "index.html", *sorted((site / "policies").glob("*.html"))]:
                session.get(browser.url(page))
                name = "index" if page.name == "index.html" else f"policy-{page.stem}"
                _full_page(session, args.out / f"{name}.png")
                print(args.out / f"{name}.png")
        finally:
            session.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
