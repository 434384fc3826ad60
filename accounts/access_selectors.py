"""Reads for access management, already scoped to what the acting user may see or decide.

Who decides an access request (docs/spec/PRODUCT.md §6, docs/adr/0006-access-requests.md):

- organisational, admin and read-only requests go to the organisation's admins (of the trust above,
  for a trust site), never counting the requester;
- with no such admin, organisational and admin requests go to the super admins, and read-only
  requests cannot be decided by anybody (they are refused when made);
- standard access for an email outside nhs.net, and super admin status, go to the super admins.

`access_request_refusal` applies these rules to one request; `access_requests_decidable_by` is the
same rules as one query for the queues. tests/accounts/test_access_routing.py checks they agree.
"""

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from lfpse.prepared import PreparedList
from organisations.models import Organisation
from organisations.selectors import counting_as_q, holds_for_own_organisation, own_organisation_ids

from .models import (
    AccessRequest,
    AccessRequestStatus,
    AccountType,
    AuditLogEntry,
    Membership,
    MembershipStatus,
    RequestedAccess,
    User,
)
from .permissions import (
    Action,
    Target,
    administered_organisation_ids,
    allows,
    holds_super_admin_access,
    is_local_admin,
)

# Account types an admin grants and revokes ("enhanced" in the seeds, read-only included).
GRANTED_BY_ADMINS = (RequestedAccess.ORGANISATIONAL, RequestedAccess.ADMIN, RequestedAccess.READ_ONLY)
# Requests that go to the super admins when the organisation has no admin.
SUPER_ADMINS_STAND_IN_FOR = (RequestedAccess.ORGANISATIONAL, RequestedAccess.ADMIN)
# Requests that only super admins decide.
SUPER_ADMINS_ONLY = (RequestedAccess.STANDARD, RequestedAccess.SUPER_ADMIN)

# Audit actions shown in the access decisions log.
ACCESS_LOG_ACTIONS = (
    "membership_created",
    "membership_removed",
    "access_requested",
    "access_request_approved",
    "access_request_rejected",
    "access_request_cancelled",
    "access_revoked",
    "super_admin_revoked",
)


class Route(StrEnum):
    LOCAL_ADMINS = "local_admins"
    SUPER_ADMINS = "super_admins"
    NOBODY = "nobody"


def govuk_datetime(moment: datetime) -> str:
    """ "21 November 2026 at 2:05pm" in the service's time zone."""
    local = timezone.localtime(moment)
    return f"{local:%-d %B %Y} at {local:%-I:%M}{local:%p}".replace("AM", "am").replace("PM", "pm")


def _admins_of(organisation_ids: Iterable[int]) -> QuerySet[User]:
    admin_memberships = Membership.objects.filter(
        organisation_id__in=organisation_ids,
        account_type=AccountType.ADMIN,
        status=MembershipStatus.ACTIVE,
    )
    return User.objects.filter(is_active=True, pk__in=admin_memberships.values("user_id"))


def organisation_admins(organisation: Organisation, *, excluding: User | None = None) -> QuerySet[User]:
    users = _admins_of(own_organisation_ids(organisation))  # a site's trust decides for it
    return users.exclude(pk=excluding.pk) if excluding is not None else users


# Read for every record made from outside its organisation, every API record among them: the
# statement is built once per set of organisations (lfpse/prepared.py, docs/adr/0022).
_admins_of_prepared = PreparedList(_admins_of)


def organisation_admin_list(organisation: Organisation) -> list[User]:
    """`list(organisation_admins(organisation))`, its statement built once per organisation."""
    return _admins_of_prepared(tuple(sorted(own_organisation_ids(organisation))))


def super_admins(*, excluding: User | None = None) -> QuerySet[User]:
    users = User.objects.filter(is_active=True, is_super_admin=True)
    return users.exclude(pk=excluding.pk) if excluding is not None else users


def access_request_route(access_request: AccessRequest) -> Route:
    if access_request.account_type in SUPER_ADMINS_ONLY:
        return Route.SUPER_ADMINS
    if organisation_admins(access_request.organisation, excluding=access_request.user).exists():
        return Route.LOCAL_ADMINS
    if access_request.account_type in SUPER_ADMINS_STAND_IN_FOR:
        return Route.SUPER_ADMINS
    return Route.NOBODY


