"""The landing page and the service's own error pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "landing.html")


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may have come from a context processor or the database.
    template = loader.get_template("errors/500.html")
    return HttpResponse(template.render({"service_name": "Record patient safety events"}), status=500)
