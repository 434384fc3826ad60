"""Sixth-round name rules (``recognisers/name_rules.py``, docs/adr/0012 "Sixth round")."""

import pytest

from .names import people


class TestGivenNameBeforeAVerbOnlyAPersonDoes:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("left against advice, river tried to explain the risks to him", "river"),
            ("the night staff were short, sue asked for her brother to come in", "sue"),
            ("son aware FREDERICK says the consent form was not signed", "FREDERICK"),
            ("dose given late and pharmacy informed faith says the chart was wrong", "faith"),
            ("seen by the team today. beryl hope to get home at the weekend.", "beryl"),
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
            # "hope" without "to" is no verb of hoping to do something
            ("the ward was quiet. beryl hope is a scented plant on the windowsill.", "beryl"),
        ],
    )
    def test_words_that_are_no_names_stay(self, pipeline, text, word):
        assert word not in people(pipeline, text)

    def test_in_capitals_the_name_is_found_though_hope_may_be_read_as_its_surname(self, pipeline):
        # "HOPE" is a surname too, so in capitals the name reaches over it ("OPAL HOPE")
        assert any("OPAL" in p for p in people(pipeline, "OBS STABLE. OPAL HOPE TO GET HOME ON FRIDAY."))


class TestNameOnAStaffingLine:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Bloods sent at 10:00. Charlotte - on break. Called the lab about the result.", "Charlotte"),
            ("pump alarmed twice. edward - on break. bay 3 quiet.", "edward"),
            ("PUMP CHANGED. POPPY - ON BREAK. NEIGHBOUR CALLED.", "POPPY"),
            ("escalated at 02:00. blackwood, will - not on shift.", "blackwood, will"),
            ("late dose of fragmin. primrose - no answer. chart updated.", "primrose"),
        ],
    )
    def test_a_listed_name_alone_before_where_a_member_of_staff_is(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("Result chased. Switchboard - no answer. Tried again at 03:00.", "Switchboard"),
            ("Result chased. Pharmacy - no answer. Tried again at 03:00.", "Pharmacy"),
            # not where a member of staff is: a dash then something else
            ("Bloods sent. Charlotte - the pump was moved to bay 2.", "Charlotte"),
            # the status does not end its clause
            ("Gemma - in theatre recovery the patient was drowsy.", "Gemma"),
        ],
    )
    def test_other_dash_lines_are_left_to_the_other_rules(self, pipeline, rules_only, text, word):
        assert word not in people(pipeline, text)


class TestPossessiveBeforeAPatientsThing:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("rang next of kin, nok unhappy. Honor's NEWS fine.", "Honor"),
            ("a quiet night on the ward. frank's news missed, escalated.", "frank"),
        ],
    )
    def test_a_given_name_that_owns_observations_is_a_person(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            # a determiner or adjective before it: a thing
            ("the honor's news was read out at the meeting", "honor"),
            # a day: a date, not a person
            ("Sunday's obs were stable throughout.", "Sunday"),
        ],
    )
    def test_other_possessives_stay(self, pipeline, text, word):
        assert word not in people(pipeline, text)


class TestListOfPatientsInABay:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Quiet night. bay 3: Ginger and Melody Ash. Obs stable.", "Ginger"),
            ("Handover given. Bed 12: Tuesday and Edward Greenwood.", "Tuesday"),
        ],
    )
    def test_a_word_listed_with_a_name_after_bay_and_a_number_is_a_patient(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_a_list_after_another_label_is_left_to_the_other_rules(self, pipeline, rules_only):
        text = "Quiet night. Stock 3: Ginger and Melody Ash. Obs stable."
        assert "Ginger" not in people(pipeline, text)
