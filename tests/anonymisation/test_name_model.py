"""The learned second look at names (``recognisers/name_model.py``; docs/adr/0012 "Twelfth round")."""

import json

import numpy as np
import pytest

from anonymisation.pipeline.recognisers import name_model
from anonymisation.pipeline.recognisers.person import NameFinder

from .names import people


def finder(pipeline, text: str) -> NameFinder:
    doc = pipeline.nlp_engine.nlp["en"](text)
    recogniser = next(r for r in pipeline.analyzer.registry.recognizers if r.name == "PersonRecogniser")
    return NameFinder(doc, recogniser.english, recogniser.knowledge)


class TestTheStoredModel:
    def test_it_was_trained_on_tuning_sets_only(self):
        stored = json.loads(name_model.MODEL_PATH.read_text())
        assert stored["trained_on"], "the model says what it was trained on"
        for judge in ("heldout", "dev8", "dev9b"):
            assert judge not in stored["trained_on"]
        assert 0.5 <= stored["threshold"] < 1

    def test_it_loads(self):
        model = name_model.NameModel.load()
        assert model is not None and model.weights.shape == (name_model.DIMENSIONS,)


class TestWhatItAdds:
    def test_a_lower_case_name_the_rules_leave(self, pipeline, monkeypatch):
        text = "ruby scribed and the timings were spot on"
        assert "ruby" in people(pipeline, text)
        monkeypatch.setattr(name_model, "name_model", lambda: None)
        assert "ruby" not in people(pipeline, text)

    @pytest.mark.parametrize(
        "text",
        [
            "Naloxone given by Registrar lee long. Later LEE LONG (Dr) was bleeped and lee long came.",
            "Handover to Staff Nurse Abimbola Okafor and hca dawn at 19:30; bay 4 quiet.",
            "thanks, Bill",
        ],
    )
    def test_it_never_takes_away_what_the_rules_found(self, pipeline, monkeypatch, text):
        with_model = people(pipeline, text)
        monkeypatch.setattr(name_model, "name_model", lambda: None)
        for name in people(pipeline, text):
            assert any(name in found for found in with_model)

    def test_whole_names_take_in_its_single_words(self, pipeline):
        text = "CREW WAITED 4 HRS OUTSIDE ED WITH PT MARY O'NEILL, DOB 03/03/1944. PT WAS INCONTINENT"
        assert "MARY O'NEILL" in people(pipeline, text)


class TestWhichWordsItReads:
    @pytest.mark.parametrize(
        ("text", "word"),
        [
            ("المريض أحمد سقط", "أحمد"),  # not Latin letters
            ("will review in the morning", "will"),  # a modal
            ("the wait was long", "long"),  # a word English writes very often
            ("given 5 mg at 10:00 by nurse 2b", "2b"),
        ],
    )
    def test_words_it_is_not_asked_about(self, pipeline, text, word):
        f = finder(pipeline, text)
        index = next(i for i, t in enumerate(f.texts) if t == word)
        assert not name_model.candidate(f, index)

    def test_a_listed_name_is_asked_about(self, pipeline):
        f = finder(pipeline, "ruby scribed and the timings were spot on")
        assert name_model.candidate(f, 0)
        names = name_model.features(f, 0, set(), set())
        assert "case=lower" in names and "next=scribed" in names


def test_the_training_fits_what_it_is_given():
    from bench.anonymisation_name_model import fit, probability

    yes = name_model.indices(["bias", "next=said"])
    no = name_model.indices(["bias", "next=tablets"])
    rows = [(yes, 1, False), (no, 0, False)] * 50
    weights = fit(rows)
    assert probability(weights, yes) > 0.9 > 0.1 > probability(weights, no)
    assert np.isfinite(weights).all()


def test_a_missing_model_is_an_error_not_a_quiet_fallback(tmp_path):
    with pytest.raises(FileNotFoundError, match="learned name model"):
        name_model.NameModel.load(tmp_path / "absent.json")


class TestNameLikeWordsLeft:
    def test_a_word_below_the_threshold_is_counted_and_kept(self, pipeline):
        from anonymisation.pipeline import redact_texts

        text = "msg from deb in group: can someone check the pressure areas"
        result = redact_texts({"text": text}, pipeline=pipeline)
        assert result.texts["text"] == text  # nothing redacted
        assert result.name_like_words == 1
        assert all(e.entity_type != name_model.NAME_LIKE_ENTITY for e in result.entities)

    def test_plain_text_has_none(self, pipeline):
        from anonymisation.pipeline import redact_texts

        result = redact_texts({"text": "the pump alarmed overnight and was reset"}, pipeline=pipeline)
        assert result.name_like_words == 0
