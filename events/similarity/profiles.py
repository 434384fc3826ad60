"""Building `Profile`s (events/similarity/features.py) from stored records and from a submission.

Only redacted text is read for stored records (`Event.search_text`, written from the visible
revision's redacted answers); the coded answers come from the same revision.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from events.models import Event
from events.organisation_columns import free_text_of
from events.questionnaire import load_question_set
from lfpse.prepared import fetch_prepared
from organisations.models import OrganisationKind

from . import embedding
from .features import Profile, age_band_of_days

# Coded questions whose shared answers explain a match, by the label a reviewer reads.
CODED = {
    "InvolvedAgents": "Involved",
    "LocationWithinService": "Location",
    "ServiceArea": "Service",
    "ResponsibleSpecialty": "Specialty",
    "DeviceType": "Device",
}
MEDICINE_QUESTIONS = ("DrugsInvolved", "VTMString")
SEX_LABELS = {"female": "female", "male": "male"}
HARM_LABELS = {1: "fatal", 2: "severe harm", 3: "moderate harm", 4: "low harm", 5: "no harm"}
PROFILE_FIELDS = (
    "id",
    "search_text",
    "organisation_id",
    "organisation__kind",
    "organisation__parent_id",
    "event_date",
    "event_type",
    "worst_physical_harm",
    "similarity_embedding__vector",
    "similarity_embedding__model_name",
    "coded_text",  # the stored coded answers as jsonb's text: parsed only for a profile not yet made
)
CODED_TEXT = PROFILE_FIELDS.index("coded_text")  # its place in a row of `stored_profile_rows`
# Profiles of stored records built lately, by everything they are built from (the row as read): the
# duplicate check compares each new record with the same organisation's recent records, first in the
# web request and then in the worker, so most candidates were built moments before (docs/adr/0022).
PROFILES_KEPT = 5_000


def coded_signals(answers: dict[str, Any], version: str) -> dict[str, Any]:
    """What the ranking compares from a revision's coded answers: labels, the first patient's age band
    and sex, medicines named in the medicine questions."""
    question_set = load_question_set(version)
    questions: dict[str, list[str]] = {}
    for question_id, label in CODED.items():
        value = answers.get(question_id)
        codes = value if isinstance(value, list) else [value] if isinstance(value, str) and value else []
        if not codes or not question_set.has_question(question_id):
            continue
        question = question_set.question(question_id)
        names = [option.label for code in codes if (option := question.option(str(code))) is not None]
        if names:
            questions[label] = sorted(names)
    medicines = sorted(
        {
            word
            for question_id in MEDICINE_QUESTIONS
            if isinstance(answers.get(question_id), str)
            for word in answers[question_id].lower().split()
            if len(word) > 3
        }
    )
    patients = [p for p in answers.get("patients") or [] if isinstance(p, dict)]
    first = patients[0] if patients else {}
    sex = None
    if question_set.has_question("Gender") and (
        option := question_set.question("Gender").option(str(first.get("Gender")))
    ):
        sex = SEX_LABELS.get(option.label.lower())
    return {
        "questions": questions,
        "medicines": medicines,
        "age_band": age_band_of_days(first.get("AgeAtTimeOfIncidentDays")),
        "sex": sex,
    }


def _group(organisation_id: int | None, kind: str | None, parent_id: int | None) -> frozenset:
    """The organisation and, for a trust site, its trust: "same organisation" for duplicates."""
    if organisation_id is None:
        return frozenset()
    if kind == OrganisationKind.TRUST_SITE and parent_id:
        return frozenset({organisation_id, parent_id})
    return frozenset({organisation_id})


def profile(
    *,
    key: Any,
    text: str,
    organisation_id: int | None,
    organisation_kind: str | None = None,
    organisation_parent_id: int | None = None,
    event_date: dt.date | None = None,
    event_type: str = "",
    harm: int | None = None,
    vector=None,
    coded: dict[str, Any] | None = None,
) -> Profile:
    coded = coded or {}
    questions = {label: frozenset(names) for label, names in (coded.get("questions") or {}).items()}
    if harm is not None:
        questions["Harm"] = frozenset({HARM_LABELS.get(harm, str(harm))})
    found = Profile(
        key=key,
        text=text,
        organisation=organisation_id,
        organisation_group=_group(organisation_id, organisation_kind, organisation_parent_id),
        event_date=event_date,
        event_type=event_type,
        vector=vector,
        coded=questions,
        age_band=coded.get("age_band"),
        sex=coded.get("sex"),
    )
    if coded.get("medicines"):
        found.add_medicines(coded["medicines"])
    return found


def profiles_of(events: QuerySet[Event]) -> list[Profile]:
    """Profiles of the records, vectors included when made by the current model (else none)."""
    return list(profiles_each(events))


def _with_coded_text(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(coded_text=Cast("similarity_embedding__coded", TextField()))


def profiles_each(events: QuerySet[Event]) -> Iterator[Profile]:
    """`profiles_of` one at a time: the rows are read in one query, each profile is built only when
    asked for (a caller that stops at the first match builds no more)."""
    model_name = embedding.current_model().name
    for row in _with_coded_text(events).values_list(*PROFILE_FIELDS):
        yield _profile_of_row(row, model_name)


# The coded answers as JSON text, and when the record was made in seconds since the epoch: on
# PostgreSQL, and on SQLite (`make run`), which keeps both as text (UTC).
_STORED_EXPRESSIONS = {
    True: ("m.coded::text", "extract(epoch from e.created_at)::float8"),
    # Whole seconds and microseconds as integers, then one division, as datetime.timestamp() does
    # ("%%" is a "%" once Django's SQLite cursor has put its parameters in).
    False: (
        "m.coded",
        "(CAST(strftime('%%s', e.created_at) AS INTEGER) * 1000000"
        " + CAST(substr(e.created_at, 21) AS INTEGER)) / 1000000.0",
    ),
}


def _stored_sql(columns: str, where: str, then: str, among: str) -> str:
    from .models import EventEmbedding

    picked = f" JOIN ({among}) picked ON picked.id = e.id" if among else ""
    return (
        f"SELECT {columns} FROM {Event._meta.db_table} e{picked}"  # noqa: S608 - names from the models
        f" LEFT JOIN {Event._meta.get_field('organisation').related_model._meta.db_table} o"
        " ON o.id = e.organisation_id"
        f" LEFT JOIN {EventEmbedding._meta.db_table} m ON m.event_id = e.id"
        f" WHERE {where} {then}"
    )


def _row_columns() -> str:
    coded, made_at = _STORED_EXPRESSIONS[connection.vendor == "postgresql"]
    return (
        "e.id, e.search_text, e.organisation_id, o.kind, o.parent_id, e.event_date, e.event_type,"
        f" e.worst_physical_harm, m.vector, m.model_name, {coded}, {made_at}"
    )


def stored_profile_rows(
    where: str = "TRUE", params: list | tuple = (), *, then: str = "", among: str = ""
) -> list[tuple]:
    """Rows of `PROFILE_FIELDS` and when each record was made of the records `where` selects (SQL over
    `e`, the record, and `o`, its organisation), read by hand: the duplicate check reads them twice a
    record (the submission's warning and the worker's flags), and building the ORM's statement cost the
    web and the worker more CPU than reading the rows (docs/adr/0022). `then` follows the WHERE (ORDER
    BY, LIMIT).
    `among`, when given, is a statement of record ids (its parameters first in `params`): only those
    records are read, so it can pick a few ids cheaply before the wide columns and vectors are joined.
    When each was made comes as seconds since the epoch: as a datetime, through Django's loader (Python),
    it cost about 9 µs a row, 150 rows a check, and only a match's is ever used."""
    return fetch_prepared(_stored_sql(_row_columns(), where, then, among), params)


