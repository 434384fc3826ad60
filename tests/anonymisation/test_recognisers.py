"""Each recogniser on its own: what it must find and what it must leave alone."""

import pytest

from anonymisation.pipeline import redact_texts
from anonymisation.pipeline.recognisers import (
    AddressRecogniser,
    DateOfBirthRecogniser,
    EmailRecogniser,
    HospitalNumberRecogniser,
    NhsNumberRecogniser,
    NiNumberRecogniser,
    PostcodeRecogniser,
    RegistrationNumberRecogniser,
    UkPhoneRecogniser,
    UrlRecogniser,
    nhs_checksum_ok,
)


def found(recogniser, text):
    return [text[r.start : r.end] for r in recogniser.analyze(text, [])]


def redacted(pipeline, text):
    result = redact_texts({"text": text}, pipeline=pipeline)
    return {(e.entity_type, text[e.start : e.end]) for e in result.entities}


def people(pipeline, text):
    return {value for kind, value in redacted(pipeline, text) if kind == "PERSON"}


class TestNhsNumber:
    @pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "943-476-5919", "401 023 2137"])
    def test_valid_numbers_are_found_in_any_layout(self, number):
        assert found(NhsNumberRecogniser(), f"Wristband showed {number} today") == [number]

    def test_checksum(self):
        assert nhs_checksum_ok("9434765919")
        assert not nhs_checksum_ok("9434765918")
        assert not nhs_checksum_ok("943476591")

    def test_a_number_failing_the_checksum_is_left_alone_without_context(self):
        assert found(NhsNumberRecogniser(), "Batch 943 476 5918 of gloves") == []

    def test_a_mistyped_number_the_writer_calls_an_nhs_number_is_still_redacted(self):
        assert found(NhsNumberRecogniser(), "NHS number 943 476 5918 on the label") == ["943 476 5918"]

    def test_longer_digit_runs_are_not_nhs_numbers(self):
        assert found(NhsNumberRecogniser(), "Order ref 94347659190 and 19434765919") == []


class TestNiNumber:
    @pytest.mark.parametrize("value", ["AB 12 34 56 C", "AB123456C", "ab123456c", "JT 48 21 90 D"])
    def test_valid_formats(self, value):
        assert found(NiNumberRecogniser(), f"NI number {value} printed") == [value]

    @pytest.mark.parametrize(
        "value", ["QQ123456C", "BG123456A", "GB123456A", "ZZ123456A", "AB123456E", "DA123456A"]
    )
    def test_prefixes_and_suffixes_hmrc_never_allocates(self, value):
        assert found(NiNumberRecogniser(), f"ref {value}") == []


class TestPostcode:
    @pytest.mark.parametrize(
        "postcode", ["LS1 4AB", "SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB"]
    )
    def test_valid_postcodes(self, postcode):
        assert found(PostcodeRecogniser(), f"Lives near {postcode}, by the station") == [postcode]

    @pytest.mark.parametrize("text", ["code LS1 4CI", "room 12B 3", "vitamin B12 dose", "QS1 4AB"])
    def test_invalid_shapes(self, text):
        assert found(PostcodeRecogniser(), text) == []


class TestPhone:
    @pytest.mark.parametrize(
        "number",
        [
            "07700 900123", "+44 7700 900123", "+44 (0)20 7946 0958", "0161 496 0123", "(0114) 496 0907",
            "020 7946 0958", "+44(0)1632 960 012", "01632960123", "+48 601 234 567",
        ],
    )  # fmt: skip
    def test_uk_and_international_formats(self, number):
        assert found(UkPhoneRecogniser(), f"Call {number} after 6pm") == [number]

    @pytest.mark.parametrize(
        "text",
        ["On 12/03/2024 at 14:30", "10 mg at 0800", "bed 14, bay 2", "ref 1234 5678 9", "0000 000 0000"],
    )
    def test_dates_times_and_short_numbers_are_not_phones(self, text):
        assert found(UkPhoneRecogniser(), text) == []


class TestDateOfBirth:
    @pytest.mark.parametrize(
        ("text", "date"),
        [
            ("DOB 12/03/1945, NHS no.", "12/03/1945"),
            ("date of birth: 3 March 1950", "3 March 1950"),
            ("(D.O.B. 1945-03-12)", "1945-03-12"),
            ("born on 1st April 1960 in Leeds", "1st April 1960"),
            ("Date of birth on the wristband was 12.3.45", "12.3.45"),
        ],
    )
    def test_dates_introduced_as_birth_dates(self, text, date):
        assert found(DateOfBirthRecogniser(), text) == [date]

    @pytest.mark.parametrize(
        "text",
        [
            "On 12/03/2024 the patient fell.",
            "Incident date 01/02/2024 at 03:00",
            "Admitted on 3 March 2024 and discharged 2024-03-05.",
            "The baby was born on Ward 26A at 09:15 on 22 Jun 2025.",
        ],
    )
    def test_incident_dates_are_not_personal(self, text):
        assert found(DateOfBirthRecogniser(), text) == []


