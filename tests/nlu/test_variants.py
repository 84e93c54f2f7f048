"""Dialect, chat and loan-word spellings read as the standard word (passordhjelp/nlp/variants.py)."""

import pytest

from passordhjelp.nlp.pipelines import pipeline
from passordhjelp.nlp.variants import (folded_table, glued_table, on_norms, slip_table,
                                      variant_table)


def _lemmas(language, text):
    return [t.lemma_ for t in pipeline(language)(text) if not t.is_punct]


@pytest.mark.parametrize(
    "language, variant, standard",
    [
        ("nb", "æ har gløymt passordet", "jeg har glemt passordet"),
        ("nb", "eg hugsar det ikkje", "jeg husker det ikke"),
        ("nb", "ka gjør æ no", "hva gjør jeg no"),
        ("nb", "kontoen er laast", "kontoen er låst"),
        ("nb", "logget ut pa pc", "logget ut på pc"),
        ("nb", "Glemte passordet", "glemte passordet"),
        ("nb", "passordet expirer snart", "passordet utløper snart"),
        ("en", "forgor my pw lol", "forgot my password haha"),
        ("en", "thx u r great", "thanks you are great"),
        ("en", "Forgot my password", "forgot my password"),
        ("nb", "har gelmt pasord", "har glemt passord"),
        ("nb", "husker ikke pasordet", "husker ikke passordet"),
        ("en", "i fogrot my pasword", "i forgot my password"),
        ("nb", "jatakk!", "ja!"),
        ("nb", "neitakk :)", "nei :)"),
        ("en", "yesplease", "yes"),
        ("en", "nothanks", "no"),
        ("nb", "jovisst", "ja"),
        # Every cancel verb in every form, and the request by any name, share a lemma
        # (domain_lemmas.yml).
        ("nb", "avbestill bestillingen", "kansellere forespørsel"),
        ("nb", "annullert henvendelsen", "kansellere forespørsel"),
        ("nb", "avlys ticketen", "kanseller saken"),
    ],
)
def test_variants_share_the_standard_words_lemmas(language, variant, standard):
    assert _lemmas(language, variant) == _lemmas(language, standard)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_variants_no_spelling_stands_for_two_words(language):
    assert variant_table(language)


def test_variants_ascii_fold_skips_words_of_their_own_and_shared_spellings():
    table = folded_table(["på", "før", "sånn", "pa"], frozenset({"for", "sann"}))
    assert table["pa"] == "på"
    assert "for" not in table and "sann" not in table


def test_variants_negation_reads_a_dialect_negator():
    assert "minne_ok" in _lemmas("nb", "eg har ikkje gløymt det")


def test_variants_patterns_match_on_norms():
    assert on_norms([{"LOWER": {"IN": ["a"]}}, {"TEXT": "B"}]) == [
        {"NORM": {"IN": ["a"]}}, {"TEXT": "B"}]


def test_variants_a_slip_swaps_letters_in_a_word_or_drops_one_in_a_long_word():
    table = slip_table(["glemt", "passord", "glad"], frozenset({"glemt"}))
    assert table["gelmt"] == table["glmet"] == "glemt"
    assert table["pasord"] == table["psasord"] == "passord"
    assert "glet" not in table  # a dropped letter in a short word: too often another word
    assert "lgemt" not in table  # the first letter is kept
    assert not any(word == "glad" for word in table.values())  # too short to be sure


def test_variants_a_glued_answer_reads_as_the_answer_unless_a_word_of_its_own():
    table = glued_table(["ja", "jepp", "no"], ["takk", "thanks", "w"], frozenset({"now"}),
                        {"jepp": "ja"})
    assert table["jatakk"] == table["jepptakk"] == "ja"
    assert table["nothanks"] == "no"
    assert "now" not in table
