from dataclasses import dataclass

from django import forms

from anonymisation.selectors import MOST_RECENT, RISKIEST

ENTITY_TYPES = [
    ("PERSON", "Name of a person"),
    ("EMAIL_ADDRESS", "Email address"),
    ("PHONE_NUMBER", "Phone number"),
    ("NHS_NUMBER", "NHS number"),
    ("UK_NINO", "National Insurance number"),
    ("UK_POSTCODE", "Postcode"),
    ("STREET_ADDRESS", "Address"),
    ("DATE_OF_BIRTH", "Date of birth"),
    ("MRN", "Hospital or MRN number"),
    ("REGISTRATION_NUMBER", "Professional registration number"),
]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class CorrectionForm(forms.Form):
    missed = forms.CharField(required=False, widget=forms.Textarea, max_length=5000)
    missed_type = forms.ChoiceField(choices=ENTITY_TYPES, initial="PERSON")
    keep = forms.CharField(required=False, widget=forms.Textarea, max_length=5000)

    def clean(self):
        cleaned = super().clean()
        if not _lines(cleaned.get("missed", "")) and not _lines(cleaned.get("keep", "")):
            raise forms.ValidationError(
                "Enter text that should have been redacted, or text that should have been kept"
            )
        return cleaned

    @property
    def missed_values(self) -> list[tuple[str, str]]:
        return [(self.cleaned_data["missed_type"], line) for line in _lines(self.cleaned_data["missed"])]

    @property
    def keep_values(self) -> list[str]:
        return _lines(self.cleaned_data["keep"])


@dataclass(frozen=True)
class QaChoice:
    order: str = RISKIEST
    high_risk_only: bool = False


class QaListForm(forms.Form):
    """How the QA list is sorted and filtered; anything unexpected falls back to the riskiest first."""

    order = forms.ChoiceField(
        choices=[(RISKIEST, "Highest risk first"), (MOST_RECENT, "Most recent first")], required=False
    )
    high_risk = forms.BooleanField(required=False)

    def choice(self) -> QaChoice:
        if not self.is_bound or not self.is_valid():
            return QaChoice()
        return QaChoice(self.cleaned_data["order"] or RISKIEST, self.cleaned_data["high_risk"])
