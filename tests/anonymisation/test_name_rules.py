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


class TestGivenNamesSpeltLikeAModal:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("will said he would stay with the patient.", "will"),
            ("PT AGITATED. WILL NOTICED THE CANNULA WAS OUT.", "WILL"),
            ("the patient was seen by will", "will"),
        ],
    )
    def test_where_no_modal_can_stand(self, pipeline, text, name):
        assert people(pipeline, text) == [name]

    def test_modals_used_as_modals_stay(self, pipeline):
        text = "will have to check again. The nurse will check. staff can help. Can be done later."
        assert people(pipeline, text) == []


class TestPersonAfterASpeechOrTellingVerb:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Handed over to rose at 08:00.", "rose"),
            ("Told faith the plan.", "faith"),
            ("asked joy about her pain", "joy"),
            ("Thanks to amber for her help.", "amber"),
        ],
    )
    def test_a_given_name_between_the_verb_and_what_was_said(self, pipeline, text, name):
        assert people(pipeline, text) == [name]

    def test_things_in_the_same_places_stay(self, pipeline):
        text = "told patient the plan. handed over to the night team. thanks to the team for the help."
        assert people(pipeline, text) == []
