"""`manage.py similar_events_evaluate FILE`: the service's ranking and duplicate rule over a labelled
JSON-lines file, next to a TF-IDF baseline (events/similarity/evaluation.py)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.similarity import evaluation


class Command(BaseCommand):
    help = "Scores similar-event ranking and duplicate flags on a labelled JSON-lines file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            lines = evaluation.read_labelled(file)
        except evaluation.MalformedLine as problem:
            raise CommandError(str(problem)) from None
        started = time.perf_counter()
        evaluation.attach_vectors(lines)
        ours = evaluation.evaluate_ours(lines)
        baseline = evaluation.evaluate_baseline(lines)
        for line in evaluation.report(ours, baseline, lines):
            self.stdout.write(line)
        self.stdout.write(f"seconds: {time.perf_counter() - started:.1f}")
        self.stdout.write(evaluation.last_line(ours))
