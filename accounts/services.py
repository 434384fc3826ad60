"""Writes to accounts and memberships. Each service runs in one transaction with its audit row."""

from django.db import transaction
from django.db.models import F

from organisations.models import Organisation

from .access_selectors import access_request_deciders
from .emails import email_access_requested
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

AUTO_APPROVED_EMAIL_DOMAIN = "nhs.net"


def email_is_auto_approved(email: str) -> bool:
    """nhs.net users are approved at once; every other domain waits for a super admin."""
    return email.rsplit("@", 1)[-1].strip().lower() == AUTO_APPROVED_EMAIL_DOMAIN


def audit_log_write(
    *,
    actor: User | None,
    action: str,
    subject: User | None = None,
    organisation: Organisation | None = None,
    **detail,
) -> AuditLogEntry:
    return AuditLogEntry.objects.create(
        actor=actor, action=action, subject=subject, organisation=organisation, detail=detail
    )


@transaction.atomic
def user_join_organisation(
    *, user: User, organisation: Organisation, actor: User | None, site_url: str = ""
) -> Membership:
    """Make the user a standard member of the organisation, as at registration, OIDC sign-in or
    "Add an organisation, ICB or region".

    nhs.net addresses are active at once. Any other address gets a membership awaiting approval,
    which grants nothing, and a pending request for standard access that the super admins decide
    (they are emailed once this transaction commits).

    Idempotent: an existing membership (of any account type) is returned unchanged.
    """
    existing = Membership.objects.filter(user=user, organisation=organisation).first()
    if existing is not None:
        return existing
    auto_approved = email_is_auto_approved(user.email)
    status = MembershipStatus.ACTIVE if auto_approved else MembershipStatus.AWAITING_APPROVAL
    membership = Membership.objects.create(
        user=user, organisation=organisation, account_type=AccountType.STANDARD, status=status
    )
    audit_log_write(
        actor=actor,
        action="membership_created",
        subject=user,
        organisation=organisation,
        account_type=membership.account_type,
        status=status,
    )
    if not auto_approved:
        access_request, created = AccessRequest.objects.get_or_create(
            user=user,
            organisation=organisation,
            account_type=RequestedAccess.STANDARD,
            status=AccessRequestStatus.PENDING,
        )
        if created:
            audit_log_write(
                actor=actor,
                action="access_requested",
                subject=user,
                organisation=organisation,
                account_type=access_request.account_type,
                request=access_request.pk,
            )
            email_access_requested(
                access_request, list(access_request_deciders(access_request)), site_url=site_url
            )
    return membership


@transaction.atomic
def user_complete_registration(
    *,
    user: User,
    first_name: str,
    last_name: str,
    job_role: str,
    organisation: Organisation | None,
    unlisted_organisation: str = "",
) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.job_role = job_role
    user.unlisted_organisation = unlisted_organisation.strip()
    user.save(update_fields=["first_name", "last_name", "job_role", "unlisted_organisation"])
    audit_log_write(actor=user, action="user_registered", subject=user, organisation=organisation)
    if organisation is not None:
        user_join_organisation(user=user, organisation=organisation, actor=user)
    return user


def user_end_every_session(user_id) -> None:
    """Signs the user out everywhere: every session signed in before now stops signing them in (the
    session auth hash includes `User.session_epoch`). Used when signing out could not remove a session's
    cached copy (lfpse.sessions), so that the copy, if the cache comes back with it, is worthless."""
    User.objects.filter(pk=user_id).update(session_epoch=F("session_epoch") + 1)
