"""Precision and recall of the anonymisation pipeline on a labelled JSON-lines file.

python manage.py anonymisation_evaluate fixtures/anonymisation/evaluation.jsonl [--json]
"""

import json
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from anonymisation.pipeline import get_pipeline
from anonymisation.pipeline.evaluation import evaluate_file, format_report


class Command(BaseCommand):
    help = "Score the anonymisation pipeline on labelled JSON lines ({'text', 'spans', 'keep'})."

    def add_arguments(self, parser):
        parser.add_argument("file", help="labelled JSON-lines file")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument("--batch-size", type=int, default=32)

    def handle(self, *args, **options):
        try:
            report = evaluate_file(options["file"], get_pipeline(), batch_size=options["batch_size"])
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Cannot evaluate {options['file']}: {error}") from error
        if options["json"]:
            counts = {
                name: {**asdict(c), "precision": c.precision, "recall": c.recall,
                       "char_precision": c.char_precision, "char_recall": c.char_recall}
                for name, c in report.counts.items()
            }  # fmt: skip
            summary = {
                "examples": report.examples,
                "counts": counts,
                "keep_total": report.keep_total,
                "keep_redacted": report.keep_redacted,
                "keep_redacted_by_type": dict(report.keep_redacted_by_type),
            }
            self.stdout.write(json.dumps(summary, indent=2))
        else:
            self.stdout.write(format_report(report))
