"""Welsh-language readiness: every string of the patient pages is marked for translation and the
English catalogue holds each one, translated (locale/en/LC_MESSAGES/django.po)."""

import re
from pathlib import Path

from events.patients import i18n

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
TEMPLATES = [
    *(ROOT / "templates" / "patients").rglob("*.html"),
    *(ROOT / "templates" / "emails" / "patients").glob("*"),
]
TRANSLATE = re.compile(r'{% translate "([^"]+)"')
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)


def catalogue() -> dict[str, str]:
    def joined(lines: str) -> str:
        return "".join(re.findall(r'"(.*)"', lines)).replace('\\"', '"').replace("\\n", "\n")

    text = CATALOGUE.read_text(encoding="utf-8")
    return {joined(msgid): joined(msgstr) for msgid, msgstr in ENTRY.findall(text) if joined(msgid)}


def test_every_string_of_the_patient_pages_is_in_the_english_catalogue_and_translated():
    entries = catalogue()
    marked = {text for path in TEMPLATES for text in TRANSLATE.findall(path.read_text(encoding="utf-8"))}
    marked |= set(i18n.question_set_strings())
    assert len(marked) > 150
    missing = sorted(text for text in marked if not entries.get(text))
    assert not missing, f"not in the English catalogue (run makemessages and msgen): {missing[:10]}"


def test_the_patient_templates_have_no_unmarked_sentences():
    """Text between tags must come from a translate tag or a variable, not be typed in the template."""
    offenders = []
    for path in TEMPLATES:
        if path.suffix != ".html":
            continue
        text = re.sub(
            r"{% blocktranslate.*?endblocktranslate %}",
            " ",
            path.read_text(encoding="utf-8"),
            flags=re.DOTALL,
        )
        text = re.sub(r"{%.*?%}|{{.*?}}|<[^>]+>", " ", text, flags=re.DOTALL)
        words = [chunk.strip() for chunk in text.split("  ") if re.search(r"[A-Za-z]{3,}", chunk)]
        offenders += [f"{path.name}: {word}" for word in words]
    assert not offenders, offenders[:10]


def test_every_word_of_a_question_page_goes_through_the_translation(client, places, monkeypatch):
    """With a stand-in catalogue that shouts, the question set's words on the page shout too."""
    from django.urls import reverse

    monkeypatch.setattr(i18n, "gettext", lambda text: text.upper())
    response = client.post(reverse("patients:start"))
    body = client.get(response["Location"]).content.decode()
    for words in (
        "WHAT DO YOU WANT TO HAPPEN?",
        "WHAT YOU WANT TO HAPPEN",
        "MAKE A COMPLAINT",
        "GET HELP NOW",
    ):
        assert words in body, words
    body = client.post(response["Location"], {}).content.decode()
    assert "CHOOSE WHAT YOU WANT TO HAPPEN" in body
