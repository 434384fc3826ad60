"""What a word is whatever its case (``recognisers/name_knowledge.py``), fourth round (docs/adr/0012)."""

import pytest

from anonymisation.pipeline.lexicon import get_lexicon
from anonymisation.pipeline.recognisers.name_knowledge import NameKnowledge
from anonymisation.pipeline.recognisers.person_words import PERSON_VERBS
from anonymisation.pipeline.vocabulary import EnglishWords


@pytest.fixture(scope="module")
def knowledge():
    from anonymisation.pipeline import get_pipeline

    return NameKnowledge(get_lexicon(), get_pipeline().english)


@pytest.mark.parametrize(
    ("word", "verb"),
    [("fuond", "found"), ("aksed", "asked"), ("notcied", "noticed"), ("infromed", "informed")],
)
def test_a_slip_of_the_keyboard_is_read_as_the_verb(knowledge, word, verb):
    assert knowledge.misspelt(word, PERSON_VERBS) == verb


@pytest.mark.parametrize("word", ["found", "paracetamol", "ward", "kowalczyk", "xqzvbt", "fuo"])
def test_words_names_and_junk_are_no_slips(knowledge, word):
    assert knowledge.misspelt(word, PERSON_VERBS) == ""


def test_without_a_lexicon_only_the_dictionary_decides():
    from anonymisation.pipeline.lexicon import Lexicon

    empty = NameKnowledge(Lexicon(), EnglishWords(()))
    assert empty.misspelt("fuond", PERSON_VERBS) == "found"


def test_a_very_common_surname_after_a_title_in_capitals_is_no_verb(knowledge):
    assert knowledge.name_not_verb("KING") and knowledge.name_not_verb("POWER")
    assert not knowledge.name_not_verb("INFORMED") and not knowledge.name_not_verb("ASSESSING")


@pytest.mark.parametrize("word", ["unwitnessed", "relabelled", "nonblanching", "overdosed"])
def test_english_words_with_a_prefix_or_doubled_ending_are_derived(knowledge, word):
    assert knowledge.derived_word(word)


@pytest.mark.parametrize("word", ["okonkwo", "unwin", "rebecca", "dissanayake"])
def test_names_are_not_derived_words(knowledge, word):
    assert not knowledge.derived_word(word)


@pytest.mark.parametrize("word", ["fludis", "insuiln", "stfafing", "bolods"])
def test_two_swapped_letters_of_an_english_word_are_a_slip(knowledge, word):
    assert knowledge.typo(word)


@pytest.mark.parametrize("word", ["gitty", "mumbi", "okonkwo"])
def test_names_one_letter_from_a_word_are_no_slip(knowledge, word):
    assert not knowledge.typo(word)
