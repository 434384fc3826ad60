"""Reference numbers: nine random digits, unique, shown as NNN-NNN-NNN (docs/spec/PRODUCT.md §3 decision)."""

import re
import secrets

REFERENCE_DIGITS = 9
_DISPLAY = re.compile(r"^\s*(\d{3})[-\s]?(\d{3})[-\s]?(\d{3})\s*$")


def reference_generate() -> str:
    """A random reference; uniqueness is enforced by the database and retried by the caller.

    Leading zeros are avoided so that the number reads the same wherever it is copied.
    """
    return str(secrets.randbelow(9 * 10 ** (REFERENCE_DIGITS - 1)) + 10 ** (REFERENCE_DIGITS - 1))


def reference_display(reference: str) -> str:
    return f"{reference[:3]}-{reference[3:6]}-{reference[6:]}"


def reference_parse(text: str) -> str | None:
    """Accepts "146-925-633", "146 925 633" or "146925633"; None when it is not a reference."""
    match = _DISPLAY.match(text or "")
    return "".join(match.groups()) if match else None
