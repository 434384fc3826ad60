"""Download event data: the download page, the streamed CSV, its columns, redaction and formulas."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType
from events import csv_export
from events.csv_export import CsvLayout, neutralise
from events.models import Event
from events.organisation_services import event_statutory_update
from events.questionnaire import load_question_set
from tests.events.test_organisation_support import (
    RAW_DESCRIPTION,
    REDACTED_DESCRIPTION,
    member,
    processed_event,
)
from tests.factories import make_hierarchy

pytestmark = pytest.mark.django_db
DOWNLOAD = reverse("events:download")
CSV = reverse("events:download_csv")


@pytest.fixture
def hierarchy(db):
    return make_hierarchy()


@pytest.fixture
def recorder(hierarchy):
    return member(hierarchy["T1"], AccountType.STANDARD, first_name="Nia", last_name="Okafor")


def rows(response) -> list[dict[str, str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Medications", "Medications"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised(cell, safe):
    assert neutralise(cell) == safe


def test_the_csv_has_stable_codes_and_redacted_text_only(client, hierarchy, recorder):
    admin = member(hierarchy["T1"], AccountType.ADMIN)
    client.force_login(admin)
    event = processed_event(recorder, "T1")
    event_statutory_update(event=event, actor=admin, answers={"DutyOfCandour": "y", "CqcNotify": "n"})
    response = client.get(CSV, {"version": "5"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="event-data-T1-v5-')
    (row,) = rows(response)
    assert row["ReferenceNumber"] == event.reference
    assert row["EventType"] == "Incident" and row["Status"] == "Recorder Submitted"
    assert row["OrganisationCode"] == "T1" and row["QuestionSetVersion"] == "5"
    assert row["CreatedOn"] == f"{timezone.localtime(event.created_at):%Y-%m-%d %H:%M}"
    assert row["Description"] == REDACTED_DESCRIPTION
    assert row["InvolvedAgents"] == "Medications"
    assert row["patients/1/PhysicalHarm"] == "No physical harm"
    assert row["patients/1/AgeAtTimeOfIncidentDays"] == str(50 * 372)
    assert row["DutyOfCandour"] == "Yes" and row["CqcNotify"] == "No" and row["NeverEvent"] == ""
    assert "patients/2/PhysicalHarm" not in row  # as many patient columns as the records need
    body = b"".join(client.get(CSV, {"version": "5"}).streaming_content).decode()
    assert RAW_DESCRIPTION not in body and "Jane" not in body


def test_free_text_that_looks_like_a_formula_is_neutralised(client, hierarchy, recorder):
    client.force_login(member(hierarchy["T1"], AccountType.READ_ONLY))
    processed_event(recorder, "T1", description='=HYPERLINK("http://evil.example","Click") Jane Doe')
    (row,) = rows(client.get(CSV, {"version": "5"}))
    assert row["Description"] == '\'=HYPERLINK("http://evil.example","Click") [PERSON 1]'


def test_the_csv_follows_the_filter(client, hierarchy, recorder):
    client.force_login(member(hierarchy["T1"], AccountType.ORGANISATIONAL))
    insulin = processed_event(recorder, "T1")
    processed_event(recorder, "T1", description="A fall on the stairs")
    processed_event(recorder, "T2")
    found = rows(client.get(CSV, {"version": "5", "q": "insulin"}))
    assert [row["ReferenceNumber"] for row in found] == [insulin.reference]


def test_icb_users_download_everything_below_them(client, hierarchy, recorder):
    client.force_login(member(hierarchy["Q1"], AccountType.ADMIN))
    below = {processed_event(recorder, code).reference for code in ("T1", "T1S", "T2", "Q1")}
    processed_event(recorder, "U1")
    page = client.get(DOWNLOAD)
    assert "Download event data (CSV, question set version 5, 4 records)" in page.content.decode()
    found = rows(client.get(CSV, {"version": "5"}))
    assert {row["ReferenceNumber"] for row in found} == below


def test_one_file_per_question_set_version(client, hierarchy, recorder, monkeypatch):
    client.force_login(member(hierarchy["T1"], AccountType.ORGANISATIONAL))
    old = processed_event(recorder, "T1")
    new = processed_event(recorder, "T1")
    Event.objects.filter(pk=old.pk).update(question_set_version="4")
    shipped = load_question_set("5")
    monkeypatch.setattr(csv_export, "load_question_set", lambda version: shipped)  # "4" reads like "5"
    body = client.get(DOWNLOAD).content.decode()
    assert "there is a file for each version" in body
    assert "question set version 4, 1 record)" in body and "question set version 5, 1 record)" in body
    assert [row["ReferenceNumber"] for row in rows(client.get(CSV, {"version": "4"}))] == [old.reference]
    assert [row["ReferenceNumber"] for row in rows(client.get(CSV, {"version": "5"}))] == [new.reference]


def test_an_unknown_version_is_not_found(client, hierarchy):
    client.force_login(member(hierarchy["T1"], AccountType.ORGANISATIONAL))
    assert client.get(CSV, {"version": "99"}).status_code == 404


def test_the_layout_has_a_column_per_question():
    layout = CsvLayout("5", patients=2)
    assert layout.header[:3] == ["ReferenceNumber", "EventType", "Status"]
    assert "Description" in layout.header and "InvolvedAgents" in layout.header
    assert "EventType" not in layout.header[9:]
    assert "patients/2/ClinicalOutcome" in layout.header and "patients/1/AnotherPatient" not in layout.header
    # The statutory answers, then the columns of the apps built on records (events/extensions.py).
    extra = [column.header for column in layout.extension_columns]
    assert layout.header[len(layout.header) - len(extra) - 1] == "HsibNotify"
    assert layout.header[len(layout.header) - len(extra) :] == extra
    assert len(layout.header) == len(set(layout.header))


def test_the_rows_are_planned_to_be_read_whole(client, hierarchy, recorder):
    """A file is always read to its end, so its cursor is planned for every row, not PostgreSQL's
    default first tenth (which walked an area's week in id order through the whole table)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    client.force_login(member(hierarchy["T1"], AccountType.ADMIN))
    processed_event(recorder, "T1")
    seen: list[str] = []

    def setting_when_rows_are_read(execute, sql, params, many, context):
        if "FROM" in sql and '"reference"' in sql and "ORDER BY" in sql:
            with connection.cursor() as cursor:  # the same transaction as the file's cursor
                cursor.execute("SHOW cursor_tuple_fraction")
                seen.append(cursor.fetchone()[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(setting_when_rows_are_read):
        assert len(rows(client.get(CSV, {"version": "5"}))) == 1
    assert seen == ["1"]
