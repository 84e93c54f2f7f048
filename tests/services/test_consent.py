"""Which answers to the filing confirmation count as a clear yes (both languages)."""

import pytest

from passordhjelp.consent import Answer, read_answer


def parse(text, intent="affirm", confidence=0.95, entities=()):
    return {"text": text, "intent": {"name": intent, "confidence": confidence},
            "entities": list(entities)}


@pytest.mark.parametrize("text, intent, confidence, expected", [
    ("yes, file it", "affirm", 0.95, Answer.YES),
    ("ja, send den", "affirm", 0.95, Answer.YES),
    ("yes please, for my own account", "affirm", 0.9, Answer.YES),
    ("ja takk, for kontoen min", "affirm", 0.9, Answer.YES),
    ("/affirm", "affirm", 1.0, Answer.YES),
    ("actually yes, file it", "affirm", 0.95, Answer.YES),
    ("jo forresten, send den likevel", "affirm", 0.9, Answer.YES),
    ("Yes!", "affirm", 0.9, Answer.YES),
    ("ja takk", "thank", 0.76, Answer.YES),
    ("yes, thanks", "thank", 0.8, Answer.YES),
    ("takk", "thank", 0.98, Answer.THANKS),
    ("ok thanks", "thank", 0.98, Answer.THANKS),
    ("ja takk, for Kari", "thank", 0.9, Answer.UNCLEAR),
    ("no", "deny", 0.5, Answer.NO),
    ("nei, glem det", "deny", 0.5, Answer.NO),
    ("cancel it", "cancel_request", 0.6, Answer.NO),
    ("trekk den tilbake", "cancel_request", 0.6, Answer.NO),
    ("yes", "affirm", 0.5, Answer.UNCLEAR),
    ("ja", "affirm", 0.5, Answer.UNCLEAR),
    ("yes?", "affirm", 0.95, Answer.UNCLEAR),
    ("ja?", "affirm", 0.95, Answer.UNCLEAR),
    ("yes, for Ola in accounting", "affirm", 0.95, Answer.UNCLEAR),
    ("ja, det er for Kari", "affirm", 0.95, Answer.UNCLEAR),
    ("how long does it take", "ask_process", 0.95, Answer.UNCLEAR),
    ("hvor lenge tar det", "ask_process", 0.95, Answer.UNCLEAR),
    ("yes my password is [secret removed]", "affirm", 0.95, Answer.SECRET),
    ("ja passordet er [secret removed]", "affirm", 0.95, Answer.SECRET),
])
def test_consent_confirmation_reads(text, intent, confidence, expected):
    assert read_answer(parse(text, intent, confidence), min_confidence=0.7,
                       plain_only=True) is expected


@pytest.mark.parametrize("text, intent", [("yes, for Maria", "affirm"), ("ja, for Kari", "affirm"),
                                          ("no, Maria's", "deny"), ("nei, Kari sitt", "deny")])
def test_consent_someone_elses_account_is_never_yes_nor_no(text, intent):
    other = [{"entity": "other_account", "value": "x", "start": 0, "end": 1}]
    assert read_answer(parse(text, intent, entities=other), min_confidence=0.0,
                       plain_only=False) is Answer.OTHER_ACCOUNT


def test_consent_the_offer_takes_any_confident_enough_yes():
    assert read_answer(parse("yes, I really need it before my meeting", confidence=0.6),
                       min_confidence=0.0, plain_only=False) is Answer.YES
