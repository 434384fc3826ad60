"""Time "Manage events in my organisation" on PostgreSQL: filter and first page, as the server sees it.

    .venv/bin/python bench/events_load.py            # once: a million records
    .venv/bin/python bench/dashboard.py [--repetitions 200]

Uses the database bench/events_load.py filled (DATABASE_URL, by default lfpse_bench_events). Each
request goes through Django's test client (middleware, view, template: everything but the network)
as the demo's organisational user of Leeds Teaching Hospitals (RR8, ~50,000 records with its sites)
or of NHS West Yorkshire ICB with every organisation below it (~500,000). Prints the median and 95th
percentile time per case and the queries per request for pages of 10, 25 and 100 rows.
"""

import argparse
import random
import re
import statistics
import time
from pathlib import Path

TRUST_USER = "provider.organisational@nhs.net"
ICB_USER = "icb.organisational@nhs.net"
SEARCH_TERMS = ["insulin", "fall", "wrong route", "pump", "warfarin", "handover allergy", "theatre", "lift"]
SEVERE_REVIEWED = {"status": "reviewed", "physical_harm": ["2", "3"]}
MEDICATIONS_THIS_YEAR = {
    "category": "4",
    "created_from_day": "1",
    "created_from_month": "1",
    "created_from_year": "2026",
}
TARGET_P95_MS = 150


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=200, help="requests per case (default 200)")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from events_load import setup_django

    setup_django()
    run(args.repetitions, random.Random(args.seed))


def run(repetitions: int, rng: random.Random) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from events.views import organisation as views

    url = reverse("events:organisation_events")
    clients = {}
    for label, email in (("trust", TRUST_USER), ("icb", ICB_USER)):
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(email=email))
        clients[label] = client

    def search() -> dict:
        return {"q": rng.choice(SEARCH_TERMS)}

    cases = [
        ("trust RR8 + sites, first page", "trust", dict),
        ("trust RR8 + sites, text search", "trust", search),
        ("trust RR8, status + harm filters", "trust", lambda: SEVERE_REVIEWED),
        ("ICB QWO + below, first page", "icb", dict),
        ("ICB QWO + below, text search", "icb", search),
        ("ICB QWO + below, category + created", "icb", lambda: MEDICATIONS_THIS_YEAR),
        ("ICB QWO + below, sorted by event date", "icb", lambda: {"sort": "-event_date"}),
    ]
    print(f"Database: {connection.settings_dict['NAME']} ({_count()} processed records)\n")
    print(f"{'case':<40}{'runs':>6}{'rows':>9}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
    print('(rows: the matches the page reports; it counts up to 10,000 and then says "more than")')
    worst_p95 = 0.0
    for label, who, params in cases:
        client = clients[who]
        for _ in range(5):
            client.get(url, params())  # warm the caches
        timings = []
        for _ in range(repetitions):
            query = params()
            started = time.perf_counter()
            response = client.get(url, query)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        rows = _rows(response)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params())
        p95 = statistics.quantiles(timings, n=100)[94]
        worst_p95 = max(worst_p95, p95)
        print(
            f"{label:<40}{repetitions:>6}{rows:>9}{statistics.median(timings):>11.1f}{p95:>9.1f}{len(queries):>9}"
        )

    print("\nQueries per request by page size (ICB, first page):")
    counts = {}
    for size in (10, 25, 100):
        views.EVENTS_PER_PAGE = size
        with CaptureQueriesContext(connection) as queries:
            response = clients["icb"].get(url)
        counts[size] = len(queries)
        shown = response.content.decode().count('<td class="govuk-table__cell">View') or len(
            re.findall(r"View<span", response.content.decode())
        )
        print(f"  {size:>3} rows: {len(queries)} queries ({shown} rows shown)")
    views.EVENTS_PER_PAGE = 25
    met = worst_p95 <= TARGET_P95_MS
    print(f"\nTarget: 95th percentile <= {TARGET_P95_MS} ms: {'met' if met else 'NOT met'}")
    print(
        f"Same number of queries whatever the page size: {'yes' if len(set(counts.values())) == 1 else 'NO'}"
    )


def _rows(response) -> str:
    """The number of matching records as the table's caption says it ("10,000+" past the cap)."""
    body = response.content.decode()
    found = re.search(r"([\d,]+) events?[:<\s]", body)
    if not found:
        return "0"
    return found.group(1) + ("+" if "More than" in body else "")


def _count() -> str:
    from events.models import Event

    return f"{Event.objects.filter(visible_revision__isnull=False).count():,}"


if __name__ == "__main__":
    main()
