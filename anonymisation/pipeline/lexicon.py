"""Name, drug and English-word knowledge, loaded on first use (see docs/adr/0012).

- Given names and surnames: each name's best rank in any country, derived from ``names-dataset``;
- drug names and brands: from ``drug-named-entity-recognition``'s dictionary;
- how common a word is in English: ``wordfreq`` (Zipf scale: 7 for "the", 3 for "referral", 0 unseen).

All three are derived once into one cache file by a subprocess (``lexicon_build``), because the raw
datasets need gigabytes and seconds to load, and a worker's start-up counts. The cache sits in
``ANONYMISATION_CACHE_DIR`` (setting, then environment), default ``~/.cache/lfpse-anonymisation``, named
after the package versions it came from.
Nothing here is fetched from the network. When a package is missing, its part is empty and the pipeline
falls back to context and shape alone.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

FORMAT = 3  # of the cache file; lexicon_build writes it

SETTING_NAME = "ANONYMISATION_CACHE_DIR"
DEFAULT_CACHE_DIR = Path.home() / ".cache" / "lfpse-anonymisation"
# Ranks: 1 is the most common name of some country. Below these a name counts as "common".
COMMON_GIVEN = 3_000
COMMON_SURNAME = 3_000

_lock = threading.Lock()
_lexicon: Lexicon | None = None


def cache_dir() -> Path:
    try:
        from django.conf import settings

        if settings.configured and getattr(settings, SETTING_NAME, None):
            return Path(getattr(settings, SETTING_NAME))
    except ImportError:  # pragma: no cover
        pass
    return Path(os.environ.get(SETTING_NAME) or DEFAULT_CACHE_DIR)


def cache_path() -> Path:
    from .lexicon_build import source_versions

    tag = "-".join(f"{v or 'none'}" for v in source_versions().values())
    return cache_dir() / f"lexicon-v{FORMAT}-{tag}.pickle"


def build_cache(path: Path | None = None) -> Path:
    """Write the cache file in a child process (its memory is returned to the system when it exits).

    One process builds it: the others that find it missing meanwhile (every web and worker process
    starts at once after a deploy) wait on a lock file beside it and then read what it wrote. Each
    building its own took about 2 GB and 15 s of CPU apiece: with four at once on two cores, every
    request of the first half-minute waited (docs/adr/0022, amended)."""
    path = path or cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with (path.parent / f".{path.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process ends
        if not path.exists():
            _run_build(path)
    return path


def _run_build(path: Path) -> None:
    subprocess.run(  # noqa: S603 - our own module, run by this interpreter
        [sys.executable, "-m", "anonymisation.pipeline.lexicon_build", str(path)],
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
    )


@dataclass
class Lexicon:
    given: dict[str, int] = field(default_factory=dict)
    surname: dict[str, int] = field(default_factory=dict)
    drugs: dict[str, bool] = field(default_factory=dict)
    english: dict[str, float] = field(default_factory=dict)  # word -> Zipf frequency (wordfreq)

    def given_rank(self, folded: str) -> int | None:
        return self.given.get(folded)

    def surname_rank(self, folded: str) -> int | None:
        return self.surname.get(folded)

    def is_name(self, folded: str, *, given: int = COMMON_GIVEN, surname: int = COMMON_SURNAME) -> bool:
        """Whether ``folded`` (lower case, no accents) is a name ranked in some country's top names."""
        g, s = self.given.get(folded), self.surname.get(folded)
        return (g is not None and g <= given) or (s is not None and s <= surname)

    def is_drug(self, folded: str) -> bool:
        return folded in self.drugs

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        with path.open("rb") as handle:
            data = pickle.load(handle)  # noqa: S301 - our own cache file, written by lexicon_build
        if data.get("format") != FORMAT:
            raise ValueError(f"lexicon cache {path} has format {data.get('format')!r}")
        return cls(data["given"], data["surname"], data["drugs"], data.get("english", {}))


def get_lexicon() -> Lexicon:
    """The process-wide lexicon: the cache file, built first if missing; empty if it cannot be built."""
    global _lexicon
    if _lexicon is not None:  # the common case, without taking the lock
        return _lexicon
    with _lock:
        if _lexicon is None:
            path = cache_path()
            try:
                if not path.exists():
                    build_cache(path)
                _lexicon = Lexicon.load(path)
            except (OSError, ValueError, subprocess.CalledProcessError) as error:
                logger.warning("Name and drug lexicon unavailable (%s); using context rules only", error)
                _lexicon = Lexicon()
        return _lexicon


def english_zipf(word: str) -> float:
    """How common ``word`` (lower case) is in English text: Zipf scale, 7 for "the", 0 when unseen."""
    return get_lexicon().english.get(word, 0.0)


def reset() -> None:
    global _lexicon
    with _lock:
        _lexicon = None
