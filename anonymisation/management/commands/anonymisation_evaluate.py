"""Precision and recall of the anonymisation pipeline on labelled JSON-lines files, side by side.

python manage.py anonymisation_evaluate fixtures/anonymisation/evaluation.jsonl [OTHER.jsonl ...] [--json]

One file prints its table; several print their figures in columns (span recall and precision per entity
type, person recall per name origin, whole-name coverage, must-keep violations per keep type).
"""

import json
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anonymisation.pipeline import get_pipeline
from anonymisation.pipeline.evaluation import Report, evaluate_file, format_report, format_side_by_side


def summary(report: Report) -> dict:
    counts = {
        name: {**asdict(c), "precision": c.precision, "recall": c.recall,
               "char_precision": c.char_precision, "char_recall": c.char_recall}
        for name, c in report.counts.items()
    }  # fmt: skip
    return {
        "examples": report.examples,
        "counts": counts,
        "keep_total": report.keep_total,
        "keep_redacted": report.keep_redacted,
        "keep_redacted_by_type": dict(report.keep_redacted_by_type),
        "keep_total_by_type": dict(report.keep_total_by_type),
        "person_recall_by_origin": {o: report.origin_recall(o) for o in sorted(report.origin_total)},
        "person_spans_by_origin": dict(sorted(report.origin_total.items())),
        "whole_name_coverage": report.whole_name_coverage,
    }


class Command(BaseCommand):
    help = "Score the anonymisation pipeline on labelled JSON lines ({'text', 'spans', 'keep'})."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="labelled JSON-lines files")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument("--batch-size", type=int, default=32)

    def handle(self, *args, **options):
        reports: dict[str, Report] = {}
        pipeline = get_pipeline()
        for name in options["files"]:
            try:
                reports[name] = evaluate_file(name, pipeline, batch_size=options["batch_size"])
            except (OSError, ValueError, KeyError) as error:
                raise CommandError(f"Cannot evaluate {name}: {error}") from error
        if options["json"]:
            if len(reports) == 1:
                self.stdout.write(json.dumps(summary(next(iter(reports.values()))), indent=2))
            else:
                self.stdout.write(json.dumps({n: summary(r) for n, r in reports.items()}, indent=2))
        elif len(reports) == 1:
            self.stdout.write(format_report(next(iter(reports.values()))))
        else:
            self.stdout.write(format_side_by_side({Path(n).name: r for n, r in reports.items()}))
