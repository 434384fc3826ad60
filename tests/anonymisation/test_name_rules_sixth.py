"""Sixth-round name rules (``recognisers/name_rules.py``, docs/adr/0012 "Sixth round")."""

import pytest

from anonymisation.pipeline import get_pipeline, redact_texts


@pytest.fixture(scope="module")
def pipeline():
    return get_pipeline()


def people(pipeline, text):
    result = redact_texts({"text": text}, pipeline=pipeline)
    return [text[e.start : e.end] for e in result.entities if e.entity_type == "PERSON"]


class TestGivenNameBeforeAVerbOnlyAPersonDoes:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("left against advice, river tried to explain the risks to him", "river"),
            ("the night staff were short, sue asked for her brother to come in", "sue"),
            ("son aware FREDERICK says the consent form was not signed", "FREDERICK"),
            ("dose given late and pharmacy informed faith says the chart was wrong", "faith"),
        ],
    )
    def test_a_given_name_that_is_a_word_is_the_subject_of_a_persons_verb(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            # a sentence start hidden by missing punctuation: the capital verb opens a new sentence
            ("relatives asked that this is respected on care plan Asked niamh to stay", "plan"),
            # an animate common noun is a subject of its own
            ("the baby was unsettled overnight, baby cried when the cannula went in", "baby"),
            # a determiner before it: a thing's name, not a person
            ("the river tried the patience of the crew on the way in", "river"),
        ],
    )
    def test_words_that_are_no_names_stay(self, pipeline, text, word):
        assert word not in people(pipeline, text)
