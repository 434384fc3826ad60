"""Responding to incidents under PSIRF: the decision queue, the decision, a response and its learning
response document, sign-off, engagement and the duty of candour (docs/adr/0021).

Views are thin: selectors read through the policy and the read gate, services write and refuse what is
not allowed; a `Problems` error is shown with the GOV.UK error summary, and what was typed stays.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import Action, allows
from events.organisation_selectors import CappedPaginator
from events.visibility import (
    ALL_ORGANISATIONS,
    Scope,
    organisations_viewable_by,
    scope_for,
    sees_every_organisation,
)

from . import documents, selectors, selectors_engagement, services
from . import engagement as engagement_services
from .forms import date_from, date_typed, references_from, response_filters, scope_params
from .models import EngagementKind, PersonRole, ResponseKind, ResponseStatus

GET_POST = require_http_methods(["GET", "POST"])
PER_PAGE = 25
COUNT_CAP = 10_000
# The queue says "more than 1,000" past this: a work queue needs no exact count, and counting further
# makes PostgreSQL hash every decided record (~140 ms at 100,000 responses) instead of probing them.
QUEUE_COUNT_CAP = 1_000


def scope_from(request: HttpRequest) -> Scope:
    code = request.GET.get("organisation")
    scope = scope_for(request.user, code, request.GET.get("scope"))
    if scope is None:
        if code:
            raise Http404("No such organisation")
        raise PermissionDenied
    return scope


def switcher(request: HttpRequest, scope: Scope) -> dict:
    choices = organisations_viewable_by(request.user)
    return {
        "scope": scope,
        "free_choice": sees_every_organisation(request.user),
        "choices": choices,
        "all_choice": ALL_ORGANISATIONS if len(choices) > 1 else None,
    }


def _response(request: HttpRequest, pk: int):
    response = selectors.response_visible_to(request.user, pk)
    if response is None:
        raise Http404("No such response")
    return response


def _url(response) -> str:
    return reverse("responses:detail", args=[response.pk])


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """ "Incidents awaiting a response decision"."""
    scope = scope_from(request)
    page = CappedPaginator(
        selectors.awaiting_decision(request.user, scope), PER_PAGE, cap=QUEUE_COUNT_CAP
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "responses/queue.html",
        {
            **switcher(request, scope),
            "page": page,
            "rows": selectors.queue_rows(page),
            "count_cap": QUEUE_COUNT_CAP,
        },
    )


@login_required
@GET_POST
def decide(request: HttpRequest, reference: str) -> HttpResponse:
    """ "Decide the response" to one incident."""
    event = selectors.event_for_decision(request.user, reference)
    if event is None:
        raise Http404("No such record")
    if not allows(
        request.user,
        Action.DECIDE_RESPONSE_FOR_MY_ORGANISATION_EVENTS,
        services.target(request.user, event.organisation),
    ):
        raise PermissionDenied
    decided = selectors.decision_of(event)
    if decided is not None:
        messages.info(request, "A response has already been decided for this record.")
        return redirect(_url(decided))
    context = selectors.decision_context(event)
    values = {
        "kind": "psii" if context["psii_required"] else "",
        "rationale": "",
        "lead": "",
        "referral_body": "",
        "linked": "",
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        references, wrong = references_from(values["linked"])
        linked, missing = selectors.events_by_references(request.user, references)
        if wrong or missing:
            errors["linked"] = (
                f"These are not reference numbers of records you can see: {', '.join([*wrong, *missing])}"
            )
        try:
            if errors:
                raise services.Problems({})
            response = services.response_decide(
                actor=request.user,
                event=event,
                kind=values["kind"],
                rationale=values["rationale"],
                lead_email=values["lead"],
                referral_body=values["referral_body"],
                linked_events=linked,
            )
        except services.Problems as problem:
            errors.update(problem.problems)
        except services.NotAllowed as refused:
            raise PermissionDenied from refused
        else:
            messages.success(request, f"Response decided: {response.get_kind_display()}")
            return redirect(_url(response))
    return render(
        request,
        "responses/decide.html",
        {"event": event, **context, "values": values, "errors": errors, "kinds": ResponseKind.choices},
    )


@login_required
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = _response(request, pk)
    detail = selectors.response_detail(request.user, response)
    sections = None
    if response.kind in documents.question_set_kinds():
        sections = documents.review_sections(response.kind, detail["answers"], response.document_version)
    may = services.response_permissions(request.user, response, detail["on_team"])
    return render(
        request, "responses/detail.html", {"response": response, **detail, "sections": sections, "may": may}
    )


@login_required
@GET_POST
def response_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The learning response document, all its questions on one page."""
    response = _response(request, pk)
    if not services.response_permissions(
        request.user, response, services.on_team(request.user, response)
    ).edit:
        raise PermissionDenied
    fields, errors = dict(response.answers or {}), {}
    if request.method == "POST":
        try:
            services.response_answers_save(actor=request.user, response=response, data=request.POST)
        except services.Problems as problem:
            fields, errors = dict(request.POST.items()), problem.problems
        except services.NotAllowed as refused:
            raise PermissionDenied from refused
        else:
            messages.success(request, "The learning response has been saved.")
            return redirect(_url(response))
    return render(
        request,
        "responses/document.html",
        {
            "response": response,
            "sections": documents.form_sections(response.kind, fields, errors, response.document_version),
            "errors": errors,
        },
    )


