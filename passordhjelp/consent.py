"""Whether an answer to the filing offer or confirmation is a clear yes.

Filing a request for someone who did not ask for it is the worst thing the
assistant can do, so only a clear yes counts: a button, a message made only of
bare-yes words ("y", "ja", "👍"), or an affirmation the classifier is sure of with
no word in it that hedges, negates, asks, wants something else or points at
another person (consent_words.yml: "yes, but...", "ja, til henne"). Other words
around a yes ("yes please go ahead with it", "ok ja, be admin da") leave it a
yes. A question, a message about someone else's account, or a message the
channel guard redacted (a pasted password) is never a yes.

The offer and the confirmation ask about the chatter's own account, so there any
other person named, a role or a pronoun ("yes, for Kari", "ja, det er til
sjefen", "it's my colleague's actually": the NLU's ``third_person`` entity, see
``passordhjelp.nlp.third_person``) means someone else's account, whatever the intent.
"""

from __future__ import annotations

import enum
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Tuple

import yaml

from passordhjelp.identity import typed_identifier
from passordhjelp.nlp.clauses import split_clauses
from passordhjelp.nlp.words import WORD, words_of
from passordhjelp.placeholder import PLACEHOLDER

_WORDS_FILE = Path(__file__).with_name("consent_words.yml")
# Punctuation and spaces around a bare yes ("yes!", "ja.", "ok 👍").
_PUNCTUATION = re.compile("[\\s.,!:;\\-–()'\"\U0001f3fb-\U0001f3ff\ufe0f]+")

OTHER_ACCOUNT_ENTITY = "other_account"
# A looser mention (a name, a role, a pronoun): someone else's account only where
# the question is about the chatter's own, i.e. at the offer and the confirmation.
THIRD_PERSON_ENTITY = "third_person"
_YES_INTENTS = frozenset({"affirm"})
_NO_INTENTS = frozenset({"deny", "cancel_request"})
_THANK_INTENT = "thank"


class Answer(enum.Enum):
    """How an answer to a yes/no question about filing reads."""

    YES = "yes"
    NO = "no"
    UNCLEAR = "unclear"  # a hesitant yes or a question: ask again
    SECRET = "secret"  # the guard removed a pasted password: ask again
    THANKS = "thanks"  # thanks, not an answer: say "you're welcome", ask again
    OTHER_ACCOUNT = "other_account"  # about someone else: refuse and file nothing


def _both_languages_words(entry: Mapping[str, str]) -> FrozenSet[str]:
    """The words of a consent_words.yml entry with an ``en`` and an ``nb`` list, as one set."""
    return frozenset((entry["en"] + " " + entry["nb"]).split())


def _both_languages_phrases(entry: Mapping[str, List[str]]) -> Tuple[str, ...]:
    """The phrases of an ``en``/``nb`` entry, longest first (so a longer one is found first)."""
    return tuple(sorted(entry["en"] + entry["nb"], key=len, reverse=True))


@lru_cache(maxsize=1)
def _words() -> Dict[str, Any]:
    raw = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))
    return {
        "bare_yes": frozenset(raw["bare_yes"].lower().split()),
        "bare_yes_emoji": frozenset(raw["bare_yes_emoji"].split()),
        "bare_no_emoji": frozenset(raw["bare_no_emoji"].split()),
        "hesitation_emoji": frozenset(raw["hesitation_emoji"].split()),
        "withdrawals": tuple(raw["withdrawals"]["en"] + raw["withdrawals"]["nb"]),
        "got_in": tuple(raw["got_in"]["en"] + raw["got_in"]["nb"]),
        "conditions": tuple(raw["conditions"]["en"] + raw["conditions"]["nb"]),
        "not_plain": _both_languages_words(raw["not_plain"]),
        "yes_first": frozenset(raw["yes_first"].lower().split()),
        "doubt": frozenset(raw["hesitation"]["doubt"].lower().split()),
        "certainty": frozenset(raw["hesitation"]["certainty"].lower().split()),
        "doubt_negations": frozenset(raw["hesitation"]["negations"].lower().split()),
        "doubt_fillers": frozenset(raw["hesitation"]["fillers"].lower().split()),
        "no_first": frozenset(raw["no_first"].lower().split()),
        "no_softeners": frozenset(raw["no_softeners"].lower().split()),
        "pronouns": frozenset(raw["pronouns"].lower().split()),
        "take_back": frozenset(raw["take_back"].lower().split()),
        "take_back_sends": frozenset(raw["take_back_sends"].lower().split()),
        "waits_for": frozenset(raw["waits_for"].lower().split()),
        "no_fillers": frozenset(raw["no_fillers"].lower().split()),
        "courtesies": frozenset(raw["courtesies"].lower().split()),
        "hedges": tuple(raw["hedges"]["en"] + raw["hedges"]["nb"]),
        "search_reports": frozenset(raw["search_reports"].lower().split()),
        "act_verbs": frozenset(raw["act_on_it"]["verbs"].lower().split()),
        "act_pointers": frozenset(raw["act_on_it"]["pointers"].lower().split()),
        "first_person_own": frozenset(raw["first_person"]["own"].lower().split()),
        "first_person_subject": frozenset(raw["first_person"]["subject"].lower().split()),
        "reason_negations": frozenset(raw["own_reasons"]["negations"].lower().split()),
        "reason_clause_words": frozenset(raw["own_reasons"]["clause_words"].lower().split()),
        "own_identity": frozenset(raw["own_identity"].lower().split()),
        "and": frozenset(raw["self_and_other"]["and"].lower().split()),
        "with_self": frozenset(raw["self_and_other"]["with_self"].lower().split()),
        "both": frozenset(raw["self_and_other"]["both"].lower().split()),
        "we": frozenset(raw["self_and_other"]["we"].lower().split()),
        "plural": frozenset(raw["self_and_other"]["plural"].lower().split()),
        "dismissals": _both_languages_phrases(raw["dismissals"]),
        "way_out_doubt": _both_languages_words(raw["way_out"]["doubt"]),
        "way_out_hold_off": _both_languages_words(raw["way_out"]["hold_off"]),
        "way_out_says": _both_languages_words(raw["way_out"]["says"]),
        "way_out_waits": _both_languages_words(raw["way_out"]["waits"]),
        "way_out_interjections": _both_languages_words(raw["way_out"]["interjections"]),
        "way_out_looks": _both_languages_words(raw["way_out"]["looks"]),
        "way_out_tells": _both_languages_words(raw["way_out"]["tells"]),
        "way_out_plans": tuple(raw["way_out"]["plans"]["en"] + raw["way_out"]["plans"]["nb"]),
        "way_out_later": _both_languages_words(raw["way_out"]["later"]),
        "turn_markers": _both_languages_words(raw["turns_elsewhere"]["markers"]),
        "no_asides": _both_languages_phrases(raw["no_asides"]),
        "helpdesk_people": frozenset(raw["helpdesk_people"].lower().split()),
        "indefinite_people": frozenset(raw["indefinite_people"].lower().split()),
        "relay": frozenset(raw["relay"].lower().split()),
        "in_my_name": tuple(raw["in_my_name"]),
    }


