"""Encryption at rest for raw free text (docs/spec/ARCHITECTURE.md "Redaction gate").

Values are JSON documents encrypted with Fernet (AES-128-CBC with HMAC-SHA256). MultiFernet decrypts
with any configured key and encrypts with the first, which is how keys are rotated.
"""

import base64
import hashlib
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str, derive: bool) -> MultiFernet:
    if not keys:
        if not derive:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set outside the demo and tests.")
        derived = hashlib.sha256(f"lfpse-field-encryption:{secret_key}".encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(
        tuple(settings.FIELD_ENCRYPTION_KEYS),
        settings.SECRET_KEY,
        settings.FIELD_ENCRYPTION_DERIVE_FROM_SECRET_KEY,
    )


def encrypt_json(value) -> str:
    return fernet().encrypt(json.dumps(value, ensure_ascii=False).encode()).decode()


def decrypt_json(token: str):
    try:
        return json.loads(fernet().decrypt(token.encode()))
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "Encrypted data could not be read with the configured FIELD_ENCRYPTION_KEYS."
        ) from error


def reencrypt(token: str) -> str:
    """The same value encrypted with the newest key (for key rotation)."""
    return fernet().rotate(token.encode()).decode()


class EncryptedJSONField(models.TextField):
    """A JSON value stored as a Fernet token. It cannot be filtered on, by design."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt_json(value)

    def to_python(self, value):
        if value is None or not isinstance(value, str):
            return value
        try:
            return decrypt_json(value)
        except ImproperlyConfigured:
            return json.loads(value)

    def get_prep_value(self, value):
        return None if value is None else encrypt_json(value)
