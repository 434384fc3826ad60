"""Build ODS CSV files for tests: one `ods_row(...)` per organisation, written by `write_ods_file`."""

import csv
import io
from pathlib import Path

COLUMNS = 27


def ods_row(
    code: str,
    name: str = "",
    *,
    national_grouping: str = "",
    health_geography: str = "",
    address: tuple[str, ...] = (),
    postcode: str = "",
    open_date: str = "20200401",
    close_date: str = "",
    status: str = "A",
    commissioner: str = "",
    prescribing_setting: str = "",
) -> list[str]:
    """The 27 columns of one row, in the standard ODS order (docs/spec/taxonomy.md §4.4)."""
    fields = [""] * COLUMNS
    fields[0] = code
    fields[1] = name or f"Organisation {code}"
    fields[2] = national_grouping
    fields[3] = health_geography
    fields[4 : 4 + len(address)] = address
    fields[9] = postcode
    fields[10] = open_date
    fields[11] = close_date
    fields[12] = status
    fields[14] = commissioner
    fields[25] = prescribing_setting
    return fields


def ods_text(rows: list[list[str]], *, line_ending: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator=line_ending).writerows(rows)
    return buffer.getvalue()


def write_ods_file(
    path: Path, rows: list[list[str]], *, line_ending: str = "\n", byte_order_mark: bool = False
) -> Path:
    text = ods_text(rows, line_ending=line_ending)
    path.write_bytes((b"\xef\xbb\xbf" if byte_order_mark else b"") + text.encode("utf-8"))
    return path
