"""KH03 bed days, recording rates per 1,000 bed days and the funnel plot."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from events.publication.funnel import position
from events.publication.kh03 import days_in_quarter, kh03_import, quarter_start
from events.publication.models import BedDays, ReleaseCell
from events.publication.services import release_build_due, release_publish
from tests.factories import UserFactory, make_hierarchy
from tests.publication.helpers import in_quarter, published_event

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "kh03" / "kh03-sample.csv"


def test_financial_quarters():
    assert quarter_start("2026-27", "Q3") == dt.date(2026, 10, 1)
    assert quarter_start("2026-27", "q4") == dt.date(2027, 1, 1)
    assert days_in_quarter(dt.date(2026, 10, 1)) == 92


@pytest.mark.django_db
def test_the_sample_file_imports(capsys):
    call_command("import_kh03", str(SAMPLE))
    assert "Imported 20 rows; 0 errors" in capsys.readouterr().out
    leeds = BedDays.objects.get(ods_code="RR8", quarter_start=dt.date(2026, 10, 1))
    assert leeds.bed_days == 1970 * 92


def test_position_against_the_limits():
    assert position(20.0, 20.0, 50).startswith("Within")
    assert position(40.0, 20.0, 50).startswith("Above")
    assert position(None, 20.0, 50) == "Not shown"


@pytest.mark.django_db
def test_rates_use_published_counts_and_show_on_the_funnel_page(client, tmp_path):
    orgs = make_hierarchy()
    when = in_quarter()
    for _ in range(40):
        published_event(orgs["T1"], created=when)
    for _ in range(3):
        published_event(orgs["T2"], created=when)
    quarter = dt.date(when.year, (when.month - 1) // 3 * 3 + 1, 1)
    financial_year = quarter.year if quarter.month >= 4 else quarter.year - 1
    period = {4: "Q1", 7: "Q2", 10: "Q3", 1: "Q4"}[quarter.month]
    path = tmp_path / "kh03.csv"
    path.write_text(
        "Year,Period,Org Code,Org Name,Total\n"
        f"{financial_year}-{(financial_year + 1) % 100:02d},{period},T1,Trust one,100\n"
        f"{financial_year}-{(financial_year + 1) % 100:02d},{period},T2,Trust two,50\n"
    )
    assert kh03_import(path).imported == 2
    release = release_build_due()
    days = days_in_quarter(quarter)
    rate = ReleaseCell.objects.get(release=release, area_code="T1", table="rate")
    assert rate.value == round(40 * 1000 / (100 * days), 1)
    assert ReleaseCell.objects.get(release=release, area_code="T2", table="rate").display == "*"
    national = ReleaseCell.objects.get(release=release, area_code="E92000001", table="rate")
    assert national.value == round(43 * 1000 / (150 * days), 2)
    release_publish(release=release, actor=UserFactory(is_super_admin=True))
    page = client.get(f"/statistics/{release.slug}/trusts/").content.decode()
    assert "Organisation T1" in page and "<svg" in page and "polyline" in page


@pytest.mark.django_db
def test_a_quarter_is_rebuilt_as_a_revised_pre_release_from_the_command(capsys):
    call_command("build_statistics_release", "2026-q2")
    call_command("build_statistics_release", "2026-q2")
    out = capsys.readouterr().out
    assert "Built Q2 2026 (version 1) (provisional)" in out and "(version 2) (revised)" in out
    with pytest.raises(Exception, match="YYYY-qN"):
        call_command("build_statistics_release", "2026-05")
