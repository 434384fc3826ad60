"""Registration details asked on top of allauth's email and password fields (docs/spec/PRODUCT.md §2)."""

from django import forms

from organisations.models import Organisation

from .organisation_picker import organisation_pick
from .services import user_complete_registration

JOB_ROLES = [
    "Allied health professional",
    "Dentist",
    "Doctor",
    "Healthcare assistant or support worker",
    "Manager",
    "Midwife",
    "Nurse",
    "Paramedic or ambulance staff",
    "Patient safety specialist",
    "Pharmacist or pharmacy technician",
    "Risk manager or governance staff",
    "Administrative or clerical staff",
    "Social care staff",
    "Student",
    "Other",
]


class RegistrationDetailsForm(forms.Form):
    """allauth builds its signup form on this class (ACCOUNT_SIGNUP_FORM_CLASS)."""

    first_name = forms.CharField(max_length=150, error_messages={"required": "Enter your first name"})
    last_name = forms.CharField(max_length=150, error_messages={"required": "Enter your last name"})
    job_role = forms.ChoiceField(
        choices=[("", "Choose a job role")] + [(role, role) for role in JOB_ROLES],
        error_messages={"required": "Select your job role", "invalid_choice": "Select your job role"},
    )
    organisation_search = forms.CharField(max_length=255, required=False)
    organisation_code = forms.CharField(max_length=12, required=False)
    organisation_unlisted = forms.BooleanField(required=False)
    unlisted_organisation = forms.CharField(max_length=255, required=False)
    accept_terms = forms.BooleanField(
        error_messages={"required": "You must agree to the Terms and Conditions to register"}
    )

    # Set by clean(): the organisation chosen, and the candidates when a search matched several.
    organisation: Organisation | None = None
    organisation_matches: list[Organisation] = []

    def clean(self):
        cleaned = super().clean()
        self.organisation, self.organisation_matches = None, []
        if cleaned.get("organisation_unlisted"):
            if not cleaned.get("unlisted_organisation", "").strip():
                self.add_error("unlisted_organisation", "Enter the name of your organisation")
            return cleaned
        organisation_pick(
            self,
            cleaned,
            noun="your organisation",
            otherwise=", or select Other (or unable to find organisation)",
        )
        return cleaned

    def signup(self, request, user) -> None:
        user_complete_registration(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            job_role=self.cleaned_data["job_role"],
            organisation=self.organisation,
            unlisted_organisation=self.cleaned_data.get("unlisted_organisation", "")
            if self.cleaned_data.get("organisation_unlisted")
            else "",
        )
