"""Names whatever their case and origin, and whole names (issue 14, docs/adr/0012)."""

import pytest

from anonymisation.pipeline import redact_texts

from .names import people


def redacted(pipeline, text):
    return redact_texts({"text": text}, pipeline=pipeline).texts["text"]


class TestCaseNormalisedSecondLook:
    @pytest.mark.parametrize(
        ("text", "names"),
        [
            ("spoke to kevin ames about the fall", ["kevin ames"]),
            ("ADEBAYO OKONKWO-BELL FOUND ON FLOOR", ["ADEBAYO OKONKWO-BELL"]),
            ("Patient LUZVIMINDA DELA PAZ was seen by the team.", ["LUZVIMINDA DELA PAZ"]),
            ("jack robinson and mark harris on shift", ["jack robinson", "mark harris"]),
            ("Edgaras lives alone and uses a frame.", ["Edgaras"]),
        ],
    )
    def test_names_in_lower_case_capitals_or_from_anywhere(self, pipeline, text, names):
        assert people(pipeline, text) == names

    @pytest.mark.parametrize(
        "text",
        [
            "PATIENT FOUND ON FLOOR, NURSE INFORMED AND AWARE",
            "Inbox. Debrief held with the team after the incident.",
            "Referral sent to the falls team.",
            "Crew arrived at 14:00.",
            "we will page the registrar",
            "moderate harm, fluids given",
        ],
    )
    def test_capitals_and_everyday_words_are_not_names(self, pipeline, text):
        assert people(pipeline, text) == []

    def test_a_misspelt_word_is_not_a_name(self, pipeline):
        assert people(pipeline, "the key safe code was wrnog and the pateint fonud it") == []

    def test_a_name_in_capitals_after_a_title_is_still_a_name(self, pipeline):
        assert people(pipeline, "CONSULTANT TOBY INFORMED. SEEN BY DR YANG") == ["TOBY", "YANG"]


class TestContext:
    def test_given_names_listed_with_a_name(self, pipeline):
        assert (
            redacted(pipeline, "Good teamwork from Justyna, Fiona + Søren on Ash ward.").count("[PERSON") >= 2
        )
        assert "Justyna" not in redacted(pipeline, "Good teamwork from Justyna, Fiona + Søren on Ash ward.")

    def test_a_word_beside_a_capitalised_name_is_not_listed(self, pipeline):
        assert "harm" in redacted(pipeline, "Moderate harm, Chirag Gohil needed edoxaban.")

    def test_relation_then_nok(self, pipeline):
        assert people(pipeline, "son (nok) abraham thanked the team") == ["abraham"]

    def test_nok_after_father_is_no_surname(self, pipeline):
        assert "NOK" in redacted(pipeline, "father NOK DAHIR SHIRE informed")
        assert "DAHIR" not in redacted(pipeline, "father NOK DAHIR SHIRE informed")

    def test_a_name_after_with_is_a_person_not_a_place(self, pipeline):
        assert people(pipeline, "The interpreter spoke Sylheti with Kateryna") == ["Kateryna"]


