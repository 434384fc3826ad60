"""What a web or worker process loads before it serves its first request or task (docs/adr/0022).

Left to the first request, these loads were paid by whoever came first and, worse, by everyone behind
them: the name and drug lexicon is built into a cache file on first use when the file is missing (a
fresh machine, a new container, a new package version; about 15 s of CPU and 2 GB), the sentence-
vector model takes a second or two, the FHIR placements are read from YAML. The first load run after
a reboot had every process build the lexicon at once (four builds on two cores): the first API
submissions held their threads for 30 s, and gunicorn's gthread workers kept accepting connections
that queued behind them, so sign-in pages, dashboards and /healthz hung with them.

`lfpse/wsgi.py` calls `web()` as each gunicorn worker imports the application, before it accepts a
connection; `lfpse/celery.py` calls `worker()` when a Celery worker starts (before its pool forks, so
prefork children inherit what it loaded). A load that fails is logged and left to the first use, as
before: starting is never refused for it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


def _lexicon() -> None:
    from anonymisation.pipeline.lexicon import get_lexicon

    get_lexicon()


def _embedding_model() -> None:
    from events.similarity.embedding import current_model

    current_model()


def _fhir_placements() -> None:
    from events.fhir.mapping import PLACEMENTS_DIR, placements

    for path in sorted(PLACEMENTS_DIR.glob("v*.yaml")):
        placements(path.stem[1:])


def _redaction_pipeline() -> None:
    from anonymisation.pipeline.engine import get_pipeline

    get_pipeline()


WEB: tuple[Callable[[], None], ...] = (_lexicon, _embedding_model, _fhir_placements)
WORKER: tuple[Callable[[], None], ...] = (_lexicon, _embedding_model, _redaction_pipeline)


def run(steps: tuple[Callable[[], None], ...]) -> dict[str, float]:
    """Runs each step; returns the seconds each took (a failed step is logged, not raised)."""
    took = {}
    for step in steps:
        started = time.perf_counter()
        try:
            step()
        except Exception:  # a process starts anyway; the first use loads it again
            logger.exception("warm-up step %s failed; left to its first use", step.__name__)
        took[step.__name__.strip("_")] = round(time.perf_counter() - started, 3)
    return took


def web() -> dict[str, float]:
    return run(WEB)


def worker() -> dict[str, float]:
    return run(WORKER)
