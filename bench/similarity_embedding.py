"""Embedding throughput and memory of the chosen model, as the worker runs it (no database):
the development set's texts, repeated, encoded in the backfill's batches of 512, then one at a time
as the per-record task does; the process's resident set before loading, after loading and after
every pass, to show its growth stays flat.

    .venv/bin/python bench/similarity_embedding.py [--records 50000]
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lfpse.settings.test")
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from events.similarity import embedding  # noqa: E402
from events.similarity.features import Profile  # noqa: E402

DEV = Path(__file__).resolve().parents[1] / "fixtures" / "similarity" / "dev.jsonl"


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in DEV.read_text().splitlines() if line.strip()]
    texts = (texts * (args.records // len(texts) + 1))[: args.records]
    start = rss_mib()
    model = embedding.current_model()
    loaded = rss_mib()
    print(f"model {model.name}: RSS {start:.0f} MiB before loading, {loaded:.0f} MiB after")
    for number in range(1, 4):
        started = time.perf_counter()
        for i in range(0, len(texts), 512):
            embedding.encode(texts[i : i + 512])
        seconds = time.perf_counter() - started
        rate = len(texts) / seconds
        print(f"pass {number}, batches of 512: {rate:,.0f} records/s, RSS {rss_mib():.0f} MiB")
    started = time.perf_counter()
    for text in texts[:2000]:
        embedding.encode([text])
    print(f"one at a time (the per-record task): {2000 / (time.perf_counter() - started):,.0f} records/s")
    started = time.perf_counter()
    for text in texts[:5000]:
        Profile(key=None, text=text)
    print(f"profiles (terms, signals) for ranking: {5000 / (time.perf_counter() - started):,.0f} records/s")
    print(f"RSS growth after loading: {rss_mib() - loaded:+.0f} MiB")


if __name__ == "__main__":
    main()
