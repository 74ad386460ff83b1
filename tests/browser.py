"""Headless Debian Chromium through its chromedriver, for the HTML report's browser tests and screenshots.

Uses only the system's /usr/bin/chromium and /usr/bin/chromedriver (installed
by .ci/run), never a downloaded browser or driver.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

CHROMIUM = ("chromium", "chromium-browser")


def find() -> tuple[str, str] | None:
    """Paths of the browser and its driver, or None when either is missing."""
    browser = next((found for name in CHROMIUM if (found := shutil.which(name))), None)
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def find_or_skip() -> tuple[str, str]:
    """:func:`find`, or the test skips (fails under CI) saying what to install."""
    from tests.support import missing

    found = find()
    if found is None:
        missing("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    return found


def start(browser: str, driver: str, javascript: bool = True, width: int = 1280, height: int = 900) -> WebDriver:
    """A headless Chromium WebDriver that records console messages."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--window-size={width},{height}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def url(path: Path) -> str:
    return path.resolve().as_uri()
