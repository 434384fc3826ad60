"""Accessibility checks with axe-core against WCAG 2.2 AA.

The app's Content-Security-Policy allows no inline script, so axe is not added as a <script> tag:
its source is evaluated through the DevTools protocol (page.evaluate), which CSP does not govern.
"""

from functools import cache
from pathlib import Path

from playwright.sync_api import Page, Response

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def _axe_source() -> str:
    if not AXE_PATH.exists():
        raise FileNotFoundError(f"{AXE_PATH} is missing: run `npm ci` in the repository root.")
    # Trailing expression: evaluate the script for its side effect (window.axe), return nothing.
    return AXE_PATH.read_text(encoding="utf-8") + "\n;undefined;"


def _format(violations: list[dict], url: str) -> str:
    lines = [f"{len(violations)} accessibility violation(s) at {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        lines.extend(f"    at {' '.join(map(str, node['target']))}" for node in violation["nodes"])
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe-core over the page as it is now and fail with every WCAG 2.2 AA violation found."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        WCAG_TAGS,
    )
    assert not violations, _format(violations, page.url)


def visit_and_check(page: Page, url: str, *, status: int = 200) -> Response:
    """Open a URL (relative to the live server), check its HTTP status, and check it with axe."""
    response = page.goto(url)
    assert response is not None, f"No response for {url}"
    assert response.status == status, f"{url} answered {response.status}, expected {status}"
    assert_accessible(page)
    return response
