"""The HTML report in a real browser: headless Debian Chromium through chromedriver.

In CI (``CI`` set) a missing browser fails these tests instead of skipping
them: .ci/run installs chromium and chromium-driver.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pcso_policy.cli import run
from tests import browser

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = "tests/fixtures/reviews"
AS_OF = "2026-11-23"
ALL = ["P1", "O38", "P4", "no-front-matter.md", "P5; draft", "P2", "P3"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        assert run(["report", "--html", str(out), "--as-of", AS_OF, "policies", FIXTURES]) == 0
    return out


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    found = browser.find_or_skip()
    session = browser.start(*found)
    try:
        yield session
    finally:
        session.quit()


def _ids(driver: WebDriver) -> list[str]:
    """The first cell of every visible overview row."""
    rows = driver.find_elements("css selector", "#policies tbody tr")
    return [row.find_element("css selector", "th").text for row in rows if row.is_displayed()]


def _console_errors(driver: WebDriver) -> list[dict[str, Any]]:
    log = driver.get_log("browser")  # type: ignore[no-untyped-call]  # selenium leaves get_log unannotated
    return [entry for entry in log if entry["level"] in ("SEVERE", "ERROR")]


def _open(driver: WebDriver, page: Path) -> None:
    driver.get(browser.url(page))
    driver.get_log("browser")  # type: ignore[no-untyped-call]  # (unannotated) drop anything older than this page


def test_overview_shows_the_policies_with_their_status(driver: WebDriver, site: Path) -> None:
    driver.get(browser.url(site / "index.html"))
    assert driver.title == "Policy reviews and findings"
    assert _ids(driver) == ALL
    kent = driver.find_element("xpath", "//table[@id='policies']/tbody/tr[th='O38']")
    cells = [cell.text for cell in kent.find_elements("css selector", "th, td")]
    assert cells[6] == "Due soon: 69 days left"
    assert cells[7:11] == ["2", "4", "0", "aligned"]
    assert driver.find_element("id", "shown").text == "7 of 7 policies shown"
    assert _console_errors(driver) == []


def test_sorting_by_clicking_and_by_keyboard(driver: WebDriver, site: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    _open(driver, site / "index.html")
    policy = driver.find_element("xpath", "//table[@id='policies']/thead//th[1]")
    policy.find_element("tag name", "button").click()
    assert policy.get_attribute("aria-sort") == "ascending"
    assert _ids(driver) == sorted(ALL, key=str.lower)
    policy.find_element("tag name", "button").send_keys(Keys.ENTER)
    assert policy.get_attribute("aria-sort") == "descending"
    assert _ids(driver) == sorted(ALL, key=str.lower, reverse=True)
    review = driver.find_element("xpath", "//table[@id='policies']/thead//th[7]/button")
    review.send_keys(Keys.SPACE)
    assert _ids(driver) == ALL  # urgency order again
    errors = driver.find_element("xpath", "//table[@id='policies']/thead//th[8]/button")
    errors.click()
    errors.click()
    assert _ids(driver)[0] in ("P1", "P5; draft")  # 14 errors each, the most
    assert _console_errors(driver) == []


def test_filtering_by_text_and_by_review_state(driver: WebDriver, site: Path) -> None:
    from selenium.webdriver.support.ui import Select

    _open(driver, site / "index.html")
    box = driver.find_element("id", "filter-text")
    box.send_keys("partnerships")
    assert _ids(driver) == ["O38", "P2", "P3"]
    assert driver.find_element("id", "shown").text == "3 of 7 policies shown"
    box.clear()
    box.send_keys(" ")  # clear() sends no input event
    Select(driver.find_element("id", "filter-state")).select_by_visible_text("Overdue")
    assert _ids(driver) == ["P1"]
    Select(driver.find_element("id", "filter-state")).select_by_visible_text("All")
    assert _ids(driver) == ALL
    assert _console_errors(driver) == []


def test_policy_page_and_its_link_back(driver: WebDriver, site: Path) -> None:
    _open(driver, site / "index.html")
    driver.find_element("link text", "O38").click()
    assert driver.find_element("tag name", "h1").text == "O38 Police community support officers policy"
    rows = driver.find_elements("css selector", "table tbody tr")
    assert [row.find_element("tag name", "th").text for row in rows][4] == "108:21"
    assert "Date last reviewed: February 2022" in rows[4].text
    driver.find_element("link text", "All policies").click()
    assert driver.find_element("tag name", "h1").text == "Policy reviews and findings"
    assert _console_errors(driver) == []


def test_readable_without_javascript(site: Path) -> None:
    session = browser.start(*browser.find_or_skip(), javascript=False)
    try:
        session.get(browser.url(site / "index.html"))
        assert _ids(session) == ALL
        assert not session.find_element("id", "filters").is_displayed()  # controls that would not work stay hidden
        assert session.find_elements("css selector", "#policies thead button") == []
    finally:
        session.quit()
