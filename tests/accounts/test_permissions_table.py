"""Every cell of fixtures/permissions.csv, for every account type, against the policy in code.

Each account type is a real user with a real membership in a real ODS hierarchy:

    region Y1 ─ ICB Q1 ─ trust T1 ─ site T1S
                      └─ trust T2
    region Y2 ─ ICB Q2 ─ trust U1          (unrelated to everything above)

Provider and read-only account types belong to trust T1; ICB account types to ICB Q1. For each
action the CSV answers for the context its name describes ("my organisation", "child organisation",
"my own events"); the policy must agree there, and must never grant more in an unrelated
organisation (super admins, who see every organisation, excepted).
"""

import csv
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import AccountType
from accounts.permissions import (
    PSIRF_EXECUTIVE_LEAD,
    RAW_TEXT_READERS,
    RESPONSE_TEAM,
    RULES,
    Action,
    Target,
    allows,
    allows_anywhere,
    forget_memberships,
    may_include_below,
    may_view_events_of,
)
from tests.factories import MembershipFactory, UserFactory, make_hierarchy

TABLE = Path(__file__).resolve().parents[2] / "fixtures" / "permissions.csv"
PERMISSIONS_DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def read_table() -> tuple[list[str], dict[str, dict[str, bool]]]:
    with TABLE.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = [name for name in rows[0] if name not in ("action", "source")]
    return columns, {row["action"]: {col: row[col] == "yes" for col in columns} for row in rows}


COLUMNS, CELLS = read_table()

MEMBERSHIP_FOR_COLUMN = {
    "standard": ("T1", AccountType.STANDARD),
    "provider_organisational": ("T1", AccountType.ORGANISATIONAL),
    "provider_admin": ("T1", AccountType.ADMIN),
    "icb_organisational": ("Q1", AccountType.ORGANISATIONAL),
    "icb_admin": ("Q1", AccountType.ADMIN),
    "read_only": ("T1", AccountType.READ_ONLY),
    "super_admin": ("T1", AccountType.STANDARD),
}


@pytest.fixture
def hierarchy(db):
    return make_hierarchy()


def make_actor(column: str, hierarchy):
    if column == "anonymous":
        return AnonymousUser(), None
    code, account_type = MEMBERSHIP_FOR_COLUMN[column]
    user = UserFactory(is_super_admin=column == "super_admin")
    MembershipFactory(user=user, organisation=hierarchy[code], account_type=account_type)
    return user, hierarchy[code]


# Rows granted to a role held beyond the account type: the table answers for someone holding it.
ROLE_FOR_ACTION = {"sign_off_psii_report_for_my_organisation": frozenset({PSIRF_EXECUTIVE_LEAD})}
# Rows granted to a relation to the record (events/responses): the table answers for a team member.
RELATION_FOR_ACTION = {
    "read_response_free_text_unredacted": {"text_of": "response", "relations": frozenset({RESPONSE_TEAM})},
    "view_response_engagement": {"relations": frozenset({RESPONSE_TEAM})},
}


def own_target(actor_org, action: str) -> Target:
    return Target(
        organisation=actor_org,
        authored_by_actor="_own_" in f"_{action}_",
        roles=ROLE_FOR_ACTION.get(action, frozenset()),
        **RELATION_FOR_ACTION.get(action, {}),
    )


def child_target(actor_org, hierarchy) -> Target:
    """Below the actor's own organisation: a trust under an ICB; a trust's nearest relative otherwise."""
    if actor_org is not None and actor_org.is_commissioner:
        return Target(organisation=hierarchy["T1"])
    return Target(organisation=hierarchy["T2"])


def test_the_policy_covers_exactly_the_actions_of_the_table():
    assert {action.value for action in RULES} == set(CELLS)


def test_every_row_says_whether_it_is_the_spec_or_our_extension_and_extensions_are_explained():
    with TABLE.open(newline="") as handle:
        sources = {row["action"]: row["source"] for row in csv.DictReader(handle)}
    assert set(sources.values()) == {"spec", "extension"}
    # The spec's 20 rows come first; ours follow, each explained in docs/permissions.md.
    assert list(sources.values()).count("spec") == 20
    assert list(sources.values()) == sorted(sources.values(), key=lambda source: source != "spec")
    doc = PERMISSIONS_DOC.read_text()
    for action, source in sources.items():
        if source == "extension":
            assert f"`{action}`" in doc, f"{action} is not explained in docs/permissions.md"