class TestInitials:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("the alarm went off and m bose silenced it", "m bose"),
            ("outreach nurse j cook was covering", "j cook"),
            ("Locum dr A ANDERSEN prescribed it", "A ANDERSEN"),
            ("glued by dr. c. goldberg on the ward", "c. goldberg"),
            ("seen by Harjit S Bains on the ward", "Harjit S Bains"),
        ],
    )
    def test_initial_and_surname(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_x_ray_is_not_a_name(self, pipeline):
        assert people(pipeline, "x ray done and c section planned") == []


class TestWholeNames:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("ct for lucia r bianchi was delayed", "lucia r bianchi"),
            ("NIC Márton N informed the team.", "Márton N"),
            ("mr donal ní dhomhnaill had a small laceration", "donal ní dhomhnaill"),
            ("Sang-woo Nam borrowed one from the next bay", "Sang-woo Nam"),
            ("Hyun-woo Yoon was living at home", "Hyun-woo Yoon"),
            ("at 22.12, A Odukoya attended.", "A Odukoya"),
            ("the pharmacy label had oliver edwards's name on it", "oliver edwards"),
            ("Amber Hall attended the governance meeting", "Amber Hall"),
            ("community nurse iqra a could not get in", "iqra a"),
            ("Dr Maria holt reviewed the patient", "Maria holt"),
        ],
    )
    def test_no_half_names(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_an_article_after_a_name_is_not_an_initial(self, pipeline):
        assert people(pipeline, "Dr Okafor gave a dose") == ["Okafor"]

    def test_statement_at_a_line_start_does_not_join_the_name(self, pipeline):
        assert people(pipeline, "Actions. Statement LAYLA BARAKAT was seen.")[0] == "LAYLA BARAKAT"


class TestGivenNamesWhereAPersonGoes:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("no pump available so nga used a manual cuff", "nga"),
            ("the line was found disconnected by liv. agency hca informed", "liv"),
            ("PARTNER JACK POSTED PHOTOS OF EDWARD ON FACEBOOK", "EDWARD"),
        ],
    )
    def test_common_given_names_that_are_also_words(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize("text", ["flagged amber on the dashboard", "the dung was cleaned"])
    def test_the_same_words_used_as_words(self, pipeline, text):
        assert people(pipeline, text) == []


class TestWordLikeGivenNamesInAPersonsPlace:
    """A bare given name that is also a word, opening a clause before a person's verb, after "by",
    "thanked", "spoke to" ..., or listed with a name, in any case (docs/adr/0012)."""

    @pytest.mark.parametrize(
        ("text", "names"),
        [
            ("Isla and Mia were in the bay when the alarm went off.", ["Isla", "Mia"]),
            ("Rose and Grace were both moved to Resus.", ["Rose", "Grace"]),
            ("harper said the pump had alarmed twice.", ["harper"]),
            ("rose was on her break when the patient fell.", ["rose"]),
            ("SUMMER CHECKED THE PATIENT AT 0300 AND FOUND HIM ON THE FLOOR.", ["SUMMER"]),
            ("nobody had told her frank had fallen.", ["frank"]),
            ("she has been told that ganesh is stable.", ["ganesh"]),
            ("at 01:00 heather e noticed the pump had stopped", ["heather e"]),
            ("the line was found disconnected by holly.", ["holly"]),
            ("She thanked Heather for keeping her informed.", ["Heather"]),
            ("the night team, faith and ivy, followed the falls policy.", ["faith", "ivy"]),
            ("The night team, Poppy and Will, followed the falls policy.", ["Poppy", "Will"]),
        ],
    )
    def test_names(self, pipeline, text, names):
        assert people(pipeline, text) == names

    @pytest.mark.parametrize(
        "text",
        [
            "The X-ray was booked against the wrong unit number.",
            "low harm, the patient has capacity and was told.",
            "she was found at 0725 so lie was short.",
            "the rose was on the table and will be moved.",
            "pain was worse at night, will review in the morning.",
            "she spoke with grace to the relatives",
        ],
    )
    def test_the_same_words_as_words(self, pipeline, text):
        assert people(pipeline, text) == []


class TestNicknames:
    @pytest.mark.parametrize(
        ("text", "nickname"),
        [
            ("Errol Forbes, known to everyone as Lol, was found wandering.", "Lol"),
            ("MR FORBES KNOWN TO EVERYONE AS SMUDGE WAS FOUND WANDERING.", "SMUDGE"),
            ("errol forbes, known on the ward as smudge, was found.", "smudge"),
            ("Errol aka Baz was found near the lifts.", "Baz"),
        ],
    )
    def test_nickname_after_its_cue(self, pipeline, text, nickname):
        assert nickname not in redacted(pipeline, text)

    def test_a_nickname_spreads_to_its_other_mentions(self, pipeline):
        text = "Errol Forbes known to everyone as Lol was found. Lol made Mr Aslam a cup of tea."
        assert people(pipeline, text).count("Lol") == 2

    def test_known_as_a_thing_is_no_name(self, pipeline):
        assert people(pipeline, "this is known as a long lie") == []


class TestWholeNamesAroundOtherIdentifiers:
    def test_a_name_beside_a_hospital_number_keeps_its_own_redaction(self, pipeline):
        text = "CT for Mr Yang rhw 0974323 delayed 6 hours."
        assert redacted(pipeline, text) == "CT for Mr [PERSON 1] [HOSPITAL NUMBER 1] delayed 6 hours."

    def test_a_name_straight_after_an_address_is_still_redacted(self, pipeline):
        text = "arrived home at Apartment 23, Mercury House, Elm Place, Harrow Ms Ryan had a laceration"
        assert "Ms [PERSON 1] had" in redacted(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("dr k amoah aware. crawford, shonagh was found on the floor.", "crawford, shonagh"),
            ("Pressure ulcer found on TSANG, Ka-Lok's sacrum.", "TSANG, Ka-Lok"),
        ],
    )
    def test_surname_comma_given_name(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_a_heading_before_a_comma_is_no_surname(self, pipeline):
        assert people(pipeline, "Actions, Amina rang the GP.") == ["Amina"]


class TestOnlyAPersonDoesThis:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Kadian heard a bang and found her on the floor.", "Kadian"),  # also a drug brand
            ("juma had checked shiny at 1345 so the long lie was short.", "shiny"),
        ],
    )
    def test_names(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_the_drug_stays_a_drug(self, pipeline):
        assert people(pipeline, "Kadian was given at 0800 as prescribed.") == []


class TestInitialsAndListsOfNames:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Datix completed by Nadeem A at 20:30hrs.", "Nadeem A"),
            ("staff nurse jesmin a (nmc pin 19h8822e) has been supported", "jesmin a"),
            ("Sickness on rota, NGA + rhys were both moved to HDU", "NGA"),
        ],
    )
    def test_names(self, pipeline, text, name):
        assert name in people(pipeline, text) or all(
            part not in redacted(pipeline, text) for part in name.split()
        )

    def test_a_capital_a_before_a_noun_is_an_article(self, pipeline):
        assert "A nurse" in redacted(pipeline, "Seen by Nadeem. A nurse was called.")

    def test_a_lower_case_heading_is_no_name(self, pipeline):
        text = "gaz white had to translate. inbox: - michał kowalczyk - mark best"
        assert "inbox" in redacted(pipeline, text)


