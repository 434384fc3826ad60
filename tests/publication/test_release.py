"""Building, previewing, publishing and revising releases; the public pages and files read them."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.publication import tables as t
from events.publication.areas import ENGLAND
from events.publication.models import ReleaseAuditEntry, ReleaseCell
from events.publication.services import release_build, release_build_due, release_publish
from tests.factories import UserFactory, make_hierarchy
from tests.publication.helpers import in_quarter, published_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def hierarchy():
    orgs = make_hierarchy()
    when = in_quarter()
    for _ in range(23):
        published_event(orgs["T1S"], created=when)
    for _ in range(3):
        published_event(
            orgs["T2"], created=when, event_type="3", physical=None, psychological=None, agents=()
        )
    for _ in range(12):
        published_event(orgs["U1"], created=when, physical=1)
    published_event(orgs["U1"], created=when, visible=False)  # redaction not complete: not counted
    return orgs


def cell(release, code, table, category=t.ALL):
    return ReleaseCell.objects.get(release=release, area_code=code, table=table, category=category)


def test_build_counts_visible_records_and_applies_the_rule(hierarchy):
    release = release_build_due()
    assert release.record_count == 38
    assert cell(release, ENGLAND, "total").display == "38"  # national: exact
    assert cell(release, "T1", "total").display == "25"  # 23 at the trust's site, rounded
    assert cell(release, "T2", "total").display == "*"
    assert cell(release, "Q2", "physical_harm", "1").display == "10"
    assert cell(release, ENGLAND, "event_type", "3").display == "3"
    assert release_build_due() is None  # once per quarter
    assert not release.is_published


def test_only_super_admins_publish_and_preview_is_audited(hierarchy, client):
    release = release_build_due()
    with pytest.raises(PermissionDenied):
        release_publish(release=release, actor=UserFactory())
    assert client.get(f"/statistics/{release.slug}/").status_code == 404
    admin = UserFactory(is_super_admin=True)
    client.force_login(admin)
    assert client.get(f"/statistics/pre-release/{release.pk}/").status_code == 200
    assert client.post(f"/statistics/pre-release/{release.pk}/publish/").status_code == 302
    actions = list(release.audit_entries.values_list("action", "actor_email"))
    assert actions == [
        (ReleaseAuditEntry.Action.BUILT, ""),
        (ReleaseAuditEntry.Action.PRE_RELEASE_VIEWED, admin.email),
        (ReleaseAuditEntry.Action.PUBLISHED, admin.email),
    ]


def test_a_rebuilt_quarter_is_a_revised_release_saying_what_changed(hierarchy):
    first = release_build_due()
    for _ in range(10):
        published_event(hierarchy["T2"], created=in_quarter(day=20))
    revised = release_build(quarter_start=first.quarter_start)
    assert (revised.version, revised.label, first.label) == (2, "Revised", "Provisional")
    assert revised.changes["changed_count"] > 0
    assert revised.changes["examples"][0]["area"] == "England"
    assert cell(first, "T2", "total").display == "*"  # the first release never changes


def test_public_pages_files_and_bad_input(hierarchy, client):
    release = release_build_due()
    release_publish(release=release, actor=UserFactory(is_super_admin=True))
    slug = release.slug
    for url in (
        "/statistics/",
        f"/statistics/{slug}/",
        f"/statistics/{slug}/area/Q1/",
        f"/statistics/{slug}/area/t1/",
        "/statistics/calendar/",
    ):
        assert client.get(url).status_code == 200, url
    for url in (
        f"/statistics/{slug}/area/NOPE/",
        "/statistics/2001-q1/",
        "/statistics/latest-ish/",
        f"/statistics/{slug}/v7/data.csv",
        f"/statistics/{slug}/area/Q1/nope.csv",
    ):
        assert client.get(url).status_code == 404, url
    rows = list(csv.DictReader(io.StringIO(client.get(f"/statistics/{slug}/v1/data.csv").content.decode())))
    assert {r["level"] for r in rows} == {"national", "region", "icb", "organisation"}
    assert all(r["status"] != "small" and r["status"] != "protected" for r in rows)
    t2 = next(r for r in rows if r["area_code"] == "T2" and r["table"] == "total")
    assert (t2["value"], t2["area_name"], t2["status"]) == ("*", "Organisation T2", "suppressed")
    document = client.get(f"/statistics/{slug}/v1/data.json").json()
    assert document["licence"]["name"] == "Open Government Licence v3.0"
    assert len(document["cells"]) == len(rows)


def test_public_pages_read_stored_cells_only(hierarchy, client):
    release = release_build_due()
    release_publish(release=release, actor=UserFactory(is_super_admin=True))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/statistics/{release.slug}/area/Q1/")
    assert "Organisation T1" in response.content.decode()
    assert len(queries) <= 10
    assert not [q for q in queries.captured_queries if "events_event" in q["sql"]]


def test_the_demo_publishes_a_release_with_generated_history(settings):
    from lfpse.demo import demo_data_load, demo_statistics_load

    settings.PUBLICATION_DEMO_HISTORY = 600
    demo_data_load()
    release = demo_statistics_load()
    assert release.is_published and release.record_count > 300
    assert cell(release, "RR8", "rate").status in {"rounded", "small", "protected"}
    acute = cell(release, ENGLAND, t.CARE_SETTING.key, "1").value
    assert acute > release.record_count / 3  # the care setting comes from the generated answers
    assert cell(release, ENGLAND, t.CARE_SETTING.key, t.NOT_RECORDED).value == 0
    assert demo_statistics_load() is None  # once


def test_month_pages_and_malformed_months(hierarchy, client):
    release = release_build_due()
    release_publish(release=release, actor=UserFactory(is_super_admin=True))
    month = f"{release.quarter_start:%Y-%m}"
    page = client.get(f"/statistics/{release.slug}/area/Q1/months/{month}/")
    assert page.status_code == 200 and "Records made in" in page.content.decode()
    for bad in ("2026-13", "june", "1999-01", "2026-1"):
        response = client.get(f"/statistics/{release.slug}/area/Q1/months/{bad}/")
        assert response.status_code == 404, bad


def test_the_scheduled_task_builds_the_due_release(hierarchy):
    from events.publication.tasks import release_build_due_task

    assert release_build_due_task().startswith("Q")
    assert release_build_due_task() == "nothing due"
