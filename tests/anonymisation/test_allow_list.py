"""Eponyms, drugs, wards and job titles are clinical vocabulary, not people ("[PERSON 1] Syndrome")."""

import pytest

from anonymisation.pipeline import get_pipeline, redact_texts
from anonymisation.pipeline.allow_list import PhraseMatcher, fold, protected_spans


@pytest.fixture(scope="module")
def pipeline():
    return get_pipeline()


KEPT = [
    "She has had Parkinson's disease for ten years.",
    "Known Down syndrome, lives with family.",
    "Glasgow Coma Scale 14 on arrival.",
    "A Foley catheter was inserted at 10:00.",
    "Listed for a Hartmann's procedure tomorrow.",
    "The Apgar score was 9 at five minutes.",
    "Transferred to Ward 5 at 14:00.",
    "The nurse in charge was informed.",
    "Given Oramorph, co-amoxiclav and Clexane as prescribed.",
    "Mobilises with a Zimmer frame; Waterlow score 16.",
    "Known Crohn's disease and Raynaud's phenomenon.",
    "Moved from Rowan Ward to the Acute Medical Unit.",
    "Staff Nurse and Charge Nurse both signed.",
    "Parkinsons disease and guillain barre syndrome, typed quickly.",
    "The family are Jehovah's Witnesses; the Macmillan nurse visited.",
]


@pytest.mark.parametrize("text", KEPT)
def test_clinical_vocabulary_is_not_redacted(pipeline, text):
    result = redact_texts({"text": text}, pipeline=pipeline)
    assert result.texts["text"] == text
    assert result.summary == {}


def test_the_seed_mistake_is_not_repeated(pipeline):
    text = "I developed a case of Down Syndrome. Mr Down thought it was funny."
    result = redact_texts({"text": text}, pipeline=pipeline)
    assert result.texts["text"] == "I developed a case of Down Syndrome. Mr [PERSON 1] thought it was funny."


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mr Parkinson's wife called.", "Parkinson"),
        ("Sarah Foley was the nurse.", "Sarah Foley"),
        ("Christian Okafor is the porter.", "Christian Okafor"),
        ("Mrs May and Midwife Ward attended.", "May"),
    ],
)
def test_vocabulary_words_used_as_names_are_still_names(pipeline, text, name):
    result = redact_texts({"text": text}, pipeline=pipeline)
    assert name in {text[e.start : e.end] for e in result.entities}


def test_structural_rules_protect_unlisted_eponyms_from_weak_guesses():
    kinds = {(s.kind, s.explicit) for s in protected_spans("Positive Trousseau sign; a Graseby driver.")}
    assert ("eponym", False) in kinds
    assert ("product", False) in kinds


def test_phrase_matching_ignores_case_accents_possessives_and_hyphens():
    matcher = PhraseMatcher(
        {"eponym": ["Guillain-Barré syndrome", "Parkinson's disease"], "drug": ["co-amoxiclav"]}
    )
    text = fold("GUILLAIN BARRE SYNDROME and parkinsons disease, co amoxiclav")
    assert [kind for _, _, kind in matcher.finditer(text)] == ["eponym", "eponym", "drug"]


class TestPlaceShapesThatAreAPerson:
    """Ninth round (docs/adr/0012): a place-shaped phrase that is a name and a role, a given name in the
    possessive before a team, or a given name and a surname that is a place word after a word that takes a
    person, is not protected as a place or a product."""

    @pytest.mark.parametrize(
        ("text", "phrase"),
        [
            ("as it should have.  Gillian Barraclough Ward Sister", "Gillian Barraclough Ward"),
            ("Sharps bins are the responsibility of Danielle's team.", "Danielle's"),
            ("The discharging nurse was Jennifer Ward and the doctor was Dr Arjun Mehta.", "Jennifer Ward"),
            ("HSIB referral by Lucy Temple (gov MW)", "Lucy Temple"),
            ("From: Sharon Ward <sharon.ward@nhs.example> To: ward", "Sharon Ward"),
            ("asked for the records to be updated. Laura Temple, RN", "Laura Temple"),
        ],
    )
    def test_not_protected(self, text, phrase):
        start = text.index(phrase)
        assert not any(s.start <= start < s.end for s in protected_spans(text) if s.kind != "job_title")

    @pytest.mark.parametrize(
        ("text", "phrase"),
        [
            ("Staffing on Victoria Ward was two registered nurses.", "Victoria Ward"),
            ("Mrs Tran was moved to Elizabeth Ward at 14:00.", "Elizabeth Ward"),
            ("found on the floor and brought in by Martin House.", "Martin House"),
            ("Staff Nurse Chinonso Eze, Holly Ward. I was the nurse", "Holly Ward"),
            ("back on Holly Ward, Staff Nurse Jones said", "Holly Ward"),
            ("Contacted Victoria Ward to ask for a bed", "Victoria Ward"),
            ("liaised with Elizabeth Ward re the transfer", "Elizabeth Ward"),
            ("the receiving ward was Elizabeth Ward", "Elizabeth Ward"),
            ("Handover: Holly Ward, RN Jones in charge", "Holly Ward"),
            ("Called the Graseby team about the driver.", "Graseby"),
        ],
    )
    def test_still_protected(self, text, phrase):
        start = text.index(phrase)
        assert any(s.start <= start < s.end for s in protected_spans(text))

    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("as it should have.  Gillian Barraclough Ward Sister", "Gillian Barraclough"),
            ("Sharps bins are the responsibility of Danielle's team.", "Danielle"),
            ("The discharging nurse was Jennifer Ward and the doctor was Dr Arjun Mehta.", "Jennifer"),
        ],
    )
    def test_the_name_is_redacted(self, pipeline, text, name):
        result = redact_texts({"text": text}, pipeline=pipeline)
        found = [text[e.start : e.end] for e in result.entities if e.entity_type == "PERSON"]
        assert any(name in person for person in found)


# Tenth round (docs/adr/0012): a named deformity, a ward with a compass point, procedure and rota shorthand.
@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("Mrs Edna Platt fell on her outstretched hand. Colles' deformity R wrist.", ["Colles"], ["Platt"]),
        ("Handover – Ward 7 West, nights. Bed 3 Harold Fenwick, new AF", ["West"], ["Fenwick"]),
        ("Bed 9 Gordon Ashworth NBM for ERCP tmrw, INR 1.1", ["ERCP", "tmrw"], ["Ashworth"]),
        ("ROTA WK 12: SHARON - NIGHTS", ["WK 12"], ["SHARON"]),
        ("no obs from 2200 til 0600 on Mr Keith Lomax", ["til"], ["Lomax"]),
        ("seen by Niamh Doyle, Diabetes Nurse Specialist, on Monday", ["Specialist"], ["Doyle"]),
    ],
)
def test_tenth_round_kept(pipeline, text, kept, gone):
    output = redact_texts({"text": text}, pipeline=pipeline).texts["text"]
    assert all(word in output for word in kept), output
    assert not any(word in output for word in gone), output