def _only_emoji_of(text: str, emoji: FrozenSet[str]) -> bool:
    rest = text
    for one in sorted(emoji, key=len, reverse=True):
        rest = rest.replace(one, " ")
    return rest != text and not _PUNCTUATION.sub("", rest) and "?" not in rest


def is_bare_no(text: str) -> bool:
    """Whether a message is nothing but a no in emoji ("👎", "❌")."""
    return _only_emoji_of(text, _words()["bare_no_emoji"])


def is_bare_yes(text: str) -> bool:
    """Whether a message is nothing but a yes: bare-yes words and emoji ("y", "ja 👍")."""
    if "?" in text:
        return False
    rest = text
    for emoji in sorted(_words()["bare_yes_emoji"], key=len, reverse=True):
        rest = rest.replace(emoji, " ")
    words = words_of(rest)
    if _PUNCTUATION.sub("", WORD.sub("", rest)):
        return False  # something else: another emoji, a symbol
    return (bool(words) or rest != text) and set(words) <= _words()["bare_yes"]


def starts_with_yes(text: str) -> bool:
    """Whether a message starts with a yes ("ja takk", "yes thanks, bye")."""
    words = words_of(text)
    return bool(words) and words[0] in _words()["yes_first"]


def courteous_yes(text: str) -> bool:
    """A yes followed by nothing but thanks or goodbye ("ja, takk for hjelpen, ha det",
    "yes thanks, bye"), no question: a yes whatever the classifier made of it."""
    words = words_of(text)
    return (
        "?" not in text
        and starts_with_yes(text)
        and set(words[1:]) <= _words()["courtesies"] | _words()["bare_yes"]
    )


# The readings of a message that speaks of a person: someone else's account, asking for one.
_PERSON_INTENTS = frozenset({"other_person_password", "human_handoff"})


def declines_waiting_for_someone(message: Mapping[str, Any]) -> bool:
    """A no or a withdrawal that says whom the chatter waits for or turns to ("nei takk,
    venter til Per er tilbake", "hmm actually no, never mind, I'll ask Per tomorrow"), every
    person named being that one: a decline of the chatter's own request, whatever the
    classifier made of it (someone else's account, asking for a person). With no person
    marked, only where the classifier read a person in it and a word of waiting or turning
    to someone says so ("oh wait, never mind, I remember it now" is no such decline)."""
    text = message.get("text") or ""
    entities = list(message.get("entities") or [])
    people = [e for e in entities if e.get("entity") in (THIRD_PERSON_ENTITY, OTHER_ACCOUNT_ENTITY)]
    read_as_a_person = (message.get("intent") or {}).get("name") in _PERSON_INTENTS
    waits = bool(set(words_of(text)) & _words()["waits_for"])
    # Session 17: a plan of the chatter's own with no no before it ("jeg venter til Per
    # kommer", "I'd rather ask Jonas in IT") declines as well when it names whom; with no one
    # named, "maybe I should just talk to a person" asks for a person.
    turns = _turns_away(message)
    if read_as_a_person and asks_for_the_helpdesk(text, people):
        # Session 17: "no, I'd rather talk to a human": a person asked for, not waited for.
        return False
    return (
        "?" not in text
        and (_declines(text) or (turns and bool(people)))
        and (bool(people) or (read_as_a_person and waits))
        and all(_waited_for_in_a_no(text, e, turns_away=turns) for e in people)
    )


