import pytest
from django.db.models import QuerySet

from organisations.models import Organisation, OrganisationKind, OrganisationStatus
from organisations.selectors import organisations_search
from organisations.services import ImportProblem, kind_for_file, ods_import

from .ods_files import ods_row, write_ods_file

pytestmark = pytest.mark.django_db


def parents() -> dict[str, str | None]:
    return {
        code: parent
        for code, parent in Organisation.objects.values_list("ods_code", "parent__ods_code").order_by(
            "ods_code"
        )
    }


def kinds() -> dict[str, str]:
    return dict(Organisation.objects.values_list("ods_code", "kind"))


@pytest.fixture
def hierarchy_files(tmp_path):
    """One file per kind, as ODS publishes them, for one region down to a pharmacy."""
    return [
        write_ods_file(tmp_path / "eregion.csv", [ods_row("Y63", "NHS England North East and Yorkshire")]),
        write_ods_file(
            tmp_path / "eicb.csv",
            [ods_row("QWO", "NHS West Yorkshire Integrated Care Board", national_grouping="Y63")],
        ),
        write_ods_file(
            tmp_path / "eccg.csv",
            [ods_row("15F", "NHS West Yorkshire ICB - 15F", national_grouping="Y63", health_geography="QWO")],
        ),
        write_ods_file(
            tmp_path / "etr.csv",
            [
                ods_row(
                    "RR8",
                    "Leeds Teaching Hospitals NHS Trust",
                    national_grouping="Y63",
                    health_geography="QWO",
                )
            ],
        ),
        write_ods_file(
            tmp_path / "ets.csv",
            [
                ods_row("RR801", "Leeds General Infirmary", health_geography="QWO"),
                # Column 15, when given, names the trust a site belongs to, whatever its code says.
                ods_row("RGD05", "Site run by Leeds Teaching Hospitals", commissioner="RR8"),
            ],
        ),
        write_ods_file(
            tmp_path / "epraccur.csv",
            [
                ods_row(
                    "B86081",
                    "Bellbrooke Surgery",
                    national_grouping="Y63",
                    health_geography="QWO",
                    commissioner="15F",
                    prescribing_setting="4",
                ),
                ods_row(
                    "B86681",
                    "Leeds Musculoskeletal Service",
                    health_geography="QWO",
                    commissioner="15F",
                    prescribing_setting="9",
                ),
            ],
        ),
        write_ods_file(
            tmp_path / "epharmacy.csv",
            [
                ods_row("FH542", "Cohens Chemist", health_geography="QWO", commissioner="15F"),
                ods_row("FA001", "Pharmacy known only by its ICB", health_geography="QWO"),
            ],
        ),
    ]


def test_every_kind_is_linked_to_its_parent(hierarchy_files):
    report = ods_import(hierarchy_files)

    assert (report.created, report.updated, report.unchanged) == (10, 0, 0)
    assert report.warnings == report.errors == []
    assert parents() == {
        "Y63": None,
        "QWO": "Y63",
        "15F": "QWO",
        "RR8": "QWO",
        "RR801": "RR8",
        "RGD05": "RR8",
        "B86081": "15F",
        "B86681": "15F",
        "FH542": "15F",
        "FA001": "QWO",
    }
    assert kinds() == {
        "Y63": "region",
        "QWO": "icb",
        "15F": "sub_icb_location",
        "RR8": "nhs_trust",
        "RR801": "trust_site",
        "RGD05": "trust_site",
        "B86081": "gp_practice",
        "B86681": "other",
        "FH542": "pharmacy",
        "FA001": "pharmacy",
    }
    assert report.kinds == {
        "region": 1,
        "icb": 1,
        "sub_icb_location": 1,
        "nhs_trust": 1,
        "trust_site": 2,
        "gp_practice": 1,
        "other": 1,
        "pharmacy": 2,
    }


def test_parents_may_come_later_in_the_same_call(hierarchy_files):
    report = ods_import(list(reversed(hierarchy_files)))

    assert report.warnings == []
    assert parents()["B86081"] == "15F"
    assert parents()["RR801"] == "RR8"


def test_parents_may_come_from_an_earlier_import(hierarchy_files):
    ods_import(hierarchy_files[:4])

    report = ods_import(hierarchy_files[4:])

    assert report.warnings == []
    assert (report.created, report.updated, report.unchanged) == (6, 0, 0)
    assert parents()["RR801"] == "RR8"
    assert parents()["FH542"] == "15F"


