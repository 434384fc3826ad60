from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lfpse.demo import DEMO_PASSWORD, DEMO_USERS, demo_data_load, demo_events_load


class Command(BaseCommand):
    help = "Load the demo organisations, one demo user per account type and example records (demo only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load even though DEBUG is off (never on a real service: the passwords are public).",
        )

    def handle(self, *args, allow_without_debug: bool = False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError("Demo users have published passwords: load them only with DEBUG on.")
        summary = demo_data_load()
        events = demo_events_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {summary['organisations']} organisations, "
                f"{summary['users_created']} new demo users, {events} example records."
            )
        )
        if summary["users_created"]:
            for demo in DEMO_USERS:
                self.stdout.write(f"  {demo.email} / {DEMO_PASSWORD}")
