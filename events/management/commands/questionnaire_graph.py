from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.questionnaire import (
    QUESTION_SETS_SHIPPED,
    RECORDER,
    available_versions,
    latest_version,
    load_question_set,
    to_dot,
)


class Command(BaseCommand):
    help = "Write the branching graph of a question set version as Graphviz DOT (for reviewers)."

    def add_base_argument(self, parser, *args, **kwargs):
        if "--version" in args:
            return  # here --version names the question set version, not Django's
        super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--question-set",
            dest="name",
            default=RECORDER,
            choices=QUESTION_SETS_SHIPPED,
            help="which question set (default: the recorder's)",
        )
        parser.add_argument("--version", dest="qs_version", help="question set version (default: the latest)")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(
        self, *args, name: str = RECORDER, qs_version: str | None = None, output: str | None = None, **options
    ):
        version = qs_version or latest_version(name)
        if version not in available_versions(name):
            which = "" if name == RECORDER else f"{name} "
            raise CommandError(
                f"No {which}question set version {version}. Shipped: {', '.join(available_versions(name))}."
            )
        dot = to_dot(load_question_set(version, name))
        if output:
            Path(output).write_text(dot, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote the version {version} question graph to {output}."))
        else:
            self.stdout.write(dot, ending="")
