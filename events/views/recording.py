"""Recording an event: start, the event type, the task list, one question per page, review, submit."""

import functools
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.backends import session_user_adopt, session_user_id
from accounts.permissions import Action, allows
from events.journeys import journey_for
from events.models import Draft, DraftKind
from events.presenters import review_groups
from events.questionnaire import (
    EVENT_TYPE,
    REVIEW,
    TASK_LIST,
    Journey,
    PageNotFound,
    form_data,
)
from events.selectors import draft_for, draft_needs_sign_in
from events.services import (
    RecordingError,
    draft_create,
    draft_delete,
    draft_expires_at,
    draft_record_page,
    draft_remove_item,
    draft_set_change_pages,
    event_resubmit,
    event_submit,
)

from .organisation_answers import page_answers_check
from .question_context import question_page_context

ANONYMOUS_DRAFTS = "anonymous_drafts"
SUBMITTED = "submitted_record"
MODES = ("journey", "section", "change")


class _SignInFirst(Exception):
    """The draft is a signed-in recorder's and the visitor is not signed in."""


def _draft(request: HttpRequest, key) -> Draft:
    """The draft in the URL, if it is this visitor's. A signed-in owner is read with the draft."""
    draft = draft_for(
        key, owner_id=session_user_id(request), anonymous_keys=request.session.get(ANONYMOUS_DRAFTS, [])
    )
    if draft is not None and draft.owner is not None:
        session_user_adopt(request, draft.owner)
        if request.user.pk != draft.owner_id:  # the session no longer stands (password changed ...)
            draft = None
    if draft is None:
        if not request.user.is_authenticated and draft_needs_sign_in(key):
            raise _SignInFirst
        raise Http404("No such draft")
    return draft


