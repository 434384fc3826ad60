"""Celery entry points of the similarity app; the work is done by services."""

from celery import shared_task


@shared_task(
    name="similarity.event_embed",
    acks_late=True,
    autoretry_for=(Exception,),
    max_retries=5,
    retry_backoff=True,
)
def event_embed_task(event_id: int) -> bool:
    """Vector and duplicate flags of a record whose visible revision changed."""
    from .services import event_embed

    return event_embed(event_id)


@shared_task(name="similarity.embeddings_refresh", acks_late=True)
def embeddings_refresh_task() -> int:
    """Embeds records that lack a vector of the current model (a model change re-embeds them here,
    in the background, a batch at a time; run every few minutes by beat). Records a stopped worker
    left without their vector (events_missed_by_their_worker) get their duplicate flags too."""
    from .services import embeddings_backfill, events_missed_by_their_worker

    missed = embeddings_backfill(limit=5000, events=events_missed_by_their_worker(), flag_duplicates=True)
    return missed + embeddings_backfill(limit=5000)


@shared_task(name="similarity.themes_build", acks_late=True)
def themes_build_task() -> int:
    """Clusters last month's records per ICB and nationally (run daily by beat; a month is built once)."""
    from .themes import themes_build_due

    return themes_build_due()


@shared_task(name="similarity.term_statistics_build", acks_late=True)
def term_statistics_build_task() -> int:
    """Recounts the corpus statistics (run daily by beat)."""
    from .statistics import term_statistics_build

    return term_statistics_build().documents
