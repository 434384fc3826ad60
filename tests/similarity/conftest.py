"""The FHIR API fixtures (an API client, its key, organisations) for the duplicate tests."""

from tests.events.fhir.conftest import api, api_key, client_and_key, organisations, super_admin

__all__ = ["api", "api_key", "client_and_key", "organisations", "super_admin"]
