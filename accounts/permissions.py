"""The one permission policy: a predicate per action, tested cell by cell against
fixtures/permissions.csv.

"My organisation" is an organisation where the user holds an active membership, or the trust above
a trust site (docs/spec/PRODUCT.md §1 decision). "Child organisations" are those below an ICB or
region where the user holds an organisational or admin membership; they are seen read-only. Views
and templates ask `allows(...)`; nobody compares account types anywhere else.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from organisations.models import Organisation
from organisations.selectors import child_organisation_sample, organisation_ancestor_ids, own_organisation_ids

from .models import AccountType, Membership, MembershipStatus


class Action(StrEnum):
    RECORD_EVENT_ANONYMOUSLY = "record_event_anonymously"
    SAVE_DRAFT = "save_draft"
    RECORD_EVENT_SIGNED_IN = "record_event_signed_in"
    VIEW_OWN_SUBMITTED_EVENTS = "view_own_submitted_events"
    UPDATE_OWN_SUBMITTED_EVENTS = "update_own_submitted_events"
    MARK_OWN_EVENTS_REVIEWED = "mark_own_events_reviewed"
    EDIT_STATUTORY_FOR_OWN_EVENTS = "edit_statutory_for_own_events"
    VIEW_EVENTS_OF_MY_ORGANISATION = "view_events_of_my_organisation"
    UPDATE_EVENT_OF_MY_ORGANISATION = "update_event_of_my_organisation"
    MARK_EVENT_OF_MY_ORGANISATION_REVIEWED = "mark_event_of_my_organisation_reviewed"
    EDIT_STATUTORY_FOR_MY_ORGANISATION_EVENTS = "edit_statutory_for_my_organisation_events"
    VIEW_STATUTORY_FOR_MY_ORGANISATION_EVENTS = "view_statutory_for_my_organisation_events"
    VIEW_EVENTS_OF_CHILD_ORGANISATIONS = "view_events_of_child_organisations"
    UPDATE_EVENT_OF_CHILD_ORGANISATION = "update_event_of_child_organisation"
    VIEW_STATUTORY_FOR_CHILD_ORGANISATION_EVENTS = "view_statutory_for_child_organisation_events"
    APPROVE_ENHANCED_ACCESS_REQUESTS_FOR_MY_ORGANISATION = (
        "approve_enhanced_access_requests_for_my_organisation"
    )
    REJECT_ENHANCED_ACCESS_REQUESTS_FOR_MY_ORGANISATION = (
        "reject_enhanced_access_requests_for_my_organisation"
    )
    REVOKE_ENHANCED_ACCESS_FOR_MY_ORGANISATION = "revoke_enhanced_access_for_my_organisation"
    DOWNLOAD_EVENT_DATA_CSV = "download_event_data_csv"
    SEE_ORIGINAL_UNREDACTED_FREE_TEXT = "see_original_unredacted_free_text"
    # Our extensions: decisions the spec's table does not name, each a row of fixtures/permissions.csv
    # marked as ours (why each exists: docs/permissions.md, docs/adr/0016-policy-owns-every-decision.md).
    VIEW_EVENTS_OF_EVERY_ORGANISATION = "view_events_of_every_organisation"
    MANAGE_USERS_OF_EVERY_ORGANISATION = "manage_users_of_every_organisation"
    VIEW_ACCESS_LOG_FOR_MY_ORGANISATION = "view_access_log_for_my_organisation"
    VIEW_ACCESS_LOG_OF_EVERY_ORGANISATION = "view_access_log_of_every_organisation"
    DECIDE_ACCESS_REQUESTS_ROUTED_TO_SUPER_ADMINS = "decide_access_requests_routed_to_super_admins"
    REQUEST_SUPER_ADMIN_ACCESS = "request_super_admin_access"
    GRANT_SUPER_ADMIN_ACCESS = "grant_super_admin_access"
    REVOKE_SUPER_ADMIN_ACCESS = "revoke_super_admin_access"
    MANAGE_API_CLIENTS = "manage_api_clients"
    QUALITY_ASSURE_REDACTION = "quality_assure_redaction"
    PREVIEW_AND_PUBLISH_STATISTICS = "preview_and_publish_statistics"
    RECORD_EVENT_AS_PATIENT_OR_FAMILY = "record_event_as_patient_or_family"
    GIVE_FEEDBACK_TO_RECORDER = "give_feedback_to_recorder"
    VIEW_PATIENT_REPORTER_CONTACT_DETAILS = "view_patient_reporter_contact_details"
    MAINTAIN_COMPLAINTS_CONTACTS = "maintain_complaints_contacts"
    GIVE_FEEDBACK_TO_NATIONAL_ONLY_RECORDERS = "give_feedback_to_national_only_recorders"
    # PSIRF responses (issue 19, docs/adr/0021-psirf-learning-responses.md).
    DECIDE_RESPONSE_FOR_MY_ORGANISATION_EVENTS = "decide_response_for_my_organisation_events"
    LEAD_LEARNING_RESPONSE_FOR_MY_ORGANISATION = "lead_learning_response_for_my_organisation"
    SIGN_OFF_PSII_REPORT_FOR_MY_ORGANISATION = "sign_off_psii_report_for_my_organisation"
    DESIGNATE_PSIRF_EXECUTIVE_LEAD_FOR_MY_ORGANISATION = "designate_psirf_executive_lead_for_my_organisation"
    VIEW_RESPONSES_OF_MY_ORGANISATION = "view_responses_of_my_organisation"
    MANAGE_SAFETY_ACTIONS_OF_MY_ORGANISATION = "manage_safety_actions_of_my_organisation"
    WRITE_RESPONSE_PLAN_FOR_MY_ORGANISATION = "write_response_plan_for_my_organisation"
    OVERSEE_RESPONSES_OF_CHILD_ORGANISATIONS = "oversee_responses_of_child_organisations"
    AGREE_RESPONSE_PLANS_OF_CHILD_ORGANISATIONS = "agree_response_plans_of_child_organisations"
    VIEW_NATIONAL_RESPONSE_REGISTER = "view_national_response_register"
    LINK_DUPLICATE_EVENTS_OF_MY_ORGANISATION = "link_duplicate_events_of_my_organisation"
    VIEW_THEMES_OF_MY_ICB = "view_themes_of_my_icb"
    VIEW_NATIONAL_THEMES = "view_national_themes"
    # Who reads the free text around responses as written, and who opens a response's engagement.
    READ_RESPONSE_FREE_TEXT_UNREDACTED = "read_response_free_text_unredacted"
    VIEW_RESPONSE_ENGAGEMENT = "view_response_engagement"


@dataclass(frozen=True)
class Target:
    """What an action is done to: an organisation's data, and whether the actor recorded it."""

    organisation: Organisation | None = None
    authored_by_actor: bool = False
    # Roles the actor holds for the organisation beyond their account type (the PSIRF executive
    # lead, events/responses): a fact the caller reads, as it reads who recorded a record.
    roles: frozenset[str] = frozenset()
    # For free text around responses: which text (RAW_TEXT_READERS' keys) and the actor's relations to
    # it ("response_team", "recorded_it", "owns_it", "wrote_it"), facts the caller reads.
    text_of: str = ""
    relations: frozenset[str] = frozenset()


