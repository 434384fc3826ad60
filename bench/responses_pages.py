"""Time the PSIRF response pages at scale: the decision queue, the response list, the safety actions
register and its overdue list, and the ICB oversight page (issue 19: p95 <= 150 ms at a million records
and 100,000 responses).

    .venv/bin/python bench/events_load.py                 # once: a million records
    .venv/bin/python bench/responses_pages.py [--responses 100000] [--actions 100000] [--repetitions 100]

Uses the database bench/events_load.py filled (DATABASE_URL, by default lfpse_bench_events). Its
responses, links, safety actions and audit entries are replaced by `--responses` decisions on random
incidents (kinds and statuses in the proportions below, decided 0-30 days after the record) with
`--actions` safety actions on them (due dates a year either side of today, a third open and past due),
written with one SQL statement each; the pages then run through Django's test client (middleware,
view, template) as the demo's organisational users of Leeds Teaching Hospitals (RR8, with its sites)
and of NHS West Yorkshire ICB with every organisation below it. Prints the median and 95th percentile
per page, the queries per request and the median time the database spent on them (from the five
requests after the timed ones), with the machine's load average, which stretches every timing.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

TRUST_USER = "provider.organisational@nhs.net"
ICB_USER = "icb.organisational@nhs.net"
TARGET_P95_MS = 150
KINDS = ["none", "swarm", "aar", "mdt", "thematic", "psii", "referral"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--repetitions", type=int, default=100)
    parser.add_argument("--skip-load", action="store_true", help="keep the responses already loaded")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from events_load import setup_django

    setup_django()
    if not args.skip_load:
        load(args.responses, args.actions)
    run(args.repetitions, random.Random(7))


def load(responses: int, actions: int) -> None:
    from django.conf import settings
    from django.db import connection

    from accounts.models import User
    from events.responses.figures import TALLY_FROM_RESPONSES_SQL
    from lfpse.encryption import encrypt_json

    decider = User.objects.get(email=TRUST_USER).pk
    empty = encrypt_json({})
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE responses_decisiontally, responses_responseauditentry, responses_safetyaction, "
            "responses_responselink, "
            "responses_response_team, responses_affectedperson, responses_engagemententry, "
            "responses_response "
            "RESTART IDENTITY CASCADE"
        )
        # One decision per chosen incident; the event id rides in `rationale` until the links are made.
        cursor.execute(
            """
            INSERT INTO responses_response (organisation_id, kind, status, rationale, decided_by_id,
                decided_by_api_client, decided_at, event_created_at, event_date, is_decision,
                requirements, is_never_event,
                referral_body, lead_id, document_version, answers, redacted_answers, redaction,
                candour_applies, updated_at)
            SELECT COALESCE(CASE WHEN o.kind = 'trust_site' THEN o.parent_id END, o.id),
                   k.kind,
                   CASE k.kind WHEN 'none' THEN 'closed' WHEN 'referral' THEN 'referred'
                        WHEN 'psii' THEN (ARRAY['in_progress', 'awaiting_sign_off', 'signed_off',
                                              'shared_with_icb'])[1 + (e.id %% 4)]
                        ELSE (ARRAY['in_progress','completed'])[1 + (e.id %% 2)] END,
                   e.id::text, %s, '', e.created_at + ((e.id %% 30) || ' days')::interval, e.created_at,
                   e.event_date, true,
                   '[]'::jsonb, k.kind = 'psii' AND e.id %% 10 = 0, '', %s, '1', %s, NULL, 'nothing',
                   COALESCE(e.worst_physical_harm <= 3, false), now()
            FROM (SELECT id, created_at, event_date, organisation_id, worst_physical_harm FROM events_event
                  WHERE event_type = '1' AND visible_revision_id IS NOT NULL
                  ORDER BY md5(id::text) LIMIT %s) e
            JOIN organisations_organisation o ON o.id = e.organisation_id
            CROSS JOIN LATERAL (SELECT (%s::text[])[1 + (e.id %% 7)] AS kind) k
            """,
            [decider, decider, empty, responses, KINDS],
        )
        cursor.execute(
            "INSERT INTO responses_responselink (response_id, event_id, is_primary) "
            "SELECT id, rationale::bigint, true FROM responses_response"
        )
        cursor.execute("UPDATE responses_response SET rationale = 'Chosen in line with the plan'")
        # The decision tally the lifecycle keeps (events/responses/figures.py), counted as it would be.
        cursor.execute(TALLY_FROM_RESPONSES_SQL, [settings.TIME_ZONE])
        cursor.execute(
            """
            INSERT INTO responses_safetyaction (organisation_id, response_id, plan_id, area_for_improvement,
                action, owner_id, due_date, measure, strength, status, evidence, last_reminded_on,
                created_by_id, created_at, updated_at)
            SELECT r.organisation_id, r.id, NULL, 'Area ' || (g %% 50), 'Action ' || g, %s,
                   current_date + ((g * 37) %% 730 - 365), 'Monthly audit',
                   (ARRAY['stronger','intermediate','weaker'])[1 + g %% 3],
                   (ARRAY['not_started', 'in_progress', 'completed', 'cancelled'])[1 + (g / 3) %% 4],
                   '', NULL, %s,
                   now(), now()
            FROM generate_series(1, %s) g
            JOIN responses_response r ON r.id = 1 + (g * 7919) %% (SELECT count(*) FROM responses_response)
            """,
            [decider, decider, actions],
        )
        for table in (
            "responses_response",
            "responses_responselink",
            "responses_safetyaction",
            "responses_decisiontally",
        ):
            # As autovacuum leaves a table that has settled: statistics, and the visibility map that
            # lets index-only scans skip the rows.
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("SELECT count(*) FROM responses_response")
        loaded = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM responses_safetyaction")
        loaded_actions = cursor.fetchone()[0]
    took = time.perf_counter() - started
    print(f"Loaded {loaded:,} responses and {loaded_actions:,} safety actions in {took:.1f} s")


def run(repetitions: int, rng: random.Random) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User

    clients = {}
    for label, email in (("trust", TRUST_USER), ("icb", ICB_USER)):
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(email=email))
        clients[label] = client
    queue, listing = reverse("responses:queue"), reverse("responses:list")
    register, oversight = reverse("responses:register"), reverse("responses:oversight")
    cases = [
        ("queue: trust RR8 + sites", "trust", queue, {}),
        ("queue: trust RR8, page 3", "trust", queue, {"page": "3"}),
        ("queue: ICB QWO + below", "icb", queue, {"organisation": "QWO", "scope": "below"}),
        ("responses: trust RR8", "trust", listing, {}),
        ("responses: ICB QWO + below", "icb", listing, {"organisation": "QWO", "scope": "below"}),
        ("register: trust RR8", "trust", register, {}),
        ("register: overdue, trust RR8", "trust", register, {"overdue": "1"}),
        ("register: ICB QWO + below", "icb", register, {"organisation": "QWO", "scope": "below"}),
        (
            "register: overdue, ICB + below",
            "icb",
            register,
            {"organisation": "QWO", "scope": "below", "overdue": "1"},
        ),
        ("oversight: ICB QWO + below", "icb", oversight, {"organisation": "QWO", "scope": "below"}),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events_event WHERE visible_revision_id IS NOT NULL")
        records = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM responses_response")
        responses = cursor.fetchone()[0]
    print(f"Database: {connection.settings_dict['NAME']} ({records:,} records, {responses:,} responses)\n")
    load = os.getloadavg()[0]
    print(f"Load average at the start: {load:.1f} on {os.cpu_count()} CPUs (timings stretch with it)")
    print(f"{'page':<36}{'runs':>6}{'median ms':>11}{'p95 ms':>9}{'queries':>9}{'SQL ms':>8}")
    worst = 0.0
    for label, who, url, params in cases:
        client = clients[who]
        for _ in range(3):
            client.get(url, params)
        timings = []
        for _ in range(repetitions):
            started = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        sql_ms = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                client.get(url, params)
            sql_ms.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
        p95 = statistics.quantiles(timings, n=100)[94]
        worst = max(worst, p95)
        print(
            f"{label:<36}{repetitions:>6}{statistics.median(timings):>11.1f}{p95:>9.1f}{len(queries):>9}"
            f"{statistics.median(sql_ms):>8.1f}"
        )
    met = worst <= TARGET_P95_MS
    verdict = "met" if met else "NOT met"
    print(f"Load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"\nTarget (every page above): p95 <= {TARGET_P95_MS} ms: {verdict} (worst {worst:.1f} ms)")


if __name__ == "__main__":
    main()
