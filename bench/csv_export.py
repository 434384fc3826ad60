"""Time "Download event data" on PostgreSQL: rows per second and memory while ~500,000 rows stream out.

    .venv/bin/python bench/events_load.py            # once: a million records
    .venv/bin/python bench/csv_export.py [--limit 500000]

Uses the database bench/events_load.py filled (DATABASE_URL, by default lfpse_bench_events). The CSV
of the demo ICB user (NHS West Yorkshire ICB and every organisation below it) is requested through
Django's test client and read chunk by chunk, the way a server hands a StreamingHttpResponse to the
network; nothing is kept. Prints rows per second, bytes, and the process's resident memory before,
during (every 100,000 rows) and at its peak.
"""

import argparse
import resource
import sys
import time
from pathlib import Path

ICB_USER = "icb.organisational@nhs.net"
TARGET_ROWS_PER_SECOND = 20_000
TARGET_PEAK_MB = 300


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="stop after this many rows (default: all)")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from events_load import setup_django

    setup_django()
    run(args.limit)


def run(limit: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email=ICB_USER))
    print(f"Database: {connection.settings_dict['NAME']}")
    client.get(reverse("events:download"))  # a running server has its URL modules imported already
    before = resident_mb()
    print(f"Resident memory before: {before:.0f} MB")

    started = time.perf_counter()
    response = client.get(reverse("events:download_csv"), {"version": "5"})
    assert response.status_code == 200 and response.streaming, response.status_code
    rows, size, next_report = -1, 0, 100_000  # the first line is the header
    first_byte = None
    for chunk in response.streaming_content:
        if first_byte is None:
            first_byte = time.perf_counter() - started
        size += len(chunk)
        rows += chunk.count(b"\r\n")  # each row ends in CRLF; the generated answers have no line breaks
        if rows >= next_report:
            print(
                f"  {rows:>9,} rows  {time.perf_counter() - started:6.1f} s  resident {resident_mb():5.0f} MB"
            )
            next_report += 100_000
        if limit and rows >= limit:
            break
    response.close()
    elapsed = time.perf_counter() - started
    rate = rows / elapsed
    print(f"\nRows: {rows:,} in {elapsed:.1f} s: {rate:,.0f} rows/s", end=" ")
    print(f"({size / elapsed / 1e6:.1f} MB/s, {size / 1e6:.0f} MB)")
    print(f"First bytes after {first_byte * 1000:.0f} ms")
    print(f"Resident memory: {before:.0f} MB before, {resident_mb():.0f} MB after, peak {peak_mb():.0f} MB")
    met = rate >= TARGET_ROWS_PER_SECOND
    print(f"Target >= {TARGET_ROWS_PER_SECOND:,} rows/s: {'met' if met else 'NOT met'}")
    print(f"Target peak < {TARGET_PEAK_MB} MB: {'met' if peak_mb() < TARGET_PEAK_MB else 'NOT met'}")


if __name__ == "__main__":
    main()
