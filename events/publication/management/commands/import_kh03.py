from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.publication.kh03 import kh03_import


class Command(BaseCommand):
    help = "Imports bed availability (KH03, CSV) as the denominators of trusts' recording rates."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"{file} does not exist")
        report = kh03_import(file)
        for error in report.errors:
            self.stderr.write(error)
        self.stdout.write(f"Imported {report.imported} rows; {len(report.errors)} errors")
