import pytest

from .support import fake_pipeline


@pytest.fixture(autouse=True)
def _free_text_pipeline(monkeypatch, request):
    """In-process redaction of response free text replaces one name (tests/responses/support.py);
    the real pipeline runs on the real worker in test_redaction_worker.py. Outside the worker tests,
    tasks queued on commit (redaction, emails) run at once in the test process, so the email outbox
    sees what the worker would send."""
    monkeypatch.setattr("events.responses.free_text.redact_texts", fake_pipeline)
    if request.node.get_closest_marker("worker") is not None:
        yield
        return
    from lfpse.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
