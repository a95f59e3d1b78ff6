"""The HTML report in a real browser, as a reviewer uses it: sort a column, filter to `not met`, open a
plan, read what is on the screen. Runs Debian's chromium through chromedriver, which the README's test
command installs (as .ci/run does); on a machine without them these tests fail, saying so, unless left
out on purpose with `-m "not browser"`. A screenshot of each step is saved in test-artifacts/ (or
$PLANLINT_TEST_ARTIFACTS)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from prerequisites import missing
from click.testing import CliRunner

from planlint.cli import main
from verdict_plans import louisiana, write_batch

ARTIFACTS = Path(os.environ.get("PLANLINT_TEST_ARTIFACTS") or Path(__file__).parent.parent / "test-artifacts")
BROWSERS = ("chromium", "chromium-browser", "google-chrome")

pytestmark = pytest.mark.browser


def _browser() -> tuple[str, str]:
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    driver = shutil.which("chromedriver") or next(
        (p for p in ("/usr/lib/chromium/chromedriver", "/usr/bin/chromedriver") if os.path.exists(p)), None)
    if browser is None or driver is None:
        missing("no Chromium and chromedriver on this machine: apt-get install chromium chromium-driver (Debian), "
                'or leave these tests out with -m "not browser"')
    return browser, driver


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory):
    browser, driver_path = _browser()
    from selenium import webdriver  # the test extra installs it
    from selenium.webdriver.chrome.service import Service

    folder = write_batch(tmp_path_factory.mktemp("review") / "submissions")
    hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script> Parish'
    (folder / "hostile.yaml").write_text(louisiana(**{"name: Cypress Parish School System": f"name: '{hostile}'"}),
                                         encoding="utf-8")
    report = folder.parent / "report.html"
    result = CliRunner().invoke(main, ["check", "--no-config", "--no-cache", "-f", "html", "-o", str(report),
                                       str(folder)])
    assert result.exit_code == 1, result.output
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1300,1000",
                     "--disable-dev-shm-usage"):
        options.add_argument(argument)
    try:
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
    except Exception as exc:  # noqa: BLE001 - a browser that is installed but cannot start here
        missing(f"Chromium is installed but does not start here: {str(exc).splitlines()[0]}")
    driver.get(report.as_uri())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver, hostile, report.as_uri()
    driver.quit()


def _open(driver, address: str) -> None:
    """Load the report afresh and wait until it has loaded, so nothing acts on a page being replaced."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")
    driver.get(address)
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
        and d.find_elements(By.CSS_SELECTOR, "#matrix tbody tr"))


def _rows(driver) -> list:
    from selenium.webdriver.common.by import By

    return [row for row in driver.find_elements(By.CSS_SELECTOR, "#matrix tbody tr") if row.is_displayed()]


def _systems(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [row.find_element(By.CSS_SELECTOR, "a.sys").text for row in _rows(driver)]


def test_a_reviewer_sorts_filters_and_opens_a_plan(page) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver, hostile, _ = page
    assert driver.title.startswith("Plan review")
    # The plans to send back come first: the unreadable file fails every criterion.
    assert _systems(driver)[0] == "(no system name)"
    assert "6 plans checked" in driver.find_element(By.CLASS_NAME, "cards").text.replace("\n", " ")

    plan_header = driver.find_element(By.XPATH, "//table[@id='matrix']//th[normalize-space()='Plan']")
    plan_header.find_element(By.TAG_NAME, "button").click()
    assert plan_header.get_attribute("aria-sort") == "ascending"
    names = _systems(driver)
    assert names == sorted(names, key=str.lower)
    plan_header.find_element(By.TAG_NAME, "button").click()
    assert _systems(driver) == sorted(names, key=str.lower, reverse=True)

    Select(driver.find_element(By.ID, "f-verdict")).select_by_visible_text("not met")
    not_met = set(_systems(driver))
    assert not_met == {"(no system name)", "Bayou Teche Parish Schools", "Sabine River Parish Schools"}
    assert driver.find_element(By.ID, "shown").text == "Showing 3 of 6 plans"
    Select(driver.find_element(By.ID, "f-criterion")).select_by_visible_text("Manageable")
    assert set(_systems(driver)) == {"(no system name)", "Bayou Teche Parish Schools"}
    driver.save_screenshot(str(ARTIFACTS / "report-filtered.png"))

    driver.find_element(By.LINK_TEXT, "Bayou Teche Parish Schools").click()
    plan = driver.find_element(By.CSS_SELECTOR, "details.plan[open]")
    seen = plan.text
    assert "Bayou Teche Parish Schools (036)" in seen
    assert "Manageable: not met MKR001" in seen
    assert "The plan has 8 mission measures; keep fewer than 8." in seen
    absence = plan.find_element(By.XPATH, ".//figure[contains(., 'Percent of students chronically absent')]")
    assert absence.find_element(By.CSS_SELECTOR, "svg.chart").is_displayed()
    assert "baseline 18.6 (2019) · projection 24.9 (2026) · target 12 (2026) · lower is better" in absence.text
    assert absence.find_element(By.CSS_SELECTOR, "svg.chart use").get_attribute("href") == "#better-down"
    assert "- id: chronic-absence" in seen  # the source line of the finding on that measure
    driver.execute_script("arguments[0].scrollIntoView()", absence)
    driver.save_screenshot(str(ARTIFACTS / "report-plan.png"))


def test_a_system_name_cannot_run_a_script(page) -> None:
    from selenium.webdriver.common.by import By
    driver, hostile, address = page
    _open(driver, address)
    driver.find_element(By.ID, "f-search").send_keys("pwned")
    assert _systems(driver) == [hostile]
    assert driver.execute_script("return window.pwned === undefined") is True
    assert driver.find_elements(By.CSS_SELECTOR, "#matrix img, #matrix script") == []


def test_the_overview_screenshot(page) -> None:
    driver, _, address = page
    _open(driver, address)
    driver.save_screenshot(str(ARTIFACTS / "report-overview.png"))
    assert (ARTIFACTS / "report-overview.png").stat().st_size > 10_000
