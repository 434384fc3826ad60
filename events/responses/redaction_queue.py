"""Queue a response's document for redaction once the save commits (the worker: tasks.py)."""

from django.db import transaction


def response_redaction_queue(response) -> None:
    response_id = response.pk

    def send() -> None:
        from .tasks import redact_response

        redact_response.delay(response_id)

    transaction.on_commit(send)
