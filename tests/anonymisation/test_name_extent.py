"""Whole names (``recognisers/name_extent.py``): how far a name reaches; fourth round, docs/adr/0012."""

import pytest

from anonymisation.pipeline import get_pipeline, redact_texts


@pytest.fixture(scope="module")
def pipeline():
    return get_pipeline()


def people(pipeline, text):
    result = redact_texts({"text": text}, pipeline=pipeline)
    return [text[e.start : e.end] for e in result.entities if e.entity_type == "PERSON"]


class TestSurnameAfterATitledGivenName:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("No interpreter was booked for Mrs tracey page who speaks Tamil.", "tracey page"),
            ("staff nurse dawn price gave the insulin late.", "dawn price"),
            ("naloxone was given by Registrar lee long. The patient was moved.", "lee long"),
            ("Mr adelmo argurio (45) with Turner syndrome was admitted.", "adelmo argurio"),
        ],
    )
    def test_the_surname_is_part_of_the_name(self, pipeline, text, name):
        assert people(pipeline, text) == [name]

    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Dr amy said it was fine.", "amy"),  # a verb is no surname
            ("nurse jo bay 3 was busy.", "jo"),  # a word before a number is a place
            ("Dr jones gave the dose.", "jones"),  # no given name first: the title's one word
        ],
    )
    def test_a_verb_a_place_or_a_surname_alone_is_not_extended(self, pipeline, text, name):
        assert people(pipeline, text) == [name]