# Third round (issue 14): names that come back alone, names in another case beside a found name.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name a title vouched for stays a name when it comes back alone, in any case, even when it is
        # also a language ("Shona") or a rare dictionary word ("fatima")
        (
            "Agency HCA Shona had no handover. Shona was new to ward. Huddle held w/ shona. SHONA responded.",
            ["Shona", "Shona", "shona", "SHONA"],
        ),
        ("Fatima Abu-Zeid + keith t attended. fatima was upset.", ["Fatima Abu-Zeid", "keith t", "fatima"]),
        # a lower-case name nobody writes as a word, joined by "and" to a capitalised name
        ("The night team, torquil and Salamatu, followed the policy.", ["torquil", "Salamatu"]),
        # a common given name in capitals after a relation word, in mixed-case text
        ("Dean Pickles was moved. partner JACK posted photos of the ward.", ["Dean Pickles", "JACK"]),
        # a hyphenated given name whose first part is a place word ("Wing")
        ("Case discussed w/ Leung Wing-Kei at the meeting.", ["Leung Wing-Kei"]),
    ],
)
def test_names_that_come_back_or_change_case(pipeline, text, expected):
    assert people(pipeline, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Patient found on floor at 05:40hrs, GCS 8, PT FELL. Duty of candour letter sent.",
        "She speaks Shona and an interpreter was booked.",
        "Seen on Jubilee Wing by the night team, obs and gcs 15 and Dr Ali informed.",
        "son AWARE of plan. daughter INFORMED.",
    ],
)
def test_words_beside_those_rules_stay(pipeline, text):
    assert people(pipeline, text) in ([], ["Ali"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # after the Vietnamese middle names Văn and Thị comes the given name, even when it is a word
        ("TRAN VAN LONG WAS FOUND ON THE FLOOR BY STAFF. LONG HAD A HEAD INJURY.", ["TRAN VAN LONG", "LONG"]),
        ("staff nurse le thi mai turned the patient.", ["le thi mai"]),
        # a nickname the record introduces is that person when it comes back in lower case
        (
            "Darren Platt, known to everyone as smudge, gave the tablets. smudge realised at the next round.",
            ["Darren Platt", "smudge", "smudge"],
        ),
    ],
)
def test_vietnamese_given_names_and_repeated_nicknames(pipeline, text, expected):
    assert people(pipeline, text) == expected


