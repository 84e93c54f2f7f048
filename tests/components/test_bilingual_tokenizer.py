"""The tokenizer's training path: a response text shared by many examples is tokenized once,
and every example gets the tokens that tokenizing it alone gives."""

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, RESPONSE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.bilingual_tokenizer import BilingualSpacyTokenizer, LemmaToken

ANSWER_EN = "It usually takes a few minutes. You'll get a message when the password is reset."
ANSWER_NB = "Det tar vanligvis noen minutter. Du får beskjed når passordet er tilbakestilt."


def tokenizer():
    return BilingualSpacyTokenizer(BilingualSpacyTokenizer.get_default_config())


def examples():
    return [
        Message(data={TEXT: text, INTENT: "ask_process",
                      INTENT_RESPONSE_KEY: "ask_process/how_long", RESPONSE: answer})
        for text, answer in [("how long does it take", ANSWER_EN),
                             ("how long will the reset take?", ANSWER_EN),
                             ("hvor lang tid tar det", ANSWER_NB),
                             ("hvor lenge må jeg vente", ANSWER_NB)]
    ]


def token_view(tokens):
    return [(t.text, t.start, t.end, t.lemma, t.data) for t in tokens]


def test_tokenizer_training_tokens_equal_tokenizing_each_example_alone():
    trained = tokenizer().process_training_data(TrainingData(examples())).training_examples
    for message, alone in zip(trained, examples()):
        for attribute in (TEXT, RESPONSE):
            expected = tokenizer().tokenize(alone, attribute)
            assert token_view(message.get(TOKENS_NAMES[attribute])) == token_view(expected)


def test_tokenizer_training_gives_each_example_its_own_response_tokens():
    first, second = tokenizer().process_training_data(TrainingData(examples())).training_examples[:2]
    first_tokens, second_tokens = (m.get(TOKENS_NAMES[RESPONSE]) for m in (first, second))
    first_tokens[0].set("marked", True)
    assert "marked" not in second_tokens[0].data


def test_lemma_token_fingerprint_follows_its_content():
    token = LemmaToken("passordet", 4, lemma="passord")
    assert token.fingerprint() == LemmaToken("passordet", 4, lemma="passord").fingerprint()
    for other in (LemmaToken("passordet", 5, lemma="passord"),
                  LemmaToken("passordet", 4, lemma="passordet"),
                  LemmaToken("passordet", 4, data={"negated": True}, lemma="passord")):
        assert other.fingerprint() != token.fingerprint()


@pytest.mark.parametrize(
    "text, word, lemma",
    [("Do I get a temporary password first?", "first", "first"),
     ("Is this my second lockout?", "second", "second"),
     ("third time I forgot it", "third", "third"),
     ("har glemt passordet mange ganger", "mange", "mange"),
     ("kan jeg skru 2FA off", "off", "off")],
)
@pytest.mark.xfail(
    strict=True,
    reason="known, not fixed: the fix (a word's own form for such a lemma) cost 4 of 15,179 "
    "evaluation examples (tests/nlu/README.md, session 16)",
)
def test_alphabetic_word_gets_a_word_lemma(text, word, lemma):
    # spacy-lookups-data reads "first" as "1", "mange" as "mang en" and "off" as "off.".
    tokens = tokenizer().tokenize(Message(data={TEXT: text}), TEXT)
    assert [t.lemma for t in tokens if t.text.lower() == word] == [lemma]
