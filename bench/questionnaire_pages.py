"""Benchmark: server time of questionnaire pages against a bare Django view, under gunicorn on PostgreSQL.

    .venv/bin/python bench/questionnaire_pages.py [--requests 300]

Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lfpse_bench_pages), which it creates
and migrates. Server time, database time and the number of statements are read from the Server-Timing
header each response carries; the bare view, the page GET and the page POST are requested in turn, so
a slow patch on a shared machine falls on all three alike. It also counts the database queries of
several pages with Django's test client, to show they do not grow with the answers.
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lfpse_bench_pages")
PASSWORD = "Bench-Passw0rd"  # noqa: S105 - a throwaway benchmark user


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DATABASE_URL=DATABASE_URL, DJANGO_SETTINGS_MODULE="bench.support.bench_settings", PYTHONPATH=str(ROOT)
    )
    return env


def ensure_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=environment(), check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_data():
    """A recorder with an incident draft that has reached the Medications section."""
    os.environ.update(environment())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from accounts.models import Membership, User
    from events.services import draft_create, draft_record_page
    from organisations.models import Organisation

    organisation, _ = Organisation.objects.get_or_create(
        ods_code="RR8", defaults={"name": "Leeds Teaching Hospitals NHS Trust", "kind": "nhs_trust"}
    )
    user, created = User.objects.get_or_create(email="bench@nhs.net")
    if created:
        user.set_password(PASSWORD)
        user.save()
        user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    Membership.objects.get_or_create(user=user, organisation=organisation)
    draft = draft_create(actor=user, anonymous=False)
    for page_id, values in [
        ("EventType", {"EventType": "1"}),
        ("IncidentOccurredToday", {"IncidentOccurredToday": "n"}),
        ("EventDate", {"EventDate": "2026-11-01"}),
        ("Description", {"Description": "A patient was given twice the prescribed dose of morphine."}),
        ("InvolvedAgents", {"InvolvedAgents": ["4", "3"]}),
    ]:
        draft_record_page(draft=draft, page_id=page_id, values=values)
    return user, draft


def query_counts(user, draft) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    counts = {}
    for page_id in ["IncidentOccurredToday", "InvolvedAgents", "DrugInvolvementFactors", "DeviceType"]:
        url = f"/record/{draft.key}/{page_id}/"
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        counts[f"GET {page_id}"] = len(context)
    with CaptureQueriesContext(connection) as context:
        client.post(f"/record/{draft.key}/DrugInvolvementFactors/", {"DrugInvolvementFactors": ["1"]})
    counts["POST DrugInvolvementFactors"] = len(context)
    with CaptureQueriesContext(connection) as context:
        client.get(f"/record/{draft.key}/review/")
    counts["GET review"] = len(context)
    return counts


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


TIMING = re.compile(r'app;dur=([0-9.]+), db;dur=([0-9.]+);desc="(\d+) queries"')


def server_timing(response) -> tuple[float, float, int]:
    """(server ms, database ms, statements) from the Server-Timing header."""
    app, database, queries = TIMING.fullmatch(response.headers["Server-Timing"]).groups()
    return float(app), float(database), int(queries)


def measure(session, method: str, url: str, count: int, data=None) -> list[tuple[float, float, int]]:
    timings = []
    for _ in range(count):
        response = session.request(method, url, data=data, allow_redirects=False)
        assert response.status_code in (200, 302), (url, response.status_code)
        timings.append(server_timing(response))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    import requests

    ensure_database()
    user, draft = prepare_data()
    counts = query_counts(user, draft)

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lfpse.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        session = requests.Session()
        for _ in range(300):  # gunicorn's workers start Django first
            try:
                session.get(f"{base}/__bench__/bare/", timeout=10)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        login_page = session.get(f"{base}/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
        signed_in = session.post(
            f"{base}/accounts/login/",
            data={"csrfmiddlewaretoken": token, "login": "bench@nhs.net", "password": PASSWORD},
            headers={"Referer": f"{base}/accounts/login/"},
            allow_redirects=False,
        )
        assert signed_in.status_code == 302, signed_in.status_code
        page = f"{base}/record/{draft.key}/DrugInvolvementFactors/"
        form = session.get(page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        session.headers["Referer"] = page
        post = {"csrfmiddlewaretoken": token, "DrugInvolvementFactors": ["1"]}
        rounds = [
            ("bare view GET", "GET", f"{base}/__bench__/bare/", None),
            ("question page GET", "GET", page, None),
            ("question page POST", "POST", page, post),
            ("93-option page GET", "GET", f"{base}/record/{draft.key}/DeviceType/", None),
            ("task list GET", "GET", f"{base}/record/{draft.key}/", None),
            ("review page GET", "GET", f"{base}/record/{draft.key}/review/", None),
        ]
        for _, method, url, data in rounds * 30:  # warm up both workers
            measure(session, method, url, 1, data)
        # Interleaved, so a slow patch on a shared machine hits every endpoint alike.
        results = {name: [] for name, _, _, _ in rounds}
        for _ in range(args.requests):
            for name, method, url, data in rounds:
                results[name] += measure(session, method, url, 1, data)
    finally:
        server.terminate()
        server.wait(timeout=20)

    bare = statistics.median(app for app, _, _ in results["bare view GET"])
    print(f"Questionnaire pages under gunicorn (2 sync workers), PostgreSQL, {args.requests} requests each")
    print(f"{'endpoint':<22}{'median ms':>11}{'p95 ms':>9}{'x bare':>8}{'db median ms':>14}{'queries':>9}")
    for name, timings in results.items():
        app = [t[0] for t in timings]
        median = statistics.median(app)
        database = statistics.median(t[1] for t in timings)
        queries = "/".join(str(q) for q in sorted({t[2] for t in timings}))
        print(
            f"{name:<22}{median:>11.2f}{percentile(app, 0.95):>9.2f}{median / bare:>8.2f}"
            f"{database:>14.2f}{queries:>9}"
        )
    print("\nDatabase queries per request (Django test client):")
    for name, count in counts.items():
        print(f"  {name:<32}{count}")


if __name__ == "__main__":
    main()
