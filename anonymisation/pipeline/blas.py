"""Matrix products for the spaCy model: OpenBLAS on one thread rather than thinc's BLIS.

spaCy's CNN encoders (thinc's ``Maxout`` layers) spend most of the model's time in one matrix product
per layer. thinc does it with the ``blis`` package, whose build here does not use the CPU's wide
vector units: on this machine (AMD EPYC, AVX-512) numpy's bundled OpenBLAS does the same product in a
third of the CPU time (``bench/anonymisation_speed.py`` and ADR 0012 give the figures). OpenBLAS starts
a thread per CPU by default, and its threads spin while they wait, which on a shared two-CPU machine
costs more CPU than it saves; so we use it only when this process can limit it to one thread.

The tags and entities of the model are the same either way (checked on the own and dev sets: every
token's tag and entity label identical), so no redaction changes.
"""

from __future__ import annotations

import ctypes
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

# The thread setters that OpenBLAS builds export: the plain build, and numpy's bundled scipy-openblas
# (64-bit integers, symbols prefixed).
_SETTERS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


def _loaded_openblas() -> list[str]:
    """Paths of the OpenBLAS libraries mapped into this process (numpy loads one when imported)."""
    import numpy  # noqa: F401 - loads its BLAS

    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:  # not Linux
        return []
    lines = maps.splitlines()
    return sorted({line.split()[-1] for line in lines if "openblas" in line.lower() and "/" in line})


def limit_openblas_to_one_thread() -> bool:
    """Ask every loaded OpenBLAS to use one thread; whether at least one of them agreed."""
    limited = False
    for path in _loaded_openblas():
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for name in _SETTERS:
            setter = getattr(library, name, None)
            if setter is not None:
                setter(1)
                limited = True
                break
    return limited


def model_ops():
    """The thinc ops to build the model with: numpy's OpenBLAS on one thread if possible, else the default."""
    from thinc.api import NumpyOps, get_current_ops

    if limit_openblas_to_one_thread():
        return NumpyOps(use_blis=False)
    logger.info("OpenBLAS thread limit unavailable; spaCy keeps thinc's default matrix products")
    return get_current_ops()
