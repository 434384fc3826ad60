"""The back-fill fault: COUNT revisions of loaded records asked to be redacted again, all at once.

    (stack environment) .venv/bin/python bench/load/backfill.py 10000

Goes through `redaction_backfill` (events/redaction.py), the path a national re-redaction would take:
the runs are marked and the tasks dropped onto the low-priority queue, which workers take only when the
live queue is empty.
"""

import sys

import django


def main() -> None:
    django.setup()
    from events.models import EventRevision
    from events.redaction import redaction_backfill

    count = int(sys.argv[1])
    ids = list(
        EventRevision.objects.filter(redaction_status="complete", number=1)
        .order_by("pk")  # the oldest: loaded records, not the run's own
        .values_list("pk", flat=True)[:count]
    )
    queued = redaction_backfill(ids)
    print(f"{queued} redaction tasks queued for a back-fill")


if __name__ == "__main__":
    main()
