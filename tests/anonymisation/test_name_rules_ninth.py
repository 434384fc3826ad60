"""Ninth-round slot rules (``recognisers/name_slots.py``, ``recognisers/person.py``; docs/adr/0012 "Ninth
round"): a given name in apposition to "the" and a role, and a given name where a colleague works ("in
pharmacy", "on nights", "on ward 6"), also after "to" where a town would otherwise be read."""

import pytest

from .names import kept, people


class TestGivenNameTheRole:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            (
                "wants it noted. sue the ward clerk says the discharge letter went",
                "sue",
            ),
            ("ash the reg wants us to do hourly obs", "ash"),
            ("will the fy1 asked mark the hca to take a blood gas.", "will"),
            ("will the fy1 asked mark the hca to take a blood gas.", "mark"),
            ("i said no. he went to jill the bed manager who overrode it", "jill"),
        ],
    )
    def test_a_given_name_before_the_and_a_role(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("will the reg come and review", "will"),
            ("mark the hca's bloods as urgent", "mark"),
            ("please mark the hca as the second checker", "mark"),
            ("temp rose the reg was called", "rose"),
        ],
    )
    def test_a_verb_or_a_question_before_the_role_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestGivenNameWhereAColleagueWorks:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("DAUGHTER TRACEY RANG. SUE IN PHARMACY ARRANGED A TAXI", "SUE"),
            ("grace needs glucometer training, sent to mark in poct", "mark"),
            ("Blood glucose meter failed QC 3 times this week. Mo from POCT says it needs replacing", "Mo"),
            ("PADDY ON NIGHTS SAYS TRAMADOL CD BALANCE WRONG", "PADDY"),
            ("ENHANCED CARE REQUESTED. PENNY ON SITE SAYS NONE AVAILABLE.", "PENNY"),
            ("Blood sent by Kelly from catering and returned to Helen on Ward 30.", "Helen"),
        ],
    )
    def test_a_given_name_in_a_team_on_a_shift_or_a_ward(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("transferred to Pinderfields on ward 12", "Pinderfields"),
            ("BP rose in theatre and was treated", "rose"),
            ("his temp rose on nights to 38.5", "rose"),
            ("sats dropped and HR rose on ward 6 overnight", "rose"),
            ("i told her to keep pressure on it. she wasnt happy.", "pressure"),
        ],
    )
    def test_a_place_or_a_thing_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestNoNameInStaffAbbreviationsOrContractions:
    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("Chlorphenamine given. Prescriber Dr Hassan. Harm: low", "Prescriber"),
            ("INR 4.8 day 5. Anticoag nurse Michelle Hughes informed", "Anticoag"),
            ("Ngozi Obi (MW) noticed CTG on wrong pt - trace for Ellie", "CTG"),
            ("Dr Suresh r/v - CXR, ABG. ?PE 0510 CTPA booked", "ABG"),
            ("Philips monitor replaced by EBME (Phil).", "EBME"),
            ("Night ops report 14/08 Site mgr: Andrea Bell - ED 4hr: 61%", "mgr"),
            ("flagged Hb 7.1 vs 13.8 prev Phleb: Jeannie. Re-bled both", "Phleb"),
            ("grace needs glucometer training, sent to mark in poct", "glucometer"),
        ],
    )
    def test_a_staff_abbreviation_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ('text from lyn at 0612: "hi its lyn cant get in car wont start sorry"', "wo"),
            ("zoe found it at 7. ive binned the actrapid and told the nic", "ve"),
        ],
    )
    def test_half_a_contraction_typed_without_its_apostrophe_stays(self, pipeline, text, word):
        assert word not in people(pipeline, text)


class TestAgentBeforeADoseAndAGradedRole:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("had a seizure, lorazepam given by ross 4mg iv. the cd book was signed", "ross"),
            ("had a seizure, lorazepam given by ross 4 mg iv. the cd book was signed", "ross"),
            (
                "The member of staff has been identified as Jordan (bank HCA), who has been spoken to.",
                "Jordan",
            ),
        ],
    )
    def test_found(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("dose reduced by half 2mg", "half"),
            ("given by mouth 5mg at 10:00", "mouth"),
        ],
    )
    def test_means_before_a_dose_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)
