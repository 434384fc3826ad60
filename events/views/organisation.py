"""Organisation users' screens: the records of their organisations, one record, changing its answers,
re-submitting and reviewing it, its history, re-classification and statutory requirements.

Views are thin: the read gate (events/visibility.py) decides which records the user may see,
selectors (events/organisation_selectors.py) what they may do with one, and services
(events/organisation_services.py) make the changes and refuse what is not allowed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from events import statutory_questions
from events.dashboard_rows import dashboard_rows
from events.filters import EventFilter, date_parts, error_links, filter_query, query_without, sort_columns
from events.models import Event, EventStatus, RevisionAction
from events.organisation_selectors import (
    CappedPaginator,
    answers_dropped_by_reclassification,
    event_list,
    event_type_name,
    is_being_processed,
    organisation_edit_for,
    record_permissions,
    statutory_applies,
)
from events.organisation_services import (
    BEING_PROCESSED_MESSAGE,
    ReviewError,
    event_organisation_resubmit,
    event_reclassify,
    event_statutory_update,
    organisation_edit_discard,
    organisation_edit_open,
    organisation_edit_record_page,
)
from events.presenters import revision_journey
from events.questionnaire import EVENT_TYPE, REVIEW, PageNotFound, form_data
from events.selectors import revision_history
from events.visibility import (
    ALL_ORGANISATIONS,
    Scope,
    event_visible_to,
    events_visible_to,
    organisations_viewable_by,
    scope_for,
    sees_every_organisation,
)

from .organisation_answers import page_answers_check
from .question_context import question_page_context

EVENTS_PER_PAGE = 25
HISTORY_PER_PAGE = 10
# Counting every match of a broad filter over a million records costs more than the page itself;
# past this many the list says "more than" and asks for a narrower filter (docs/adr/0009). 1,000,
# not the 10,000 first chosen: a text search's count reads a record's row for every match counted,
# and at 1,000,000 records the dashboards' counts took half as long (docs/adr/0022, 2026-12-06).
COUNT_CAP = 1_000


CHECKBOX_FILTERS = ("category", "event_type", "physical_harm", "psychological_harm", "status", "source")


GET_POST = require_http_methods(["GET", "POST"])


def scope_from_request(request: HttpRequest) -> Scope:
    """Whose records the page shows: 403 for a user who may see none, 404 for a scope they may not see."""
    code = request.GET.get("organisation")
    scope = scope_for(request.user, code, request.GET.get("scope"))
    if scope is None:
        if code:
            raise Http404("No such organisation")
        raise PermissionDenied
    return scope


def _event(request: HttpRequest, reference: str) -> Event:
    event = event_visible_to(request.user, reference)
    if event is None:
        raise Http404("No such record")
    return event


def _record_url(event: Event) -> str:
    return reverse("events:organisation_event", args=[event.reference])


def _switcher(request: HttpRequest, scope: Scope) -> dict:
    choices = organisations_viewable_by(request.user)
    return {
        "scope": scope,
        "free_choice": sees_every_organisation(request.user),
        "choices": choices,
        "all_choice": ALL_ORGANISATIONS if len(choices) > 1 else None,
    }


@login_required
def organisation_events(request: HttpRequest) -> HttpResponse:
    """ "Manage events in my organisation": filters, a sortable table and pages."""
    scope = scope_from_request(request)
    event_filter = EventFilter(request.GET, queryset=event_list(events_visible_to(request.user, scope=scope)))
    page = CappedPaginator(event_filter.qs, EVENTS_PER_PAGE, cap=COUNT_CAP).get_page(request.GET.get("page"))
    return render(
        request,
        "events/organisation/events.html",
        {
            **_switcher(request, scope),
            "filter": event_filter,
            "form": event_filter.form,
            "checkboxes": {name: event_filter.checkboxes(name) for name in CHECKBOX_FILTERS},
            "page": page,
            "rows": dashboard_rows(page),
            "count_cap": COUNT_CAP,
            "query": filter_query(request.GET),
            "clear_query": filter_query(query_without(request.GET, *event_filter.filters)),
            "columns": sort_columns(request.GET, event_filter.current_sort),
            "date_filters": [
                _date_filter(event_filter, "Created date", "created"),
                _date_filter(event_filter, "Event date", "event"),
            ],
            "error_links": error_links(event_filter),
        },
    )


def _date_filter(event_filter: EventFilter, label: str, prefix: str) -> tuple:
    start, end = f"{prefix}_from", f"{prefix}_to"
    form = event_filter.form
    return (label, form[start], form[end], date_parts(event_filter, start), date_parts(event_filter, end))


def _render_record(request: HttpRequest, event: Event, *, error: str | None = None, ticked: bool = False):
    permissions = record_permissions(request.user, event)
    processing = is_being_processed(event)
    draft = None if processing else organisation_edit_for(request.user, event)
    journey = revision_journey(event.visible_revision, draft.answers if draft else None)
    applies = statutory_applies(event)
    statutory = None
    if permissions.view_statutory and applies:
        stored = event.statutory if event.statutory_id else None
        statutory = statutory_questions.review_sections(
            stored.answers if stored else None,
            event_type=event.event_type,
            version=stored.version if stored else statutory_questions.VERSION,
        )
    may_review = permissions.review and (draft is not None or event.status != EventStatus.REVIEWED)
    return render(
        request,
        "events/organisation/event.html",
        {
            "event": event,
            "journey": journey,
            "sections": journey.review(),
            "permissions": permissions,
            "processing": processing,
            "draft": draft,
            "statutory": statutory,
            "may_change": permissions.update and not processing,
            "may_review": may_review and not processing,
            "may_resubmit": not processing and (may_review or (permissions.update and draft is not None)),
            "may_edit_statutory": permissions.edit_statutory and applies and not processing,
            "error": error,
            "ticked": ticked,
        },
    )


@login_required
def organisation_event(request: HttpRequest, reference: str) -> HttpResponse:
    return _render_record(request, _event(request, reference))


@login_required
@GET_POST
def organisation_question(request: HttpRequest, reference: str, page_id: str) -> HttpResponse:
    """Change one answer, starting from the redacted answers (or the user's changes so far)."""
    event = _event(request, reference)
    if not record_permissions(request.user, event).update:
        raise PermissionDenied
    if page_id == EVENT_TYPE:  # the type changes by re-classification, which drops answers openly
        raise Http404("Re-classify the event instead")
    if is_being_processed(event):
        messages.info(request, BEING_PROCESSED_MESSAGE)
        return redirect(_record_url(event))
    draft = organisation_edit_for(request.user, event)
    journey = revision_journey(event.visible_revision, draft.answers if draft else None)
    try:
        page = journey.page(page_id)
    except PageNotFound:
        messages.info(request, "That question no longer applies to this record.")
        return redirect(_record_url(event))

    if request.method == "POST":
        checked = page_answers_check(journey, page, request.POST)
        if not checked.errors:
            try:
                draft = organisation_edit_open(event=event, actor=request.user)
            except ReviewError as problem:
                messages.info(request, str(problem))
                return redirect(_record_url(event))
            journey = organisation_edit_record_page(draft=draft, page_id=page_id, values=checked.values)
            following = journey.next_page(page_id, mode="change")
            if following == REVIEW:
                return redirect(_record_url(event))
            return redirect("events:organisation_question", reference=event.reference, page_id=following)
        context = question_page_context(journey, page, checked.data, checked.errors, checked.matches)
    else:
        context = question_page_context(
            journey, page, form_data(page.question, journey.values(page_id)), [], []
        )
    context.update(
        event=event,
        back_url=_record_url(event),
        action_url=reverse("events:organisation_question", args=[event.reference, page_id]),
    )
    return render(request, "events/organisation/question.html", context)


@login_required
@require_POST
def organisation_resubmit(request: HttpRequest, reference: str) -> HttpResponse:
    """Re-Submit: the user's changes, and the review when they ticked the box."""
    event = _event(request, reference)
    reviewed = request.POST.get("reviewed") == "yes"
    try:
        revisions = event_organisation_resubmit(event=event, actor=request.user, reviewed=reviewed)
    except ReviewError as problem:  # shown as the record is now, read again through the gate
        return _render_record(request, _event(request, reference), error=str(problem), ticked=reviewed)
    done = "reviewed" if revisions[-1].action == RevisionAction.REVIEWED else "re-submitted"
    messages.success(request, f"Record {event.display_reference} has been {done}.")
    return redirect("events:organisation_events")


@login_required
@require_POST
def organisation_discard(request: HttpRequest, reference: str) -> HttpResponse:
    event = _event(request, reference)
    draft = organisation_edit_for(request.user, event)
    if draft is not None:
        organisation_edit_discard(draft=draft)
        messages.success(request, "Your changes have been discarded.")
    return redirect(_record_url(event))


@login_required
def organisation_history(request: HttpRequest, reference: str) -> HttpResponse:
    event = _event(request, reference)
    page = Paginator(revision_history(event), HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/organisation/history.html",
        {"event": event, "page": page, "event_type_name": event_type_name(event)},
    )


@login_required
@GET_POST
def organisation_reclassify(request: HttpRequest, reference: str) -> HttpResponse:
    """ "Re-classify event": choose the new type, see what it drops, confirm."""
    event = _event(request, reference)
    if not record_permissions(request.user, event).update:
        raise PermissionDenied
    if is_being_processed(event):
        messages.info(request, BEING_PROCESSED_MESSAGE)
        return redirect(_record_url(event))
    journey = revision_journey(event.visible_revision)
    event_types = [et for et in journey.question_set.event_types if et.code != event.event_type]
    chosen = request.POST.get("event_type", "")
    error = None
    if request.method == "POST":
        if chosen not in {et.code for et in event_types}:
            error = "Select the type of event"
        elif request.POST.get("confirm") == "yes":
            try:
                event_reclassify(event=event, actor=request.user, event_type=chosen)
            except ReviewError as problem:
                error = str(problem)
            else:
                name = journey.question_set.event_type(chosen).name
                messages.success(
                    request, f"Record {event.display_reference} has been re-classified as {name}."
                )
                return redirect(_record_url(event))
        else:
            return render(
                request,
                "events/organisation/reclassify_confirm.html",
                {
                    "event": event,
                    "current": journey.event_type,
                    "chosen": journey.question_set.event_type(chosen),
                    "dropped": answers_dropped_by_reclassification(event, chosen),
                },
            )
    return render(
        request,
        "events/organisation/reclassify.html",
        {
            "event": event,
            "current": journey.event_type,
            "event_types": event_types,
            "chosen": chosen,
            "error": error,
        },
    )


@login_required
@GET_POST
def organisation_statutory(request: HttpRequest, reference: str) -> HttpResponse:
    """ "Complete statutory and national policy requirements" (admins)."""
    event = _event(request, reference)
    if not record_permissions(request.user, event).edit_statutory:
        raise PermissionDenied
    if not statutory_applies(event):
        raise Http404("Statutory requirements apply to incidents only")
    if is_being_processed(event):
        messages.info(request, BEING_PROCESSED_MESSAGE)
        return redirect(_record_url(event))
    fields = statutory_questions.stored_fields(event.statutory.answers if event.statutory_id else None)
    errors: dict[str, str] = {}
    if request.method == "POST":
        result = statutory_questions.validate(request.POST, event_type=event.event_type)
        if result.ok:
            try:
                changed = event_statutory_update(event=event, actor=request.user, answers=result.values)
            except ReviewError as problem:
                messages.info(request, str(problem))
                return redirect(_record_url(event))
            if changed:
                messages.success(request, "The statutory and national policy requirements have been updated.")
            return redirect(_record_url(event))
        fields, errors = result.data, result.messages()
    return render(
        request,
        "events/organisation/statutory.html",
        {
            "event": event,
            "sections": statutory_questions.form_sections(fields, errors, event_type=event.event_type),
            "errors": errors,
        },
    )