MOVES = {
    "complete": (services.response_complete, "The learning response is complete."),
    "submit": (services.response_submit_for_sign_off, "The PSII report has been submitted for sign-off."),
    "share": (services.response_share_with_icb, "The PSII report has been shared with the ICB."),
}


@login_required
@require_POST
def response_move(request: HttpRequest, pk: int) -> HttpResponse:
    response = _response(request, pk)
    step = request.POST.get("step")
    try:
        if step == "close_referral":
            services.referral_close(actor=request.user, response=response, note=request.POST.get("note", ""))
            message = "The referral is closed."
        elif step in MOVES:
            service, message = MOVES[step]
            service(actor=request.user, response=response)
        else:
            raise Http404("No such step")
    except services.NotAllowed as refused:
        raise PermissionDenied from refused
    except services.Problems as problem:
        detail = selectors.response_detail(request.user, response)
        sections = None
        if response.kind in documents.question_set_kinds():
            sections = documents.review_sections(response.kind, detail["answers"], response.document_version)
        return render(
            request,
            "responses/detail.html",
            {
                "response": response,
                **detail,
                "sections": sections,
                "may": services.response_permissions(request.user, response, detail["on_team"]),
                "errors": problem.problems,
                "note": request.POST.get("note", ""),
            },
        )
    messages.success(request, message)
    return redirect(_url(response))


SIGN_OFF_CHOICES = (
    ("sign_off", "Yes, sign off the report"),
    ("return", "No, return it to the response team"),
)


@login_required
@GET_POST
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    """The PSIRF executive lead signs the PSII report off or returns it."""
    response = _response(request, pk)
    values, errors = {"decision": "", "note": ""}, {}
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        try:
            services.response_sign_off(
                actor=request.user, response=response, decision=values["decision"], note=values["note"]
            )
        except services.Problems as problem:
            errors = problem.problems
        else:
            messages.success(
                request,
                "The PSII report is signed off."
                if values["decision"] == "sign_off"
                else "The PSII report has been returned.",
            )
            return redirect(_url(response))
    detail = selectors.response_detail(request.user, response)
    return render(
        request,
        "responses/sign_off.html",
        {
            "response": response,
            "sections": documents.review_sections(
                response.kind, detail["answers"], response.document_version
            ),
            "values": values,
            "errors": errors,
            "decision_choices": SIGN_OFF_CHOICES,
        },
    )


@login_required
@GET_POST
def engagement(request: HttpRequest, pk: int) -> HttpResponse:
    """Engagement and the duty of candour: the response team only (`view_response_engagement`)."""
    response = _response(request, pk)
    if not selectors.engagement_visible(request.user, response):
        raise PermissionDenied
    form = request.POST.get("form", "") if request.method == "POST" else ""
    values = dict(request.POST.items()) if request.method == "POST" else {}
    errors: dict[str, str] = {}
    dates = {
        "happened_on": date_typed(None),
        "notified_on": date_typed(response.candour_notified_on),
        "written_on": date_typed(response.candour_written_on),
    }
    if request.method == "POST":
        try:
            if form == "lead":
                engagement_services.engagement_lead_set(
                    actor=request.user, response=response, email=values.get("engagement_lead", "")
                )
            elif form == "team":
                services.response_team_add(
                    actor=request.user, response=response, email=values.get("email", "")
                )
            elif form == "team_remove":
                member = values.get("member", "")
                if not member.isdecimal():
                    raise services.Problems({"": "Select who to take off the response team"})
                services.response_team_remove(actor=request.user, response=response, member_id=int(member))
            elif form == "lead_change":
                services.response_lead_set(
                    actor=request.user, response=response, email=values.get("lead", "")
                )
            elif form == "person":
                engagement_services.affected_person_add(
                    actor=request.user,
                    response=response,
                    role=values.get("role", ""),
                    name=values.get("name", ""),
                    contact=values.get("contact", ""),
                    preferences=values.get("preferences", ""),
                )
            elif form == "entry":
                happened, dates["happened_on"], problems = _entry_date(
                    request, values.get("kind", ""), values.get("note", "")
                )
                if problems:
                    raise services.Problems(problems)
                engagement_services.engagement_record(
                    actor=request.user,
                    response=response,
                    kind=values.get("kind", ""),
                    happened_on=happened,
                    note=values.get("note", ""),
                )
            elif form == "candour":
                notified, notified_error, dates["notified_on"] = date_from(
                    request.POST, "notified_on", "The date of the notification"
                )
                written, written_error, dates["written_on"] = date_from(
                    request.POST, "written_on", "The date of the written follow-up"
                )
                problems = {
                    k: v for k, v in {"notified_on": notified_error, "written_on": written_error}.items() if v
                }
                if problems:
                    raise services.Problems(problems)
                engagement_services.candour_record(
                    actor=request.user, response=response, notified_on=notified, written_on=written
                )
            else:
                raise Http404("No such form")
        except services.Problems as problem:
            errors = problem.problems
        except services.NotAllowed as refused:
            raise PermissionDenied from refused
        else:
            messages.success(request, "Saved.")
            return redirect(reverse("responses:engagement", args=[response.pk]))
    detail = selectors.response_detail(request.user, response)
    return render(
        request,
        "responses/engagement.html",
        {
            "response": response,
            **detail,
            "form": form,
            "values": values,
            "dates": dates,
            "errors": errors,
            "roles": PersonRole.choices,
            "kinds": EngagementKind.choices,
        },
    )


