"""Forms for the access management screens. They check what was typed; services check the rules."""

from dataclasses import dataclass

from django import forms

from organisations.models import Organisation

from .access import REASON_MAX_LENGTH
from .models import AccountType, Membership
from .organisation_picker import organisation_pick

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
        self.membership = membership
        self.fields["account_type"].choices = [
            (value, label)
            for value, label in AccountType.choices
            if value in ACCOUNT_TYPE_HINTS and value != membership.account_type
        ]

    @property
    def current_access(self) -> str:
        """ "an admin account", "a standard account": what the hint says the user has now."""
        label = self.membership.get_account_type_display().lower()
        return f"{'an' if label[0] in 'aeiou' else 'a'} {label} account"

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
        organisation_pick(self, cleaned, noun="the organisation")
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
