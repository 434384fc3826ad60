"""The service's password rule (docs/spec/PRODUCT.md §2): at least 8 characters with a lower-case letter,
an upper-case letter and a number."""

import re

from django.core.exceptions import ValidationError

PASSWORD_RULE = (
    "Your password must be at least 8 characters in length and contain each of the following: "  # noqa: S105
    "one lower case letter, one upper case letter, one number."
)


class ServicePasswordValidator:
    min_length = 8

    def validate(self, password: str, user=None) -> None:
        if (
            len(password) < self.min_length
            or not re.search(r"[a-z]", password)
            or not re.search(r"[A-Z]", password)
            or not re.search(r"[0-9]", password)
        ):
            raise ValidationError(PASSWORD_RULE, code="password_rule")

    def get_help_text(self) -> str:
        return PASSWORD_RULE
