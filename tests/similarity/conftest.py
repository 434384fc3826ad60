"""The FHIR API fixtures (an API client, its key, organisations) for the duplicate tests, and fresh
term statistics for every test."""

import pytest

from events.similarity import statistics
from tests.events.fhir.conftest import api, api_key, client_and_key, organisations, super_admin

__all__ = ["api", "api_key", "client_and_key", "organisations", "super_admin"]


@pytest.fixture(autouse=True)
def _fresh_term_statistics():
    """Each test counts its own records (the statistics are kept per process for an hour)."""
    statistics.forget()
    yield
    statistics.forget()
