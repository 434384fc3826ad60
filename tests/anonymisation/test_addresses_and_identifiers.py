"""UK addresses as a grammar, hospital and register numbers, phone notations and dates of birth near a
person (issue 14, docs/adr/0012)."""

import pytest

from anonymisation.pipeline import get_pipeline, redact_texts
from anonymisation.pipeline.recognisers import (
    AddressRecogniser,
    HospitalNumberRecogniser,
    RegistrationNumberRecogniser,
    UkPhoneRecogniser,
)


def found(recogniser, text):
    return [text[r.start : r.end] for r in recogniser.analyze(text, [])]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("she lives at Holly Cottage, Much Wenlock.", "Holly Cottage, Much Wenlock"),
        ("address: The Laurels, Bramley", "The Laurels, Bramley"),
        ("lives on Parkway, Leeds.", "Parkway, Leeds"),
        ("walked home along Victoria Road after discharge", "Victoria Road"),
        ("Flat 7 was flooded", "Flat 7"),
        ("Flat 12, Carlton House, Mill Lane, Leeds", "Flat 12, Carlton House, Mill Lane, Leeds"),
        ("pt lives at 14 station road", "14 station road"),
        ("mrs ogbu lives just off the spinney, nok has a key.", "the spinney"),
        ("letter to mrs ogawa, 57 the ridgeway wa1 6rz", "57 the ridgeway"),
        ("ms hanif lives alone in flat 6 with no carers", "flat 6"),
        ("Pt from Glenview near Northampton admitted", "Glenview"),
        ("the nurse could not get into Rose Bank as the key safe code was wrong", "Rose Bank"),
        ("DISCHARGED TO 175 BEECH ROW, BIRMINGHAM B1 1AA.", "175 BEECH ROW, BIRMINGHAM"),
        ("Rose Farm was where he lived", "Rose Farm"),
        # a mistyped cue still introduces the address (one slip: a letter missing, extra, changed, swapped)
        ("Mr Osei lievs on Quarry Bank and was walking", "Quarry Bank"),
        ("he was lviing at Meadowcroft until June", "Meadowcroft"),
        ("she was found colapsed on Hallgate by a neighbour", "Hallgate"),
        # a house name with its town before a postcode, without a number or a cue
        ("Letter to Mr Abe, Fernlea, Preston PR1 4XY, nhs no. 943", "Fernlea, Preston"),
        ("letter sent to mrs dunn at the elms, coventry cv1 3jx.", "the elms, coventry"),
    ],
)
def test_addresses(text, address):
    assert address in found(AddressRecogniser(), text)


@pytest.mark.parametrize(
    "text",
    [
        "referred to the Mill Lane Surgery for bloods",
        "given 2 doses in place of the usual",
        "she was discharged to the ward at 10:00",
        "the nurse had visited the week before",
        "spent 3 days in the Discharge Lounge",
        "Ward 7 bay 2",
        "he would not get into the car",
        "Mr Osei gives in easily when tired",
    ],
)
def test_not_addresses(text):
    assert found(AddressRecogniser(), text) == []


@pytest.mark.parametrize(
    "number", ["RXX-1234567", "RYY 7654321", "rzz1 2345678", "k1234567", "T123456", "RR8-123456"]
)
def test_hospital_number_shapes_without_introduction(number):
    assert found(HospitalNumberRecogniser(), f"seen at 10:00, {number} on the band") == [number]


@pytest.mark.parametrize("text", ["batch 1234567", "lot A123456", "ref 123456 raised", "run 1234567"])
def test_other_numbers_are_not_hospital_numbers(text):
    assert found(HospitalNumberRecogniser(), text) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("registered with the GMC under 2345678", "2345678"),
        ("GMC number is 7654321", "7654321"),
        ("registered with the NMC, pin 12a3456e", "12a3456e"),
        ("hcpc registration 123456", "123456"),
        ("GPhC 2012345", "2012345"),
    ],
)
def test_register_numbers_after_the_register(text, number):
    assert number in found(RegistrationNumberRecogniser(), text)


@pytest.mark.parametrize(
    "number",
    ["(+44) 7700 900123", "+44 (0)113 496 0000", "0044-113-496-0000", "(0113) 496 0000", "+447700900123"],
)
def test_phone_notations(number):
    assert found(UkPhoneRecogniser(), f"call {number} today") == [number]


@pytest.fixture(scope="module")
def pipeline():
    return get_pipeline()


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Ann Lee (12/03/1945) was found on the floor.", "12/03/1945"),
        ("pt john smith 12.3.45 admitted via ED", "12.3.45"),
        ("Mrs Okafor, b. 02-11-1988, was reviewed.", "02-11-1988"),
    ],
)
def test_numeric_dates_of_birth_after_a_name(pipeline, text, date):
    entities = redact_texts({"t": text}, pipeline=pipeline).entities
    assert ("DATE_OF_BIRTH", date) in {(e.entity_type, text[e.start : e.end]) for e in entities}


def test_a_recent_date_after_a_name_is_an_incident_date(pipeline):
    text = "Seen by Dr Patel 03/12/2026 on the ward."
    entities = redact_texts({"t": text}, pipeline=pipeline).entities
    assert "DATE_OF_BIRTH" not in {e.entity_type for e in entities}


# Fourth round (docs/adr/0012): care homes, homes named after a move, written dates of birth, GMC numbers.
@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Kelly moved to Willowbrook Care Home on 07/01/2026.", "Willowbrook Care Home"),
        ("admitted from daisy hill nursing home with a pressure ulcer", "daisy hill nursing home"),
        ("dai moved to oak lodge on 4/2/26.", "oak lodge"),
        ("was admitted from The Hollies with a grade 3 ulcer.", "The Hollies"),
    ],
)
def test_care_homes_and_homes_named_after_a_move(text, address):
    assert found(AddressRecogniser(), text) == [address]


@pytest.mark.parametrize(
    "text",
    [
        "sent home instead of the care home.",
        "moved to a local nursing home.",
        "transferred from Main Theatres at 3. moved to Critical Care. moved to the Discharge Lounge.",
    ],
)
def test_unnamed_homes_and_places_of_care_are_no_address(text):
    assert found(AddressRecogniser(), text) == []


def test_a_written_date_straight_after_a_name_is_a_date_of_birth():
    text = "PRAKASH THAPA (14TH MARCH 1997) WAS BROUGHT IN. jung Soo-jin (8th January 1981) came too."
    result = redact_texts({"text": text}, pipeline=get_pipeline())
    births = [text[e.start : e.end] for e in result.entities if e.entity_type == "DATE_OF_BIRTH"]
    assert births == ["14TH MARCH 1997", "8th January 1981"]


def test_seven_digits_after_a_doctors_name_are_the_gmc_number():
    text = "DR BERRY (7102427) AND Dr H Williams 6873969 attended. Dr Ali 0113 496 0000 rang."
    result = redact_texts({"text": text}, pipeline=get_pipeline())
    numbers = [text[e.start : e.end] for e in result.entities if e.entity_type == "REGISTRATION_NUMBER"]
    assert numbers == ["7102427", "6873969"]
