"""Browser tests: Playwright driving Debian's Chromium against a live server, with axe-core checks."""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}  # an iPhone X-sized screen, the narrowest GOV.UK designs for (320 aside)
# Elements sticking out to the right at phone width, to say what made the page scroll sideways.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .slice(-3)
    .map(el => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : ""));
}"""
# How many lines each case tab's label takes (more than one: it wraps).
TAB_LINES = """() => [...document.querySelectorAll('.moj-sub-navigation__link')].map(a => {
  const range = document.createRange();
  range.selectNodeContents(a);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
})"""
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "casework-demo-2026"


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed here (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class Visitor:
    """One person in a browser. Every page they load is checked with axe-core."""

    def __init__(self, browser, base_url):
        # bypass_csp lets the test inject axe-core; the app's own pages never need it.
        self.context = browser.new_context(base_url=base_url, bypass_csp=True, viewport=DESKTOP)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.violations = []
        self.checked = set()

    def check_accessibility(self):
        """Run axe-core on the page now shown (once per distinct page)."""
        page = self.page
        page.wait_for_load_state()
        key = page.url.split("?")[0] + page.title()
        if key in self.checked:
            return
        self.checked.add(key)
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=AXE.read_text())
        result = page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
            ".violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target)}))",
            WCAG_TAGS,
        )
        for violation in result:
            self.violations.append(
                f"{page.url}: {violation['id']} ({violation['help']}) at {json.dumps(violation['nodes'][:3])}"
            )
        self.check_layout()

    def check_layout(self):
        """At 1280 px no case tab wraps; at 375 px (a phone) the page does not scroll sideways."""
        page = self.page
        if any(lines > 1 for lines in page.evaluate(TAB_LINES)):
            self.violations.append(f"{page.url}: a case tab label wraps onto two lines at 1280 px")
        page.set_viewport_size(PHONE)
        try:
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                self.violations.append(f"{page.url}: scrolls sideways at 375 px wide, because of {overflow}")
        finally:
            page.set_viewport_size(DESKTOP)

    def sign_in(self, username):
        self.page.goto("/")
        self.check_accessibility()
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.check_accessibility()

    def click_link(self, name, exact=False):
        self.page.get_by_role("link", name=name, exact=exact).first.click()
        self.check_accessibility()

    def click_button(self, name):
        self.page.get_by_role("button", name=name).first.click()
        self.check_accessibility()

    def text(self) -> str:
        return self.page.locator("main").inner_text()

    def screenshot(self, name):
        if os.environ.get("SCREENSHOTS"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def close(self):
        self.context.close()


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=open(os.devnull, "w"))


@pytest.fixture
def visitor(browser, live_server, demo):
    people = []

    def open_as(username):
        person = Visitor(browser, live_server.url)
        person.sign_in(username)
        people.append(person)
        return person

    yield open_as
    assert all(person.checked for person in people), "axe-core checked no pages"
    violations = [v for person in people for v in person.violations]
    for person in people:
        person.close()
    assert not violations, "Accessibility (WCAG 2.2 A/AA) or layout problems:\n" + "\n".join(violations)
