"""Whether a message follows up the assistant's last answer rather than asking anew.

A short follow-up is often read as another intent: "it's been hours" after a
status answer as out of scope, "can I make them change it at next sign-in?"
after the admin steps as the chatter's own change or, unsurely, as asking for a person, "where do I do that?" or
"where is View account?" after the change steps as a question about the request
process, "I'll check something first" right after a decline as a status question
or a change, "can I do it on my phone?" after the change steps as a question about
the request process, "who do I ask then?" after an out-of-scope answer as a process
question, "VPN doesn't work either" after an out-of-scope answer as password
trouble. It also tells a message that only tries the chat out ("just testing what
this bot can do", read as out of scope). The words that tell
them apart are data (dialogue_follow_up.yml); the rules in data/rules act on
the outcome.
"""

from __future__ import annotations

import enum
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Optional

import yaml

from passordhjelp.consent import (
    OTHER_ACCOUNT_ENTITY,
    THIRD_PERSON_ENTITY,
    about_someone_else,
    starts_with_no,
    starts_with_yes,
)
from passordhjelp.nlp import forgotten_told, refused_known
from passordhjelp.nlp.words import words_of

_WORDS_FILE = Path(__file__).with_name("dialogue_follow_up.yml")
# Below this, asking for a person right after the admin steps ("can I force the user
# to change it?" read unsurely as human_handoff) may be a question about the user.
_UNSURE_PERSON = 0.5
# A where/how follow-up to the steps is short; a longer question is a new one.
_MAX_POINTER_QUESTION_WORDS = 8
# Intents that take the same path (the offer to file a request): a message unclear only
# between them (the FallbackClassifier's ambiguity, config.yml) takes that path.
OWN_PASSWORD_TROUBLE = frozenset({"forgot_password", "account_locked"})
# The FallbackClassifier's threshold (config.yml): above it, a fallback is an ambiguity.
_FALLBACK_THRESHOLD = 0.35
# "any news?" after filing names no request; a longer message with a news word may be new.
_MAX_NEWS_QUESTION_WORDS = 4
# Intents a short follow-up to the admin steps may be read as ("finner ikke Aktive brukere" as
# a no, "thanks, found it" as remembering one's password).
_ADMIN_FOLLOW_UP_INTENTS = frozenset(
    {"ask_process", "out_of_scope", "nlu_fallback", "deny", "remembered_password"}
)
# What a question about changing it on a device may be read as, right after the change steps
# (a process question is told by its topic instead).
_CHANGE_QUESTION_READINGS = frozenset(
    {"change_password", "remembered_password", "out_of_scope", "nlu_fallback"}
)
# Intents a message that says the password is known but refused may be read as, besides
# remembered_password (read on its own path): vague trouble, or a change (whose steps need the
# sign-in that fails).
_REFUSED_KNOWN_READINGS = frozenset({"password_help", "change_password"})
# The admin steps as the rule gives them (the steps, then where to learn more).
ADMIN_STEPS_ANSWER = frozenset({"utter_admin_reset_steps", "utter_learn_more"})
# The action that reads the follow-up (run inside Rasa: runtime/in_process_actions.py) and its slot.
CHECK_FOLLOW_UP_ACTION = "action_check_follow_up"
FOLLOW_UP_SLOT = "follow_up"
# Steps that say nothing about what the user needed.
BOOKKEEPING_ACTIONS = frozenset({"action_listen", "action_extract_slots", "action_session_start"})
# The answer that tells a request was filed (its response, sent by the filing action).
FILED_ANSWER = "utter_request_filed"
# The question whether the chatter still knows their own password: an answer to it that
# names anyone else ("no, it's for the temp") is about their account, not the chatter's.
KNOWS_PASSWORD_QUESTION = "utter_ask_knows_password"
# The assistant's answers to a message it cannot help with.
OUT_OF_SCOPE_ANSWERS = frozenset({"utter_out_of_scope", "utter_out_of_scope_follow_up"})


class FollowUp(enum.Enum):
    """What a message follows up; NONE: answer it as its intent says."""

    STATUS = "status"
    ADMIN_STEPS = "admin_steps"
    CHANGE_STEPS = "change_steps"
    CHANGE_QUESTION = "change_question"
    OUT_OF_SCOPE = "out_of_scope"
    POSTPONED = "postponed"
    FORGOT = "forgot"
    OTHER_PERSON = "other_person"
    CANCEL = "cancel"
    TRYING_OUT = "trying_out"
    REFUSED_KNOWN = "refused_known"
    NONE = "none"


