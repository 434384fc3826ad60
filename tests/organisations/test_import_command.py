from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from organisations.management.commands.import_ods import Command
from organisations.models import Organisation

from .ods_files import ods_row, write_ods_file

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("import_ods", *args, stdout=stdout, stderr=stderr, no_color=True)
    return stdout.getvalue(), stderr.getvalue()


def test_the_summary_counts_what_was_done(tmp_path):
    trusts = write_ods_file(tmp_path / "etr.csv", [ods_row("RR8"), ods_row("RAE")])
    sites = write_ods_file(tmp_path / "ets.csv", [ods_row("RR801"), ods_row("RR813")])

    out, err = run(str(trusts), str(sites))

    assert out.splitlines() == [
        "Read 4 rows from 2 of 2 files (NHS trust 2, Trust site 2).",
        "4 created, 0 updated, 0 unchanged; 0 warnings, 0 errors.",
    ]
    assert err == ""
    assert Organisation.objects.get(ods_code="RR813").parent.ods_code == "RR8"


def test_warnings_and_errors_are_listed_with_file_and_line(tmp_path):
    trusts = write_ods_file(tmp_path / "etr.csv", [ods_row("RR8"), ods_row("RAE", status="Z")])
    sites = write_ods_file(tmp_path / "ets.csv", [ods_row("RTD01")])
    run(str(trusts))

    out, err = run(str(trusts), str(sites))

    assert out.splitlines()[-1] == "1 created, 0 updated, 1 unchanged; 1 warning, 1 error."
    assert err.splitlines() == [
        "Error: etr.csv:2: unknown status code 'Z' (column 13); expected one of A, C, D, P",
        "Warning: ets.csv:1: parent RTD of RTD01 (the first 3 characters of the code) is not a known "
        "organisation; RTD01 is left without a parent",
    ]


def test_the_kind_option_applies_to_every_file(tmp_path):
    path = write_ods_file(tmp_path / "providers.csv", [ods_row("NT3", "Spire Healthcare")])

    out, _ = run(str(path), "--kind", "independent_provider")

    assert "(Independent provider 1)" in out
    assert Organisation.objects.get(ods_code="NT3").kind == "independent_provider"


def test_an_unknown_kind_is_refused(tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'hospital'"):
        run(str(tmp_path / "etr.csv"), "--kind", "hospital")


def test_it_fails_only_when_nothing_could_be_read(tmp_path):
    with pytest.raises(CommandError, match="Nothing could be read"):
        run(str(tmp_path / "etr.csv"), str(tmp_path / "unknown.csv"))


def test_the_exit_status_is_non_zero_only_when_nothing_could_be_read(tmp_path, capsys, monkeypatch):
    # run_from_argv closes the database connections when done, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    good = write_ods_file(tmp_path / "etr.csv", [ods_row("RR8"), ods_row("RAE", status="?")])

    Command().run_from_argv(["manage.py", "import_ods", str(good), str(tmp_path / "missing.csv")])
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "import_ods", str(tmp_path / "missing.csv")])

    assert exited.value.code == 1
    assert "etr.csv:2: unknown status code" in capsys.readouterr().err


def test_long_lists_of_problems_are_cut_short_unless_asked(tmp_path):
    path = write_ods_file(tmp_path / "ets.csv", [ods_row(f"XX{n:03d}") for n in range(60)])

    _, short = run(str(path))
    _, full = run(str(path), "--verbosity", "2")

    assert len(short.splitlines()) == 51
    assert short.splitlines()[-1] == "... and 10 more warnings (--verbosity 2 lists them all)"
    assert len(full.splitlines()) == 60
