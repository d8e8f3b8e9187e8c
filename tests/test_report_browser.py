"""The HTML report in a real headless browser (Debian chromium driven by Selenium).

`make test` installs chromium and chromium-driver when it can (root, apt); without them, or
without the selenium package, these tests skip with the reason. Selenium is given
/usr/bin/chromedriver explicitly, so Selenium Manager never downloads anything.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from divergence import compare
from divergence.report import render

from .conftest import FIXTURES, ROOT

CHROMIUM = os.environ.get("DIVERGENCE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("DIVERGENCE_CHROMEDRIVER", "/usr/bin/chromedriver")
SCREENSHOT = ROOT / "docs" / "report-screenshot.png"

HOSTILE = (
    "Officials met <script>window.__pwned=1</script> on Tuesday to discuss the treaty. "
    'The envoy said " onmouseover="window.__pwned=1" x=" nothing else. '
    'A photo <img src=x onerror="window.__pwned=1"> was attached to the statement. '
    "Spreadsheet users typed =cmd() and | pipes | into the record."
)
PLAIN = "Officials met on Tuesday to discuss the treaty. The ministry declined to comment later."


def _driver():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip(
            f"chromium not available ({CHROMIUM}, {CHROMEDRIVER}); "
            "install with: apt-get install -y chromium chromium-driver (make test does, as root)"
        )
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium not installed (pip install -e '.[test]')"
    )
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="divergence-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
        "--window-size=1440,1000",
    ):
        options.add_argument(flag)
    try:
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    except Exception as exc:  # a broken install: say why instead of failing obscurely
        shutil.rmtree(profile, ignore_errors=True)
        pytest.skip(f"chromium did not start: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    return driver, profile


@pytest.fixture(scope="module")
def browser():
    driver, profile = _driver()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _load(browser, tmp_path, html: str):
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    browser.get(page.resolve().as_uri())
    return page


def test_columns_gaps_and_hover_in_browser(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    comp = compare([FIXTURES / "first-call"], embedder="hashing", threshold=0.5)
    _load(browser, tmp_path, render(comp, "html"))
    heads = browser.find_elements(By.CSS_SELECTOR, "#aligned .grid .hd[data-source]")
    assert [h.get_attribute("data-source") for h in heads] == [s.id for s in comp.sources]
    # columns really are side by side: same top, increasing left
    tops = {h.rect["y"] for h in heads}
    lefts = [h.rect["x"] for h in heads]
    assert len(tops) == 1 and lefts == sorted(lefts) and len(set(lefts)) == len(lefts)
    gaps = browser.find_elements(By.CSS_SELECTOR, "#aligned .c.gap.omitted")
    assert len(gaps) == len(comp.omissions())
    gap = gaps[0]
    # "omitted", and below it the source's nearest claim on the topic when it has one
    lines = gap.text.splitlines()
    assert gap.is_displayed() and lines[0] == "omitted" and len(lines) <= 2
    assert len(lines) == 1 or lines[1].startswith("nearest, score ")  # its content: test_report
    bg = gap.value_of_css_property("background-image")
    assert "gradient" in bg  # the hatched highlight is applied
    rows = browser.find_elements(By.CSS_SELECTOR, "#aligned .row")
    assert len(rows) == len(comp.groups)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#coverage .matrix a.m")) == len(
        comp.groups
    ) * len(comp.sources)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#topics td.h")) == len(comp.topics) * len(
        comp.sources
    )
    # hovering a claim shows its group across sources in the detail panel
    omitted_group = comp.omissions()[0].group
    cell = browser.find_element(By.CSS_SELECTOR, f'.row[data-group="{omitted_group}"] .c.claim')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    ActionChains(browser).move_to_element(cell).perform()
    panel = browser.find_element(By.ID, "detail")
    assert panel.is_displayed()
    assert omitted_group in panel.text and "omits it" in panel.text
    # no request left the page: every resource is the page itself
    entries = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert entries == []


def test_article_text_cannot_run_script(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    comp = compare(
        [
            {"id": "evil", "source": 'Evil <script>window.__pwned=1</script>"', "text": HOSTILE},
            {"id": "plain", "source": "Plain", "text": PLAIN},
        ],
        embedder="hashing",
        threshold=0.5,
    )
    _load(browser, tmp_path, render(comp, "html"))
    for cell in browser.find_elements(By.CSS_SELECTOR, "#aligned .c.claim"):
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
        ActionChains(browser).move_to_element(cell).click().perform()
    for img in browser.find_elements(By.TAG_NAME, "img"):
        pytest.fail(f"an <img> from the article became an element: {img.get_attribute('src')}")
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "<script>window.__pwned=1</script>" in body  # shown as text, not run
    assert '" onmouseover="window.__pwned=1"' in body
    assert "<img src=x onerror=" in body
    # the page's own script still works (CSP lets it run by hash)
    assert browser.find_element(By.ID, "detail").is_displayed()


@pytest.mark.model
def test_screenshot_for_readme(browser, real_comparisons, tmp_path):
    """The README's screenshot: the first-call cluster with the real model. Written to
    docs/report-screenshot.png with UPDATE_SCREENSHOT=1 (or when missing), else to a temp dir,
    so that a test run leaves the git tree clean."""
    from selenium.webdriver.common.by import By

    _load(browser, tmp_path, render(real_comparisons["first-call"], "html"))
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(1440, 2900)
    # the hover/click panel works ...
    gap = browser.find_element(By.CSS_SELECTOR, "#aligned .c.gap.omitted")
    row = gap.find_element(By.XPATH, "..")
    ActionChains(browser).move_to_element(
        row.find_element(By.CSS_SELECTOR, ".c.claim")
    ).click().perform()
    assert browser.find_element(By.ID, "detail").is_displayed()
    # ... but the picture shows the page itself: Esc closes the panel, mouse off the grid
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    browser.execute_script("window.scrollTo(0, 0)")
    ActionChains(browser).move_to_element(browser.find_element(By.TAG_NAME, "h1")).perform()
    assert not browser.find_element(By.ID, "detail").is_displayed()
    update = os.environ.get("UPDATE_SCREENSHOT") == "1" or not SCREENSHOT.exists()
    target = SCREENSHOT if update else tmp_path / "report-screenshot.png"
    target.parent.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(target))
    assert target.stat().st_size > 10_000
