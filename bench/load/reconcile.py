"""The reconciliation at the end of a load run: every accepted submission against the database.

Accepted means: the API answered 201 (or 200 to a PUT, with the version it made), or "Record
Submitted" showed a reference. Each must exist exactly once, with as many revisions as the versions
acknowledged, every revision redacted and the latest one the visible one. Records made during the run
that nobody was told about are counted apart: up to the number of requests whose answer never came
they are unacknowledged, beyond it duplicates.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def drafts_of(entries: list[dict]) -> dict[str, list[str]]:
    """Drafts the recorders wrote down: lost (a 404, or an anonymous draft sent to sign in; the recorder
    gave it up and started another, so it was never recovered) and signed out (a sign-in page instead of
    the draft: the recorder signed in again and went back to it). Each draft once, however many
    requests it took."""
    lost = dict.fromkeys(e["draft"] for e in entries if e["kind"] == "draft-lost")
    signed_out = dict.fromkeys(e["draft"] for e in entries if e["kind"] == "draft-signed-out")
    return {"lost": list(lost), "signed_out": list(signed_out)}


def reconcile(dsn: str, accepted_path: Path, load_started: float) -> dict:
    import psycopg

    api_versions: dict[str, int] = {}
    api_sent: dict[str, float] = {}
    unknown_puts: Counter[str] = Counter()
    forms: dict[str, float] = {}
    unknown_creates = 0
    lines = accepted_path.read_text().splitlines() if accepted_path.exists() else []
    entries = [json.loads(line) for line in lines]
    # A request written down as sent with no answer written (cut off when the run stopped) is one
    # whose answer never came.
    resolved = {e["intent"] for e in entries if not e["kind"].endswith("-intent") and "intent" in e}
    drafts = drafts_of(entries)
    for entry in entries:
        kind = entry["kind"]
        if kind.startswith("draft-"):
            continue
        if kind.endswith("-intent"):
            if entry["intent"] not in resolved:
                if kind == "api-put-intent":
                    unknown_puts[entry["id"]] += 1
                else:
                    unknown_creates += 1
            continue
        if kind == "api":
            api_versions[entry["id"]] = max(api_versions.get(entry["id"], 0), entry["version"])
            if entry["version"] == 1:
                api_sent[entry["id"]] = entry["sent"]
        elif kind == "api-put-unknown":
            unknown_puts[entry["id"]] += 1
        elif kind == "form":
            forms[entry["reference"]] = entry["sent"]
        else:
            unknown_creates += 1

    with psycopg.connect(dsn) as db:
        rows = db.execute(
            """
            SELECT e.uuid::text, e.reference, e.visible_revision_id,
                   count(r.id), max(r.number),
                   count(r.id) FILTER (WHERE r.redaction_status <> 'complete'),
                   (SELECT id FROM events_eventrevision l WHERE l.event_id = e.id ORDER BY number DESC LIMIT 1),
                   (SELECT extract(epoch FROM q.completed_at)::float8 FROM events_eventrevision f
                      JOIN anonymisation_redactionrun q ON q.revision_id = f.id WHERE f.event_id = e.id AND f.number = 1)
            FROM events_event e JOIN events_eventrevision r ON r.event_id = e.id
            WHERE e.created_at >= to_timestamp(%s)
            GROUP BY e.id
            """,
            [load_started - 5],
        ).fetchall()
        reruns_left = db.execute(
            "SELECT count(*) FROM anonymisation_redactionrun WHERE rerun_requested_at IS NOT NULL"
        ).fetchone()[0]
        drafts_kept = db.execute(
            "SELECT count(*) FROM events_draft WHERE key::text = ANY(%s)", [drafts["lost"]]
        ).fetchone()[0]
        pending_anywhere = db.execute(
            "SELECT count(*) FROM events_eventrevision WHERE redaction_status <> 'complete'"
        ).fetchone()[0]

    by_uuid = {row[0]: row for row in rows}
    by_reference = {row[1]: row for row in rows}
    lost_api = [i for i in api_versions if i not in by_uuid]
    lost_forms = [r for r in forms if r not in by_reference]
    wrong_revisions = []
    for resource_id, version in api_versions.items():
        row = by_uuid.get(resource_id)
        if row is not None and not version <= row[3] <= version + unknown_puts[resource_id]:
            wrong_revisions.append({"id": resource_id, "acknowledged": version, "in_database": row[3]})
    for reference in forms:
        row = by_reference.get(reference)
        if row is not None and row[3] != 1:
            wrong_revisions.append({"reference": reference, "acknowledged": 1, "in_database": row[3]})
    accepted_rows = [by_uuid[i] for i in api_versions if i in by_uuid] + [
        by_reference[r] for r in forms if r in by_reference
    ]
    unredacted = sum(row[5] for row in accepted_rows)
    not_visible = sum(1 for row in accepted_rows if row[2] != row[6])
    extras = len(rows) - len(accepted_rows)
    sent_and_visible = [
        (api_sent[row[0]], row[7])
        for row in (by_uuid[i] for i in api_sent if i in by_uuid)
        if row[7] is not None
    ] + [
        (forms[row[1]], row[7])
        for row in (by_reference[r] for r in forms if r in by_reference)
        if row[7] is not None
    ]
    visible_after = [shown - sent for sent, shown in sent_and_visible]
    # Which records waited: submit to visible by the 10-second window they were sent in (report timeline).
    by_window: dict[int, list[float]] = {}
    for sent, shown in sent_and_visible:
        by_window.setdefault(int((sent - load_started) // 10), []).append(shown - sent)
    return {
        "accepted_api_records": len(api_versions),
        "accepted_api_versions": sum(api_versions.values()),
        "accepted_form_records": len(forms),
        "answers_never_received": unknown_creates,
        "unknown_put_outcomes": sum(unknown_puts.values()),
        "records_made_during_run": len(rows),
        "lost": len(lost_api) + len(lost_forms),
        "lost_examples": (lost_api + lost_forms)[:5],
        "wrong_revision_count": len(wrong_revisions),
        "wrong_revision_examples": wrong_revisions[:5],
        "unacknowledged": min(extras, unknown_creates),
        "duplicated": max(0, extras - unknown_creates),
        "unredacted_revisions": unredacted,
        "pending_revisions_anywhere": pending_anywhere,
        "backfill_reruns_left": reruns_left,
        "not_visible": not_visible,
        "submit_to_visible_p50": percentile(visible_after, 0.5),
        "submit_to_visible_p95": percentile(visible_after, 0.95),
        "submit_to_visible_max": max(visible_after, default=None),
        "submit_to_visible_count": len(visible_after),
        "submit_to_visible_p95_by_window": {
            str(w): percentile(v, 0.95) for w, v in sorted(by_window.items())
        },
        # Distinct drafts; the requests that answered 404 are counted apart (bench/load/report.py).
        "drafts_lost": len(drafts["lost"]),
        "drafts_lost_still_in_database": drafts_kept,
        "drafts_lost_examples": drafts["lost"][:5],
        "drafts_signed_out": len(drafts["signed_out"]),
    }
