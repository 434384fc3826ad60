"""The derived name, drug and word cache: built once in a child process, loaded fast, never required."""

import pickle
from pathlib import Path

import pytest

from anonymisation.pipeline import lexicon
from anonymisation.pipeline.recognisers.name_knowledge import NameKnowledge
from anonymisation.pipeline.vocabulary import EnglishWords


def test_the_process_lexicon_knows_names_drugs_and_words():
    known = lexicon.get_lexicon()
    assert known.is_name("okonkwo") and known.is_name("kowalczyk")
    assert not known.is_name("referral")
    assert known.is_drug("apixaban") and known.is_drug("eliquis")
    assert lexicon.english_zipf("the") > 7 > lexicon.english_zipf("referral") > 3


def test_the_cache_is_named_after_the_package_versions(settings, tmp_path):
    settings.ANONYMISATION_CACHE_DIR = str(tmp_path)
    path = lexicon.cache_path()
    assert path.parent == tmp_path
    assert f"v{lexicon.FORMAT}-" in path.name


def test_a_cache_of_another_format_is_refused(tmp_path):
    path = tmp_path / "old.pickle"
    path.write_bytes(pickle.dumps({"format": lexicon.FORMAT - 1}))
    with pytest.raises(ValueError, match="format"):
        lexicon.Lexicon.load(path)


def test_without_a_cache_the_pipeline_falls_back_to_context(settings, tmp_path, monkeypatch):
    settings.ANONYMISATION_CACHE_DIR = str(tmp_path / "missing")

    def fail(path=None):
        raise OSError("no space left")

    monkeypatch.setattr(lexicon, "build_cache", fail)
    monkeypatch.setattr(lexicon, "_lexicon", None)
    assert lexicon.get_lexicon() == lexicon.Lexicon()
    monkeypatch.setattr(lexicon, "_lexicon", None)  # let the next user load the real cache


def test_name_knowledge_tests_the_folded_word():
    knowledge = NameKnowledge(
        lexicon.Lexicon(given={"kevin": 40, "grace": 14}, surname={"holt": 274}, english={"grace": 4.6}),
        EnglishWords(["grace", "found"]),
    )
    assert knowledge.surely_name("KEVIN") and knowledge.surely_name("Holt")
    assert not knowledge.surely_name("grace")  # a dictionary word needs context
    assert knowledge.shouted_word("FOUND") and not knowledge.shouted_word("HOLT")


def test_whole_name_coverage_counts_half_names():
    from anonymisation.pipeline.evaluation import Example, Span, score

    example = Example("1", "seen by Maria Holt", (Span("PERSON", 8, 18, "spanish"),), ())
    half = score([example], [[Span("PERSON", 8, 13)]])
    whole = score([example], [[Span("PERSON", 8, 18)]])
    assert half.counts["PERSON"].recall == 1.0 and half.whole_name_coverage == 0.0
    assert whole.whole_name_coverage == 1.0 and whole.origin_recall("spanish") == 1.0


def test_processes_that_find_the_cache_missing_at_once_build_it_once(tmp_path, monkeypatch):
    # Every web and worker process starts at once after a deploy; each built its own copy (2 GB and
    # 15 s of CPU apiece), and their first requests waited for all of them (docs/adr/0022, amended).
    import threading
    import time

    builds = []

    def build(command, **kwargs):
        builds.append(command)
        time.sleep(0.3)
        Path(command[-1]).write_bytes(
            pickle.dumps({"format": lexicon.FORMAT, "given": {}, "surname": {}, "drugs": {}})
        )

    monkeypatch.setattr(lexicon.subprocess, "run", build)
    path = tmp_path / "cache" / "lexicon.pickle"
    threads = [threading.Thread(target=lexicon.build_cache, args=(path,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert lexicon.Lexicon.load(path) == lexicon.Lexicon()
