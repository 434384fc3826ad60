"""Build a quarterly statistics release over the million-record database, then time the public pages.

    .venv/bin/python bench/events_load.py            # once: a million records
    nice -n 10 .venv/bin/python bench/statistics_release.py [--repetitions 200]

Uses DATABASE_URL (by default lfpse_bench_events, which bench/events_load.py filled) and migrates only
the publication app into it. Prints the build's wall time, its peak memory (the process's maximum
resident set size, measured from a baseline taken before the build) and how many cells it published;
then publishes the release and requests each public page (national, region, ICB, trust, the funnel
plot, one table's CSV, the month-by-type table's CSV) through Django's test client, printing median
and 95th percentile times.
The bench's releases are deleted at the end; the records are never touched.
Targets: build <= 60 s and <= 500 MB; any public page p95 <= 100 ms.
"""

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import time
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lfpse_bench_events"
TARGETS = {"build_seconds": 60, "build_mb": 500, "page_p95_ms": 100}


def setup() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.support.bench_settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "publication", verbosity=0)


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the release (default: delete it)")
    args = parser.parse_args()
    setup()

    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from events.publication.kh03 import kh03_import
    from events.publication.models import Release, ReleaseArea
    from events.publication.services import quarter_start_of, release_build, release_publish
    from events.publication.source import published_records

    kh03_import(Path(__file__).resolve().parent.parent / "fixtures" / "kh03" / "kh03-sample.csv")
    print(f"published records in the database: {published_records().count():,}")
    quarter = quarter_start_of(quarter_start_of(timezone.localdate()) - dt.timedelta(days=1))
    baseline = max_rss_mb()
    started = time.perf_counter()
    release = release_build(quarter_start=quarter)
    build_seconds = time.perf_counter() - started
    build_mb = max_rss_mb() - baseline
    print(
        f"release {release.slug} v{release.version}: {release.record_count:,} records in the 12 months, "
        f"{release.cells.count():,} cells, {release.areas.count()} areas"
    )
    print(
        f"build: {build_seconds:.1f} s (target <= {TARGETS['build_seconds']} s), "
        f"peak memory +{build_mb:.0f} MB over a {baseline:.0f} MB baseline "
        f"(target <= {TARGETS['build_mb']} MB)"
    )

    admin = User.objects.filter(is_super_admin=True).first() or User.objects.create(
        email="bench.super.admin@nhs.net", is_super_admin=True
    )
    release_publish(release=release, actor=admin)
    areas = {a.level: a.code for a in ReleaseArea.objects.filter(release=release)}
    client = Client(HTTP_HOST="localhost")
    pages = {
        "national": f"/statistics/{release.slug}/",
        "region": f"/statistics/{release.slug}/area/{areas['region']}/",
        "icb": f"/statistics/{release.slug}/area/{areas['icb']}/",
        "trust": f"/statistics/{release.slug}/area/RR8/",
        "funnel": f"/statistics/{release.slug}/trusts/",
        "table csv": f"/statistics/{release.slug}/area/{areas['icb']}/event_type.csv",
        "split csv": f"/statistics/{release.slug}/area/{areas['icb']}/recorded_month_by_type.csv",
    }
    worst = 0.0
    for label, url in pages.items():
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.repetitions):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1]
        worst = max(worst, p95)
        print(f"{label:10} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms")
    print(f"worst page p95: {worst:.1f} ms (target <= {TARGETS['page_p95_ms']} ms)")
    started = time.perf_counter()
    size = len(client.get(f"/statistics/{release.slug}/v{release.version}/data.csv").content)
    print(f"whole-release CSV: {size / 1024:.0f} KiB in {(time.perf_counter() - started) * 1000:.0f} ms")
    if not args.keep:
        Release.objects.filter(pk=release.pk).delete()


if __name__ == "__main__":
    main()