# Which version of a record's row, of its vector's and of its organisation's was read. PostgreSQL writes
# every change of a row as a new version of it, stamped with the writing transaction (xmin) and that
# transaction's statement (cmin): a version read again is the same row, column for column.
_VERSION_COLUMNS = "e.xmin::text, e.cmin::text, m.xmin::text, m.cmin::text, o.xmin::text"
_VERSION_WIDTH = 5


class _KeptRows:
    """Rows of `stored_profile_rows` read lately, by record, with the version they were read at."""

    def __init__(self, size: int):
        self.size = size
        self.rows: OrderedDict[int, tuple[tuple, tuple]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, pk: int, version: tuple) -> tuple | None:
        with self.lock:
            kept = self.rows.get(pk)
            if kept is None or kept[0] != version:
                return None
            self.rows.move_to_end(pk)
            return kept[1]

    def put(self, pk: int, version: tuple, row: tuple) -> None:
        with self.lock:
            self.rows[pk] = (version, row)
            self.rows.move_to_end(pk)
            while len(self.rows) > self.size:
                self.rows.popitem(last=False)


_kept_rows = _KeptRows(PROFILES_KEPT)


def _database() -> tuple:
    """Which database a version was read from: the same stamps in another database say nothing."""
    settings = connection.settings_dict
    return (settings["NAME"], settings["HOST"], settings["PORT"])


