"""Rules that use name knowledge (``recognisers/name_rules.py``), fourth round (docs/adr/0012)."""

import pytest

from anonymisation.pipeline import get_pipeline, redact_texts


@pytest.fixture(scope="module")
def pipeline():
    return get_pipeline()


def people(pipeline, text):
    result = redact_texts({"text": text}, pipeline=pipeline)
    return [text[e.start : e.end] for e in result.entities if e.entity_type == "PERSON"]


class TestSubjectBeforeAMisspeltVerb:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("jack fuond paracetamol tablets in the bay.", "jack"),
            ("At 03:00 grace aksed for help with the hoist.", "grace"),
        ],
    )
    def test_a_given_name_before_a_slip_of_a_persons_verb(self, pipeline, text, name):
        assert people(pipeline, text) == [name]

    def test_a_word_before_a_slip_of_another_word_stays(self, pipeline):
        assert (
            people(pipeline, "the jack fuond in the cupboard was broken. mark noetd on the left arm.") == []
        )
