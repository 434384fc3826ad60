"""Figures of a load run (bench/load/run.py): the summary, report.md and its chart (SVG, drawn here).

Groups of requests, by the prefix of their Locust name: form (question pages, review, submit), dashboard
(organisation and ICB lists with filters and search), record (a record's page), csv, api (FHIR POST and
PUT), access (access-request screens), sign-in. The recovery of a fault is how long after the part
returned the service was back within the targets (10-second windows). "Steady" figures are those of
the full load outside faults: they leave out the ramp-up (until Locust has started every user), the
stop (after the plan's duration) and each fault's window, from its start until the service recovered
(at most RECOVERY_LIMIT seconds after the part returned: a service slower to recover than that is
judged as it is).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
from collections import defaultdict
from pathlib import Path

from bench.load.cpu import MACHINE

BUCKET = 10  # seconds
TARGETS = {"form": 150, "dashboard": 300}
RECOVERY_LIMIT = 60
API_TARGET = 20
VISIBLE_TARGET = 10
P95_CAP = 2000
VISIBLE_CAP = 200  # seconds drawn at most


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def read_requests(path: Path) -> list[tuple[float, str, str, int, float, str]]:
    """(epoch seconds, group, name, status, milliseconds, check note) per request; status 0 = no answer."""
    rows = []
    if path.exists():
        with path.open() as file:
            for line in csv.reader(file):
                if len(line) == 6:
                    rows.append((float(line[0]), line[1], line[2], int(line[3]), float(line[4]), line[5]))
    return rows


def read_samples(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open() as file:
        return [
            {
                "t": float(r["t"]),
                "queue": int(r["queue"]),
                "backfill": int(r["backfill_queue"]),
                "pending": int(r["pending"]),
                "health": int(r["health"]),
                "down": r["down"],
                "loadavg": float(r.get("loadavg") or "nan"),
            }
            for r in csv.DictReader(file)
        ]


def failed(status: int) -> bool:
    return status == 0 or status >= 500


def summarise(run, result: dict) -> dict:
    requests = read_requests(run.out / "requests.csv")
    samples = read_samples(run.out / "samples.csv")
    start = run.load_started or (requests[0][0] if requests else 0)
    end = run.load_ended or (requests[-1][0] if requests else start)
    faults = [
        {**fault, "at": round(fault["start"] - start, 1), "returned_at": round(fault["returned"] - start, 1)}
        for fault in run.faults
    ]
    outages = [(f["outage_start"], f["returned"] + 15) for f in run.faults if "outage_start" in f]

    def within(t: float, windows) -> bool:
        return any(a <= t <= b for a, b in windows)

    visible = result.get("submit_to_visible_p95_by_window", {})
    buckets = timeline(requests, samples, start, end, visible)
    for fault in faults:
        fault["recovery_seconds"] = recovery(buckets, fault["returned"] - start)
        fault["answering_again_seconds"] = recovery(buckets, fault["returned"] - start, fast=False)
    steady_from, steady_until = steady_span(run.plan, start, end)
    # Not steady: before every user runs, after the load's duration, and each fault until it recovered.
    disturbed = [(start - 1, steady_from), (steady_until, math.inf)] + [
        (run_fault["start"], run_fault["returned"] + recovered_within(fault))
        for run_fault, fault in zip(run.faults, faults, strict=True)
    ]

    groups: dict[str, dict] = {}
    for group in sorted({r[1] for r in requests}):
        rows = [r for r in requests if r[1] == group]
        steady = [r for r in rows if not within(r[0], disturbed)]
        groups[group] = {
            "count": len(rows),
            "p50": percentile([r[4] for r in rows], 0.5),
            "p95": percentile([r[4] for r in rows], 0.95),
            "steady_count": len(steady),
            "steady_p95": percentile([r[4] for r in steady], 0.95),
            "errors_5xx_or_none": sum(failed(r[3]) for r in rows),
            "answered_503": sum(r[3] == 503 for r in rows),
            "answered_429": sum(r[3] == 429 for r in rows),
        }
    status_500 = [r for r in requests if r[3] == 500]
    status_500_outside = [r for r in status_500 if not within(r[0], outages)]
    api_ok = [r for r in requests if r[2] == "api: POST" and r[3] == 201]
    # A PUT that is answered 200 sent a new version of a record: a revision the worker redacts too. The
    # target counts new records only (POST 201); this is printed beside it.
    api_put_ok = [r for r in requests if r[2] == "api: PUT" and r[3] == 200]
    duration = max(end - start, 1e-9)

    checks = {
        "lost": result.get("lost"),
        "duplicated": result.get("duplicated"),
        "wrong_revision_count": result.get("wrong_revision_count"),
        # Not redacted at all. A revision waiting for a back-fill's re-run is redacted (its earlier
        # text shows meanwhile): how many were left is a target below, not a leak.
        "unredacted_after_recovery": (result.get("unredacted_revisions") or 0)
        + (result.get("pending_revisions_anywhere") or 0)
        if result
        else None,
        "not_visible": result.get("not_visible"),
        "raw_identifiers_seen": len(run.hits),
        "status_500_outside_database_outage": len(status_500_outside),
        "outage_answers_without_problem_page_or_retry_after": sum("without" in r[5] for r in requests),
        # Distinct drafts never recovered (the reconciliation); the requests that answered 404 on a
        # draft, many for one draft, are the figure below the table.
        "drafts_lost": result.get("drafts_lost"),
    }
    draft_404_requests = sum(r[5] == "draft-lost" for r in requests)
    passed = bool(result) and all(value == 0 for value in checks.values())
    # A window is steady when no disturbed span overlaps it (0.1 s: the rounding of a recovery).
    steady_windows = [
        b
        for b in buckets
        if not any(a < start + b["t"] + BUCKET - 0.1 and start + b["t"] < z - 0.1 for a, z in disturbed)
    ]
    steady_api = [b["api_ok_per_s"] for b in steady_windows]
    targets = {
        "api_submissions_per_s_whole_run": round(len(api_ok) / duration, 1),
        "api_submissions_per_s_steady_median": percentile(steady_api, 0.5),
        "api_revisions_per_s_whole_run": round((len(api_ok) + len(api_put_ok)) / duration, 1),
        "steady_windows": [b["t"] for b in steady_windows],
        "form_p95_ms_steady": groups.get("form", {}).get("steady_p95"),
        "dashboard_p95_ms_steady": groups.get("dashboard", {}).get("steady_p95"),
        "submit_to_visible_p95_s": result.get("submit_to_visible_p95"),
        "worst_recovery_s": max(
            (f["recovery_seconds"] for f in faults if f["recovery_seconds"] is not None), default=None
        ),
        "faults_not_recovered": sum(f["recovery_seconds"] is None for f in faults),
        "backfill_left_after_drain": result.get("backfill_reruns_left"),
        "drain_seconds": result.get("drain_seconds"),
    }
    records = (result.get("accepted_api_records") or 0) + (result.get("accepted_form_records") or 0)
    during = [s["loadavg"] for s in samples if start <= s["t"] <= end and s["loadavg"] == s["loadavg"]]
    return {
        "load_average_during_load": {
            "median": percentile(during, 0.5),
            "max": max(during, default=None),
        },
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "plan": run.plan,
        "duration_s": round(duration, 1),
        "requests": len(requests),
        "groups": groups,
        "status_500": len(status_500),
        "faults": faults,
        "watcher": {**run.watch_counts, "hits": run.hits[:20]},
        "reconciliation": result,
        "checks": checks,
        "targets": targets,
        "passed": passed,
        "timeline": buckets,
        "cpu": getattr(run, "cpu", {}),
        "records_made": records,
        "draft_404_requests": draft_404_requests,
        "cores": os.cpu_count(),
    }


def recovered_within(fault: dict) -> float:
    """Seconds after the part returned that its fault still disturbs: until the service recovered,
    at most the recovery target."""
    seconds = fault["recovery_seconds"]
    return RECOVERY_LIMIT if seconds is None else min(seconds, RECOVERY_LIMIT)


def steady_span(plan: dict, start: float, end: float) -> tuple[float, float]:
    """From when Locust has started every user (users at spawn_rate a second, the LRMS users
    included) to the end of the plan's duration (after it Locust stops its users)."""
    users = int(plan.get("users", 20)) + int(plan.get("api_users", 8))
    ramp = users / float(plan.get("spawn_rate", 0.4))
    return start + ramp, min(end, start + float(plan.get("duration", end - start)))


