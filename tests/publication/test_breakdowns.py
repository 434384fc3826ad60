"""The care setting from the record's own answers, and month-by-type and month-by-harm trends with
their chart, table and CSV (issue 16)."""

import csv
import datetime as dt
import io

import pytest

from events.publication import tables as t
from events.publication.areas import ENGLAND
from events.publication.models import ReleaseCell
from events.publication.services import release_build_due, release_publish
from organisations.models import OrganisationKind
from tests.factories import UserFactory, make_hierarchy
from tests.publication.helpers import in_quarter, published_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def release():
    orgs = make_hierarchy()
    when = in_quarter()
    earlier = when - dt.timedelta(days=100)
    # A trust (secondary care by its kind) whose records name the services themselves.
    assert orgs["T1"].kind == OrganisationKind.NHS_TRUST
    for _ in range(9):
        published_event(orgs["T1"], created=when, answers={"ServiceArea": ["17"]})  # GP services
    for _ in range(4):
        published_event(orgs["T1"], created=when, answers={"ServiceArea": ["1", "19"]})
    for _ in range(2):
        published_event(
            orgs["T1"], created=earlier, event_type="3", physical=None, answers={"RiskServiceArea": ["4"]}
        )
    published_event(orgs["U1"], created=earlier, event_type="4", physical=None, answers={})
    release = release_build_due()
    release_publish(release=release, actor=UserFactory(is_super_admin=True))
    return release


def cells(release, code, table) -> dict[str, ReleaseCell]:
    return {c.category: c for c in ReleaseCell.objects.filter(release=release, area_code=code, table=table)}


def test_the_care_setting_is_the_records_services_not_the_organisations_kind(release):
    national = {code: cell.value for code, cell in cells(release, ENGLAND, t.CARE_SETTING.key).items()}
    assert national["17"] == 9  # GP services, although recorded by a trust
    assert national[t.SEVERAL_SERVICES] == 4  # acute and maternity: once, as "more than one"
    assert national["4"] == 2  # a risk's RiskServiceArea
    assert national[t.NOT_RECORDED] == 1
    assert national["1"] == national["19"] == 0
    assert sum(national.values()) == release.record_count  # additive: every record once
    labels = t.categories(t.CARE_SETTING, release.period_start)
    assert labels["17"].startswith("GP") and labels[t.SEVERAL_SERVICES] == "More than one service"
    t1 = cells(release, "T1", t.CARE_SETTING.key)
    assert t1["17"].display == "10" and t1[t.SEVERAL_SERVICES].display == "*"  # sub-national rule


def test_month_by_type_and_by_harm_add_up_to_the_months_and_the_types(release):
    months = t.months(release.period_start)
    for split, by in ((t.RECORDED_MONTH_BY_TYPE, t.EVENT_TYPE), (t.RECORDED_MONTH_BY_HARM, t.PHYSICAL_HARM)):
        national = cells(release, ENGLAND, split.key)
        assert len(national) == len(months) * len(t.categories(by, release.period_start))
        monthly = cells(release, ENGLAND, t.RECORDED_MONTH.key)
        for month in months:
            in_month = [c.value for k, c in national.items() if k.startswith(f"{month}:")]
            assert sum(in_month) == monthly[month].value, (split.key, month)
        totals = cells(release, ENGLAND, by.key)
        for code, total in totals.items():
            assert sum(national[t.split_category(m, code)].value for m in months) == total.value
    quarter_month = f"{in_quarter():%Y-%m}"
    by_type = cells(release, ENGLAND, t.RECORDED_MONTH_BY_TYPE.key)
    assert by_type[t.split_category(quarter_month, "1")].value == 13
    assert (
        cells(release, "T1", t.RECORDED_MONTH_BY_TYPE.key)[t.split_category(quarter_month, "1")].display
        == "15"
    )


def test_the_area_page_shows_each_split_as_chart_table_and_csv(release, client):
    page = client.get(f"/statistics/{release.slug}/area/T1/").content.decode()
    for split in t.SPLIT_MONTHLY:
        assert f'<h3 class="govuk-heading-m">{split.title}</h3>' in page
        assert f'aria-labelledby="chart-{split.key}-title"' in page
        assert f"/statistics/{release.slug}/area/T1/{split.key}.csv" in page
    assert "Month recorded" in page and "Incident" in page and "Care setting or service involved" in page
    response = client.get(f"/statistics/{release.slug}/area/T1/{t.RECORDED_MONTH_BY_TYPE.key}.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    quarter_month = f"{in_quarter():%Y-%m}"
    row = next(r for r in rows if r["category"] == t.split_category(quarter_month, "1"))
    assert (row["level"], row["value"], row["status"]) == ("organisation", "15", "rounded")
    assert row["category_label"] == f"{t.month_label(quarter_month)}: Incident"
    assert {r["status"] for r in rows} <= {"zero", "rounded", "suppressed"}
