from datetime import date

import pytest

from organisations.models import OrganisationStatus
from organisations.ods import OdsFileError, OdsRow, OdsRowError, parse_ods_text, read_ods_file

from .ods_files import ods_row, ods_text, write_ods_file

TODAY = date(2025, 6, 1)


def parse(text: str) -> list[OdsRow | OdsRowError]:
    return list(parse_ods_text(text, source="test.csv", today=TODAY))


def errors(items) -> list[tuple[int, str]]:
    return [(item.line, item.reason) for item in items if isinstance(item, OdsRowError)]


def test_a_practice_row_becomes_a_typed_row():
    fields = ods_row(
        "b86081",
        "Bellbrooke Surgery",
        national_grouping="Y63",
        health_geography="qwo",
        address=("Bellbrooke Surgery", "Bellbrooke Avenue, Harehills", "Leeds"),
        postcode="ls9 6au",
        open_date="19740401",
        commissioner="15F",
        prescribing_setting="4",
    )
    fields[13] = "B"
    fields[15] = "20180401"
    fields[17] = "0113 8879565"
    fields[21] = "0"
    fields[23] = "15F"

    [row] = parse(ods_text([fields]))

    assert row == OdsRow(
        source="test.csv",
        line=1,
        code="B86081",
        name="Bellbrooke Surgery",
        national_grouping="Y63",
        health_geography="QWO",
        address_lines=("Bellbrooke Surgery", "Bellbrooke Avenue, Harehills", "Leeds", "", ""),
        postcode="LS9 6AU",
        open_date=date(1974, 4, 1),
        close_date=None,
        status=OrganisationStatus.ACTIVE,
        sub_type="B",
        commissioner="15F",
        join_date=date(2018, 4, 1),
        left_date=None,
        telephone="0113 8879565",
        amended="0",
        provider_purchaser="15F",
        prescribing_setting=4,
    )


def test_fields_are_trimmed_and_the_status_code_is_case_insensitive():
    fields = ods_row(
        " RR8 ",
        "  Leeds Teaching Hospitals NHS Trust ",
        status="c",
        open_date="19980401",
        close_date="20200101",
    )

    [row] = parse(ods_text([fields]))

    assert (row.code, row.name, row.status) == ("RR8", "Leeds Teaching Hospitals NHS Trust", "C")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (ods_row("RR8")[:26], "expected 27 columns, found 26"),
        ([*ods_row("RR8"), ""], "expected 27 columns, found 28"),
        (ods_row(""), "the organisation code (column 1) is empty"),
        (ods_row("RR 8"), "organisation code 'RR 8' is not a valid ODS code"),
        (ods_row("ABCDEFGHIJKLM"), "organisation code 'ABCDEFGHIJKLM' is not a valid ODS code"),
        (ods_row("RR8", " "), "organisation RR8 has no name (column 2)"),
        (ods_row("RR8", "x" * 256), "the name of RR8 is longer than 255 characters"),
        (ods_row("RR8", status="X"), "unknown status code 'X' (column 13); expected one of A, C, D, P"),
        (
            ods_row("RR8", open_date="2020-04-01"),
            "open date '2020-04-01' (column 11) is not a date in YYYYMMDD form",
        ),
        (
            ods_row("RR8", close_date="20201399"),
            "close date '20201399' (column 12) is not a date in YYYYMMDD form",
        ),
        (
            ods_row("RR8", open_date="20200401", close_date="20190401"),
            "close date 20190401 is before open date 20200401",
        ),
        (ods_row("RR8", prescribing_setting="GP"), "prescribing setting 'GP' (column 26) is not a number"),
        (ods_row("RR8", postcode="LS9 7TF LS9 7TF"), "postcode 'LS9 7TF LS9 7TF' of RR8 is too long"),
    ],
)
def test_a_bad_row_is_reported_with_its_reason(fields, reason):
    assert errors(parse(ods_text([fields]))) == [(1, reason)]


def test_bad_rows_carry_their_line_number_and_do_not_stop_the_rest():
    text = ods_text(
        [
            ods_row("RR8"),
            ods_row("RAE", status="Z"),
            ods_row("RTD"),
            ods_row("", "Nameless"),
            ods_row("RTF")[:5],
            ods_row("RX8", open_date="31/12/1999"),
            ods_row("RWA"),
        ]
    )

    items = parse(text)

    assert [item.code for item in items if isinstance(item, OdsRow)] == ["RR8", "RTD", "RWA"]
    assert [line for line, _ in errors(items)] == [2, 4, 5, 6]
    assert all(item.source == "test.csv" for item in items)
    assert str(items[1]) == "test.csv:2: unknown status code 'Z' (column 13); expected one of A, C, D, P"


def test_quoted_fields_may_hold_commas_quotes_and_line_breaks():
    text = ods_text(
        [
            ods_row("B86103", 'Conway "Medical", Centre', address=("51-53 Conway Place,\nLeeds",)),
            ods_row("RR8", status="?"),
        ]
    )

    first, second = parse(text)

    assert first.name == 'Conway "Medical", Centre'
    assert first.address_lines[0] == "51-53 Conway Place,\nLeeds"
    # The first row spans lines 1-2, so the bad row starts on line 3.
    assert (second.line, second.reason.startswith("unknown status")) == (3, True)


def test_a_byte_order_mark_and_windows_line_endings_are_understood(tmp_path):
    path = write_ods_file(
        tmp_path / "etr.csv",
        [ods_row("RR8"), ods_row("RAE"), ods_row("RTD", status="Q")],
        line_ending="\r\n",
        byte_order_mark=True,
    )

    items = list(read_ods_file(path, today=TODAY))

    assert [item.code for item in items if isinstance(item, OdsRow)] == ["RR8", "RAE"]
    assert errors(items) == [(3, "unknown status code 'Q' (column 13); expected one of A, C, D, P")]
    assert items[0].source == "etr.csv"
    assert items[0].prescribing_setting is None


def test_unquoted_fields_and_blank_lines_are_fine():
    text = "\n".join([",".join(ods_row("RR8")), "", "   ", ",".join(ods_row("RAE", status="?")), ""])

    items = parse(text)

    assert items[0].code == "RR8"
    assert errors(items) == [(4, "unknown status code '?' (column 13); expected one of A, C, D, P")]


@pytest.mark.parametrize(
    ("close_date", "status"),
    [
        ("", OrganisationStatus.ACTIVE),
        ("20250531", OrganisationStatus.CLOSED),
        ("20250601", "C"),
        ("20250602", "A"),
    ],
)
def test_a_blank_status_follows_the_close_date(close_date, status):
    # etr.csv and ets.csv leave column 13 blank.
    [row] = parse(ods_text([ods_row("RR8", status="", open_date="", close_date=close_date)]))

    assert row.status == status


def test_a_missing_file_cannot_be_read(tmp_path):
    with pytest.raises(OdsFileError) as raised:
        read_ods_file(tmp_path / "etr.csv")

    assert raised.value.source == "etr.csv"


def test_a_file_saved_as_windows_1252_is_still_read(tmp_path):
    path = tmp_path / "epraccur.csv"
    path.write_bytes(ods_text([ods_row("A81001", "Café Surgery")]).encode("cp1252"))

    [row] = read_ods_file(path, today=TODAY)

    assert row.name == "Café Surgery"


def test_an_unbalanced_quote_is_a_bad_row_not_a_crash():
    text = ods_text([ods_row("RR8")]) + '"RAE","Bradford\n' + ods_text([ods_row("RTD")])

    items = parse(text)

    assert items[0].code == "RR8"
    assert [line for line, _ in errors(items)] == [2]