PSIRF_EXECUTIVE_LEAD = "psirf_executive_lead"
RESPONSE_TEAM = "response_team"  # the response's lead, members and whoever decided it

# The free text around responses (events/responses/free_text.py), and the relations whose holders read
# it as written; everyone else reads it redacted. A text no relation reaches is read redacted by all.
RAW_TEXT_READERS: dict[str, frozenset[str]] = {
    "response": frozenset({RESPONSE_TEAM}),  # rationale, document, referral and sign-off notes
    "response_note": frozenset({"wrote_it"}),  # a note's writer, even off the team
    "safety_action": frozenset({"recorded_it", "owns_it", RESPONSE_TEAM}),
    "safety_plan": frozenset({"wrote_it"}),
    "engagement": frozenset({"recorded_it", RESPONSE_TEAM}),
    "plan": frozenset({"wrote_it"}),
    "plan_decision_note": frozenset({"wrote_it"}),  # the ICB admin who agreed or returned the plan
}


ENHANCED = frozenset({AccountType.ORGANISATIONAL, AccountType.ADMIN})
CAN_READ = frozenset({AccountType.ORGANISATIONAL, AccountType.ADMIN, AccountType.READ_ONLY})
ADMIN_ONLY = frozenset({AccountType.ADMIN})
# Who of the record's organisation may hold a relation that reads its text raw: whoever reads the
# organisation's responses; for engagement notes, whoever may open engagement (view_response_engagement).
RAW_TEXT_MEMBERS: dict[str, frozenset[str]] = {"engagement": ENHANCED}


