"""Numbered placeholders stay the same across the fields and the revisions of a record."""

import json

import pytest

from anonymisation.pipeline import PlaceholderMapping, get_pipeline, redact_texts
from anonymisation.pipeline.placeholders import normalise


@pytest.fixture(scope="module")
def pipeline():
    return get_pipeline()


def test_numbers_follow_reading_order_and_repeat_for_the_same_value():
    mapping = PlaceholderMapping()
    assert mapping.placeholder("PERSON", "Ayesha Khan") == "[PERSON 1]"
    assert mapping.placeholder("PERSON", "Tomasz") == "[PERSON 2]"
    assert mapping.placeholder("PERSON", "ayesha khan") == "[PERSON 1]"
    assert mapping.placeholder("EMAIL_ADDRESS", "a.khan@nhs.net") == "[EMAIL ADDRESS 1]"
    assert mapping.placeholder("PHONE_NUMBER", "07700 900123") == "[PHONE NUMBER 1]"
    assert mapping.placeholder("PHONE_NUMBER", "+44 7700 900123") == "[PHONE NUMBER 1]"
    assert mapping.placeholder("NHS_NUMBER", "943-476-5919") == "[NHS NUMBER 1]"


@pytest.mark.parametrize(
    ("entity_type", "first", "second"),
    [
        ("PERSON", "Dr Smith", "smith"),
        ("PERSON", "Smith's", "SMITH"),
        ("PERSON", "Nurse Adebayo", "Adebayo"),
        ("NHS_NUMBER", "943 476 5919", "9434765919"),
        ("NI_NUMBER", "ab 12 34 56 c", "AB123456C"),
        ("POSTCODE", "ls1 4ab", "LS14AB"),
        ("DATE_OF_BIRTH", "12/03/1945", "12 March 1945"),
        ("EMAIL_ADDRESS", "A.Khan@NHS.net", "a.khan@nhs.net"),
        ("URL", "https://www.facebook.com/jane", "facebook.com/jane/"),
    ],
)
def test_values_are_compared_after_normalisation(entity_type, first, second):
    assert normalise(entity_type, first) == normalise(entity_type, second)


def test_a_surname_or_first_name_alone_joins_the_one_full_name_it_fits():
    mapping = PlaceholderMapping()
    assert mapping.number("PERSON", "John Smith") == 1
    assert mapping.number("PERSON", "Mr Smith") == 1
    assert mapping.number("PERSON", "John") == 1
    assert mapping.number("PERSON", "Mary Smith") == 2  # a second Smith...
    assert mapping.number("PERSON", "Smith") == 1  # ...already known as 1: exact match wins
    assert mapping.number("PERSON", "Adebayo") == 3


def test_mapping_round_trips_through_json_and_never_shows_values_in_its_repr():
    mapping = PlaceholderMapping()
    mapping.number("PERSON", "Ayesha Khan")
    document = mapping.to_json()
    assert PlaceholderMapping.from_json(document) == mapping
    assert json.loads(document)["version"] == 1
    assert "ayesha" not in repr(mapping).lower()
    assert PlaceholderMapping.from_json(None) == PlaceholderMapping()


def test_an_unknown_mapping_version_is_refused():
    with pytest.raises(ValueError, match="version"):
        PlaceholderMapping.from_dict({"version": 99})


def test_numbering_is_shared_across_the_fields_of_a_record(pipeline):
    result = redact_texts(
        {
            "description": "Nurse Adebayo found Mrs Kowalczyk on the floor.",
            "actions": "Mrs Kowalczyk was reviewed; Adebayo completed the Datix.",
        },
        pipeline=pipeline,
    )
    assert result.texts["description"] == "Nurse [PERSON 1] found Mrs [PERSON 2] on the floor."
    assert result.texts["actions"] == "Mrs [PERSON 2] was reviewed; [PERSON 1] completed the Datix."
    assert result.summary == {"PERSON": 4}


def test_numbering_is_stable_across_revisions_when_the_mapping_is_passed_back(pipeline):
    first = redact_texts({"description": "Dr Okafor spoke to Mrs Lee on 07700 900123."}, pipeline=pipeline)
    stored = first.mapping.to_json()  # the caller stores this encrypted with the revision
    second = redact_texts(
        {"description": "Mrs Lee rang back on 07700900123; Dr Patel and Dr Okafor attended."},
        PlaceholderMapping.from_json(stored),
        pipeline=pipeline,
    )
    assert first.texts["description"] == "Dr [PERSON 1] spoke to Mrs [PERSON 2] on [PHONE NUMBER 1]."
    assert second.texts["description"] == (
        "Mrs [PERSON 2] rang back on [PHONE NUMBER 1]; Dr [PERSON 3] and Dr [PERSON 1] attended."
    )


def test_the_mapping_passed_in_is_not_modified(pipeline):
    mapping = PlaceholderMapping()
    result = redact_texts({"text": "Dr Okafor attended."}, mapping, pipeline=pipeline)
    assert mapping == PlaceholderMapping()
    assert result.mapping != mapping
