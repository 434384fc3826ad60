"""The whole service under load and faults, reconciled and reported (docs/adr/0022).

    .venv/bin/python bench/load/run.py [--plan bench/load/plans/full.yaml] [--events N] [--seconds S]

One command: starts the stack (bench/load/stack.py: own PostgreSQL and Redis, gunicorn with the
production settings, two Celery workers and beat, the database filled by bench/events_load.py), runs
Locust headless on bench/load/locustfile.py for the plan's duration, injects the plan's faults at their
times, watches the organisation views, CSV and API for the identifiers the load generator planted,
samples the queue and /healthz, then waits for the backlog to drain, reconciles every accepted
submission against the database, writes the report and stops the stack.

Plans: bench/load/plans/full.yaml (10 minutes, 1,000,000 records: the benchmark) and ci.yaml (about two
minutes, small data, fewer faults: tests/load/test_load_run.py runs it in `make test`). The report goes
to --report (default bench/load/report.md, with report.svg beside it), the raw data to --out.
Exit status 0 when every hard check passed (nothing lost, duplicated, left unredacted or seen raw, no
500 outside the database outage), 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import cpu  # noqa: E402
from bench.load.stack import PYTHON, Stack  # noqa: E402

PLANTED = [
    re.compile(r"ldz[0-9a-f]{10}@example\.org"),
    re.compile(r"07700 9\d{5}"),
    re.compile(r"NHS number \d{3} \d{3} \d{4}"),
    re.compile(r"Okonkwo|Siobhan Murphy|Priya Raman|Tomasz Nowak|Grace Adeyemi"),
]


class Run:
    def __init__(self, plan: dict, out: Path, report: Path | None, cache: Path | None = None):
        self.plan, self.out, self.report_path, self.cache = plan, out, report, cache
        self.stack = Stack(
            out / "stack",
            sweep_after=int(plan.get("sweep_after", 300)),
            sweep_every=int(plan.get("sweep_every", 60)),
            worker_pool=os.environ.get("LOAD_WORKER_POOL") or plan.get("worker_pool", "solo"),
            web_workers=int(os.environ.get("LOAD_WEB_WORKERS") or plan.get("web_workers", 2)),
            web_threads=int(os.environ.get("LOAD_WEB_THREADS") or plan.get("web_threads", 4)),
        )
        self.stop = threading.Event()
        self.faults: list[dict] = []
        self.hits: list[dict] = []
        self.watch_counts = {"pages": 0, "csv": 0, "api": 0, "errors": 0}
        self.load_started = 0.0
        self.load_ended = 0.0
        self.cpu: dict[str, dict] = {}  # CPU seconds per part of the stack (bench/load/cpu.py)
        self.thread_cpu: dict[str, float] = {}
        self.locust_cpu = 0.0
        self.duplicate_flags: tuple[int, int] | None = None  # flags on records of this run, records flagged

    def log(self, message: str) -> None:
        print(f"[run {time.strftime('%H:%M:%S')}] {message}", flush=True)

    # -- samples of the queue, the backlog and /healthz ---------------------------------------------
    def sampler(self) -> None:
        import psycopg
        import redis
        import requests

        broker = redis.Redis.from_url(self.stack.redis_url, socket_timeout=2, socket_connect_timeout=1)
        with (self.out / "samples.csv").open("w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["t", "queue", "backfill_queue", "pending", "health", "down", "loadavg"])
            while not self.stop.is_set():
                started = time.time()
                queue = backfill = pending = -1
                try:
                    queue, backfill = broker.llen("lfpse"), broker.llen("lfpse.backfill")
                except Exception:
                    pass
                try:
                    with psycopg.connect(self.dsn(), connect_timeout=2) as db:
                        pending = db.execute(
                            "SELECT count(*) FROM events_eventrevision WHERE redaction_status = 'pending'"
                        ).fetchone()[0]
                except Exception:
                    pass
                health, down = 0, ""
                try:
                    answer = requests.get(f"{self.stack.base_url}/healthz", timeout=5)
                    health, down = answer.status_code, "+".join(answer.json().get("down", []))
                except Exception:
                    down = "web"
                # The machine's 1-minute load average: the run's figures depend on what else it was doing.
                load = os.getloadavg()[0]
                writer.writerow([f"{started:.1f}", queue, backfill, pending, health, down, f"{load:.2f}"])
                file.flush()
                self.stop.wait(max(0.5, 3 - (time.time() - started)))
        self.thread_cpu["run.py: sampler"] = time.thread_time()

    def cpu_snapshot(self) -> dict[str, float]:
        """CPU seconds so far of each part of the stack, of run.py and of the machine."""
        stack = self.stack
        roots = {name: process.pid for name, process in stack.processes.items() if process.poll() is None}
        postmaster = cpu.postmaster_pid(stack.pg_data) if stack.pg_root is not None else None
        return cpu.snapshot(roots, postmaster, {"run.py (sampler, watcher, injector)": os.getpid()})

    def statements(self, reset: bool = False) -> None:
        """pg_stat_statements: emptied when the load starts, the top statements by time written to
        statements.csv after the drain (the database's CPU is a large part of the run's)."""
        import psycopg

        try:
            with psycopg.connect(self.dsn(), autocommit=True, connect_timeout=5) as db:
                if reset:
                    db.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                    db.execute("SELECT pg_stat_statements_reset()")
                    return
                self.duplicate_flags = db.execute(
                    "SELECT count(*), count(DISTINCT event_id) FROM similarity_duplicateflag f "
                    "JOIN events_event e ON e.id = f.event_id WHERE e.created_at >= to_timestamp(%s)",
                    [self.load_started],
                ).fetchone()
                rows = db.execute(
                    "SELECT round(total_exec_time::numeric, 1), round(total_plan_time::numeric, 1), calls, rows, "
                    "round((total_exec_time / greatest(calls, 1))::numeric, 3), "
                    "regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements "
                    "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                    "ORDER BY total_exec_time DESC LIMIT 60"
                ).fetchall()
                rows.insert(
                    0,
                    db.execute(
                        "SELECT round(sum(total_exec_time)::numeric, 1), round(sum(total_plan_time)::numeric, 1), "
                        "sum(calls), sum(rows), 0, 'ALL STATEMENTS' FROM pg_stat_statements "
                        "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    ).fetchone(),
                )
        except Exception as error:
            self.log(f"pg_stat_statements: {error!r}")
            return
        with (self.out / "statements.csv").open("w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["total_ms", "plan_ms", "calls", "rows", "mean_ms", "query"])
            writer.writerows(rows)

    def dsn(self) -> str:
        return self.stack.database_url.replace("postgres://", "postgresql://", 1)

    # -- the watcher: planted identifiers must never show -------------------------------------------
    def watcher(self) -> None:
        import requests

        sessions = {}
        for email in ("provider.admin@nhs.net", "icb.admin@nhs.net", "read.only@nhs.net"):
            sessions[email] = self.signed_in(email)
        keys = json.loads((self.stack.directory / "api-keys.json").read_text())
        today = time.localtime()
        csv_query = f"created_from_day={today.tm_mday}&created_from_month={today.tm_mon}&created_from_year={today.tm_year}"
        round_number = 0
        while not self.stop.is_set():
            round_number += 1
            for email, session in sessions.items():
                if session is None:
                    sessions[email] = session = self.signed_in(email)
                    if session is None:
                        continue
                try:
                    listing = self.fetch(session, "/organisation/events/?sort=-created", "pages")
                    for reference in re.findall(r'href="/organisation/events/(\d{9})/"', listing or "")[:3]:
                        self.fetch(session, f"/organisation/events/{reference}/", "pages")
                    if round_number % 3 == 0:
                        page = (
                            self.fetch(session, f"/organisation/events/download/?{csv_query}", "pages") or ""
                        )
                        link = re.search(r'href="(/organisation/events/download/csv/\?[^"]*)"', page)
                        if link:
                            import html

                            self.fetch(session, html.unescape(link.group(1)), "csv")
                except requests.RequestException:
                    self.watch_counts["errors"] += 1
            for resource_id, trust in self.recent_api_ids(5):
                try:
                    answer = requests.get(
                        f"{self.stack.base_url}/adverse-event/fhir/AdverseEvent/{resource_id}",
                        headers={"Ocp-Apim-Subscription-Key": keys[trust]["key"]},
                        timeout=15,
                    )
                    self.search(answer.text, f"API AdverseEvent/{resource_id}", "api")
                except requests.RequestException:
                    self.watch_counts["errors"] += 1
            self.stop.wait(float(self.plan.get("watch_every", 4)))
        self.thread_cpu["run.py: watcher"] = time.thread_time()

    def signed_in(self, email: str):
        import requests

        session = requests.Session()
        try:
            page = session.get(f"{self.stack.base_url}/accounts/login/", timeout=15)
            for cookie in session.cookies:
                cookie.secure = False
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            answer = session.post(
                f"{self.stack.base_url}/accounts/login/",
                data={"csrfmiddlewaretoken": token, "login": email, "password": "Demo-Passw0rd"},
                allow_redirects=False,
                timeout=30,
            )
        except Exception:
            return None
        for cookie in session.cookies:
            cookie.secure = False
        return session if answer.status_code == 302 else None

    def fetch(self, session, path: str, kind: str) -> str | None:
        answer = session.get(f"{self.stack.base_url}{path}", timeout=30, allow_redirects=False)
        for cookie in session.cookies:
            cookie.secure = False
        if answer.status_code != 200:
            return None
        self.search(answer.text, path, kind)
        return answer.text

    def search(self, text: str, where: str, kind: str) -> None:
        self.watch_counts[kind] += 1
        for pattern in PLANTED:
            for match in pattern.finditer(text):
                self.hits.append({"t": time.time(), "where": where, "found": match.group(0)})

    def recent_api_ids(self, count: int) -> list[tuple[str, str]]:
        path = self.out / "accepted.jsonl"
        if not path.exists():
            return []
        lines = path.read_text().splitlines()[-200:]
        found = []
        for line in reversed(lines):
            with_id = json.loads(line)
            if with_id.get("kind") == "api":
                found.append((with_id["id"], with_id["trust"]))
            if len(found) >= count:
                break
        return found

    # -- faults -------------------------------------------------------------------------------------
    def injector(self) -> None:
        for fault in sorted(self.plan.get("faults", []), key=lambda f: f["at"]):
            if self.stop.wait(max(0, self.load_started + fault["at"] - time.time())):
                return
            record = {"kind": fault["kind"], "start": time.time()}
            self.log(f"fault: {fault['kind']}")
            try:
                self.inject(fault, record)
            except Exception as error:
                record["error"] = repr(error)
            record.setdefault("returned", time.time())
            self.faults.append(record)

    def inject(self, fault: dict, record: dict) -> None:
        stack, kind = self.stack, fault["kind"]
        if kind == "worker-kill":
            stack.signal_group("worker1", signal.SIGKILL)
            stack.processes["worker1"].wait()
            time.sleep(fault.get("down", 5))  # the orchestrator (systemd, Kubernetes) starts it again
            stack.worker_start(1)
        elif kind == "worker-pause":
            stack.signal_group("worker2", signal.SIGSTOP)
            time.sleep(fault.get("seconds", 60))
            stack.signal_group("worker2", signal.SIGCONT)
        elif kind == "redis-restart":
            stack.stop_process("redis")
            time.sleep(fault.get("down", 3))
            stack.redis_start()
        elif kind == "postgres-restart":
            stack.postgres_stop(fault.get("mode", "fast"))
            record["outage_start"] = time.time()
            time.sleep(fault.get("down", 10))
            stack.postgres_start()
            record["outage_end"] = time.time()
        elif kind == "backfill":
            subprocess.run(
                [PYTHON, str(HERE / "backfill.py"), str(fault.get("tasks", 10_000))],
                cwd=ROOT,
                env=stack.env(),
                check=True,
            )
        elif kind == "web-kill":
            import psutil

            master = psutil.Process(stack.processes["web"].pid)
            children = master.children()
            if children:
                children[0].kill()  # gunicorn's master starts another
        else:
            raise ValueError(f"unknown fault {kind}")
        record["returned"] = time.time()

    # -- the run --------------------------------------------------------------------------------------
    def locust(self) -> subprocess.CompletedProcess:
        plan = self.plan
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "LOAD_LOG_DIR": str(self.out),
            "LOAD_API_KEYS": str(self.stack.directory / "api-keys.json"),
            "LOAD_HOST": self.stack.base_url,
            "LOAD_API_RATE": str(plan.get("api_rate", 20)),
            "LOAD_API_USERS": str(plan.get("api_users", 8)),
            "LOAD_API_BATCH": str(plan.get("api_batch", 10)),
        }
        users = int(plan.get("users", 20)) + int(plan.get("api_users", 8))
        command = [
            PYTHON, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless", "--host", self.stack.base_url,
            "-u", str(users), "-r", str(plan.get("spawn_rate", 0.4)), "-t", f"{int(plan['duration'])}s",
            "--stop-timeout", "10", "--only-summary", "--csv", str(self.out / "locust"), "--loglevel", "WARNING",
        ]  # fmt: skip
        with (self.out / "locust.log").open("w") as log:
            process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            deadline = time.time() + plan["duration"] + 120
            while time.time() < deadline:
                # wait4 reaps it with its own CPU times (utime + stime of Locust alone); not poll(),
                # which would reap it first and leave the times behind.
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    process.returncode = os.waitstatus_to_exitcode(status)
                    self.locust_cpu = usage.ru_utime + usage.ru_stime
                    break
                time.sleep(0.5)
            if process.returncode is None:
                process.kill()
                process.wait()
            return subprocess.CompletedProcess(command, process.returncode)

    def drain(self) -> float:
        """Seconds until nothing is pending or queued (bounded by the plan's drain limit)."""
        import psycopg
        import redis

        started = time.time()
        limit = float(self.plan.get("drain_limit", 600))
        broker = redis.Redis.from_url(self.stack.redis_url, socket_timeout=2)
        while time.time() - started < limit:
            try:
                with psycopg.connect(self.dsn(), connect_timeout=2) as db:
                    # Two counts, each from an index (revision_pending_idx): not a join of both tables
                    # every 2 s; a pending revision without its run row yet counts too.
                    pending = db.execute(
                        "SELECT (SELECT count(*) FROM events_eventrevision WHERE redaction_status = 'pending')"
                        " + (SELECT count(*) FROM anonymisation_redactionrun WHERE rerun_requested_at IS NOT NULL)"
                    ).fetchone()[0]
                if pending == 0 and broker.llen("lfpse") == 0:
                    return time.time() - started
            except Exception:
                pass
            time.sleep(2)
        return time.time() - started

    def execute(self) -> dict:
        plan = self.plan
        self.out.mkdir(parents=True, exist_ok=True)
        for name in ("accepted.jsonl", "requests.csv"):
            (self.out / name).unlink(missing_ok=True)
        self.stack.up(int(plan["events"]), self.cache)
        shutil.copy(self.stack.directory / "api-keys.json", self.out / "api-keys.json")
        threads = [threading.Thread(target=self.sampler, daemon=True)]
        self.load_started = time.time()
        threads += [
            threading.Thread(target=self.watcher, daemon=True),
            threading.Thread(target=self.injector, daemon=True),
        ]
        for thread in threads:
            thread.start()
        self.log(f"load for {plan['duration']} s, {len(plan.get('faults', []))} faults")
        self.statements(reset=True)
        cpu_start = self.cpu_snapshot()
        self.locust()
        self.load_ended = time.time()
        cpu_load_end = self.cpu_snapshot()
        self.log("load ended: draining")
        drained = self.drain()
        cpu_drained = self.cpu_snapshot()
        self.statements()
        self.cpu = {
            "load": cpu.difference(cpu_start, cpu_load_end),
            "load_and_drain": cpu.difference(cpu_start, cpu_drained),
        }
        for window in self.cpu.values():
            window["locust"] = round(self.locust_cpu, 2)
        time.sleep(3)  # one more round of the watcher and sampler on the drained service
        self.stop.set()
        for thread in threads:
            thread.join(30)
        self.cpu["run.py threads (whole run)"] = {k: round(v, 2) for k, v in self.thread_cpu.items()}
        from bench.load.reconcile import reconcile

        try:
            result = reconcile(self.dsn(), self.out / "accepted.jsonl", self.load_started)
        except Exception as error:
            self.log(f"reconciliation failed: {error!r}")
            return {}
        result["drain_seconds"] = round(drained, 1)
        if self.duplicate_flags:
            result["duplicate_flags_on_records_of_the_run"], result["records_of_the_run_flagged"] = (
                self.duplicate_flags
            )
        return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--plan", type=Path, default=HERE / "plans" / "full.yaml")
    parser.add_argument("--events", type=int, help="records to load (overrides the plan)")
    parser.add_argument("--seconds", type=int, help="load duration (overrides the plan)")
    parser.add_argument("--out", type=Path, help="raw data directory (default: a temporary one)")
    parser.add_argument("--report", type=Path, default=HERE / "report.md", help="'-' for none")
    parser.add_argument("--keep", action="store_true", help="keep the stack's directory")
    parser.add_argument("--cache", type=Path, help="keep the loaded database here and reuse it (var/load)")
    args = parser.parse_args()
    plan = yaml.safe_load(args.plan.read_text())
    if args.events:
        plan["events"] = args.events
    if args.seconds:
        plan["duration"] = args.seconds
    out = args.out or Path(tempfile.mkdtemp(prefix="lfpse-load-"))
    report = None if str(args.report) == "-" else args.report
    run = Run(plan, out, report, args.cache)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    result: dict = {}
    try:
        result = run.execute()
    finally:
        run.stop.set()
        run.stack.down()
    from bench.load.report import summarise, write_report

    summary = summarise(run, result)
    (out / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    if report is not None:
        write_report(summary, out, report)
    if not args.keep:
        shutil.rmtree(out / "stack", ignore_errors=True)
    print(json.dumps(summary["checks"], indent=2))
    print(f"raw data: {out}")
    sys.exit(0 if summary["passed"] else 1)


if __name__ == "__main__":
    main()
