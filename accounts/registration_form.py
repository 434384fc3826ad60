"""allauth's signup form with our wording, and fields in page order so the error summary follows the page.

A module of its own: allauth's forms import ACCOUNT_SIGNUP_FORM_CLASS from accounts.forms, so that
module cannot import allauth's forms back.
"""

from allauth.account.forms import SignupForm

REGISTRATION_FIELD_ORDER = [
    "first_name",
    "last_name",
    "email",
    "email2",
    "job_role",
    "organisation_search",
    "organisation_code",
    "organisation_unlisted",
    "unlisted_organisation",
    "password1",
    "password2",
    "accept_terms",
]

REQUIRED_MESSAGES = {
    "email": "Enter your email address",
    "email2": "Enter your email address again to confirm it",
    "password1": "Enter a password",
    "password2": "Enter your password again",
}


class RegistrationForm(SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in REQUIRED_MESSAGES.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        self.order_fields(REGISTRATION_FIELD_ORDER)
