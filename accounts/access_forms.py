"""Forms for the access management screens. They check what was typed; services check the rules."""

from dataclasses import dataclass

from django import forms

from organisations.models import Organisation
from organisations.selectors import organisation_by_code, organisation_lookup

from .access import REASON_MAX_LENGTH
from .models import AccountType, Membership

# What each account type is for, from the seeds' account type summaries.
ACCOUNT_TYPE_HINTS = {
    AccountType.ORGANISATIONAL: (
        "For reviewing, updating or overseeing the patient safety events recorded by any user within "
        "the organisation, for example in a patient safety or risk management team."
    ),
    AccountType.ADMIN: (
        "For the highest level of oversight: statutory and national policy reporting requirements, "
        "and approving other users' access requests for the organisation."
    ),
    AccountType.READ_ONLY: (
        "Read-only access to this organisation's event records, for example under a cross-boundary "
        "commissioning agreement."
    ),
}


@dataclass(frozen=True)
class RadioOption:
    value: str
    label: str
    hint: str
    checked: bool


class AmendAccessForm(forms.Form):
    """ "Amend access": which account type to ask for, for one of the user's organisations."""

    account_type = forms.ChoiceField(
        error_messages={
            "required": "Select the type of access you need",
            "invalid_choice": "Select the type of access you need",
        }
    )

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account_type"].choices = [
            (value, label)
            for value, label in AccountType.choices
            if value in ACCOUNT_TYPE_HINTS and value != membership.account_type
        ]

    @property
    def options(self) -> list[RadioOption]:
        chosen = str(self["account_type"].value() or "")
        return [
            RadioOption(value, label, ACCOUNT_TYPE_HINTS[value], value == chosen)
            for value, label in self.fields["account_type"].choices
        ]


class AddOrganisationForm(forms.Form):
    """Search by name or ODS code; when several organisations match, the user picks one."""

    organisation_search = forms.CharField(
        max_length=255,
        required=False,
        strip=True,
    )
    organisation_code = forms.CharField(max_length=12, required=False)

    organisation: Organisation | None = None
    organisation_matches: list[Organisation] = []

    def clean(self):
        cleaned = super().clean()
        self.organisation = None
        self.organisation_matches = []
        query = cleaned.get("organisation_search", "")
        code = cleaned.get("organisation_code", "").strip()
        if code:
            self.organisation = organisation_by_code(code)
            if self.organisation is None:
                self.add_error("organisation_search", "Select the organisation from the list")
            return cleaned
        if not query:
            self.add_error("organisation_search", "Enter the organisation's name or ODS code")
            return cleaned
        lookup = organisation_lookup(query)
        matches = lookup.matches
        if lookup.organisation is not None:
            self.organisation = lookup.organisation
        elif not matches:
            self.add_error(
                "organisation_search", f"No organisation matches “{query}”. Check the name or ODS code"
            )
        else:
            self.organisation_matches = matches
            self.add_error(
                "organisation_search",
                f"More than one organisation matches “{query}”. "  # noqa: S608 - a message, not SQL
                "Select the organisation from the list",
            )
        return cleaned


class DecisionForm(forms.Form):
    """Approve, or reject with an optional reason."""

    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    reason = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "max_length": f"The reason for rejecting must be {REASON_MAX_LENGTH} characters or fewer"
        },
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"