def active_memberships(user) -> list[Membership]:
    """The user's active memberships, loaded once per user object (one query per request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE).select_related(
                "organisation"
            )
        )
        user._active_memberships = cached
    return cached


def _own_account_types(user, organisation: Organisation | None) -> set[str]:
    own_ids = own_organisation_ids(organisation)
    return {m.account_type for m in active_memberships(user) if m.organisation_id in own_ids}


def _commissioner_account_types_above(user, organisation: Organisation | None) -> set[str]:
    if organisation is None:
        return set()
    commissioner = [m for m in active_memberships(user) if m.organisation.is_commissioner]
    if not commissioner:
        return set()
    above = _remembered(user, ("above", organisation.pk), organisation_ancestor_ids, organisation)
    return {m.account_type for m in commissioner if m.organisation_id in above}


def _remembered(user, key, compute, argument):
    """What the hierarchy says for this user's checks, worked out once per user object (like
    active_memberships): a page asks the same questions many times."""
    store = user.__dict__.setdefault("_permission_facts", {})
    if key not in store:
        store[key] = compute(argument)
    return store[key]


Rule = Callable[[object, Target], bool]


def _signed_in(user, target: Target) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _super_admin(user, target: Target) -> bool:
    return holds_super_admin_access(user) and bool(getattr(user, "is_active", False))


def _not_super_admin(user, target: Target) -> bool:
    return _signed_in(user, target) and not holds_super_admin_access(user)


def _authored(user, target: Target) -> bool:
    return _signed_in(user, target) and target.authored_by_actor


def _own(types: Iterable[str]) -> Rule:
    wanted = frozenset(types)
    return lambda user, target: bool(_own_account_types(user, target.organisation) & wanted)


def _above(types: Iterable[str]) -> Rule:
    wanted = frozenset(types)
    return lambda user, target: bool(_commissioner_account_types_above(user, target.organisation) & wanted)


def _holds(role: str) -> Rule:
    return lambda user, target: _signed_in(user, target) and role in target.roles


def _any(*rules: Rule) -> Rule:
    return lambda user, target: any(rule(user, target) for rule in rules)


def _all(*rules: Rule) -> Rule:
    return lambda user, target: all(rule(user, target) for rule in rules)


def _commissioner(user, target: Target) -> bool:
    """The target is an ICB or a region: themes are drawn per ICB."""
    return target.organisation is not None and target.organisation.is_commissioner


def _raw_text_reader(user, target: Target) -> bool:
    """A relation RAW_TEXT_READERS names for this text, held by someone who is still a member of the
    record's (provider) organisation with an account type that reads it there (RAW_TEXT_MEMBERS):
    through their own membership only, never as a super admin nor from an ICB or region above. The
    ICB admin's decision note on a PSIRP is the one text written from above: its writer reads it raw
    while they remain an admin of a commissioner above the organisation."""
    held = target.relations & RAW_TEXT_READERS.get(target.text_of, frozenset())
    if not held or target.organisation is None:
        return False
    if target.text_of == "plan_decision_note":
        return _above(ADMIN_ONLY)(user, target)
    return _own(RAW_TEXT_MEMBERS.get(target.text_of, CAN_READ))(user, target)


def _related(relation: str) -> Rule:
    return lambda user, target: relation in target.relations


def _always(user, target: Target) -> bool:
    return True


def _never(user, target: Target) -> bool:
    return False


RULES: dict[Action, Rule] = {
    Action.RECORD_EVENT_ANONYMOUSLY: _always,
    Action.SAVE_DRAFT: _signed_in,
    Action.RECORD_EVENT_SIGNED_IN: _signed_in,
    Action.VIEW_OWN_SUBMITTED_EVENTS: _signed_in,
    Action.UPDATE_OWN_SUBMITTED_EVENTS: _signed_in,
    # "Own events" are the ones the user recorded, wherever their account type reaches: their own
    # organisation (a trust with its sites) or, for ICB and region members, every organisation below.
    # An ICB organisational user who recorded at a GP practice under the ICB reviews that record.
    Action.MARK_OWN_EVENTS_REVIEWED: _all(_authored, _any(_own(ENHANCED), _above(ENHANCED))),
    Action.EDIT_STATUTORY_FOR_OWN_EVENTS: _all(_authored, _any(_own(ADMIN_ONLY), _above(ADMIN_ONLY))),
    Action.VIEW_EVENTS_OF_MY_ORGANISATION: _any(_super_admin, _own(CAN_READ)),
    Action.UPDATE_EVENT_OF_MY_ORGANISATION: _own(ENHANCED),
    Action.MARK_EVENT_OF_MY_ORGANISATION_REVIEWED: _own(ENHANCED),
    Action.EDIT_STATUTORY_FOR_MY_ORGANISATION_EVENTS: _own(ADMIN_ONLY),
    Action.VIEW_STATUTORY_FOR_MY_ORGANISATION_EVENTS: _any(_super_admin, _own(CAN_READ)),
    Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS: _any(_super_admin, _above(ENHANCED)),
    Action.UPDATE_EVENT_OF_CHILD_ORGANISATION: _never,
    Action.VIEW_STATUTORY_FOR_CHILD_ORGANISATION_EVENTS: _any(_super_admin, _above(ENHANCED)),
    Action.APPROVE_ENHANCED_ACCESS_REQUESTS_FOR_MY_ORGANISATION: _any(_super_admin, _own(ADMIN_ONLY)),
    Action.REJECT_ENHANCED_ACCESS_REQUESTS_FOR_MY_ORGANISATION: _any(_super_admin, _own(ADMIN_ONLY)),
    Action.REVOKE_ENHANCED_ACCESS_FOR_MY_ORGANISATION: _any(_super_admin, _own(ADMIN_ONLY)),
    Action.DOWNLOAD_EVENT_DATA_CSV: _any(_super_admin, _own(CAN_READ), _above(ENHANCED)),
    Action.SEE_ORIGINAL_UNREDACTED_FREE_TEXT: _super_admin,
    Action.VIEW_EVENTS_OF_EVERY_ORGANISATION: _super_admin,
    Action.MANAGE_USERS_OF_EVERY_ORGANISATION: _super_admin,
    Action.VIEW_ACCESS_LOG_FOR_MY_ORGANISATION: _any(_super_admin, _own(ADMIN_ONLY)),
    Action.VIEW_ACCESS_LOG_OF_EVERY_ORGANISATION: _super_admin,
    Action.DECIDE_ACCESS_REQUESTS_ROUTED_TO_SUPER_ADMINS: _super_admin,
    Action.REQUEST_SUPER_ADMIN_ACCESS: _not_super_admin,
    Action.GRANT_SUPER_ADMIN_ACCESS: _super_admin,
    Action.REVOKE_SUPER_ADMIN_ACCESS: _super_admin,
    Action.MANAGE_API_CLIENTS: _super_admin,
    Action.QUALITY_ASSURE_REDACTION: _super_admin,
    Action.PREVIEW_AND_PUBLISH_STATISTICS: _super_admin,
    # Patients and families (docs/adr/0019): the public form needs no account; the organisation's
    # patient safety team (its organisational and admin members) writes to recorders and alone reads
    # a patient's contact details; super admins keep organisations' complaints contacts.
    Action.RECORD_EVENT_AS_PATIENT_OR_FAMILY: _always,
    Action.GIVE_FEEDBACK_TO_RECORDER: _own(ENHANCED),
    Action.VIEW_PATIENT_REPORTER_CONTACT_DETAILS: _own(ENHANCED),
    Action.MAINTAIN_COMPLAINTS_CONTACTS: _super_admin,
    Action.GIVE_FEEDBACK_TO_NATIONAL_ONLY_RECORDERS: _super_admin,
    # Responses are the organisation's own business: decided, led and acted on by its organisational
    # and admin users; its read-only users and super admins read them; ICB and region members oversee
    # (read) those below them; the PSIRF executive lead (an organisational or admin user the
    # organisation's admin names) signs off PSII reports.
    Action.DECIDE_RESPONSE_FOR_MY_ORGANISATION_EVENTS: _own(ENHANCED),
    Action.LEAD_LEARNING_RESPONSE_FOR_MY_ORGANISATION: _own(ENHANCED),
    Action.SIGN_OFF_PSII_REPORT_FOR_MY_ORGANISATION: _all(_own(ENHANCED), _holds(PSIRF_EXECUTIVE_LEAD)),
    Action.DESIGNATE_PSIRF_EXECUTIVE_LEAD_FOR_MY_ORGANISATION: _own(ADMIN_ONLY),
    Action.VIEW_RESPONSES_OF_MY_ORGANISATION: _any(_super_admin, _own(CAN_READ)),
    Action.MANAGE_SAFETY_ACTIONS_OF_MY_ORGANISATION: _own(ENHANCED),
    Action.WRITE_RESPONSE_PLAN_FOR_MY_ORGANISATION: _own(ADMIN_ONLY),
    Action.OVERSEE_RESPONSES_OF_CHILD_ORGANISATIONS: _any(_super_admin, _above(ENHANCED)),
    Action.AGREE_RESPONSE_PLANS_OF_CHILD_ORGANISATIONS: _above(ADMIN_ONLY),
    Action.VIEW_NATIONAL_RESPONSE_REGISTER: _super_admin,
    # Similar events (docs/adr/0020): who links or dismisses "probably the same event", who sees themes.
    Action.LINK_DUPLICATE_EVENTS_OF_MY_ORGANISATION: _own(ENHANCED),
    Action.VIEW_THEMES_OF_MY_ICB: _any(_super_admin, _all(_commissioner, _own(ENHANCED))),
    Action.VIEW_NATIONAL_THEMES: _super_admin,
    # The raw text of a response, safety action, plan or note: its writer and the relations named in
    # RAW_TEXT_READERS, only while they are members of the record's organisation who may read it there
    # (_raw_text_reader); nobody by account type alone, not even super admins, and nobody from above.
    # Engagement and the people affected: the response team, who may still lead responses of the
    # organisation.
    Action.READ_RESPONSE_FREE_TEXT_UNREDACTED: _all(_signed_in, _raw_text_reader),
    Action.VIEW_RESPONSE_ENGAGEMENT: _all(_own(ENHANCED), _related(RESPONSE_TEAM)),
}


def allows(user, action: Action, target: Target | None = None) -> bool:
    return RULES[action](user, target or Target())


def holds_super_admin_access(user) -> bool:
    """Whether this person holds super admin status: a fact about them, which the rules above read
    (for an active account) and the screens that list or revoke super admins show."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_super_admin", False))