def test_a_place_after_from_and_to_in_a_clause_of_motion_stays(pipeline):
    assert people(pipeline, "Patient transferred from Airedale to Pinderfields with no handover.") == []
    assert people(pipeline, "The van was late.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Grace's daughter was called at 10:00.", ["Grace"]),
        ("faith's husband complained about the delay.", ["faith"]),
        ("Dawn, the HCA, found him on the floor.", ["Dawn"]),
        ("After handover, the nurse in charge, Sam, called.", ["Sam"]),
    ],
)
def test_given_names_before_a_relation_or_a_role_between_commas(pipeline, text, expected):
    assert people(pipeline, text) == expected


@pytest.mark.parametrize(
    "text", ["Addison's disease was known. The patient's son was told.", "It was a summer's day."]
)
def test_possessives_that_are_no_people_stay(pipeline, text):
    assert people(pipeline, text) == []


def test_an_initial_and_a_word_surname_after_a_title_are_one_name(pipeline):
    assert people(pipeline, "agency hca r. page had not been given a handover") == ["r. page"]
    assert people(pipeline, "Dr A. gave the dose. Dr. A. was called.") == []


class TestCapitalisedGivenNameInMidSentence:
    """Fourth round (``person.capitalised_given_name``, docs/adr/0012)."""

    def test_a_given_name_the_writer_capitalised_in_running_prose(self, pipeline):
        assert people(pipeline, "Obs were checked with Hope and the plan agreed.") == ["Hope"]

    @pytest.mark.parametrize(
        "text",
        [
            "The Grace period ended. Met at Hope Ward.",
            "Fluids given, no change Low harm recorded by the team.",
            "ALL OBS DONE WITH HOPE OF IMPROVEMENT.",
        ],
    )
    def test_words_heading_a_phrase_or_in_capitals_stay(self, pipeline, text):
        assert people(pipeline, text) == []

    def test_a_rarer_given_name_before_a_persons_verb(self, pipeline):
        assert people(pipeline, "call bell not answered for 40 mins Marigold was distressed") == ["Marigold"]


def test_a_listed_given_name_after_a_relation_whatever_its_tag(pipeline):
    text = "the team called her mum hyacinth on the contact number."
    assert people(pipeline, text) == ["hyacinth"]
    assert people(pipeline, "her son present. his wife aware.") == []


class TestWordsThatLookedLikeNames:
    """Fourth round (docs/adr/0012): states after a role, derived words, model persons that are words."""

    @pytest.mark.parametrize(
        "text",
        [
            "no bank staff available, Housekeeper aware. Matron aware.",
            "wristband checked, not matching, so relabelled. found at 0815hrs, unwitnessed fall.",
            "Seen at 12am. Sputum was green and the stools were black.",
            "next of kin tel 0113 496 0812.",
            "BM was 24 at 14:05.",
        ],
    )
    def test_they_stay(self, pipeline, text):
        assert people(pipeline, text) == []

    def test_names_in_the_same_places(self, pipeline):
        assert people(pipeline, "given late as doctor forum was in theatre.") == ["forum"]
        assert people(pipeline, "Thanks to Buzz who noticed the error.") == ["Buzz"]
        assert people(pipeline, "Mrs smith aware. Dr brown informed.") == ["smith", "brown"]


def test_a_grammar_word_after_an_honorific_is_a_surname(pipeline):
    assert people(pipeline, "Mr He was seen. Dr So came. MRS AN LEFT.") == ["He", "So", "AN"]
    assert people(pipeline, "Mr and Mrs Smith came. Seen by Dr to check. Dr then left.") == ["Smith"]


def test_a_place_after_a_motion_verb_does_not_reach_into_the_next_sentence(pipeline):
    text = "Both were moved to Resus.\nDaniela and Purna were in the bay. Transferred to King's Lynn."
    assert people(pipeline, text) == ["Daniela", "Purna"]
