"""fixtures/ods/ is the demo hierarchy: it must import cleanly into the tree the README describes."""

from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from organisations.models import Organisation
from organisations.selectors import organisations_below
from organisations.services import kind_for_file, ods_import

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ods"

EXPECTED_TREE = {
    "Y63": ("region", None),
    "QWO": ("icb", "Y63"),
    "QHM": ("icb", "Y63"),
    "15F": ("sub_icb_location", "QWO"),
    "36J": ("sub_icb_location", "QWO"),
    "13T": ("sub_icb_location", "QHM"),
    "00L": ("sub_icb_location", "QHM"),
    "RR8": ("nhs_trust", "QWO"),
    "RAE": ("nhs_trust", "QWO"),
    "RTD": ("nhs_trust", "QHM"),
    "RTF": ("nhs_trust", "QHM"),
    "RR801": ("trust_site", "RR8"),
    "RR813": ("trust_site", "RR8"),
    "RAE01": ("trust_site", "RAE"),
    "RAE05": ("trust_site", "RAE"),
    "RTD01": ("trust_site", "RTD"),
    "RTD02": ("trust_site", "RTD"),
    "RTF86": ("trust_site", "RTF"),
    "RTFFS": ("trust_site", "RTF"),
    "B86081": ("gp_practice", "15F"),
    "B86086": ("gp_practice", "15F"),
    "B86095": ("gp_practice", "15F"),
    "B86103": ("gp_practice", "15F"),
    "B86110": ("gp_practice", "15F"),
    "B83052": ("gp_practice", "36J"),
    "B83054": ("gp_practice", "36J"),
    "B83657": ("gp_practice", "36J"),
    "A85001": ("gp_practice", "13T"),
    "A86004": ("gp_practice", "13T"),
    "A86007": ("gp_practice", "13T"),
    "A84030": ("gp_practice", "00L"),
    "A85621": ("other", "13T"),
    "FH542": ("pharmacy", "15F"),
}


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.csv"))


def test_every_fixture_file_is_named_for_its_kind():
    assert {path.name: kind_for_file(path) for path in fixture_files()} == {
        "eccg.csv": "sub_icb_location",
        "eicb.csv": "icb",
        "epharmacy.csv": "pharmacy",
        "epraccur.csv": "gp_practice",
        "eregion.csv": "region",
        "etr.csv": "nhs_trust",
        "ets.csv": "trust_site",
    }


def test_the_fixtures_import_into_the_expected_tree_without_warnings():
    out = StringIO()
    call_command("import_ods", *map(str, fixture_files()), stdout=out, stderr=out, no_color=True)

    assert out.getvalue().splitlines()[-1] == "33 created, 0 updated, 0 unchanged; 0 warnings, 0 errors."
    assert {
        code: (kind, parent)
        for code, kind, parent in Organisation.objects.values_list("ods_code", "kind", "parent__ods_code")
    } == EXPECTED_TREE


def test_the_fixtures_hold_the_organisations_the_demo_relies_on():
    ods_import(fixture_files())

    names = dict(Organisation.objects.values_list("ods_code", "name"))
    assert names["Y63"] == "NHS England North East and Yorkshire"
    assert names["QWO"] == "NHS West Yorkshire Integrated Care Board"
    assert names["QHM"] == "NHS North East and North Cumbria Integrated Care Board"
    assert names["RR8"] == "Leeds Teaching Hospitals NHS Trust"
    assert names["RR813"] == "St James's University Hospital"
    assert names["RR801"] == "Leeds General Infirmary"
    assert names["RAE"] == "Bradford Teaching Hospitals NHS Foundation Trust"
    assert names["RTD"] == "The Newcastle upon Tyne Hospitals NHS Foundation Trust"
    assert names["RTF"] == "Northumbria Healthcare NHS Foundation Trust"

    kinds = Counter(Organisation.objects.values_list("kind", flat=True))
    assert kinds["gp_practice"] >= 10
    for trust in Organisation.objects.filter(kind="nhs_trust"):
        assert trust.children.filter(kind="trust_site").count() >= 2
    assert Organisation.objects.get(ods_code="B86095").status == "C"

    region = Organisation.objects.get(ods_code="Y63")
    assert organisations_below(region).count() == len(EXPECTED_TREE) - 1


def test_importing_the_fixtures_again_changes_nothing():
    ods_import(fixture_files())

    report = ods_import(fixture_files())

    assert (report.created, report.updated, report.unchanged) == (0, 0, 33)