@lru_cache(maxsize=1)
def _words() -> Dict[str, FrozenSet[str]]:
    raw = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))

    def both(key: str) -> FrozenSet[str]:
        return frozenset((raw[key]["en"] + " " + raw[key]["nb"]).lower().split())

    return {
        "waiting": both("waiting"),
        "postpone": both("postpone"),
        "other_user": both("other_user"),
        "own": frozenset(raw["own"].lower().split()),
        "where_how": frozenset(raw["where_how"].lower().split()),
        "pointer": frozenset(raw["pointer"].lower().split()),
        "step_names": both("step_names"),
        "devices": both("devices"),
        "back_to_it": both("back_to_it"),
        "request": both("request"),
        "status_of_it": both("status_of_it"),
        "news": both("news"),
        "duration": both("duration"),
        "filed_request_topics": frozenset(raw["filed_request_topics"].split()),
        "as_well": both("as_well"),
        "password_words": both("password_words"),
        "reference": both("reference"),
        "admin_step_names": both("admin_step_names"),
        "withdraw": both("withdraw"),
        "reset_verbs": both("reset_verbs"),
        "not_received": both("not_received"),
        "not_ours": frozenset(raw["not_ours"].lower().split()),
        "ours": both("ours"),
        "ask_you": both("ask_you"),
        "try_out": both("try_out"),
        "the_chat": both("the_chat"),
        "try_out_fillers": both("try_out_fillers"),
        "negations": frozenset(
            "not no never don dont t haven havent hasn hasnt didn didnt ikke ingen ingenting "
            "aldri".split()
        ),
    }


def tells_forgotten(text: str) -> bool:
    """A statement that the chatter does not remember the password ("men jeg husker det
    ikke", "I can't remember the current one"), with no question and no where/how
    (``passordhjelp.nlp.forgotten_told``)."""
    words = words_of(text)
    if "?" in text or set(words) & _words()["where_how"]:
        return False
    return forgotten_told.tells_forgotten(text)


def _process_topic(message: Mapping[str, Any]) -> Optional[str]:
    """The ResponseSelector's topic for a process question ("how_long")."""
    selected = (message.get("response_selector") or {}).get("ask_process") or {}
    action = (selected.get("response") or {}).get("utter_action") or ""
    return action.rpartition("/")[2] or None


