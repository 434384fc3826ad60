"""Access management services: requests, decisions, revocation (docs/spec/PRODUCT.md §6).

Each service takes the acting user keyword-only, runs in one transaction, writes its audit row in
that transaction and emails on commit (accounts/emails.py). Decisions lock the request row
(SELECT ... FOR UPDATE), so of two admins approving at once one wins and the other is told it was
already approved. Who may decide is `access_selectors.access_request_refusal`, over the permission
policy; see docs/adr/0006-access-requests.md.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from organisations.models import Organisation

from .access_selectors import (
    GRANTED_BY_ADMINS,
    Route,
    access_request_closed_message,
    access_request_deciders,
    access_request_refusal,
    access_request_route,
    govuk_datetime,
    membership_revoke_refusal,
    super_admin_revoke_refusal,
)
from .emails import email_access_decided, email_access_requested, email_access_revoked
from .models import (
    AccessRequest,
    AccessRequestStatus,
    AccountType,
    Membership,
    MembershipStatus,
    RequestedAccess,
    User,
)
from .permissions import Action, Target, allows, forget_memberships
from .services import audit_log_write, user_join_organisation

REASON_MAX_LENGTH = 1000


class AccessRefused(Exception):
    """The action is not allowed; the message tells the user why, in plain words."""


class AccessAlreadyDecided(AccessRefused):
    """Somebody got there first: the request is no longer pending, or the access already changed."""


def _read_authority_afresh(actor: User) -> None:
    """Decide on the actor's memberships and status as committed now, not as an earlier check in the
    same request (or a long-lived object) saw them."""
    forget_memberships(actor)
    actor.refresh_from_db(fields=["is_super_admin", "is_active"])


def _no_admin_for_read_only(organisation: Organisation) -> str:
    return (
        f"{organisation} has no admin, so nobody can approve read-only access to it. "
        "Ask the organisation to appoint an admin, then request access again."
    )


def access_request_create(
    *,
    actor: User,
    organisation: Organisation | None,
    account_type: str,
    site_url: str = "",
) -> AccessRequest:
    """The actor asks for organisational, admin or read-only access to one of their organisations
    ("Amend access"), or for super admin status (organisation None)."""
    if account_type == RequestedAccess.SUPER_ADMIN:
        return _super_admin_request_create(actor=actor, site_url=site_url)
    if account_type not in GRANTED_BY_ADMINS or organisation is None:
        raise ValueError(f"cannot request {account_type!r} access to {organisation!r}")
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().filter(user=actor, organisation=organisation).first()
        )
        if membership is None:
            raise AccessRefused(f"Add {organisation} to your profile before asking for more access to it.")
        if not membership.is_active:
            raise AccessRefused(
                f"Your access to {organisation} is still waiting for approval by the national patient "
                "safety team."
            )
        access_request = AccessRequest(user=actor, organisation=organisation, account_type=account_type)
        if membership.account_type == account_type:
            raise AccessRefused(f"You already have {access_request.access_label} to {organisation}.")
        route = access_request_route(access_request)
        if route == Route.NOBODY:
            raise AccessRefused(_no_admin_for_read_only(organisation))
        return _request_save(access_request, actor=actor, route=route, site_url=site_url)


def _super_admin_request_create(*, actor: User, site_url: str) -> AccessRequest:
    with transaction.atomic():
        _read_authority_afresh(actor)
        if not allows(actor, Action.REQUEST_SUPER_ADMIN_ACCESS):
            raise AccessRefused("You are already a super admin.")
        access_request = AccessRequest(user=actor, account_type=RequestedAccess.SUPER_ADMIN)
        return _request_save(access_request, actor=actor, route=Route.SUPER_ADMINS, site_url=site_url)


def _request_save(
    access_request: AccessRequest, *, actor: User, route: Route, site_url: str
) -> AccessRequest:
    earlier = AccessRequest.objects.filter(
        user=access_request.user,
        organisation=access_request.organisation,
        account_type=access_request.account_type,
        status=AccessRequestStatus.PENDING,
    ).first()
    if earlier is None:
        try:
            with transaction.atomic():
                access_request.save()
        except IntegrityError:
            # A second request raced this one past the check: the partial unique constraint decides.
            earlier = access_request
    if earlier is not None:
        when = f" on {govuk_datetime(earlier.created_at)}" if earlier.created_at else ""
        raise AccessRefused(
            f"You already asked for {access_request.summary}{when}. "
            "You can see or cancel it in Manage my active access requests."
        )
    audit_log_write(
        actor=actor,
        action="access_requested",
        subject=access_request.user,
        organisation=access_request.organisation,
        account_type=access_request.account_type,
        request=access_request.pk,
        routed_to=route.value,
    )
    email_access_requested(access_request, list(access_request_deciders(access_request)), site_url=site_url)
    return access_request


def access_request_approve(
    access_request: AccessRequest, *, actor: User, site_url: str = ""
) -> AccessRequest:
    """Grant what was asked: the account type (standard: the membership becomes active), or super
    admin status."""
    return _decide(access_request, actor=actor, approve=True, reason="", site_url=site_url)


def access_request_reject(
    access_request: AccessRequest, *, actor: User, reason: str = "", site_url: str = ""
) -> AccessRequest:
    """Refuse, with an optional reason emailed to the requester. A refused standard request (an
    email outside nhs.net) removes the membership that was waiting for it."""
    reason = reason.strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValueError(f"the reason is longer than {REASON_MAX_LENGTH} characters")
    return _decide(access_request, actor=actor, approve=False, reason=reason, site_url=site_url)


def _decide(
    access_request: AccessRequest, *, actor: User, approve: bool, reason: str, site_url: str
) -> AccessRequest:
    with transaction.atomic():
        locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
        _read_authority_afresh(actor)
        action = (
            Action.APPROVE_ENHANCED_ACCESS_REQUESTS_FOR_MY_ORGANISATION
            if approve
            else Action.REJECT_ENHANCED_ACCESS_REQUESTS_FOR_MY_ORGANISATION
        )
        refusal = access_request_refusal(actor, locked, action)
        if refusal is not None:
            raise (AccessRefused if locked.is_pending else AccessAlreadyDecided)(refusal)
        previous_account_type = _grant(locked) if approve else _withdraw_unapproved_membership(locked)
        locked.status = AccessRequestStatus.APPROVED if approve else AccessRequestStatus.REJECTED
        locked.reason = reason
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        audit_log_write(
            actor=actor,
            action=f"access_request_{locked.status}",
            subject=locked.user,
            organisation=locked.organisation,
            account_type=locked.account_type,
            request=locked.pk,
            previous_account_type=previous_account_type,
            reason=reason,
        )
        email_access_decided(locked, site_url=site_url)
    access_request.refresh_from_db()
    return locked


def _grant(access_request: AccessRequest) -> str:
    """Apply an approved request; returns the account type the user held before."""
    if access_request.account_type == RequestedAccess.SUPER_ADMIN:
        User.objects.filter(pk=access_request.user_id).update(is_super_admin=True)
        return ""
    membership = (
        Membership.objects.select_for_update()
        .filter(user_id=access_request.user_id, organisation_id=access_request.organisation_id)
        .first()
    )
    if membership is None:
        # Removed organisations cancel their requests, so only a change outside the service lands here.
        membership = Membership(
            user_id=access_request.user_id, organisation_id=access_request.organisation_id
        )
        previous = ""
    else:
        previous = membership.account_type if membership.is_active else ""
    membership.account_type = access_request.account_type
    membership.status = MembershipStatus.ACTIVE
    membership.save()
    return previous


def _withdraw_unapproved_membership(access_request: AccessRequest) -> str:
    """A standard request that is not approved takes its waiting membership with it."""
    if access_request.account_type == RequestedAccess.STANDARD:
        Membership.objects.filter(
            user_id=access_request.user_id,
            organisation_id=access_request.organisation_id,
            status=MembershipStatus.AWAITING_APPROVAL,
        ).delete()
    current = Membership.objects.filter(
        user_id=access_request.user_id, organisation_id=access_request.organisation_id
    ).first()
    return current.account_type if current is not None else ""


def access_request_cancel(access_request: AccessRequest, *, actor: User) -> AccessRequest:
    """The requester withdraws a pending request (nobody is emailed: nothing was decided)."""
    with transaction.atomic():
        locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
        if locked.user_id != actor.pk:
            raise AccessRefused("You can only cancel your own access requests.")
        if not locked.is_pending:
            raise AccessAlreadyDecided(access_request_closed_message(locked))
        _withdraw_unapproved_membership(locked)
        _close(locked, AccessRequestStatus.CANCELLED, by=actor)
        audit_log_write(
            actor=actor,
            action="access_request_cancelled",
            subject=locked.user,
            organisation=locked.organisation,
            account_type=locked.account_type,
            request=locked.pk,
        )
    access_request.refresh_from_db()
    return locked


def _close(access_request: AccessRequest, status: str, *, by: User) -> None:
    access_request.status = status
    access_request.decided_by = by
    access_request.decided_at = timezone.now()
    access_request.save(update_fields=["status", "decided_by", "decided_at"])


def membership_revoke(membership: Membership, *, actor: User, site_url: str = "") -> Membership:
    """ "Revoke Access": an organisational, admin or read-only member goes back to a standard account.

    Takes effect on the member's next request: the permission policy reads memberships afresh for
    every request (tests/accounts/test_access_views.py checks it).
    """
    with transaction.atomic():
        locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if locked is None:
            raise AccessAlreadyDecided("This person is no longer a member of the organisation.")
        organisation = locked.organisation
        _read_authority_afresh(actor)
        if locked.user_id == actor.pk:
            raise AccessRefused(membership_revoke_refusal(locked, actor))
        if not allows(actor, Action.REVOKE_ENHANCED_ACCESS_FOR_MY_ORGANISATION, Target(organisation)):
            raise AccessRefused(f"You do not have permission to manage users of {organisation}.")
        member = locked.user
        if refusal := membership_revoke_refusal(locked, actor):
            raise AccessAlreadyDecided(refusal)
        previous = locked.account_type
        access_label = f"{locked.get_account_type_display().lower()} access to {organisation}"
        locked.account_type = AccountType.STANDARD
        locked.save(update_fields=["account_type", "updated_at"])
        audit_log_write(
            actor=actor,
            action="access_revoked",
            subject=member,
            organisation=organisation,
            account_type=AccountType.STANDARD,
            previous_account_type=previous,
        )
        email_access_revoked(
            member=member, access_label=access_label, membership=locked, actor=actor, site_url=site_url
        )
    return locked


def membership_remove(membership: Membership, *, actor: User) -> None:
    """The member takes an organisation off their profile; their pending requests for it are
    cancelled."""
    with transaction.atomic():
        locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if locked is None:
            raise AccessAlreadyDecided("This organisation is no longer on your profile.")
        if locked.user_id != actor.pk:
            raise AccessRefused("You can only remove organisations from your own profile.")
        pending = list(
            AccessRequest.objects.select_for_update().filter(
                user_id=locked.user_id,
                organisation_id=locked.organisation_id,
                status=AccessRequestStatus.PENDING,
            )
        )
        for access_request in pending:
            _close(access_request, AccessRequestStatus.CANCELLED, by=actor)
        locked.delete()
        audit_log_write(
            actor=actor,
            action="membership_removed",
            subject=actor,
            organisation=locked.organisation,
            account_type=locked.account_type,
            cancelled_requests=[access_request.pk for access_request in pending],
        )
        forget_memberships(actor)


def organisation_add(*, actor: User, organisation: Organisation, site_url: str = "") -> Membership:
    """ "Add an organisation, ICB or region": a standard membership, waiting for a super admin unless
    the actor's email is an nhs.net address."""
    refusal = f"{organisation} is already on your profile."
    with transaction.atomic():
        if Membership.objects.filter(user=actor, organisation=organisation).exists():
            raise AccessRefused(refusal)
        try:
            with transaction.atomic():
                membership = user_join_organisation(
                    user=actor, organisation=organisation, actor=actor, site_url=site_url
                )
        except IntegrityError:
            raise AccessRefused(refusal) from None
    forget_memberships(actor)
    return membership


def super_admin_revoke(user: User, *, actor: User, site_url: str = "") -> User:
    """Another super admin removes a super admin's status; nobody changes their own."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        _read_authority_afresh(actor)
        if not allows(actor, Action.REVOKE_SUPER_ADMIN_ACCESS):
            raise AccessRefused("Only super admins can revoke super admin access.")
        if locked.pk == actor.pk:
            raise AccessRefused(super_admin_revoke_refusal(locked, actor))
        if refusal := super_admin_revoke_refusal(locked, actor):
            raise AccessAlreadyDecided(refusal)
        locked.is_super_admin = False
        locked.save(update_fields=["is_super_admin"])
        audit_log_write(actor=actor, action="super_admin_revoked", subject=locked)
        email_access_revoked(
            member=locked, access_label="super admin access", membership=None, actor=actor, site_url=site_url
        )
    return locked