def test_the_table_has_every_account_type():
    assert COLUMNS == [
        "anonymous",
        "standard",
        "provider_organisational",
        "provider_admin",
        "icb_organisational",
        "icb_admin",
        "read_only",
        "super_admin",
    ]


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("action", sorted(CELLS))
def test_policy_agrees_with_every_cell(action, column, hierarchy):
    actor, actor_org = make_actor(column, hierarchy)
    expected = CELLS[action][column]
    unrelated = Target(
        organisation=hierarchy["U1"],
        authored_by_actor="_own_" in f"_{action}_",
        roles=ROLE_FOR_ACTION.get(action, frozenset()),
        **RELATION_FOR_ACTION.get(action, {}),
    )

    if "child_organisation" in action:
        context = child_target(actor_org, hierarchy)
    else:
        context = own_target(actor_org, action)
    assert allows(actor, Action(action), context) is expected, (
        f"{column} / {action} in its own context should be {expected}"
    )

    # Nothing beyond what the table grants leaks into an unrelated organisation.
    reaches_everywhere = column == "super_admin" or action in {
        "record_event_anonymously",
        "save_draft",
        "record_event_signed_in",
        "view_own_submitted_events",
        "update_own_submitted_events",
        "request_super_admin_access",
        "record_event_as_patient_or_family",
    }
    assert allows(actor, Action(action), unrelated) is (expected and reaches_everywhere), (
        f"{column} / {action} in an unrelated organisation"
    )


@pytest.mark.parametrize(
    "column", ["provider_organisational", "provider_admin", "icb_organisational", "icb_admin"]
)
def test_a_trust_site_counts_as_the_trust_and_children_are_read_only(column, hierarchy):
    actor, actor_org = make_actor(column, hierarchy)
    site = Target(organisation=hierarchy["T1S"])
    if actor_org.is_commissioner:
        # The site is below the ICB: visible, never updatable.
        assert allows(actor, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS, site)
        assert not allows(actor, Action.UPDATE_EVENT_OF_MY_ORGANISATION, site)
        assert not allows(actor, Action.VIEW_EVENTS_OF_MY_ORGANISATION, site)
    else:
        assert allows(actor, Action.UPDATE_EVENT_OF_MY_ORGANISATION, site)
        assert allows(actor, Action.VIEW_EVENTS_OF_MY_ORGANISATION, site)
        assert not allows(actor, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS, site)


def test_region_members_see_every_organisation_below_them(hierarchy):
    user = UserFactory()
    MembershipFactory(user=user, organisation=hierarchy["Y1"], account_type=AccountType.ORGANISATIONAL)
    for code in ("Q1", "T1", "T1S", "T2"):
        assert allows(user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS, Target(hierarchy[code])), code
    assert not allows(user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS, Target(hierarchy["U1"]))


def test_memberships_awaiting_approval_grant_nothing(hierarchy):
    user = UserFactory(email="someone@example.org")
    MembershipFactory(
        user=user, organisation=hierarchy["T1"], account_type=AccountType.ADMIN, status="awaiting_approval"
    )
    assert not allows(user, Action.VIEW_EVENTS_OF_MY_ORGANISATION, Target(hierarchy["T1"]))
    assert allows(user, Action.RECORD_EVENT_SIGNED_IN)


def test_the_hierarchy_is_read_once_per_question_for_a_user_object(hierarchy, django_assert_num_queries):
    user = UserFactory()
    MembershipFactory(user=user, organisation=hierarchy["Q1"], account_type=AccountType.ADMIN)
    target = Target(hierarchy["T1S"])
    assert allows(user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS, target)
    assert allows_anywhere(user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS)
    with django_assert_num_queries(0):  # asked again on the same page: nothing new to read
        assert allows(user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS, target)
        assert allows_anywhere(user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS)
    MembershipFactory(user=user, organisation=hierarchy["Q2"], account_type=AccountType.ADMIN)
    forget_memberships(user)  # what services do before deciding with a long-lived user object
    assert allows(user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS, Target(hierarchy["U1"]))


