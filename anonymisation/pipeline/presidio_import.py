"""Import Presidio without importing (and compiling) its ~60 predefined recognisers.

``import presidio_analyzer`` imports ``presidio_analyzer.predefined_recognizers``, whose package
``__init__`` imports every built-in recogniser module; their class bodies compile large regular
expressions (the URL recogniser alone takes ~0.15 s), about 0.5 s of a worker's start-up. Our analyser
uses none of them, only Presidio's plumbing, so :func:`defer_predefined_recognisers` puts a stand-in
package in ``sys.modules`` before Presidio is imported. The stand-in:

- serves the three NLP-engine recognisers that Presidio's registry imports at load time from their own
  small sub-package;
- runs the real package ``__init__`` (into the same module object) on first access to anything else, and
  :func:`load_predefined_recognisers` does so explicitly: Presidio finds its predefined recognisers
  through ``EntityRecognizer.__subclasses__()``, so anything that builds Presidio's default registry
  (the plain-Presidio baseline of the benchmarks) must call it first.

If Presidio was already imported, nothing is deferred and both functions do nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

from .deferred_module import DeferredModule

PACKAGE = "presidio_analyzer.predefined_recognizers"
_NLP_ENGINE_RECOGNISERS = frozenset({"SpacyRecognizer", "StanzaRecognizer", "TransformersRecognizer"})


class _DeferredPackage(DeferredModule):
    """``presidio_analyzer.predefined_recognizers`` until something needs more than the NLP recognisers."""

    def __getattr__(self, attribute: str):
        if attribute in _NLP_ENGINE_RECOGNISERS and not self._loaded:
            return getattr(importlib.import_module(f"{PACKAGE}.nlp_engine_recognizers"), attribute)
        return super().__getattr__(attribute)


def defer_predefined_recognisers() -> bool:
    """Install the stand-in package; True if it was installed (Presidio not imported yet)."""
    if "presidio_analyzer" in sys.modules or PACKAGE in sys.modules:
        return False
    root = importlib.util.find_spec("presidio_analyzer")
    if root is None or root.origin is None:  # pragma: no cover - Presidio is a dependency
        return False
    directory = Path(root.origin).parent / "predefined_recognizers"
    spec = importlib.util.spec_from_file_location(
        PACKAGE, directory / "__init__.py", submodule_search_locations=[str(directory)]
    )
    if spec is None or spec.loader is None:  # pragma: no cover - the package is a plain directory
        return False
    module = _DeferredPackage(PACKAGE)
    module.__spec__ = spec
    module.__file__ = spec.origin
    module.__path__ = list(spec.submodule_search_locations or [])
    module.__package__ = PACKAGE
    module.__loader__ = spec.loader
    sys.modules[PACKAGE] = module
    return True


def load_predefined_recognisers() -> None:
    """Import every predefined recogniser (needed before Presidio builds its default registry)."""
    module = importlib.import_module(PACKAGE)
    if isinstance(module, _DeferredPackage):
        module.load()
