"""Corrections from the QA screen: a kept value is kept only where the text says it."""

from anonymisation.pipeline import EntitySpan, PlaceholderMapping, RedactionResult
from events.redaction_corrections import apply_corrections

TEXT = "Lee was moved from Leeds General Infirmary for an annual review with Ann on Joanne Ward."


def span(text: str, value: str, entity_type: str, placeholder: str) -> EntitySpan:
    start = text.index(value)
    return EntitySpan("Description", entity_type, start, start + len(value), placeholder, 0.9)


def corrected(keep: list[str], missed=()) -> str:
    entities = [
        span(TEXT, "Lee", "PERSON", "[PERSON 1]"),
        span(TEXT, "Leeds", "LOCATION", "[LOCATION 1]"),
        span(TEXT, "Ann", "PERSON", "[PERSON 2]"),
        span(TEXT, "Joanne Ward", "PERSON", "[PERSON 3]"),
    ]
    result = RedactionResult({}, entities, PlaceholderMapping())
    return apply_corrections(
        {"Description": TEXT}, result, missed=missed, keep=keep, mapping=PlaceholderMapping()
    )["Description"]


def test_a_kept_value_keeps_the_spans_inside_it_and_nothing_that_merely_shares_letters():
    assert corrected(["leeds general infirmary", "ward", "annual review"]) == (
        "[PERSON 1] was moved from Leeds General Infirmary for an annual review"
        " with [PERSON 2] on [PERSON 3]."
    )


def test_a_span_larger_than_the_kept_value_stays_redacted():
    assert "[PERSON 3]" in corrected(["Joanne"])


def test_missed_values_are_redacted_as_whole_words_in_any_case():
    text = corrected([], missed=[("PERSON", "annual")])
    assert "an [PERSON 1] review" in text
