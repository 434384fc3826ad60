"""The access management screens: the rules through the pages, GOV.UK patterns, who may see what."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.access import access_request_approve, access_request_create
from accounts.models import (
    AccessRequest,
    AccessRequestStatus,
    AccountType,
    AuditLogEntry,
    Membership,
    MembershipStatus,
    RequestedAccess,
)
from tests.accounts.test_access_support import make_world, member
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ORG_EVENTS = "View events in my organisation(s), ICB or region"
MANAGE_USERS = "Manage users in my organisation, ICB or region"


@pytest.fixture
def world(db):
    return make_world()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def has_button(content: str, label: str) -> bool:
    """A GOV.UK button with this label (the component puts its label on a line of its own)."""
    return re.search(rf">\s*{re.escape(label)}\s*</button>", content) is not None


def text(response) -> str:
    return response.content.decode()


def banner(response) -> str:
    match = re.search(r'govuk-notification-banner__heading">(.*?)</p>', text(response), re.S)
    return match.group(1).strip() if match else ""


def request_for(user, organisation, account_type=RequestedAccess.ORGANISATIONAL) -> AccessRequest:
    return access_request_create(actor=user, organisation=organisation, account_type=account_type)


# Sign-in --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("my_organisations", []),
        ("add_organisation", []),
        ("amend_access", ["T1"]),
        ("remove_organisation", ["T1"]),
        ("my_requests", []),
        ("access_request", [1]),
        ("cancel_request", [1]),
        ("request_super_admin", []),
        ("manage_users", []),
        ("organisation_users", ["T1"]),
        ("revoke_access", [1]),
        ("revoke_super_admin", [1]),
        ("access_log", []),
    ],
)
def test_every_page_needs_sign_in_and_returns_there_after(client, world, name, args):
    url = reverse(f"accounts:{name}", args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_the_home_page_links_reach_the_new_pages(world):
    content = text(client_for(world.ada).get(reverse("home")))
    for name in ("my_organisations", "add_organisation", "my_requests", "manage_users"):
        assert f'href="{reverse(f"accounts:{name}")}"' in content


# The user's own organisations ------------------------------------------------------------------------------


def test_my_organisations_lists_each_organisation_with_its_account_type(world):
    Membership.objects.create(user=world.jo, organisation=world.t2, status=MembershipStatus.AWAITING_APPROVAL)
    request_for(world.jo, world.t1, RequestedAccess.ADMIN)
    response = client_for(world.jo).get(reverse("accounts:my_organisations"))
    content = text(response)
    assert "Leeds Teaching Hospitals" in content and "Bradford Community Trust" in content
    assert "Awaiting approval" in content
    assert "Admin requested" in content
    assert reverse("accounts:amend_access", args=["T1"]) in content
    assert reverse("accounts:amend_access", args=["T2"]) not in content  # not until approved
    assert reverse("accounts:remove_organisation", args=["T2"]) in content
    assert 'Amend access<span class="govuk-visually-hidden"> to Leeds Teaching Hospitals</span>' in content


def test_amend_access_offers_the_other_account_types_as_radios(world):
    content = text(client_for(world.ada).get(reverse("accounts:amend_access", args=["T1"])))
    assert 'type="radio"' in content
    assert 'value="organisational"' in content and 'value="read_only"' in content
    assert 'value="admin"' not in content
    assert "You have an admin account with Leeds Teaching Hospitals (T1)." in content


def test_amend_access_sends_the_request_and_says_who_decides(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_for(world.jo)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:amend_access", args=["T1"]), {"account_type": "organisational"}, follow=True
        )
    assert response.redirect_chain == [(reverse("accounts:my_requests"), 302)]
    assert banner(response) == (
        "Your request for organisational access to Leeds Teaching Hospitals (T1) has been sent to its admins."
    )
    assert "Organisational" in text(response) and "The organisation's admins" in text(response)
    assert sorted(m.to[0] for m in mailoutbox) == ["abe.admin@nhs.net", "ada.admin@nhs.net"]

    response = client_for(world.sam).post(
        reverse("accounts:amend_access", args=["T2"]), {"account_type": "admin"}, follow=True
    )
    assert banner(response) == (
        "Bradford Community Trust (T2) has no admin yet, so your request for admin access to Bradford "
        "Community Trust (T2) has been sent to the national patient safety team."
    )


def test_amend_access_errors_use_the_error_summary_and_keep_the_choice(world):
    client = client_for(world.sam)
    url = reverse("accounts:amend_access", args=["T2"])
    response = client.post(url, {})
    content = text(response)
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert content.count("Select the type of access you need") == 2
    assert 'href="#id_account_type"' in content and 'id="id_account_type"' in content

    response = client.post(url, {"account_type": "read_only"})
    content = text(response)
    assert "has no admin, so nobody can approve read-only access to it" in content
    assert "Ask the organisation to appoint an admin" in content
    assert re.search(r'value="read_only"\s+aria-describedby="[^"]+"\s+checked', content)
    assert not AccessRequest.objects.exists()

    client_for(world.jo).post(reverse("accounts:amend_access", args=["T1"]), {"account_type": "admin"})
    response = client_for(world.jo).post(
        reverse("accounts:amend_access", args=["T1"]), {"account_type": "admin"}
    )
    assert "You already asked for admin access to Leeds Teaching Hospitals (T1)" in text(response)
    assert AccessRequest.objects.filter(user=world.jo).count() == 1


def test_another_users_organisation_cannot_be_amended_or_removed(world):
    client = client_for(world.jo)
    assert client.get(reverse("accounts:amend_access", args=["T2"])).status_code == 404
    assert client.post(reverse("accounts:remove_organisation", args=["T2"])).status_code == 404
    assert Membership.objects.filter(user=world.sam, organisation=world.t2).exists()


def test_add_an_organisation_by_ods_code_or_name(world):
    client = client_for(world.jo)
    url = reverse("accounts:add_organisation")
    response = client.post(url, {"organisation_search": "t2"}, follow=True)
    assert banner(response) == "Bradford Community Trust (T2) has been added to your profile."
    assert Membership.objects.get(user=world.jo, organisation=world.t2).status == MembershipStatus.ACTIVE

    OrganisationFactory(ods_code="RAE", name="Bradford Teaching Hospitals")
    response = client.post(url, {"organisation_search": "Bradford"})
    content = text(response)
    assert "More than one organisation matches “Bradford”" in content
    assert 'value="RAE"' in content and 'value="Bradford"' in content  # what was typed is kept
    response = client.post(url, {"organisation_search": "Bradford", "organisation_code": "RAE"}, follow=True)
    assert "Bradford Teaching Hospitals (RAE) has been added to your profile." in banner(response)

    response = client.post(url, {"organisation_search": "Leeds Teaching"})
    assert "Leeds Teaching Hospitals (T1) is already on your profile." in text(response)
    response = client.post(url, {"organisation_search": ""})
    assert text(response).count("Enter the organisation&#x27;s name or ODS code") == 2
    response = client.post(url, {"organisation_search": "Atlantis"})
    assert "No organisation matches “Atlantis”" in text(response)


def test_adding_an_organisation_outside_nhs_net_says_it_waits(world):
    agency = UserFactory(email="kim@agency.example.org")
    response = client_for(agency).post(
        reverse("accounts:add_organisation"), {"organisation_search": "T1"}, follow=True
    )
    assert "waiting for approval by the national patient safety team" in banner(response)
    assert AccessRequest.objects.get(user=agency).account_type == RequestedAccess.STANDARD


def test_remove_an_organisation_after_confirming(world):
    client = client_for(world.jo)
    url = reverse("accounts:remove_organisation", args=["T1"])
    content = text(client.get(url))
    assert "Are you sure you want to remove Leeds Teaching Hospitals from your profile?" in content
    assert Membership.objects.filter(user=world.jo).exists()
    response = client.post(url, follow=True)
    assert banner(response) == "Leeds Teaching Hospitals (T1) has been removed from your profile."
    assert not Membership.objects.filter(user=world.jo).exists()


def test_my_requests_lists_pending_requests_and_cancels_after_confirming(world):
    request = request_for(world.jo, world.t1, RequestedAccess.ADMIN)
    client = client_for(world.jo)
    content = text(client.get(reverse("accounts:my_requests")))
    cancel_url = reverse("accounts:cancel_request", args=[request.pk])
    assert cancel_url in content
    assert "Are you sure you want to cancel your request for admin access" in text(client.get(cancel_url))
    response = client.post(cancel_url, follow=True)
    assert banner(response) == (
        "Your request for admin access to Leeds Teaching Hospitals (T1) has been cancelled."
    )
    assert "You have no pending access requests." in text(response)
    again = client.post(cancel_url)
    assert again.status_code == 409
    assert "This request was cancelled on" in text(again)
    # Somebody else's request is not found at all.
    assert client_for(world.sam).get(cancel_url).status_code == 404


def test_request_super_admin_access(world):
    client = client_for(world.jo)
    response = client.post(reverse("accounts:request_super_admin"), follow=True)
    assert (
        banner(response)
        == "Your request for super admin access has been sent to the national patient safety team."
    )
    response = client.post(reverse("accounts:request_super_admin"))
    assert "You already asked for super admin access" in text(response)
    assert "You are already a super admin." in text(
        client_for(world.sofia).get(reverse("accounts:request_super_admin"))
    )


# Manage users ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["jo", "ian_for_t1", "sam"])
def test_people_who_are_not_admins_of_the_organisation_are_kept_out(world, who):
    request = request_for(world.jo, world.t1)
    membership = Membership.objects.get(user=world.ada, organisation=world.t1)
    if who == "jo":
        client = client_for(world.jo)
        assert client.get(reverse("accounts:manage_users")).status_code == 403
        assert client.get(reverse("accounts:access_log")).status_code == 403
    else:
        client = client_for(world.ian if who == "ian_for_t1" else world.sam)
    assert client.get(reverse("accounts:organisation_users", args=["T1"])).status_code == 403
    assert client.get(reverse("accounts:revoke_access", args=[membership.pk])).status_code == 404
    assert client.post(reverse("accounts:revoke_access", args=[membership.pk])).status_code == 404
    if who != "jo":
        assert client.get(reverse("accounts:access_request", args=[request.pk])).status_code == 404
    assert client.get(reverse("accounts:access_log") + "?organisation=T1").status_code == 403


def test_an_admin_sees_the_requests_they_decide_and_their_organisations(world):
    mine = request_for(world.jo, world.t1)
    not_mine = request_for(world.sam, world.t2, RequestedAccess.ADMIN)
    content = text(client_for(world.ada).get(reverse("accounts:manage_users")))
    assert reverse("accounts:access_request", args=[mine.pk]) in content
    assert reverse("accounts:access_request", args=[not_mine.pk]) not in content
    assert reverse("accounts:organisation_users", args=["T1"]) in content
    assert "Find an organisation" not in content and "Super admins" not in content


def test_a_super_admin_sees_what_no_local_admin_can_decide(world):
    local = request_for(world.jo, world.t1)
    no_admin = request_for(world.sam, world.t2, RequestedAccess.ADMIN)
    client = client_for(world.sofia)
    content = text(client.get(reverse("accounts:manage_users")))
    assert reverse("accounts:access_request", args=[no_admin.pk]) in content
    assert reverse("accounts:access_request", args=[local.pk]) not in content
    assert reverse("accounts:revoke_super_admin", args=[world.sunil.pk]) in content
    assert reverse("accounts:revoke_super_admin", args=[world.sofia.pk]) not in content  # never themselves
    found = text(client.get(reverse("accounts:manage_users") + "?q=Leeds"))
    assert reverse("accounts:organisation_users", args=["T1"]) in found


def test_the_admin_approves_from_the_decision_page(world, django_capture_on_commit_callbacks, mailoutbox):
    request = request_for(world.jo, world.t1)
    jo = client_for(world.jo)
    assert ORG_EVENTS not in text(jo.get(reverse("home")))

    client = client_for(world.ada)
    url = reverse("accounts:access_request", args=[request.pk])
    content = text(client.get(url))
    assert "Jo Bloggs has asked for organisational access" in content
    assert has_button(content, "Approve") and has_button(content, "Reject")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve"}, follow=True)
    assert response.redirect_chain == [(reverse("accounts:organisation_users", args=["T1"]), 302)]
    assert banner(response) == (
        "You approved Jo Bloggs’s request for organisational access to Leeds Teaching Hospitals (T1)."
    )
    assert "jo.bloggs@nhs.net" in text(response)  # now listed among the enhanced users
    assert [m.to for m in mailoutbox] == [["jo.bloggs@nhs.net"]]
    # The same signed-in user sees the new access on their very next request.
    assert ORG_EVENTS in text(jo.get(reverse("home")))

    # A second decision, by the same or another admin, is refused clearly.
    again = client_for(world.abe).post(url, {"decision": "reject", "reason": "No"})
    assert again.status_code == 409
    assert "This request has already been approved by Ada Admin on" in text(again)
    assert "There is a problem" in text(again)
    assert AccessRequest.objects.get().status == AccessRequestStatus.APPROVED


def test_rejecting_with_a_reason(world, django_capture_on_commit_callbacks, mailoutbox):
    request = request_for(world.jo, world.t1, RequestedAccess.ADMIN)
    client = client_for(world.abe)
    url = reverse("accounts:access_request", args=[request.pk])
    too_long = "Please speak to the patient safety lead first. " * 30
    response = client.post(url, {"decision": "reject", "reason": too_long})
    content = text(response)
    assert response.status_code == 200
    assert content.count("The reason for rejecting must be 1000 characters or fewer") == 2
    assert too_long.strip() in content  # kept as typed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"decision": "reject", "reason": "Speak to the safety lead."}, follow=True
        )
    assert banner(response).startswith("You rejected Jo Bloggs’s request for admin access")
    assert "Reason: Speak to the safety lead." in mailoutbox[0].body
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (AccessRequestStatus.REJECTED, world.abe)


def test_someone_who_may_not_decide_sees_why_and_is_refused(world):
    request = request_for(world.jo, world.t1)
    url = reverse("accounts:access_request", args=[request.pk])
    client = client_for(world.sofia)
    content = text(client.get(url))
    assert "has an admin, so this request is for them to decide" in content
    assert not has_button(content, "Approve")
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 403
    assert "has an admin, so this request is for them to decide" in text(response)

    own = text(client_for(world.jo).get(url))
    assert "This is your own request" in own and not has_button(own, "Approve")
    assert client_for(world.jo).post(url, {"decision": "approve"}).status_code == 403
    assert AccessRequest.objects.get().is_pending


def test_revoke_access_after_confirming_and_the_revoked_user_loses_access_at_once(world):
    access_request_approve(request_for(world.jo, world.t1), actor=world.ada)
    jo = client_for(world.jo)
    assert ORG_EVENTS in text(jo.get(reverse("home")))

    membership = Membership.objects.get(user=world.jo, organisation=world.t1)
    client = client_for(world.abe)
    users_page = text(client.get(reverse("accounts:organisation_users", args=["T1"])))
    revoke_url = reverse("accounts:revoke_access", args=[membership.pk])
    assert revoke_url in users_page
    own_row = Membership.objects.get(user=world.abe, organisation=world.t1)
    assert reverse("accounts:revoke_access", args=[own_row.pk]) not in users_page
    confirm = text(client.get(revoke_url))
    assert "Are you sure you want to revoke Jo Bloggs’s access to Leeds Teaching Hospitals?" in confirm
    response = client.post(revoke_url, follow=True)
    assert banner(response) == (
        "Jo Bloggs’s organisational access to Leeds Teaching Hospitals (T1) has been revoked. "
        "They now have a standard account."
    )
    # Jo's existing session: the very next request no longer offers the organisation's events.
    assert ORG_EVENTS not in text(jo.get(reverse("home")))
    again = client.post(revoke_url)
    assert again.status_code == 409
    assert "has a standard account" in text(again)


def test_the_revoke_page_says_why_there_is_nothing_to_revoke_without_offering_the_button(world):
    client = client_for(world.abe)
    own_row = Membership.objects.get(user=world.abe, organisation=world.t1)
    own = text(client.get(reverse("accounts:revoke_access", args=[own_row.pk])))
    assert "You cannot revoke your own access. Ask another admin of" in own
    assert not has_button(own, "Revoke Access")
    access_request_approve(request_for(world.jo, world.t1), actor=world.ada)
    membership = Membership.objects.get(user=world.jo, organisation=world.t1)
    assert has_button(
        text(client.get(reverse("accounts:revoke_access", args=[membership.pk]))), "Revoke Access"
    )
    client.post(reverse("accounts:revoke_access", args=[membership.pk]))
    standard = text(client.get(reverse("accounts:revoke_access", args=[membership.pk])))
    assert "Jo Bloggs has a standard account with Leeds Teaching Hospitals" in standard
    assert not has_button(standard, "Revoke Access")


def test_an_admin_revoked_mid_session_can_no_longer_manage_users(world):
    ada = client_for(world.ada)
    assert MANAGE_USERS in text(ada.get(reverse("home")))
    membership = Membership.objects.get(user=world.ada, organisation=world.t1)
    client_for(world.abe).post(reverse("accounts:revoke_access", args=[membership.pk]))
    assert MANAGE_USERS not in text(ada.get(reverse("home")))
    assert ada.get(reverse("accounts:manage_users")).status_code == 403


def test_super_admins_revoke_other_super_admins_after_confirming(world):
    client = client_for(world.sofia)
    url = reverse("accounts:revoke_super_admin", args=[world.sunil.pk])
    assert "Are you sure you want to revoke Sunil Super’s super admin access?" in text(client.get(url))
    response = client.post(url, follow=True)
    assert banner(response) == "Sunil Super’s super admin access has been revoked."
    own = client.post(reverse("accounts:revoke_super_admin", args=[world.sofia.pk]))
    assert own.status_code == 403 and "cannot change their own permissions" in text(own)
    assert client_for(world.ada).get(url).status_code == 403
    already = text(client.get(url))  # Sunil is no longer a super admin: nothing to confirm
    assert "Sunil Super is not a super admin." in already and not has_button(already, "Revoke Access")


def test_the_access_log_shows_who_did_what_when_within_the_admins_scope(world):
    request = request_for(world.jo, world.t1)
    access_request_approve(request, actor=world.ada)
    other = request_for(world.sam, world.t2, RequestedAccess.ADMIN)
    access_request_approve(other, actor=world.sofia)

    content = text(client_for(world.abe).get(reverse("accounts:access_log")))
    assert "Approved organisational access" in content and "Ada Admin" in content and "Jo Bloggs" in content
    assert "Bradford Community Trust" not in content

    national = text(client_for(world.sunil).get(reverse("accounts:access_log")))
    assert "Leeds Teaching Hospitals" in national and "Bradford Community Trust" in national
    only_t2 = text(client_for(world.sunil).get(reverse("accounts:access_log") + "?organisation=T2"))
    assert "Bradford Community Trust" in only_t2 and "Jo Bloggs" not in only_t2
    assert AuditLogEntry.objects.filter(action="access_request_approved").count() == 2


def test_everything_a_user_typed_is_escaped(world):
    world.jo.first_name, world.jo.last_name = '<script>alert("x")</script>', "Bloggs"
    world.jo.save()
    request = request_for(world.jo, world.t1)
    for url in (
        reverse("accounts:manage_users"),
        reverse("accounts:organisation_users", args=["T1"]),
        reverse("accounts:access_request", args=[request.pk]),
        reverse("accounts:access_log"),
    ):
        content = text(client_for(world.ada).get(url))
        assert '<script>alert("x")</script>' not in content, url
        assert "&lt;script&gt;" in content, url


def test_list_pages_run_a_constant_number_of_queries(world, django_assert_max_num_queries):
    for number in range(15):
        user = member(world.t1, email=f"person{number}@nhs.net")
        request_for(
            user, world.t1, RequestedAccess.ORGANISATIONAL if number % 2 else RequestedAccess.READ_ONLY
        )
        if number % 3 == 0:
            Membership.objects.filter(user=user).update(account_type=AccountType.READ_ONLY)
    client = client_for(world.ada)
    for url in (
        reverse("accounts:manage_users"),
        reverse("accounts:organisation_users", args=["T1"]),
        reverse("accounts:access_log"),
    ):
        with django_assert_max_num_queries(9):
            assert client.get(url).status_code == 200
    national = client_for(world.sofia)
    with django_assert_max_num_queries(8):
        national.get(reverse("accounts:manage_users"))