def test_an_unknown_parent_is_left_empty_and_reported(tmp_path):
    path = write_ods_file(
        tmp_path / "etr.csv",
        [ods_row("RR8", "Leeds Teaching Hospitals NHS Trust"), ods_row("RAE", health_geography="QXX")],
    )

    report = ods_import([path])

    assert parents() == {"RAE": None, "RR8": None}
    assert [str(warning) for warning in report.warnings] == [
        "etr.csv:2: parent QXX of RAE (column 4) is not a known organisation; RAE is left without a parent"
    ]


def test_a_site_without_a_trust_code_in_column_15_belongs_to_the_trust_its_code_starts_with(tmp_path):
    path = write_ods_file(tmp_path / "ets.csv", [ods_row("RR813", "St James's University Hospital")])

    report = ods_import([path])

    assert [warning.message for warning in report.warnings] == [
        "parent RR8 of RR813 (the first 3 characters of the code) is not a known organisation; "
        "RR813 is left without a parent"
    ]


def test_reimporting_updates_organisations_in_place(tmp_path, hierarchy_files):
    ods_import(hierarchy_files)
    before = dict(Organisation.objects.values_list("ods_code", "id"))
    stamps = dict(Organisation.objects.values_list("ods_code", "updated_at"))
    changed = write_ods_file(
        tmp_path / "epraccur.csv",
        [
            ods_row(
                "B86081",
                "Bellbrooke Surgery (renamed)",
                postcode="LS9 6AU",
                status="C",
                close_date="20240331",
                commissioner="QWO",
                prescribing_setting="4",
            ),
            # Now a GP practice rather than a community service: its kind changes.
            ods_row("B86681", "Leeds Musculoskeletal Service", commissioner="15F", prescribing_setting="4"),
        ],
    )

    report = ods_import([*hierarchy_files[:-2], changed, hierarchy_files[-1]])

    assert (report.created, report.updated, report.unchanged) == (0, 2, 8)
    assert dict(Organisation.objects.values_list("ods_code", "id")) == before
    practice = Organisation.objects.get(ods_code="B86081")
    assert (practice.name, practice.postcode, practice.status, practice.parent.ods_code) == (
        "Bellbrooke Surgery (renamed)",
        "LS9 6AU",
        OrganisationStatus.CLOSED,
        "QWO",
    )
    assert Organisation.objects.get(ods_code="B86681").kind == OrganisationKind.GP_PRACTICE
    assert practice.updated_at > stamps["B86081"]
    assert Organisation.objects.get(ods_code="RR8").updated_at == stamps["RR8"]


def test_reimporting_the_same_files_changes_nothing(hierarchy_files):
    ods_import(hierarchy_files)

    report = ods_import(hierarchy_files)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 10)
    assert Organisation.objects.count() == 10


def test_a_parent_can_be_removed(tmp_path, hierarchy_files):
    ods_import(hierarchy_files)
    orphan = write_ods_file(tmp_path / "etr.csv", [ods_row("RR8", "Leeds Teaching Hospitals NHS Trust")])

    ods_import([orphan])

    assert parents()["RR8"] is None


def test_closed_organisations_are_imported_closed_and_kept_in_the_tree(tmp_path, hierarchy_files):
    closed = write_ods_file(
        tmp_path / "epraccur.csv",
        [
            ods_row("B86095", "Shafton Lane Surgery", status="C", close_date="20200731", commissioner="15F"),
            ods_row("B86100", "St Martins Practice", status="D", commissioner="15F"),
        ],
    )
    site_closed_by_date = write_ods_file(
        tmp_path / "ets.csv",
        [ods_row("RR899", "Old Leeds site", status="", close_date="20100331", open_date="")],
    )

    ods_import([*hierarchy_files[:4], closed, site_closed_by_date])

    statuses = dict(Organisation.objects.values_list("ods_code", "status"))
    assert (statuses["B86095"], statuses["B86100"], statuses["RR899"]) == ("C", "D", "C")
    assert parents()["B86095"] == "15F"
    assert parents()["RR899"] == "RR8"
    assert list(organisations_search("Shafton")) == []


def test_bad_rows_are_reported_and_the_rest_imported(tmp_path):
    path = write_ods_file(
        tmp_path / "etr.csv",
        [ods_row("RR8"), ods_row("RAE", status="Z"), ods_row("RTD")[:20], ods_row("RTF")],
    )

    report = ods_import([path])

    assert sorted(kinds()) == ["RR8", "RTF"]
    assert report.rows_read == 2
    assert report.errors == [
        ImportProblem("etr.csv", 2, "unknown status code 'Z' (column 13); expected one of A, C, D, P"),
        ImportProblem("etr.csv", 3, "expected 27 columns, found 20"),
    ]