_CAPITAL_IT = re.compile(r"\bIT\b")


def asks_for_the_helpdesk(text: str, people: Iterable[Mapping[str, Any]]) -> bool:
    """Whether a message turns to the helpdesk or a person in general ("a human", "noen på
    IT", consent_words.yml ``helpdesk_people``) and names no one: every person the NLU marked
    is such a word ("someone")."""
    listed = _words()["helpdesk_people"]
    named = any(
        not set(words_of(str(e.get("value") or ""))) <= listed | _words()["indefinite_people"]
        for e in people
    )
    return not named and bool(set(words_of(text)) & listed or _CAPITAL_IT.search(text))


def _declines(text: str) -> bool:
    """A no first ("hmm actually no, ...") or a withdrawal ("never mind, ...")."""
    return starts_with_no(text) or withdraws(text)


# How many words after the chatter as subject a word of waiting or turning to someone may
# come ("I'd rather just ask", "I'm going to wait", "jeg får heller spørre").
_TURN_WITHIN = 4


def plans_to_turn(text: str) -> bool:
    """Whether a statement has the chatter as a clause's subject and a word of waiting or
    turning to someone a few words after it ("I'll just wait for Per", "jeg spør heller
    IT-kontakten vår"), and no yes in it ("not sure" and other hedges are no yes):
    consent_words.yml ``turns_elsewhere``, ``waits_for``."""
    if "?" in text:
        return False
    listed = _words()
    unhedged = " ".join(words_of(text))
    for phrase, pattern in _phrase_patterns(listed["hedges"]):
        if phrase in unhedged:
            unhedged = pattern.sub(" ", unhedged)
    if _yes_positions(unhedged):
        return False
    return any(
        word in listed["first_person_subject"]
        and bool(set(clause[i + 1 : i + 1 + _TURN_WITHIN]) & listed["waits_for"])
        for clause in _clauses(text)
        for i, word in enumerate(clause)
    )


def turns_elsewhere(text: str) -> bool:
    """A plan of the chatter's own instead of the request (``plans_to_turn``) that says it is
    instead, later or someone of theirs ("I'll ask my colleague instead", "jeg venter til i
    morgen"), a person named or not: a no at the offer or the confirmation. "I'll wait for
    the e-mail then" is no such plan (consent_words.yml ``turns_elsewhere.markers``)."""
    return plans_to_turn(text) and bool(set(words_of(text)) & _words()["turn_markers"])


def _turns_away(message: Mapping[str, Any]) -> bool:
    """A plan of the chatter's own (``plans_to_turn``) not read as a yes: a person named
    right after its word of waiting or turning is whom they turn to. Read as a yes ("go
    ahead, I'll wait for Per"), a person named stays someone else's account."""
    name = (message.get("intent") or {}).get("name")
    return name not in _YES_INTENTS and plans_to_turn(message.get("text") or "")


def turns_to_someone(message: Mapping[str, Any]) -> bool:
    """A plan of the chatter's own instead of the request: ``turns_elsewhere``, or a plan not
    read as a yes that names whom the chatter waits for or turns to ("I'll just wait for Per
    to get back", the NLU's ``third_person`` right after the word)."""
    text = message.get("text") or ""
    if turns_elsewhere(text):
        return True
    return _turns_away(message) and any(
        _waited_for_in_a_no(text, e, turns_away=True) for e in message.get("entities") or []
    )


def starts_with_no(text: str) -> bool:
    """Whether a message's first clause is a no and nothing else ("nei, jeg prøver
    igjen i morgen", "no thanks, later", also after a filler: "hmm actually no, ...",
    "egentlig nei, ..."): whatever follows, it declines."""
    words = _words()
    clauses = _clauses(without_asides(text))
    while clauses and clauses[0][0] in words["no_fillers"]:
        # "hm, egentlig nei": the fillers before the no say nothing.
        clauses[0] = clauses[0][1:]
        if not clauses[0]:
            clauses.pop(0)
    return (
        bool(clauses)
        and clauses[0][0] in words["no_first"]
        and set(clauses[0]) <= words["no_first"] | words["no_softeners"]
    )


def only_hesitates(text: str) -> bool:
    """Whether a message is nothing but hesitation ("maybe?", "hmm, ikke sikker"):
    not an answer, though a classifier may read it as a no."""
    words = set(words_of(text))
    listed = _words()
    if _only_emoji_of(text.replace("?", " "), listed["hesitation_emoji"]):
        return True  # "🤔", "🤷"
    negated_certainty = bool(words & listed["certainty"]) and bool(
        words & listed["doubt_negations"]
    )
    return (bool(words & listed["doubt"]) or negated_certainty) and words <= (
        listed["doubt"] | listed["certainty"] | listed["doubt_negations"] | listed["doubt_fillers"]
    )


