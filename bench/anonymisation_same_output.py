"""Did a change alter what is redacted? Diff two ``manage.py anonymise`` outputs, line by line.

    .venv/bin/python manage.py anonymise < FILE.jsonl > before.jsonl      # on the old code
    .venv/bin/python manage.py anonymise < FILE.jsonl > after.jsonl       # on the new code
    .venv/bin/python bench/anonymisation_same_output.py before.jsonl after.jsonl

Compares the parsed JSON of each line (id, redacted text, entity types and offsets, or error) and the
line count; prints the first differences and exits 1 if there is any, else prints "identical".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def differences(before: list[str], after: list[str]) -> list[str]:
    found = []
    if len(before) != len(after):
        found.append(f"line count: {len(before)} before, {len(after)} after")
    for number, (old, new) in enumerate(zip(before, after, strict=False), start=1):
        old_record, new_record = json.loads(old), json.loads(new)
        if old_record != new_record:
            keys = sorted(
                k for k in old_record.keys() | new_record.keys() if old_record.get(k) != new_record.get(k)
            )
            found.append(f"line {number} (id {old_record.get('id')!r}): differs in {', '.join(keys)}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--show", type=int, default=20, help="differences to print")
    args = parser.parse_args()
    before = args.before.read_text(encoding="utf-8").splitlines()
    after = args.after.read_text(encoding="utf-8").splitlines()
    found = differences(before, after)
    for line in found[: args.show]:
        print(line)
    print(
        f"{args.before} vs {args.after}: {len(before)} lines, "
        + (f"{len(found)} differ" if found else "identical")
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
