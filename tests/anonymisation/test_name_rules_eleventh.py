"""Eleventh-round name rules (``recognisers/name_slots.py``, ``recognisers/person.py``; docs/adr/0012
"Eleventh round"): whom something is said or thrown at, whom a message greets, an initial that signs a
message off, and greetings that are no names."""

import pytest

from .names import kept, people


class TestWhomSomethingIsAimedAt:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("a patient (mr carl hoyle) swore at tina and bernadette because his prescription", "tina"),
            ("verbally aggressive, shouting at kwame and jess. security attended.", "kwame"),
            ("HE THREW A CHAIR AT WANJIRU AND MISSED HER", "WANJIRU"),
            ("the night staff shouted at julie, she was tearful", "julie"),
        ],
    )
    def test_a_name_after_a_verb_aimed_at_someone(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("she threw a cup at the wall and left", "wall"),
            ("we met the family at Lincoln and York on the way", "Lincoln"),
            ("pt was seen at Chester and then transferred", "Chester"),
        ],
    )
    def test_a_place_after_at_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestNameAfterAGreeting:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Hi Jan, the new Omnicell on Ward 2 locked everyone out again", "Jan"),
            ("Transfer letter: Dear Rachel, Please see below re the patient", "Rachel"),
            ("Hi Will, can you check the fridge temps", "Will"),
            ("hiya rose - are you on tomorrow", "rose"),
        ],
    )
    def test_whom_a_message_greets(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("Hi all, quick reminder that the audit is due", "all"),
            ("Dear Sir, please see the attached statement", "Sir"),
            ("Dear colleague,\nplease note the change to the rota", "colleague"),
            ("Hello team - the audit is due on friday", "team"),
            ("Hi Will, can you check the fridge temps", "Hi"),
        ],
    )
    def test_words_of_address_and_greetings_stay(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestAnInitialSigningOff:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("she wont be coming tomorrow either. can you let cerys know\nthanks k", "k"),
            ("It was rejected by e-RS in June, nobody actioned. I've re-sent. A", "A"),
            ("cheers for covering the shift last night. cheers j", "j"),
        ],
    )
    def test_an_initial_at_the_end_of_a_message(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("love you lots, thanks x", "x"),
            ("pt was given plan B", "B"),
            ("the audit result was grade A", "A"),
            ("I will review the chart. page the reg. a bell rang. dawn checks at 6.", "dawn"),
            ("I will review the chart tomorrow. I", "I"),
        ],
    )
    def test_other_letters_and_words_at_the_end_stay(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestGivenNameBeforeWhoseRole:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("shaun had a fall at the day centre patrick his key worker was on his break", "patrick"),
            ("nobody was free. ana her daughter was on the phone to her at the time", "ana"),
            ("ruby her named nurse had gone home", "ruby"),
        ],
    )
    def test_a_given_name_before_his_or_her_role(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("please mark his chart as reviewed and page the reg", "mark"),
            ("will her son be coming in", "will"),
            ("i rang her son and he came in", "rang"),
            ("the dawn her daughter was born was cold", "dawn"),
        ],
    )
    def test_a_verb_or_a_modal_before_her_son_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestSurnameAfterOfficer:
    def test_an_officer_named_by_surname(self, pipeline):
        assert "Marsh" in people(pipeline, "Officer Marsh did not do the hourly obs overnight.")

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("the officer said it was fine", "said"),
            ("the officer long had gone", "long"),
        ],
    )
    def test_a_determiner_before_officer_keeps_a_word(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestColleagueFromAServiceOutsideTheHospital:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("carol from the hospice rang to say he had died", "carol"),
            ("grace from the practice rang about the bloods", "grace"),
            ("ruby from the gp rang about the bloods", "ruby"),
        ],
    )
    def test_a_given_name_from_the_hospice_or_the_practice(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("tablets from the hospice were missing", "tablets"),
            ("transferred to martin house hospice today", "martin"),
            ("pt transferred to bradford royal infirmary", "bradford"),
        ],
    )
    def test_things_and_hospices_stay(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestTwoLetterShorthandIsNoName:
    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("DN visit Mrs Dorothy Ash – leg ulcer dressing.", "DN"),
            ("Bed 4 Zoltan Kiss – new AF, on digoxin, needs level", "AF"),
            ("Resus 14:22 – Eamon Gallagher 71M, VF arrest in waiting room.", "VF"),
            ("Solicitor Ms Keogh unhappy. RC Dr Parekh. Pt distressed.", "RC"),
            ("Mat unit 04:20. Ngozi Obi (MW) noticed CTG on wrong pt", "MW"),
            ("refused clexane x3 says in pain from injections dw Dr Field switched to apixaban", "dw"),
        ],
    )
    def test_two_letter_shorthand_in_mixed_case_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)

    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Nurse in charge Ngo VY recognised the deterioration", "VY"),
            ("Seen by Mr HE in clinic today, plan agreed", "HE"),
            ("HANDOVER - JO (AM) TO KIM (PM). BED 4 MRS BELL", "JO"),
            ("Handover from Wei Li at 8, obs stable", "Li"),
        ],
    )
    def test_two_letter_names_are_still_found(self, pipeline, text, name):
        assert any(name in person for person in people(pipeline, text))