@login_required
def response_list(request: HttpRequest) -> HttpResponse:
    """Every response of the scope, by kind and status."""
    scope = scope_from(request)
    responses = selectors.responses_visible_to(request.user, scope).select_related("organisation", "lead")
    filters = response_filters(request.GET, ResponseKind.values, ResponseStatus.values)
    if "kind" in filters.applied:
        responses = responses.filter(kind=filters.applied["kind"])
    if "status" in filters.applied:
        responses = responses.filter(status=filters.applied["status"])
    page = CappedPaginator(responses.order_by("-decided_at", "-id"), PER_PAGE, cap=COUNT_CAP).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "responses/list.html",
        {
            **switcher(request, scope),
            "page": page,
            "kinds": ResponseKind.choices,
            "statuses": ResponseStatus.choices,
            "filters": filters,
            "errors": filters.errors,
            "query": filters.query(scope_params(request.GET)),
            "count_cap": COUNT_CAP,
        },
    )


def _team_only(request: HttpRequest, pk: int):
    response = _response(request, pk)
    if not selectors.engagement_visible(request.user, response):
        raise PermissionDenied
    return response


@login_required
@GET_POST
def affected_person(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    """Change or remove a person affected: the response team only (their details are encrypted)."""
    response = _team_only(request, pk)
    person = selectors_engagement.affected_person_of(response, person_pk)
    if person is None:
        raise Http404("No such person")
    values = {"role": person.role, **{k: (person.details or {}).get(k, "") for k in PERSON_FIELDS}}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if request.POST.get("remove") == "yes":
                engagement_services.affected_person_remove(
                    actor=request.user, response=response, person=person
                )
                messages.success(request, "The person has been removed.")
                return redirect(reverse("responses:engagement", args=[response.pk]))
            values = {name: request.POST.get(name, "") for name in ("role", *PERSON_FIELDS)}
            engagement_services.affected_person_update(
                actor=request.user, response=response, person=person, **values
            )
        except services.Problems as problem:
            errors = problem.problems
        except services.NotAllowed as refused:
            raise PermissionDenied from refused
        else:
            messages.success(request, "The person's details have been saved.")
            return redirect(reverse("responses:engagement", args=[response.pk]))
    return render(
        request,
        "responses/person_form.html",
        {
            "response": response,
            "person": person,
            "values": values,
            "errors": errors,
            "roles": PersonRole.choices,
        },
    )


def _entry_date(request: HttpRequest, kind: str, note: str):
    """The date of an engagement entry and the day, month and year as typed, and, for a bad date, every
    problem of the entry (the service's checks with the date's own message), not the date's alone."""
    happened, message, typed = date_from(request.POST, "happened_on", "The date it happened")
    problems = (
        {**engagement_services.entry_problems(kind, None, note), "happened_on": message} if message else {}
    )
    return happened, typed, problems


PERSON_FIELDS = ("name", "contact", "preferences")


@login_required
@GET_POST
def engagement_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Correct or remove a meeting, what was shared, or comments received: the response team only."""
    response = _team_only(request, pk)
    entry = selectors_engagement.engagement_entry_of(response, entry_pk)
    if entry is None:
        raise Http404("No such entry")
    values = {"kind": entry.kind, "note": entry.note or ""}
    typed = date_typed(entry.happened_on)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if request.POST.get("remove") == "yes":
                engagement_services.engagement_entry_remove(
                    actor=request.user, response=response, entry=entry
                )
                messages.success(request, "The entry has been removed.")
                return redirect(reverse("responses:engagement", args=[response.pk]))
            values = {name: request.POST.get(name, "") for name in values}
            happened, typed, problems = _entry_date(request, values["kind"], values["note"])
            if problems:
                raise services.Problems(problems)
            engagement_services.engagement_entry_update(
                actor=request.user,
                response=response,
                entry=entry,
                kind=values["kind"],
                happened_on=happened,
                note=values["note"],
            )
        except services.Problems as problem:
            errors = problem.problems
        except services.NotAllowed as refused:
            raise PermissionDenied from refused
        else:
            messages.success(request, "The entry has been saved.")
            return redirect(reverse("responses:engagement", args=[response.pk]))
    return render(
        request,
        "responses/entry_form.html",
        {
            "response": response,
            "entry": entry,
            "values": values,
            "typed": typed,
            "errors": errors,
            "kinds": EngagementKind.choices,
        },
    )
