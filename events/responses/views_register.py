"""The safety actions register, safety improvement plans, the PSIRF executive lead, response plans
(PSIRP) and their public page, the ICB's oversight, the board report and the national register."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Action, Target, active_memberships, allows
from events.organisation_selectors import CappedPaginator
from events.visibility import organisations_viewable_by
from organisations.selectors import organisation_by_code

from . import actions as action_services
from . import plans as plan_services
from . import selectors, services
from .forms import date_from, date_typed
from .models import ActionStatus, ResponseKind, Strength
from .views import COUNT_CAP, GET_POST, PER_PAGE, scope_from, switcher


def organisation_for(request: HttpRequest, action: Action):
    """The organisation a page acts for: `?organisation=CODE` if the user may, else their first
    organisation where they may; 403 when none."""
    code = request.GET.get("organisation") or request.POST.get("organisation")
    if code:
        organisation = organisation_by_code(code)
        if organisation is None:
            raise Http404("No such organisation")
        if not allows(request.user, action, services.target(request.user, organisation)):
            raise PermissionDenied
        return organisation
    for membership in active_memberships(request.user):
        if allows(request.user, action, services.target(request.user, membership.organisation)):
            return membership.organisation
    raise PermissionDenied


# -- safety actions -------------------------------------------------------------------------------------
@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The safety actions register, or (`?overdue=1`) its overdue actions."""
    scope = scope_from(request)
    overdue = request.GET.get("overdue") == "1"
    actions = selectors.register(request.user, scope, overdue=overdue, status=request.GET.get("status", ""))
    page = CappedPaginator(actions, PER_PAGE, cap=COUNT_CAP).get_page(request.GET.get("page"))
    return render(
        request,
        "responses/register.html",
        {
            **switcher(request, scope),
            "page": page,
            "overdue": overdue,
            "today": timezone.localdate(),
            "statuses": ActionStatus.choices,
            "count_cap": COUNT_CAP,
        },
    )


def _action_values(request: HttpRequest) -> tuple[dict, dict, dict]:
    post = request.POST
    due, due_error, typed = date_from(post, "due_date", "The due date")
    plan = None
    if post.get("plan"):
        plan = next((p for p in request.plans if str(p.pk) == post["plan"]), None)
    values = {
        "area_for_improvement": post.get("area_for_improvement", ""),
        "action": post.get("action", ""),
        "owner_email": post.get("owner_email", ""),
        "due_date": due,
        "due_date_error": due_error,
        "measure": post.get("measure", ""),
        "strength": post.get("strength", ""),
        "status": post.get("status", ""),
        "evidence": post.get("evidence", ""),
        "plan": plan,
    }
    return values, typed, dict(post.items())


def _action_page(request, template_context):
    return render(
        request,
        "responses/action_form.html",
        {"strengths": Strength.choices, "statuses": ActionStatus.choices, **template_context},
    )


@login_required
@GET_POST
def action_new(request: HttpRequest) -> HttpResponse:
    response = None
    if request.GET.get("response"):
        response = selectors.response_visible_to(request.user, int(request.GET["response"]))
        if response is None:
            raise Http404("No such response")
        organisation = response.organisation
        if not allows(
            request.user,
            Action.MANAGE_SAFETY_ACTIONS_OF_MY_ORGANISATION,
            services.target(request.user, organisation),
        ):
            raise PermissionDenied
    else:
        organisation = organisation_for(request, Action.MANAGE_SAFETY_ACTIONS_OF_MY_ORGANISATION)
    request.plans = list(selectors.safety_plans_of(organisation))
    typed, fields, errors = date_typed(None), {}, {}
    if request.method == "POST":
        values, typed, fields = _action_values(request)
        try:
            action_services.safety_action_create(
                actor=request.user, organisation=organisation, values=values, response=response
            )
        except services.Problems as problem:
            errors = problem.problems
        else:
            messages.success(request, "The safety action has been added.")
            return redirect(
                reverse("responses:detail", args=[response.pk])
                if response
                else reverse("responses:register") + f"?organisation={organisation.ods_code}"
            )
    return _action_page(
        request,
        {
            "organisation": organisation,
            "response": response,
            "fields": fields,
            "due": typed,
            "errors": errors,
            "plans": request.plans,
            "creating": True,
        },
    )