@pytest.mark.parametrize(
    ("column", "action", "codes", "allowed"),
    [
        ("icb_organisational", Action.MARK_OWN_EVENTS_REVIEWED, ("T1", "T1S", "T2"), True),
        ("icb_admin", Action.MARK_OWN_EVENTS_REVIEWED, ("T1", "T1S", "T2"), True),
        ("icb_organisational", Action.EDIT_STATUTORY_FOR_OWN_EVENTS, ("T1", "T2"), False),
        ("icb_admin", Action.EDIT_STATUTORY_FOR_OWN_EVENTS, ("T1", "T1S", "T2"), True),
        ("provider_organisational", Action.MARK_OWN_EVENTS_REVIEWED, ("T2", "Q1"), False),
        ("provider_admin", Action.EDIT_STATUTORY_FOR_OWN_EVENTS, ("T2", "Q1"), False),
    ],
)
def test_own_events_reach_as_far_as_the_account_type_does(column, action, codes, allowed, hierarchy):
    """An ICB member's own record at a GP practice or trust below the ICB is theirs to review (and,
    for admins, to complete the statutory requirements of); a provider's own record at a sibling
    trust or at the ICB is not, and nobody else's record becomes theirs by being below them."""
    actor, _ = make_actor(column, hierarchy)
    for code in codes:
        assert allows(actor, action, Target(hierarchy[code], authored_by_actor=True)) is allowed, code
        assert not allows(actor, action, Target(hierarchy[code], authored_by_actor=False)), code
    assert not allows(actor, action, Target(hierarchy["U1"], authored_by_actor=True))


def test_the_thin_names_over_the_policy(hierarchy):
    icb, provider = make_actor("icb_organisational", hierarchy)[0], make_actor("provider_admin", hierarchy)[0]
    assert may_view_events_of(icb, hierarchy["T1S"]) and may_view_events_of(icb, hierarchy["Q1"])
    assert not may_view_events_of(icb, hierarchy["U1"])
    assert may_include_below(icb, hierarchy["Q1"]) and not may_include_below(icb, hierarchy["Q2"])
    assert may_view_events_of(provider, hierarchy["T1S"])
    assert not may_view_events_of(provider, hierarchy["T2"])
    assert not may_include_below(provider, hierarchy["T1"])  # a trust's sites are the trust itself


@pytest.mark.parametrize("column", COLUMNS)
def test_psii_reports_are_signed_off_only_by_a_holder_of_the_executive_lead_role(column, hierarchy):
    """The table's sign-off row answers for someone holding the role; without it nobody signs off."""
    actor, actor_org = make_actor(column, hierarchy)
    action = Action.SIGN_OFF_PSII_REPORT_FOR_MY_ORGANISATION
    assert not allows(actor, action, Target(organisation=actor_org))
    assert (
        allows(actor, action, Target(organisation=actor_org, roles=frozenset({PSIRF_EXECUTIVE_LEAD})))
        is (CELLS[action][column])
    )


def _reads_text_there(column: str, text_of: str) -> bool:
    """Who reads a text raw through a relation, in their own organisation: members who read responses
    there (engagement: those who open it); the decision note on a PSIRP is read from the ICB above."""
    if text_of == "plan_decision_note":
        return False  # written from above: see the test below
    if text_of == "engagement":
        return CELLS["view_response_engagement"][column]
    return CELLS["read_response_free_text_unredacted"][column]