def test_a_code_listed_twice_keeps_the_later_row_and_says_so(tmp_path):
    first = write_ods_file(tmp_path / "etr.csv", [ods_row("RR8", "First name")])
    second = write_ods_file(tmp_path / "etr-2.csv", [ods_row("RR9"), ods_row("RR8", "Second name")])

    report = ods_import([first, second])

    assert Organisation.objects.get(ods_code="RR8").name == "Second name"
    assert [str(warning) for warning in report.warnings] == [
        "etr-2.csv:2: RR8 is also at etr.csv:1; this later row is used"
    ]


def test_parent_links_that_form_a_loop_are_cut(tmp_path):
    path = write_ods_file(
        tmp_path / "others.csv",
        [
            ods_row("AAA1", commissioner="BBB1"),
            ods_row("BBB1", commissioner="CCC1"),
            ods_row("CCC1", commissioner="AAA1"),
        ],
    )

    report = ods_import([path], kind="other")

    assert list(parents().values()).count(None) == 1
    assert [warning.message for warning in report.warnings] == [
        "parents of AAA1 → BBB1 → CCC1 → AAA1 form a loop; CCC1 is left without a parent"
    ]


def test_the_kind_option_overrides_the_file_name(tmp_path, hierarchy_files):
    providers = write_ods_file(
        tmp_path / "independent.csv", [ods_row("NT3", "Spire Healthcare", commissioner="QWO")]
    )
    practices = write_ods_file(
        tmp_path / "epraccur.csv", [ods_row("Y03508", "Out of hours service", prescribing_setting="2")]
    )

    ods_import([providers], kind="independent_provider")
    ods_import([practices], kind=OrganisationKind.GP_PRACTICE)

    assert kinds() == {"NT3": "independent_provider", "Y03508": "gp_practice"}


def test_a_file_whose_kind_cannot_be_told_is_an_error(tmp_path):
    path = write_ods_file(tmp_path / "organisations.csv", [ods_row("RR8")])

    report = ods_import([path])

    assert report.nothing_read
    assert Organisation.objects.count() == 0
    assert report.errors[0].source == "organisations.csv"
    assert report.errors[0].line is None
    assert "use --kind" in report.errors[0].message


def test_a_missing_file_is_an_error_but_the_others_are_imported(tmp_path):
    present = write_ods_file(tmp_path / "etr.csv", [ods_row("RR8")])

    report = ods_import([tmp_path / "ets.csv", present])

    assert report.files == ["etr.csv"]
    assert [str(error).split(":")[0] for error in report.errors] == ["ets.csv"]
    assert report.rows_read == 1
    assert not report.nothing_read


def test_a_single_path_is_a_list_of_one(tmp_path):
    report = ods_import(write_ods_file(tmp_path / "etr.csv", [ods_row("RR8")]))

    assert report.created == 1


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown organisation kind 'hospital'"):
        ods_import([], kind="hospital")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("etr.csv", "nhs_trust"),
        ("ETS.CSV", "trust_site"),
        ("epraccur-2025-06.csv", "gp_practice"),
        ("eccg.csv", "sub_icb_location"),
        ("eicb.csv", "icb"),
        ("eregion.csv", "region"),
        ("epharmacy.csv", "pharmacy"),
        ("edispensary.csv", "pharmacy"),
        ("eccgsite.csv", None),
        ("etrust.csv", None),
        ("notes.txt", None),
    ],
)
def test_the_kind_follows_the_file_name(name, kind):
    assert kind_for_file(f"/some/where/{name}") == kind


def test_the_import_runs_in_one_transaction(tmp_path, monkeypatch):
    ods_import([write_ods_file(tmp_path / "etr.csv", [ods_row("RR8", "Old name")])])
    path = write_ods_file(tmp_path / "etr.csv", [ods_row("RR8", "New name"), ods_row("RAE")])

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(QuerySet, "bulk_update", fail)
    with pytest.raises(RuntimeError):
        ods_import([path])

    assert list(Organisation.objects.values_list("ods_code", "name")) == [("RR8", "Old name")]


def test_thousands_of_rows_take_a_handful_of_queries(tmp_path, django_assert_max_num_queries):
    sub_icbs = write_ods_file(tmp_path / "eccg.csv", [ods_row(f"{n:02d}A") for n in range(10)])
    practices = write_ods_file(
        tmp_path / "epraccur.csv",
        [ods_row(f"P{n:05d}", commissioner=f"{n % 10:02d}A", prescribing_setting="4") for n in range(3000)],
    )

    with django_assert_max_num_queries(40):
        report = ods_import([practices, sub_icbs])

    assert report.created == 3010
    assert report.warnings == []
    assert Organisation.objects.filter(parent__ods_code="07A").count() == 300
