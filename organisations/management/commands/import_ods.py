"""python manage.py import_ods FILE... [--kind KIND]: load ODS CSV files into the organisation tree."""

from django.core.management.base import BaseCommand, CommandError

from organisations.models import OrganisationKind
from organisations.services import FILE_KINDS, ImportProblem, ods_import

# Real ODS files can hold thousands of closed organisations whose old parents are gone; list this
# many problems of each sort unless asked for all with --verbosity 2.
_PROBLEMS_LISTED = 50


class Command(BaseCommand):
    help = (
        "Import organisations from ODS CSV files (header-less, 27 columns) and link each to its parent. "
        "The kind comes from the file name: "
        + ", ".join(f"{stem}.csv = {kind.label}" for stem, kind in FILE_KINDS.items())
        + ". Re-importing updates organisations in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="ODS CSV files")
        parser.add_argument(
            "--kind",
            choices=OrganisationKind.values,
            help="the kind of every organisation in the files, instead of the kind the file names imply",
        )

    def handle(self, *args, files, kind, verbosity, **options):
        report = ods_import(files, kind=kind)
        limit = None if verbosity >= 2 else _PROBLEMS_LISTED
        self._list("Error", report.errors, limit)
        self._list("Warning", report.warnings, limit)

        kinds = ", ".join(
            f"{kind.label} {report.kinds[kind]}" for kind in OrganisationKind if report.kinds[kind]
        )
        self.stdout.write(
            f"Read {report.rows_read} rows from {len(report.files)} of {len(files)} files"
            + (f" ({kinds})" if kinds else "")
            + "."
        )
        summary = (
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged; "
            f"{_count(len(report.warnings), 'warning')}, {_count(len(report.errors), 'error')}."
        )
        if report.nothing_read:
            raise CommandError(f"Nothing could be read. {summary}")
        self.stdout.write(self.style.SUCCESS(summary) if not report.errors else self.style.WARNING(summary))

    def _list(self, label: str, problems: list[ImportProblem], limit: int | None) -> None:
        for problem in problems[:limit]:
            self.stderr.write(f"{label}: {problem}")
        hidden = len(problems) - len(problems[:limit])
        if hidden:
            self.stderr.write(f"... and {hidden} more {label.lower()}s (--verbosity 2 lists them all)")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
