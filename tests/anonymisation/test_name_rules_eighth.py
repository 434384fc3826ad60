"""Eighth-round list rules (``recognisers/name_rules.py``, docs/adr/0012 "Eighth round"): a name listed
with a found name across a role, and two name words in a row listed with a found name."""

import pytest

from .names import kept, people


class TestNameBeforeItsRoleInAList:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            (
                "Datix completed at 6am. Faith HCA and Pui-Shan found Mr Sarpong trying to climb out of bed.",
                "Faith",
            ),
            (
                "by the practice educator. june (hca) and haris found mr takahashi trying to climb.",
                "june",
            ),
            ("AT 6AM RAY HCA AND HARPREET FOUND MRS ZILAN REKANI ON THE FLOOR", "RAY"),
        ],
    )
    def test_a_given_name_before_a_role_listed_with_a_name(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("The night HCA and Harpreet found Mrs Rekani on the floor.", "night"),
            ("Agency HCA and Harpreet found Mrs Rekani on the floor.", "Agency"),
            ("in June (2025) and Harpreet said it was fine", "June"),
        ],
    )
    def test_a_word_a_determiner_governs_or_a_date_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestTwoNameWordsListedWithAName:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("started without a second checker, c. o'neill and june good on shift.", "june good"),
            ("Debrief held with June W and Zoltán on Friday.", "June W"),
            (
                "case discussed with grace potter, c love and k christodoulou at the governance meeting.",
                "c love",
            ),
            ("THANKS TO S QUICK AND PANSY SAMPSON FOR HELP WITH THE LIFEPAK.", "S QUICK"),
        ],
    )
    def test_given_and_surname_or_an_initial_listed_with_a_name(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_two_words_that_are_no_name_stay(self, pipeline):
        assert kept(pipeline, "saw Amir and long term plan agreed", "long")


class TestWholeNameInThePossessive:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("The pharmacy label had heather stone's name on it.", "heather stone"),
            ("THE PHARMACY LABEL HAD FAITH SOUTH'S NAME ON IT.", "FAITH SOUTH"),
        ],
    )
    def test_a_given_name_and_surname_owning_a_patients_thing(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("The pharmacy label had the drug's name on it.", "drug"),
            ("It had the new rose garden's name on it.", "rose"),
        ],
    )
    def test_a_thing_owning_a_name_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestGivenNameAfterATitle:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("district nurse rose checked the citalopram with maja markovic but the dose was wrong.", "rose"),
            ("AGNE MOCKUS TO COMPLETE A REFLECTION, CONSULTANT WILL INFORMED.", "WILL"),
            ("staff involved: consultant rose c king, consultant farzana nawaz and tesfay h.", "rose c king"),
            ("the patient was found on the floor by nurse in charge rose field at 09:20.", "rose field"),
            ("debrief: by carer april. nhs no 427-740-2704.", "april"),
        ],
    )
    def test_a_word_given_name_holding_a_role(self, pipeline, text, name):
        assert any(name in person for person in people(pipeline, text))

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("the nurse will check the chart at 0800.", "will"),
            ("dr may review later if the NEWS rises.", "may"),
            ("bolanle eca said the zoll alarmed twice.", "said"),
            ("akinyi the nurse said no, he is on a soft diet.", "said"),
        ],
    )
    def test_a_modal_or_a_common_verb_after_a_role_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestNextOfKinAndModalsBeforeARole:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("LOW HARM, ROSE HAS CAPACITY AND WAS TOLD, NOK WILL AWARE.", "WILL"),
            ("was not offered an interpreter, nok rose had to translate. delayed review.", "rose"),
            ("isla was nil by mouth. will (hca) and nasima found mrs sutherland trying to climb", "will"),
        ],
    )
    def test_a_word_given_name_after_nok_or_before_a_role(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("NOK AWARE. NOK WILL BE CONTACTED IN THE MORNING.", "WILL"),
            ("nok informed and nok number updated.", "number"),
            ("next of kin will visit tomorrow.", "will"),
        ],
    )
    def test_a_modal_or_a_state_after_nok_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestModalShapedNameBeforeARegularPast:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("The Arjo hoist was not available so May borrowed one from SAU.", "May"),
            ("The hoist was broken. Will cleaned the commode and reported it.", "Will"),
        ],
    )
    def test_no_modal_takes_a_past_tense(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("the patient may need a review and will need bloods.", "may"),
            ("the bleep holder may wanted to know.", "may"),
            ("the plan is to be reviewed by May.", "May"),
        ],
    )
    def test_a_modal_or_a_month_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)