class TestGivenNameAfterAPatientWordInCapitals:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("RESIDENT VIOLET AT SUNNYSIDE CARE HOME GIVEN THE WRONG MEDS BY THE CARER", "VIOLET"),
            ("INCIDENT AT HMP LEEDS: PRISONER LEWIS NOT GIVEN HIS PREGABALIN", "LEWIS"),
            ("Prisoner Lewis was not given his meds on the wing", "Lewis"),
        ],
    )
    def test_a_given_name_after_resident_or_prisoner(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("PATIENT WILL BE SEEN BY THE TEAM TOMORROW AND PATIENT TRANSPORT IS BOOKED", "WILL"),
            ("PATIENT MAY NEED A REVIEW. PATIENT FOUND ON FLOOR. PATIENT HOPE IS TO GO HOME", "HOPE"),
            ("PATIENT MAY NEED A REVIEW. PATIENT FOUND ON FLOOR. PATIENT HOPE IS TO GO HOME", "MAY"),
        ],
    )
    def test_a_modal_or_a_word_after_patient_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestGivenNameTheAgentNoun:
    def test_a_given_name_the_job_then_a_persons_verb(self, pipeline):
        assert "TERRY" in people(pipeline, "TERRY THE WINDOW CLEANER SAW MR ROWLEY ON THE FLOOR")

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("mark the printer said out of paper", "mark"),
            ("rose the monitor alarmed at 3", "rose"),
            ("will the receptionist ring the family", "will"),
        ],
    )
    def test_a_verb_before_a_thing_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestNamesListedOneALine:
    def test_a_name_between_two_lines_of_names(self, pipeline):
        text = "Present at the arrest:\nDr Oliver Chapman\nMark\nTran Thi Lan\nThe crash call went out"
        assert "Mark" in people(pipeline, text)

    @pytest.mark.parametrize(
        "text",
        [
            "Present:\nHolly Smith\nAgreed\nJo Bloggs\nActions below",
            "Signed:\nHolly Smith\n\nReview\n\nJo Bloggs",
        ],
    )
    def test_a_word_between_lines_of_names_stays(self, pipeline, text):
        assert kept(pipeline, text, "Agreed") and kept(pipeline, text, "Review")