def read_follow_up(
    message: Mapping[str, Any],
    *,
    previous_step: Optional[str],
    admin_steps_shown: bool,
    declined: bool = False,
    filed: bool = False,
    asked_after: str = "",
) -> FollowUp:
    """Read Rasa's parse of a message against the assistant's last answer.

    Args:
        message: ``tracker.latest_message``.
        previous_step: the last action the assistant ran before the message.
        admin_steps_shown: whether the admin steps were shown earlier in the
            conversation (the chatter spoke as an admin).
        declined: whether the offer or confirmation was declined (reset_declined).
        filed: whether a request was filed earlier in the conversation.
        asked_after: the text of the chatter's message before the last answer (the one
            "do you still know your current password?" was asked after).
    """
    text = message.get("text") or ""
    words = words_of(text)
    found = set(words)
    intent = (message.get("intent") or {}).get("name")
    listed = _words()
    if previous_step == KNOWS_PASSWORD_QUESTION and about_someone_else(message):
        # "nei, det er til vikaren" to "do you still know your password?": a no would
        # lead to the offer for the chatter's own account, and a yes to its change steps.
        return FollowUp.OTHER_PERSON
    if (
        previous_step == KNOWS_PASSWORD_QUESTION
        and intent == "nlu_fallback"
        and "?" not in text
        and starts_with_no(text)
    ):
        # "neida, aner ikke" to "do you still know your password?", not understood: a no
        # first, so it is not known: the offer, as a no gets.
        return FollowUp.FORGOT
    if previous_step == KNOWS_PASSWORD_QUESTION and answers_known_but_refused(
        text, intent=intent, asked_after=asked_after
    ):
        # "yes, I'm sure it's right" to "do you still know your current password?", or a yes
        # after "it keeps saying my password is wrong": known, and sign-in refuses it; the
        # change steps need that sign-in. The checks, then the offer of an admin reset.
        return FollowUp.REFUSED_KNOWN
    if intent in ("out_of_scope", "nlu_fallback", "ask_process") and tries_the_chat_out(words):
        # "just testing what this bot can do", "prøver bare ut chatten": not a follow-up, and
        # nothing out of scope either: what the assistant can do.
        return FollowUp.TRYING_OUT
    ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
    if (
        intent == "nlu_fallback"
        and len(ranking) >= 2
        and {r.get("name") for r in ranking[:2]} <= OWN_PASSWORD_TROUBLE
        and (ranking[1].get("confidence") or 0.0) >= _FALLBACK_THRESHOLD
    ):
        # "locked out after too many tries, can't remember what I set it to": forgotten or
        # locked, too close to tell, and both are the offer to file a request.
        return FollowUp.FORGOT
    if (
        intent in _ADMIN_FOLLOW_UP_INTENTS
        and previous_step in ADMIN_STEPS_ANSWER
        and len(words) <= _MAX_POINTER_QUESTION_WORDS
        and not found & listed["own"]
        and (
            found & listed["admin_step_names"]
            or intent == "remembered_password"
            and len(words) <= _MAX_NEWS_QUESTION_WORDS
        )
    ):
        # Right after the admin steps: "and after Reset password, what then?", "finner ikke
        # Aktive brukere", "thanks, found it": about the steps, not the request process, a
        # no, or one's own password remembered.
        return FollowUp.ADMIN_STEPS
    if intent == "remembered_password" and filed and found & listed["withdraw"]:
        # "found it in my notes, can you withdraw the request?" after filing: remembered,
        # and the request filed is to be taken back.
        return FollowUp.CANCEL
    if (
        intent in _CHANGE_QUESTION_READINGS
        and previous_step == "action_show_change_steps"
        and found & listed["devices"]
        and not found & listed["request"]
        and not tells_forgotten(text)
    ):
        # "how do I do it on my phone?" right after the change steps, read as a change, out of
        # scope or not understood (or "kan jeg gjøre det på telefonen?" as remembering it):
        # changing it on that device, not the steps again.
        return FollowUp.CHANGE_QUESTION
    if intent == "remembered_password":
        # "never mind, found it" after an out-of-scope answer: nothing of ours was
        # forgotten, so there is nothing to remember either.
        if previous_step in OUT_OF_SCOPE_ANSWERS:
            return FollowUp.OUT_OF_SCOPE
        # "I know it but the sign-in fails every time": remembered, and the sign-in the change
        # steps need fails: the checks, then the offer of an admin reset.
        return FollowUp.REFUSED_KNOWN if tells_refused_known(message) else FollowUp.NONE
    names_other_account = any(
        e.get("entity") == OTHER_ACCOUNT_ENTITY for e in message.get("entities") or []
    )
    if (
        declined
        and previous_step == "action_file_reset_request"
        and "?" not in text
        and found & listed["postpone"]
        and not names_other_account
    ):
        return FollowUp.POSTPONED
    if (
        intent in ("out_of_scope", "nlu_fallback")
        and previous_step == "action_show_request_status"
        and found & listed["waiting"]
    ):
        return FollowUp.STATUS
    if (
        intent in ("out_of_scope", "nlu_fallback", "ask_process", "deny", "forgot_password")
        and previous_step == "action_show_request_status"
        and "?" not in text
        and found & listed["not_received"]
        and found & listed["negations"]
    ):
        # "har ikke fått noen melding", "I haven't received any text" after a status answer
        # (read as anything from a no to a forgotten password): nothing has reached the
        # chatter about that request; its status again.
        return FollowUp.STATUS
    # A short question, not about how long, that the classifier read as the process, as
    # nothing it knows, or as a no with a question mark: it points at what was just shown.
    pointer_question = (
        len(words) <= _MAX_POINTER_QUESTION_WORDS
        and not found & listed["duration"]
        and (
            intent in ("ask_process", "out_of_scope", "nlu_fallback")
            or intent == "deny"
            and "?" in text
        )
    )
    if (
        filed
        and pointer_question
        and (
            found & listed["news"]
            and len(words) <= _MAX_NEWS_QUESTION_WORDS
            or found & (listed["pointer"] | listed["request"])
            and found & listed["status_of_it"]
        )
    ):
        # "where is it now?", "any news?", "hørt noe?" after filing: the request just
        # filed, not the process (nor a message the classifier could not place, nor a no:
        # a question is not an answer).
        return FollowUp.STATUS
    if (
        filed
        and "?" not in text
        and intent in ("ask_process", "out_of_scope", "nlu_fallback")
        and found & listed["withdraw"]
        and not names_other_account
    ):
        # "ok withdraw the ticket, I'll just walk over to the helpdesk" after filing: the
        # request filed is taken back (a question, "can I cancel it later?", is answered).
        return FollowUp.CANCEL
    if (
        filed
        and "?" in text
        and intent in ("ask_process", "out_of_scope", "nlu_fallback")
        and found & listed["withdraw"]
        and found & listed["ask_you"]
        and found & (listed["request"] | listed["pointer"])
        and not found & (listed["duration"] | listed["where_how"] | listed["postpone"])
        and not names_other_account
    ):
        # "kan du kansellere forespørselen?", "could you withdraw the ticket?" after filing: a
        # request to take it back; "how do I cancel it later?" is still answered.
        return FollowUp.CANCEL
    if (
        (filed or previous_step == "action_show_request_status")
        and pointer_question
        and found & listed["reference"]
    ):
        # "what's the reference number?", "hva var saksnummeret?" after a status answer or
        # after filing: the request shown, with its reference.
        return FollowUp.STATUS
    confidence = (message.get("intent") or {}).get("confidence") or 0.0
    unsure_person = intent == "human_handoff" and confidence < _UNSURE_PERSON
    if (
        admin_steps_shown
        and not found & listed["own"]
        and (
            intent == "change_password"
            or (
                (intent in ("ask_process", "out_of_scope") or unsure_person)
                and previous_step in ADMIN_STEPS_ANSWER
            )
        )
    ):
        entities = message.get("entities") or []
        if found & listed["other_user"] or any(
            e.get("entity") == THIRD_PERSON_ENTITY for e in entities
        ):
            return FollowUp.ADMIN_STEPS
    if (
        intent in ("ask_process", "out_of_scope", "nlu_fallback")
        and previous_step == "action_show_change_steps"
        and len(words) <= _MAX_POINTER_QUESTION_WORDS
        and found & listed["where_how"]
        and (
            found & listed["pointer"]
            or (found & listed["step_names"] and not found & listed["request"])
        )
    ):
        return FollowUp.CHANGE_STEPS
    if (
        intent == "ask_process"
        and previous_step == "action_show_change_steps"
        and _process_topic(message) in listed["filed_request_topics"]
        and not found & listed["request"]
    ):
        # Right after the change steps a question that names no request ("can I do
        # it on my phone?") but drew an answer about a filed one (how long it
        # takes, what happens next) is about changing it; whether IT sees the
        # password, or why an admin is needed, is answered as asked.
        return FollowUp.CHANGE_QUESTION
    if (
        intent in ("nlu_fallback", "out_of_scope")
        and previous_step == "action_show_change_steps"
        and "?" in text
        and len(words) <= _MAX_POINTER_QUESTION_WORDS
        and found & listed["pointer"]
        and not found & listed["request"]
    ):
        # "kan jeg gjøre det fra mobilen?" right after the change steps, not understood: a
        # question about changing it, answered as such.
        return FollowUp.CHANGE_QUESTION
    if (
        intent == "change_password"
        and previous_step not in ADMIN_STEPS_ANSWER
        and not admin_steps_shown
        and tells_forgotten(text)
        and not about_someone_else(message)
    ):
        # "fikk varsel om at passordet går ut, men jeg husker det ikke uansett": it must be
        # changed, but the chatter does not know the current one: a forgotten password.
        return FollowUp.FORGOT
    if (
        (
            intent in OWN_PASSWORD_TROUBLE | {"password_help"}
            or intent == "ask_process"
            and "?" not in text
        )
        and previous_step in OUT_OF_SCOPE_ANSWERS
        and found & listed["as_well"]
        and not found & listed["password_words"]
    ):
        # "VPN doesn't work either" right after an out-of-scope answer: another thing
        # out of scope, not password trouble (it names no password, sign-in or lock).
        return FollowUp.OUT_OF_SCOPE
    if (
        intent in OWN_PASSWORD_TROUBLE | {"password_help"}
        and previous_step in OUT_OF_SCOPE_ANSWERS
        and _says_not_ours(words)
    ):
        # "it's not my normal login password, I tried that" right after an out-of-scope
        # answer about another password: still that other thing, not the chatter's sign-in.
        return FollowUp.OUT_OF_SCOPE
    if (
        intent == "ask_process"
        and previous_step in OUT_OF_SCOPE_ANSWERS
        and found & listed["back_to_it"]
    ):
        # "who do I ask then?", "he needs it now": still what was out of scope.
        return FollowUp.OUT_OF_SCOPE
    if intent in _REFUSED_KNOWN_READINGS and tells_refused_known(message):
        # "I know my password but it keeps saying it's wrong": "do you still know it?" would
        # ask what was just said, and its yes would lead to the change steps, which need the
        # sign-in that fails ("I want to change it, I know it but it says it's wrong" read as a
        # change: the same). The checks, then the offer of an admin reset.
        return FollowUp.REFUSED_KNOWN
    return FollowUp.NONE