@login_required
@GET_POST
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.safety_action_visible_to(request.user, pk)
    if action is None:
        raise Http404("No such safety action")
    may_edit = allows(
        request.user,
        Action.MANAGE_SAFETY_ACTIONS_OF_MY_ORGANISATION,
        services.target(request.user, action.organisation),
    )
    request.plans = list(selectors.safety_plans_of(action.organisation))
    fields = {
        "area_for_improvement": action.area_for_improvement,
        "action": action.action,
        "owner_email": action.owner.email,
        "measure": action.measure,
        "strength": action.strength,
        "status": action.status,
        "evidence": action.evidence,
        "plan": str(action.plan_id or ""),
    }
    typed, errors = date_typed(action.due_date), {}
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        values, typed, fields = _action_values(request)
        try:
            action_services.safety_action_update(actor=request.user, action=action, values=values)
        except services.Problems as problem:
            errors = problem.problems
        else:
            messages.success(request, "The safety action has been updated.")
            return redirect(reverse("responses:action", args=[action.pk]))
    return _action_page(
        request,
        {
            "organisation": action.organisation,
            "action": action,
            "response": action.response,
            "fields": fields,
            "due": typed,
            "errors": errors,
            "plans": request.plans,
            "may_edit": may_edit,
            "audit": list(action.audit.select_related("actor")[:30]),
        },
    )


@login_required
@GET_POST
def safety_plans(request: HttpRequest) -> HttpResponse:
    organisation = organisation_for(request, Action.VIEW_RESPONSES_OF_MY_ORGANISATION)
    may_add = allows(
        request.user,
        Action.MANAGE_SAFETY_ACTIONS_OF_MY_ORGANISATION,
        services.target(request.user, organisation),
    )
    values, errors = {"title": "", "description": ""}, {}
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        values = {name: request.POST.get(name, "") for name in values}
        try:
            action_services.safety_plan_create(actor=request.user, organisation=organisation, **values)
        except services.Problems as problem:
            errors = problem.problems
        else:
            messages.success(request, "The safety improvement plan has been added.")
            return redirect(reverse("responses:safety_plans") + f"?organisation={organisation.ods_code}")
    return render(
        request,
        "responses/safety_plans.html",
        {
            "organisation": organisation,
            "plans": selectors.safety_plans_of(organisation),
            "may_add": may_add,
            "values": values,
            "errors": errors,
        },
    )


@login_required
@GET_POST
def executive_lead(request: HttpRequest) -> HttpResponse:
    organisation = organisation_for(request, Action.DESIGNATE_PSIRF_EXECUTIVE_LEAD_FOR_MY_ORGANISATION)
    email, errors = "", {}
    if request.method == "POST":
        email = request.POST.get("email", "")
        try:
            services.executive_lead_designate(actor=request.user, organisation=organisation, email=email)
        except services.Problems as problem:
            errors = problem.problems
        else:
            messages.success(request, f"{email.strip()} is now the PSIRF executive lead for {organisation}.")
            return redirect(reverse("responses:executive_lead") + f"?organisation={organisation.ods_code}")
    return render(
        request,
        "responses/executive_lead.html",
        {
            "organisation": organisation,
            "current": services.executive_leads(organisation),
            "email": email,
            "errors": errors,
        },
    )


# -- response plans (PSIRP) -----------------------------------------------------------------------------
@login_required
@GET_POST
def plans(request: HttpRequest) -> HttpResponse:
    organisation = organisation_for(request, Action.VIEW_RESPONSES_OF_MY_ORGANISATION)
    may_write = allows(
        request.user,
        Action.WRITE_RESPONSE_PLAN_FOR_MY_ORGANISATION,
        Target(services.provider_of(organisation)),
    )
    versions = list(selectors.plans_of(organisation))
    latest = versions[0] if versions else None
    fields = {"summary": latest.summary if latest else ""}
    for number, row in enumerate(latest.priorities if latest else [], start=1):
        fields[f"priority-{number}"], fields[f"method-{number}"] = row["priority"], row["method"]
    errors = {}
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        fields = dict(request.POST.items())
        try:
            plan = plan_services.plan_write(
                actor=request.user,
                organisation=organisation,
                summary=fields.get("summary", ""),
                data=request.POST,
            )
        except services.Problems as problem:
            errors = problem.problems
        else:
            messages.success(
                request,
                f"Version {plan.version} of the plan has been saved. Submit it to your ICB when it is ready.",
            )
            return redirect(reverse("responses:plan", args=[plan.pk]))
    rows = [
        {"number": n, "priority": fields.get(f"priority-{n}", ""), "method": fields.get(f"method-{n}", "")}
        for n in range(1, max(3, len(latest.priorities) + 1 if latest else 3) + 1)
    ]
    return render(
        request,
        "responses/plans.html",
        {
            "organisation": organisation,
            "versions": versions,
            "may_write": may_write,
            "fields": fields,
            "rows": rows,
            "errors": errors,
            "methods": ResponseKind.choices,
        },
    )