class TestHospitalAndRegistrationNumbers:
    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("MRN 12345678 on the label", "12345678"),
            ("hospital number RX1234567", "RX1234567"),
            ("Hosp no. K0123456 used", "K0123456"),
            ("unit number: 123 4567", "123 4567"),
        ],
    )
    def test_hospital_numbers_by_context(self, text, value):
        assert found(HospitalNumberRecogniser(), text) == [value]

    @pytest.mark.parametrize("text", ["bed number 12", "12345678 units of heparin", "ward number 12345"])
    def test_numbers_without_a_hospital_number_context(self, text):
        assert found(HospitalNumberRecogniser(), text) == []

    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("Dr Jones (GMC 1234567) signed", "1234567"),
            ("GMC number: 7012345", "7012345"),
            ("NMC PIN 12A3456E", "12A3456E"),
            ("HCPC registration PA123456", "PA123456"),
            ("professional registration number OT12345", "OT12345"),
        ],
    )
    def test_gmc_nmc_and_hcpc_by_context(self, text, value):
        assert found(RegistrationNumberRecogniser(), text) == [value]

    @pytest.mark.parametrize("text", ["given 1234567 units", "OT 12345 booked", "room PA123456"])
    def test_registration_shapes_without_context(self, text):
        assert found(RegistrationNumberRecogniser(), text) == []


class TestEmailUrlAddress:
    def test_email(self):
        assert found(EmailRecogniser(), "sent to ayesha.khan@nhs.net.") == ["ayesha.khan@nhs.net"]

    def test_url_with_scheme_www_or_path(self):
        text = "see https://www.facebook.com/jane.smith, www.example.org and instagram.com/jsmith99"
        assert found(UrlRecogniser(), text) == [
            "https://www.facebook.com/jane.smith",
            "www.example.org",
            "instagram.com/jsmith99",
        ]

    def test_a_bare_domain_is_not_personal(self):
        assert found(UrlRecogniser(), "guidance on nhs.uk") == []

    @pytest.mark.parametrize(
        ("text", "address"),
        [
            ("lives at 12 Acacia Avenue with", "12 Acacia Avenue"),
            ("went to Flat 3, 45 High Street, Leeds LS1 4AB", "Flat 3, 45 High Street, Leeds"),
            ("home address 7 o'brien close", "7 o'brien close"),
        ],
    )
    def test_street_addresses(self, text, address):
        assert address in found(AddressRecogniser(), text)

    def test_numbers_before_common_words_are_not_addresses(self):
        assert found(AddressRecogniser(), "given 2 units close to midnight, 10 mg way too late") == []


class TestPerson:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("Nurse Adebayo checked the drip.", "Adebayo"),
            ("Reviewed by Dr Kowalczyk at 10:00.", "Kowalczyk"),
            ("Mrs Okonkwo-Eze fell in the bathroom.", "Okonkwo-Eze"),
            ("Staff Nurse Oluwaseun Adebayo escalated.", "Oluwaseun Adebayo"),
            ("Her daughter Ayesha was informed.", "Ayesha"),
            ("A patient called Bolanle was distressed.", "Bolanle"),
            ("Xiuying Zhang (HCA) helped.", "Xiuying Zhang"),
            ("The ward manager, Amelia Walker, will follow up.", "Amelia Walker"),
            ("Sister McBride and Mr O'Sullivan attended.", "McBride"),
        ],
    )
    def test_names_found_by_title_relation_and_shape(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_titles_stay_outside_the_placeholder(self, pipeline):
        result = redact_texts(
            {"text": "Staff Nurse Oluwaseun Adebayo escalated to Dr Lee."}, pipeline=pipeline
        )
        assert result.texts["text"] == "Staff Nurse [PERSON 1] escalated to Dr [PERSON 2]."

    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("spoke to dr kowalczyk about it", "kowalczyk"),
            ("pt found on floor by nurse adebayo", "adebayo"),
            ("his wife maria visited", "maria"),
            ("mrs price was seen", "price"),
        ],
    )
    def test_lower_case_names_after_a_title_or_relation(self, pipeline, text, name):
        assert name in people(pipeline, text)

    def test_a_first_name_alone_is_found_once_the_full_name_is_known(self, pipeline):
        text = "Oluwaseun Adebayo was on shift. Later oluwaseun said the pump alarmed."
        assert redacted(pipeline, text) == {("PERSON", "Oluwaseun Adebayo"), ("PERSON", "oluwaseun")}

    @pytest.mark.parametrize(
        "text",
        [
            "The nurse in charge informed the nurse station.",
            "The patient was transferred to the Discharge Lounge and then Critical Care.",
            "Datix completed; Police were called on Monday.",
            "The Omnipod alarmed repeatedly overnight.",
            "He had been staying in King's Lynn before admission.",
        ],
    )
    def test_roles_places_and_products_are_not_people(self, pipeline, text):
        assert people(pipeline, text) == set()