class TestNameSaidToSomeone:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("sorry sian i forgot to tell you on the phone", "sian"),
            ("cheers dawn, that helped a lot last night", "dawn"),
            ("sorry holly we ran out of time", "holly"),
        ],
    )
    def test_a_name_after_sorry_or_cheers(self, pipeline, text, name):
        assert any(name in person for person in people(pipeline, text))

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("sorry will be late tomorrow", "will"),
            ("thanks again for covering the shift", "again"),
            ("morning obs done, all stable", "obs"),
            ("thanks mark as urgent please", "mark"),
        ],
    )
    def test_a_word_after_sorry_or_thanks_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestAPersonsThingInThePossessive:
    def test_a_full_name_in_the_possessive_is_no_brand(self, pipeline):
        text = "Angela put the wrong mobile number on Frank Hollis's record so his results went elsewhere"
        assert "Frank Hollis" in people(pipeline, text)


class TestWhoCameToHarm:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("given warfarin without checking allergy status. No harm to joy, obs stable, GCS 15.", "joy"),
            ("no harm to iris, obs stable and family aware", "iris"),
        ],
    )
    def test_a_name_after_harm_to(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("no harm to patient. risk of harm to self.", "self"),
            ("moderate harm to baby, no harm to others.", "others"),
            ("moderate harm to baby, no harm to others.", "baby"),
            ("low harm to skin, dressing applied", "skin"),
        ],
    )
    def test_no_name_after_harm_to_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestAnInterpreterNamed:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Interpreter June Bush arrived within 20 minutes and spoke Arabic with Kofi", "June Bush"),
            ("Interpreter s. porter arrived within 20 minutes and spoke Sylheti with Omar.", "s. porter"),
            ("interpreter rose hill attended and translated for the family", "rose hill"),
        ],
    )
    def test_a_name_between_interpreter_and_what_they_did(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("interpreter arrived late and the family waited", "arrived"),
            ("Urdu interpreter booked for 2pm. interpreter not available so language line used", "Urdu"),
            ("a porter came at 3 to take him to x-ray", "porter"),
            ("the interpreter may attend tomorrow", "may"),
        ],
    )
    def test_no_name_after_interpreter_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestLowerCaseSubjectOfAPastTense:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("two men with the same name on the ward. anna put alert stickers on. pls check dob", "anna"),
            ("her car is stuck in snow and cant get in neil stayed on from nights till 10", "neil"),
        ],
    )
    def test_a_lower_case_given_name_opening_a_clause(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("temp rose overnight. dawn checks at 6 and will review", "dawn"),
            ("the holly grew over the window. at dawn checked obs", "holly"),
            ("we met in Leeds came home late", "Leeds"),
            ("pt was seen at Airedale and transferred back", "Airedale"),
        ],
    )
    def test_words_and_places_stay(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestAColleagueOnTheBank:
    def test_a_given_name_on_the_bank(self, pipeline):
        text = "paddy on the bank came for a night shift but wasnt on our rota"
        assert "paddy" in people(pipeline, text)

    def test_money_on_the_bank_card_stays(self, pipeline):
        assert kept(pipeline, "his money on the bank card was stolen", "money")


class TestGivenNameBeforeWho:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("eye drops all in there. dec rang pharmacy - andrew - who said bin the lot.", "andrew"),
            ("spoke to dawn, who agreed to stay late", "dawn"),
        ],
    )
    def test_a_given_name_before_who(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("the holly who grew there was cut back", "holly"),
            ("the nurse who said it has gone home", "nurse"),
            ("will who is on tonight", "will"),
        ],
    )
    def test_a_noun_or_a_modal_before_who_stays(self, pipeline, text, word):
        assert kept(pipeline, text, word)


class TestAMonthListedWithAPerson:
    def test_a_capitalised_month_joined_to_a_found_name(self, pipeline):
        text = "before the second dose was given. The night team, Qasim and May, followed the falls policy."
        assert "May" in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("Reviewed in April and May by Dr Ali.", "May"),
            ("Seen by Dr Ali and May 2024 clinic", "May"),
            ("Bloods for Qasim and may need repeating", "may"),
        ],
    )
    def test_months_and_modals_stay(self, pipeline, text, word):
        assert kept(pipeline, text, word)
