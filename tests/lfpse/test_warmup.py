"""Web and worker processes load what their first request or task needs before serving it
(lfpse/warmup.py, docs/adr/0022 amended)."""

import logging

from celery.signals import worker_init

from anonymisation.pipeline import lexicon
from events.fhir import mapping
from events.similarity import embedding
from lfpse import warmup


def test_the_web_warm_up_loads_the_lexicon_the_vector_model_and_the_placements(monkeypatch):
    monkeypatch.setattr(lexicon, "_lexicon", None)
    monkeypatch.setattr(embedding, "_loaded", {})
    mapping.placements.cache_clear()
    took = warmup.web()
    assert set(took) == {"lexicon", "embedding_model", "fhir_placements"}
    assert lexicon._lexicon is not None and lexicon._lexicon.drugs
    assert embedding._loaded
    assert mapping.placements.cache_info().currsize == len(list(mapping.PLACEMENTS_DIR.glob("v*.yaml")))


def test_a_step_that_fails_is_logged_and_left_to_its_first_use(caplog):
    def broken():
        raise OSError("disk full")

    with caplog.at_level(logging.ERROR, logger="lfpse.warmup"):
        took = warmup.run((broken,))
    assert "broken" in took
    assert "left to its first use" in caplog.text


def test_a_celery_worker_warms_up_when_it_starts_unless_told_not_to(settings, monkeypatch):
    from lfpse.celery import _warm_up

    assert _warm_up in [receiver() for _key, receiver in worker_init.receivers]
    called = []
    monkeypatch.setattr(warmup, "worker", lambda: called.append("worker"))
    settings.WARM_UP_ON_START = True
    _warm_up()
    settings.WARM_UP_ON_START = False
    _warm_up()
    assert called == ["worker"]


def test_a_web_process_lets_a_waiting_thread_take_the_interpreter_lock_sooner():
    """lfpse/wsgi.py sets the switch interval from the settings (1 ms unless told otherwise): a page
    waiting on the database is not held for Python's 5 ms after each answer (docs/adr/0022)."""
    import os
    import subprocess
    import sys

    script = "import sys, lfpse.wsgi; print(sys.getswitchinterval())"

    def interval(**env) -> float:
        done = subprocess.run(
            [sys.executable, "-c", script],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "lfpse.settings.test",
                "WARM_UP_ON_START": "0",
                **env,
            },
            capture_output=True,
            text=True,
            check=True,
        )
        return float(done.stdout.strip().splitlines()[-1])

    assert interval() == 0.001
    assert interval(WEB_THREAD_SWITCH_INTERVAL_MS="5") == 0.005
