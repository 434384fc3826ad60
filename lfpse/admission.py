"""A bulkhead for the FHIR API: a full API answers 503 with Retry-After at once (docs/adr/0022).

A local risk management system sends batches; when more of its requests arrive than a web process
has threads for, they would queue inside the process until the client's time-out, and staff filling
in forms would queue behind them. Instead each process serves at most
FHIR_MAX_CONCURRENT_PER_PROCESS API requests at a time and answers the next at once with 503,
a FHIR OperationOutcome and Retry-After (FHIR_BUSY_RETRY_AFTER seconds). The API's per-key rate limit
(429, events/fhir/auth.py) is the other half: one client cannot take every slot for long.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import outage


class ApiAdmissionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.capacity = int(getattr(settings, "FHIR_MAX_CONCURRENT_PER_PROCESS", 3))
        self.slots = threading.BoundedSemaphore(self.capacity)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not outage.is_api(request):
            return self.get_response(request)
        if not self.slots.acquire(blocking=False):
            retry_after = int(getattr(settings, "FHIR_BUSY_RETRY_AFTER", 2))
            return outage.api_unavailable(
                request,
                retry_after=retry_after,
                text=f"The API is serving as many requests as it can: try again in {retry_after} seconds",
            )
        try:
            return self.get_response(request)
        finally:
            self.slots.release()