def access_request_deciders(access_request: AccessRequest) -> QuerySet[User]:
    """Who is told about a new request: everyone who may decide it."""
    route = access_request_route(access_request)
    if route == Route.LOCAL_ADMINS:
        return organisation_admins(access_request.organisation, excluding=access_request.user)
    if route == Route.SUPER_ADMINS:
        return super_admins(excluding=access_request.user)
    return User.objects.none()


def access_request_closed_message(access_request: AccessRequest) -> str:
    when = govuk_datetime(access_request.decided_at) if access_request.decided_at else "an earlier date"
    if access_request.status == AccessRequestStatus.CANCELLED:
        return f"This request was cancelled on {when}."
    by = access_request.decided_by.get_full_name() if access_request.decided_by else "someone else"
    return f"This request has already been {access_request.get_status_display().lower()} by {by} on {when}."


def access_request_refusal(
    actor: User,
    access_request: AccessRequest,
    action: Action = Action.APPROVE_ENHANCED_ACCESS_REQUESTS_FOR_MY_ORGANISATION,
) -> str | None:
    """Why the actor may not approve (or reject) this request now; None when they may."""
    if not access_request.is_pending:
        return access_request_closed_message(access_request)
    if actor.pk == access_request.user_id:
        return "You cannot decide your own access request."
    if not actor.is_active:
        return "Your account is not active."
    organisation = access_request.organisation
    route = access_request_route(access_request)
    if route == Route.NOBODY:
        return (
            f"{organisation} has no admin, so nobody can approve read-only access to it. "
            "The requester needs to ask the organisation to appoint an admin."
        )
    if route == Route.SUPER_ADMINS:
        if not allows(actor, _national_team_action(access_request)) or not allows(
            actor, action, Target(organisation)
        ):
            return "Only the national patient safety team (super admins) can decide this request."
        return None
    if allows(actor, action, Target(organisation)) and is_local_admin(actor, organisation):
        return None
    if allows(actor, Action.DECIDE_ACCESS_REQUESTS_ROUTED_TO_SUPER_ADMINS):
        return f"{organisation} has an admin, so this request is for them to decide."
    return f"You do not have permission to decide access requests for {organisation}."


def _national_team_action(access_request: AccessRequest) -> Action:
    """What the policy calls deciding a request the routing sends to the super admins."""
    if access_request.account_type == RequestedAccess.SUPER_ADMIN:
        return Action.GRANT_SUPER_ADMIN_ACCESS
    return Action.DECIDE_ACCESS_REQUESTS_ROUTED_TO_SUPER_ADMINS


def _administered_q(user: User, prefix: str = "organisation") -> Q:
    """Rows about organisations the user is an admin of, or the trust sites under them."""
    return counting_as_q(administered_organisation_ids(user), field=prefix)


def _has_other_admin(field: str) -> Exists:
    return Exists(
        Membership.objects.filter(
            organisation_id=OuterRef(field),
            account_type=AccountType.ADMIN,
            status=MembershipStatus.ACTIVE,
            user__is_active=True,
        ).exclude(user_id=OuterRef("user_id"))
    )


def _in_organisation_q(organisation: Organisation, prefix: str = "organisation") -> Q:
    """Rows about the organisation or a trust site under it."""
    return counting_as_q([organisation.pk], field=prefix)


def access_requests_decidable_by(
    actor: User, *, organisation: Organisation | None = None
) -> QuerySet[AccessRequest]:
    """Pending requests this user may approve or reject now, oldest first; only one organisation's
    (and its trust sites') when given."""
    decidable = Q(account_type__in=GRANTED_BY_ADMINS) & _administered_q(actor)
    if allows(actor, Action.DECIDE_ACCESS_REQUESTS_ROUTED_TO_SUPER_ADMINS):
        no_local_admin = ~holds_for_own_organisation(_has_other_admin)
        decidable |= Q(account_type=RequestedAccess.STANDARD) | (
            Q(account_type__in=SUPER_ADMINS_STAND_IN_FOR) & no_local_admin
        )
    if allows(actor, Action.GRANT_SUPER_ADMIN_ACCESS):
        decidable |= Q(account_type=RequestedAccess.SUPER_ADMIN)
    requests = AccessRequest.objects.filter(decidable, status=AccessRequestStatus.PENDING).exclude(user=actor)
    if organisation is not None:
        requests = requests.filter(_in_organisation_q(organisation))
    return requests.select_related("user", "organisation").order_by("created_at", "id")


