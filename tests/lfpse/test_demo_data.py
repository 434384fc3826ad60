"""`load_demo_data`: what `make run` loads, idempotently, and never without DEBUG."""

import json
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, User
from accounts.permissions import Action, Target, allows, allows_anywhere
from events.journeys import journey_for
from events.models import Event, EventStatus
from events.questionnaire import latest_version
from lfpse.demo import DEMO_EVENTS, DEMO_PASSWORD, DEMO_USERS
from organisations.models import Organisation

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"\d{3}-\d{3}-\d{3}")


def test_loads_the_hierarchy_and_one_user_per_account_type(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    assert "7 new demo users, 7 example records" in out.getvalue()
    assert Organisation.objects.get(ods_code="RR8").parent.ods_code == "QWO"
    for demo in DEMO_USERS:
        user = User.objects.get(email=demo.email)
        assert user.check_password(DEMO_PASSWORD)
        assert user.emailaddress_set.get().verified
    super_admin = User.objects.get(email="super.admin@nhs.net")
    assert super_admin.is_super_admin
    assert allows_anywhere(
        User.objects.get(email="icb.admin@nhs.net"), Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS
    )
    assert not allows_anywhere(
        User.objects.get(email="standard@nhs.net"), Action.VIEW_EVENTS_OF_MY_ORGANISATION
    )


def test_running_again_keeps_data_and_changed_passwords(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=StringIO())
    user = User.objects.get(email="standard@nhs.net")
    user.set_password("Changed-Passw0rd")
    user.save()
    organisations, memberships = Organisation.objects.count(), Membership.objects.count()
    call_command("load_demo_data", stdout=StringIO())
    assert Organisation.objects.count() == organisations
    assert Membership.objects.count() == memberships
    assert User.objects.get(email="standard@nhs.net").check_password("Changed-Passw0rd")


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("load_demo_data", stdout=StringIO())
    assert not User.objects.exists()


def test_every_example_record_is_a_complete_record_with_nothing_stale():
    examples = json.loads(DEMO_EVENTS.read_text(encoding="utf-8"))["events"]
    assert {example["answers"]["EventType"] for example in examples} == {"1", "2", "3", "4"}
    for example in examples:
        anonymous = example.get("anonymous", False)
        journey = journey_for(example["answers"], latest_version(), anonymous=anonymous)
        assert journey.is_complete(), example["answers"]["EventType"]
        assert journey.prune() == example["answers"]


def test_the_example_records_are_recorded_once_through_the_recording_services(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    assert "7 example records" in out.getvalue()

    events = Event.objects.filter(source="staff").select_related("organisation", "recorded_by")
    assert events.count() == 7
    assert all(REFERENCE.fullmatch(event.display_reference) for event in events)
    assert all(event.status == EventStatus.RECORDER_SUBMITTED for event in events)
    assert all(event.revisions.count() == 1 for event in events)
    assert Counter(event.organisation.ods_code for event in events) == {
        "RR8": 3,  # good care, the risk (the recorder's organisation) and the anonymous incident
        "RR801": 1,
        "RR813": 1,
        "RAE01": 1,  # Bradford: seen by the ICB, not by Leeds
        "B86110": 1,  # a GP practice
    }
    anonymous = events.get(is_anonymous=True)
    assert anonymous.recorded_by is None
    assert events.filter(recorded_by__email="provider.organisational@nhs.net", event_type="3").exists()

    call_command("load_demo_data", stdout=StringIO())
    assert Event.objects.count() == 7 + 4  # and the patient reports (below), once


def test_the_demo_has_patient_reports_in_every_sharing_state_with_feedback(settings):
    from events.patients.models import ComplaintsContact, PatientReport, RecorderUpdate

    settings.DEBUG = True
    call_command("load_demo_data", stdout=StringIO())
    reports = PatientReport.objects.select_related("event")
    assert sorted(report.sharing for report in reports) == [
        "contact",
        "national",
        "organisation",
        "organisation",
    ]
    assert all(report.event.source == "patient" for report in reports)
    assert reports.get(sharing="contact").contact["email"] == "alex.demo@example.org"
    assert not reports.get(sharing="national").event.shared_with_organisation
    assert reports.filter(reporter_role="behalf").exists()
    assert ComplaintsContact.objects.filter(organisation__ods_code="RR8").exists()
    assert RecorderUpdate.objects.count() == 2


def test_no_example_records_once_the_service_has_records_of_its_own(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=StringIO())
    kept = Event.objects.first()
    Event.objects.exclude(pk=kept.pk).delete()
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    assert "0 example records" in out.getvalue()
    assert Event.objects.count() == 1


def test_every_demo_account_is_offered_the_review_of_exactly_its_own_records_within_its_reach(settings):
    """The demo probed as every account: "mark as reviewed" on a record one made oneself follows the
    table, including the ICB organisational user's record at a GP practice below the ICB."""
    settings.DEBUG = True
    call_command("load_demo_data", stdout=StringIO())
    offered = set()
    for demo in DEMO_USERS:
        user = User.objects.get(email=demo.email)
        for event in Event.objects.select_related("organisation"):
            own = Target(event.organisation, authored_by_actor=event.recorded_by_id == user.pk)
            if allows(user, Action.MARK_OWN_EVENTS_REVIEWED, own):
                offered.add((demo.email, event.organisation.ods_code))
    assert offered == {
        ("icb.organisational@nhs.net", "B86110"),
        ("provider.organisational@nhs.net", "RR8"),
    }
