"""Screens of the similarity app: "Find events like this" (a description), deciding a possible
duplicate, the list of possible duplicates, and emerging themes. Thin: selectors read through the
read gate, services write, the policy decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from events.visibility import organisations_viewable_by, sees_every_organisation

from . import selectors, services, themes

MAX_DESCRIPTION = 2000


def _organisation_reader(request: HttpRequest) -> None:
    """403 for a user who may see no organisation's records (the same rule as the dashboard's)."""
    if not (sees_every_organisation(request.user) or organisations_viewable_by(request.user)):
        raise PermissionDenied


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Find events like a description, among the records the user may see."""
    _organisation_reader(request)
    description = request.GET.get("description", "")
    error = None
    results = None
    if "description" in request.GET:
        if not description.strip():
            error = "Enter a description of the event"
        elif len(description) > MAX_DESCRIPTION:
            error = f"Description must be {MAX_DESCRIPTION} characters or fewer"
        else:
            results = selectors.similar_to_description(request.user, description)
    return render(
        request,
        "similarity/search.html",
        {"description": description, "error": error, "results": results, "max_length": MAX_DESCRIPTION},
    )


@login_required
@require_POST
def duplicate_decide(request: HttpRequest, reference: str, flag_id: int) -> HttpResponse:
    flag = selectors.duplicate_flag_for(request.user, reference, flag_id)
    if flag is None:
        raise Http404("No such possible duplicate")
    decision = request.POST.get("decision")
    try:
        if decision == "link":
            services.duplicate_link(actor=request.user, flag=flag)
            messages.success(request, "The records are linked as the same event.")
        elif decision == "dismiss":
            services.duplicate_dismiss(actor=request.user, flag=flag)
            messages.success(request, "The possible duplicate was dismissed.")
        else:
            messages.error(request, "Select whether the records are the same event")
    except services.DuplicateDecisionError as problem:
        messages.error(request, str(problem))
    return redirect("events:organisation_event", reference)


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    """Possible duplicates among the records the user may see."""
    _organisation_reader(request)
    return render(
        request, "similarity/duplicates.html", {"flags": selectors.open_duplicate_flags(request.user)}
    )


@login_required
def theme_list(request: HttpRequest) -> HttpResponse:
    found = themes.themes_visible_to(request.user)
    if found is None:
        raise PermissionDenied
    return render(request, "similarity/themes.html", {"themes": found})


@login_required
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    theme = themes.theme_for(request.user, pk)
    if theme is None:
        raise Http404("No such theme")
    return render(
        request,
        "similarity/theme.html",
        {"theme": theme, "examples": themes.theme_examples(request.user, theme)},
    )


@login_required
def theme_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    theme = themes.theme_for(request.user, pk)
    if theme is None:
        raise Http404("No such theme")
    response = StreamingHttpResponse(
        themes.theme_csv_lines(request.user, theme), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="theme-{theme.pk}-{theme.month:%Y-%m}.csv"'
    return response
