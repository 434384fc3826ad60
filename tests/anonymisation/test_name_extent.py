"""Whole names (``recognisers/name_extent.py``): how far a name reaches; fourth round, docs/adr/0012."""

import pytest

from .names import people


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


class TestWordSurnameAfterAGivenName:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("were in the bay when paige king slid out of the chair.", "paige king"),
            ("KERRY EARLY WAS GIVEN HALOPERIDOL MEANT FOR ANOTHER PATIENT.", "KERRY EARLY"),
            ("ROB WATERS SELF DISCHARGED AGAINST ADVICE.", "ROB WATERS"),
        ],
    )
    def test_the_surname_is_part_of_the_name(self, pipeline, text, name):
        assert people(pipeline, text) == [name]

    def test_a_noun_or_a_record_word_after_the_given_name_is_not(self, pipeline):
        assert people(pipeline, "Dr amy bay 3 was busy.") == ["amy"]
        assert "LABEL" not in " ".join(
            people(pipeline, "WRONG PATIENT LABEL, ZHOU, YING LABEL PUT ON BLOODS.")
        )


class TestWristbandNames:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Wristband checked against LIANG, Wing on ICE, not matching.", "LIANG, Wing"),
            ("name on the drug chart was barnes, merlene, hosp no rxw 631470.", "barnes, merlene"),
            ("wristband read sherpa, dawa 409 777 4735 but the chart said otherwise.", "sherpa, dawa"),
        ],
    )
    def test_surname_comma_given_name_before_a_record(self, pipeline, text, name):
        assert people(pipeline, text)[0] == name

    def test_a_list_of_names_is_no_wristband(self, pipeline):
        assert people(pipeline, "fasting for Hajj, Amrit told the team.") == ["Amrit"]
        assert people(pipeline, "Seen by Ali, bed 3 was empty.") == ["Ali"]


class TestEastAsianNames:
    def test_a_family_name_before_a_hyphenated_given_name(self, pipeline):
        assert people(pipeline, "park do-yun went to theatre without the form.") == ["park do-yun"]


def test_a_given_name_typed_without_its_capital_before_a_surname(pipeline):
    assert people(pipeline, "checked by rusty Tanner at the bedside.") == ["rusty Tanner"]
