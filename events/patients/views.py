"""The patient form, "Follow my record" and the closed loop's screens (docs/adr/0019).

Thin: the questionnaire engine decides the route, services write, selectors read through the one
read gate; the policy decides who may do what. Every public route works without JavaScript.
"""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.emails import absolute_url
from accounts.permissions import Action, allows
from events.questionnaire import REVIEW, FieldError, PageNotFound, form_data
from events.views.organisation_answers import page_answers_check
from events.views.question_context import question_page_context
from events.visibility import revision_just_submitted

from . import ratelimit
from .i18n import translated_context, translated_review
from .journey import patient_journey
from .models import Stage
from .notifications import follow_link_email
from .selectors import (
    complaints_contact_for,
    follow_link_for,
    followed_progress,
    followed_record,
    patient_draft_for,
)
from .services import (
    PatientReportError,
    follow_link_create,
    follow_link_set_email,
    patient_draft_create,
    patient_draft_record_page,
    patient_report_submit,
    recorder_information_add,
)

DRAFTS = "patient_drafts"
SENT = "patient_sent"
FOLLOWABLE = "followable_record"  # a revision id, set by events' "Record Submitted" for an anonymous record
ADD_MAX_LENGTH = 4000


def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(request, "patients/too_many.html", {"minutes": max(1, retry_after // 60)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _limited(request: HttpRequest, *checks: tuple[str, str]) -> HttpResponse | None:
    for name, subject in checks:
        wait = ratelimit.hit(name, subject)
        if wait is not None:
            return _too_many(request, wait)
    return None


# -- the form ------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if not allows(request.user, Action.RECORD_EVENT_AS_PATIENT_OR_FAMILY):
        raise PermissionDenied
    if request.method == "POST":
        if refused := _limited(request, ("form_page_ip", ratelimit.client_ip(request))):
            return refused
        draft = patient_draft_create()
        request.session[DRAFTS] = [*request.session.get(DRAFTS, [])[-4:], str(draft.key)]
        first = patient_journey({}, draft.question_set_version).route()[0]
        return redirect("patients:question", key=draft.key, page_id=first)
    return render(request, "patients/start.html")


def _draft(request: HttpRequest, key):
    draft = patient_draft_for(key, request.session.get(DRAFTS, []))
    if draft is None:
        raise Http404("No such draft")
    return draft


@never_cache
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, key, page_id: str) -> HttpResponse:
    draft = _draft(request, key)
    journey = patient_journey(draft.answers, draft.question_set_version)
    change = request.GET.get("change") == "1"
    try:
        page = journey.page(page_id)
    except PageNotFound:
        resume = journey.resume_page()
        if resume == REVIEW:
            return redirect("patients:check", key=draft.key)
        return redirect("patients:question", key=draft.key, page_id=resume)
    if request.method == "POST":
        if refused := _limited(request, ("form_page_ip", ratelimit.client_ip(request))):
            return refused
        checked = page_answers_check(journey, page, request.POST)
        errors = _plain(checked.errors) or _extra_errors(page.question.id, checked.values, draft.answers)
        if not errors:
            journey = patient_draft_record_page(draft=draft, page_id=page_id, values=checked.values)
            if "help" in (journey.prune().get("ReporterWants") or []):
                return redirect("patients:help_now")
            following = journey.next_page(page_id, mode="change" if change else "journey")
            if following == REVIEW or (change and journey.page(following).section.id != page.section.id):
                return redirect("patients:check", key=draft.key)
            url = reverse("patients:question", args=[draft.key, following])
            return redirect(f"{url}?change=1" if change else url)
        context = question_page_context(journey, page, checked.data, errors, checked.matches)
    else:
        context = question_page_context(
            journey, page, form_data(page.question, journey.values(page_id)), [], []
        )
    back = journey.previous_page(page_id)
    context.update(
        draft=draft,
        back_url=reverse("patients:question", args=[draft.key, back]) if back else reverse("patients:start"),
        action_url=request.get_full_path(),
        widget=_widget(context["widget"]),
    )
    return render(request, "patients/question.html", translated_context(context))


def _widget(template: str) -> str:
    """The patient form words the place search for the public: its own widget; the rest are shared."""
    return "patients/questions/organisation.html" if template.endswith("/organisation.html") else template


def _plain(errors: list[FieldError]) -> list[FieldError]:
    """The place search's messages, said without "ODS code" (staff words) for the public."""
    plain = []
    for error in errors:
        if "ODS code" in error.message or error.message.startswith("No organisation matches"):
            message = _(
                "We cannot find that place. Check the spelling, try a postcode or choose ‘I cannot find it’"
            )
            error = dataclasses.replace(error, message=message)
        elif error.message.startswith("More than one organisation matches"):
            error = dataclasses.replace(
                error, message=_("More than one place matches. Choose one from the list")
            )
        plain.append(error)
    return plain


def _extra_errors(question_id: str, values: dict, answers: dict) -> list:
    """Rules the question set cannot say: an email address must look like one, and someone who may
    be contacted gives an email address or a phone number."""
    if question_id == "ContactEmail" and values.get("ContactEmail"):
        try:
            validate_email(values["ContactEmail"])
        except ValidationError:
            return [
                FieldError(
                    "ContactEmail",
                    _("Enter an email address in the correct format, like name@example.com"),
                    "ContactEmail",
                )
            ]
    if question_id == "ContactPhone" and not values.get("ContactPhone") and not answers.get("ContactEmail"):
        return [
            FieldError(
                "ContactPhone",
                _("Enter a phone number, or go back and enter an email address, so they can contact you"),
                "ContactPhone",
            )
        ]
    return []


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, key) -> HttpResponse:
    draft = _draft(request, key)
    journey = patient_journey(draft.answers, draft.question_set_version)
    error = None
    if request.method == "POST":
        if refused := _limited(request, ("submit_ip", ratelimit.client_ip(request))):
            return refused
        try:
            submitted = patient_report_submit(draft=draft)
        except PatientReportError as problem:
            error = str(problem)
        else:
            request.session[DRAFTS] = [k for k in request.session.get(DRAFTS, []) if k != str(draft.key)]
            request.session[SENT] = {"event": submitted.revision.event_id, "token": submitted.follow_token}
            return redirect("patients:sent")
    change_url = reverse("patients:question", args=[draft.key, "page-id"])
    return render(
        request,
        "patients/check.html",
        {
            "draft": draft,
            "sections": translated_review(journey.review()),
            "complete": journey.is_complete(),
            "resume_url": change_url.replace("page-id", journey.resume_page()),
            "change_url": change_url,
            "error": error,
        },
        status=400 if error else 200,
    )


def help_now(request: HttpRequest) -> HttpResponse:
    return render(request, "patients/help_now.html")


def _sent_state(request: HttpRequest):
    state = request.session.get(SENT)
    link = follow_link_for(state["token"]) if state else None
    followed = followed_record(link) if link else None
    if followed is None:
        raise Http404("Nothing was sent")
    return state, followed


@never_cache
@require_http_methods(["GET", "POST"])
def sent(request: HttpRequest) -> HttpResponse:
    """The confirmation: reference, the link to follow the record, complaint contact, a summary."""
    state, followed = _sent_state(request)
    event, report = followed.event, followed.report
    follow_url = absolute_url(
        reverse("patients:follow", args=[state["token"]]), request.build_absolute_uri("/")
    )
    email_error = None
    email = ""
    if request.method == "POST":
        email = request.POST.get("email", "").strip()
        email_error = _email_error(email)
        if email_error is None:
            if refused := _limited(request, ("add_reference", event.reference)):
                return refused
            follow_link_set_email(link=followed.link, email=email)
            follow_link_email(address=email, event=event, link=follow_url)
            messages.success(request, _("We have sent the link to %(email)s") % {"email": email})
            return redirect("patients:sent")
    summary = patient_journey(report.answers, report.question_set_version).review() if report else []
    return render(
        request,
        "patients/sent.html",
        {
            "event": event,
            "report": report,
            "follow_url": follow_url,
            "complaints_contact": complaints_contact_for(event.organisation),
            "summary": translated_review([_answered(section) for section in summary]),
            "email": email,
            "email_error": email_error,
        },
        status=400 if email_error else 200,
    )


def _answered(section):
    from dataclasses import replace

    return replace(section, rows=tuple(row for row in section.rows if row.answered))


def _email_error(email: str) -> str | None:
    if not email:
        return _("Enter your email address")
    try:
        validate_email(email)
    except ValidationError:
        return _("Enter an email address in the correct format, like name@example.com")
    return None


# -- follow my record ----------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, token: str) -> HttpResponse:
    """A record's status, the organisation's updates, and a form to add information. Reached only
    with the link's token; a bad or expired token shows nothing of any record."""
    ip = ratelimit.client_ip(request)
    if ratelimit.is_over("follow_bad_ip", ip):
        return _too_many(request, ratelimit.limit_for("follow_bad_ip").window_seconds)
    if refused := _limited(request, ("follow_ip", ip)):
        return refused
    link = follow_link_for(token)
    if link is None:
        ratelimit.hit("follow_bad_ip", ip)
        return render(request, "patients/follow_not_found.html", status=404)
    followed = followed_record(link)
    if followed is None:
        return render(request, "patients/follow_expired.html", status=410)
    event = followed.event
    if refused := _limited(request, ("follow_reference", event.reference)):
        return refused
    add_error = email_error = None
    added = email = ""
    if request.method == "POST":
        if request.POST.get("form") == "email":
            email = request.POST.get("email", "").strip()
            email_error = _email_error(email)
            if email_error is None:
                if refused := _limited(request, ("add_reference", event.reference)):
                    return refused
                follow_link_set_email(link=link, email=email)
                messages.success(request, _("We will email %(email)s when there is news") % {"email": email})
                return redirect(request.path)
        else:
            added = request.POST.get("information", "")
            add_error = _information_error(added)
            if add_error is None:
                if refused := _limited(request, ("add_reference", event.reference)):
                    return refused
                recorder_information_add(event=event, text=added)
                messages.success(request, _("We have added your information to the record"))
                return redirect(request.path)
    return render(
        request,
        "patients/follow.html",
        {
            "event": event,
            "report": followed.report,
            "link": link,
            "progress": followed_progress(followed),
            "stages": Stage,
            "added": added,
            "add_error": add_error,
            "email": email,
            "email_error": email_error,
            "max_length": ADD_MAX_LENGTH,
        },
        status=400 if add_error or email_error else 200,
    )


def _information_error(text: str) -> str | None:
    if not text.strip():
        return _("Type the information you want to add")
    if len(text) > ADD_MAX_LENGTH:
        return _("The information must be %(max)s characters or less") % {"max": f"{ADD_MAX_LENGTH:,}"}
    return None


@require_POST
def staff_follow_link(request: HttpRequest) -> HttpResponse:
    """An anonymous staff recorder asks for a link to follow the record they have just made."""
    revision_id = request.session.pop(FOLLOWABLE, None)
    revision = revision_just_submitted(request.user, revision_id) if revision_id else None
    if revision is None or not revision.event.is_anonymous:
        raise Http404("Nothing to follow")
    if refused := _limited(request, ("submit_ip", ratelimit.client_ip(request))):
        return refused
    token = follow_link_create(event=revision.event)
    request.session[SENT] = {"event": revision.event_id, "token": token}
    return redirect("patients:staff_follow_link_made")


@never_cache
@require_http_methods(["GET", "POST"])
def staff_follow_link_made(request: HttpRequest) -> HttpResponse:
    return sent(request)
