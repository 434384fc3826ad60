"""The short load run with faults (bench/load/plans/ci.yaml), as part of the suite: a regression in
fault handling fails the build (docs/adr/0022).

It starts its own PostgreSQL cluster (initdb) and redis-server on ports 25432 and 26379, so that it can
restart them; gunicorn on 8104. About two and a half minutes on two cores.
"""

import csv
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTS = tuple(
    int(os.environ.get(name, default))
    for name, default in (("LOAD_PG_PORT", 25432), ("LOAD_REDIS_PORT", 26379), ("LOAD_WEB_PORT", 8104))
)

pytestmark = [pytest.mark.load, pytest.mark.timeout(420)]


def port_taken(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb") or not shutil.which("redis-server"):
        pytest.skip("needs the PostgreSQL server binaries (initdb, pg_ctl) and redis-server")
    taken = [port for port in PORTS if port_taken(port)]
    assert not taken, f"ports {taken} are in use: is another load stack running?"
    out = tmp_path_factory.mktemp("load")
    finished = subprocess.run(
        [
            sys.executable, "bench/load/run.py", "--plan", "bench/load/plans/ci.yaml", "--out", str(out),
            "--report", str(out / "report.md"),
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=400, check=False,
    )  # fmt: skip
    summary_path = out / "summary.json"
    assert summary_path.exists(), finished.stdout[-3000:] + finished.stderr[-3000:]
    summary = json.loads(summary_path.read_text())
    with (out / "samples.csv").open() as file:
        samples = list(csv.DictReader(file))
    return finished, summary, samples, out


def test_nothing_lost_duplicated_unredacted_or_seen_raw(run):
    finished, summary, _, out = run
    assert summary["checks"] == dict.fromkeys(summary["checks"], 0), (summary["checks"], out)
    assert summary["passed"] and finished.returncode == 0
    reconciliation = summary["reconciliation"]
    assert reconciliation["accepted_api_records"] > 50  # the load really ran
    assert reconciliation["accepted_form_records"] > 0
    assert reconciliation["submit_to_visible_count"] == (
        reconciliation["accepted_api_records"] + reconciliation["accepted_form_records"]
    )
    assert (
        summary["watcher"]["pages"] > 10 and summary["watcher"]["csv"] > 0 and summary["watcher"]["api"] > 10
    )


def test_every_fault_was_injected_and_the_service_came_back(run):
    _, summary, _, _ = run
    kinds = [fault["kind"] for fault in summary["faults"]]
    assert kinds == ["worker-kill", "redis-restart", "postgres-restart", "backfill", "web-kill"]
    assert not [fault for fault in summary["faults"] if fault.get("error")]
    # Answering again (no 5xx, no 503, /healthz 200): latency targets are for the full run, not CI.
    assert all(fault["answering_again_seconds"] is not None for fault in summary["faults"]), summary["faults"]


def test_people_saw_the_problem_page_and_healthz_named_the_part_that_was_down(run):
    _, summary, samples, _ = run
    # During the database outage pages answered 503 (the problem page with Retry-After: the
    # locustfile fails any 503 without them, counted in the checks above).
    assert sum(group["answered_503"] for group in summary["groups"].values()) > 0
    down = {sample["down"] for sample in samples}
    assert any("database" in parts for parts in down), down
    assert any("broker" in parts or "workers" in parts for parts in down), down
    assert {sample["health"] for sample in samples} >= {"200", "503"}
