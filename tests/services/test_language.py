"""Language detection: the reply language follows the user's."""

import pytest

from passordhjelp.language import detect_language, language_of
from passordhjelp.language_switch import kept_language

CASES = [
    ("I forgot my password", "en"),
    ("how do i chnage my pw", "en"),
    ("my account is locked", "en"),
    ("forgot my passord", "en"),
    ("thanks!", "en"),
    ("jeg har glemt passordet", "nb"),
    ("hvordan bytter jeg passord", "nb"),
    ("kontoen min er laast", "nb"),
    ("glemt password", "nb"),
    ("takk", "nb"),
    ("passord", "nb"),
    # Norwegian endings and compounds on words English has or lacks, and everyday words
    # spaCy's stop list lacks; English words with the same endings stay English.
    ("fant passordet i notatene mine", "nb"),
    ("cancel requesten min", "nb"),
    ("avlys resetten", "nb"),
    ("passordgreier", "nb"),
    ("kor finn eg feriepengane mine", "nb"),
    ("I've often forgotten it, see you later", "en"),
    ("the token in the basket is broken", "en"),
]


@pytest.mark.parametrize("text, language", CASES)
def test_language_detects_the_language_written(text, language):
    assert detect_language(text, previous=None) == language


@pytest.mark.parametrize("previous", ["en", "nb"])
# The assistant's name opens every Teams or Slack mention: no Norwegian compound to go by.
@pytest.mark.parametrize("text", ["ok", "/affirm", "", "👍", "PH-7K3QXA", "Passordhjelp",
                                  "<at>Passordhjelp" * 5])
def test_language_keeps_the_conversation_language_when_unclear(text, previous):
    assert detect_language(text, previous=previous) == previous


def test_language_switches_when_the_user_switches():
    assert detect_language("jeg har glemt passordet", previous="en") == "nb"
    assert detect_language("sorry, I meant I forgot my password", previous="nb") == "en"


def test_language_uses_the_default_for_an_unclear_first_message():
    assert detect_language("ok", previous=None, default="nb") == "nb"


# The assistant's name opens every Teams or Slack mention: no Norwegian compound to go by.
@pytest.mark.parametrize("text", ["ok", "/affirm", "", "👍", "PH-7K3QXA", "Passordhjelp",
                                  "<at>Passordhjelp" * 5])
def test_language_of_an_unclear_message_is_none(text):
    assert language_of(text) is None


@pytest.mark.parametrize("text, language", [
    ("ok gotta run, later", "nb"),   # spaCy reads "got ta": one Norwegian word
    ("ja, go for it", "en"),
])
def test_language_a_hint_is_not_clear(text, language):
    assert language_of(text) == language
    assert language_of(text, clearly=True) is None


@pytest.mark.parametrize("text, language", [
    ("sorry, I meant I forgot my password", "en"),
    ("jeg har glemt passordet mitt", "nb"),
])
def test_language_a_sentence_is_clear(text, language):
    assert language_of(text, clearly=True) == language


@pytest.mark.parametrize("previous, told, clear, kept", [
    ("en", "nb", False, "en"),
    ("nb", "en", False, "nb"),
    ("en", "nb", True, "nb"),
    (None, "nb", False, "nb"),
])
def test_language_only_a_clear_message_switches_the_conversation(previous, told, clear, kept):
    assert kept_language(previous, told, clear=clear) == kept


@pytest.mark.parametrize("previous, told, kept", [
    ("nb", "en", "nb"),  # "how long does it take?" at a Norwegian confirmation
    ("en", "nb", "en"),  # "hvor lang tid tar det?" at an English one
    (None, "nb", "nb"),  # nothing set yet: the message sets it
])
def test_language_a_pending_request_keeps_the_conversation_language(previous, told, kept):
    assert kept_language(previous, told, clear=True, pending=True) == kept
