"""The public API: overlaps, batching, and input that is long, odd or hostile."""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from presidio_analyzer import RecognizerResult

from anonymisation.pipeline import (
    MAX_TEXT_LENGTH,
    TextTooLongError,
    clean_text,
    get_pipeline,
    redact_many,
    redact_texts,
)
from anonymisation.pipeline.redact import resolve_overlaps

from .names import people


@pytest.fixture(scope="module")
def pipeline():
    return get_pipeline()


def redact(pipeline, text):
    return redact_texts({"text": text}, pipeline=pipeline)


class TestOverlaps:
    def test_an_email_address_wins_over_the_url_inside_it(self, pipeline):
        result = redact(pipeline, "Write to jo.bloggs@www.example.co.uk today.")
        assert result.texts["text"] == "Write to [EMAIL ADDRESS 1] today."
        assert [e.entity_type for e in result.entities] == ["EMAIL_ADDRESS"]

    def test_resolution_prefers_the_more_specific_type_then_score_then_length(self):
        email = RecognizerResult("EMAIL_ADDRESS", 0, 20, 0.9)
        url = RecognizerResult("URL", 9, 20, 0.95)
        person = RecognizerResult("PERSON", 0, 8, 0.85)
        assert [(r.entity_type, r.start, r.end) for r in resolve_overlaps([url, person, email])] == [
            ("EMAIL_ADDRESS", 0, 20)
        ]

    def test_overlapping_detections_of_one_type_merge(self):
        merged = resolve_overlaps(
            [RecognizerResult("PERSON", 0, 9, 0.9), RecognizerResult("PERSON", 4, 15, 0.6)]
        )
        assert [(r.start, r.end, r.score) for r in merged] == [(0, 15, 0.9)]

    def test_an_address_wins_over_a_name_inside_it(self, pipeline):
        result = redact(pipeline, "She lives at 12 Kowalczyk Road with her son.")
        assert result.texts["text"] == "She lives at [ADDRESS 1] with her son."


class TestResult:
    def test_entities_carry_types_offsets_and_placeholders_but_the_summary_no_values(self, pipeline):
        text = "Dr Okafor emailed ayesha.khan@nhs.net about NHS number 943 476 5919."
        result = redact(pipeline, text)
        assert [(e.entity_type, text[e.start : e.end], e.placeholder) for e in result.entities] == [
            ("PERSON", "Okafor", "[PERSON 1]"),
            ("EMAIL_ADDRESS", "ayesha.khan@nhs.net", "[EMAIL ADDRESS 1]"),
            ("NHS_NUMBER", "943 476 5919", "[NHS NUMBER 1]"),
        ]
        assert result.summary == {"EMAIL_ADDRESS": 1, "NHS_NUMBER": 1, "PERSON": 1}

    def test_redact_many_matches_redact_texts(self, pipeline):
        records = [
            {"a": "Nurse Adebayo attended.", "b": "Call 07700 900123."},
            {"a": "Mrs Lee fell."},
            {"a": ""},
        ]
        batched = list(redact_many(records, pipeline=pipeline, chunk_size=2))
        one_by_one = [redact_texts(record, pipeline=pipeline) for record in records]
        assert [r.texts for r in batched] == [r.texts for r in one_by_one]
        assert batched[2].texts == {"a": ""}


