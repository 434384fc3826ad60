"""What must stay (issue 14, docs/adr/0012): drugs from the drug dictionary, named rules, devices,
languages, faiths, roles, systems, ward and hospital names."""

import pytest

from anonymisation.pipeline import get_pipeline, redact_texts
from anonymisation.pipeline.allow_list import protected_spans
from anonymisation.pipeline.keep_rules import _eponym_stems


@pytest.fixture(scope="module")
def pipeline():
    return get_pipeline()


def redacted(pipeline, text):
    return redact_texts({"text": text}, pipeline=pipeline).texts["text"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Patient on Eliquis and Ozempic, Zomorph given.", ["Eliquis", "Ozempic", "Zomorph"]),
        (
            "Gillick competence assessed, Bakri balloon inserted, Martha's rule invoked.",
            ["Gillick", "Bakri", "Martha"],
        ),
        ("Miss Okafor has Cushing's and was moved using the Omnipod.", ["Cushing's", "Omnipod"]),
        ("teaching on Raynaud's. Low harm.", ["Raynaud's"]),
        ("The Nova StatStrip alarmed and the Clinitron was put in place.", ["Nova StatStrip", "Clinitron"]),
        ("Ryan spoke Sylheti and Tagalog with the family.", ["Sylheti", "Tagalog"]),
        ("Mr Kiss is Church of England and was fasting for Navratri.", ["Church of England", "Navratri"]),
        ("the dose was not signed on patientrack or vocera.", ["patientrack", "vocera"]),
        ("A stay on Curlew ward, then seacole ward, then Fleming unit.", ["Curlew", "seacole", "Fleming"]),
        ("She came from Rotherham General and had not been seen by Mencap.", ["Rotherham General", "Mencap"]),
        ("Documented the Barthel index and the barthel index again.", ["Barthel", "barthel"]),
        ("community team contacted, ext 1153 given.", ["ext"]),
        # places named by what surrounds them (issue 14's second round)
        ("Communication between Wythenshawe and the ward was poor.", ["Wythenshawe"]),
        ("Communication between Northwick Park + ward was poor.", ["Northwick Park"]),
        ("Pt from Fern Cottage near Kettering admitted w/ a fall.", ["Kettering"]),
        ("pt was admitted from pinderfields general after a fall at home.", ["pinderfields"]),
        ("ADMITTED FROM SALFORD ROYAL AFTER A FALL.", ["SALFORD ROYAL"]),
        ("No Hoverjack available so the crew lifted him.", ["Hoverjack"]),
        ("ATTENDED TEACHING ON POUCH OF DOUGLAS TODAY.", ["DOUGLAS"]),
        ("Handover held with Fotini K\nStatement to MHRA sent.", ["Statement"]),
        ("Pt in SAU with a sick patient Statement LAYLA BARAKAT dob 1950", ["Statement"]),
    ],
)
def test_vocabulary_stays(pipeline, text, kept):
    output = redacted(pipeline, text)
    assert all(word in output for word in kept), output


def test_a_drug_that_is_also_a_name_only_vetoes_weak_guesses():
    spans = protected_spans("Allegra given at 10:00")
    assert spans and not any(s.explicit for s in spans if s.kind == "drug")
    assert any(s.explicit for s in protected_spans("Eliquis given at 10:00") if s.kind == "drug")


def test_a_language_that_is_a_name_protects_only_in_its_context():
    assert any(s.explicit for s in protected_spans("she speaks Shona at home") if s.kind == "language")
    assert not any(s.explicit for s in protected_spans("Agency HCA Shona had gone") if s.kind == "language")


def test_eponym_stems_come_from_the_phrases():
    assert {"cushing", "raynaud", "parkinson"} <= _eponym_stems()


def test_people_named_like_vocabulary_are_still_people(pipeline):
    assert "Parkinson" not in redacted(pipeline, "Mr Parkinson's wife visited.")
    assert "Ward" not in redacted(pipeline, "Mrs Ward fell in the bay.")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jo Smith and the ward manager agreed the plan.", "Jo Smith"),
        ("labelled with the details of jade cook hospital no. H9622584", "jade"),
        ("Handover held with Fotini K\nStatement to MHRA sent.", "Fotini"),
    ],
)
def test_places_and_headings_do_not_hide_a_name(pipeline, text, name):
    assert name not in redacted(pipeline, text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("mr ali speaks lingala and a lingala interpreter was booked", ["speaks", "lingala"]),
        ("Visiting changed for Hajj, Amrit told.", ["Hajj"]),
        ("Fasting for Navratri, Amrit was informed.", ["Navratri"]),
    ],
)
def test_faiths_and_languages_beside_names(pipeline, text, kept):
    output = redacted(pipeline, text)
    assert all(word in output for word in kept)
    assert "ali" not in output.replace("lingala", "") and "Amrit" not in output


