"""A small reader of template source for the Welsh-language readiness tests: the words a person would
read that are typed into a template rather than marked for translation (no Django needed)."""

from __future__ import annotations

import re

S = re.DOTALL
WORDS = re.compile(r"[A-Za-z]{2,}")
# Arguments of template tags (the GOV.UK components) that are shown to people.
VISIBLE_PARAMETERS = {
    "text",
    "html",
    "titleText",
    "titleHtml",
    "label",
    "hint",
    "iconFallbackText",
    "caption",
    "legend",
    "heading",
    "summaryText",
    "descriptionText",
}
# HTML attributes that are read out or shown.
VISIBLE_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder")


def unmarked_text(source: str, *, html: bool = True) -> list[str]:
    """Every piece of visible text outside {% translate %} and {% blocktranslate %}."""
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=S)
    text = re.sub(r"{#.*?#}", " ", text, flags=S)
    text = re.sub(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", " ", text, flags=S)
    found = []
    for tag in re.findall(r"{%(.*?)%}", text, flags=S):
        words = tag.split()
        if words and words[0] in ("translate", "trans"):
            continue
        for name, literal in re.findall(r'(\w+)="([^"]*)"', tag):
            if name in VISIBLE_PARAMETERS and WORDS.search(literal):
                found.append(f'{name}="{literal}"')
    text = re.sub(r"{%.*?%}|{{.*?}}", " ", text, flags=S)
    if html:
        text = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", text, flags=S)
        for name, literal in re.findall(r'\s(aria-label|alt|title|placeholder)="([^"]*)"', text):
            if WORDS.search(literal):
                found.append(f'{name}="{literal}"')
        text = re.sub(r"<[^>]*>", "\n", text, flags=S)
        text = re.sub(r"&#?\w+;", " ", text)
    found += [line.strip() for line in text.splitlines() if WORDS.search(line)]
    return found
