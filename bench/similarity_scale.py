"""Similar events at scale, on the records bench/events_load.py loads (1,000,000 by default):

1. vectors for every record, written with COPY (the bench's shortcut: the service's own backfill
   writes one row at a time; its speed is measured in step 3);
2. the corpus term statistics (statistics.term_statistics_build), timed;
3. the worker's path, `embeddings_backfill`, over records whose vectors are removed first: records a
   second and the process's resident-set growth, without and with the duplicate check per record;
4. "Events like this" (selectors.similar_events) for random records, as a provider organisational
   user, an ICB admin and a super admin (every record visible): median and p95;
5. the duplicate check at submission (submission.duplicate_warning, the new text embedded first):
   median and p95.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lfpse_similar_bench \\
        .venv/bin/python bench/events_load.py --events 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lfpse_similar_bench \\
        .venv/bin/python bench/similarity_scale.py [--samples 200] [--worker-records 20000]
"""

import argparse
import os
import random
import statistics as stats
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lfpse_similar_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "lfpse.settings.test"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from events.models import Event  # noqa: E402
from events.similarity import embedding, selectors, statistics, submission  # noqa: E402
from events.similarity.models import EventEmbedding  # noqa: E402
from events.similarity.services import embeddings_backfill  # noqa: E402

CHUNK = 5000


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def embed_everything() -> None:
    total = Event.objects.filter(visible_revision__isnull=False).count()
    done = EventEmbedding.objects.count()
    if done >= total:
        print(f"vectors: {done:,} already stored")
        return
    if done:  # a run stopped part way: the service's backfill fills the gap
        print(f"vectors: {embeddings_backfill(batch_size=512):,} missing ones made by the backfill")
        return
    EventEmbedding.objects.all().delete()
    model = embedding.current_model().name
    started = time.perf_counter()
    last = 0
    written = 0
    while True:
        rows = list(
            Event.objects.filter(visible_revision__isnull=False, id__gt=last)
            .order_by("id")
            .values_list("id", "visible_revision_id", "search_text")[:CHUNK]
        )
        if not rows:
            break
        vectors = embedding.encode([text or "" for _, _, text in rows])
        with (
            connection.cursor() as cursor,
            transaction.atomic(),
            cursor.copy(
                "COPY similarity_eventembedding"
                " (event_id, revision_id, model_name, vector, coded, updated_at) FROM STDIN"
            ) as copy,
        ):
            for (pk, revision, _), vector in zip(rows, vectors, strict=True):
                copy.write_row((pk, revision, model, embedding.to_bytes(vector), "{}", "now"))
        written += len(rows)
        last = rows[-1][0]
    seconds = time.perf_counter() - started
    print(f"vectors: {written:,} written in {seconds:.0f} s ({written / seconds:,.0f} records/s, COPY)")


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    median = stats.median(ordered)
    return f"median {median:.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms (n={len(ordered)})"


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--worker-records", type=int, default=20_000, help="0: skip the worker passes")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rng = random.Random(18)
    total = Event.objects.filter(visible_revision__isnull=False).count()
    print(f"database {connection.settings_dict['NAME']}: {total:,} processed records")

    embed_everything()
    started = time.perf_counter()
    counted = statistics.term_statistics_build()
    print(f"term statistics: {counted.documents:,} records, {len(counted.frequencies):,} tokens, "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip

    ids = list(Event.objects.filter(visible_revision__isnull=False).values_list("id", flat=True))
    passes = (("without", args.worker_records, False), ("with", 100, True)) if args.worker_records else ()
    for label, count, flag in passes:
        chosen = rng.sample(ids, count)
        EventEmbedding.objects.filter(event_id__in=chosen).delete()
        before = rss_mib()
        started = time.perf_counter()
        done = embeddings_backfill(batch_size=512, flag_duplicates=flag)
        seconds = time.perf_counter() - started
        print(f"worker backfill {label} duplicate check: {done:,} records in {seconds:.1f} s "
              f"({done / seconds:,.0f} records/s), RSS {before:.0f} -> {rss_mib():.0f} MiB")  # fmt: skip

    readers = {
        "provider organisational (RR8)": User.objects.get(email="provider.organisational@nhs.net"),
        "ICB admin (QWO)": User.objects.get(email="icb.admin@nhs.net"),
        "super admin (every record)": User.objects.get(email="super.admin@nhs.net"),
    }
    for label, user in readers.items():
        visible = selectors.events_visible_to(user)
        sample_ids = rng.sample(list(visible.values_list("id", flat=True)[:200_000]), args.samples)
        events = list(Event.objects.filter(id__in=sample_ids))
        selectors.similar_events(user, events[0])  # model and statistics loaded
        times = [timed(selectors.similar_events, user, event) for event in events]
        print(f"events like this, {label}: {percentiles(times)}")
    user = readers["ICB admin (QWO)"]
    times = [timed(selectors.similar_to_description, user, text) for text in (
        "insulin given twice on the ward", "patient fell in the bathroom at night",
        "infusion pump alarm failed", "discharge letter sent to the wrong GP",
    ) * (args.samples // 4)]  # fmt: skip
    print(f"search by description, ICB admin: {percentiles(times)}")

    events = list(
        Event.objects.filter(id__in=rng.sample(ids, args.samples)).select_related(
            "organisation", "visible_revision"
        )
    )
    revisions = [
        SimpleNamespace(
            event=event,
            answers=event.visible_revision.redacted_answers,
            question_set_version=event.visible_revision.question_set_version,
            number=1,  # a new record's first revision
        )
        for event in events
    ]
    submission.duplicate_warning(revisions[0])
    times = [timed(submission.duplicate_warning, revision) for revision in revisions]
    print(f"duplicate check at submission: {percentiles(times)}")


if __name__ == "__main__":
    main()
