"""CPU per accepted API record, split by web, database and worker (docs/adr/0022, amended).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/lfpse_cpu REDIS_URL=redis://127.0.0.1:6379/2
    .venv/bin/python bench/record_cpu.py prepare [--events 100000]   # fill, then keep a template copy
    .venv/bin/python bench/record_cpu.py measure [--records 200] [--seed 1] [--rounds 3]

What one accepted API record costs the service, measured in one process as CPU time (not wall time,
which moves with the other work on a shared machine):

- *web*: the FHIR request through Django (the test client, the whole middleware stack, no gunicorn),
  `time.process_time()` of this process;
- *database*: the CPU of this process's PostgreSQL backend (`/proc/<pid>/schedstat`, nanoseconds on a
  core), read before and after each phase; the server runs on this machine. Parallel query workers
  are not counted (none of the statements here is planned in parallel);
- *worker*: each Celery task the request queued (the redaction task, which builds the vector and
  the duplicate flags after its commit, and anything it queues in turn), run here with `Task.apply`
  as a worker runs it, its process CPU and its backend's CPU apart. Celery's own receiving and
  acknowledging (about 3 ms a task on the stack's solo pool, ADR 0022) is not in it.

The mix is the load run's LRMS traffic (`bench/load/payloads.py`, as `bench/load/locustfile.py`
sends it): four in five operations a POST with an Idempotency-Key, one in five a PUT of a
record sent earlier (a new narrative, so a new revision), each narrative drawn from twenty kinds of
event, patients varied; one trust (RR8 at site RR801) by default. Every measurement starts from a
fresh copy of the prepared database (`<name>_template`), so the duplicate check sees the same
history each time. `--rounds` repeats the whole measurement, each round from a fresh copy; the
figures printed are the median round per part. Each round also prints digests of what it wrote
(redacted answers, record columns, vectors, duplicate flags, redaction runs) and how many submissions
were warned of a duplicate: a change that keeps behaviour keeps them.

To find where the time goes (one round, on the database as it is; `fresh_copy()` first):

    .venv/bin/python bench/record_cpu.py inside --records 200 --profile steps   # var/record_cpu_steps.txt
    .venv/bin/python bench/record_cpu.py inside --profile web                   # cProfile by CPU time
    RECORD_CPU_SAMPLER=1 .venv/bin/python bench/record_cpu.py inside --profile worker   # sampled shares

`steps` times the functions in STEPS (CPU of the process and of its backend); the web and worker
profiles also write each statement's count and time (var/record_cpu_{web,worker}.sql).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.support.lrms import load_events, rr8_api_key  # noqa: E402

API_PATH = "/adverse-event/fhir/AdverseEvent"
STATE = ROOT / "var" / "record_cpu.json"


def database() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL (the broker the requests queue tasks on).")
    name = urlsplit(url).path.lstrip("/")
    return url, name


def admin_sql(sql: str) -> None:
    url, _ = database()
    parts = urlsplit(url)
    subprocess.run(
        ["psql", parts._replace(path="/postgres").geturl(), "-v", "ON_ERROR_STOP=1", "-qc", sql],
        check=True,
        capture_output=True,
    )


def fresh_copy() -> None:
    """The database as `prepare` left it (its template copy)."""
    _, name = database()
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{name}" TEMPLATE "{name}_template"')


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lfpse.settings.test")
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # as the load stack runs (Celery logs each task at INFO)
    database()
    import django
    from django.conf import settings

    django.setup()
    # The service's cache (Redis, as the load stack runs), not the tests' per-process one.
    settings.CACHES = {
        "default": {
            "BACKEND": "lfpse.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "lfpse",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    settings.ALLOWED_HOSTS = ["*"]


def prepare(events: int) -> None:
    _, name = database()
    load_events(events)
    setup()
    key = rr8_api_key("LRMS for record CPU", rate_limit=1_000_000)
    STATE.parent.mkdir(exist_ok=True)
    STATE.write_text(json.dumps({"key": key, "trust": "RR8", "site": "RR801"}))
    # Every processed record has its vector, as in a service that has run a while (the loader writes
    # none): the duplicate rule then compares meanings too, as it does for real candidates.
    from events.similarity.services import embeddings_backfill

    print(f"Vectors: {embeddings_backfill()}", flush=True)
    from django.db import connections

    connections.close_all()
    admin_sql(f'DROP DATABASE IF EXISTS "{name}_template"')
    admin_sql(f'CREATE DATABASE "{name}_template" TEMPLATE "{name}"')


class Cpu:
    """CPU seconds of this process and of its database backend."""

    def __init__(self):
        from django.db import connection

        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend = cursor.fetchone()[0]
        self.connection = connection

    def backend_seconds(self) -> float:
        return int(Path(f"/proc/{self.backend}/schedstat").read_text().split()[0]) / 1e9

    def read(self) -> tuple[float, float]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        if pid != self.backend:
            raise RuntimeError("The database connection changed mid-measurement (CONN_MAX_AGE?)")
        return time.process_time(), self.backend_seconds()


class Queued:
    """Tasks queued while a request runs (still sent to the broker, as a web process sends them)."""

    def __init__(self):
        from celery.app.task import Task

        self.tasks: list[tuple] = []
        original = Task.apply_async
        recorder = self

        def apply_async(task, args=None, kwargs=None, **options):
            recorder.tasks.append((task, tuple(args or ()), dict(kwargs or {})))
            return original(task, args, kwargs, **options)

        Task.apply_async = apply_async

    def take(self) -> list[tuple]:
        tasks, self.tasks = self.tasks, []
        return tasks


class Lrms:
    def __init__(self, state: dict, seed: int):
        from django.test import Client

        random.seed(seed)
        self.client = Client(HTTP_OCP_APIM_SUBSCRIPTION_KEY=state["key"])
        self.trust, self.site = state["trust"], state["site"]
        self.sent: list[list] = []
        self.warned = 0  # submissions the checks warned about (the duplicate warning)
        from events.extensions import submission_checks

        def counted(check):
            def check_counted(revision):
                found = check(revision)
                self.warned += bool(found)
                return found

            return check_counted

        submission_checks[:] = [counted(check) for check in submission_checks]

    def payload(self, resource_id: str | None = None) -> dict:
        from bench.load.payloads import lrms_payload

        return lrms_payload(self.trust, self.site, resource_id)

    def operation(self) -> str:
        if self.sent and random.random() < 0.2:
            record = random.choice(self.sent)
            response = self.client.put(
                f"{API_PATH}/{record[0]}",
                json.dumps(self.payload(record[0])),
                content_type="application/fhir+json",
                HTTP_IF_MATCH=f'W/"{record[1]}"',
            )
            assert response.status_code == 200, response.content[:500]
            record[1] = int(response.json()["meta"]["versionId"])
            return "put"
        response = self.client.post(
            API_PATH,
            json.dumps(self.payload()),
            content_type="application/fhir+json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        assert response.status_code == 201, response.content[:500]
        self.sent.append([response.json()["id"], 1])
        return "post"


def work(queued: Queued) -> dict[str, int]:
    """Runs what the request queued, and what that queues, as a worker would."""
    ran: dict[str, int] = {}
    tasks = queued.take()
    while tasks:
        for task, args, kwargs in tasks:
            result = task.apply(args, kwargs)
            if result.failed():
                raise RuntimeError(f"{task.name}{args} failed: {result.result!r}")
            ran[task.name] = ran.get(task.name, 0) + 1
        tasks = queued.take()
    return ran


STEPS = [
    "events.fhir.auth.client_authenticate",
    "events.fhir.validation.submission_validate",
    "events.fhir.services.idempotent_write",
    "events.lifecycle.event_create",
    "events.lifecycle.revision_create",
    "events.notifications.event_recorded_notify_admins",
    "events.similarity.submission.duplicate_warning",
    "events.similarity.profiles.profile_of_submission",
    "events.publication.api_outcomes.api_outcome_record",
    "events.redaction_queue.send_for_redaction",
    "events.fhir.presenting.event_resource",
    "anonymisation.pipeline.redact_texts",
    "events.lifecycle.revision_publish",
    "events.redaction._run_completed",
    "events.similarity.services.event_embed",
    "events.similarity.services.duplicate_matches",
    "events.similarity.services.duplicate_candidate_rows",
    "events.similarity.ranking.probable_duplicates",
    "events.similarity.embedding.encode",
    "events.similarity.services.duplicate_flags_refresh",
    "events.similarity.services.duplicate_candidates",
    "events.similarity.services.embedding_values_with",
    "events.similarity.profiles.profiles_of",
    "events.similarity.profiles._profile_of_row",
    "events.similarity.profiles.coded_signals",
]


def timed_steps(cpu) -> dict[str, list[float]]:
    """Wraps each step (wherever it was imported by name) to add up its CPU and its backend's."""
    import functools
    import importlib

    spent: dict[str, list[float]] = {}
    for dotted in STEPS:
        module_name, name = dotted.rsplit(".", 1)
        original = getattr(importlib.import_module(module_name), name, None)
        if original is None:
            continue
        entry = spent.setdefault(dotted, [0, 0.0, 0.0])

        def wrapper(*args, __original=original, __entry=entry, **kwargs):
            p0, b0 = time.process_time(), cpu.backend_seconds()
            try:
                return __original(*args, **kwargs)
            finally:
                __entry[0] += 1
                __entry[1] += time.process_time() - p0
                __entry[2] += cpu.backend_seconds() - b0

        functools.update_wrapper(wrapper, original)
        for module in list(sys.modules.values()):
            for attribute, value in list(getattr(module, "__dict__", {}).items()):
                if value is original:
                    setattr(module, attribute, wrapper)
                elif isinstance(value, list) and any(item is original for item in value):
                    value[:] = [wrapper if item is original else item for item in value]
    return spent


