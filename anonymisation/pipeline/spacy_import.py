"""Import spaCy without importing its command-line interface.

``import spacy`` runs ``from .cli.info import info``, which imports the whole ``spacy.cli`` package and
with it weasel, typer, httpx, rich and jinja2: about 0.2 s of CPU (a third of spaCy's import) that a
worker redacting text never uses. :func:`defer_spacy_cli` puts two stand-ins in ``sys.modules`` before
spaCy is imported:

- ``spacy.cli.info`` offers ``info`` as a small function that imports the real module when called;
  any other attribute loads the real module into the stand-in;
- ``spacy.cli`` runs the real package ``__init__`` (into the same module object) on first access to
  any attribute, so ``spacy.cli.download`` and the rest work as before, only later.

If spaCy was already imported, nothing is deferred.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from .deferred_module import DeferredModule

PACKAGE = "spacy.cli"
INFO = "spacy.cli.info"


_Deferred = DeferredModule


def _info(*args, **kwargs):
    """``spacy.info`` until it is called: then the real function, from the real module."""
    module = sys.modules[INFO]
    if isinstance(module, _Deferred):
        module.load()  # replaces this function with the real one in the module
    return module.info(*args, **kwargs)


def _stand_in(name: str, path: Path, *, package: bool) -> _Deferred | None:
    spec = importlib.util.spec_from_file_location(
        name, path, submodule_search_locations=[str(path.parent)] if package else None
    )
    if spec is None or spec.loader is None:  # pragma: no cover - spaCy is a plain directory
        return None
    module = _Deferred(name)
    module.__spec__ = spec
    module.__file__ = spec.origin
    module.__loader__ = spec.loader
    module.__package__ = name if package else name.rpartition(".")[0]
    if package:
        module.__path__ = list(spec.submodule_search_locations or [])
    return module


def defer_spacy_cli() -> bool:
    """Install the stand-ins; True if they were installed (spaCy not imported yet)."""
    if "spacy" in sys.modules or PACKAGE in sys.modules:
        return False
    root = importlib.util.find_spec("spacy")
    if root is None or root.origin is None:  # pragma: no cover - spaCy is a dependency
        return False
    directory = Path(root.origin).parent / "cli"
    package = _stand_in(PACKAGE, directory / "__init__.py", package=True)
    info = _stand_in(INFO, directory / "info.py", package=False)
    if package is None or info is None:  # pragma: no cover
        return False
    info.info = _info
    sys.modules[PACKAGE] = package
    sys.modules[INFO] = info
    return True


def attach_spacy_cli() -> None:
    """Bind the stand-in as ``spacy.cli`` once spaCy is imported (the import system binds a submodule to
    its parent only when it loads it, and it found this one already in ``sys.modules``)."""
    spacy = sys.modules.get("spacy")
    package = sys.modules.get(PACKAGE)
    if spacy is not None and package is not None and "cli" not in vars(spacy):
        spacy.cli = package


def load_spacy_cli() -> None:
    """Import the real command-line interface now (the plain-Presidio baseline pays what a plain
    ``import spacy`` pays)."""
    for name in (INFO, PACKAGE):
        module = sys.modules.get(name)
        if isinstance(module, _Deferred):
            module.load()
