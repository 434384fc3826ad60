"""Test settings: PostgreSQL, Redis and a real worker when DATABASE_URL / REDIS_URL are set."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Rate-limit counters live in the cache: a per-process cache keeps one test's failed sign-ins from
# locking out the next test's user.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

FIELD_ENCRYPTION_DERIVE_FROM_SECRET_KEY = True
