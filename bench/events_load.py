"""Load a million processed records across the demo ODS hierarchy, for the dashboard and CSV benchmarks.

    .venv/bin/python bench/events_load.py [--events 1000000] [--seed 11]

Uses DATABASE_URL, by default postgres://postgres@127.0.0.1:5432/lfpse_bench_events, which is created
when missing and migrated; its records are deleted first, so point it only at a database kept for
benchmarks. The demo organisations and users are loaded (lfpse.demo), plus 2,000 recorders.

Shape: half the records are about NHS West Yorkshire ICB (QWO) and the organisations below it, half
about North East and North Cumbria (QHM); Leeds Teaching Hospitals (RR8) with its two sites gets about
50,000. 80% incidents, 8% outcomes, 7% risks, 5% good care; harm mostly "no harm" (72% physical, 80%
psychological) down to 1% fatal; agents led by medications (28%) and "none of the above" (45%);
created over three years, the event a few days before; 20% anonymous. Every record has one revision,
its raw answers encrypted as the service stores them and its redacted answers complete.

Rows go in with COPY (two connections, events and revisions side by side, foreign-key triggers off for
the session as the data is consistent by construction), with the tables' plain indexes dropped during
the load and rebuilt after it; the full-text vector is computed by PostgreSQL from the redacted text.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lfpse_bench_events"
RECORDERS = 2_000

# Share of all records about each organisation (ODS code) of the demo hierarchy.
SHARES = {
    # NHS West Yorkshire ICB and below: 50%
    "QWO": 0.004, "15F": 0.003, "36J": 0.003,
    "RR8": 0.035, "RR801": 0.010, "RR813": 0.005,
    "RAE": 0.080, "RAE01": 0.050, "RAE05": 0.020,
    "B86081": 0.035, "B86086": 0.035, "B86103": 0.035, "B86110": 0.035, "B86095": 0.005,
    "B83052": 0.035, "B83054": 0.035, "B83657": 0.035, "FH542": 0.015,
    # NHS North East and North Cumbria ICB and below: 50%
    "QHM": 0.004, "13T": 0.003, "00L": 0.003,
    "RTD": 0.090, "RTD01": 0.060, "RTD02": 0.050,
    "RTF": 0.070, "RTF86": 0.040, "RTFFS": 0.030,
    "A85001": 0.030, "A86004": 0.030, "A86007": 0.030, "A84030": 0.030, "A85621": 0.030,
}  # fmt: skip
EVENT_TYPES = {"1": 0.80, "2": 0.08, "3": 0.07, "4": 0.05}
STATUSES = {"recorder_submitted": 0.55, "recorder_updated": 0.25, "reviewed": 0.20}
AGENTS = {
    "4": 0.28,
    "3": 0.12,
    "9": 0.07,
    "13": 0.05,
    "14": 0.04,
    "11": 0.02,
    "12": 0.015,
    "8": 0.005,
    "10": 0.45,
}
PHYSICAL = {"5": 0.72, "4": 0.20, "3": 0.055, "2": 0.015, "1": 0.01}
PSYCHOLOGICAL = {"4": 0.80, "3": 0.14, "2": 0.05, "1": 0.01}
# The services involved (ServiceArea, RiskServiceArea): what the statistics' care-setting table counts.
SERVICES = {
    "1": 0.55, "4": 0.12, "17": 0.10, "7": 0.06, "19": 0.05, "3": 0.04, "9": 0.03, "12": 0.02, "15": 0.03,
}  # fmt: skip
PATIENTS = {1: 0.90, 2: 0.08, 3: 0.02}
ANONYMOUS_SHARE = 0.20
YEARS = 3

FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Hassan",
    "Isla",
    "Jack",
    "Kiran",
    "Leah",
]
LAST_NAMES = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fisher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
]
DRUGS = [
    "insulin",
    "warfarin",
    "morphine",
    "gentamicin",
    "methotrexate",
    "heparin",
    "paracetamol",
    "amoxicillin",
]
DRUG_WEIGHTS = [0.12, 0.14, 0.14, 0.1, 0.05, 0.15, 0.2, 0.1]
PLACES = ["the ward", "the bathroom", "the corridor", "the day room", "a chair", "the bed", "the car park"]
DESCRIPTIONS = {
    "4": [
        "[PERSON 1] was given {drug} {dose} times the prescribed dose on {place}. Noticed at the next round.",
        "Dose of {drug} missed for [PERSON 1]; the chart was not signed on {place}.",
        "{drug} given by the wrong route to [PERSON 1]. Pharmacy informed and patient monitored.",
        "Prescription for {drug} written for the wrong patient, [PERSON 1] in bay {bay}.",
    ],
    "3": [
        "Infusion pump alarm failed during {drug} infusion for [PERSON 1] in bay {bay}.",
        "Pressure mattress deflated overnight; [PERSON 1] found with a grade 2 pressure ulcer.",
        "Bed rail came loose and [PERSON 1] slipped towards the floor on {place}.",
    ],
    "9": [
        "Electronic record unavailable for two hours; results for [PERSON 1] were delayed.",
        "Discharge letter for [PERSON 1] sent to the wrong GP practice by the system.",
    ],
    "13": ["Lift out of order; transfer of [PERSON 1] to theatre delayed by an hour."],
    "14": ["Cleaning of {place} not done before admission of [PERSON 1]; infection risk."],
    "11": ["Blood sample for [PERSON 1] mislabelled; transfusion delayed while it was repeated."],
    "12": ["Platelets for [PERSON 1] stored at the wrong temperature and discarded."],
    "8": ["Organ transport delayed; transplant for [PERSON 1] rescheduled."],
    "10": [
        "[PERSON 1] had an unwitnessed fall in {place} and was found on the floor by [PERSON 2].",
        "Observations for [PERSON 1] were not escalated despite a NEWS score of {bay}.",
        "Handover did not mention the allergy of [PERSON 1]; picked up before the next dose.",
        "Delay of {dose} hours in reviewing [PERSON 1] because of staffing on {place}.",
    ],
}
OTHER_DESCRIPTIONS = {
    "2": [
        "Unplanned return to theatre for [PERSON 1] after a post-operative bleed.",
        "Readmission of [PERSON 1] within 48 hours.",
    ],
    "3": [
        "Staffing on {place} is below the safe level most nights.",
        "Ageing infusion pumps fail more often.",
    ],
    "4": [
        "The team spotted the deterioration of [PERSON 1] early and escalated promptly.",
        "Excellent handover on {place}.",
    ],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="records to load (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=11, help="random seed")
    args = parser.parse_args()
    setup_django()
    load(args.events, random.Random(args.seed))


def setup_django() -> None:
    """Points Django at the benchmark database (created when missing) and migrates it."""
    database_url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    ensure_postgres_database(database_url)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lfpse.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def ensure_postgres_database(database_url: str) -> None:
    url = urlsplit(database_url)
    if not url.scheme.startswith("postgres"):
        raise SystemExit("The events benchmarks need PostgreSQL (set DATABASE_URL to a postgres:// URL).")
    import psycopg
    from psycopg import sql

    name = url.path.lstrip("/")
    maintenance = url._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}")


class Sampler:
    """Draws from a weighted table quickly: precomputed cumulative weights."""

    def __init__(self, rng: random.Random, weights: dict):
        self.rng, self.values = rng, list(weights)
        total, self.cumulative = 0.0, []
        for weight in weights.values():
            total += weight
            self.cumulative.append(total)

    def __call__(self):
        return self.rng.choices(self.values, cum_weights=self.cumulative)[0]


def load(count: int, rng: random.Random) -> None:
    from django.db import connection

    from lfpse.demo import demo_data_load

    print(f"Database: {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    demo_data_load()
    empty_events(connection)
    organisations, recorders = organisations_and_recorders(rng)
    print(f"Organisations and {RECORDERS:,} recorders ready: {time.perf_counter() - started:.1f} s")

    dropped = drop_plain_indexes(connection, ["events_event", "events_eventrevision"])
    started = time.perf_counter()
    copy_rows(count, rng, organisations, recorders)
    copied = time.perf_counter() - started
    print(
        f"COPY of {count:,} events and {count:,} revisions: {copied:.1f} s ({count / copied:,.0f} events/s)"
    )

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("UPDATE events_event SET search_vector = to_tsvector('english', search_text)")
    print(f"Full-text vectors: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    rebuild_indexes(connection, dropped)
    reset_sequences(connection)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) events_event")
        cursor.execute("VACUUM (ANALYZE) events_eventrevision")
    print(f"Indexes ({len(dropped)}), VACUUM and ANALYZE: {time.perf_counter() - started:.1f} s")
    report(connection)


def empty_events(connection) -> None:
    with connection.cursor() as cursor:
        # CASCADE also empties what points at events and revisions (drafts, redaction runs).
        cursor.execute("TRUNCATE events_event, events_eventrevision RESTART IDENTITY CASCADE")


def organisations_and_recorders(rng: random.Random):
    from accounts.models import AccountType, Membership, User
    from organisations.models import Organisation

    organisations = {o.ods_code: o.pk for o in Organisation.objects.filter(ods_code__in=SHARES)}
    missing = set(SHARES) - set(organisations)
    if missing:
        raise SystemExit(f"The demo hierarchy lacks {sorted(missing)}: run from a current checkout.")
    User.objects.filter(email__endswith="@bench.nhs.net").delete()
    users = User.objects.bulk_create(
        User(
            email=f"recorder{n}@bench.nhs.net",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            password="!",  # noqa: S106 - unusable: these users never sign in
        )
        for n in range(RECORDERS)
    )
    codes = list(SHARES)
    homes = [rng.choice(codes) for _ in users]
    Membership.objects.bulk_create(
        Membership(user=user, organisation_id=organisations[code], account_type=AccountType.STANDARD)
        for user, code in zip(users, homes, strict=True)
    )
    by_organisation: dict[str, list[int]] = {}
    for user, code in zip(users, homes, strict=True):
        by_organisation.setdefault(code, []).append(user.pk)
    all_users = [user.pk for user in users]
    recorders = {code: by_organisation.get(code) or all_users for code in codes}
    return organisations, recorders


def answers_for(rng, event_type, code, event_date, created, samplers) -> dict:
    """Complete-looking answers of question set 5 for one record; text is already redacted."""
    place, bay, dose = rng.choice(PLACES), rng.randint(1, 30), rng.randint(2, 10)
    drug = rng.choices(DRUGS, weights=DRUG_WEIGHTS)[0]

    def text(template: str) -> str:
        return template.format(drug=drug, place=place, bay=bay, dose=dose)

    answers: dict = {"EventType": event_type}
    services = [rng.choices(list(SERVICES), weights=list(SERVICES.values()))[0]]
    if services != ["15"] and rng.random() < 0.08:
        services = sorted({*services, "7"}, key=int)
    if event_type != "3":
        if event_date == created.date():
            answers["IncidentOccurredToday"] = "y"
        else:
            answers.update(IncidentOccurredToday="n", EventDate=event_date.isoformat())
        answers.update(LocationKnown="y", Organisation=code, ServiceArea=services, LocationWithinService="1")
    else:
        answers.update(LocationAtRisk="1", RiskIdentifiedLocation=["1"], LocationWithinService="1")
        answers["RiskServiceArea"] = services
    answers["ResponsibleSpecialty"] = rng.choice(["2", "10", "37", "44", "105"])
    if event_type == "1":
        agents = [samplers["agent"]()]
        if agents[0] != "10" and rng.random() < 0.10:
            extra = samplers["agent"]()
            if extra not in (agents[0], "10"):
                agents.append(extra)
        answers["InvolvedAgents"] = sorted(agents, key=list(AGENTS).index)
        answers["Description"] = text(rng.choice(DESCRIPTIONS[agents[0]]))
        answers.update(Process="1", ImmediateActions=text("Escalated to the nurse in charge on {place}."))
    elif event_type == "3":
        answers.update(
            RiskDescription=text(rng.choice(OTHER_DESCRIPTIONS["3"])), RiskTheme=["1"], RiskImminent="n"
        )
    elif event_type == "4":
        answers.update(WentWell=text(rng.choice(OTHER_DESCRIPTIONS["4"])), GoodCareDetectionFactor="1")
    else:
        answers.update(Description=text(rng.choice(OTHER_DESCRIPTIONS["2"])), OutcomeType=["2"])
    if event_type in ("1", "2"):
        answers["patients"] = [patient(rng, samplers) for _ in range(samplers["patients"]())]
        for item in answers["patients"][:-1]:
            item["AnotherPatient"] = "y"
    answers.update(LevelOfConcern=rng.choice(["1", "3", "4", "5"]), ReporterType="1")
    return answers


def patient(rng: random.Random, samplers: dict) -> dict:
    physical = samplers["physical"]()
    item = {
        "AgeAtTimeOfIncidentDays": rng.randint(1, 95) * 372,
        "Gender": rng.choice("12"),
        "PhysicalHarm": physical,
    }
    if physical != "1":  # psychological harm is not asked after a fatal one
        item["PsychologicalHarm"] = samplers["psychological"]()
    item["ClinicalOutcome"] = "Recovered" if physical in ("5", "4") else "Ongoing treatment"
    item["AnotherPatient"] = "n"
    return item


def copy_rows(count: int, rng: random.Random, organisations: dict, recorders: dict) -> None:
    import psycopg
    from django.conf import settings
    from django.utils import timezone

    from events.organisation_columns import dashboard_columns
    from lfpse.encryption import encrypt_json

    samplers = {
        "organisation": Sampler(rng, SHARES),
        "type": Sampler(rng, EVENT_TYPES),
        "status": Sampler(rng, STATUSES),
        "agent": Sampler(rng, AGENTS),
        "physical": Sampler(rng, PHYSICAL),
        "psychological": Sampler(rng, PSYCHOLOGICAL),
        "patients": Sampler(rng, PATIENTS),
    }
    now = timezone.now()
    span = YEARS * 365 * 24 * 3600
    references = rng.sample(range(100_000_000, 1_000_000_000), count)
    dsn = settings.DATABASES["default"]
    conninfo = f"host={dsn['HOST']} port={dsn['PORT'] or 5432} dbname={dsn['NAME']} user={dsn['USER']}"
    event_columns = (
        "id, uuid, reference, event_type, status, question_set_version, organisation_id, recorded_by_id, "
        "recorder_organisation_id, is_anonymous, event_date, visible_revision_id, created_at, updated_at, "
        "categories, involved_agents, worst_physical_harm, worst_psychological_harm, patient_count, "
        "search_text"
    )
    revision_columns = (
        "id, event_id, number, action, actor_id, status, event_type, question_set_version, answers, "
        "redaction_status, redacted_answers, created_at"
    )
    with psycopg.connect(conninfo) as events_db, psycopg.connect(conninfo) as revisions_db:
        for db in (events_db, revisions_db):
            db.execute("SET session_replication_role = replica")  # no FK triggers: consistent by construction
        with (
            events_db.cursor().copy(f"COPY events_event ({event_columns}) FROM STDIN") as events,
            revisions_db.cursor().copy(
                f"COPY events_eventrevision ({revision_columns}) FROM STDIN"
            ) as revisions,
        ):
            for number in range(1, count + 1):
                code = samplers["organisation"]()
                event_type = samplers["type"]()
                status = samplers["status"]()
                created = now - dt.timedelta(seconds=rng.random() * span)
                event_date = (
                    None
                    if event_type == "3"
                    else created.date() - dt.timedelta(days=int(rng.expovariate(1 / 3)))
                )
                anonymous = rng.random() < ANONYMOUS_SHARE
                recorder = None if anonymous else rng.choice(recorders[code])
                answers = answers_for(rng, event_type, code, event_date or created.date(), created, samplers)
                columns = dashboard_columns(answers, "5")
                events.write_row(
                    (
                        number, uuid.UUID(int=rng.getrandbits(128), version=4), str(references[number - 1]),
                        event_type, status, "5", organisations[code], recorder,
                        None if anonymous else organisations[code], anonymous, event_date, number,
                        created, created,
                        columns["categories"], columns["involved_agents"], columns["worst_physical_harm"],
                        columns["worst_psychological_harm"], columns["patient_count"], columns["search_text"],
                    )
                )  # fmt: skip
                redacted = json.dumps(answers)
                revisions.write_row(
                    (
                        number, number, 1, "submitted", recorder, status, event_type, "5",
                        encrypt_json(answers), "complete", redacted, created,
                    )
                )  # fmt: skip
                if number % 100_000 == 0:
                    print(f"  {number:,} rows")


def drop_plain_indexes(connection, tables: list[str]) -> list[str]:
    """Drops the tables' indexes that back no constraint; returns their definitions to rebuild."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in indexes]


def rebuild_indexes(connection, definitions: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        for definition in definitions:
            cursor.execute(definition)


def reset_sequences(connection) -> None:
    with connection.cursor() as cursor:
        for table in ("events_event", "events_eventrevision"):
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cursor.execute(f"SELECT setval({sequence}, COALESCE(MAX(id), 1)) FROM {table}")  # noqa: S608


def report(connection) -> None:
    from events.models import Event

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('events_event')), "
            "pg_size_pretty(pg_total_relation_size('events_eventrevision'))"
        )
        events_size, revisions_size = cursor.fetchone()
    print(f"Sizes: events {events_size}, revisions {revisions_size}")
    for label, codes in (
        ("RR8 and its sites", ["RR8", "RR801", "RR813"]),
        ("QWO and below", list(SHARES)[:18]),
    ):
        count = Event.objects.filter(organisation__ods_code__in=codes).count()
        print(f"  {label}: {count:,} events")


if __name__ == "__main__":
    main()
