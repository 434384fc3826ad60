"""Download event data: the records of the current filter, one CSV file per question-set version."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.permissions import Action, Target, allows, allows_anywhere
from events.csv_export import csv_layout, csv_lines, versions_of
from events.filters import EventFilter, filter_query, query_without
from events.visibility import Scope, events_visible_to

from .organisation import scope_from_request


def _downloadable(request: HttpRequest) -> tuple[Scope, EventFilter]:
    scope = scope_from_request(request)
    if scope.organisation is None:
        allowed = allows_anywhere(request.user, Action.DOWNLOAD_EVENT_DATA_CSV)
    else:
        allowed = allows(request.user, Action.DOWNLOAD_EVENT_DATA_CSV, Target(scope.organisation))
    if not allowed:
        raise PermissionDenied
    params = query_without(request.GET, "version")
    return scope, EventFilter(params, queryset=events_visible_to(request.user, scope=scope))


@login_required
def download(request: HttpRequest) -> HttpResponse:
    """ "Download event data": what the download holds, and a file for each question-set version."""
    scope, event_filter = _downloadable(request)
    query = filter_query(query_without(request.GET, "version"))
    return render(
        request,
        "events/organisation/download.html",
        {
            "scope": scope,
            "filter": event_filter,
            "form": event_filter.form,
            "files": versions_of(event_filter.qs),
            "query": query,
        },
    )


@login_required
def download_csv(request: HttpRequest) -> StreamingHttpResponse:
    scope, event_filter = _downloadable(request)
    version = request.GET.get("version", "")
    events = event_filter.qs
    try:
        layout = csv_layout(events, version)
    except LookupError:
        raise Http404("No such question set version") from None
    response = StreamingHttpResponse(csv_lines(events, layout), content_type="text/csv; charset=utf-8")
    filename = f"event-data-{scope.code}-v{version}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