def may_view_events_of(user, organisation: Organisation) -> bool:
    """The organisation's records, as its own member or from an ICB or region above it."""
    target = Target(organisation)
    return allows(user, Action.VIEW_EVENTS_OF_MY_ORGANISATION, target) or allows(
        user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS, target
    )


def may_give_feedback_to_recorder(user, organisation: Organisation | None, *, shared: bool) -> bool:
    """ "Feedback to the recorder": the organisation's patient safety team, or, for a report a patient
    kept for national learning only (no organisation sees it), the national team (docs/adr/0019)."""
    if not shared:
        return allows(user, Action.GIVE_FEEDBACK_TO_NATIONAL_ONLY_RECORDERS)
    return allows(user, Action.GIVE_FEEDBACK_TO_RECORDER, Target(organisation))


def may_include_below(user, organisation: Organisation) -> bool:
    """Whether the user may add every organisation below this one (ICB and region members)."""
    child = _child_sample(user, organisation)
    return child is not None and allows(user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS, Target(child))


def allows_anywhere(user, action: Action) -> bool:
    """True when the user may take the action for at least one organisation (or needs none)."""
    if allows(user, action):
        return True
    return any(
        allows(user, action, Target(organisation=organisation))
        for membership in active_memberships(user)
        for organisation in _membership_scope_sample(user, membership.organisation)
    )


