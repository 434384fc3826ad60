"""The safety actions register and its overdue list, safety improvement plans, and naming the PSIRF
executive lead (docs/adr/0021)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Action, active_memberships, allows
from events.organisation_selectors import CappedPaginator
from organisations.selectors import organisation_by_code

from . import actions as action_services
from . import engagement, selectors, services
from .forms import OVERDUE, date_from, date_typed, register_filters, scope_params
from .models import ActionStatus, Strength
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
    filters = register_filters(request.GET, ActionStatus.values)
    status = filters.applied.get("status", "")
    overdue = status == OVERDUE
    actions = selectors.register(request.user, scope, overdue=overdue, status="" if overdue else status)
    page = CappedPaginator(actions, PER_PAGE, cap=COUNT_CAP).get_page(request.GET.get("page"))
    page.object_list = selectors.shown_actions(request.user, page.object_list)
    return render(
        request,
        "responses/register.html",
        {
            **switcher(request, scope),
            "page": page,
            "overdue": overdue,
            "today": timezone.localdate(),
            "status_choices": [*ActionStatus.choices, (OVERDUE, "Overdue (open and past its due date)")],
            "filters": filters,
            "errors": filters.errors,
            "query": filters.query(scope_params(request.GET)),
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
    # Editing shows the raw text, so only its raw readers edit it (selectors, the policy).
    action, may_edit = selectors.safety_action_for_edit(request.user, action)
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
            "plans": selectors.safety_plans_shown(request.user, organisation),
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
            engagement.executive_lead_designate(actor=request.user, organisation=organisation, email=email)
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
            "current": engagement.executive_leads(organisation),
            "email": email,
            "errors": errors,
        },
    )
