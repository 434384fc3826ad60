"""The load run's figures (bench/load/report.py) from requests and samples written by hand: no stack."""

from __future__ import annotations

from types import SimpleNamespace

from bench.load.report import summarise

START = 1_000_000.0
PLAN = {"name": "t", "events": 10, "duration": 180, "users": 10, "api_users": 4, "spawn_rate": 1}


def make_run(tmp_path, *, faults, api_per_s):
    """API POSTs at `api_per_s(t)` a second and one fast form page a second, for 190 s (Locust stops
    10 s after the plan's 180)."""
    lines = []
    for t in range(190):
        for n in range(api_per_s(t)):
            lines.append(f"{START + t + n / 100:.3f},api,api: POST,201,50.0,")
        lines.append(f"{START + t + 0.5:.3f},form,form: question,200,20.0,")
    (tmp_path / "requests.csv").write_text("\n".join(lines) + "\n")
    samples = ["t,queue,backfill_queue,pending,health,down,loadavg"]
    samples += [f"{START + t:.1f},0,0,0,200,,1.0" for t in range(0, 190, 3)]
    (tmp_path / "samples.csv").write_text("\n".join(samples) + "\n")
    return SimpleNamespace(
        out=tmp_path,
        plan=PLAN,
        faults=[{"kind": "backfill", "start": START + a, "returned": START + b} for a, b in faults],
        load_started=START,
        load_ended=START + 190,
        hits=[],
        watch_counts={"pages": 0, "csv": 0, "api": 0, "errors": 0},
    )


def test_the_steady_median_is_that_of_the_full_load_outside_faults(tmp_path):
    # The short plan's shape: users spawn for 14 s, back-fills at 40 s and 110 s that the service
    # gets over at once, Locust stopping after 180 s. The old rule (every fault's window until 60 s
    # after it returned) left only the ramp-up and the stop, and printed 0 a second for a run at 15.
    run = make_run(tmp_path, faults=[(40, 49), (110, 113)], api_per_s=lambda t: 15 if 14 <= t < 180 else 0)
    targets = summarise(run, {})["targets"]
    assert targets["api_submissions_per_s_steady_median"] == 15.0
    # Leaves out the ramp-up (0-20), each fault until the end of its first good window after the part
    # returned (40-50, 110-120), and the stop.
    assert targets["steady_windows"] == [20, 30, 50, 60, 70, 80, 90, 100, 120, 130, 140, 150, 160, 170]


def test_a_fault_the_service_does_not_recover_from_counts_after_the_recovery_target(tmp_path):
    # The API is shed (no 201, and every page answers 503) from 40 s to 120 s, the part back at 50 s:
    # not recovered within 60 s, so the windows from 110 s on count as steady, slow as they are.
    def api(t):
        return 0 if 40 <= t < 120 else 15 if 14 <= t < 180 else 0

    run = make_run(tmp_path, faults=[(40, 50)], api_per_s=api)
    lines = (tmp_path / "requests.csv").read_text().splitlines()
    for t in range(40, 120):
        lines.append(f"{START + t + 0.7:.3f},form,form: question,503,5.0,")
    (tmp_path / "requests.csv").write_text("\n".join(sorted(lines)) + "\n")
    summary = summarise(run, {})
    assert summary["faults"][0]["recovery_seconds"] == 80.0
    targets = summary["targets"]
    assert targets["steady_windows"] == [20, 30, 110, 120, 130, 140, 150, 160, 170]
    assert targets["api_submissions_per_s_steady_median"] == 15.0
    assert summary["groups"]["form"]["steady_count"] < summary["groups"]["form"]["count"]


def test_requests_after_the_plans_duration_are_not_steady(tmp_path):
    run = make_run(tmp_path, faults=[], api_per_s=lambda t: 15 if 14 <= t < 180 else 2)
    targets = summarise(run, {})["targets"]
    assert targets["steady_windows"] == list(range(20, 180, 10))
    assert targets["api_submissions_per_s_steady_median"] == 15.0


def test_drafts_lost_are_distinct_drafts_and_the_404_requests_a_second_figure(tmp_path):
    run = make_run(tmp_path, faults=[], api_per_s=lambda t: 15 if 14 <= t < 180 else 0)
    lines = (tmp_path / "requests.csv").read_text().splitlines()
    for t in range(100, 160):  # one recorder trying one lost draft, three tries a round, every 2 s
        lines.append(f"{START + t + 0.9:.3f},form,form: task list,404,5.0,draft-lost")
    (tmp_path / "requests.csv").write_text("\n".join(sorted(lines)) + "\n")
    summary = summarise(run, {"drafts_lost": 1})
    assert summary["checks"]["drafts_lost"] == 1
    assert summary["draft_404_requests"] == 60
    assert not summary["passed"]


def test_revisions_count_puts_of_new_versions_beside_the_new_records(tmp_path):
    run = make_run(tmp_path, faults=[], api_per_s=lambda t: 4)
    with (tmp_path / "requests.csv").open("a") as requests:
        for t in range(190):
            requests.write(f"{START + t + 0.9:.3f},api,api: PUT,200,50.0,\n")
        requests.write(f"{START + 5.95:.3f},api,api: PUT,412,50.0,\n")  # not a new version
    targets = summarise(run, {})["targets"]
    assert targets["api_submissions_per_s_whole_run"] == 4.0
    assert targets["api_revisions_per_s_whole_run"] == 5.0


def test_each_window_shows_how_long_the_records_sent_in_it_took_to_show(tmp_path):
    run = make_run(tmp_path, faults=[], api_per_s=lambda t: 1)
    summary = summarise(run, {"submit_to_visible_p95_by_window": {"0": 1.5, "3": 42.0}})
    by_t = {bucket["t"]: bucket["visible_p95"] for bucket in summary["timeline"]}
    assert by_t[0] == 1.5 and by_t[30] == 42.0 and by_t[10] is None


def test_the_report_shows_the_per_window_figure_in_the_timeline_only(tmp_path):
    from bench.load.report import write_report

    run = make_run(tmp_path, faults=[], api_per_s=lambda t: 1)
    summary = summarise(run, {"submit_to_visible_p95": 3.0, "submit_to_visible_p95_by_window": {"2": 7.5}})
    summary["reconciliation"] = {"submit_to_visible_p95": 3.0, "submit_to_visible_p95_by_window": {"2": 7.5}}
    write_report(summary, tmp_path, tmp_path / "report.md")
    text = (tmp_path / "report.md").read_text()
    assert "| submit to visible p95 | 3.0 |" in text
    assert "by window" not in text
    assert "| 7.5 |" in text
    chart = next(tmp_path.glob("*.svg")).read_text()
    assert "Submit to visible p95 of the records sent then" in chart and "target 10 s" in chart


def test_the_cpu_section_says_how_busy_the_machine_was():
    from bench.load.cpu import MACHINE
    from bench.load.report import busy_share, cpu_lines

    summary = {
        "cpu": {"load": {MACHINE: 1188.0, "web: workers": 262.0}, "load_and_drain": {MACHINE: 1383.0}},
        "records_made": 8701,
        "cores": 2,
        "duration_s": 611.4,
    }
    assert round(busy_share(summary), 3) == 0.972
    text = "\n".join(cpu_lines(summary))
    assert "The machine was busy 97 % of its 2 cores' time during the load" in text
    assert text.index("busy 97 %") < text.index("| part |")
    assert busy_share({**summary, "cores": None}) is None
    assert "was busy" not in "\n".join(cpu_lines({**summary, "cores": None}))
