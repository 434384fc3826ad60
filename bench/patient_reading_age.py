"""Readability of the patient form's words: Flesch reading ease and Flesch-Kincaid grade.

    .venv/bin/python bench/patient_reading_age.py

Reads every sentence a patient reads: the question set (events/patients/i18n.question_set_strings)
and the translate tags of the patient templates. Prints the figures for the whole and the ten hardest
strings. A UK reading age is roughly the US grade plus 5; the target is a reading age of about 9
(grade 4), and a reading ease of 80 or more ("easy"). Syllables are counted by vowel groups, the usual
approximation; figures for short strings are noisy, so the whole-text figures are the ones to quote.
"""

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lfpse.settings.test")

import django  # noqa: E402

django.setup()

from events.patients.i18n import question_set_strings  # noqa: E402

TRANSLATE = re.compile(r'{% translate "([^"]+)"')
WORD = re.compile(r"[A-Za-z']+")


def syllables(word: str) -> int:
    word = word.lower().strip("'")
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups) - (
        1 if word.endswith("e") and not word.endswith(("le", "ee")) and len(groups) > 1 else 0
    )
    return max(1, count)


def figures(texts: list[str]) -> tuple[float, float, int]:
    sentences = sum(max(1, len(re.findall(r"[.!?](\s|$)", text))) for text in texts)
    words = [word for text in texts for word in WORD.findall(text)]
    syllable_count = sum(syllables(word) for word in words)
    per_sentence = len(words) / sentences
    per_word = syllable_count / len(words)
    ease = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    grade = 0.39 * per_sentence + 11.8 * per_word - 15.59
    return ease, grade, len(words)


def main() -> None:
    templates = [*(ROOT / "templates" / "patients").rglob("*.html")]
    public = [
        path
        for path in templates
        if path.name not in {"queue.html", "feedback.html", "complaints_contacts.html"}
    ]
    strings = question_set_strings()
    for path in public:
        strings += TRANSLATE.findall(path.read_text(encoding="utf-8"))
    strings = [text for text in dict.fromkeys(strings) if len(WORD.findall(text)) >= 3]
    ease, grade, words = figures(strings)
    print(f"patient-facing strings: {len(strings)}, words: {words}")
    print(f"Flesch reading ease: {ease:.1f}  Flesch-Kincaid grade: {grade:.1f}  (UK age ~{grade + 5:.1f})")
    print("hardest strings (grade):")
    for text in sorted(strings, key=lambda text: -figures([text])[1])[:10]:
        print(f"  {figures([text])[1]:5.1f}  {text}")


if __name__ == "__main__":
    main()
