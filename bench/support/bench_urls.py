from django.http import HttpResponse
from django.urls import path

from lfpse.urls import urlpatterns as project_urlpatterns


def bare(request):
    """The cheapest possible Django view, behind the same middleware as every page."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare/", bare), *project_urlpatterns]
