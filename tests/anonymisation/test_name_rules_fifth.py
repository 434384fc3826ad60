"""Fifth-round name rules (``recognisers/name_rules.py``, docs/adr/0012 "Fifth round")."""

import pytest

from anonymisation.pipeline import get_pipeline, redact_texts


@pytest.fixture(scope="module")
def pipeline():
    return get_pipeline()


def people(pipeline, text):
    result = redact_texts({"text": text}, pipeline=pipeline)
    return [text[e.start : e.end] for e in result.entities if e.entity_type == "PERSON"]


class TestCapitalisedWordInAPersonsPlace:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("The pump had no service sticker and Earnest was not trained on it.", "Earnest"),
            ("Delay of 6 hours to antibiotics, Temperance was septic, fluids started.", "Temperance"),
            ("The nurse said to Juniper that the hoist had been repaired.", "Juniper"),
            ("The charge nurse said Temperance had the keys.", "Temperance"),
        ],
    )
    def test_a_rare_word_capitalised_in_mid_sentence_before_a_persons_verb(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        "text",
        [
            # a sentence start hidden by missing punctuation: the word before does not join a subject
            "the pump was faulty but nothing was done Wristband checked against the chart",
            "seen at handover Staffing escalated on the system at 01:15",
            # a common word capitalised in mid-sentence stays (Zipf too high)
            "the bloods were taken and Pharmacy was informed of the error",
            # a determiner before it: a thing
            "the patient said the Temperance was too cold",
        ],
    )
    def test_sentence_starts_and_common_words_stay(self, pipeline, text):
        assert people(pipeline, text) == []


class TestInitialGluedToASurname:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Logged on Datix by R.Spratt, Sister aware.", "R.Spratt"),
            ("F.LLEWELLYN RANG ON THE WARD PHONE.", "F.LLEWELLYN"),
            ("interpreter booked by s.castle. bloods sent.", "s.castle"),
        ],
    )
    def test_an_initial_a_full_stop_and_a_listed_surname(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        "text",
        ["E.coli grown in the urine sample.", "MSU grew s.aureus, treated.", "see notes i.e. the chart."],
    )
    def test_organisms_and_abbreviations_stay(self, pipeline, text):
        assert people(pipeline, text) == []


class TestGivenNameAfterARelation:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Pt is Muslim, home for Eid, his son Sunday aware.", "Sunday"),
            ("Home for Eid, pt's spouse Earnest aware.", "Earnest"),
            ("family visiting for diwali, next of kin rosemary aware.", "rosemary"),
            ("spoke with next of kin ken, nok unhappy.", "ken"),
        ],
    )
    def test_next_of_kin_and_capitalised_listed_given_names(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        "text",
        [
            "Next of kin aware and next of kin informed.",
            "Her son on Sunday came to visit.",
            "Her son Sunday 14th came to visit.",
            "Seen with a sick patient Statement requested.",
        ],
    )
    def test_dates_and_headings_after_a_relation_stay(self, pipeline, text):
        assert people(pipeline, text) == []


class TestSurnameCommaGiven:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("waited with holmes, rain about the dressing.", "holmes, rain"),
            ("escalated: by elms, karen. care plan documented.", "elms, karen"),
            ("drake, sue - not on shift.", "drake, sue"),
            ("logged on the system by SQUIRE, Bert, Sister aware.", "SQUIRE, Bert"),
            ("wristband checked against robinson, buddy on cerner, not matching", "robinson, buddy"),
            ("wrong patient label holmes, peg label put on bloods", "holmes, peg"),
        ],
    )
    def test_a_listed_surname_a_comma_and_a_common_given_name_where_a_person_goes(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        "text",
        [
            "given with fluids, paracetamol and rest.",
            "reviewed at night, will recheck in the morning.",
            "the patient had bruising, swelling and pain.",
        ],
    )
    def test_lists_of_words_stay(self, pipeline, text):
        assert people(pipeline, text) == []


class TestWordSurnameAfterAnHonorific:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Site manager Meg Strong escalated to Mr. LITTLE.", "LITTLE"),
            ("The patient in bed 4, Mrs GREEN, was reviewed.", "GREEN"),
        ],
    )
    def test_a_listed_surname_after_mr_in_any_case(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        "text",
        [
            "Dr reviewed the patient at 10:00.",
            "Mr and Mrs came in together.",
            "we did not miss doses overnight.",
            "the dr informed the family.",
        ],
    )
    def test_grammar_verbs_and_the_verb_miss_stay(self, pipeline, text):
        assert people(pipeline, text) == []


class TestListsAfterThanksTo:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("thanks to katarzyna and chalky for help with the pump", "chalky"),
            ("Senna at 14:30. thanks to Krzysztof and Lark for help with the bed", "Lark"),
        ],
    )
    def test_who_is_thanked_is_people(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_a_verb_after_a_person_spoken_to_stays(self, pipeline):
        assert people(pipeline, "Fumiko spoke to Kumuthini and apologised.") == ["Fumiko", "Kumuthini"]


class TestExtensionAfterAName:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("raised at safety huddle by Hugo, ext 4567.", "Hugo"),
            ("raised at governance meeting by Folake, bleep 418. called the team", "Folake"),
        ],
    )
    def test_ext_and_bleep_are_no_given_name(self, pipeline, text, name):
        assert people(pipeline, text) == [name]

    def test_a_wristband_given_name_before_a_number_is_still_taken(self, pipeline):
        assert "LIANG, Wing" in people(pipeline, "Wristband checked against LIANG, Wing 4567123 on ICE.")


