"""Takes an intent about someone else's account back when the message names no one else,
and gives it to a message that names someone else's account.

The classifier sometimes reads a terse account of one's own trouble ("locked out
cant log in teams forgot pw", "jeg er låst ute, husker ikke passordet") as
other_person_password, or one's own trouble told with the word "admin" in it as
an admin's how-to question, and the chatter is refused or given the admin's
steps for their own forgotten password. Such an intent needs another person in
the message (passordhjelp/nlp/someone_else.py); without one the next intent of
the ranking is taken, its confidence renormalised over what is left. The offer
that may follow asks about the chatter's own account and files only after two
clear yeses, so the cost of a wrong take-back is a question, not a filing.

The other way round, a message in which OtherAccountExtractor marked someone else's
account ("teamlederen vår vil bytte passord", "nytt passord til Priyanka") is refused
by the dialogue whatever its intent (data/rules/other_accounts.yml); when the
classifier read it as the chatter's own password trouble and the chatter tells no
trouble of their own, it is other_person_password, with the confidence of the
intents it replaces. Out of scope (a private service) and an admin's question keep
theirs.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from passordhjelp.consent import about_someone_else
from passordhjelp.nlp.close_call import pooled_into
from passordhjelp.nlp.pipelines import PERSON_NAME
from passordhjelp.nlp.someone_else import mentions_anyone_else, tells_own_trouble
from passordhjelp.nlp.third_person import states_own_lapse, states_own_lockout

OTHER_PERSON_INTENT = "other_person_password"
FORGOT_INTENT = "forgot_password"
ADMIN_INTENT = "admin_reset_user_password"
_ABOUT_SOMEONE_ELSE = (OTHER_PERSON_INTENT, ADMIN_INTENT)
# The chatter's own password trouble, read as someone else's when their account is named.
_OWN_TROUBLE_INTENTS = frozenset(
    {"forgot_password", "change_password", "account_locked", "password_help"}
)
# Session 18: a request filed for someone else, read as the chatter's own request ("kan du
# lage en reset-forespørsel for Per i regnskap?" as cancel_request).
_REQUEST_INTENTS = frozenset({"cancel_request"})
# What a message about someone else's account is given: their trouble and the chatter's own.
_GIVEN_TO_OTHER_PERSON = _OWN_TROUBLE_INTENTS | _REQUEST_INTENTS | {OTHER_PERSON_INTENT}


def _names_someone(message: Message, *, loose: bool) -> bool:
    """The extractors' reading (``passordhjelp.consent.about_someone_else``): an other
    account, or with ``loose`` any third person too."""
    return about_someone_else({ENTITIES: message.get(ENTITIES)}, loose=loose)


# Lemmas the tokenizer gives a person told by context (passordhjelp/nlp/pipelines.py):
# "Per har glemt", "ola.nordmann", "teamkollegaen", "en på lageret".
_PERSON_LEMMAS = frozenset({PERSON_NAME, "kollega"})


def _lemmas_someone(message: Message) -> bool:
    return any(token.lemma in _PERSON_LEMMAS for token in message.get(TOKENS_NAMES[TEXT], []))


def _takes_back(intent: str, message: Message) -> bool:
    text = message.get(TEXT) or ""
    # "My colleague tried his password on my PC and now my account is locked": someone
    # else is named, but the trouble told is the chatter's own.
    if intent == OTHER_PERSON_INTENT and states_own_lockout(text):
        return True
    if _names_someone(message, loose=True) or _lemmas_someone(message):
        return False
    if mentions_anyone_else(text):
        return False
    # An admin's how-to question is often in the first person ("how do I reset a
    # password?"): only one's own trouble told takes it back.
    return intent == OTHER_PERSON_INTENT or tells_own_trouble(text)


def _gives_to_other_person(intent: Optional[str], message: Message) -> bool:
    if intent not in _OWN_TROUBLE_INTENTS | _REQUEST_INTENTS:
        return False
    if not _names_someone(message, loose=False):
        return False
    return not tells_own_trouble(message.get(TEXT) or "")


def _taken_back(ranking: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The ranking without the intents about someone else, renormalised."""
    rest = [r for r in ranking if r.get("name") not in _ABOUT_SOMEONE_ELSE]
    total = sum(r.get("confidence") or 0.0 for r in rest)
    if not rest or total <= 0.0:
        return []
    return [dict(r, confidence=(r.get("confidence") or 0.0) / total) for r in rest]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SomeoneElseGuard(GraphComponent, IntentClassifier):
    """Place after the entity extractors and before the FallbackClassifier."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SomeoneElseGuard":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            ranking = message.get(INTENT_RANKING_KEY) or []
            text = message.get(TEXT) or ""
            if intent == OTHER_PERSON_INTENT and states_own_lapse(text):
                # "she got her login details but I never received my password", "hun husker
                # sitt, jeg husker ikkje mitt": the chatter's own password is missing, beside a
                # third person who is fine (session 18).
                ranking = pooled_into(FORGOT_INTENT, [OTHER_PERSON_INTENT], ranking)
            elif intent in _ABOUT_SOMEONE_ELSE and _takes_back(intent, message):
                ranking = _taken_back(ranking)
            elif _gives_to_other_person(intent, message):
                ranking = pooled_into(OTHER_PERSON_INTENT, _GIVEN_TO_OTHER_PERSON, ranking)
            else:
                continue
            if ranking:
                message.set(INTENT, ranking[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
