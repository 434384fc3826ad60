"""Seventh-round name rules (``recognisers/name_slots.py``, docs/adr/0012 "Seventh round")."""

import pytest

from anonymisation.pipeline import get_analyzer
from anonymisation.pipeline.recognisers.person import NameFinder, PersonRecogniser

from .names import kept, people


def rule_finds(rule: str, text: str) -> list[str]:
    """What one seventh-round rule alone proposes in ``text`` (other rules may still find more)."""
    analyzer = get_analyzer()
    recogniser = next(r for r in analyzer.registry.recognizers if isinstance(r, PersonRecogniser))
    doc = analyzer.nlp_engine.process_text(text, "en").tokens
    finder = NameFinder(doc, recogniser.english, recogniser.knowledge)
    return [doc[c.first : c.last + 1].text for c in getattr(finder, rule)()]


def found(pipeline, text: str, name: str) -> bool:
    return any(name in person for person in people(pipeline, text))


class TestListedNameAfterBy:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("the dose was checked by hunt.", "hunt"),
            ("raised at safety huddle by rain ext 3310 interpreter booked", "rain"),
            ("HARTMANN'S PROCEDURE CONSIDERED BY DOVE.", "DOVE"),
            ("lives at rose cottage. claled by storm about the rotastand.", "storm"),
        ],
    )
    def test_a_listed_name_ending_the_clause_after_an_agents_by(self, pipeline, text, name):
        assert found(pipeline, text, name)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("The pt was in chair by window in sun when they slid down.", "window"),  # a place
            ("oramorph given by mouth.", "mouth"),  # means
            ("bloods were checked by hand.", "hand"),  # too common a word
            ("Samples swapped. Caught by lab (Brian Wise, BMS).", "lab"),  # this writer capitalises names
        ],
    )
    def test_places_means_and_common_words_stay(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestNameAloneAsASentence:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("transferred from wakefield to ward 12 on tuesday. thomas.", "thomas"),
            ("nhs no 936 448 3790, hosp no rb3 1399374. duke.", "duke"),
            ("help with the baxter pump. e packer. pt transferred from dewsbury", "packer"),
            ("gaviscon given. Hazel. thanks to her husband for staying", "Hazel"),
        ],
    )
    def test_listed_name_words_and_nothing_else(self, pipeline, text, name):
        assert found(pipeline, text, name)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("Obs stable. Done. Family updated.", "Done"),  # a listed given name, but common English
            ("Pt reviewed. Fine. Plan to continue.", "Fine"),
            ("by Porter Swan, ext 3310. pansy aware. Summary: by the team.", "aware"),  # name and state
            ("Address: 163 Denholme Avenue York.\nCrew\nunit no 4", "Crew"),  # a heading, no full stop
        ],
    )
    def test_words_that_are_no_names_stay(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestCapitalsAfterAnHonorific:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("TECH ESCALATED TO DR. FORESTER. DOB 21/07/2001", "FORESTER"),
            ("PT SEEN BY MR PLUMBER ON THE WARD", "PLUMBER"),
        ],
    )
    def test_a_rare_word_in_capitals_after_a_title(self, pipeline, text, name):
        assert found(pipeline, text, name)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("DR REVIEWED PT AND MR AWARE OF PLAN", "REVIEWED"),
            ("DR REVIEWED PT AND MR AWARE OF PLAN", "AWARE"),
        ],
    )
    def test_participles_and_common_words_stay(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestGivenAndSurnameInAPersonSlot:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("adrenaline INFORMED. thanks to poppy woods and Oak for help", "poppy woods"),
            ("moved to holly ward in august. spring bird cehcked the lansoprazole", "spring bird"),
            ("documented by nurse bedford. willow grey and colin were on harvey ward", "willow grey"),
            ("EMPLOYER CONTACT: HELEN STONE, HEAD OF NURSING", "HELEN STONE"),
            ("SHE WOULD NOT SAY MORE. NAME GIVEN AS LEE WOODS.", "LEE WOODS"),
        ],
    )
    def test_two_name_list_words_where_a_person_goes(self, pipeline, text, name):
        assert found(pipeline, text, name)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("a woman with brown hair.", "brown"),  # an adjective before a noun
            ("DR W KACZMAREK INFORMED CLIFF EDGE IN STAFFING AFTER THE AGENCY", "CLIFF"),  # a place goes on
        ],
    )
    def test_adjectives_and_places_stay(self, pipeline, text, word):
        assert kept(pipeline, text, word)

    def test_a_month_that_is_a_given_name_written_as_a_name(self, pipeline):
        assert found(pipeline, "I rang the hospice at 2000 and spoke to Jan Lake who said", "Jan Lake")

    @pytest.mark.parametrize("text", ["due by June Hill.", "in Jan Lake was frozen"])
    def test_a_month_after_by_or_in_is_no_given_name(self, pipeline, text):
        assert not any(m in " ".join(people(pipeline, text)) for m in ("June", "Jan"))


