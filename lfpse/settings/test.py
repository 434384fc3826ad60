"""Test settings: PostgreSQL, Redis and a real worker when DATABASE_URL / REDIS_URL are set."""

from .base import *  # noqa: F403
from .base import CELERY_BROKER_TRANSPORT_OPTIONS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Rate-limit counters live in the cache: a per-process cache keeps one test's failed sign-ins from
# locking out the next test's user.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# A task whose worker died is handed out again after this many seconds (an hour in production), so the
# worker-crash test does not wait an hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "visibility_timeout": 10}

FIELD_ENCRYPTION_DERIVE_FROM_SECRET_KEY = True
