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

Session 20: other_person_password where the chatter states their own matter beside another
person's ("my manager forgot hers, which reminded me to change mine", "sitter på assistenten min
sin PC, og nå husker jeg ikke mitt eget passord") is that matter (change or forgot); where it
asks how an administrator resets a password and names nobody, the admin's question.

Session 23: a process question that tells a third person's trouble ("Ahmed says the system
doesn't take his password, can you check?"), and an administrator's reading of a request for
someone else with no word of an administrator or of how ("please reset password for user
jonas.berg"), are that person's trouble.
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
from passordhjelp.nlp.someone_else import (
    asks_to_act,
    change_after_others_trouble,
    mentions_anyone_else,
    mentions_trouble,
    set_aside,
    tells_own_trouble,
)
from passordhjelp.nlp.third_person import (
    asks_how_an_admin_resets,
    find_third_person,
    states_own_change,
    states_own_exception,
    states_own_lapse,
    states_not_admin,
    states_own_lockout,
)

OTHER_PERSON_INTENT = "other_person_password"
FORGOT_INTENT = "forgot_password"
CHANGE_INTENT = "change_password"
ADMIN_INTENT = "admin_reset_user_password"
PROCESS_INTENT = "ask_process"
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
    # Session 22: not the chatter introducing themself nor a person in passing ("ny ansatt her",
    # "låner kollegaens PC for å skrive dette").
    aside = set_aside(message.get(TEXT) or "")
    return any(
        token.lemma in _PERSON_LEMMAS
        and not any(start <= token.start and token.end <= end for start, end in aside)
        for token in message.get(TOKENS_NAMES[TEXT], [])
    )


def _takes_back(intent: str, message: Message) -> bool:
    text = message.get(TEXT) or ""
    # "My colleague tried his password on my PC and now my account is locked": someone
    # else is named, but the trouble told is the chatter's own.
    if intent == OTHER_PERSON_INTENT and states_own_lockout(text):
        return True
    # "All my colleagues got a new password, but not me" (session 20): the others are fine.
    if intent == OTHER_PERSON_INTENT and states_own_exception(text) and not mentions_trouble(text):
        return True
    # "my colleague is locked out too, reset my password please, I forgot it": the chatter's own
    # change beside their own trouble (session 20).
    if intent == OTHER_PERSON_INTENT and states_own_change(text):
        return True
    if _names_someone(message, loose=True) or _lemmas_someone(message):
        return False
    if mentions_anyone_else(text):
        return False
    # An admin's how-to question is often in the first person ("how do I reset a
    # password?"): only one's own trouble told takes it back.
    return intent == OTHER_PERSON_INTENT or tells_own_trouble(text)


def _gives_to_other_person(intent: Optional[str], message: Message) -> bool:
    # (Session 22: other_person_password itself too, which pools the chatter's own intents
    # into it: "I didn't forget mine, it's my teammate who did" had 0.32, below the fallback.)
    if intent not in _GIVEN_TO_OTHER_PERSON:
        return False
    if not _names_someone(message, loose=False):
        return False
    # Session 20: "I'm on my assistant's laptop ... can't remember my own password".
    return not _tells_own_matter(message.get(TEXT) or "")


def _tells_own_matter(text: str) -> bool:
    return tells_own_trouble(text) or states_own_lapse(text) or states_own_change(text)


def _asks_for_other_person(intent: Optional[str], message: Message) -> bool:
    """Session 23: a process question that tells a third person's trouble ("Ahmed says the system
    doesn't take his password, can you check?", "Sjefen ba meg finne ut hvorfor passordet hennes
    ikke blir godtatt"), or an administrator's question that names someone else's account with
    no word of an administrator or of how ("please reset password for user jonas.berg"), and
    tells nothing of the chatter's own: that person's trouble."""
    text = message.get(TEXT) or ""
    if intent == PROCESS_INTENT:
        named = find_third_person(text) is not None
    elif intent == ADMIN_INTENT:
        named = _names_someone(message, loose=False) and asks_to_act(text)
    else:
        return False
    return named and not _tells_own_matter(text)


def _own_reading(text: str) -> Optional[str]:
    """The chatter's own intent a message read as someone else's states outright beside a third
    person: their own password missing (forgot_password; session 18) or their own password to be
    changed (change_password; session 20: "my manager forgot hers, which reminded me to change
    mine", "sjefen glemte sitt, så jeg vil bytte mitt")."""
    if states_own_lapse(text):
        return FORGOT_INTENT
    if states_own_change(text) and not tells_own_trouble(text):
        return CHANGE_INTENT
    return None


def _admin_asks_how(intent: Optional[str], message: Message) -> bool:
    """Session 20: someone else's password read where the message asks how an administrator
    resets one ("how can an administrator reset someone's pwd?") and names no other person
    ("can an admin reset it for Kari?" stays someone else's)."""
    if intent != OTHER_PERSON_INTENT or _names_someone(message, loose=True):
        return False
    text = message.get(TEXT) or ""
    # "Can an admin reset my password? I've forgotten it" is the chatter's own.
    own = tells_own_trouble(text) or states_own_change(text) or states_own_lapse(text)
    return asks_how_an_admin_resets(text) and not own


def _not_an_admin(intent: Optional[str], message: Message) -> bool:
    """Session 22: an admin's how-to read where the chatter says they are no administrator and
    names someone else ("hvordan hjelper jeg en kollega som har glemt passordet? jeg er ikke
    admin"): that person's trouble."""
    if intent != ADMIN_INTENT:
        return False
    text = message.get(TEXT) or ""
    return states_not_admin(text) and mentions_anyone_else(text)


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
            own = _own_reading(text) if intent == OTHER_PERSON_INTENT else None
            if intent == FORGOT_INTENT and change_after_others_trouble(text):
                # "my manager forgot hers, so I want to change mine": the forgetting is hers.
                ranking = pooled_into(CHANGE_INTENT, [FORGOT_INTENT], ranking)
            elif own is not None:
                # "she got her login details but I never received my password", "hun husker
                # sitt, jeg husker ikkje mitt": the chatter's own password is missing, or to be
                # changed, beside a third person who is fine.
                ranking = pooled_into(own, [OTHER_PERSON_INTENT], ranking)
            elif _not_an_admin(intent, message):
                ranking = pooled_into(OTHER_PERSON_INTENT, [ADMIN_INTENT], ranking)
            elif _asks_for_other_person(intent, message):
                ranking = pooled_into(OTHER_PERSON_INTENT, [PROCESS_INTENT, ADMIN_INTENT], ranking)
            elif _admin_asks_how(intent, message):
                ranking = pooled_into(ADMIN_INTENT, [OTHER_PERSON_INTENT], ranking)
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
