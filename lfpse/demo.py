"""Demo data for `make run`: the ODS fixtures, one user per account type and some example records."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from accounts.models import AccountType, Membership, MembershipStatus, User
from events.journeys import journey_for
from events.models import Event
from events.patients.demo import demo_patient_reports_load
from events.publication.demo import demo_release_publish
from events.responses.demo import demo_responses_load
from events.services import draft_create, event_submit
from organisations.models import Organisation
from organisations.services import ods_import

ODS_FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "ods"
DEMO_EVENTS = Path(settings.BASE_DIR) / "fixtures" / "demo" / "events.json"
DEMO_KH03 = Path(settings.BASE_DIR) / "fixtures" / "kh03" / "kh03-sample.csv"
DEMO_PASSWORD = "Demo-Passw0rd"  # noqa: S105 - published in the README for the demo only


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    job_role: str
    ods_code: str | None
    account_type: str
    super_admin: bool = False


DEMO_USERS = [
    DemoUser("standard@nhs.net", "Sam", "Standard", "Nurse", "RR8", AccountType.STANDARD),
    DemoUser(
        "provider.organisational@nhs.net",
        "Priya",
        "Organisational",
        "Patient safety specialist",
        "RR8",
        AccountType.ORGANISATIONAL,
    ),
    DemoUser(
        "provider.admin@nhs.net", "Ade", "Admin", "Risk manager or governance staff", "RR8", AccountType.ADMIN
    ),
    DemoUser(
        "icb.organisational@nhs.net",
        "Iris",
        "Commissioner",
        "Patient safety specialist",
        "QWO",
        AccountType.ORGANISATIONAL,
    ),
    DemoUser("icb.admin@nhs.net", "Ian", "Commissioner-Admin", "Manager", "QWO", AccountType.ADMIN),
    DemoUser("read.only@nhs.net", "Rosa", "Reader", "Manager", "RTD", AccountType.READ_ONLY),
    DemoUser(
        "super.admin@nhs.net",
        "Sofia",
        "Super",
        "Patient safety specialist",
        None,
        AccountType.STANDARD,
        super_admin=True,
    ),
]


@transaction.atomic
def demo_data_load() -> dict[str, int]:
    """Idempotent: organisations are updated in place; existing users keep their passwords."""
    report = ods_import(sorted(ODS_FIXTURES.glob("*.csv")))
    created_users = 0
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=demo.email,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "job_role": demo.job_role,
                "is_super_admin": demo.super_admin,
                "is_staff": demo.super_admin,
                "is_superuser": demo.super_admin,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.emailaddress_set.create(email=user.email, verified=True, primary=True)
            created_users += 1
        if demo.ods_code:
            Membership.objects.update_or_create(
                user=user,
                organisation=Organisation.objects.get(ods_code=demo.ods_code),
                defaults={"account_type": demo.account_type, "status": MembershipStatus.ACTIVE},
            )
    return {
        "organisations": Organisation.objects.count(),
        "users_created": created_users,
        "import_errors": len(report.errors),
    }


def demo_events_load() -> int:
    """Records the example events of fixtures/demo/events.json, once: only while no event exists.

    Each goes through the recording services as if typed into the form (a draft, then Submit), so
    reference numbers, revisions, emails to admins and redaction all happen as for a real record.
    Returns how many were recorded.
    """
    if Event.objects.exists():
        return 0
    examples = json.loads(DEMO_EVENTS.read_text(encoding="utf-8"))["events"]
    for example in examples:
        anonymous = example.get("anonymous", False)
        actor = AnonymousUser() if anonymous else User.objects.get(email=example["recorder"])
        draft = draft_create(actor=actor, anonymous=anonymous)
        journey = journey_for(example["answers"], draft.question_set_version, anonymous=anonymous)
        draft.answers = journey.prune()
        draft.save(update_fields=["answers", "updated_at"])
        event_submit(draft=draft, actor=actor)
    demo_patient_reports_load()  # patients' and families' reports, in each sharing state
    demo_statistics_load()
    demo_responses_load()
    return len(examples)


def demo_statistics_load():
    """A published statistics release (events/publication), with generated coded history behind it
    (settings.PUBLICATION_DEMO_HISTORY records; none in tests) so its charts show something."""
    return demo_release_publish(
        actor=User.objects.get(email="super.admin@nhs.net"),
        kh03_file=DEMO_KH03,
        history=settings.PUBLICATION_DEMO_HISTORY,
    )