def hesitates(text: str) -> bool:
    """Whether a message at the offer or the confirmation only hesitates: nothing but
    hesitation ("maybe?", "🤔"), or a phrase that hedges ("hmm, not sure", "maybe, let me
    think", "vet ikke helt", "tja", consent_words.yml ``hedges``), unless its first clause is
    a plain no ("nei, vet ikke") or it withdraws. Neither a yes nor a no: asked again."""
    if only_hesitates(text):
        return True
    if starts_with_no(text) or withdraws(text):
        return False
    return bool(_phrase_positions(text, _words()["hedges"]))


def hedged(text: str) -> bool:
    """Whether a typed yes has a word in it that may change what it means, or a condition
    ("as long as", "forutsatt at")."""
    return bool(set(words_of(text)) & _words()["not_plain"]) or bool(
        _phrase_positions(text, _words()["conditions"])
    )


@lru_cache(maxsize=None)
def _phrase_patterns(phrases: Tuple[str, ...]) -> Tuple[Tuple[str, "re.Pattern[str]"], ...]:
    """Each phrase with its pattern (the phrase as whole words), compiled once per list."""
    return tuple((phrase, re.compile(rf"\b{re.escape(phrase)}\b")) for phrase in phrases)


def _phrase_positions(text: str, phrases: Tuple[str, ...]) -> List[int]:
    """Where in the message's words (joined by spaces) each phrase found ends."""
    words = " ".join(words_of(text))
    # A phrase that is not in the words as a substring can't match as whole words.
    return [
        found.end()
        for phrase, pattern in _phrase_patterns(phrases)
        if phrase in words
        for found in pattern.finditer(words)
    ]


def _yes_positions(text: str) -> List[int]:
    listed = _words()
    yes_words = listed["bare_yes"] | listed["yes_first"]
    return [
        found.end()
        for found in re.finditer(r"\w+", " ".join(words_of(text)))
        if found.group() in yes_words
    ]


def withdraws(text: str) -> bool:
    """Whether a message takes the pending request back: a withdrawal ("scratch that",
    "glem det", "I'll sort it myself") or a report that the trouble went away ("never mind,
    got in", "det gikk likevel") with no negation in it, no question, and no yes after it
    ("ok never mind that, yes" is a yes at the offer). Phrases in consent_words.yml."""
    if "?" in text:
        return False
    listed = _words()
    ends = _phrase_positions(text, listed["withdrawals"])
    if not set(words_of(text)) & listed["reason_negations"]:
        ends += _phrase_positions(text, listed["got_in"])
    return bool(ends) and max(ends) > max(_yes_positions(text), default=-1)


@lru_cache(maxsize=None)
def _aside_patterns() -> Tuple["re.Pattern[str]", ...]:
    return tuple(
        re.compile(r"\b" + r"\W+".join(map(re.escape, phrase.split())) + r"\b", re.IGNORECASE)
        for phrase in _words()["no_asides"]
    )


def without_asides(text: str) -> str:
    """The message without phrases beside a no that add nothing to it ("vet du hva", "you know
    what": consent_words.yml ``no_asides``), its punctuation kept: "Nei vet du hva, jeg venter
    til Per er tilbake" starts with a no."""
    for pattern in _aside_patterns():
        text = pattern.sub(" ", text)
    return text


def without_dismissals(text: str) -> str:
    """The message without phrases that wave a digression away ("never mind",
    "glem det"): at the offer, "ok never mind, yes" is a yes to the offer."""
    rest = " ".join(words_of(text))
    for phrase, pattern in _phrase_patterns(_words()["dismissals"]):
        if phrase in rest:
            rest = pattern.sub(" ", rest)
    return rest


def _asks_in_my_name(text: str) -> bool:
    return bool(_phrase_positions(text, _words()["in_my_name"]))


# Punctuation ends a clause where a space or the end follows: not inside an address
# ("kari.nilsen@firma.no" is no clause "no").
_CLAUSE_END = re.compile(r"[,.;:!]+(?=\s|$)")


def _clauses(text: str) -> List[List[str]]:
    """The message's words clause by clause: punctuation ends a clause, and "because" or
    "fordi" (``own_reasons.clause_words``) starts one."""
    return split_clauses(text, _CLAUSE_END, _words()["reason_clause_words"])


def without_own_reasons(text: str) -> str:
    """The message without the negations of a reason the chatter gives after a
    yes ("yes please, I can't work without it"): at the offer, that is a yes."""
    words = _words()
    clauses = _clauses(text)
    if not clauses or not (
        starts_with_yes(" ".join(clauses[0])) or is_bare_yes(" ".join(clauses[0]))
    ):
        return text
    kept = [clauses[0]]
    for clause in clauses[1:]:
        body = clause[1:] if clause[0] in words["reason_clause_words"] else clause
        if body and body[0] in words["first_person_subject"]:
            clause = [w for w in clause if w not in words["reason_negations"]]
        kept.append(clause)
    return " , ".join(" ".join(c) for c in kept)