def _sign_in_and_back(view):
    """A recorder signed out (session ended or lost) who comes back to their draft is sent to sign in
    and then back to it (docs/adr/0022, amended): the page they asked for, or after a form sent
    meanwhile (its answers are not kept) the draft's task list."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, key, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, key, *args, **kwargs)
        except _SignInFirst:
            back = (
                request.get_full_path()
                if request.method == "GET"
                else reverse("events:task_list", args=[key])
            )
            return redirect_to_login(back)

    return wrapper


def _journey(draft: Draft) -> Journey:
    return journey_for(draft.answers, draft.question_set_version, anonymous=draft.is_anonymous)


def page_url(draft: Draft, page_id: str, mode: str = "journey") -> str:
    url = reverse("events:question", args=[draft.key, page_id])
    return url if mode == "journey" else f"{url}?mode={mode}"


def page_urls(draft: Draft, mode: str = "journey") -> Callable[[str], str]:
    """page_url for many pages of one draft, reversing the URL once (Review your answers has dozens)."""
    placeholder = "page-id-placeholder"
    url = page_url(draft, placeholder, mode)
    return lambda page_id: url.replace(placeholder, page_id)


def _destination(draft: Draft, target: str | None, mode: str) -> str:
    if target in (None, TASK_LIST):
        return reverse("events:task_list", args=[draft.key])
    if target == REVIEW:
        return reverse("events:review", args=[draft.key])
    return page_url(draft, target, mode)


@login_required
@require_http_methods(["GET", "POST"])
def record_start(request: HttpRequest) -> HttpResponse:
    if not allows(request.user, Action.RECORD_EVENT_SIGNED_IN):
        raise PermissionDenied
    if request.method == "POST":
        draft = draft_create(actor=request.user, anonymous=False)
        return redirect(page_url(draft, EVENT_TYPE))
    return render(request, "events/record_start.html")


@require_http_methods(["GET", "POST"])
def record_anonymously(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        draft = draft_create(actor=request.user, anonymous=True)
        request.session[ANONYMOUS_DRAFTS] = [*request.session.get(ANONYMOUS_DRAFTS, [])[-4:], str(draft.key)]
        return redirect(page_url(draft, EVENT_TYPE))
    return render(request, "events/record_anonymously.html")


@_sign_in_and_back
def task_list(request: HttpRequest, key) -> HttpResponse:
    draft = _draft(request, key)
    journey = _journey(draft)
    if journey.event_type is None:
        return redirect(page_url(draft, EVENT_TYPE))
    return render(
        request,
        "events/task_list.html",
        {
            "draft": draft,
            "journey": journey,
            "items": journey.task_list(),
            "complete": journey.is_complete(),
            "expires_at": draft_expires_at(draft),
        },
    )


@require_http_methods(["GET", "POST"])
@_sign_in_and_back
def question(request: HttpRequest, key, page_id: str) -> HttpResponse:
    draft = _draft(request, key)
    journey = _journey(draft)
    mode = request.GET.get("mode") if request.GET.get("mode") in MODES else "journey"
    try:
        page = journey.page(page_id)
    except PageNotFound:
        messages.info(request, "That question no longer applies to this record.")
        return redirect("events:task_list", key=draft.key)

    if request.method == "POST":
        checked = page_answers_check(journey, page, request.POST)
        if not checked.errors:
            route_before = set(journey.route())
            journey = draft_record_page(draft=draft, page_id=page_id, values=checked.values, journey=journey)
            if mode == "change":
                _queue_opened_pages(draft, journey, page_id, route_before)
            return redirect(_after(draft, journey, page_id, mode))
        context = question_page_context(journey, page, checked.data, checked.errors, checked.matches)
    else:
        scope_values = journey.values(page_id)
        data = form_data(page.question, scope_values)
        context = question_page_context(journey, page, data, [], [])

    back = journey.previous_page(page_id, mode=mode)
    context.update(
        draft=draft,
        mode=mode,
        back_url=_destination(draft, back, mode) if back else _start_url(draft),
        action_url=page_url(draft, page_id, mode),
    )
    return render(request, "events/question.html", context)


def _start_url(draft: Draft) -> str:
    if draft.kind == DraftKind.EDIT:
        return reverse("events:review", args=[draft.key])
    return reverse("events:record_anonymously" if draft.is_anonymous else "events:record_start")


def _after(draft: Draft, journey: Journey, page_id: str, mode: str) -> str:
    if page_id == EVENT_TYPE and mode != "change":
        return reverse("events:task_list", args=[draft.key])
    target = journey.next_page(page_id, mode=mode)
    if mode == "change" and target == REVIEW and draft.change_return:
        target = draft.change_return[0]
    return _destination(draft, target, mode)


def _queue_opened_pages(draft: Draft, journey: Journey, page_id: str, route_before: set[str]) -> None:
    """A change can open pages outside its own section (a new thing involved opens a section of its
    own): they are kept in `change_return` and walked before going back to Review your answers."""
    waiting = (set(draft.change_return) | (set(journey.route()) - route_before)) - {page_id}
    pages = [
        other
        for other in journey.route()
        if other in waiting and journey.page(other).question.id not in journey.values(other)
    ]
    if pages != draft.change_return:
        draft_set_change_pages(draft=draft, pages=pages)


@require_http_methods(["GET", "POST"])
@_sign_in_and_back
def review(request: HttpRequest, key) -> HttpResponse:
    draft = _draft(request, key)
    journey = _journey(draft)
    if journey.event_type is None:
        return redirect(page_url(draft, EVENT_TYPE))
    if request.method == "GET" and draft.change_return:  # a walk after a change ends here
        draft_set_change_pages(draft=draft, pages=[])
    error = None
    if request.method == "POST":
        try:
            if draft.kind == DraftKind.EDIT:
                revision = event_resubmit(draft=draft, actor=request.user)
            else:
                revision = event_submit(draft=draft, actor=request.user)
        except RecordingError as problem:
            error = str(problem)
        else:
            request.session[SUBMITTED] = {
                "revision": revision.pk,
                "resubmitted": draft.kind == DraftKind.EDIT,
            }
            if draft.is_anonymous:
                keys = request.session.get(ANONYMOUS_DRAFTS, [])
                request.session[ANONYMOUS_DRAFTS] = [k for k in keys if k != str(key)]
            return redirect("events:submitted")
    return render(
        request,
        "events/review.html",
        {
            "draft": draft,
            "journey": journey,
            "sections": review_groups(journey.review(), page_urls(draft, "change")),
            "complete": journey.is_complete(),
            "error": error,
            "expires_at": draft_expires_at(draft),
        },
    )


@require_POST
@_sign_in_and_back
def remove_item(request: HttpRequest, key, group: str, number: int) -> HttpResponse:
    draft = _draft(request, key)
    try:
        draft_remove_item(draft=draft, group=group, number=number)
    except (PageNotFound, KeyError):
        raise Http404("No such item") from None
    messages.success(request, f"Patient {number} has been removed from this record.")
    return redirect("events:task_list", key=draft.key)


@require_http_methods(["GET", "POST"])
@_sign_in_and_back
def delete_draft(request: HttpRequest, key) -> HttpResponse:
    draft = _draft(request, key)
    if request.method == "POST":
        draft_delete(draft=draft)
        messages.success(request, "Your draft has been deleted.")
        return redirect("events:my_records" if request.user.is_authenticated else "landing")
    return render(request, "events/delete_draft.html", {"draft": draft})
