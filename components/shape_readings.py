"""Takes the classifier's reading back when the message's shape says what it is.

Shapes the classifier misreads, each moved to the intent it is, with the
confidence of the reading it replaces:

- vague trouble told with a pasted password that fails ("it was [secret removed] but
  it doesn't work any more", read as password_help, or unsurely as a process question or
  as remembering it: "I had [secret removed] as my password and now it's rejected"):
  the password the chatter knows fails, so they need it reset, the forgotten path,
  whose offer files only after two clear yeses (``passordhjelp.nlp.pasted_password``);
  a message about someone else's account is left to the rules that refuse it;
- vague trouble that says outright the chatter's password is forgotten ("Per said I
  should write here. I've forgotten my password", read as password_help): forgotten,
  not "do you still know it?" (``passordhjelp.nlp.forgotten_told``; "I haven't forgotten
  my password" still asks);
- a forgotten password that says the chatter knows it and sign-in refuses it or fails ("I
  remember my password but I can't log in", "jeg vet passordet, men kommer ikke inn", read as
  forgot_password) and says nothing forgotten: vague trouble, whose rule gives the checks a
  helpdesk asks for first and then the offer (``passordhjelp.nlp.refused_known``, Session 17);
  read as forgotten it got the offer without the checks;
- every other password known, only the work one not ("bank, Netflix, all fine - just not the
  work one", "alle sitter, bare ikke det til jobben", read as a change or vague trouble):
  forgotten (``passordhjelp.nlp.forgotten_told``, session 20); so is every other thing known,
  only the password not ("i remember the email address fine, just not the password", read as
  remembering it after all; session 22);
- a change, vague trouble or an administrator's reset that tells the chatter's forgetting
  plainly, its object fronted or named by reference ("\"Endre passord\" vil ha det gamle, og det
  har jeg glemt", "men jeg har glemt det nåværende", "uten den husker jeg det ikke"):
  forgotten (``passordhjelp.nlp.forgotten_told.tells_forgotten_plainly``, session 21);
- a forgotten password that tells only that the fault is not known ("I can't get in with my
  password, no idea what's going on", "vet ikke hva som er galt"): vague trouble, which asks
  (``tells_fault_unknown``, session 23);
- a forgotten password that tells the password known plainly, object fronted ("What I can't
  remember is the menu. The password I do know.", "Brukernavnet glemmer jeg, passordet aldri"):
  vague trouble, which asks (``tells_known_plainly``, session 21);
- vague trouble, remembering it after all, a forgotten password, a process question or a change
  close to forgetting that tells the password known beside a wish for a new one ("i remember the
  current one no problem, pls help me update it", "Not forgotten, I just need to set a new one",
  "Glemt det har jeg ikke, vil bare bytte", "logger inn helt fint, men skal velge nytt
  passord"): a change holding the confidence of those readings, so the close call asks nothing
  (``tells_known_for_change``, session 22);
- a question about the process that asks how to change the chatter's own password ("my boss
  asked me to make my password longer, how do I do it", "Hvordan fornyer jeg det?"), with no
  forgetting told: a change (``passordhjelp.nlp.how_to_change``, session 22);
- a change or a forgotten password that tells the knowing in doubt, both ways open ("not sure
  whether I forgot it or just need a new one", "usikker på om jeg husker det"): vague trouble,
  which asks (``doubts_knowing``, session 22);
- a change, vague trouble, remembering or a yes that tells forgetting by the message as a whole
  ("det er ikke innstillingene jeg har glemt, det er selve passordet", "trodde jeg kunne det
  helt til jeg skulle skrive det"): forgotten (``tells_memory_failed``, session 22, nb);
- a forgetting, vague trouble, a change, a lock or a process question that refuses sending
  outright ("Nei, vet du hva, jeg tar det med Kari i morgen. Ikke send noe."): a no
  (``refuses_sending``, session 23);
- a status question that asks for a request now, beside a forgetting told and no earlier request
  ("Passordet er glemt. Send forespørsel om tilbakestilling, takk."): forgotten
  (``asks_to_file_now``, session 23);
- a question about the temporary password an admin sets, read as a change, a forgetting or vague
  trouble ("Do I get a temporary password first?"): a process question
  (``asks_about_temporary_password``, session 23);
- a status question shaped as one about the process in general, pointing at no request already
  made ("hvor lenge må jeg vente på nytt passord?", "who handles reset requests?"): a process
  question (``passordhjelp.nlp.process_question``, session 22; the response selector after this
  component picks its answer);
- remembering read where it is only the condition of a question ("what happens if I remember it
  later?", "hva skjer hvis jeg kommer på det igjen senere?"): a process question, so a pending
  request is not cancelled by it (``asks_if_remembered_later``, session 23);
- a reset request named and taken back ("revoke my request", "Fjern saken med referanse PH-3390",
  read as a status question or a change): a withdrawal (``passordhjelp.nlp.request_withdrawn``,
  session 22); not of someone else's request;
- a forgetting read first but unsurely (under the fallback's threshold) that the message tells
  outright ("glemt passord!!! haster, har møte om 10 min"): forgotten, holding the confidence of
  vague trouble, an administrator's reset, a process or status question beside it (session 22);
- a change that tells a forgetting and refuses the change ("forgot my password, and no, I don't
  want to change it, I need it reset", "har glemt passordet og nei, jeg vil ikke bytte det
  selv"): forgotten (``refuses_change``, session 23);
- a forgetting, vague trouble, a process question, a yes or a no whose last word on the password
  is that it was remembered after all ("had forgotten it completely, but my notebook had it. all
  good now", "Glemte det i stad, men husket det i dusjen"), with no wish for a new one after:
  remembering it after all (``passordhjelp.nlp.remembered_now``, session 23);
- a thanks that closes the topic ("ok, thanks, that was all I was after", read as
  wanting to change the password): a thanks (``passordhjelp.nlp.closing_thanks``);
- a request reference and nothing else ("PH-7K3QXA", typed back after filing, read as
  out of scope): a status question.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from passordhjelp.consent import about_someone_else
from passordhjelp.nlp.close_call import CLOSE_PAIR, pooled_into
from passordhjelp.nlp.closing_thanks import closes_with_thanks
from passordhjelp.nlp.forgotten_told import (
    all_but_one_known,
    doubts_knowing,
    refuses_change,
    tells_fault_unknown,
    tells_forgetting,
    tells_forgotten,
    tells_forgotten_plainly,
    tells_known_for_change,
    tells_known_plainly,
    tells_memory_failed,
)
from passordhjelp.nlp.how_to_change import asks_how_to_change
from passordhjelp.nlp.pasted_password import pasted_password_fails
from passordhjelp.nlp.process_question import (
    asks_about_process,
    asks_about_temporary_password,
    asks_if_remembered_later,
    asks_to_file_now,
)
from passordhjelp.nlp.refused_known import refused_though_known
from passordhjelp.nlp.remembered_now import remembered_after_all
from passordhjelp.nlp.request_withdrawn import refuses_sending, withdraws_request
from passordhjelp.reset_requests import only_a_reference

FORGOT_INTENT = "forgot_password"
CHANGE_INTENT = "change_password"
CANCEL_INTENT = "cancel_request"
THANK_INTENT = "thank"
STATUS_INTENT = "reset_request_status"
DENY_INTENT = "deny"
REMEMBERED_INTENT = "remembered_password"
# Readings of a pasted failing password taken back: vague trouble, or an unsure
# process question, out of scope or remembering it (a password that fails is none).
_VAGUE_TROUBLE = "password_help"
_PROCESS = "ask_process"
_UNSURE_READINGS = frozenset({_PROCESS, "out_of_scope", "remembered_password"})
_UNSURE = 0.6
# Readings of a closing thanks taken back: the ones that would act on the account.
_ACTING_READINGS = frozenset({CHANGE_INTENT, "forgot_password", "account_locked", "password_help"})
_SURE = 0.9
# Readings of every other password known but the work one pooled into forgetting (session 20:
# "bank, Netflix, all fine - just not the work one", read as a change, vague trouble, forgetting
# close to a change, or for the private services named as out of scope), so the close call asks
# nothing. Session 22: every other thing known but the password ("i remember the email address
# fine, just not the password"), read as remembering it after all too.
_ALL_BUT_ONE_READINGS = frozenset(
    {CHANGE_INTENT, "password_help", FORGOT_INTENT, "out_of_scope", "remembered_password"}
)
# Session 21: readings a plainly told forgetting takes back ("vil ha det gamle, og det har jeg
# glemt" read as a change; "for jeg husker ikke det gamle" beside an administrator read as an
# administrator's reset).
# Session 22: and remembering it after all ("... I have relaxed. I do not remember it.").
_PLAIN_FORGETTING_READINGS = frozenset(
    {CHANGE_INTENT, _VAGUE_TROUBLE, "admin_reset_user_password", "remembered_password"}
)

# Session 22: readings a password told known beside a wish for a new one pools into a change
# ("I remember it, no problem there, I just think it's too weak" read as remembering it after
# all; "the old one still works but I've used it for ages" as vague trouble; a change close to
# forgetting, which the close call would ask about; "If I'd forgotten it I couldn't be writing to
# you, could I? I just want to change it" as a process question).
_KNOWN_FOR_CHANGE_READINGS = frozenset(
    {CHANGE_INTENT, _VAGUE_TROUBLE, "remembered_password", FORGOT_INTENT, _PROCESS}
)
# Session 23: readings a remembering told last takes back ("had forgotten it completely, but my
# notebook had it. all good now" read as a forgetting, "Nei vent, jeg vet hva det er nå" as a no,
# "got it! it was the one with the exclamation mark" as a process question). Not a change: a
# wish for a new one after remembering is one.
_REMEMBERED_READINGS = frozenset(
    {FORGOT_INTENT, _VAGUE_TROUBLE, _PROCESS, "affirm", "deny", "out_of_scope"}
)
# Session 23: readings sending refused outright takes to a no ("Nei, vet du hva, jeg tar det med
# Kari i morgen. Ikke send noe." read as a forgetting).
_SENDING_REFUSED_READINGS = frozenset(
    {FORGOT_INTENT, _VAGUE_TROUBLE, CHANGE_INTENT, "account_locked", _PROCESS}
)
# Session 23: readings a question about the temporary password takes to the process ("Do I get a
# temporary password first?" read as a change, "Får jeg et midlertidig passord først?" as a
# forgetting).
_TEMPORARY_PASSWORD_READINGS = frozenset(
    {CHANGE_INTENT, FORGOT_INTENT, _VAGUE_TROUBLE, "out_of_scope", "affirm", "goodbye"}
)
# Session 22: readings a reset request named and taken back takes to a withdrawal ("revoke my
# request" read as a status question, "take back my request for a new password" as a change).
_WITHDRAWN_READINGS = frozenset(
    {
        STATUS_INTENT,
        CHANGE_INTENT,
        FORGOT_INTENT,
        _VAGUE_TROUBLE,
        "remembered_password",
        "deny",
        _PROCESS,
        "out_of_scope",
    }
)
# Session 22: readings pooled into a forgetting the classifier reads first, unsurely, where the
# message tells it outright ("glemt passord!!! haster, har møte om 10 min" at forgot 0.33 beside an
# administrator's reset and a process question, under the fallback's threshold).
_BESIDE_FORGETTING_READINGS = frozenset(
    {FORGOT_INTENT, _VAGUE_TROUBLE, "admin_reset_user_password", _PROCESS, STATUS_INTENT}
)
# Session 22 (nb helper): readings a forgetting told by the whole message takes back ("trodde jeg
# kunne det helt til jeg skulle skrive det" read as a yes, "kom tilbake en stund, men nå er det
# borte igjen" as remembering it).
_MEMORY_FAILED_READINGS = frozenset(
    {CHANGE_INTENT, _VAGUE_TROUBLE, "remembered_password", "affirm", _PROCESS}
)


def _reading(message: Message, top: Dict[str, Any]) -> Optional[str]:
    """The intent the message's shape says it is, or None to keep the classifier's."""
    text = message.get(TEXT) or ""
    name, confidence = top.get("name"), top.get("confidence") or 0.0
    if (
        (name == _VAGUE_TROUBLE or (name in _UNSURE_READINGS and confidence < _UNSURE))
        and pasted_password_fails(text)
        and not about_someone_else({ENTITIES: message.get(ENTITIES)})
    ):
        return FORGOT_INTENT
    if (
        name in _REMEMBERED_READINGS
        and remembered_after_all(text)
        and not about_someone_else({ENTITIES: message.get(ENTITIES)}, loose=False)
    ):
        return REMEMBERED_INTENT
    if (
        name == _VAGUE_TROUBLE
        and tells_forgotten(text)
        and not about_someone_else({ENTITIES: message.get(ENTITIES)}, loose=False)
    ):
        return FORGOT_INTENT
    if (
        name in _PLAIN_FORGETTING_READINGS
        and tells_forgotten_plainly(text)
        and not about_someone_else({ENTITIES: message.get(ENTITIES)}, loose=False)
    ):
        return FORGOT_INTENT
    if (
        name == CHANGE_INTENT
        and refuses_change(text)
        and tells_forgetting(text)
        and not about_someone_else({ENTITIES: message.get(ENTITIES)}, loose=False)
    ):
        return FORGOT_INTENT
    if (
        name in CLOSE_PAIR
        and doubts_knowing(text)
        and not tells_forgotten_plainly(text)
        and not about_someone_else({ENTITIES: message.get(ENTITIES)}, loose=False)
    ):
        return _VAGUE_TROUBLE
    if (
        name in _MEMORY_FAILED_READINGS
        and tells_memory_failed(text)
        and not tells_known_plainly(text)
        and not about_someone_else({ENTITIES: message.get(ENTITIES)}, loose=False)
    ):
        return FORGOT_INTENT
    if name == FORGOT_INTENT and tells_known_plainly(text) and not tells_forgotten_plainly(text):
        return _VAGUE_TROUBLE
    if name == FORGOT_INTENT and tells_fault_unknown(text):
        return _VAGUE_TROUBLE
    if (
        name == FORGOT_INTENT
        and refused_though_known(text)
        and not tells_forgotten(text)
        and not about_someone_else({ENTITIES: message.get(ENTITIES)})
    ):
        return _VAGUE_TROUBLE
    if (
        name == _PROCESS
        and asks_how_to_change(text)
        and not tells_forgotten(text)
        and not tells_forgotten_plainly(text)
        and not about_someone_else({ENTITIES: message.get(ENTITIES)}, loose=False)
    ):
        return CHANGE_INTENT
    if (
        name in _WITHDRAWN_READINGS
        and withdraws_request(text)
        and not about_someone_else({ENTITIES: message.get(ENTITIES)}, loose=False)
    ):
        return CANCEL_INTENT
    if (
        name == STATUS_INTENT
        and asks_to_file_now(text)
        and tells_forgetting(text)
        and not about_someone_else({ENTITIES: message.get(ENTITIES)}, loose=False)
    ):
        return FORGOT_INTENT
    if name in _TEMPORARY_PASSWORD_READINGS and asks_about_temporary_password(text):
        return _PROCESS
    if name in _SENDING_REFUSED_READINGS and refuses_sending(text):
        return DENY_INTENT
    if name == STATUS_INTENT and asks_about_process(text):
        return _PROCESS
    if name == REMEMBERED_INTENT and asks_if_remembered_later(text):
        return _PROCESS
    if name in _ACTING_READINGS and confidence < _SURE and closes_with_thanks(text):
        return THANK_INTENT
    if name != STATUS_INTENT and only_a_reference(text):
        return STATUS_INTENT
    return None


def _all_but_one_forgotten(message: Message, top: Dict[str, Any]) -> bool:
    return (
        top.get("name") in _ALL_BUT_ONE_READINGS
        and all_but_one_known(message.get(TEXT) or "")
        and not about_someone_else({ENTITIES: message.get(ENTITIES)}, loose=False)
    )


def _known_for_change(message: Message, top: Dict[str, Any]) -> bool:
    return (
        top.get("name") in _KNOWN_FOR_CHANGE_READINGS
        and tells_known_for_change(message.get(TEXT) or "")
        and not about_someone_else({ENTITIES: message.get(ENTITIES)}, loose=False)
    )


def _unsure_forgetting_told(message: Message, top: Dict[str, Any]) -> bool:
    text = message.get(TEXT) or ""
    return (
        top.get("name") == FORGOT_INTENT
        and (top.get("confidence") or 0.0) < _UNSURE
        and (tells_forgotten(text) or tells_forgotten_plainly(text))
        and not about_someone_else({ENTITIES: message.get(ENTITIES)}, loose=False)
    )


def _moved_to(intent: str, ranking: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The ranking with the top intent's confidence added to ``intent``'s, first."""
    top, rest = ranking[0], ranking[1:]
    own = sum(r.get("confidence") or 0.0 for r in rest if r.get("name") == intent)
    others = [r for r in rest if r.get("name") != intent]
    return [{"name": intent, "confidence": (top.get("confidence") or 0.0) + own}] + others


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ShapeReadings(GraphComponent, IntentClassifier):
    """Place after the classifier and the entity extractors, before the FallbackClassifier."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ShapeReadings":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            if ranking and _all_but_one_forgotten(message, ranking[0]):
                ranking = pooled_into(FORGOT_INTENT, _ALL_BUT_ONE_READINGS, ranking)
            elif ranking and _known_for_change(message, ranking[0]):
                ranking = pooled_into(CHANGE_INTENT, _KNOWN_FOR_CHANGE_READINGS, ranking)
            elif ranking and _unsure_forgetting_told(message, ranking[0]):
                ranking = pooled_into(FORGOT_INTENT, _BESIDE_FORGETTING_READINGS, ranking)
            else:
                intent = _reading(message, ranking[0]) if ranking else None
                if intent is None:
                    continue
                ranking = _moved_to(intent, ranking)
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