def about_someone_else(message: Mapping[str, Any], *, loose: bool = True) -> bool:
    """Whether a message speaks of another person's account (the NLU's entities).

    Args:
        message: Rasa's parse of a user message.
        loose: count a ``third_person`` mention too, as at the offer and the
            confirmation; otherwise only ``other_account``.
    """
    wanted = {OTHER_ACCOUNT_ENTITY, THIRD_PERSON_ENTITY} if loose else {OTHER_ACCOUNT_ENTITY}
    entities: Iterable[Dict[str, Any]] = message.get("entities") or []
    text = message.get("text") or ""
    asks_of_own = _asks_about_own(text)
    turns = any(e.get("entity") == THIRD_PERSON_ENTITY for e in entities) and _turns_away(message)
    return any(
        e.get("entity") in wanted
        and not (asks_of_own and _indefinite_third_person(e))
        and not _waited_for_in_a_no(text, e, turns_away=turns)
        for e in entities
    )


# How many words before a person, in the person's clause, may say that the chatter waits for
# them ("wait until", "venter på at"; Session 17: four, for a role before a name, "wait until
# my manager Jonas", "venter til sjefen min Per").
_WAITS_FOR_WITHIN = 4


def _waited_for_in_a_no(text: str, entity: Mapping[str, Any], *, turns_away: bool) -> bool:
    """A person named right after a word of waiting or turning to someone in a message
    whose first clause is a plain no, or that withdraws ("no thanks, I'll wait until Jonas
    is in", "never mind, I'll ask Per tomorrow", "nei takk, venter til Per er tilbake"), or
    that is a plan of the chatter's own not read as a yes (``turns_away``: "jeg venter til
    Per kommer", "I'd rather ask Jonas"): whom the chatter waits for or turns to, not whose
    account it is. Only a loose mention; an address or user name is always someone's
    account."""
    if entity.get("entity") != THIRD_PERSON_ENTITY or not (turns_away or _declines(text)):
        return False
    start = entity.get("start")
    if not isinstance(start, int):
        return False
    # Only the person's own clause: "no, I'll wait, it's Per's" names whose it is.
    before = words_of(_CLAUSE_END.split(text[:start])[-1])[-_WAITS_FOR_WITHIN:]
    return bool(set(before) & _words()["waits_for"])


def _asks_about_own(text: str) -> bool:
    """A question with a first-person possessive ("can anyone else see my password?")."""
    return "?" in text and bool(set(words_of(text)) & _words()["first_person_own"])


def _indefinite_third_person(entity: Mapping[str, Any]) -> bool:
    """A loose mention made only of indefinite words ("noen andre", "someone else"): in a
    question about the chatter's own password it is who might see it, not whose it is."""
    words = words_of(str(entity.get("value") or ""))
    return (
        entity.get("entity") == THIRD_PERSON_ENTITY
        and bool(words)
        and set(words) <= _words()["indefinite_people"]
    )


def without_own_accounts(
    message: Mapping[str, Any], own: FrozenSet[str]
) -> Tuple[Dict[str, Any], bool]:
    """The message without the verified chatter's own address or user name, and whether
    it had one: the account mention is dropped and the address or user name cut out of
    the text (it is neither someone else's account nor a word of the answer).

    Args:
        message: Rasa's parse of a user message.
        own: ``passordhjelp.identity.own_account_names`` of the conversation; empty
            when the channel verified no one, so nothing typed is ever taken as own.
    """
    text = message.get("text") or ""
    kept: List[Tuple[Dict[str, Any], Optional[str]]] = []
    cut: List[Tuple[Dict[str, Any], Optional[str]]] = []
    for entity in message.get("entities") or []:
        typed = (
            typed_identifier(str(entity.get("value") or ""))
            if entity.get("entity") == OTHER_ACCOUNT_ENTITY
            else None
        )
        (cut if typed is not None and typed in own else kept).append((entity, typed))
    if not cut:
        return dict(message), False
    for _, typed in cut:
        text = re.sub(re.escape(typed or ""), " ", text, flags=re.IGNORECASE)
    return {**message, "text": text, "entities": [entity for entity, _ in kept]}, True


def includes_self(text: str) -> bool:
    """Whether a message puts the chatter beside someone else ("both me and my colleague
    forgot our passwords", "kollegaen min og jeg har glemt passordene", "we've both
    forgotten"): a first-person pronoun joined by "and"/"og" to another word in a message
    with a word for more than one, or "both"/"begge" with "we"/"vi" (consent_words.yml)."""
    words = words_of(text)
    found, listed = set(words), _words()
    joined = any(
        first in listed["and"]
        and second in listed["with_self"]
        or first in listed["with_self"]
        and second in listed["and"]
        for first, second in zip(words, words[1:])
    )
    return (joined and bool(found & listed["plural"])) or bool(
        found & listed["both"] and found & listed["we"]
    )


class Owner(enum.Enum):
    """Whose account a request for a reset speaks of."""

    OWN = "own"  # the chatter's: nothing but their own verified address or user name
    BOTH = "both"  # the chatter's and someone else's ("me and my colleague")
    OTHER = "other"  # someone else's only: refused


