"""What the pipeline calls a person in a text, for the name tests."""

from anonymisation.pipeline import redact_texts


def people(pipeline, text: str) -> list[str]:
    """The PERSON spans found in ``text``, in order, as written."""
    result = redact_texts({"text": text}, pipeline=pipeline)
    return [text[e.start : e.end] for e in result.entities if e.entity_type == "PERSON"]


def kept(pipeline, text: str, word: str) -> bool:
    """Whether ``word`` is in none of the PERSON spans found in ``text``."""
    return not any(word in person for person in people(pipeline, text))