def tells_refused_known(message: Mapping[str, Any]) -> bool:
    """Whether the message says the chatter's own password is known and sign-in refuses it or
    fails (``passordhjelp.nlp.refused_known``: one word list for every intent it is read on)."""
    return refused_known.refused_though_known(message.get("text") or "") and not (
        about_someone_else(message)
    )


def answers_known_but_refused(text: str, *, intent: Optional[str], asked_after: str) -> bool:
    """A yes to "do you still know your current password?" that says sign-in refuses it
    ("yes but it says it's wrong", "ja, jeg er sikker på at det er riktig"), or a yes after a
    message that said so ("it keeps saying my password is wrong"). A plain yes after vague
    trouble ("my password doesn't work") is not: the change steps."""
    says_yes = intent == "affirm" or intent == "password_help" and starts_with_yes(text)
    return says_yes and (
        refused_known.tells_refused(text)
        or refused_known.insists_right(text)
        or refused_known.tells_refused(asked_after)
    )


def tries_the_chat_out(words: List[str]) -> bool:
    """A word of trying with a word for the chat ("just checking out what this chat can do"),
    or nothing but trying and fillers ("just testing"), naming no password, request or
    account and nothing of the chatter's own (dialogue_follow_up.yml ``try_out``)."""
    found, listed = set(words), _words()
    named = listed["password_words"] | listed["request"] | listed["own"]
    if not found & listed["try_out"] or found & named:
        return False
    return bool(found & listed["the_chat"]) or found <= (
        listed["try_out"] | listed["try_out_fillers"]
    )


