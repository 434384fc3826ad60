"""Browser suite fixtures: one headless Chromium per session, a fresh context and page per test.

Every test under tests/browser is marked `browser`. The `page` fixture points Playwright at
pytest-django's `live_server` (so `page.goto("/accounts/login/")` works) and fails the test when the
page logs a console error, throws an uncaught exception or breaks the Content-Security-Policy
(Chromium reports CSP violations as console errors). A test that expects an error says so with
`browser_errors.allow(pattern)`.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the tests also use the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.factories import TEST_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 900}
DEFAULT_TIMEOUT_MS = 10_000
BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)


@dataclass
class BrowserErrors:
    """Console errors, uncaught exceptions and CSP violations the page reported during one test."""

    messages: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Expect errors matching this regular expression (for example a 404 page's own status)."""
        self.allowed.append(re.compile(pattern))

    def record(self, message: str) -> None:
        self.messages.append(message)

    def unexpected(self) -> list[str]:
        return [m for m in self.messages if not any(p.search(m) for p in self.allowed)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test itself (not its teardown) when the page reported errors it did not expect."""
    result = yield
    errors = getattr(item, "browser_errors", None)
    if errors is not None and errors.unexpected():
        pytest.fail(
            "The page reported errors:\n" + "\n".join(f"  - {m}" for m in errors.unexpected()),
            pytrace=False,
        )
    return result


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser suite needs Debian's Chromium at {CHROMIUM} (apt-get install chromium); "
            "Playwright's own browser downloads are not used.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_errors(request) -> BrowserErrors:
    errors = BrowserErrors()
    request.node.browser_errors = errors
    return errors


@pytest.fixture
def page(browser: Browser, live_server, browser_errors: BrowserErrors) -> Page:
    """A page in a fresh browser context (no cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            source = message.location.get("url") or page.url
            browser_errors.record(f"console error at {page.url}: {message.text} ({source})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: browser_errors.record(f"uncaught exception at {page.url}: {error}"))
    yield page
    context.close()


@pytest.fixture
def log_in_as(page: Page, live_server):
    """`log_in_as(user)`: give the page's browser context a session for the user, without the UI."""

    def log_in(user) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )

    return log_in


@pytest.fixture
def sign_in(page: Page):
    """`sign_in(email, password=TEST_PASSWORD)`: sign in through the Sign in page, as a person would."""

    def sign_in_with(email: str, password: str = TEST_PASSWORD) -> None:
        page.goto(reverse("account_login"))
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url(f"**{reverse('home')}")

    return sign_in_with
