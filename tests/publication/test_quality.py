"""Organisation data quality: scoped by the permission policy, computed from coded answers."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import AccountType
from events.publication.quality import organisation_quality
from tests.factories import MembershipFactory, UserFactory, make_hierarchy
from tests.publication.helpers import published_event

pytestmark = pytest.mark.django_db


def reader(organisation):
    return MembershipFactory(organisation=organisation, account_type=AccountType.ORGANISATIONAL).user


@pytest.fixture
def orgs():
    orgs = make_hierarchy()
    now = timezone.now()
    published_event(orgs["T1"], created=now, answers={"ServiceArea": ["15"], "DetectionPoint": "1"})
    published_event(orgs["T1S"], created=now - dt.timedelta(days=40), answers={"ServiceArea": ["1"]})
    published_event(orgs["T1"], created=now, event_type="2", answers={}, status="reviewed")
    published_event(orgs["T2"], created=now, answers={"ServiceArea": ["15"]})
    return orgs


def test_completeness_dont_know_lag_and_backlog(orgs):
    quality = organisation_quality(orgs["T1"], user=reader(orgs["T1"]))
    assert quality.records == 3  # its site's record included, the other trust's not
    service = next(q for q in quality.questions if q.question_id == "ServiceArea")
    assert (service.asked, service.answered, service.dont_know) == (3, 2, 1)
    assert (service.answered_percentage, service.dont_know_percentage) == ("66.7", "50.0")
    assert dict(quality.lags)["1 to 7 days"] == 3  # helpers date events two days before recording
    assert dict(quality.backlog) == {
        "Recorded in the last 7 days": 1,
        "Recorded 8 to 30 days ago": 0,
        "Recorded more than 30 days ago": 1,
    }


def test_only_users_who_may_see_the_records_see_the_page(orgs, client):
    assert client.get("/statistics/data-quality/T1/").status_code == 302  # sign in first
    standard = MembershipFactory(organisation=orgs["T1"], account_type=AccountType.STANDARD).user
    client.force_login(standard)
    assert client.get("/statistics/data-quality/T1/").status_code == 403
    reviewer = MembershipFactory(organisation=orgs["T1"], account_type=AccountType.ORGANISATIONAL).user
    client.force_login(reviewer)
    assert "Organisation T1" in client.get("/statistics/data-quality/").content.decode()
    page = client.get("/statistics/data-quality/T1/")
    assert page.status_code == 200 and "Services involved" in page.content.decode()
    assert client.get("/statistics/data-quality/T2/").status_code == 403
    assert client.get("/statistics/data-quality/NOPE/").status_code == 404
    client.force_login(UserFactory())
    assert client.get("/statistics/data-quality/").status_code == 200


def test_questions_count_only_records_of_event_types_they_are_asked_of(orgs):
    from tests.publication.helpers import published_event as record

    record(orgs["T2"], created=timezone.now(), event_type="3", answers={})  # risks are not asked it
    service = next(
        q
        for q in organisation_quality(orgs["T2"], user=reader(orgs["T2"])).questions
        if q.question_id == "ServiceArea"
    )
    assert (service.asked, service.answered) == (1, 1)