@pytest.mark.parametrize("column", COLUMNS)
def test_response_free_text_is_read_raw_only_through_a_relation_to_it(column, hierarchy):
    """The table's rows for the free text around responses answer for a team member; without the
    relation that text names, no account type (super admin included) reads it raw or opens engagement;
    with it, only in the actor's own organisation: not in a child, not in an unrelated one, not as a
    super admin, not after the membership ends."""
    actor, actor_org = make_actor(column, hierarchy)
    raw, engagement = Action.READ_RESPONSE_FREE_TEXT_UNREDACTED, Action.VIEW_RESPONSE_ENGAGEMENT
    relations = {"response_team", "recorded_it", "owns_it", "wrote_it", "someone_else"}
    child = child_target(actor_org, hierarchy).organisation
    for text_of, readers in RAW_TEXT_READERS.items():
        for relation in relations:
            held = frozenset({relation})
            target = Target(actor_org, text_of=text_of, relations=held)
            expected = relation in readers and _reads_text_there(column, text_of)
            assert allows(actor, raw, target) is expected, (text_of, relation)
            # (The PSIRP decision note, written from above, is the one text read in a child: below.)
            for elsewhere in (
                (hierarchy["U1"],) if text_of == "plan_decision_note" else (child, hierarchy["U1"])
            ):
                assert not allows(actor, raw, Target(elsewhere, text_of=text_of, relations=held)), (
                    text_of,
                    relation,
                    elsewhere,
                )
        assert not allows(actor, raw, Target(actor_org, text_of=text_of, authored_by_actor=True))
    assert not allows(actor, raw, Target(actor_org, text_of="unknown", relations=frozenset(relations)))
    assert not allows(actor, engagement, Target(actor_org))
    assert not allows(actor, engagement, Target(actor_org, relations=frozenset({"wrote_it"})))
    on_team = Target(actor_org, relations=frozenset({RESPONSE_TEAM}))
    assert allows(actor, engagement, on_team) is CELLS["view_response_engagement"][column]
    if column == "anonymous":
        return
    # A former member: the membership ends, and every relation reads redacted.
    actor.memberships.all().delete()
    forget_memberships(actor)
    for text_of, readers in RAW_TEXT_READERS.items():
        for relation in readers:
            target = Target(actor_org, text_of=text_of, relations=frozenset({relation}))
            assert not allows(actor, raw, target), ("former member", text_of, relation)


def test_a_super_admin_named_on_the_team_or_as_owner_reads_redacted(hierarchy):
    """Super admin status reads nothing raw, in any organisation, whatever the relation."""
    admin = UserFactory(is_super_admin=True)
    raw = Action.READ_RESPONSE_FREE_TEXT_UNREDACTED
    for organisation in (hierarchy["T1"], hierarchy["Q1"], hierarchy["U1"]):
        for text_of, readers in RAW_TEXT_READERS.items():
            target = Target(organisation, text_of=text_of, relations=frozenset(readers))
            assert not allows(admin, raw, target), (organisation, text_of)


def test_a_decider_who_moved_to_the_icb_reads_the_trusts_text_redacted(hierarchy):
    decider = UserFactory()
    membership = MembershipFactory(
        user=decider, organisation=hierarchy["T1"], account_type=AccountType.ORGANISATIONAL
    )
    raw = Action.READ_RESPONSE_FREE_TEXT_UNREDACTED
    team = frozenset({RESPONSE_TEAM})
    assert allows(decider, raw, Target(hierarchy["T1"], text_of="response", relations=team))
    assert allows(decider, raw, Target(hierarchy["T1S"], text_of="response", relations=team))
    membership.delete()
    MembershipFactory(user=decider, organisation=hierarchy["Q1"], account_type=AccountType.ADMIN)
    forget_memberships(decider)
    for text_of in ("response", "safety_action", "engagement"):
        assert not allows(decider, raw, Target(hierarchy["T1"], text_of=text_of, relations=team))


def test_a_read_only_team_member_reads_engagement_notes_redacted(hierarchy):
    reader = UserFactory()
    MembershipFactory(user=reader, organisation=hierarchy["T1"], account_type=AccountType.READ_ONLY)
    raw = Action.READ_RESPONSE_FREE_TEXT_UNREDACTED
    for relation in ("response_team", "recorded_it"):
        held = frozenset({relation})
        assert not allows(reader, raw, Target(hierarchy["T1"], text_of="engagement", relations=held))
    team = frozenset({RESPONSE_TEAM})
    assert allows(reader, raw, Target(hierarchy["T1"], text_of="response", relations=team))


def test_the_icb_admin_reads_their_plan_decision_note_while_an_admin_above(hierarchy):
    raw = Action.READ_RESPONSE_FREE_TEXT_UNREDACTED
    wrote = frozenset({"wrote_it"})
    icb_admin = UserFactory()
    membership = MembershipFactory(
        user=icb_admin, organisation=hierarchy["Q1"], account_type=AccountType.ADMIN
    )
    assert allows(icb_admin, raw, Target(hierarchy["T1"], text_of="plan_decision_note", relations=wrote))
    assert not allows(icb_admin, raw, Target(hierarchy["U1"], text_of="plan_decision_note", relations=wrote))
    membership.delete()
    forget_memberships(icb_admin)
    assert not allows(icb_admin, raw, Target(hierarchy["T1"], text_of="plan_decision_note", relations=wrote))