def access_requests_visible_to(actor: User) -> QuerySet[AccessRequest]:
    """Requests the user may open: their own, their organisations' (admins), or any (super admins)."""
    requests = AccessRequest.objects.select_related("user", "organisation", "decided_by")
    if allows(actor, Action.MANAGE_USERS_OF_EVERY_ORGANISATION):
        return requests
    return requests.filter(Q(user=actor) | _administered_q(actor))


def access_requests_of(user: User) -> QuerySet[AccessRequest]:
    """The user's own requests, whatever their state (to cancel one, or see it was decided)."""
    return AccessRequest.objects.filter(user=user).select_related("user", "organisation", "decided_by")


def access_requests_pending_for(user: User) -> QuerySet[AccessRequest]:
    """ "Manage my active access requests"."""
    return (
        AccessRequest.objects.filter(user=user, status=AccessRequestStatus.PENDING)
        .select_related("organisation")
        .order_by("created_at", "id")
    )


def memberships_of(user: User) -> QuerySet[Membership]:
    """ "Manage my organisation(s), ICB or region", awaiting approval included."""
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def memberships_awaiting_approval(user: User) -> QuerySet[Membership]:
    """The user's organisations still waiting for an admin to approve them (the home page says so)."""
    return Membership.objects.filter(user=user, status=MembershipStatus.AWAITING_APPROVAL).select_related(
        "organisation"
    )


def membership_for(user: User, organisation: Organisation | None) -> Membership | None:
    if organisation is None:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def organisations_managed_by(actor: User) -> QuerySet[Organisation]:
    """Organisations whose users this admin manages (super admins reach others by search)."""
    return Organisation.objects.filter(pk__in=administered_organisation_ids(actor)).order_by("name")


def enhanced_memberships_in(organisation: Organisation) -> QuerySet[Membership]:
    """Members of the organisation (and of its trust sites) holding more than a standard account."""
    return (
        Membership.objects.filter(
            _in_organisation_q(organisation),
            status=MembershipStatus.ACTIVE,
            account_type__in=GRANTED_BY_ADMINS,
        )
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "user__email", "organisation__name")
    )


def access_log_visible_to(
    actor: User, *, organisation: Organisation | None = None
) -> QuerySet[AuditLogEntry]:
    """Access decisions (who, what, when): an admin's organisations, or the whole country for super
    admins; narrowed to one organisation (and its trust sites) when given."""
    entries = AuditLogEntry.objects.filter(action__in=ACCESS_LOG_ACTIONS).select_related(
        "actor", "subject", "organisation"
    )
    if not allows(actor, Action.VIEW_ACCESS_LOG_OF_EVERY_ORGANISATION):
        entries = entries.filter(_administered_q(actor))
    if organisation is not None:
        entries = entries.filter(_in_organisation_q(organisation))
    return entries.order_by("-created_at", "-id")


def memberships_manageable_by(actor: User) -> QuerySet[Membership]:
    """Memberships whose access this user may revoke: their organisations' (admins), or any (super
    admins)."""
    memberships = Membership.objects.select_related("user", "organisation")
    if allows(actor, Action.MANAGE_USERS_OF_EVERY_ORGANISATION):
        return memberships
    return memberships.filter(_administered_q(actor))


def organisation_removed_by_user(user: User, organisation: Organisation) -> bool:
    """Whether the user once took this organisation off their own profile (the audit log says so)."""
    return AuditLogEntry.objects.filter(
        action="membership_removed", actor=user, subject=user, organisation=organisation
    ).exists()


def membership_revoke_refusal(membership: Membership, actor: User) -> str | None:
    """Why this membership's enhanced access cannot be revoked by the actor, or None if it can (the
    permission to manage the organisation's users aside)."""
    organisation = membership.organisation
    if membership.user_id == actor.pk:
        return (
            f"You cannot revoke your own access. Ask another admin of {organisation}, or the national "
            "patient safety team."
        )
    if not (membership.is_active and membership.account_type in GRANTED_BY_ADMINS):
        return (
            f"{membership.user.get_full_name()} has a standard account with {organisation}: "
            "there is no enhanced access to revoke."
        )
    return None


def active_people() -> QuerySet[User]:
    """Every active account: whose super admin access a super admin may look at revoking."""
    return User.objects.filter(is_active=True)


def super_admin_revoke_refusal(person: User, actor: User) -> str | None:
    """Why the actor cannot revoke this person's super admin access, or None if they can (being a
    super admin themselves aside)."""
    if person.pk == actor.pk:
        return "Super admins cannot change their own permissions."
    if not holds_super_admin_access(person):
        return f"{person.get_full_name()} is not a super admin."
    return None
