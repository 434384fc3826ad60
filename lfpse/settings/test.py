"""Test settings: PostgreSQL, Redis and a real worker when DATABASE_URL / REDIS_URL are set."""

from .base import *  # noqa: F403
from .base import ACCOUNT_RATE_LIMITS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS}