@login_required
@GET_POST
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.plan_visible_to(request.user, pk)
    if found is None:
        raise Http404("No such plan")
    errors, note = {}, ""
    if request.method == "POST":
        note = request.POST.get("note", "")
        try:
            plan_services.plan_step(
                actor=request.user, plan=found, step=request.POST.get("step", ""), note=note
            )
        except services.NotAllowed as refused:
            raise PermissionDenied from refused
        except services.Problems as problem:
            errors = problem.problems
        else:
            messages.success(request, f"The plan is now {found.get_status_display().lower()}.")
            return redirect(reverse("responses:plan", args=[found.pk]))
    target = Target(found.organisation)
    return render(
        request,
        "responses/plan.html",
        {
            "plan": found,
            "methods": dict(ResponseKind.choices),
            "may_submit": allows(request.user, Action.WRITE_RESPONSE_PLAN_FOR_MY_ORGANISATION, target)
            and (found.status, "submit") in plan_services.PLAN_TRANSITIONS,
            "may_decide": allows(request.user, Action.AGREE_RESPONSE_PLANS_OF_CHILD_ORGANISATIONS, target)
            and (found.status, "agree") in plan_services.PLAN_TRANSITIONS,
            "audit": list(found.audit.select_related("actor")),
            "errors": errors,
            "note": note,
        },
    )


def public_plans(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "responses/public_plans.html",
        {"organisations": selectors.organisations_with_published_plans()},
    )


def public_plan(request: HttpRequest, code: str) -> HttpResponse:
    organisation = organisation_by_code(code)
    found = selectors.published_plan(organisation) if organisation else None
    if found is None:
        raise Http404("No agreed plan")
    return render(
        request, "responses/public_plan.html", {"plan": found, "methods": dict(ResponseKind.choices)}
    )


# -- oversight ------------------------------------------------------------------------------------------
@login_required
def oversight(request: HttpRequest) -> HttpResponse:
    """The ICB's view of its providers: plans, response mix, timeliness and overdue actions."""
    scope = scope_from(request)
    if scope.organisation is None or not scope.can_include_below:
        icb = next((o for o in organisations_viewable_by(request.user) if o.is_commissioner), None)
        if icb is None:
            raise PermissionDenied
        return redirect(reverse("responses:oversight") + f"?organisation={icb.ods_code}&scope=below")
    if (
        not allows(request.user, Action.OVERSEE_RESPONSES_OF_CHILD_ORGANISATIONS, Target(scope.organisation))
        and not scope.can_include_below
    ):
        raise PermissionDenied
    figures = selectors.oversight_figures(
        selectors.responses_visible_to(request.user, scope),
        selectors.safety_actions_visible_to(request.user, scope),
    )
    return render(
        request,
        "responses/oversight.html",
        {
            **switcher(request, scope),
            "figures": figures,
            "providers": selectors.providers_overseen(request.user, scope.organisation),
            "awaiting": selectors.plans_awaiting_agreement(request.user, scope.organisation),
        },
    )


def _board(request: HttpRequest):
    organisation = organisation_by_code(request.GET.get("organisation", ""))
    if organisation is None:
        raise Http404("No such organisation")
    target = Target(organisation)
    if not (
        allows(request.user, Action.VIEW_RESPONSES_OF_MY_ORGANISATION, target)
        or allows(request.user, Action.OVERSEE_RESPONSES_OF_CHILD_ORGANISATIONS, target)
    ):
        raise PermissionDenied
    return organisation, selectors.board_report(request.user, organisation)


@login_required
def board_report(request: HttpRequest) -> HttpResponse:
    organisation, report = _board(request)
    return render(request, "responses/board_report.html", {"organisation": organisation, **report})


@login_required
def board_report_csv(request: HttpRequest) -> HttpResponse:
    organisation, report = _board(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="board-report-{organisation.ods_code}.csv"'
    writer = csv.writer(response)
    writer.writerow(["section", "item", "value"])
    for label, count in report["figures"]["mix"]:
        writer.writerow(["Response types", label, count])
    for label, count in report["figures"]["timeliness"]:
        writer.writerow(["PSII timeliness", label, count])
    writer.writerow(
        [
            "Decisions",
            "Median days from recording to decision",
            _days(report["figures"]["decision_days_median"]),
        ]
    )
    writer.writerow(["Safety actions", "Open", report["figures"]["open_actions"]])
    writer.writerow(["Safety actions", "Overdue", report["figures"]["overdue_actions"]])
    for psii in report["psiis"]:
        writer.writerow(["PSII", psii.pk, f"{psii.get_status_display()}; decided {psii.decided_at:%Y-%m-%d}"])
    for action in report["overdue"]:
        writer.writerow(
            [
                "Overdue safety action",
                action.area_for_improvement,
                f"due {action.due_date:%Y-%m-%d}; {action.get_status_display()}",
            ]
        )
    return response


def _days(value) -> str:
    return "" if value is None else f"{value:.1f}"


@login_required
def national_register(request: HttpRequest) -> HttpResponse:
    if not allows(request.user, Action.VIEW_NATIONAL_RESPONSE_REGISTER):
        raise PermissionDenied
    page = CappedPaginator(selectors.national_register(request.user), PER_PAGE, cap=COUNT_CAP).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "responses/national_register.html",
        {
            "page": page,
            "count_cap": COUNT_CAP,
            "labels": selectors.TIMELINESS_LABELS,
            "timeliness": selectors.psii_timeliness,
        },
    )