def outputs(warned: int, after: dict[str, int]) -> dict:
    """Digests of what the requests and tasks wrote (the same before and after a change that keeps
    behaviour): redacted answers, record columns, vectors, duplicate flags, redaction runs."""
    import hashlib

    from django.db import connection

    digests = {"warned": warned}
    queries = {
        "redacted": (
            "revision",
            "SELECT id, redacted_answers::text, redaction_status FROM events_eventrevision"
            " WHERE id > %s ORDER BY id",
        ),
        "records": (
            "event",
            "SELECT id, visible_revision_id, search_text, categories::text, involved_agents::text,"
            " worst_physical_harm, patient_count FROM events_event WHERE id > %s ORDER BY id",
        ),
        "vectors": (
            "event",
            "SELECT event_id, revision_id, md5(vector), coded::text FROM similarity_eventembedding"
            " WHERE event_id > %s ORDER BY event_id",
        ),
        "flags": (
            "event",
            "SELECT event_id, candidate_id, score, reasons::text, status FROM similarity_duplicateflag"
            " WHERE event_id > %s ORDER BY event_id, candidate_id",
        ),
        "runs": (
            "revision",
            "SELECT revision_id, attempts, summary::text, risk_score, risk_reasons::text"
            " FROM anonymisation_redactionrun WHERE revision_id > %s ORDER BY revision_id",
        ),
    }
    with connection.cursor() as cursor:
        # Records by their order, not their id: a reference number drawn twice (the retry inserts again)
        # uses up a value of the records' sequence, which shifts the ids of every later record.
        cursor.execute("SELECT id FROM events_event WHERE id > %s ORDER BY id", [after["event"]])
        order = {pk: f"record {n}" for n, (pk,) in enumerate(cursor.fetchall())}
        for name, (kind, sql) in queries.items():
            cursor.execute(sql, [after[kind]])
            rows = cursor.fetchall()
            if kind == "event":  # the id columns first (flags: event and candidate)
                width = 2 if name == "flags" else 1
                rows = [tuple(order.get(v, v) for v in row[:width]) + row[width:] for row in rows]
            digests[name] = f"{len(rows)}:{hashlib.sha256(repr(rows).encode()).hexdigest()[:16]}"
    return digests


