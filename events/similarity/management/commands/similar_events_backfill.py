"""`manage.py similar_events_backfill`: vectors for every processed record that lacks one of the
current model (or has one of an older revision), with a progress bar."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from events.similarity import embedding
from events.similarity.services import embeddings_backfill, events_needing_embedding
from events.similarity.statistics import term_statistics_build


class Command(BaseCommand):
    help = "Embeds the redacted text of every record that needs it (a model change re-embeds all)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=512)
        parser.add_argument(
            "--flag-duplicates", action="store_true", help="also refresh each record's duplicate flags"
        )

    def handle(self, *args, batch_size: int, flag_duplicates: bool, **options):
        model = embedding.current_model()
        total = events_needing_embedding().count()
        self.stdout.write(f"{total} record(s) to embed with {model.name}")
        with tqdm(total=total, unit="record", file=self.stderr, disable=total == 0) as bar:
            done = embeddings_backfill(
                batch_size=batch_size, progress=bar.update, flag_duplicates=flag_duplicates
            )
        self.stdout.write(f"Embedded {done} record(s)")
        stats = term_statistics_build()
        self.stdout.write(f"Term statistics counted over {stats.documents} record(s)")