OTHER_PERSON_INTENT = "other_person_password"


def account_owner(message: Mapping[str, Any], own: FrozenSet[str]) -> Owner:
    """Whose account a message that asks for help with an account speaks of.

    Args:
        message: Rasa's parse of the message (intent, entities, text).
        own: ``passordhjelp.identity.own_account_names`` of the conversation; empty when
            the channel verified no one, so nothing typed is ever the chatter's own.
    """
    text = message.get("text") or ""
    if includes_self(text):
        # "both me and my colleague are locked out": the NLU reads it as the chatter's own
        # trouble (no third-person mark), yet the colleague must hear that they act themself.
        return Owner.BOTH
    kept, cut = without_own_accounts(message, own)
    intent = (message.get("intent") or {}).get("name")
    if intent != OTHER_PERSON_INTENT and not about_someone_else(kept, loose=False):
        return Owner.OWN
    if (cut or types_own_account(text, own)) and not about_someone_else(kept):
        # The only account named is the verified chatter's own, and no one else is
        # mentioned: whatever the classifier made of "the password of the user kari.n".
        return Owner.OWN
    return Owner.BOTH if includes_self(text) else Owner.OTHER


def types_own_account(text: str, own: FrozenSet[str]) -> bool:
    """Whether the text types one of the chatter's own addresses or user names as a word
    of its own (an identifier: with an @, a dot, a dash, an underscore or a digit)."""
    words = (word.strip(".,;:!?()'\"").lower() for word in text.split())
    return any(word in own for word in words if any(c in word for c in "@._-0123456789"))


def yes_naming_self(text: str) -> bool:
    """Whether a message, with the chatter's own address or user name cut out, is a yes
    and words about that address ("yes, my username is …", "ja, e-posten min er …")."""
    words = [w for w in words_of(text) if w not in _words()["own_identity"]]
    return bool(words) and "?" not in text and is_bare_yes(" ".join(words))


# Messages that ask for something to be done to an account: after a refusal to
# act for someone else they are still about that person unless they say whose.
_REQUEST_INTENTS = frozenset({"forgot_password", "account_locked", "password_help"})


def speaks_of_self(text: str) -> bool:
    """Whether a message says it is the chatter's own: a first-person possessive or
    object ("my", "mitt", "meg"), or in a statement a first-person subject ("I
    forgot too"; "can't I just reset it?" may still mean someone else's)."""
    words = set(words_of(text))
    return bool(
        words & _words()["first_person_own"]
        or ("?" not in text and words & _words()["first_person_subject"])
    )


def still_about_them(message: Mapping[str, Any]) -> bool:
    """After a refusal to act for someone else: whether the next message is still
    about that person (a name, a role, an account, or a third-person pronoun), asks to
    file it in the chatter's name instead, or asks for a reset or unlock without saying
    it is the chatter's own ("can't you just reset it?", whatever the intent)."""
    text = message.get("text") or ""
    words = set(words_of(text))
    if about_someone_else(message) or words & _words()["pronouns"]:
        return True
    if "?" not in text and words & _words()["relay"]:
        # "ok, I'll pass it on": the refusal is what they are passing on.
        return True
    if _asks_in_my_name(text):
        # "can you at least file it in my name?": filed for the chatter, it would reset
        # the chatter's account, not that person's.
        return True
    if speaks_of_self(text):
        return False
    intent = (message.get("intent") or {}).get("name")
    acts_on_it = bool(words & _words()["act_verbs"] and words & _words()["act_pointers"])
    return intent in _REQUEST_INTENTS or acts_on_it


def takes_back(text: str) -> bool:
    """After a declined offer: whether a message takes the decline back ("changed
    my mind, send it after all"), with no hedge, negation or question in it."""
    words = set(words_of(text))
    asks_to_send = bool(words & _words()["take_back_sends"])
    return (
        bool(words & _words()["take_back"])
        and not hedged(_reasons_unnegated(text))
        and ("?" not in text or asks_to_send)
        and not withdraws(text.replace("?", " "))
        and not hesitates(text)
    )


def _reasons_unnegated(text: str) -> str:
    """The message with the negations left out of the chatter's own reasons after its first
    clause ("ombestemte meg, send den likevel, kommer meg ikke inn", "changed my mind, file
    it, I can't get in"): a clause with a first-person word (``own_reasons.negations``), and
    of any clause that reports a search and takes nothing back ("fant det ikke, send den
    likevel"). Every other hedge word still counts; a take-back only leads to the
    confirmation again."""
    listed = _words()
    first_person = listed["first_person_subject"] | listed["first_person_own"]

    def is_reason(position: int, clause: List[str]) -> bool:
        words = set(clause)
        if words & listed["search_reports"] and not words & listed["take_back"]:
            return True
        return position > 0 and bool(words & first_person)

    kept = [
        [w for w in clause if w not in listed["reason_negations"]]
        if is_reason(position, clause)
        else clause
        for position, clause in enumerate(_clauses(text))
    ]
    return " , ".join(" ".join(clause) for clause in kept)