class TestBadInput:
    def test_the_longest_allowed_text_is_redacted(self, pipeline):
        text = ("Nurse Adebayo " + "a" * 300 + " ") * 1000
        text = text[:MAX_TEXT_LENGTH]
        result = redact(pipeline, text)
        assert len(text) == 100_000
        assert result.summary["PERSON"] > 100

    def test_one_character_more_is_rejected_with_a_message_fit_for_the_user(self, pipeline):
        with pytest.raises(TextTooLongError) as error:
            redact_texts({"description": "a" * (MAX_TEXT_LENGTH + 1)}, pipeline=pipeline)
        assert isinstance(error.value, ValueError)
        assert str(error.value) == "description is 100,001 characters long; the limit is 100,000 characters."

    def test_text_must_be_a_string(self, pipeline):
        with pytest.raises(TypeError, match="description must be text"):
            redact_texts({"description": None}, pipeline=pipeline)

    def test_emoji_survive_and_offsets_stay_right(self, pipeline):
        text = "😀👨‍👩‍👧 Nurse Adebayo 🙏🏽 said thanks 🎉"
        result = redact(pipeline, text)
        assert "😀" in result.texts["text"] and "🎉" in result.texts["text"]
        assert [text[e.start : e.end] for e in result.entities] == ["Adebayo"]

    @pytest.mark.parametrize(
        "text",
        [
            "المريض أحمد سقط على الأرض. Dr Okafor attended.",
            "החולה נפל מהמיטה. Dr Okafor attended.",
            "\u202eDr Okafor\u202c",
        ],
    )
    def test_right_to_left_scripts_and_bidi_controls(self, pipeline, text):
        result = redact(pipeline, text)
        assert "Dr [PERSON 1]" in result.texts["text"]
        assert "\u202e" not in result.texts["text"]

    def test_control_characters_are_neutralised(self, pipeline):
        text = "Nurse\x00 Adebayo\x07 rang\x1b[31m 07700\t900123\r\n"
        result = redact(pipeline, text)
        assert not any(ord(c) < 32 and c not in "\t\r\n" for c in result.texts["text"])
        assert "[PHONE NUMBER 1]" in result.texts["text"]

    def test_a_zero_width_space_cannot_hide_a_name(self, pipeline):
        text = "Nurse Ade\u200bbayo attended."
        result = redact(pipeline, text)
        assert result.texts["text"] == "Nurse [PERSON 1] attended."
        assert text[result.entities[0].start : result.entities[0].end] == "Ade\u200bbayo"

    def test_markup_is_treated_as_text(self, pipeline):
        text = '<script>alert("Dr Okafor")</script><b onclick="x()">Mrs Lee</b> &lt;tag&gt;'
        result = redact(pipeline, text)
        assert (
            result.texts["text"]
            == '<script>alert("Dr [PERSON 1]")</script><b onclick="x()">Mrs [PERSON 2]</b> &lt;tag&gt;'
        )

    def test_lone_surrogates_are_replaced(self):
        assert clean_text("a\ud800b").text == "a\ufffdb"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_is_redacted_without_error(pipeline, text):
    result = redact_texts({"text": text}, pipeline=pipeline)
    for entity in result.entities:
        assert 0 <= entity.start < entity.end <= len(text)
    assert not any(unicodedata.category(c) in {"Cf", "Cs"} for c in result.texts["text"])
    assert not any(unicodedata.category(c) == "Cc" and c not in "\t\r\n" for c in result.texts["text"])


class TestNamesThatComeBackAsTheyWereWritten:
    """Fourth round (docs/adr/0012): a run of two or more words of a found name, written again."""

    def test_a_run_of_name_words_comes_back_in_any_case(self, pipeline):
        text = "Naloxone given by Registrar lee long. Later LEE LONG (Dr) was bleeped and lee long came."
        result = redact(pipeline, text)
        assert [text[e.start : e.end] for e in result.entities] == ["lee long", "LEE LONG", "lee long"]

    def test_the_words_alone_or_across_a_line_break_stay(self, pipeline):
        # "lee" alone where a person fits is the person again (eighth round, below); after "the" it is
        # the word, and "lee" + line break + "long" is no run of the name.
        text = "Naloxone given by Registrar lee long.\nThe wait was long. in the lee\nlong stay"
        result = redact(pipeline, text)
        assert [text[e.start : e.end] for e in result.entities] == ["lee long"]

    def test_a_name_an_email_address_is_made_of(self, pipeline):
        text = "Copy kept in the notes about hazel. Sent to hazel.jones@example.com."
        result = redact(pipeline, text)
        assert [text[e.start : e.end] for e in result.entities if e.entity_type == "PERSON"] == ["hazel"]
        alone = redact(pipeline, "Copy kept in the notes about hazel.")
        assert alone.entities == []

    def test_an_address_of_a_role_or_office_names_nobody(self, pipeline):
        text = "Sent to ward.manager@example.nhs.uk and info@example.com; the ward manager has the info."
        result = redact(pipeline, text)
        assert [e.entity_type for e in result.entities] == ["EMAIL_ADDRESS", "EMAIL_ADDRESS"]


