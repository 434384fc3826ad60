"""Sustained AdverseEvent submissions through the FHIR API, and how soon each event is visible.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lfpse_bench_fhir REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/fhir_submissions.py [--seconds 20] [--clients 4] [--web-workers 2] [--rate 2]

Needs PostgreSQL and Redis, and a redaction worker started beside it with the same settings:

    DJANGO_SETTINGS_MODULE=lfpse.settings.test DATABASE_URL=... REDIS_URL=... \\
        .venv/bin/celery -A lfpse worker --pool=solo

The database is created when missing and migrated. The script starts gunicorn on a free loopback port
(lfpse.settings.test) and runs two phases against it, each for --seconds:

1. saturation: --clients threads POST as fast as they can (a realistic incident with a patient, a
   medication and a narrative with names and a phone number to redact); submissions per second and
   POST latency are the web tier's capacity.
2. paced: one client POSTs at --rate per second, below the worker's redaction capacity, as a steady
   stream of real LRMS traffic would; the time from POST to the event being visible in the
   organisation view (its redaction complete and visible_revision set, the condition the view lists
   on) is measured from the worker's own completion timestamps.

Figures: count, per second, median and 95th percentile; the backlog the saturation phase leaves is
drained (and timed) before the paced phase starts.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lfpse.settings.test")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

NARRATIVES = [
    "Mr {name} was given morphine twice; Nurse Joanna Kowalczyk noticed at 02:00 and called "
    "07700 900{n:03d}.",
    "The infusion pump for {name} ran at double rate for three hours; the family were told the next day.",
    "{name} fell on the ward after the bed rails were left down; a CT scan showed no injury.",
]
NAMES = ["Adebayo Okonkwo", "Siobhan Murphy", "Priya Raman", "Tomasz Nowak", "Grace Adeyemi"]


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL, and start a worker with the same settings.")
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def ensure_database(url: str) -> None:
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def api_key() -> str:
    from accounts.models import User
    from events.fhir.clients import api_client_create
    from organisations.models import Organisation, OrganisationKind

    trust, _ = Organisation.objects.get_or_create(
        ods_code="RJ1", defaults={"name": "Bench Trust", "kind": OrganisationKind.NHS_TRUST}
    )
    Organisation.objects.get_or_create(
        ods_code="RJ121",
        defaults={"name": "Bench Trust Site", "kind": OrganisationKind.TRUST_SITE, "parent": trust},
    )
    admin, _ = User.objects.get_or_create(
        email="bench.super.admin@nhs.net", defaults={"is_super_admin": True}
    )
    _, key = api_client_create(name="bench", organisations=[trust], rate_limit=10**6, actor=admin)
    return key


def payload(number: int) -> dict:
    from tests.events.fhir.payloads import vendor_incident

    resource = vendor_incident()
    name = NAMES[number % len(NAMES)]
    resource["description"] = NARRATIVES[number % len(NARRATIVES)].format(name=name, n=number % 1000)
    return resource


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_web(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "lfpse.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--log-level", "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/adverse-event/fhir/metadata", timeout=30).status_code == 200:
                return process, url
        except requests.RequestException:
            time.sleep(0.3)
    process.terminate()
    sys.exit("gunicorn did not start")


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.created: list[tuple[str, float, float]] = []  # (id, sent at, answered at) in epoch seconds
        self.failures: dict[int, int] = {}

    def add(self, status: int, resource_id: str | None, sent: float, answered: float) -> None:
        with self.lock:
            if status == 201 and resource_id:
                self.created.append((resource_id, sent, answered))
            else:
                self.failures[status] = self.failures.get(status, 0) + 1


def post_loop(url: str, key: str, results: Results, until: float, counter, interval: float | None) -> None:
    import requests

    session = requests.Session()
    headers = {"Ocp-Apim-Subscription-Key": key, "Content-Type": "application/fhir+json"}
    next_at = time.time()
    while time.time() < until:
        if interval:
            delay = next_at - time.time()
            if delay > 0:
                time.sleep(delay)
            next_at += interval
        body = json.dumps(payload(next(counter)))
        sent = time.time()
        try:
            response = session.post(
                f"{url}/adverse-event/fhir/AdverseEvent", data=body, headers=headers, timeout=60
            )
        except requests.RequestException:
            results.add(0, None, sent, time.time())
            continue
        resource_id = response.json().get("id") if response.status_code == 201 else None
        results.add(response.status_code, resource_id, sent, time.time())


def run_phase(
    url: str, key: str, seconds: float, clients: int, rate: float | None, counter
) -> tuple[Results, float]:
    results = Results()
    started = time.time()
    until = started + seconds
    interval = 1 / rate if rate else None
    threads = [
        threading.Thread(target=post_loop, args=(url, key, results, until, counter, interval))
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.time() - started


def wait_visible(ids: list[str], timeout: float) -> dict[str, float]:
    """Epoch seconds at which each event's first revision was redacted and shown, from the database."""
    from django.db import close_old_connections

    from events.models import Event, RedactionRun

    deadline = time.monotonic() + timeout
    while True:
        close_old_connections()
        visible = Event.objects.filter(uuid__in=ids, visible_revision__isnull=False).count()
        if visible == len(ids) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    runs = RedactionRun.objects.filter(
        revision__event__uuid__in=ids, revision__number=1, completed_at__isnull=False
    ).values_list("revision__event__uuid", "completed_at")
    return {str(uuid): completed.timestamp() for uuid, completed in runs}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def describe(label: str, values: list[float]) -> str:
    if not values:
        return f"{label}: none"
    return (
        f"{label}: median {statistics.median(values) * 1000:,.0f} ms, "
        f"p95 {percentile(values, 0.95) * 1000:,.0f} ms, max {max(values) * 1000:,.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=2.0, help="submissions per second in the paced phase")
    parser.add_argument("--drain-timeout", type=float, default=900)
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))  # so that gunicorn is stopped too
    setup_django()
    import itertools

    key = api_key()
    web, url = start_web(args.web_workers)
    counter = itertools.count()
    try:
        warm, _ = run_phase(url, key, 5, max(2, args.web_workers), None, counter)
        wait_visible([i for i, _, _ in warm.created], args.drain_timeout)

        print(f"FHIR submissions: {args.web_workers} gunicorn workers, 1 redaction worker (--pool=solo)")
        results, elapsed = run_phase(url, key, args.seconds, args.clients, None, counter)
        done = len(results.created)
        print(
            f"saturation, {args.clients} clients for {elapsed:.1f} s: {done} created, "
            f"{done / elapsed:.1f} per second"
        )
        print("  " + describe("POST latency", [answered - sent for _, sent, answered in results.created]))
        if results.failures:
            print(f"  failures by status: {results.failures}")
        drain_started = time.time()
        visible = wait_visible([i for i, _, _ in results.created], args.drain_timeout)
        last = max(visible.values(), default=drain_started)
        print(
            f"  redaction backlog: {len(visible)}/{done} visible, the last "
            f"{last - drain_started:.1f} s after the "
            f"load ended ({len(visible) / max(last - results.created[0][1], 1e-9):.1f} per second overall)"
        )
        print(
            "  "
            + describe(
                "time to visible", [visible[i] - sent for i, sent, _ in results.created if i in visible]
            )
        )

        results, elapsed = run_phase(url, key, args.seconds, 1, args.rate, counter)
        done = len(results.created)
        print(
            f"paced at {args.rate:g} per second for {elapsed:.1f} s: {done} created, "
            f"{done / elapsed:.1f} per second"
        )
        print("  " + describe("POST latency", [answered - sent for _, sent, answered in results.created]))
        visible = wait_visible([i for i, _, _ in results.created], args.drain_timeout)
        print(f"  {len(visible)}/{done} visible")
        print(
            "  "
            + describe(
                "time to visible", [visible[i] - sent for i, sent, _ in results.created if i in visible]
            )
        )
        if results.failures:
            print(f"  failures by status: {results.failures}")
    finally:
        web.terminate()
        try:
            web.wait(timeout=20)
        except subprocess.TimeoutExpired:
            web.kill()


if __name__ == "__main__":
    main()
