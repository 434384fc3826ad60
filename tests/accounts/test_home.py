"""The home page shows exactly the actions each account type may take (docs/spec/PRODUCT.md §2)."""

import pytest
from django.urls import reverse

from accounts.models import AccountType
from organisations.models import OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

RECORD = "Record a patient safety event"
MY_RECORDS = "Manage my event records"
ORG_EVENTS = "View events in my organisation(s), ICB or region"
MANAGE_USERS = "Manage users in my organisation, ICB or region"
DOWNLOAD = "Download event data for my ICB or region"
REDACTION_QA = "Check redaction quality"
API_CLIENTS = "Manage API keys for local risk management systems"
RESPONSES = "Respond to patient safety incidents"
OVERSIGHT = "Oversee responses in my ICB or region"
NATIONAL = "National register of PSIIs and Never Events"
SETTINGS = [
    "Manage my organisation(s), ICB or region",
    "Add an organisation, ICB or region",
    "Manage my active access requests",
]
ALL_MAIN = [RECORD, MY_RECORDS, ORG_EVENTS, MANAGE_USERS, DOWNLOAD]


@pytest.fixture
def icb(db):
    return OrganisationFactory(ods_code="QWO", name="West Yorkshire ICB", kind=OrganisationKind.ICB)


@pytest.fixture
def trust(icb):
    return OrganisationFactory(ods_code="RR8", name="Leeds Teaching Hospitals", parent=icb)


@pytest.mark.parametrize(
    ("account_type", "at_icb", "super_admin", "expected"),
    [
        (AccountType.STANDARD, False, False, [RECORD, MY_RECORDS]),
        (AccountType.ORGANISATIONAL, False, False, [RECORD, MY_RECORDS, ORG_EVENTS, RESPONSES]),
        (AccountType.ADMIN, False, False, [RECORD, MY_RECORDS, ORG_EVENTS, MANAGE_USERS, RESPONSES]),
        (AccountType.READ_ONLY, False, False, [RECORD, MY_RECORDS, ORG_EVENTS, RESPONSES]),
        (
            AccountType.ORGANISATIONAL,
            True,
            False,
            [RECORD, MY_RECORDS, ORG_EVENTS, DOWNLOAD, RESPONSES, OVERSIGHT],
        ),
        (AccountType.ADMIN, True, False, [*ALL_MAIN, RESPONSES, OVERSIGHT]),
        (AccountType.STANDARD, False, True, [*ALL_MAIN, NATIONAL, REDACTION_QA, API_CLIENTS]),
    ],
    ids=[
        "standard",
        "provider-organisational",
        "provider-admin",
        "read-only",
        "icb-organisational",
        "icb-admin",
        "super-admin",
    ],
)
def test_home_shows_exactly_what_the_account_type_allows(
    client, icb, trust, account_type, at_icb, super_admin, expected
):
    user = UserFactory(is_super_admin=super_admin)
    MembershipFactory(user=user, organisation=icb if at_icb else trust, account_type=account_type)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    main, settings = response.context["main_actions"], response.context["settings_actions"]
    assert [action.title for action in main] == expected
    assert [action.title for action in settings] == SETTINGS
    content = response.content.decode()
    for title in [*ALL_MAIN, RESPONSES, OVERSIGHT, NATIONAL, REDACTION_QA, API_CLIENTS]:
        assert (title in content) is (title in expected), title


def test_an_unapproved_membership_is_explained_and_grants_nothing(client, trust):
    user = UserFactory(email="agency.nurse@example.org")
    MembershipFactory(
        user=user, organisation=trust, account_type=AccountType.ADMIN, status="awaiting_approval"
    )
    client.force_login(user)
    response = client.get(reverse("home"))
    content = response.content.decode()
    assert "is waiting for approval by the national patient safety team" in content
    assert ORG_EVENTS not in content and MANAGE_USERS not in content


def test_home_runs_a_constant_number_of_queries(client, icb, trust, django_assert_max_num_queries):
    user = UserFactory()
    for number in range(5):
        MembershipFactory(
            user=user,
            organisation=OrganisationFactory(ods_code=f"T{number}", parent=icb),
            account_type=AccountType.ADMIN,
        )
    MembershipFactory(user=user, organisation=icb, account_type=AccountType.ADMIN)
    client.force_login(user)
    with django_assert_max_num_queries(6):
        client.get(reverse("home"))
