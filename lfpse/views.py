"""The landing page and the service's own error pages."""

import sys

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import outage


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "landing.html")


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, called while the failure is being handled: a database or Redis that cannot
    be reached is a 503 with Retry-After (lfpse/outage.py), anything else a 500. Same page, no trace."""
    part = outage.failed_part(sys.exc_info()[1])
    if part is not None:
        return outage.unavailable_response(request, part)
    return outage.problem_page(500)
