"""Follow-link tokens: 256 random bits in the link, only their SHA-256 kept (docs/adr/0019)."""

import hashlib
import secrets


def token_new() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
