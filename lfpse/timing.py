"""Adds a Server-Timing header so operators and benchmarks can see where a request's time went.

    Server-Timing: app;dur=4.1, db;dur=1.2;desc="2 queries"

`app` is the whole request inside Django; `db` is the time spent waiting on the database's default
connection, and how many statements it ran.
"""

import time
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse


class _DatabaseClock:
    """An execute wrapper that adds up the time and number of the statements run through it."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        clock = _DatabaseClock()
        started = time.perf_counter()
        with connection.execute_wrapper(clock):
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        response.headers["Server-Timing"] = (
            f'app;dur={elapsed * 1000:.2f}, db;dur={clock.seconds * 1000:.2f};desc="{clock.queries} queries"'
        )
        return response
