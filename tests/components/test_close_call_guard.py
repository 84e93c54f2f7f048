"""A close call between change_password and forgot_password is asked about, not guessed."""

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.close_call_guard import CloseCallGuard


def guarded(ranking, margin=0.1):
    message = Message(data={TEXT: "…", INTENT: dict(ranking[0]),
                            INTENT_RANKING_KEY: [dict(r) for r in ranking]})
    [message] = CloseCallGuard({"margin": margin}).process([message])
    return message.get(INTENT), message.get(INTENT_RANKING_KEY)


def ranking(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


@pytest.mark.parametrize("first, second", [
    ("change_password", "forgot_password"),
    ("forgot_password", "change_password"),
])
def test_close_call_guard_asks_when_change_and_forgot_are_close(first, second):
    intent, rest = guarded(ranking((first, 0.47), (second, 0.44), ("password_help", 0.05),
                                   ("ask_process", 0.04)))
    assert intent == {"name": "password_help", "confidence": pytest.approx(0.96)}
    assert [r["name"] for r in rest] == ["password_help", "ask_process"]


@pytest.mark.parametrize("case", [
    # A clear lead keeps the classifier's reading.
    ranking(("forgot_password", 0.6), ("change_password", 0.3), ("password_help", 0.1)),
    # Close, but the runner-up is not the other of the pair.
    ranking(("forgot_password", 0.45), ("ask_process", 0.44), ("change_password", 0.11)),
    ranking(("account_locked", 0.45), ("forgot_password", 0.44), ("change_password", 0.11)),
])
def test_close_call_guard_keeps_other_readings(case):
    intent, rest = guarded(case)
    assert intent == case[0]
    assert rest == case


def test_close_call_guard_margin_is_its_configuration():
    close = ranking(("change_password", 0.5), ("forgot_password", 0.35), ("greet", 0.15))
    assert guarded(close, margin=0.1)[0]["name"] == "change_password"
    assert guarded(close, margin=0.2)[0]["name"] == "password_help"


# Session 13: a wider margin for a message with mixed signals.
def guarded_words(ranking, lemmas, margin=0.2, mixed_margin=0.8):
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.nlu.tokenizers.tokenizer import Token

    tokens = [Token(word, 0, lemma=word) for word in lemmas]
    message = Message(data={TEXT: " ".join(lemmas), INTENT: dict(ranking[0]),
                            INTENT_RANKING_KEY: [dict(r) for r in ranking],
                            TOKENS_NAMES[TEXT]: tokens})
    guard = CloseCallGuard({"margin": margin, "mixed_margin": mixed_margin})
    [message] = guard.process([message])
    return message.get(INTENT)["name"]


LEAD = ranking(("change_password", 0.8), ("forgot_password", 0.15), ("password_help", 0.05))


@pytest.mark.parametrize("lemmas", [
    # A change wanted, but the current one forgotten (the reason clause).
    ["i", "want", "to", "change", "it", "but", "i", "forget", "the", "current", "one"],
    # The negated word counts as the word and as the negator.
    ["i", "neg_want", "to", "bytte", "i", "glemme", "it"],
    ["nytt", "passord", "det", "gamle", "huske", "jeg", "men", "liker", "det", "ikke"],
])
def test_mixed_signals_widen_the_margin(lemmas):
    assert guarded_words(LEAD, lemmas) == "password_help"


@pytest.mark.parametrize("lemmas", [
    # Only a change word: the plain margin holds.
    ["i", "want", "to", "change", "my", "password"],
    # A change word and a forget word, no negator or contrast.
    ["i", "forget", "it", "so", "change", "it"],
    # A forget word and a negator, no change word.
    ["i", "do", "not", "remember", "my", "password"],
])
def test_clear_messages_keep_the_plain_margin(lemmas):
    assert guarded_words(LEAD, lemmas) == "change_password"


def test_mixed_margin_is_off_by_default():
    lemmas = ["i", "want", "to", "change", "it", "but", "i", "forget", "it"]
    assert guarded_words(LEAD, lemmas, mixed_margin=None) == "change_password"


def test_mixed_signals_do_not_ask_past_a_wide_lead():
    wide = ranking(("change_password", 0.95), ("forgot_password", 0.04), ("greet", 0.01))
    lemmas = ["i", "want", "to", "change", "it", "but", "i", "forget", "it"]
    assert guarded_words(wide, lemmas) == "change_password"


def test_mixed_signals_reads_the_word_lists():
    from passordhjelp.nlp.close_call import mixed_signals

    assert mixed_signals(["change", "not", "remember"])
    assert mixed_signals(["neg_glemme", "bytte"])
    assert not mixed_signals(["change", "remember"])
    assert not mixed_signals(["neg_change", "password"])