def test_two_people_joined_before_royal_are_no_hospital():
    from anonymisation.pipeline import get_pipeline, redact_texts

    text = "staff nurse on simpson ward with krzysztof and royal as hcas. transferred to salford royal."
    result = redact_texts({"text": text}, pipeline=get_pipeline())
    assert [text[e.start : e.end] for e in result.entities] == ["krzysztof", "royal"]


@pytest.mark.parametrize(
    "text",
    [
        "Outcome: no harm, discharged home to Hastings on Wednesday.",
        "Pt lives in Bath with her husband.",
        "From The Willows in Newry, GP surgery on the high street.",
        "Assessed by the team and Microgynon given. Yasmin given at 10:50.",
    ],
)
def test_towns_and_things_given_stay(text):
    from anonymisation.pipeline import get_pipeline, redact_texts

    result = redact_texts({"text": text}, pipeline=get_pipeline())
    redacted = [text[e.start : e.end] for e in result.entities]
    assert not any(town in value for value in redacted for town in ("Hastings", "Bath", "Newry", "Yasmin"))
    assert not any("Microgynon" in value for value in redacted)


def test_a_house_name_after_home_to_and_a_person_given_something_are_still_redacted():
    from anonymisation.pipeline import get_pipeline, redact_texts

    text = "He went home to Hillcrest, The Paddock. Jaspal Dhillon + Yasmin given. Mary given paracetamol."
    result = redact_texts({"text": text}, pipeline=get_pipeline())
    assert [text[e.start : e.end] for e in result.entities] == [
        "Hillcrest, The Paddock",
        "Jaspal Dhillon",
        "Mary",
    ]


def test_a_name_before_unit_number_is_no_ward():
    from anonymisation.pipeline import get_pipeline, redact_texts

    text = "Musa Abdulkadir unit number T531319 had a cannula. Moved to Fleming unit."
    result = redact_texts({"text": text}, pipeline=get_pipeline())
    assert [text[e.start : e.end] for e in result.entities] == ["Musa Abdulkadir", "T531319"]


# Tenth round (docs/adr/0012): staffing agencies and home-care providers, contraceptive and dental
# anaesthetic brands, NHS e-Referral and dental record systems, "Head of ..." and "Nurse Specialist".
@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("night co-ordinator rang medacs for an agency nurse for Zoe Hartley", ["medacs"], ["Hartley"]),
        ("his carers (caremark) missed the lunch call, daughter Janet rang", ["caremark"], ["Janet"]),
        ("Mrs Ada Price was given Septanest by Dr Quinlan at the practice", ["Septanest"], ["Quinlan"]),
        ("Tasha Greenwood was issued Microgynon despite her migraine", ["Microgynon"], ["Greenwood"]),
        ("the referral for Mr Dale Ibbotson was rejected by e-RS and nobody noticed", ["e-RS"], ["Ibbotson"]),
        ("allergy noted by Ms Farrow but not copied across to SOE", ["SOE"], ["Farrow"]),
        ("Kind regards, Owen Marsh Head of Quality", ["Head of Quality"], ["Owen Marsh"]),
    ],
)
def test_tenth_round_vocabulary_stays(pipeline, text, kept, gone):
    output = redacted(pipeline, text)
    assert all(word in output for word in kept), output
    assert not any(word in output for word in gone), output


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        (
            "Community pharmacy, Whitby. Mr Reuben Castle was given the wrong strength.",
            ["Whitby"],
            ["Castle"],
        ),
        (
            "Dental practice, Buxton. Child given the wrong dose by Dr Anwar.",
            ["Buxton"],
            ["Anwar"],
        ),
        ("Reception, Sarah. Pt shouted at staff.", [], ["Sarah"]),
        ("GP surgery, Dr Ahmed. Pt called about results.", [], ["Ahmed"]),
    ],
)
def test_a_setting_then_its_town_opens_a_note(pipeline, text, kept, gone):
    output = redacted(pipeline, text)
    assert all(word in output for word in kept), output
    assert not any(word in output for word in gone), output
