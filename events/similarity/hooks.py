"""The similarity app listens to the lifecycle: when a record's visible (redacted) revision changes,
its vector and duplicate flags are rebuilt by the worker once the transaction commits."""

from functools import partial

from django.db import transaction

from events.extensions import submission_checks, visible_revision_changed


def _queue_embedding(sender, *, event_id: int, revision_id: int, **kwargs) -> None:
    from .tasks import event_embed_task

    transaction.on_commit(partial(event_embed_task.delay, event_id))


def connect() -> None:
    from .submission import duplicate_warning

    visible_revision_changed.connect(_queue_embedding, dispatch_uid="similarity.embed")
    if duplicate_warning not in submission_checks:
        submission_checks.append(duplicate_warning)
