"""Zero-setup demo (`make run`): SQLite, tasks in process, emails written to var/mail."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")

from .base import *  # noqa: F403

FIELD_ENCRYPTION_DERIVE_FROM_SECRET_KEY = True
PUBLICATION_DEMO_HISTORY = env_int("PUBLICATION_DEMO_HISTORY", 4000)  # noqa: F405
# runserver imports the application again on every code change: load the models on first use there.
WARM_UP_ON_START = env_bool("WARM_UP_ON_START", False)  # noqa: F405