class TestGivenNameBeforeAModal:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("bloods sent. holly may need a review on rowan ward", "holly"),
            ("Pt seen on ward. Earnest will chase the bloods. DOB 03", "Earnest"),
            ("raised by kuldeep, ext 3310. sunshine may need a review.", "sunshine"),
        ],
    )
    def test_a_rare_word_given_name_before_a_modal_and_a_bare_verb(self, pipeline, text, name):
        assert found(pipeline, text, name)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("Called the lab. River will be fine.", "River"),  # too common a word to read alone
            ("the holly may need cutting back", "holly"),  # a determiner: a thing
        ],
    )
    def test_common_words_and_things_stay(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestSignOff:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Pt settled overnight. Thanks, hazel", "hazel"),
            ("Thanks, Amber Woods\nStaff Nurse", "Amber Woods"),
            ("Reported to the ward.\nWritten by duke.", "duke"),
        ],
    )
    def test_listed_name_words_after_a_sign_off_ending_the_line(self, pipeline, text, name):
        assert found(pipeline, text, name)

    def test_a_team_after_thanks_stays(self, pipeline):
        assert people(pipeline, "thanks to pharmacy") == []


class TestNickname:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Nadia were on ward in March. Lofty rang on 07700 900665 re Dioralyte", "Lofty"),
            ("it was given unchecked Chalky recognised deterioration quickly", "Chalky"),
            ("on Kendal ward. Chalky - no answer. Ken Noon", "Chalky"),
        ],
    )
    def test_a_y_nickname_from_a_noun_in_a_persons_place(self, pipeline, text, name):
        assert found(pipeline, text, name)

    @pytest.mark.parametrize(
        "text",
        ["Bloods sent. Switchboard rang at 10:00.", "Radiology rang back.", "Pharmacy rang.", "Daddy rang"],
    )
    def test_departments_and_relations_stay(self, pipeline, text):
        assert people(pipeline, text) == []


class TestGivenNameFromATeam:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("faith from the bank rang at 0700 to say", "faith"),
            ("BLUEBELL WARD. MICK FROM ESTATES SAYS THE BRAKE IS FIXED", "MICK"),
            ("can you pass this on to nick from the day team. thanks", "nick"),
        ],
    )
    def test_a_given_name_before_from_and_a_team(self, pipeline, text, name):
        assert found(pipeline, text, name)

    def test_a_name_that_is_a_word_does_not_spread_to_the_word(self, pipeline):
        text = "JOY FROM THE BANK WAS SENT TO THE WARD. NO JOY GETTING CONFIRMATION FROM STAFF."
        assert people(pipeline, text) == ["JOY"]

    def test_things_from_pharmacy_stay(self, pipeline):
        assert people(pipeline, "the tablets from pharmacy were late") == []


class TestNameBesideABracketedRole:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("bill and ben (hcas), jess (rn)", "ben"),
            ("one hca (shelley), can anyone come", "shelley"),
            ("jo spoke to the site team (ruth) twice", "ruth"),
            ("Call at 2215 from Rebecca (service user) saying", "Rebecca"),
        ],
    )
    def test_a_listed_name_beside_a_role_in_brackets(self, pipeline, text, name):
        assert found(pipeline, text, name)

    def test_a_drug_in_brackets_stays(self, pipeline):
        assert people(pipeline, "morphine (oramorph) given") == []