class TestLowerCaseMentionsOfAFoundName:
    """A name found once in a record is that person again in lower case where a name fits (docs/adr/0012,
    "Eighth round"), not where the words around it make it the common word."""

    @pytest.mark.parametrize(
        ("text", "mention"),
        [
            ("Miles Okafor fell in the bay. breda sat with miles until his grandson arrived.", "miles"),
            ("Wallace was agitated overnight. dr kind r/v'd wallace at 2140hrs, NAD found.", "wallace"),
            (
                "Dr Royal Okafor reviewed at 2200. staff were very supportive to royal after the event.",
                "royal",
            ),
            ("Patient: Miles Bird. the porter took miles to x-ray without oxygen.", "miles"),
        ],
    )
    def test_a_mention_where_a_person_fits_is_the_person(self, pipeline, text, mention):
        assert mention in people(pipeline, text)

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("Frank Hill rang at 0745. his wife had frank blood in her catheter bag.", "frank blood"),
            ("Dawn Moss was on shift. the patient rang at dawn asking for water.", "at dawn"),
            ("Bill Carter, son, visited. he was given a bill for parking.", "a bill"),
            ("Rose Evans was admitted. there was a rose in the vase by her bed.", "a rose"),
            ("Mark Hughes took over. will mark the chart at 0800.", "mark the"),
        ],
    )
    def test_the_common_word_stays(self, pipeline, text, word):
        start = text.index(word)
        end = start + len(word)
        entities = redact_texts({"text": text}, pipeline=pipeline).entities
        assert not any(e.entity_type == "PERSON" and e.start < end and start < e.end for e in entities)


class TestNameBeforeAnIdentifier:
    """A patient's number is written straight after the patient's name (docs/adr/0012, "Eighth round")."""

    @pytest.mark.parametrize(
        ("text", "name"),
        [
            (
                "CREW WAITED 4 HRS OUTSIDE ED WITH PT MARY O'NEILL, DOB 03/03/1944. PT WAS INCONTINENT",
                "MARY O'NEILL",
            ),
            ("Blood actually taken from Pierce, John RXN-2281094 and sent to the lab.", "Pierce, John"),
            (
                "patient art south nhs: 792 067 6142 was given pethidine prescribed for another patient.",
                "art south",
            ),
        ],
    )
    def test_the_name_before_a_patients_number(self, pipeline, text, name):
        assert name in people(pipeline, text)

    @pytest.mark.parametrize(
        "text",
        [
            "The patient label (532 631 9845) was put on the wrong set of notes.",
            "warfarin had been prescribed twice. NHS no. 578 363 7491 was written on the specimen form.",
            "they had taken their own fentanyl from home NHS no 733 028 8780 was on the form.",
            "staff checked against the wrong patient's hosp no RXH-1234567 on the board.",
        ],
    )
    def test_words_that_are_no_name_stay(self, pipeline, text):
        assert people(pipeline, text) == []


class TestANameLikeDrugOrLanguageListedWithAPerson:
    """Ninth round (docs/adr/0012): a drug or language that is also a common name ("ANGELICA", "Shona")
    gives way when listed with a person, and stays everywhere else."""

    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("NIGHT REPORT WARD 19 NIC: TRACEY LOWE RN: ANGELICA, CRISTINA, JOSH HCA: DEBBIE", "ANGELICA"),
            ("Line replaced. Dtr Lynn present, also grandson Jamie. DN Vicky + Shona.", "Shona"),
            ("shona + Mai were in bay when Koji fell", "shona"),
        ],
    )
    def test_listed_with_a_person_it_is_a_name(self, pipeline, text, name):
        assert any(name in person for person in people(pipeline, text))

    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("speaks Shona and English only, interpreter booked", "Shona"),
            ("given Kadian, paracetamol and Oramorph", "Kadian"),
            ("Pressure ulcer found on TSANG, Ka-Lok's sacrum by Kadian, Waterlow score was 18.", "Kadian"),
        ],
    )
    def test_listed_with_words_or_a_kept_word_it_stays(self, pipeline, text, word):
        assert not any(word in person for person in people(pipeline, text))


class TestDashesTypedAsHyphens:
    """Two or more hyphens typed as a dash are spaces to the tokeniser (``redact._tokeniser_view``)."""

    def test_a_name_before_a_typed_dash(self, pipeline):
        assert "O'Sullivan" in people(pipeline, "Bed 14 Mrs O'Sullivan-- wait see below")

    def test_offsets_hold_and_a_range_stays(self, pipeline):
        text = "Mrs O'Sullivan--BP 120--130 range"
        assert people(pipeline, text) == ["O'Sullivan"]
