"""Response plans (PSIRP) from writing to the public page, the ICB's oversight, the board report (page
and CSV) and the national register of PSIIs and Never Events (docs/adr/0021)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.permissions import Action, Target, allows
from events.organisation_selectors import CappedPaginator
from events.visibility import organisations_viewable_by
from organisations.selectors import organisation_by_code

from . import oversight as oversight_selectors
from . import plans as plan_services
from . import selectors, services
from .models import ResponseKind
from .views import COUNT_CAP, GET_POST, PER_PAGE, scope_from, switcher
from .views_register import organisation_for


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
    versions = list(oversight_selectors.plans_of(organisation))
    latest = versions[0] if versions else None
    # A new version starts from the latest: raw for its author, else redacted (empty until it is).
    shown = oversight_selectors.plan_shown(request.user, latest) if latest else None
    if shown is not None and shown.pending:
        shown = None
    fields = {"summary": shown.summary if shown else ""}
    for number, row in enumerate(shown.priorities if shown else [], start=1):
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
    found = oversight_selectors.plan_visible_to(request.user, pk)
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
    found.shown = oversight_selectors.plan_shown(request.user, found)
    note_shown = oversight_selectors.plan_note_shown(request.user, found)
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
            "note_shown": note_shown,
        },
    )


def public_plans(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "responses/public_plans.html",
        {"organisations": oversight_selectors.organisations_with_published_plans()},
    )


def public_plan(request: HttpRequest, code: str) -> HttpResponse:
    organisation = organisation_by_code(code)
    found = oversight_selectors.published_plan(organisation) if organisation else None
    if found is None:
        raise Http404("No agreed plan")
    return render(
        request,
        "responses/public_plan.html",
        {"plan": found, "methods": dict(ResponseKind.choices)},
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
    ids = selectors.response_organisation_ids(request.user, scope)  # once, for the figures and providers
    figures = oversight_selectors.oversight_figures(ids)
    return render(
        request,
        "responses/oversight.html",
        {
            **switcher(request, scope),
            "figures": figures,
            "providers": oversight_selectors.providers_overseen(
                request.user, scope.organisation, ids if scope.include_below else None
            ),
            "awaiting": oversight_selectors.plans_awaiting_agreement(request.user, scope.organisation),
        },
    )


def _board(request: HttpRequest):
    """The report and its organisation; its free text redacted whoever reads (a board paper)."""
    organisation = organisation_by_code(request.GET.get("organisation", ""))
    if organisation is None:
        raise Http404("No such organisation")
    target = Target(organisation)
    if not (
        allows(request.user, Action.VIEW_RESPONSES_OF_MY_ORGANISATION, target)
        or allows(request.user, Action.OVERSEE_RESPONSES_OF_CHILD_ORGANISATIONS, target)
    ):
        raise PermissionDenied
    return organisation, oversight_selectors.board_report(request.user, organisation)


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
        ["Decisions", "Median days from event to decision", _days(report["figures"]["decision_days_median"])]
    )
    writer.writerow(
        [
            "Decisions",
            "Measured from the recording date (event date not known)",
            report["figures"]["decisions_from_recording"],
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
                action.shown.plain("area_for_improvement"),
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
    page = CappedPaginator(
        oversight_selectors.national_register(request.user), PER_PAGE, cap=COUNT_CAP
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "responses/national_register.html",
        {
            "page": page,
            "count_cap": COUNT_CAP,
        },
    )