class TestWordSurnameAfterATitle:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("pt in side room 2 mrs rose had a long wait for her commode", "rose"),
            ("the patient mrs long had had an insulin injection", "long"),
            ("REFUSED ALL ORAL MEDS, SEEN BY DR. GOOD. BED 4", "GOOD"),
            ("I PRESSED THE ALARM AND SISTER LONG CAME. I WILL", "LONG"),
        ],
    )
    def test_a_listed_surname_before_a_verb_or_the_clauses_end(self, pipeline, text, name):
        assert found(pipeline, text, name)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("Matron aware. the nurse station was busy.", "station"),  # a compound noun
            ("Dr happy with plan.", "happy"),  # a state (the older title rule still takes it)
            ("we did not miss long doses", "long"),  # "miss" as a verb
        ],
    )
    def test_compounds_states_and_verbs_stay(self, pipeline, text, word):
        assert word not in rule_finds("word_surname_after_a_title", text)


class TestInitialAndWordSurname:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Hand over given by C. Young to P. Long", "P. Long"),
            ("FRIDGE LAST CHECKED BY G. WHITE AT 2000", "G. WHITE"),
            ("REPORTER: SINI MATHEW\nHANDLER: T. CHURCH", "T. CHURCH"),
        ],
    )
    def test_an_initial_and_a_surname_in_a_persons_place(self, pipeline, text, name):
        assert found(pipeline, text, name)

    def test_a_plan_letter_then_a_sentence_stays(self, pipeline):
        assert rule_finds("initial_and_word_surname", "Plan B. Long term plan agreed") == []


class TestGivenNameWithTheWriter:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("mark and i did the night checks on", "mark"),
            ("will and i went to collect pt from", "will"),
            ("me and robin stayed late", "robin"),
        ],
    )
    def test_a_given_name_joined_to_i_or_me(self, pipeline, text, name):
        assert found(pipeline, text, name)

    @pytest.mark.parametrize("text", ["we will and i will", "pain and i think it is worse"])
    def test_modals_and_words_stay(self, pipeline, text):
        assert people(pipeline, text) == []


class TestSpeakersInAThread:
    def test_the_speakers_of_a_pasted_thread(self, pipeline):
        text = (
            "ward WhatsApp, copied with permission):\nGemma: anyone seen the bladder scanner?\n"
            "Arun: Ward 5 had it last\nGemma: ffs. pt in bay 2"
        )
        assert people(pipeline, text) == ["Gemma", "Arun", "Gemma"]

    def test_a_nickname_and_a_time(self, pipeline):
        text = "Kelly 23:14 - is Lofty on tonight?\nLofty 23:15 - yeah whats up\nKelly 23:16 - bay 4"
        assert found(pipeline, text, "Lofty")

    def test_headings_stay(self, pipeline):
        assert people(pipeline, "Plan:\nHope: to go home\nSummary: stable\nOutcome: fine") == []

    def test_one_name_alone_is_as_likely_a_heading(self, pipeline):
        assert rule_finds("speakers_in_a_thread", "Reviewed today.\nHazel: see plan") == []


class TestGivenNameBeforeAnAction:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("took them off for the scan on tuesday robin checked her locker and the bag", "robin"),
            ("nbm for her pacemaker. ivy caught it before she ate it.", "ivy"),
        ],
    )
    def test_a_common_given_name_as_the_subject_of_a_transitive_action(self, pipeline, text, name):
        assert found(pipeline, text, name)

    @pytest.mark.parametrize(
        "text",
        [
            "the robin checked the feeder",  # a determiner: a bird
            "pt rose had a fall overnight",  # "had" links, a thing can have
            "at dawn got the bloods sent",  # a preposition: a time of day
        ],
    )
    def test_things_times_and_linking_verbs_stay(self, pipeline, text):
        assert rule_finds("given_name_before_an_action", text) == []