def measure_round(records: int, seed: int, warm: int, profile: str | None = None) -> dict:
    import cProfile

    from django.db import connection

    from lfpse import warmup

    warmup.web()
    warmup.worker()
    from django.db.models import Max

    from events.models import Event, EventRevision

    # What the bench adds is what comes after the prepared records.
    after = {
        "event": Event.objects.aggregate(last=Max("id"))["last"] or 0,
        "revision": EventRevision.objects.aggregate(last=Max("id"))["last"] or 0,
    }
    state = json.loads(STATE.read_text())
    queued = Queued()
    lrms = Lrms(state, seed)
    statements = {"web": 0, "worker": 0}
    phase = ["web"]

    def count(execute, sql, params, many, context):
        statements[phase[0]] += 1
        return execute(sql, params, many, context)

    for _ in range(warm):  # question set, templates, Presidio, the model ... loaded before counting
        lrms.operation()
        work(queued)
    cpu = Cpu()
    steps = timed_steps(cpu) if profile == "steps" else {}
    totals = {"web": 0.0, "web_db": 0.0, "worker": 0.0, "worker_db": 0.0}
    per_record = []
    kinds = {"post": 0, "put": 0}
    tasks: dict[str, int] = {}
    profiler = cProfile.Profile(time.process_time)  # CPU, not waiting on the database
    if os.environ.get("RECORD_CPU_SAMPLER") == "1":  # a sampling profiler instead (undistorted shares)
        from bench.support.cpu_sampler import Sampler

        sampler = Sampler(root=f"{ROOT}/")

        class profiler:
            enable = staticmethod(lambda: setattr(sampler, "on", True))
            disable = staticmethod(lambda: setattr(sampler, "on", False))

            @staticmethod
            def dump_stats(path):
                with open(path + ".txt", "w") as out:
                    sampler.report(out)

    sql: dict[str, list] = {}  # statement text (the web's or the worker's) -> [count, seconds]

    def logged(execute, text, params, many, context):
        start = time.perf_counter()
        try:
            return execute(text, params, many, context)
        finally:
            entry = sql.setdefault(f"{phase[0]}: {text}", [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - start

    with contextlib.ExitStack() as wrappers:
        wrappers.enter_context(connection.execute_wrapper(count))
        if profile:
            wrappers.enter_context(connection.execute_wrapper(logged))
        for _ in range(records):
            phase[0] = "web"
            p0, b0 = cpu.read()
            if profile == "web":
                profiler.enable()
            kinds[lrms.operation()] += 1
            profiler.disable()
            p1, b1 = cpu.read()
            phase[0] = "worker"
            if profile == "worker":
                profiler.enable()
            for name, n in work(queued).items():
                tasks[name] = tasks.get(name, 0) + n
            profiler.disable()
            p2, b2 = cpu.read()
            figures = {"web": p1 - p0, "web_db": b1 - b0, "worker": p2 - p1, "worker_db": b2 - b1}
            for part, value in figures.items():
                totals[part] += value
            per_record.append(sum(figures.values()))
    if profile == "steps":
        with (ROOT / "var" / "record_cpu_steps.txt").open("w") as out:
            for dotted, (n, own, db) in steps.items():
                own_ms, db_ms = 1000 * own / records, 1000 * db / records
                out.write(f"{dotted:<58} {n:5d} calls {own_ms:7.2f} ms + db {db_ms:6.2f}\n")
    elif profile:
        profiler.dump_stats(str(ROOT / "var" / f"record_cpu_{profile}.prof"))
        with (ROOT / "var" / f"record_cpu_{profile}.sql").open("w") as out:
            for text, (n, seconds) in sorted(sql.items(), key=lambda item: -item[1][1]):
                out.write(f"{n:6d} {1000 * seconds:9.1f} ms  {text}\n")
    # The cpu.read() statements themselves (two a phase) are not the service's.
    statements = {k: (v - 2 * records) / records for k, v in statements.items()}
    return {
        "ms": {part: 1000 * value / records for part, value in totals.items()},
        "statements": statements,
        "kinds": kinds,
        "tasks": tasks,
        "p95_ms": 1000 * sorted(per_record)[int(0.95 * len(per_record))],
        "outputs": outputs(lrms.warned, after),
    }


def measure(records: int, seed: int, rounds: int, warm: int, fresh: bool) -> None:
    results = []
    for number in range(rounds):
        if fresh:
            fresh_copy()
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "inside",
                "--records",
                str(records),
                "--seed",
                str(seed),
                "--warm",
                str(warm),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(result)
        ms = result["ms"]
        print(
            f"round {number + 1}: web {ms['web']:.1f} + database {ms['web_db']:.1f},"
            f" worker {ms['worker']:.1f}"
            f" + database {ms['worker_db']:.1f} = {sum(ms.values()):.1f} ms a record;"
            f" statements web {result['statements']['web']:.1f}, worker {result['statements']['worker']:.1f};"
            f" {result['kinds']}, tasks {result['tasks']}",
            flush=True,
        )
        print(f"  outputs: {result['outputs']}", flush=True)
    median = {part: statistics.median(r["ms"][part] for r in results) for part in results[0]["ms"]}
    print(f"\nCPU ms per accepted API record, median of {rounds} rounds of {records} (seed {seed}):")
    print(f"  web (Django, in process)   {median['web']:7.1f}")
    print(f"  database for the web       {median['web_db']:7.1f}")
    print(f"  worker (tasks, in process) {median['worker']:7.1f}")
    print(f"  database for the worker    {median['worker_db']:7.1f}")
    print(f"  total                      {sum(median.values()):7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["prepare", "measure", "inside"])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warm", type=int, default=10)
    parser.add_argument(
        "--profile", choices=["web", "worker", "steps"], help="inside: cProfile and statement log"
    )
    parser.add_argument("--no-fresh", action="store_true", help="measure on the database as it is")
    args = parser.parse_args()
    if args.action == "prepare":
        prepare(args.events)
    elif args.action == "inside":
        setup()
        print(json.dumps(measure_round(args.records, args.seed, args.warm, args.profile)))
    else:
        measure(args.records, args.seed, args.rounds, args.warm, not args.no_fresh)


if __name__ == "__main__":
    main()
