import datetime as dt
import re

from django.core.management.base import BaseCommand, CommandError

from events.publication.services import release_build

QUARTER = re.compile(r"^(\d{4})-q([1-4])$")


class Command(BaseCommand):
    help = (
        "Builds a quarter's statistics as a pre-release: version 1, or a revised version when the "
        "quarter already has one. A super admin then previews and publishes it at /statistics/pre-release/."
    )

    def add_arguments(self, parser):
        parser.add_argument("quarter", help="the quarter, for example 2026-q3")

    def handle(self, *args, quarter: str, **options):
        matched = QUARTER.match(quarter.lower())
        if not matched:
            raise CommandError("Give the quarter as YYYY-qN, for example 2026-q3")
        start = dt.date(int(matched.group(1)), (int(matched.group(2)) - 1) * 3 + 1, 1)
        release = release_build(quarter_start=start)
        self.stdout.write(f"Built {release} ({release.label.lower()}): {release.record_count} records")
