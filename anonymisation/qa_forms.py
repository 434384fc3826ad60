from django import forms

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