def _child_sample(user, organisation: Organisation) -> Organisation | None:
    """One organisation below this one (not a trust site), looked up once per user object: the
    dashboard asks for its scope and for the links its template offers."""
    return _remembered(user, ("child", organisation.pk), child_organisation_sample, organisation)


def _membership_scope_sample(user, organisation: Organisation) -> list[Organisation]:
    """The organisation itself and, for an ICB or region, one child standing for all below it (the
    children of a commissioner are trusts or ICBs, never trust sites)."""
    if not organisation.is_commissioner:
        return [organisation]
    child = _child_sample(user, organisation)
    return [organisation] if child is None else [organisation, child]


def forget_memberships(user) -> None:
    """Drop the memberships cached on this user object, so the next check reads the database.

    The cache lives on the object, and request.user is a new object on every request, so a change
    takes effect on the user's next request anyway. Services call this before deciding with a
    possibly long-lived object (a decider checked earlier in the same request, or a test's user).
    """
    if user is not None:
        user.__dict__.pop("_active_memberships", None)
        user.__dict__.pop("_permission_facts", None)


def is_local_admin(user, organisation: Organisation | None) -> bool:
    """An admin of this organisation (or of the trust above this trust site), super admin aside.

    Access requests are routed to these users first (docs/spec/PRODUCT.md §6); the super admins decide only
    what no local admin can.
    """
    return bool(_own_account_types(user, organisation) & ADMIN_ONLY)


def administered_organisation_ids(user) -> set[int]:
    """The organisations where the user holds an active admin membership (their sites aside)."""
    return {m.organisation_id for m in active_memberships(user) if m.account_type in ADMIN_ONLY}
