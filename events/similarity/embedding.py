"""Sentence vectors for redacted text, from a model whose weights ship in an installed package.

The model is a setting (`SIMILARITY_EMBEDDING_MODEL`), and every stored vector carries the model's
name: when the setting changes, the vectors of the old model are re-made in the background
(`tasks.embeddings_refresh`). Nothing is downloaded: the loader is told to use the package's own files.

The choice of model (WordLlama's static 256-dimension vectors over an int8 MiniLM) is measured in
docs/adr/0020-similar-events-duplicates-and-themes.md and bench/similarity_models.py.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

DTYPE = np.float32


@dataclass(frozen=True)
class EmbeddingModel:
    name: str  # stored with every vector
    dimensions: int
    encode: Callable[[Sequence[str]], np.ndarray]  # unit-length float32 rows


def _wordllama() -> EmbeddingModel:
    import wordllama
    from wordllama import WordLlama

    model = WordLlama.load(
        config="l2_supercat", cache_dir=Path(wordllama.__file__).parent, disable_download=True, dim=256
    )

    def encode(texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 256), dtype=DTYPE)
        return np.asarray(model.embed(list(texts), norm=True), dtype=DTYPE)

    return EmbeddingModel(f"wordllama-l2_supercat-256@{wordllama.__version__}", 256, encode)


LOADERS: dict[str, Callable[[], EmbeddingModel]] = {"wordllama": _wordllama}

_lock = threading.Lock()
_loaded: dict[str, EmbeddingModel] = {}


def current_model() -> EmbeddingModel:
    """The configured model, loaded once per process."""
    key = getattr(settings, "SIMILARITY_EMBEDDING_MODEL", "wordllama")
    if key not in _loaded:
        with _lock:
            if key not in _loaded:
                _loaded[key] = LOADERS[key]()
    return _loaded[key]


def encode(texts: Sequence[str]) -> np.ndarray:
    return current_model().encode(texts)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=DTYPE).tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=DTYPE)
