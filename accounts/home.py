"""What the home page ("Welcome to your patient safety home") offers: only what the user may do."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from .permissions import Action, allows, allows_anywhere


@dataclass(frozen=True)
class HomeAction:
    title: str
    description: str
    url_name: str

    @property
    def url(self) -> str | None:
        """Where the action lives; None while its screens are not part of this release yet."""
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


RECORD = HomeAction(
    "Record a patient safety event",
    "Record a new patient safety event (including near misses), a poor outcome that needs recording, "
    "a potential risk, or an example of good care that could be learned from.",
    "events:record_start",
)
MY_RECORDS = HomeAction(
    "Manage my event records",
    "View and edit your previously submitted event records, or continue with a draft event.",
    "events:my_records",
)
ORGANISATION_EVENTS = HomeAction(
    "View events in my organisation(s), ICB or region",
    "Here you can view or review any patient safety event record that has been submitted in relation "
    "to your organisation. Admin users can provide statutory and national policy updates. As a member "
    "of an ICB or regional team, you can view patient safety event records in organisations for which "
    "you have permission.",
    "events:organisation_events",
)
MANAGE_USERS = HomeAction(
    "Manage users in my organisation, ICB or region",
    "Manage the users who have been granted access to the event records submitted by your organisation "
    "or organisations within your ICB or region. From here you can approve or reject any incoming "
    "requests to access these events, or revoke existing users' access.",
    "accounts:manage_users",
)
DOWNLOAD = HomeAction(
    "Download event data for my ICB or region",
    "Download a csv file containing event data for events submitted by organisations within your ICB "
    "or region.",
    "events:download",
)
REDACTION_QA = HomeAction(
    "Check redaction quality",
    "Compare recent records' original free text with its redacted version, and correct what the "
    "anonymisation missed or removed wrongly. Every view is recorded.",
    "anonymisation:qa_list",
)
API_CLIENTS = HomeAction(
    "Manage API keys for local risk management systems",
    "Create, list and revoke the keys that local risk management systems use to upload events.",
    "accounts:api_clients",
)
RESPONSES = HomeAction(
    "Respond to patient safety incidents",
    "Decide the response to each incident under the Patient Safety Incident Response Framework (PSIRF), "
    "record learning responses, and track safety actions and the duty of candour.",
    "responses:queue",
)
RESPONSE_OVERSIGHT = HomeAction(
    "Oversee responses in my ICB or region",
    "Providers' patient safety incident response plans, the mix of responses, their timeliness, overdue "
    "safety actions and board reports.",
    "responses:oversight",
)
NATIONAL_RESPONSES = HomeAction(
    "National register of PSIIs and Never Events",
    "Every patient safety incident investigation and every Never Event response, from the records.",
    "responses:national_register",
)
MY_ORGANISATIONS = HomeAction(
    "Manage my organisation(s), ICB or region",
    "Request access to more data for your existing organisations, ICB or region. Remove organisations, "
    "ICBs or regions you no longer need to be associated with your profile.",
    "accounts:my_organisations",
)
ADD_ORGANISATION = HomeAction(
    "Add an organisation, ICB or region",
    "Assign an additional organisation, ICB or region to your profile.",
    "accounts:add_organisation",
)
MY_REQUESTS = HomeAction(
    "Manage my active access requests",
    "View or cancel any requests for access that are still pending.",
    "accounts:my_requests",
)


def home_actions(user) -> tuple[list[HomeAction], list[HomeAction]]:
    """The main actions, then the account settings, that this user may take."""
    main = []
    if allows(user, Action.RECORD_EVENT_SIGNED_IN):
        main.append(RECORD)
    if allows(user, Action.VIEW_OWN_SUBMITTED_EVENTS):
        main.append(MY_RECORDS)
    if allows_anywhere(user, Action.VIEW_EVENTS_OF_MY_ORGANISATION) or allows_anywhere(
        user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS
    ):
        main.append(ORGANISATION_EVENTS)
    if allows_anywhere(user, Action.APPROVE_ENHANCED_ACCESS_REQUESTS_FOR_MY_ORGANISATION):
        main.append(MANAGE_USERS)
    if allows_anywhere(user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS) and allows_anywhere(
        user, Action.DOWNLOAD_EVENT_DATA_CSV
    ):
        main.append(DOWNLOAD)
    if allows_anywhere(user, Action.VIEW_RESPONSES_OF_MY_ORGANISATION) and not allows(
        user, Action.VIEW_NATIONAL_RESPONSE_REGISTER
    ):
        main.append(RESPONSES)
    if allows_anywhere(user, Action.OVERSEE_RESPONSES_OF_CHILD_ORGANISATIONS) and not allows(
        user, Action.VIEW_NATIONAL_RESPONSE_REGISTER
    ):
        main.append(RESPONSE_OVERSIGHT)
    if allows(user, Action.VIEW_NATIONAL_RESPONSE_REGISTER):
        main.append(NATIONAL_RESPONSES)
    if allows(user, Action.QUALITY_ASSURE_REDACTION):
        main.append(REDACTION_QA)
    if allows(user, Action.MANAGE_API_CLIENTS):
        main.append(API_CLIENTS)
    settings = [MY_ORGANISATIONS, ADD_ORGANISATION, MY_REQUESTS] if user.is_authenticated else []
    return main, settings
