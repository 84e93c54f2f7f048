"""Known words up to a typo, for the unknown-words guard."""

import pytest

from passordhjelp.nlp.vocabulary import Vocabulary

VOCABULARY = Vocabulary(["thanks", "takk", "hello", "password", "passord", "yes", "ja"])


@pytest.mark.parametrize("word", [
    "thanks", "Thanks", "thnaks", "thank", "thankss", "takkkk", "hellooooo", "pasword", "passsord",
    "yes", "ja", "hellois", "takkers", "thanksies",
])
def test_vocabulary_knows_words_and_their_typos(word):
    assert word in VOCABULARY


@pytest.mark.parametrize("word", ["qwpoeiru", "zxmnv", "asdf", "yeh", "jo", "pass", "word", "jais",
                                  "passwordqx"])
def test_vocabulary_does_not_know_unrelated_or_short_words(word):
    assert word not in VOCABULARY
