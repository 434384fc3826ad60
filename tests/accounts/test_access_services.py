"""Access management rules at service level (docs/spec/PRODUCT.md §6; NHS England's LFPSE
Introductory Guide and "LFPSE service account types and who they are for")."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.access import (
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
from accounts.access_selectors import Route, access_request_route
from accounts.models import (
    AccessRequest,
    AccessRequestStatus,
    AccountType,
    AuditLogEntry,
    Membership,
    MembershipStatus,
    RequestedAccess,
    User,
)
from accounts.permissions import Action, Target, allows
from accounts.services import user_complete_registration
from tests.accounts.test_access_support import make_world, member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ORGANISATIONAL = RequestedAccess.ORGANISATIONAL
ADMIN = RequestedAccess.ADMIN
READ_ONLY = RequestedAccess.READ_ONLY
SUPER_ADMIN = RequestedAccess.SUPER_ADMIN


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run a service and then its on-commit side effects (emails), as a real commit would."""

    def run(service, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(*args, **kwargs)

    return run


def membership(user, organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)


def recipients(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


# nhs.net and other domains ------------------------------------------------------------------------------


def test_an_nhs_net_user_adding_an_organisation_is_a_standard_member_at_once(
    world, run_on_commit, mailoutbox
):
    added = run_on_commit(organisation_add, actor=world.jo, organisation=world.t2)
    assert (added.account_type, added.status) == (AccountType.STANDARD, MembershipStatus.ACTIVE)
    assert not AccessRequest.objects.filter(user=world.jo).exists()
    assert AuditLogEntry.objects.filter(
        action="membership_created", subject=world.jo, organisation=world.t2
    ).exists()
    assert mailoutbox == []


def test_other_domains_wait_for_a_super_admin_and_only_super_admins_decide(world, run_on_commit, mailoutbox):
    agency = UserFactory(email="kim@agency.example.org", first_name="Kim", last_name="Lee")
    added = run_on_commit(organisation_add, actor=agency, organisation=world.t1)
    assert added.status == MembershipStatus.AWAITING_APPROVAL
    request = AccessRequest.objects.get(user=agency)
    assert (request.organisation, request.account_type, request.status) == (world.t1, "standard", "pending")
    assert access_request_route(request) == Route.SUPER_ADMINS
    assert recipients(mailoutbox) == ["sofia.super@nhs.net", "sunil.super@nhs.net"]

    # T1's own admins cannot approve an email domain; a super admin can.
    with pytest.raises(AccessRefused, match="national patient safety team"):
        access_request_approve(request, actor=world.ada)
    access_request_approve(request, actor=world.sofia)
    assert membership(agency, world.t1).status == MembershipStatus.ACTIVE
    assert membership(agency, world.t1).account_type == AccountType.STANDARD


def test_registration_outside_nhs_net_opens_a_request_for_the_super_admins(world, run_on_commit, mailoutbox):
    user = UserFactory(email="pat@hospice.example.org")
    run_on_commit(
        user_complete_registration,
        user=user,
        first_name="Pat",
        last_name="Jones",
        job_role="Nurse",
        organisation=world.t2,
    )
    assert membership(user, world.t2).status == MembershipStatus.AWAITING_APPROVAL
    assert AccessRequest.objects.get(user=user).account_type == RequestedAccess.STANDARD
    assert AuditLogEntry.objects.filter(action="access_requested", subject=user).count() == 1
    assert "pat@hospice.example.org" in mailoutbox[0].body


def test_rejecting_a_domain_request_removes_the_waiting_membership(world):
    agency = UserFactory(email="kim@agency.example.org")
    organisation_add(actor=agency, organisation=world.t1)
    request = AccessRequest.objects.get(user=agency)
    access_request_reject(request, actor=world.sofia, reason="Not known to the trust")
    assert not Membership.objects.filter(user=agency).exists()
    request.refresh_from_db()
    assert (request.status, request.reason, request.decided_by) == (
        "rejected",
        "Not known to the trust",
        world.sofia,
    )


# Routing ------------------------------------------------------------------------------------------------


def test_organisational_requests_go_to_the_organisations_admins(world, run_on_commit, mailoutbox):
    request = run_on_commit(
        access_request_create, actor=world.jo, organisation=world.t1, account_type=ORGANISATIONAL
    )
    assert access_request_route(request) == Route.LOCAL_ADMINS
    assert recipients(mailoutbox) == ["abe.admin@nhs.net", "ada.admin@nhs.net"]
    assert f"/access/requests/{request.pk}/" in mailoutbox[0].body

    mailoutbox.clear()
    run_on_commit(access_request_approve, request, actor=world.ada)
    assert membership(world.jo, world.t1).account_type == AccountType.ORGANISATIONAL
    assert allows(world.fresh(world.jo), Action.UPDATE_EVENT_OF_MY_ORGANISATION, Target(world.t1))
    assert recipients(mailoutbox) == ["jo.bloggs@nhs.net"]
    entry = AuditLogEntry.objects.get(action="access_request_approved")
    assert (entry.actor, entry.subject, entry.organisation) == (world.ada, world.jo, world.t1)
    assert entry.detail["account_type"] == "organisational"
    assert entry.detail["previous_account_type"] == "standard"


@pytest.mark.parametrize("account_type", [ORGANISATIONAL, ADMIN])
def test_with_no_admin_organisational_and_admin_requests_go_to_super_admins(
    world, run_on_commit, mailoutbox, account_type
):
    request = run_on_commit(
        access_request_create, actor=world.sam, organisation=world.t2, account_type=account_type
    )
    assert access_request_route(request) == Route.SUPER_ADMINS
    assert recipients(mailoutbox) == ["sofia.super@nhs.net", "sunil.super@nhs.net"]
    access_request_approve(request, actor=world.sunil)
    assert membership(world.sam, world.t2).account_type == account_type


def test_read_only_requests_need_an_admin_and_are_refused_without_one(world, mailoutbox):
    with pytest.raises(AccessRefused, match="Ask the organisation to appoint an admin"):
        access_request_create(actor=world.sam, organisation=world.t2, account_type=READ_ONLY)
    assert not AccessRequest.objects.exists()
    assert not AuditLogEntry.objects.filter(action="access_requested").exists()

    request = access_request_create(actor=world.jo, organisation=world.t1, account_type=READ_ONLY)
    assert access_request_route(request) == Route.LOCAL_ADMINS
    access_request_approve(request, actor=world.abe)
    assert membership(world.jo, world.t1).account_type == AccountType.READ_ONLY


def test_a_trust_sites_requests_go_to_the_trusts_admins(world):
    site_member = member(world.t1s, email="sita@nhs.net")
    request = access_request_create(actor=site_member, organisation=world.t1s, account_type=ORGANISATIONAL)
    assert access_request_route(request) == Route.LOCAL_ADMINS
    with pytest.raises(AccessRefused, match="has an admin"):
        access_request_approve(request, actor=world.sofia)
    access_request_approve(request, actor=world.ada)
    assert membership(site_member, world.t1s).account_type == AccountType.ORGANISATIONAL


def test_an_admin_never_decides_their_own_request(world):
    # Sam becomes T2's only admin, then asks to step down to organisational: nobody else at T2 can
    # decide, so the request goes to the super admins and Sam cannot approve it.
    Membership.objects.filter(user=world.sam).update(account_type=AccountType.ADMIN)
    request = access_request_create(actor=world.sam, organisation=world.t2, account_type=ORGANISATIONAL)
    assert access_request_route(request) == Route.SUPER_ADMINS
    with pytest.raises(AccessRefused, match="your own"):
        access_request_approve(request, actor=world.sam)
    access_request_reject(request, actor=world.sofia)


def test_icb_and_region_memberships_see_every_organisation_below_read_only(world):
    commissioner = member(world.q1, email="cara@nhs.net")
    request = access_request_create(actor=commissioner, organisation=world.q1, account_type=ORGANISATIONAL)
    access_request_approve(request, actor=world.ian)
    commissioner = world.fresh(commissioner)
    for below in (world.t1, world.t1s, world.t2):
        assert allows(commissioner, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS, Target(below))
        assert not allows(commissioner, Action.UPDATE_EVENT_OF_MY_ORGANISATION, Target(below))
        assert not allows(commissioner, Action.UPDATE_EVENT_OF_CHILD_ORGANISATION, Target(below))

    regional = member(world.y1, email="rhea@nhs.net")
    request = access_request_create(actor=regional, organisation=world.y1, account_type=ADMIN)
    assert access_request_route(request) == Route.SUPER_ADMINS  # the region has no admin yet
    access_request_approve(request, actor=world.sofia)
    assert allows(world.fresh(regional), Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS, Target(world.t1s))


# One pending request; deciding once ----------------------------------------------------------------------


def test_one_pending_request_per_user_organisation_and_account_type(world):
    first = access_request_create(actor=world.jo, organisation=world.t1, account_type=ADMIN)
    with pytest.raises(AccessRefused, match="You already asked for admin access to Leeds Teaching Hospitals"):
        access_request_create(actor=world.jo, organisation=world.t1, account_type=ADMIN)
    access_request_create(actor=world.jo, organisation=world.t1, account_type=ORGANISATIONAL)
    access_request_reject(first, actor=world.ada)
    access_request_create(actor=world.jo, organisation=world.t1, account_type=ADMIN)
    assert AccessRequest.objects.filter(user=world.jo, status="pending").count() == 2


def test_what_cannot_be_requested(world):
    with pytest.raises(AccessRefused, match="You already have admin access"):
        access_request_create(actor=world.ada, organisation=world.t1, account_type=ADMIN)
    with pytest.raises(AccessRefused, match="Add Bradford Community Trust"):
        access_request_create(actor=world.jo, organisation=world.t2, account_type=ORGANISATIONAL)
    waiting = member(world.t1, email="wes@agency.example.org", status=MembershipStatus.AWAITING_APPROVAL)
    with pytest.raises(AccessRefused, match="still waiting for approval"):
        access_request_create(actor=waiting, organisation=world.t1, account_type=ORGANISATIONAL)
    with pytest.raises(ValueError, match="cannot request"):
        access_request_create(actor=world.jo, organisation=world.t1, account_type=RequestedAccess.STANDARD)


@pytest.mark.parametrize("second", ["approve", "reject"])
def test_deciding_twice_is_refused_with_a_clear_message(world, second):
    request = access_request_create(actor=world.jo, organisation=world.t1, account_type=ORGANISATIONAL)
    access_request_approve(request, actor=world.ada)
    with pytest.raises(AccessAlreadyDecided, match=r"already been approved by Ada Admin on \d+ \w+ \d{4} at"):
        if second == "approve":
            access_request_approve(request, actor=world.abe)
        else:
            access_request_reject(request, actor=world.abe, reason="Too late")
    assert AuditLogEntry.objects.filter(action__startswith="access_request_").count() == 1
    assert membership(world.jo, world.t1).account_type == AccountType.ORGANISATIONAL


def test_people_who_may_not_decide_are_refused(world):
    request = access_request_create(actor=world.jo, organisation=world.t1, account_type=ORGANISATIONAL)
    bystander = member(world.t1, AccountType.ORGANISATIONAL, email="olu@nhs.net")
    other_admin = member(world.t2, AccountType.ADMIN, email="tess@nhs.net")
    cases = [
        (world.jo, "your own"),
        (bystander, "do not have permission"),
        (other_admin, "do not have permission"),
        (world.ian, "do not have permission"),  # an ICB admin does not decide for the trusts below
        (world.sofia, "has an admin, so this request is for them to decide"),
    ]
    for actor, message in cases:
        with pytest.raises(AccessRefused, match=message):
            access_request_approve(request, actor=actor)
        with pytest.raises(AccessRefused, match=message):
            access_request_reject(request, actor=actor)
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING
    assert membership(world.jo, world.t1).account_type == AccountType.STANDARD


def test_an_admin_who_lost_admin_access_can_no_longer_decide(world):
    request = access_request_create(actor=world.jo, organisation=world.t1, account_type=ORGANISATIONAL)
    ada = world.ada
    assert allows(
        ada, Action.APPROVE_ENHANCED_ACCESS_REQUESTS_FOR_MY_ORGANISATION, Target(world.t1)
    )  # cached
    membership_revoke(membership(ada, world.t1), actor=world.abe)
    with pytest.raises(AccessRefused, match="do not have permission"):
        access_request_approve(request, actor=ada)


def test_a_rejection_reason_is_kept_and_limited(world, run_on_commit, mailoutbox):
    request = access_request_create(actor=world.jo, organisation=world.t1, account_type=ADMIN)
    with pytest.raises(ValueError, match="longer than"):
        access_request_reject(request, actor=world.ada, reason="x" * 1001)
    run_on_commit(access_request_reject, request, actor=world.ada, reason="  Please ask your line manager.  ")
    request.refresh_from_db()
    assert request.reason == "Please ask your line manager."
    assert "Reason: Please ask your line manager." in mailoutbox[0].body
    entry = AuditLogEntry.objects.get(action="access_request_rejected")
    assert entry.detail["reason"] == "Please ask your line manager."


# Cancel, remove ------------------------------------------------------------------------------------------


def test_only_the_requester_cancels_and_only_while_pending(world):
    request = access_request_create(actor=world.jo, organisation=world.t1, account_type=ADMIN)
    with pytest.raises(AccessRefused, match="only cancel your own"):
        access_request_cancel(request, actor=world.ada)
    access_request_cancel(request, actor=world.jo)
    assert request.status == AccessRequestStatus.CANCELLED
    with pytest.raises(AccessAlreadyDecided, match="This request was cancelled"):
        access_request_cancel(request, actor=world.jo)
    with pytest.raises(AccessAlreadyDecided, match="cancelled"):
        access_request_approve(request, actor=world.ada)
    assert AuditLogEntry.objects.filter(action="access_request_cancelled", actor=world.jo).count() == 1


def test_cancelling_a_domain_request_removes_the_waiting_membership(world):
    agency = UserFactory(email="kim@agency.example.org")
    organisation_add(actor=agency, organisation=world.t1)
    access_request_cancel(AccessRequest.objects.get(user=agency), actor=agency)
    assert not Membership.objects.filter(user=agency).exists()


def test_removing_an_organisation_cancels_its_pending_requests(world):
    request = access_request_create(actor=world.jo, organisation=world.t1, account_type=ADMIN)
    with pytest.raises(AccessRefused, match="your own profile"):
        membership_remove(membership(world.jo, world.t1), actor=world.ada)
    membership_remove(membership(world.jo, world.t1), actor=world.jo)
    assert not Membership.objects.filter(user=world.jo).exists()
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.CANCELLED
    entry = AuditLogEntry.objects.get(action="membership_removed")
    assert entry.detail["cancelled_requests"] == [request.pk]


def test_adding_an_organisation_twice_is_refused(world):
    with pytest.raises(AccessRefused, match="already on your profile"):
        organisation_add(actor=world.jo, organisation=world.t1)


# Revoke --------------------------------------------------------------------------------------------------


def test_revoke_access_returns_the_member_to_a_standard_account(world, run_on_commit, mailoutbox):
    request = access_request_create(actor=world.jo, organisation=world.t1, account_type=ORGANISATIONAL)
    access_request_approve(request, actor=world.ada)
    jo = world.fresh(world.jo)
    assert allows(jo, Action.VIEW_EVENTS_OF_MY_ORGANISATION, Target(world.t1))

    run_on_commit(membership_revoke, membership(world.jo, world.t1), actor=world.abe)
    assert membership(world.jo, world.t1).account_type == AccountType.STANDARD
    # The next request loads a new user object, which reads the memberships afresh.
    assert not allows(world.fresh(world.jo), Action.VIEW_EVENTS_OF_MY_ORGANISATION, Target(world.t1))
    entry = AuditLogEntry.objects.get(action="access_revoked")
    assert (entry.actor, entry.subject, entry.detail["previous_account_type"]) == (
        world.abe,
        world.jo,
        "organisational",
    )
    assert recipients(mailoutbox) == ["jo.bloggs@nhs.net"]
    assert (
        "organisational access to Leeds Teaching Hospitals (T1) has been revoked by Abe Admin"
        in mailoutbox[0].body
    )


def test_revoke_refusals(world):
    with pytest.raises(AccessRefused, match="cannot revoke your own access"):
        membership_revoke(membership(world.ada, world.t1), actor=world.ada)
    with pytest.raises(AccessAlreadyDecided, match="has a standard account"):
        membership_revoke(membership(world.jo, world.t1), actor=world.ada)
    with pytest.raises(AccessRefused, match="do not have permission to manage users of Leeds"):
        membership_revoke(membership(world.abe, world.t1), actor=world.jo)
    with pytest.raises(AccessRefused, match="do not have permission"):
        membership_revoke(membership(world.abe, world.t1), actor=world.ian)
    # Super admins may revoke in any organisation (permissions.csv).
    membership_revoke(membership(world.abe, world.t1), actor=world.sofia)
    assert membership(world.abe, world.t1).account_type == AccountType.STANDARD


# Super admins --------------------------------------------------------------------------------------------


def test_super_admins_approve_other_super_admins_never_themselves(world, run_on_commit, mailoutbox):
    request = run_on_commit(
        access_request_create, actor=world.jo, organisation=None, account_type=SUPER_ADMIN
    )
    assert request.organisation is None
    assert recipients(mailoutbox) == ["sofia.super@nhs.net", "sunil.super@nhs.net"]
    with pytest.raises(AccessRefused, match="You already asked for super admin access"):
        access_request_create(actor=world.jo, organisation=None, account_type=SUPER_ADMIN)
    for not_super in (world.jo, world.ada, world.ian):
        with pytest.raises(AccessRefused):
            access_request_approve(request, actor=not_super)
    access_request_approve(request, actor=world.sofia)
    assert User.objects.get(pk=world.jo.pk).is_super_admin

    with pytest.raises(AccessRefused, match="already a super admin"):
        access_request_create(actor=world.fresh(world.jo), organisation=None, account_type=SUPER_ADMIN)
    with pytest.raises(AccessRefused, match="cannot change their own permissions"):
        super_admin_revoke(world.sofia, actor=world.sofia)
    with pytest.raises(AccessRefused, match="Only super admins"):
        super_admin_revoke(world.sofia, actor=world.ada)
    super_admin_revoke(world.jo, actor=world.sunil)
    assert not User.objects.get(pk=world.jo.pk).is_super_admin
    with pytest.raises(AccessAlreadyDecided, match="not a super admin"):
        super_admin_revoke(world.jo, actor=world.sunil)
    assert AuditLogEntry.objects.filter(
        action="super_admin_revoked", actor=world.sunil, subject=world.jo
    ).exists()


def test_a_super_admin_cannot_approve_their_own_request(world):
    # A super admin may be an ordinary member of a trust with no admin, and ask to be its admin.
    Membership.objects.create(user=world.sofia, organisation=world.t2)
    request = access_request_create(actor=world.sofia, organisation=world.t2, account_type=ADMIN)
    with pytest.raises(AccessRefused, match="your own"):
        access_request_approve(request, actor=world.sofia)
    access_request_approve(request, actor=world.sunil)


# One transaction; emails after commit -------------------------------------------------------------------


def test_a_failure_after_the_change_leaves_nothing_behind(world, monkeypatch):
    request = access_request_create(actor=world.jo, organisation=world.t1, account_type=ORGANISATIONAL)

    def broken_email(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr("accounts.access.email_access_decided", broken_email)
    with pytest.raises(RuntimeError):
        access_request_approve(request, actor=world.ada)
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING
    assert membership(world.jo, world.t1).account_type == AccountType.STANDARD
    assert not AuditLogEntry.objects.filter(action="access_request_approved").exists()


def test_emails_wait_for_the_commit(world, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        access_request_create(actor=world.jo, organisation=world.t1, account_type=ORGANISATIONAL)
    assert len(callbacks) == 1
    assert mailoutbox == []
    callbacks[0]()
    assert recipients(mailoutbox) == ["abe.admin@nhs.net", "ada.admin@nhs.net"]


def test_the_database_itself_allows_one_pending_request_per_access(world):
    AccessRequest.objects.create(user=world.jo, organisation=world.t1, account_type=ADMIN)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRequest.objects.create(user=world.jo, organisation=world.t1, account_type=ADMIN)
    AccessRequest.objects.create(user=world.jo, account_type=SUPER_ADMIN)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRequest.objects.create(user=world.jo, account_type=SUPER_ADMIN)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRequest.objects.create(user=world.jo, account_type=ADMIN)  # an organisation is needed
    # Decided requests do not count.
    AccessRequest.objects.filter(user=world.jo).update(status="rejected", decided_at=timezone.now())
    AccessRequest.objects.create(user=world.jo, organisation=world.t1, account_type=ADMIN)