def timeline(requests, samples, start: float, end: float, visible: dict | None = None) -> list[dict]:
    """10-second windows; `visible`: submit to visible p95 of the records sent in each window."""
    by_bucket: dict[int, list] = defaultdict(list)
    for row in requests:
        by_bucket[int((row[0] - start) // BUCKET)].append(row)
    sample_bucket: dict[int, list] = defaultdict(list)
    for sample in samples:
        sample_bucket[int((sample["t"] - start) // BUCKET)].append(sample)
    last = int(max(end, max((s["t"] for s in samples), default=end)) - start) // BUCKET
    buckets = []
    for index in range(0, last + 1):
        rows, taken = by_bucket.get(index, []), sample_bucket.get(index, [])

        def p95(group, rows=rows):
            return percentile([r[4] for r in rows if r[1] == group], 0.95)

        buckets.append(
            {
                "t": index * BUCKET,
                "requests_per_s": round(len(rows) / BUCKET, 1),
                "api_ok_per_s": round(sum(r[2] == "api: POST" and r[3] == 201 for r in rows) / BUCKET, 1),
                "form_p95": p95("form"),
                "dashboard_p95": p95("dashboard"),
                "api_p95": p95("api"),
                "failed": sum(failed(r[3]) and r[3] != 503 for r in rows),
                # A 503 from a page means a part is down; the API's 503 is also its answer when full.
                "answered_503": sum(r[3] == 503 and r[1] != "api" for r in rows),
                "queue": max((s["queue"] for s in taken), default=None),
                "backfill": max((s["backfill"] for s in taken), default=None),
                "pending": max((s["pending"] for s in taken), default=None),
                "healthy": all(s["health"] == 200 for s in taken) if taken else None,
                "down": sorted({s["down"] for s in taken if s["down"]}),
                "visible_p95": (visible or {}).get(str(index)),
            }
        )
    return buckets


def good(bucket: dict, *, fast: bool = True) -> bool:
    """Answers again (no 5xx, no 503, /healthz 200) and, with `fast`, within the latency targets."""
    answering = bucket["failed"] == 0 and bucket["answered_503"] == 0 and bucket["healthy"] is not False
    return answering and (
        not fast
        or (
            (bucket["form_p95"] is None or bucket["form_p95"] <= TARGETS["form"])
            and (bucket["dashboard_p95"] is None or bucket["dashboard_p95"] <= TARGETS["dashboard"])
        )
    )


def recovery(buckets: list[dict], returned: float, *, fast: bool = True) -> float | None:
    """Seconds from the part returning to the end of the first good 10-second window after it."""
    for bucket in buckets:
        if bucket["t"] + BUCKET <= returned:
            continue
        if good(bucket, fast=fast) and bucket["requests_per_s"] > 0:
            return round(max(0.0, bucket["t"] + BUCKET - returned), 1)
    return None


def busy_share(summary: dict) -> float | None:
    """The share of the machine's CPU time (every core, the whole load) that some process used."""
    machine = ((summary.get("cpu") or {}).get("load") or {}).get(MACHINE)
    cores, duration = summary.get("cores"), summary.get("duration_s")
    if machine is None or not cores or not duration:
        return None
    return machine / (cores * duration)


def cpu_lines(summary: dict) -> list[str]:
    """CPU seconds per part of the stack, over the load and over load and drain, and per record."""
    cpu, records = summary.get("cpu") or {}, summary.get("records_made") or 0
    load, whole = cpu.get("load") or {}, cpu.get("load_and_drain") or {}
    if not load:
        return []
    lines = [
        "## Where the CPU went",
        "",
        "CPU seconds (user + system) of each part between the start and the end of the load, and to the "
        "end of the drain (bench/load/cpu.py); `exited` is processes that ended meanwhile (closed "
        "connections' backends, replaced pool children). The machine line is every process on it, "
        "other work included.",
        "",
        f"| part | load (s) | load and drain (s){' | ms per record (load and drain)' if records else ''} |",
        f"|---|---|---{'|---' if records else ''}|",
    ]
    busy = busy_share(summary)
    if busy is not None:
        lines[-2:-2] = [
            f"The machine was busy {100 * busy:.0f} % of its {summary['cores']} cores' time during the load: near 100 % "
            "every part waits for the CPU, and its CPU a record is its capacity over the records it took.",
            "",
        ]
    for name in sorted(whole, key=lambda n: -whole[n]):
        cells = f"| {name} | {fmt(load.get(name))} | {fmt(whole[name])}"
        if records:
            cells += f" | {fmt(1000 * whole[name] / records)}"
        lines.append(cells + " |")
    threads = cpu.get("run.py threads (whole run)") or {}
    if threads:
        lines += [
            "",
            "run.py's own threads over the whole run: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in threads.items()),
        ]
    return [*lines, ""]


# -- the report --------------------------------------------------------------------------------------
def fmt(value, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}" if value < 100 else f"{value:,.0f}{unit}"
    return f"{value:,}{unit}"


def write_report(summary: dict, out: Path, path: Path) -> None:
    chart = path.with_suffix(".svg")
    chart.write_text(svg(summary))
    plan, checks, targets, rec = (
        summary["plan"],
        summary["checks"],
        summary["targets"],
        summary["reconciliation"],
    )
    lines = [
        "# The whole service under load and faults",
        "",
        f"Generated by `bench/load/run.py` on {summary['when']}: plan `{plan.get('name', '?')}`, "
        f"{plan['events']:,} records loaded, {summary['duration_s']:.0f} s of load, "
        f"{plan.get('users', 0)} browser users and {plan.get('api_users', 0)} LRMS users "
        f"(API paced at {plan.get('api_rate')} operations/s, about one in five a PUT of a record sent earlier), "
        "on this 2-core machine shared with other work. "
        f"Raw data: `{out}`.",
        "",
        f"**Result: {'PASSED' if summary['passed'] else 'FAILED'}** (hard checks below).",
        "",
        f"![Throughput, p95 and queue depth over time]({chart.name})",
        "",
        "## Hard checks (must all be 0)",
        "",
        "| check | value |",
        "|---|---|",
        *(f"| {name.replace('_', ' ')} | {fmt(value)} |" for name, value in checks.items()),
        "",
        "Drafts lost are distinct drafts that answered 404 and were never recovered; requests on a draft "
        f"that answered 404: {fmt(summary.get('draft_404_requests'))} (each try of each page counts); "
        f"drafts whose recorder was sent to sign in and back: {fmt(rec.get('drafts_signed_out'))}.",
        "",
        "## Targets",
        "",
        "| target | measured | goal |",
        "|---|---|---|",
        f"| API submissions/s, whole run | {fmt(targets['api_submissions_per_s_whole_run'])} | ≥ {API_TARGET} |",
        f"| API submissions/s, median of steady 10-s windows ({len(targets.get('steady_windows', []))} windows "
        f"outside ramp-up, stop and faults) | {fmt(targets['api_submissions_per_s_steady_median'])} | ≥ {API_TARGET} |",
        "| API revisions/s (new records and PUTs of new versions), whole run "
        f"| {fmt(targets.get('api_revisions_per_s_whole_run'))} | – |",
        f"| form pages p95 (steady) | {fmt(targets['form_p95_ms_steady'], ' ms')} | ≤ {TARGETS['form']} ms |",
        f"| dashboards p95 (steady) | {fmt(targets['dashboard_p95_ms_steady'], ' ms')} | ≤ {TARGETS['dashboard']} ms |",
        f"| submit to visible p95 | {fmt(targets['submit_to_visible_p95_s'], ' s')} | ≤ {VISIBLE_TARGET} s |",
        f"| worst recovery after a fault | {fmt(targets['worst_recovery_s'], ' s')} | ≤ {RECOVERY_LIMIT} s |",
        f"| faults never recovered within the run | {targets['faults_not_recovered']} | 0 |",
        f"| back-fill re-runs still queued after the drain ({fmt(targets['drain_seconds'], ' s')}) "
        f"| {fmt(targets['backfill_left_after_drain'])} | 0 |",
        "",
        "## Reconciliation",
        "",
        "| | |",
        "|---|---|",
        *(
            f"| {name.replace('_', ' ')} | {fmt(value) if not isinstance(value, list) else json.dumps(value)} |"
            for name, value in rec.items()
            if not isinstance(value, dict)  # by window: in the timeline below
        ),
        "",
        *cpu_lines(summary),
        "## Faults",
        "",
        "Recovery: seconds from the part returning to the end of the first 10-s window with no 5xx, no 503, "
        '/healthz 200 and form and dashboard p95 within target; "answering" leaves out the latency targets.',
        "",
        "| fault | at (s) | part back at (s) | recovery (s) | answering again (s) | note |",
        "|---|---|---|---|---|---|",
        *(
            f"| {f['kind']} | {f['at']:.0f} | {f['returned_at']:.0f} | {fmt(f['recovery_seconds'])} | "
            f"{fmt(f['answering_again_seconds'])} | {f.get('error', '')} |"
            for f in summary["faults"]
        ),
        "",
        "## Requests by group",
        "",
        "| group | requests | p50 ms | p95 ms | steady p95 ms | 5xx or no answer | of which 503 | 429 |",
        "|---|---|---|---|---|---|---|---|",
        *(
            f"| {name} | {g['count']:,} | {fmt(g['p50'])} | {fmt(g['p95'])} | {fmt(g['steady_p95'])} | "
            f"{g['errors_5xx_or_none']:,} | {g['answered_503']:,} | {g['answered_429']:,} |"
            for name, g in summary["groups"].items()
        ),
        "",
        f"Watcher: {summary['watcher']['pages']:,} organisation pages, {summary['watcher']['csv']:,} CSV files and "
        f"{summary['watcher']['api']:,} API reads searched; {len(summary['watcher']['hits'])} planted identifiers "
        f"seen; {summary['watcher']['errors']:,} reads without an answer (during faults).",
        "",
        "## Over time (10-second windows)",
        "",
        "| t (s) | req/s | API 201/s | form p95 | dashboard p95 | API p95 | 5xx/none | 503 | queue | back-fill "
        "| pending | sent then: visible p95 (s) | down |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *(
            f"| {b['t']} | {b['requests_per_s']} | {b['api_ok_per_s']} | {fmt(b['form_p95'])} | "
            f"{fmt(b['dashboard_p95'])} | {fmt(b['api_p95'])} | {b['failed']} | {b['answered_503']} | "
            f"{fmt(b['queue'])} | {fmt(b['backfill'])} | {fmt(b['pending'])} | {fmt(b.get('visible_p95'))} | "
            f"{', '.join(b['down'])} |"
            for b in summary["timeline"]
        ),
        "",
    ]
    path.write_text("\n".join(lines))


def svg(summary: dict) -> str:
    """Four panels over time: throughput, p95 by group, queue depth, and how long the records sent in
    each window took to show; faults shaded."""
    buckets = summary["timeline"]
    width, left, right, panel, gap, top = 960, 70, 150, 150, 40, 30
    span = max((b["t"] for b in buckets), default=0) + BUCKET
    x = lambda t: left + (width - left - right) * t / span  # noqa: E731
    panels = [
        (
            "Throughput (per second)",
            [("requests_per_s", "all requests", "#1d70b8"), ("api_ok_per_s", "API 201", "#00703c")],
        ),
        (
            f"p95 (ms, drawn up to {P95_CAP:,})",
            [
                ("form_p95", "form pages", "#1d70b8"),
                ("dashboard_p95", "dashboards", "#d4351c"),
                ("api_p95", "API", "#00703c"),
            ],
        ),
        (
            "Queue depth",
            [
                ("queue", "live queue", "#1d70b8"),
                ("backfill", "back-fill queue", "#f47738"),
                ("pending", "pending revisions", "#4c2c92"),
            ],
        ),
        (
            f"Submit to visible p95 of the records sent then (s, drawn up to {VISIBLE_CAP})",
            [("visible_p95", "submit to visible", "#4c2c92")],
        ),
    ]
    height = top + len(panels) * (panel + gap) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="Arial, sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    for index, (title, series) in enumerate(panels):
        y0 = top + index * (panel + gap)
        values = [b.get(key) for b in buckets for key, _, _ in series if (b.get(key) or 0) > 0]
        peak = max(values, default=1) or 1
        scale = 10 ** math.floor(math.log10(peak)) if peak > 0 else 1
        peak = math.ceil(peak / scale) * scale
        if title.startswith("p95"):
            peak = min(peak, P95_CAP)  # spikes during faults would flatten the targets
        if title.startswith("Submit"):
            peak = max(min(peak, VISIBLE_CAP), VISIBLE_TARGET)
        y = lambda v, y0=y0, peak=peak: y0 + panel - panel * min(v, peak) / peak  # noqa: E731
        for fault in summary["faults"]:
            x1, x2 = x(max(0, fault["at"])), x(max(fault["returned_at"], fault["at"] + 2))
            parts.append(
                f'<rect x="{x1:.1f}" y="{y0}" width="{x2 - x1:.1f}" height="{panel}" fill="#f3f2f1"/>'
            )
        for number, fault in enumerate(summary["faults"]):  # after every band, so none hides a label
            x1 = x(max(0, fault["at"]))
            if index == 0:  # labels on three rows so that faults close together stay readable
                parts.append(
                    f'<text x="{x1 + 2:.1f}" y="{y0 + 11 + (number % 3) * 12}" fill="#505a5f" '
                    f'font-size="10">{fault["kind"]}</text>'
                )
        parts.append(f'<text x="{left}" y="{y0 - 6}" font-weight="bold">{title}</text>')
        parts.append(
            f'<line x1="{left}" y1="{y0 + panel}" x2="{width - right}" y2="{y0 + panel}" stroke="#0b0c0c"/>'
            f'<line x1="{left}" y1="{y0}" x2="{left}" y2="{y0 + panel}" stroke="#0b0c0c"/>'
            f'<text x="{left - 6}" y="{y0 + 4}" text-anchor="end">{peak:,.0f}</text>'
            f'<text x="{left - 6}" y="{y0 + panel}" text-anchor="end">0</text>'
        )
        for number, (key, label, colour) in enumerate(series):
            points = " ".join(
                f"{x(b['t'] + BUCKET / 2):.1f},{y(b[key]):.1f}"
                for b in buckets
                if b.get(key) is not None and b[key] >= 0
            )
            if points:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{points}"/>'
                )
            ly = y0 + 12 + number * 16
            parts.append(
                f'<line x1="{width - right + 10}" y1="{ly - 4}" x2="{width - right + 30}" y2="{ly - 4}" '
                f'stroke="{colour}" stroke-width="2"/><text x="{width - right + 34}" y="{ly}">{label}</text>'
            )
        if title.startswith("p95"):
            for group, limit in TARGETS.items():
                if limit <= peak:
                    parts.append(
                        f'<line x1="{left}" y1="{y(limit):.1f}" x2="{width - right}" y2="{y(limit):.1f}" '
                        f'stroke="#b1b4b6" stroke-dasharray="4 3"/><text x="{width - right - 4}" y="{y(limit) + (-3 if group == "dashboard" else 11):.1f}" '
                        f'text-anchor="end" fill="#505a5f">{group} target {limit} ms</text>'
                    )
        if title.startswith("Submit"):
            parts.append(
                f'<line x1="{left}" y1="{y(VISIBLE_TARGET):.1f}" x2="{width - right}" y2="{y(VISIBLE_TARGET):.1f}" '
                f'stroke="#b1b4b6" stroke-dasharray="4 3"/><text x="{width - right - 4}" '
                f'y="{y(VISIBLE_TARGET) - 3:.1f}" text-anchor="end" fill="#505a5f">target {VISIBLE_TARGET} s</text>'
            )
    for t in range(0, int(span) + 1, max(BUCKET, int(span / 10) // BUCKET * BUCKET or BUCKET)):
        parts.append(f'<text x="{x(t):.1f}" y="{height - 4}" text-anchor="middle">{t} s</text>')
    parts.append("</svg>")
    return "\n".join(parts)
