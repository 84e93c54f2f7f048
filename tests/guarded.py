"""Runs one intent-guard component on a message built from a text and a ranking: what the
component tests of tests/components and tests/nlu assert on."""

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


def classified_by(guard, text, ranking, entities=()):
    """The intent ``guard`` leaves on ``text`` classified with ``ranking`` (first is the intent)."""
    message = Message(data={TEXT: text, INTENT: dict(ranking[0]),
                            INTENT_RANKING_KEY: [dict(r) for r in ranking],
                            ENTITIES: list(entities)})
    [message] = guard.process([message])
    return message.get(INTENT)
