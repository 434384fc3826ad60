"""`make run` and `make test`'s default run on SQLite, CI on PostgreSQL. Statements written by hand
for PostgreSQL once broke every redaction's duplicate check in the demo, and no CI run saw it. So
when the suite runs on PostgreSQL, the tests of the hand-written reads run again here on SQLite, in a
process of their own."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# The tests whose code reads the database through SQL written by hand.
HAND_WRITTEN_READS = ("tests/similarity/test_duplicates.py", "tests/lfpse/test_prepared.py")


def test_the_hand_written_reads_also_work_on_sqlite():
    if connection.vendor == "sqlite":
        pytest.skip("this run is on SQLite already")
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *HAND_WRITTEN_READS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stdout[-4000:] + finished.stderr[-2000:]
