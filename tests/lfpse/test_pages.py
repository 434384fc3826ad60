"""The static help pages linked from the footer: they render, carry the security headers and link up."""

from html.parser import HTMLParser
from itertools import pairwise

import pytest
from django.urls import reverse

from lfpse.pages import PAGES

EXPECTED_H1 = {
    "cookies": "Cookies",
    "terms": "Terms and Conditions",
    "accessibility": "Accessibility statement for Record patient safety events",
    "contact": "Contact the helpdesk",
    "standard_user_guide": "Standard Access User Guide",
    "enhanced_user_guide": "Enhanced Access User Guide",
    "faq": "Frequently asked questions",
}


class PageStructure(HTMLParser):
    """Collects headings (level and text), footer link targets, and anything a strict CSP would block."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.footer_links: list[str] = []
        self.inline_styles = 0
        self.inline_scripts = 0
        self._heading_level: int | None = None
        self._heading_text: list[str] = []
        self._in_footer = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "style" in attributes or tag == "style":
            self.inline_styles += 1
        if tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1
        if tag == "footer":
            self._in_footer = True
        if tag == "a" and self._in_footer and attributes.get("href"):
            self.footer_links.append(attributes["href"])
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self._heading_level = int(tag[1])
            self._heading_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "footer":
            self._in_footer = False
        if self._heading_level is not None and tag == f"h{self._heading_level}":
            self.headings.append((self._heading_level, " ".join("".join(self._heading_text).split())))
            self._heading_level = None

    def handle_data(self, data: str) -> None:
        if self._heading_level is not None:
            self._heading_text.append(data)


def parse(html: str) -> PageStructure:
    structure = PageStructure()
    structure.feed(html)
    structure.close()
    return structure


PAGE_NAMES = [name for _route, name, _template in PAGES]


def test_every_page_has_an_expected_heading():
    assert set(PAGE_NAMES) == set(EXPECTED_H1)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_renders_with_its_heading_and_security_headers(client, name):
    response = client.get(reverse(f"pages:{name}"))

    assert response.status_code == 200
    assert response.headers.get("Content-Security-Policy")
    structure = parse(response.content.decode())
    h1s = [text for level, text in structure.headings if level == 1]
    assert h1s == [EXPECTED_H1[name]]
    assert response.context["service_name"] in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_headings_do_not_skip_levels(client, name):
    structure = parse(client.get(reverse(f"pages:{name}")).content.decode())

    levels = [level for level, _text in structure.headings]
    assert levels[0] == 1
    for previous, current in pairwise(levels):
        assert current <= previous + 1, f"h{previous} is followed by h{current} in {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_has_nothing_the_content_security_policy_would_block(client, name):
    structure = parse(client.get(reverse(f"pages:{name}")).content.decode())

    assert structure.inline_styles == 0
    assert structure.inline_scripts == 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_footer_link_resolves(client, name):
    structure = parse(client.get(reverse(f"pages:{name}")).content.decode())

    internal_links = [href for href in structure.footer_links if href.startswith("/")]
    assert len(internal_links) == len(PAGES)
    for href in internal_links:
        assert client.get(href).status_code == 200, href
