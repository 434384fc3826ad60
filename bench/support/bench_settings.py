"""Settings for benchmarks: the test settings plus a bare view on the same middleware stack."""

from lfpse.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.support.bench_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
