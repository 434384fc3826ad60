"""Welsh-language readiness: every string of the patient pages is marked for translation and the
English catalogue holds each one, translated (locale/en/LC_MESSAGES/django.po)."""

import re
from pathlib import Path

from events.patients import i18n

from .template_text import unmarked_text

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
TEMPLATES = [
    *(ROOT / "templates" / "patients").rglob("*.html"),
    *(ROOT / "templates" / "emails" / "patients").glob("*"),
]
# Every template a page or email of issue 17 is made of (the shared pieces included).
SURFACES = [
    *TEMPLATES,
    *(
        ROOT / "templates" / "events" / name
        for name in (
            "my_records.html",
            "record_detail.html",
            "submitted.html",
            "questions/checkboxes.html",
            "questions/date.html",
            "questions/radios.html",
            "questions/text.html",
            "questions/input.html",
            "includes/caption.html",
            "includes/inline_error.html",
            "includes/reveal.html",
            "includes/pagination.html",
        )
    ),
    ROOT / "templates" / "includes" / "error_summary.html",
]
TRANSLATE = re.compile(r'{% translate "([^"]+)"')
PLURAL = re.compile(r'^msgid ((?:".*"\n)+)msgid_plural (?:".*"\n)+msgstr\[0\] ((?:".*"\n)+)', re.MULTILINE)
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)


def catalogue() -> dict[str, str]:
    def joined(lines: str) -> str:
        return "".join(re.findall(r'"(.*)"', lines)).replace('\\"', '"').replace("\\n", "\n")

    text = CATALOGUE.read_text(encoding="utf-8")
    entries = {joined(msgid): joined(msgstr) for msgid, msgstr in ENTRY.findall(text) if joined(msgid)}
    for msgid, singular in PLURAL.findall(text):
        entries[joined(msgid)] = joined(singular)
    return entries


BLOCK = re.compile(r"{%\s*blocktranslate\b[^%]*%}(.*?){%\s*endblocktranslate\s*%}", re.DOTALL)
TAG_ARGUMENT = re.compile(r'\b_\("([^"]+)"\)')
PYTHON_CALL = re.compile(r'\b(?:_|gettext|gettext_lazy|gettext_noop)\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]')


def marked_in(path: Path) -> set[str]:
    """The msgids a template or module marks, as makemessages writes them."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return {found.replace('\\"', '"') for found in PYTHON_CALL.findall(text)}
    found = set(TRANSLATE.findall(text)) | set(TAG_ARGUMENT.findall(text))
    for block in BLOCK.findall(text):
        singular = block.split("{% plural %}")[0]
        found.add(re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", singular))
    return found


def test_every_string_of_the_issue_17_surfaces_is_in_the_english_catalogue():
    """Templates (translate, blocktranslate, _("...") arguments), the patients app's Python, and the
    question set's words: each is a msgid of locale/en (`make messages` refreshes it)."""
    entries = catalogue()
    modules = sorted((ROOT / "events" / "patients").glob("*.py"))
    marked = set().union(*(marked_in(path) for path in [*SURFACES, *modules]))
    marked |= set(i18n.question_set_strings())
    assert len(marked) > 300
    missing = sorted(text for text in marked if text not in entries)
    assert not missing, f"not in the English catalogue (run make messages): {missing[:10]}"


def test_the_english_catalogue_is_complete():
    """Every msgid of locale/en has a msgstr, the same words, none fuzzy; and the compiled catalogue
    holds each of them."""
    import gettext

    text = CATALOGUE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text.split("\n\n", 1)[1] and "\n#| " not in text
    entries = catalogue()
    assert len(entries) > 300
    untranslated = sorted(msgid for msgid, msgstr in entries.items() if not msgstr)
    assert not untranslated, untranslated[:10]
    different = sorted(msgid for msgid, msgstr in entries.items() if msgstr != msgid)
    assert not different, different[:10]
    for plural in re.findall(r'^msgid_plural ".*"\n((?:msgstr\[\d\] .*\n)+)', text, flags=re.MULTILINE):
        assert '""' not in [line.split(" ", 1)[1] for line in plural.splitlines()]
    with (CATALOGUE.with_suffix(".mo")).open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    assert all(translations.gettext(msgid) == msgstr for msgid, msgstr in entries.items())


def test_the_reader_finds_typed_words_and_passes_marked_ones():
    source = """{% load i18n govuk %}<h1>{% translate "Marked" %}</h1><p>Typed words</p>
    {% blocktranslate with n=1 %}Also {{ n }} marked{% endblocktranslate %}{# a comment #}
    {% govuk "button" text="Typed label" classes="govuk-button--secondary" %}
    {% govuk "button" text=_("Marked label") %}<a aria-label="Typed aria">{{ value }}</a>, ·
    {% comment %}Not shown{% endcomment %}<svg><title>icon</title></svg>&nbsp;"""
    assert unmarked_text(source) == ['text="Typed label"', 'aria-label="Typed aria"', "Typed words"]
    assert unmarked_text("{% translate 'Hi' %}\n{{ name }}\nTyped line\n", html=False) == ["Typed line"]


def test_the_templates_of_issue_17_have_no_unmarked_words():
    """The patient form, follow-my-record pages, the "Record Submitted" page, "Manage my event
    records" and the record page, feedback to the recorder, the triage queue, and the emails: every
    word a person reads is in a translate or blocktranslate tag (or comes from a variable)."""
    offenders = []
    for path in SURFACES:
        text = path.read_text(encoding="utf-8")
        offenders += [
            f"{path.relative_to(ROOT)}: {words}" for words in unmarked_text(text, html=path.suffix == ".html")
        ]
    assert not offenders, "\n".join(offenders[:20])


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


def _shout(text: str) -> str:
    """A stand-in catalogue that shouts, keeping its placeholders as they are."""
    return re.sub(r"(%\(\w+\)s)|([^%]+)", lambda found: found.group(1) or found.group(2).upper(), text)


def test_the_engines_own_words_on_the_date_page_go_through_the_translation(client, places, monkeypatch):
    """The date widget's part labels and the engine's date messages are translated too."""
    from django.urls import reverse

    from .helpers import ANSWERS

    monkeypatch.setattr(i18n, "gettext", _shout)
    url = client.post(reverse("patients:start"))["Location"]
    while not url.rstrip("/").endswith("EventDate"):
        url = client.post(url, ANSWERS[url.rstrip("/").split("/")[-1]])["Location"]
    body = client.get(url).content.decode()
    assert ">DAY<" in body and ">MONTH<" in body and ">YEAR<" in body
    body = client.post(
        url, {"EventDate-day": "31", "EventDate-month": "2", "EventDate-year": "2026"}
    ).content.decode()
    assert "MUST BE A REAL DATE" in body and "must be a real date" not in body
    body = client.post(
        url, {"EventDate-day": "3", "EventDate-month": "", "EventDate-year": ""}
    ).content.decode()
    assert "MUST INCLUDE A MONTH AND YEAR" in body
    body = client.post(
        url, {"EventDate-day": "3", "EventDate-month": "3", "EventDate-year": "26"}
    ).content.decode()
    assert "YEAR MUST INCLUDE 4 NUMBERS" in body
