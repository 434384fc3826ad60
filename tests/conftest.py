import os

import pytest

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

REAL_SERVICES = bool(os.environ.get("REDIS_URL")) and bool(os.environ.get("DATABASE_URL"))


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="needs the real Redis and PostgreSQL: set REDIS_URL and DATABASE_URL")
    for item in items:
        if "worker" in item.keywords and not REAL_SERVICES:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters are kept in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def celery_worker(django_db_blocker):
    """A real worker process for one test (tests marked `worker` only).

    Per test, not per session: a worker left running would pick up tasks queued by later tests and
    write to the database while pytest-django flushes it. Tasks left over from earlier tests are
    purged first for the same reason.
    """
    from lfpse.celery import app
    from tests.worker import WorkerProcess

    app.control.purge()
    worker = WorkerProcess()
    with django_db_blocker.unblock():
        worker.start()
    yield worker
    worker.stop()
    app.control.purge()


@pytest.fixture
def organisation_factory(db):
    return OrganisationFactory


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def membership_factory(db):
    return MembershipFactory
