"""The tokenizer marks the language of each message that tells it, for the language slot."""

import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.bilingual_tokenizer import BilingualSpacyTokenizer


def parse(text):
    tokenizer = BilingualSpacyTokenizer(BilingualSpacyTokenizer.get_default_config())
    [message] = tokenizer.process([Message(data={TEXT: text})])
    return message


@pytest.mark.parametrize("text, language", [
    ("I forgot my password", "en"),
    ("jeg har glemt passordet", "nb"),
    ("glemt password", "nb"),
    ("thanks!", "en"),
])
def test_language_entity_names_the_language_written(text, language):
    message = parse(text)
    assert [(e["entity"], e["value"]) for e in message.get(ENTITIES)] == [("language", language)]
    assert message.as_dict(only_output_properties=True)[ENTITIES] == message.get(ENTITIES)


@pytest.mark.parametrize("text", ["ok", "/affirm", "👍", "PH-7K3QXA"])
def test_language_entity_absent_when_the_message_does_not_tell(text):
    # The slot's from_entity mapping then keeps the conversation's language.
    assert parse(text).get(ENTITIES, []) == []


@pytest.mark.parametrize("text, language", [("ok gotta run, later", "nb"), ("ja, go for it", "en")])
def test_language_entity_of_a_hint_has_the_hint_role(text, language):
    # A hint sets a new conversation's language but does not switch it
    # (action_validate_slot_mappings).
    [entity] = parse(text).get(ENTITIES)
    assert (entity["value"], entity.get("role")) == (language, "hint")