def kept_profile_rows(
    params: list | tuple, *, then: str, among: str, where: str = "TRUE", where_params: list | tuple = ()
) -> list[tuple]:
    """`stored_profile_rows(where, [*params, *where_params], then=then, among=among)`, the same rows in
    the same order, read in two steps on PostgreSQL: which records and which versions of their rows
    first, then the wide columns (text, vector, coded answers) only of those not read lately at the
    same versions. The duplicate check reads up to 150 records of the organisation twice a record, most
    of them read moments before by the previous check (docs/adr/0022). `where` (SQL over `e`, `o` and
    `m`) applies to the rows `among` picked. PostgreSQL only (its row versions): on SQLite the duplicate
    check reads its candidates through the query set (`duplicate_candidate_rows`)."""
    versions = fetch_prepared(
        _stored_sql(f"e.id, {_VERSION_COLUMNS}", where, then, among), [*params, *where_params]
    )
    rows: dict[int, tuple] = {}
    missing = []
    database = _database()
    for pk, *version in versions:
        row = _kept_rows.get(pk, (database, *version))
        if row is None:
            missing.append(pk)
        else:
            rows[pk] = row
    if missing:
        sql = _stored_sql(f"{_row_columns()}, {_VERSION_COLUMNS}", "e.id = ANY(%s)", "", "")
        for read in fetch_prepared(sql, [missing]):
            row, version = read[:-_VERSION_WIDTH], read[-_VERSION_WIDTH:]
            _kept_rows.put(row[0], (database, *version), row)
            rows[row[0]] = row
    # A record gone between the two reads is left out, as a read a moment later would leave it out.
    return [rows[pk] for pk, *_ in versions if pk in rows]


def profile_of_stored(event_id: int) -> Profile | None:
    """The stored record's profile (as `profiles_of` builds it), or None when there is no such record."""
    return next((found for found, _ in stored_profiles(stored_profile_rows("e.id = %s", [event_id]))), None)


def stored_profiles(rows: Iterable[tuple]) -> Iterator[tuple[Profile, float]]:
    """Each row of `stored_profile_rows` as its profile and when the record was made (seconds since the
    epoch), built one at a time (a caller that stops at the first match builds no more)."""
    model_name = embedding.current_model().name
    for row in rows:
        yield _profile_of_row(row[:-1], model_name), row[-1]


def _profile_of_row(row: tuple, model_name: str) -> Profile:
    """A stored record's profile; one with its vector is kept, by the row it was built from, for the
    next time the same row is read. (A profile without one is not kept: `with_vectors` and the
    similar-records search give it a vector in place.) Nothing changes a kept profile after it is made."""
    vector, vector_model = row[8], row[9]
    if vector is None or vector_model != model_name:
        return _built(row, model_name)
    return _kept(row if isinstance(vector, bytes) else (*row[:8], bytes(vector), *row[9:]), model_name)


@lru_cache(maxsize=PROFILES_KEPT)
def _kept(row: tuple, model_name: str) -> Profile:
    return _built(row, model_name)


def _built(row: tuple, model_name: str) -> Profile:
    (pk, text, org, kind, parent, date, event_type, harm, vector, vector_model, coded_text) = row
    coded = json.loads(coded_text) if coded_text is not None else None
    return profile(
        key=pk,
        text=text or "",
        organisation_id=org,
        organisation_kind=kind,
        organisation_parent_id=parent,
        event_date=date,
        event_type=event_type,
        harm=harm,
        vector=None if vector is None or vector_model != model_name else embedding.from_bytes(vector),
        coded=coded,
    )


def profile_of_submission(revision, *, coded: dict[str, Any] | None = None) -> Profile:
    """The submitter's own revision, read once to compare it (never stored, never shown to others);
    `coded`: its `coded_signals`, when the caller has them already."""
    event = revision.event
    answers = revision.answers or {}
    text = free_text_of(answers, load_question_set(revision.question_set_version))
    organisation = event.organisation
    return profile(
        key=event.pk,
        text=text,
        organisation_id=event.organisation_id,
        organisation_kind=organisation.kind if organisation else None,
        organisation_parent_id=organisation.parent_id if organisation else None,
        event_date=event.event_date,
        event_type=event.event_type,
        vector=embedding.encode([text])[0] if text else None,
        coded=coded if coded is not None else coded_signals(answers, revision.question_set_version),
    )


def with_vectors(profiles: Iterable[Profile]) -> None:
    """Vectors for profiles that lack one (records not yet embedded by the current model)."""
    missing = [p for p in profiles if p.vector is None and p.text]
    if missing:
        for p, vector in zip(missing, embedding.encode([p.text for p in missing]), strict=True):
            p.vector = vector
