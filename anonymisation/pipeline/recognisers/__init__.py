"""UK recognisers, one module per family of identifiers."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer
from spacy.language import Language

from ..lexicon import get_lexicon
from ..vocabulary import EnglishWords
from .address import AddressRecogniser
from .date_of_birth import DateOfBirthRecogniser
from .email import EmailRecogniser
from .hospital_number import HospitalNumberRecogniser
from .nhs_number import NhsNumberRecogniser, nhs_checksum_ok
from .ni_number import NiNumberRecogniser
from .person import PersonRecogniser
from .phone import UkPhoneRecogniser
from .postcode import PostcodeRecogniser
from .registration import RegistrationNumberRecogniser
from .url import UrlRecogniser

__all__ = [
    "AddressRecogniser",
    "DateOfBirthRecogniser",
    "EmailRecogniser",
    "HospitalNumberRecogniser",
    "NhsNumberRecogniser",
    "NiNumberRecogniser",
    "PersonRecogniser",
    "PostcodeRecogniser",
    "RegistrationNumberRecogniser",
    "UkPhoneRecogniser",
    "UrlRecogniser",
    "build_recognisers",
    "nhs_checksum_ok",
]


def build_recognisers(nlp: Language) -> list[EntityRecognizer]:
    return [
        PersonRecogniser(EnglishWords.from_model(nlp), get_lexicon()),
        EmailRecogniser(),
        UrlRecogniser(),
        UkPhoneRecogniser(),
        NhsNumberRecogniser(),
        NiNumberRecogniser(),
        PostcodeRecogniser(),
        AddressRecogniser(),
        DateOfBirthRecogniser(),
        HospitalNumberRecogniser(),
        RegistrationNumberRecogniser(),
    ]
