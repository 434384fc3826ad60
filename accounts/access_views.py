"""Access management screens (docs/spec/PRODUCT.md §6): the user's organisations and requests, and the admins'
"Manage users in my organisation, ICB or region".

Views are thin: forms check what was typed, services (accounts/access.py) make changes and refuse
what is not allowed, selectors (accounts/access_selectors.py) read only what the user may see.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from organisations.models import Organisation
from organisations.selectors import organisation_by_code, organisations_search

from .access import (
    AccessAlreadyDecided,
    AccessRefused,
    access_request_approve,
    access_request_cancel,
    access_request_create,
    access_request_reject,
    membership_remove,
    membership_revoke,
    organisation_add,
    super_admin_revoke,
)
from .access_forms import AddOrganisationForm, AmendAccessForm, DecisionForm
from .access_selectors import (
    Route,
    access_log_visible_to,
    access_request_refusal,
    access_request_route,
    access_requests_decidable_by,
    access_requests_of,
    access_requests_pending_for,
    access_requests_visible_to,
    active_people,
    enhanced_memberships_in,
    membership_for,
    membership_revoke_refusal,
    memberships_manageable_by,
    memberships_of,
    organisations_managed_by,
    super_admin_revoke_refusal,
    super_admins,
)
from .models import AccessRequest, Membership, RequestedAccess, User
from .permissions import Action, Target, allows, allows_anywhere

REQUESTS_PER_PAGE = 25
LOG_ENTRIES_PER_PAGE = 50
GET_POST = require_http_methods(["GET", "POST"])


def _posted(request: HttpRequest):
    """The submitted data, or None for a GET (an empty POST is still a submission to validate)."""
    return request.POST if request.method == "POST" else None


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _page(request: HttpRequest, items, per_page: int) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _refusal_status(refusal: AccessRefused) -> int:
    return 409 if isinstance(refusal, AccessAlreadyDecided) else 403


def _own_membership(request: HttpRequest, ods_code: str) -> Membership:
    return get_object_or_404(memberships_of(request.user), organisation__ods_code=ods_code)


def _require_user_manager(request: HttpRequest) -> None:
    if not allows_anywhere(request.user, Action.APPROVE_ENHANCED_ACCESS_REQUESTS_FOR_MY_ORGANISATION):
        raise PermissionDenied


# The user's own organisations and requests ---------------------------------------------------------


@login_required
def my_organisations(request: HttpRequest) -> HttpResponse:
    pending = list(access_requests_pending_for(request.user))
    # Enhanced access asked for, shown as a tag beside each organisation (a standard request shows
    # as the membership awaiting approval instead).
    enhanced = [r for r in pending if r.account_type != RequestedAccess.STANDARD]
    rows = [
        (membership, [r for r in enhanced if r.organisation_id == membership.organisation_id])
        for membership in memberships_of(request.user)
    ]
    return render(
        request,
        "accounts/access/my_organisations.html",
        {
            "rows": rows,
            "super_admin_pending": any(r.account_type == RequestedAccess.SUPER_ADMIN for r in pending),
        },
    )


def _request_sent_message(access_request: AccessRequest) -> str:
    if access_request.account_type == RequestedAccess.SUPER_ADMIN:
        return "Your request for super admin access has been sent to the national patient safety team."
    if access_request_route(access_request) == Route.LOCAL_ADMINS:
        return f"Your request for {access_request.summary} has been sent to its admins."
    return (
        f"{access_request.organisation} has no admin yet, so your request for "
        f"{access_request.summary} has been sent to the national patient safety team."
    )


@login_required
@GET_POST
def amend_access(request: HttpRequest, ods_code: str) -> HttpResponse:
    membership = _own_membership(request, ods_code)
    form = AmendAccessForm(_posted(request), membership=membership)
    if request.method == "POST" and membership.is_active and form.is_valid():
        try:
            access_request = access_request_create(
                actor=request.user,
                organisation=membership.organisation,
                account_type=form.cleaned_data["account_type"],
                site_url=_site_url(request),
            )
        except AccessRefused as refusal:
            form.add_error("account_type", str(refusal))
        else:
            messages.success(request, _request_sent_message(access_request))
            return redirect("accounts:my_requests")
    return render(request, "accounts/access/amend_access.html", {"membership": membership, "form": form})


@login_required
@GET_POST
def add_organisation(request: HttpRequest) -> HttpResponse:
    form = AddOrganisationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        organisation = form.organisation
        try:
            membership = organisation_add(
                actor=request.user, organisation=organisation, site_url=_site_url(request)
            )
        except AccessRefused as refusal:
            form.add_error("organisation_search", str(refusal))
        else:
            message = f"{organisation} has been added to your profile."
            if not membership.is_active:
                message += (
                    " Your access is waiting for approval by the national patient safety team, because "
                    "your email address is not an nhs.net address."
                )
            messages.success(request, message)
            return redirect("accounts:my_organisations")
    return render(request, "accounts/access/add_organisation.html", {"form": form})


@login_required
@GET_POST
def remove_organisation(request: HttpRequest, ods_code: str) -> HttpResponse:
    membership = _own_membership(request, ods_code)
    if request.method == "POST":
        try:
            membership_remove(membership, actor=request.user)
        except AccessRefused as refusal:
            context = {"membership": membership, "refusal": str(refusal)}
            return render(
                request, "accounts/access/remove_organisation.html", context, status=_refusal_status(refusal)
            )
        messages.success(request, f"{membership.organisation} has been removed from your profile.")
        return redirect("accounts:my_organisations")
    return render(request, "accounts/access/remove_organisation.html", {"membership": membership})


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/access/my_requests.html",
        {
            "rows": [
                (access_request, access_request_route(access_request))
                for access_request in access_requests_pending_for(request.user)
            ]
        },
    )


@login_required
@GET_POST
def cancel_request(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = get_object_or_404(access_requests_of(request.user), pk=pk)
    context = {"access_request": access_request}
    if request.method == "POST":
        try:
            access_request_cancel(access_request, actor=request.user)
        except AccessRefused as refusal:
            context["refusal"] = str(refusal)
            return render(
                request, "accounts/access/cancel_request.html", context, status=_refusal_status(refusal)
            )
        messages.success(request, f"Your request for {access_request.summary} has been cancelled.")
        return redirect("accounts:my_requests")
    return render(request, "accounts/access/cancel_request.html", context)


@login_required
@GET_POST
def request_super_admin(request: HttpRequest) -> HttpResponse:
    context = {}
    if request.method == "POST":
        try:
            access_request = access_request_create(
                actor=request.user,
                organisation=None,
                account_type=RequestedAccess.SUPER_ADMIN,
                site_url=_site_url(request),
            )
        except AccessRefused as refusal:
            context["refusal"] = str(refusal)
        else:
            messages.success(request, _request_sent_message(access_request))
            return redirect("accounts:my_requests")
    return render(request, "accounts/access/request_super_admin.html", context)


# Admins and super admins: "Manage users in my organisation, ICB or region" ---------------------------


@login_required
def manage_users(request: HttpRequest) -> HttpResponse:
    _require_user_manager(request)
    user = request.user
    context = {
        "requests_page": _page(request, access_requests_decidable_by(user), REQUESTS_PER_PAGE),
        "organisations": organisations_managed_by(user),
    }
    if allows(user, Action.MANAGE_USERS_OF_EVERY_ORGANISATION):
        query = request.GET.get("q", "").strip()[:100]
        context.update(query=query, found=list(organisations_search(query)) if query else None)
    if allows(user, Action.REVOKE_SUPER_ADMIN_ACCESS):
        context.update(super_admins=super_admins())
    return render(request, "accounts/access/manage_users.html", context)


def _managed_organisation(
    request: HttpRequest, ods_code: str, action: Action = Action.REVOKE_ENHANCED_ACCESS_FOR_MY_ORGANISATION
) -> Organisation:
    """The organisation whose users (or access log) the user manages: its admins, trust admins for
    a site, and super admins."""
    organisation = organisation_by_code(ods_code)
    if organisation is None:
        raise Http404
    if not allows(request.user, action, Target(organisation)):
        raise PermissionDenied
    return organisation


@login_required
def organisation_users(request: HttpRequest, ods_code: str) -> HttpResponse:
    organisation = _managed_organisation(request, ods_code)
    return render(
        request,
        "accounts/access/organisation_users.html",
        {
            "organisation": organisation,
            "pending": access_requests_decidable_by(request.user, organisation=organisation),
            "memberships": enhanced_memberships_in(organisation),
            "recent": access_log_visible_to(request.user, organisation=organisation)[:10],
        },
    )


def _after_decision(user: User, access_request: AccessRequest) -> str:
    organisation = access_request.organisation
    if organisation is not None and allows(
        user, Action.REVOKE_ENHANCED_ACCESS_FOR_MY_ORGANISATION, Target(organisation)
    ):
        return reverse("accounts:organisation_users", args=[organisation.ods_code])
    return reverse("accounts:manage_users")


@login_required
@GET_POST
def access_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request's decision page, which the email to its deciders links to."""
    access_request = get_object_or_404(access_requests_visible_to(request.user), pk=pk)
    form = DecisionForm(_posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            if form.approve:
                access_request_approve(access_request, actor=request.user, site_url=_site_url(request))
            else:
                access_request_reject(
                    access_request,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    site_url=_site_url(request),
                )
        except AccessRefused as refusal:
            form.add_error(None, str(refusal))
            status = _refusal_status(refusal)
            # Shown as it is now (another decider may have got there first), read through its selector.
            access_request = get_object_or_404(access_requests_visible_to(request.user), pk=pk)
        else:
            verb = "approved" if form.approve else "rejected"
            messages.success(
                request,
                f"You {verb} {access_request.user.get_full_name()}’s request for {access_request.summary}.",
            )
            return redirect(_after_decision(request.user, access_request))
    return render(
        request,
        "accounts/access/access_request.html",
        {
            "access_request": access_request,
            "form": form,
            "own": access_request.user_id == request.user.pk,
            "refusal": access_request_refusal(request.user, access_request),
            "current": membership_for(access_request.user, access_request.organisation),
        },
        status=status,
    )


@login_required
@GET_POST
def revoke_access(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(memberships_manageable_by(request.user), pk=pk)
    context = {"membership": membership, "cannot": membership_revoke_refusal(membership, request.user)}
    if request.method == "POST":
        try:
            membership_revoke(membership, actor=request.user, site_url=_site_url(request))
        except AccessRefused as refusal:
            context["refusal"] = str(refusal)
            return render(
                request, "accounts/access/revoke_access.html", context, status=_refusal_status(refusal)
            )
        messages.success(
            request,
            f"{membership.user.get_full_name()}’s {membership.get_account_type_display().lower()} access to "
            f"{membership.organisation} has been revoked. They now have a standard account.",
        )
        return redirect("accounts:organisation_users", membership.organisation.ods_code)
    return render(request, "accounts/access/revoke_access.html", context)


@login_required
@GET_POST
def revoke_super_admin(request: HttpRequest, pk: int) -> HttpResponse:
    if not allows(request.user, Action.REVOKE_SUPER_ADMIN_ACCESS):
        raise PermissionDenied
    person = get_object_or_404(active_people(), pk=pk)
    context = {"person": person, "cannot": super_admin_revoke_refusal(person, request.user)}
    if request.method == "POST":
        try:
            super_admin_revoke(person, actor=request.user, site_url=_site_url(request))
        except AccessRefused as refusal:
            context["refusal"] = str(refusal)
            return render(
                request, "accounts/access/revoke_super_admin.html", context, status=_refusal_status(refusal)
            )
        messages.success(request, f"{person.get_full_name()}’s super admin access has been revoked.")
        return redirect("accounts:manage_users")
    return render(request, "accounts/access/revoke_super_admin.html", context)


# The access decisions log ------------------------------------------------------------------------------


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    if not allows_anywhere(request.user, Action.VIEW_ACCESS_LOG_FOR_MY_ORGANISATION):
        raise PermissionDenied
    organisation = None
    code = request.GET.get("organisation", "").strip()
    if code:
        organisation = _managed_organisation(request, code, Action.VIEW_ACCESS_LOG_FOR_MY_ORGANISATION)
    page = _page(
        request, access_log_visible_to(request.user, organisation=organisation), LOG_ENTRIES_PER_PAGE
    )
    page_query = urlencode({"organisation": organisation.ods_code}) + "&" if organisation else ""
    return render(
        request,
        "accounts/access/access_log.html",
        {
            "organisation": organisation,
            "page": page,
            "page_query": page_query,
        },
    )