def asks_how_to_reset_theirs(message: Mapping[str, Any]) -> bool:
    """After a refusal to act for someone else: whether the message asks how to reset (that
    person's) password ("ok how do I reset it then?", "hvordan nullstiller jeg det da?"),
    naming nothing of the chatter's own: who can, and the admin steps, answer it."""
    found = set(words_of(message.get("text") or ""))
    listed = _words()
    # "how long does a reset take?" asks about the process, not how to do it
    return bool(
        found & listed["where_how"]
        and found & listed["reset_verbs"]
        and not found & (listed["own"] | listed["duration"])
    )


def _says_not_ours(words: List[str]) -> bool:
    """A negation with a word for the sign-in password at most two words after it ("not my
    normal login password", "ikke det vanlige passordet")."""
    listed = _words()
    return any(
        word in listed["not_ours"] and set(words[i + 1 : i + 4]) & listed["ours"]
        for i, word in enumerate(words)
    )


def admin_step_read_as_someone_else(
    message: Mapping[str, Any], *, previous_step: Optional[str]
) -> bool:
    """Right after the admin steps, a short message naming one of their places ("finner ikke
    Aktive brukere") read unsurely as someone else's account, with no person or account named
    in it: about the steps, not a request for another person (the steps again)."""
    text = message.get("text") or ""
    words = words_of(text)
    found = set(words)
    intent = message.get("intent") or {}
    people = [
        e
        for e in message.get("entities") or []
        if e.get("entity") in (OTHER_ACCOUNT_ENTITY, THIRD_PERSON_ENTITY)
    ]
    return (
        intent.get("name") == "other_person_password"
        and (intent.get("confidence") or 0.0) < _UNSURE_PERSON
        and previous_step in ADMIN_STEPS_ANSWER
        and len(words) <= _MAX_POINTER_QUESTION_WORDS
        and not found & _words()["own"]
        and bool(found & _words()["admin_step_names"])
        and not people
    )