# The request form and its slots (domain.yml).
REQUEST_FORM = "reset_request_form"
WANTED, CONFIRMED, DECLINED = "reset_wanted", "reset_confirmed", "reset_declined"
# A declined offer taken back: straight to the confirmation.
REOPENED: Dict[str, Any] = {WANTED: True, CONFIRMED: None, DECLINED: False}


def after_decline(message: Mapping[str, Any]) -> Dict[str, Any]:
    """The slots after a declined offer's next message read as something else: reopened
    when it takes the decline back ("changed my mind, send it" as a status question) and
    names no one else's account; otherwise the decline stands."""
    if takes_back(message.get("text") or "") and not about_someone_else(message):
        return dict(REOPENED)
    return {DECLINED: True}


class WayOut(enum.Enum):
    """How a message read as remembering or changing the password, while the offer or
    the confirmation waits, ends the pending request."""

    LEAVE = "leave"  # remembered it, or wants to change it: the change steps
    DECLINE = "decline"  # holds off ("I might have it written down"): nothing filed
    ASK_AGAIN = "ask_again"  # a doubtful question ("is it X maybe?"): asked again


# The intents a way out of the pending request by remembering or changing is read as.
WAY_OUT_INTENTS = frozenset({"remembered_password", "change_password"})
# Password trouble told again while the request waits: "wait, let me look for my password
# first" and "vent, jeg glemte å sjekke passordhåndtereren" are read as these.
TROUBLE_AGAIN_INTENTS = frozenset({"forgot_password", "account_locked", "password_help"})
# Digressions answered while the request waits (data/rules/request_form.yml), which a no
# with a reason ("nei vent, jeg sjekker lappen først") may be read as.
DIGRESSION_INTENTS = frozenset(
    {"reset_request_status", "ask_process", "out_of_scope", "nlu_fallback"}
)
# Below this confidence, a message read as remembering or changing with a word that holds
# off ("not yet", "tomorrow", "først") holds the request off instead.
UNSURE_WAY_OUT = 0.6


def read_way_out(message: Mapping[str, Any]) -> WayOut:
    """Whether a message read as remembering or changing the password, or as a
    digression, while the offer or the confirmation waits, says so or only holds the
    request off.

    "Wait, I might have it written down" and "don't do anything yet, I'll try my home PC
    first" are read as remembering or changing, but nobody remembered anything: the
    request is declined (nothing filed, the offer can be taken back), not answered with
    the change steps. A question with doubt in it or a pasted password ("is it [secret]
    maybe?", "[secret] is what it was I think") is no answer: asked again. A digression (a status or process question,
    out of scope, unclear) with a no or a word that asks to wait near a clause's start
    and no question in it is declined too (nothing but hesitation is asked again), and so
    is password trouble told again with a word that asks to wait ("wait, let me look for
    my password first", read as forgot_password); without one it is left to the form.
    Words in consent_words.yml (``way_out``, ``no_first``).

    Args:
        message: ``tracker.latest_message``.
    """
    intent: Dict[str, Any] = message.get("intent") or {}
    text = message.get("text") or ""
    words = set(words_of(text))
    waits = bool(words & _words()["way_out_waits"])
    if intent.get("name") in TROUBLE_AGAIN_INTENTS:
        # Password trouble told again while the offer or confirmation waits: with a word
        # that asks to wait it holds the request off; otherwise the form reads it as an
        # answer (someone else's account, a yes) or asks again, never offering anew.
        holds = waits or withdraws(text) or turns_to_someone(message)
        return WayOut.DECLINE if holds and "?" not in text else WayOut.LEAVE
    if intent.get("name") in DIGRESSION_INTENTS:
        # "No wait, I'll check my notes first", "ugh sorry, no. don't do anything yet" or
        # "one sec, I need to check my notes first" read as a status or process question
        # or out of scope: a no or a hold, not a digression to answer before asking again
        # (where a following "ok" would be a yes). "kanskje" alone is no answer at all.
        if hesitates(text) or courteous_yes(text):
            # "maybe, let me think" read as a process question: no answer yet, asked again;
            # "ja, takk for hjelpen, ha det" read as unclear: back to the form, which reads
            # it as the yes it is.
            return WayOut.ASK_AGAIN
        says_no = any(set(clause[:2]) & _words()["no_first"] for clause in _clauses(text))
        says_no = says_no or withdraws(text) or is_bare_no(text) or turns_to_someone(message)
        return WayOut.DECLINE if (says_no or waits) and "?" not in text else WayOut.LEAVE
    if intent.get("name") not in WAY_OUT_INTENTS:
        return WayOut.LEAVE
    doubt = bool(words & _words()["way_out_doubt"])
    if hesitates(text) and "?" not in text:
        # "hmm, not sure" or "vet ikke helt" read as remembering or changing: nobody said
        # anything yet; asked again.
        return WayOut.ASK_AGAIN
    if PLACEHOLDER in text:
        # "Password123 is what it was I think": a pasted password (the guard has removed it
        # and said so) shows nothing remembered that works; asked again.
        return WayOut.ASK_AGAIN
    if "?" in text:
        return WayOut.ASK_AGAIN if doubt else WayOut.LEAVE
    if doubt or (waits and words & _words()["way_out_looks"]):
        # "I might have it written down", "hold off, I want to try to find it first":
        # nobody remembered anything yet.
        return WayOut.DECLINE
    if _declines_telling_nothing(message):
        # Session 17: "no actually, forget it. I'll sort it out myself tomorrow", "glem det,
        # jeg ordner det selv i morgen", "I'll ask my colleague instead": a no, a withdrawal
        # or a plan of the chatter's own that tells nothing remembered or changed.
        return WayOut.DECLINE
    unsure = (intent.get("confidence") or 0.0) < UNSURE_WAY_OUT
    if unsure and _words_after_interjection(text) & _words()["way_out_hold_off"]:
        return WayOut.DECLINE
    return WayOut.LEAVE


