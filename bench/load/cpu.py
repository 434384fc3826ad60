"""Where the two cores went during a load run: CPU seconds of each part of the stack (docs/adr/0022).

`snapshot()` reads utime + stime of every process of the stack (gunicorn's master and workers, each
Celery worker's main process and its pool, beat, redis-server, PostgreSQL's backends and its own
processes), of Locust and of run.py itself, and the machine's busy time from /proc/stat. A process
that ended between two snapshots (a PostgreSQL backend of a connection that closed, a pool child that
was replaced) is counted through its parent's children_user/children_system, which the kernel adds
when the parent reaps it: `exited` lines. `difference()` gives seconds per part between two snapshots.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import psutil

TICKS = os.sysconf("SC_CLK_TCK")
MACHINE = "machine (all processes, both cores)"  # the part that is every process on the machine


def _own(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def _reaped(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.children_user + times.children_system


def machine_busy() -> float:
    """CPU seconds the whole machine spent not idle (every core), since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / TICKS  # user..steal; guest time is inside user


def _postgres_part(process: psutil.Process) -> str:
    """'postgres: postgres lfpse 127.0.0.1(41234) idle' is a client's backend; the rest are its own."""
    try:
        title = " ".join(process.cmdline())
    except psutil.Error:
        return "postgres: other"
    if title.startswith("postgres: ") and "127.0.0.1(" in title:
        return "postgres: backends, open at the end"
    return "postgres: own processes"


def snapshot(
    roots: dict[str, int], postmaster: int | None, extra: dict[str, int] | None = None
) -> dict[str, float]:
    """CPU seconds so far per part. `roots`: part name -> pid of a process started by the stack (its
    descendants are counted with it, a Celery pool child under '<name>: pool'); `postmaster`: the
    PostgreSQL server's pid; `extra`: other processes counted alone (Locust, run.py)."""
    seconds: dict[str, float] = defaultdict(float)
    for name, pid in roots.items():
        try:
            root = psutil.Process(pid)
            seconds[name] += _own(root)
            seconds[f"{name}: exited"] += _reaped(root)
            for child in root.children(recursive=True):
                part = name if name in {"web", "redis"} else f"{name}: pool"
                if name == "web":
                    part = "web: workers"
                seconds[part] += _own(child)
                seconds[f"{name}: exited"] += _reaped(child)
        except psutil.Error:
            continue
    if postmaster:
        try:
            server = psutil.Process(postmaster)
            seconds["postgres: own processes"] += _own(server)
            seconds["postgres: backends, closed meanwhile (and autovacuum workers)"] += _reaped(server)
            for child in server.children():
                try:
                    seconds[_postgres_part(child)] += _own(child)
                except psutil.Error:
                    continue
        except psutil.Error:
            pass
    for name, pid in (extra or {}).items():
        try:
            process = psutil.Process(pid)
            seconds[name] += _own(process)
        except psutil.Error:
            continue
    seconds[MACHINE] = machine_busy()
    return dict(seconds)


def difference(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Seconds per part between two snapshots; parts that only appear in one count from 0 (a process
    started in between) or are left out (one that ended: its time is in an `exited` line)."""
    return {
        name: round(after[name] - before.get(name, 0.0), 2)
        for name in sorted(after)
        if after[name] - before.get(name, 0.0) > 0.004
    }


def postmaster_pid(pg_data: Path) -> int | None:
    try:
        return int((pg_data / "postmaster.pid").read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None