class TestSubjectActingOnATitledPerson:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("The bay was busy. Smudge made Mr Oladipo a cup of tea and sat with him.", "Smudge"),
            ("Lol made Mr Aslam a cup of tea and sat with him", "Lol"),
        ],
    )
    def test_a_bare_rare_word_before_a_verb_and_mr(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_common_nouns_roles_and_plurals_stay(self, pipeline):
        text = "Security escorted Mr Khan out. Staff told Mrs Lee. Porters took Mr Ali down."
        assert people(pipeline, text) == ["Khan", "Lee", "Ali"]


class TestGivenNameBeforeAnInitial:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("in the next bed. jack d cooper was transferred to the ward", "jack d cooper"),
            ("fadzai chinembiri and hope w ramsbottom at the governance meeting.", "hope w ramsbottom"),
        ],
    )
    def test_a_word_like_given_name_joins_initial_and_surname(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_a_modal_or_verb_before_the_initial_stays_outside(self, pipeline):
        assert people(pipeline, "will j smith call back. gave d cooper the chart") == ["j smith", "d cooper"]


class TestRarerGivenNameAndSurname:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("picked up in anaesthetic room by bud parsons. There was a delay", "bud parsons"),
            ("WAITED WITH KEITH ABOUT THE BAIR HUGGER. MARIGOLD ROBINS - ON BREAK.", "MARIGOLD ROBINS"),
        ],
    )
    def test_two_name_list_words_in_a_row(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_common_words_in_a_row_stay(self, pipeline):
        assert people(pipeline, "the cherry hill was steep and the rose garden was closed.") == []


class TestCapitalInitialAndWordSurname:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("The wristband was right but the chart said P Crow. Pt details checked.", "P Crow"),
            ("Label put on bloods for A Hall in the next bed.", "A Hall"),
        ],
    )
    def test_a_capital_initial_and_a_listed_surname_in_mid_sentence(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_grades_plans_and_sentence_starts_stay(self, pipeline):
        text = "Grade A Ward. A Hall was booked. Plan B Options. hepatitis B Vaccine given."
        assert people(pipeline, text) == []


class TestRareAdjectiveBeforeARole:
    def test_a_nickname_that_is_a_rare_adjective(self, pipeline):
        assert "Lofty" in people(pipeline, "Lofty HCA helped DONAL back to bed")

    def test_common_adjectives_before_a_role_stay(self, pipeline):
        assert people(pipeline, "Senior HCA helped. The qualified nurse said so.") == []


class TestTitleWithASlip:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("raised at governance meeting by nruse webster, bleep 2231.", "webster"),
            ("The patient was seen by Sitser Hope at 10:00.", "Hope"),
        ],
    )
    def test_two_swapped_letters_in_a_title(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_a_word_that_is_no_slip_of_a_title_stays(self, pipeline):
        assert people(pipeline, "the nurses were busy and the unrse was empty") == []


class TestWordSurnameAfterARole:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("bank nurse berry escalated to the registrar.", "berry"),
            ("logged on cerner by the team, sister tower aware.", "tower"),
            ("checked and signed by the paramedic ming.", "ming"),
        ],
    )
    def test_a_listed_surname_after_a_role_before_a_verb_or_the_end(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_states_and_common_words_after_a_role_stay(self, pipeline):
        text = "Matron aware. the nurse station was busy. nurse led clinic. sister ward round."
        assert people(pipeline, text) == []


class TestGivenNameAsSurname:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("THE FALLS SENSOR WAS SWITCHED OFF BY MS DESTINY GINGER WHO THOUGHT IT WAS", "DESTINY GINGER"),
            ("frankie ginger and avraham gold were in the bay", "frankie ginger"),
        ],
    )
    def test_a_rare_word_listed_as_a_given_name_after_a_given_name(self, pipeline, text, name):
        assert name in people(pipeline, text)


class TestCapitalisedGivenAndSurname:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("C.Walker informed. Handed over to Oak Dickinson at midnight.", "Oak Dickinson"),
            ("Seren informed. thanks to Harmony Crow for help with the bed.", "Harmony Crow"),
        ],
    )
    def test_two_capitalised_name_words_in_mid_sentence(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_wards_and_longer_capitalised_runs_stay(self, pipeline):
        text = "the patient went back to Oak Ward and then to the Oak Tree Unit for a review."
        assert people(pipeline, text) == []


class TestMorePersonVerbs:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("by Porter Swan, ext 3310. pansy aware. Summary: by the team.", "pansy"),
            ("tyler drew a blank. the bay was busy.", "tyler"),
        ],
    )
    def test_aware_and_drew_follow_a_person(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_a_role_or_heading_before_them_stays(self, pipeline):
        assert people(pipeline, "Matron aware. Family aware. Debrief held with the team.") == []


class TestSurnameOnAnActionLine:
    def test_a_listed_surname_opening_an_action(self, pipeline):
        assert "Finch" in people(pipeline, "Finch to review the chart tomorrow.")

    def test_plans_and_teams_stay(self, pipeline):
        assert people(pipeline, "Plan to review. Pharmacy to check. Physio to see.") == []


class TestMoreNhsRoles:
    def test_a_name_after_cpn(self, pipeline):
        assert "heather e" in people(pipeline, "niece thanked cpn heather e for keeping her informed")

    @pytest.mark.parametrize(
        "text", ["called CSW S.Sadler from the ward at handover", "csw ayesha escalated"]
    )
    def test_csw_stays_a_role(self, pipeline, text):
        assert not any(name.lower().startswith("csw") for name in people(pipeline, text))