def _declines_telling_nothing(message: Mapping[str, Any]) -> bool:
    """A no first or a withdrawal with a plan of the chatter's own (consent_words.yml
    ``way_out.plans``, a word of ``way_out.later``), or a plan of turning to someone
    (``turns_to_someone``), with no word that tells remembering or changing the password
    (``way_out.tells``; "you know what" and "vet du hva" tell nothing) and no report of getting
    in ("never mind, got in" and, with no plan, "never mind, it came back to me" leave as
    before)."""
    text = message.get("text") or ""
    listed = _words()
    words = set(words_of(without_asides(text)))
    if words & listed["way_out_tells"] or _phrase_positions(text, listed["got_in"]):
        return False
    if turns_to_someone(message):
        return True
    plan = bool(words & listed["way_out_later"]) or bool(
        _phrase_positions(text, listed["way_out_plans"])
    )
    return plan and (starts_with_no(text) or withdraws(text))


def _words_after_interjection(text: str) -> FrozenSet[str]:
    """The message's words without a first clause made only of interjections ("å nei vent,
    jeg husker det nye nå", "oh no wait, I remember it now": the "no" and "wait" there hold
    nothing off; consent_words.yml ``way_out.interjections``)."""
    clauses = _clauses(text)
    if len(clauses) > 1 and set(clauses[0]) <= _words()["way_out_interjections"]:
        clauses = clauses[1:]
    return frozenset(word for clause in clauses for word in clause)


def question_without_way_out(text: str) -> bool:
    """A question read as remembering or changing the password that says nothing of either
    ("will IT see my password?", "vil IT se passordet mitt?"): a question about the process,
    answered and the pending question asked again (consent_words.yml ``way_out.says``)."""
    return "?" in text and not set(words_of(text)) & _words()["way_out_says"]


def read_answer(
    message: Mapping[str, Any],
    *,
    min_confidence: float,
    plain_only: bool,
    dismissals_plain: bool = False,
) -> Answer:
    """Read Rasa's parse of the latest message (text, intent, entities).

    Args:
        message: ``tracker.latest_message``.
        min_confidence: the intent confidence a typed yes needs; a button
            payload (``/affirm``) has confidence 1.
        plain_only: a typed yes must have no word in it that may change what it
            means (``hedged``).
        dismissals_plain: a phrase waving a digression away ("never mind") and
            a negation in the chatter's own reason after the yes ("I can't work
            without it") do not count as a hedge; at the offer only, never at
            the confirmation.
    """
    text = (message.get("text") or "").strip()
    intent: Dict[str, Any] = message.get("intent") or {}
    if about_someone_else(message):
        return Answer.OTHER_ACCOUNT
    if PLACEHOLDER in text:
        return Answer.SECRET
    if hesitates(text):
        # "hmm, not sure", "maybe, let me think", "vet ikke helt", "tja": neither a yes nor
        # a decisive no, whatever the classifier made of it; asked again.
        return Answer.UNCLEAR
    name = intent.get("name")
    if (
        name in _NO_INTENTS
        or is_bare_no(text)
        or withdraws(text)
        or (name not in _YES_INTENTS and starts_with_no(text))
        or turns_elsewhere(text)
    ):
        # "scratch that" read as thanks, "det gikk likevel" as a yes: a withdrawal declines.
        return Answer.NO
    if is_bare_yes(text):
        # Nothing but a yes ("y", "ja", "👍"), whatever the classifier made of it.
        return Answer.YES
    if name == _THANK_INTENT:
        # "ja takk" / "yes thanks" to a yes-or-no question is a yes; "thanks" is not.
        if not starts_with_yes(text):
            return Answer.THANKS
    elif name not in _YES_INTENTS:
        return Answer.UNCLEAR
    if "?" in text or (intent.get("confidence") or 0.0) < min_confidence:
        return Answer.UNCLEAR
    if (
        plain_only
        and not text.startswith("/")
        and (
            hedged(without_dismissals(without_own_reasons(text)) if dismissals_plain else text)
            or (not dismissals_plain and _phrase_positions(text, _words()["withdrawals"]))
        )
    ):
        # At the confirmation a withdrawal anywhere ("glem det, ja") is no clear yes.
        return Answer.UNCLEAR
    return Answer.YES
