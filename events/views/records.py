"""A recorder's own records: the list, one record, its history, editing it, and the confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from events.extensions import submission_warnings
from events.organisation_selectors import event_type_name
from events.presenters import revision_journey
from events.questionnaire import load_question_set
from events.selectors import drafts_of, events_recorded_by, latest_revision, revision_history
from events.services import RecordingError, draft_expires_at, event_edit_open
from events.visibility import Reading, event_visible_to, revision_just_submitted

from .recording import SUBMITTED

RECORDS_PER_PAGE = 25
HISTORY_PER_PAGE = 10


def event_type_names(version: str) -> dict[str, str]:
    return {et.code: et.name for et in load_question_set(version).event_types}


@login_required
def my_records(request: HttpRequest) -> HttpResponse:
    drafts = [(draft, draft_expires_at(draft)) for draft in drafts_of(request.user)]
    records = Paginator(events_recorded_by(request.user), RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    for event in records:
        event.event_type_name = event_type_name(event)
    for draft, _ in drafts:
        draft.event_type_name = event_type_names(draft.question_set_version).get(
            draft.answers.get("EventType"), "Not chosen yet"
        )
    return render(request, "events/my_records.html", {"drafts": drafts, "records": records})


def _own_event(request: HttpRequest, reference: str):
    event = event_visible_to(request.user, reference, reading=Reading.OWN_RECORDS)
    if event is None:
        raise Http404("No such record")
    return event


@login_required
def record_detail(request: HttpRequest, reference: str) -> HttpResponse:
    event = _own_event(request, reference)
    revision = latest_revision(event)
    journey = revision_journey(revision)
    return render(
        request,
        "events/record_detail.html",
        {"event": event, "revision": revision, "journey": journey, "sections": journey.review()},
    )


@login_required
@require_POST
def record_edit(request: HttpRequest, reference: str) -> HttpResponse:
    event = _own_event(request, reference)
    try:
        draft = event_edit_open(event=event, actor=request.user)
    except RecordingError as problem:
        messages.error(request, str(problem))
        return redirect("events:record_detail", reference=reference)
    return redirect("events:review", key=draft.key)


@login_required
def record_history(request: HttpRequest, reference: str) -> HttpResponse:
    event = _own_event(request, reference)
    page = Paginator(revision_history(event), HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/record_history.html",
        {
            "event": event,
            "page": page,
            "event_type_name": event_type_names(event.question_set_version).get(event.event_type),
        },
    )


FOLLOWABLE = "followable_record"


def submitted(request: HttpRequest) -> HttpResponse:
    """ "Record Submitted": shown once to an anonymous recorder, kept for a signed-in one."""
    state = request.session.get(SUBMITTED)
    revision = revision_just_submitted(request.user, state["revision"]) if state else None
    if revision is None:
        raise Http404("Nothing was submitted")
    event = revision.event
    if event.is_anonymous:  # shown once: the session no longer holds it
        del request.session[SUBMITTED]
        # ... but it may still ask for a link to follow the record (events/patients, docs/adr/0019).
        request.session[FOLLOWABLE] = revision.pk
    # The recorder has just typed these answers: the summary to print shows them as submitted.
    journey = revision_journey(revision, revision.answers)
    return render(
        request,
        "events/submitted.html",
        {
            "event": event,
            "revision": revision,
            "resubmitted": state.get("resubmitted", False),
            "journey": journey,
            "sections": journey.review(),
            "warnings": submission_warnings(revision),
        },
    )
