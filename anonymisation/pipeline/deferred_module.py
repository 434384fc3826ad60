"""A module object whose real code runs on first access to an attribute it does not have yet.

Used to keep the parts of spaCy and Presidio that redaction never uses from being imported at start-up
(`spacy_import.py`, `presidio_import.py`): the stand-in sits in ``sys.modules`` under the real name
with the real module's spec, and executes the real module into itself when something needs it.
"""

from __future__ import annotations

import types


class DeferredModule(types.ModuleType):
    _loaded = False

    def __getattr__(self, attribute: str):
        if (attribute.startswith("__") and attribute != "__all__") or self._loaded:
            raise AttributeError(f"module {self.__name__!r} has no attribute {attribute!r}")
        self.load()
        return getattr(self, attribute)

    def load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        self.__spec__.loader.exec_module(self)
