"""Where the CPU goes per request: instructions and queries for the requests of the load run, and for
one redaction task of the worker (docs/adr/0022, amended).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lfpse_load REDIS_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python bench/request_costs.py prepare [--events 20000]
    ... .venv/bin/python bench/request_costs.py measure [--requests 20] [--cases api-post ...]

`prepare` fills the database with bench/events_load.py (the demo organisations and users, N records)
and adds an API client of Leeds Teaching Hospitals. `measure` starts itself under valgrind's callgrind
with instrumentation off, warms each case up (the first request of a kind loads the question set,
templates, Presidio ...), then switches counting on for N requests only (callgrind_control), so the
start-up is never counted; it prints instructions per request (this Python process only: PostgreSQL's
own work is not in it, the query count is) and queries per request. Instruction counts do not move with
the load on the shared machine as wall-clock times do. Celery tasks go to the broker (REDIS_URL), never
run in the request; the worker case runs the redaction task's body as a worker does (fetch, pipeline,
write, publish, and the vector and duplicate flags), then any similarity task it queued. Celery's own
work per task (receiving, acknowledging: about 3 ms of CPU a task) is not in the figures. The `-alike`
cases first send and redact 160 records like the load run's LRMS batches (one trust, one event date,
one narrative with different identifiers), so that each new record matches the 150 candidates the
duplicate rule reads: what the service does during the load run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.support.lrms import load_events, rr8_api_key  # noqa: E402

API_PATH = "/adverse-event/fhir/AdverseEvent"
STATE = ROOT / "var" / "request_costs.json"
NARRATIVE = (
    "Mr Adebayo Okonkwo (NHS number 943 476 5919) was given morphine twice. Nurse Siobhan Murphy "
    "called his daughter on 07700 900123 and emailed ldz0123456789@example.org about it."
)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lfpse.settings.test")
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL (the broker the requests queue tasks on).")
    import django

    django.setup()


def prepare(events: int) -> None:
    load_events(events)
    setup()
    key = rr8_api_key("LRMS for request costs", rate_limit=100000)
    STATE.parent.mkdir(exist_ok=True)
    STATE.write_text(json.dumps({"key": key}))


def payload(resource_id: str | None = None) -> dict:
    """The v5 incident the load generator sends (bench/load/locustfile.py), for RR8 at site RR801."""
    from tests.events.fhir.payloads import vendor_incident

    sent = json.dumps(vendor_incident()).replace('"RJ121"', '"RR801"').replace('"RJ1"', '"RR8"')
    resource = json.loads(sent)
    resource["description"] = NARRATIVE
    if resource_id:
        resource["id"] = resource_id
    return resource


class Cases:
    def __init__(self, key: str):
        from django.conf import settings
        from django.test import Client

        # Not setup_test_environment(): it instruments template rendering for the test client, which
        # then copies every template's context, a cost a served page does not have.
        settings.ALLOWED_HOSTS = ["*"]
        self.key = key
        self.api = Client(HTTP_OCP_APIM_SUBSCRIPTION_KEY=key)
        self.put_target: list = []
        self.pending: list[int] = []

    def signed_in(self, email: str):
        from django.test import Client

        from accounts.models import User

        client = Client()
        client.force_login(User.objects.get(email=email))
        return client

    def api_post(self) -> None:
        response = self.api.post(
            API_PATH,
            json.dumps(payload()),
            content_type="application/fhir+json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        assert response.status_code == 201, response.content[:500]
        if not self.put_target:
            self.put_target = [response.json()["id"], 1]

    def api_put(self) -> None:
        if not self.put_target:
            self.api_post()
        resource_id, version = self.put_target
        response = self.api.put(
            f"{API_PATH}/{resource_id}",
            json.dumps(payload(resource_id)),
            content_type="application/fhir+json",
            HTTP_IF_MATCH=f'W/"{version}"',
        )
        assert response.status_code == 200, response.content[:500]
        self.put_target[1] = int(response.json()["meta"]["versionId"])

    def _get(self, client, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def dashboard_trust(self) -> None:
        if not hasattr(self, "trust"):
            self.trust = self.signed_in("provider.admin@nhs.net")
        self._get(self.trust, "/organisation/events/?status=recorder_submitted&q=morphine")

    def dashboard_icb(self) -> None:
        if not hasattr(self, "icb"):
            self.icb = self.signed_in("icb.admin@nhs.net")
        self._get(self.icb, "/organisation/events/?physical_harm=2&sort=-created")

    def _draft(self) -> str:
        if not hasattr(self, "recorder"):
            from events.services import draft_create, draft_record_page

            self.recorder = self.signed_in("standard@nhs.net")
            from accounts.models import User

            draft = draft_create(actor=User.objects.get(email="standard@nhs.net"), anonymous=False)
            for page_id, values in [
                ("EventType", {"EventType": "1"}),
                ("IncidentOccurredToday", {"IncidentOccurredToday": "n"}),
                ("EventDate", {"EventDate": "2025-03-01"}),
                ("Description", {"Description": NARRATIVE}),
                ("InvolvedAgents", {"InvolvedAgents": ["4"]}),
            ]:
                draft_record_page(draft=draft, page_id=page_id, values=values)
            self.draft_key = str(draft.key)
        return self.draft_key

    def form_get(self) -> None:
        key = self._draft()
        self._get(self.recorder, f"/record/{key}/Process/")

    def form_post(self) -> None:
        key = self._draft()
        response = self.recorder.post(f"/record/{key}/Process/", {"Process": "6"})
        assert response.status_code == 302, response.status_code

    def worker_task(self) -> None:
        """One redaction task as a worker runs it, then any similarity task it queued (vector and
        duplicate flags): sent to the broker as always, and run here."""
        if not self.pending:
            self.pending = self._pending_revisions(30)
        self._work(self.pending.pop())

    def _work(self, revision_id: int) -> None:
        from unittest import mock

        from events.similarity.services import event_embed
        from events.similarity.tasks import event_embed_task
        from events.tasks import redact_revision

        queued: list[int] = []
        send = event_embed_task.apply_async

        def sent(args, **options):
            queued.append(args[0])
            return send(args, **options)

        with mock.patch.object(event_embed_task, "apply_async", sent):
            assert redact_revision(revision_id)
        for event_id in queued:
            event_embed(event_id)

    def _alike_backlog(self) -> None:
        """The load run's LRMS batches: alike narratives of one trust and one event date, so that
        each new record matches the CANDIDATE_LIMIT records before it (made once, redacted)."""
        if getattr(self, "alike", False):
            return
        from events.similarity.services import CANDIDATE_LIMIT

        for revision_id in self._pending_revisions(CANDIDATE_LIMIT + 10):
            self._work(revision_id)  # redacted, embedded and flagged, as the worker does
        self.alike = True

    def api_post_alike(self) -> None:
        self._alike_backlog()
        self.api_post()

    def worker_task_alike(self) -> None:
        self._alike_backlog()
        self.worker_task()

    def _pending_revisions(self, count: int) -> list[int]:
        from events.models import EventRevision, RedactionStatus

        for _ in range(count):
            self.api_post()
        return list(
            EventRevision.objects.filter(redaction_status=RedactionStatus.PENDING)
            .order_by("-pk")
            .values_list("pk", flat=True)[:count]
        )


CASES = {
    "api-post": ("API POST (create)", "api_post"),
    "api-put": ("API PUT (new revision)", "api_put"),
    "dashboard-trust": ("trust dashboard: status + search", "dashboard_trust"),
    "dashboard-icb": ("ICB dashboard: harm + sort", "dashboard_icb"),
    "form-get": ("form question GET", "form_get"),
    "form-post": ("form question POST", "form_post"),
    "worker": ("worker: one redaction + embed", "worker_task"),
    "api-post-alike": ("API POST, 150 alike records before it", "api_post_alike"),
    "worker-alike": ("worker, 150 alike records before it", "worker_task_alike"),
}


def callgrind(command: str) -> None:
    subprocess.run(["callgrind_control", *command.split(), str(os.getpid())], check=True, capture_output=True)


def measure_inside(names: list[str], requests: int, out: str) -> None:
    setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cases = Cases(json.loads(STATE.read_text())["key"])
    results = {}
    for name in names:
        method = getattr(cases, CASES[name][1])
        for _ in range(3):
            method()
        if name.startswith("worker"):
            cases.pending = cases._pending_revisions(requests)
        callgrind("-z")
        callgrind("-i on")
        with CaptureQueriesContext(connection) as queries:
            for _ in range(requests):
                method()
        callgrind("-i off")
        callgrind("-d")
        results[name] = {"queries": len(queries.captured_queries) / requests}
        print(f"  {name}: done", file=sys.stderr, flush=True)
    Path(out).write_text(json.dumps(results))


def profile(name: str, requests: int, top: int) -> None:
    """Where one case's time goes (cProfile, cumulative): to find what to cut, not to compare."""
    import cProfile
    import pstats

    setup()
    cases = Cases(json.loads(STATE.read_text())["key"])
    method = getattr(cases, CASES[name][1])
    for _ in range(3):
        method()
    if name.startswith("worker"):
        cases.pending = cases._pending_revisions(requests)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        method()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def measure(names: list[str], requests: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        results_file = Path(folder) / "results.json"
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "inside",
                "--requests",
                str(requests),
                "--results",
                str(results_file),
                "--cases",
                *names,
            ],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        results = json.loads(results_file.read_text())
        dumps = sorted(Path(folder).glob("callgrind.out.*"), key=lambda p: int(p.suffix[1:]))
        for name, dump in zip(names, dumps, strict=True):
            totals = next(line for line in dump.read_text().splitlines() if line.startswith("totals:"))
            results[name]["instructions"] = int(totals.split()[1]) / requests
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["prepare", "measure", "inside", "profile"])
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--cases", nargs="*", choices=sorted(CASES), default=list(CASES))
    parser.add_argument("--results")
    parser.add_argument("--top", type=int, default=60)
    args = parser.parse_args()
    if args.action == "prepare":
        prepare(args.events)
    elif args.action == "profile":
        profile(args.cases[0], args.requests, args.top)
    elif args.action == "inside":
        measure_inside(args.cases, args.requests, args.results)
    else:
        results = measure(args.cases, args.requests)
        print(f"Per request ({args.requests} requests each, callgrind; PostgreSQL's own work not counted)")
        print(f"{'case':<36}{'instructions':>16}{'queries':>10}")
        for name, figures in results.items():
            print(f"{CASES[name][0]:<36}{figures['instructions'] / 1e6:>14.1f} M{figures['queries']:>10.1f}")


if __name__ == "__main__":
    main()
