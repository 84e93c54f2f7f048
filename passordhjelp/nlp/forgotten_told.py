"""Whether a message says outright that the chatter's own password is forgotten.

"Per said I should write here. I've forgotten my password" is read as vague password
trouble, and "do you still know your current password?" asks what the chatter has just
said. A clause with a word of forgetting and a password word right after it, or a phrase of
not remembering ("husker det ikke"), with no negation, condition, doubt or other person
before it in the clause (forgotten_told.yml), tells it: the forgotten path. "I haven't
forgotten my password" still asks.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import yaml

from passordhjelp.nlp.clauses import split_clauses
from passordhjelp.nlp.word_patterns import any_match, joined_words
from passordhjelp.nlp.words import words_of

_WORDS_FILE = Path(__file__).with_name("forgotten_told.yml")
_CLAUSE_END = re.compile(r"[,.;:!?]+(?=\s|$)")


# ShapeReadings and the second opinion ask several of these about the message at hand, rule after
# rule: each is read once per message. Only that message is kept (as third_person._matches).
_per_message = lru_cache(maxsize=1)


@lru_cache(maxsize=1)
def _words() -> Dict[str, Any]:
    raw = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))

    def both(key: str) -> frozenset:
        return frozenset((raw[key]["en"] + " " + raw[key]["nb"]).lower().split())

    return {
        "within": int(raw["within"]),
        "forgot": both("forgot"),
        "password": both("password"),
        "blockers": both("blockers"),
        "clause_words": frozenset(raw["clause_words"].lower().split()),
        # Each phrase as whole words, compiled once.
        "not_remembered": _phrases(raw["not_remembered"]),
        "kept_copy": _phrases(raw["kept_copy"]),
        "negations": both("negations"),
        "known": both("known_words"),
        "all_but_one": tuple(re.compile(pattern) for pattern in raw["all_but_one"]),
        "only_the_password": tuple(re.compile(pattern) for pattern in raw["only_the_password"]),
        "plain": _clause_end_patterns(raw["plain_forgotten"]),
        "plain_across": tuple(re.compile(pattern) for pattern in raw["plain_forgotten_across"]),
        "plain_known": _clause_end_patterns(raw["plain_known"]),
        "plain_blockers": frozenset(raw["plain_blockers"].split()),
        "known_for_change": _known_for_change(raw["known_for_change"]),
        "doubted": tuple(re.compile(pattern) for pattern in raw["doubted"]),
        "doubt_leans_forgotten": frozenset(raw["doubt_leans_forgotten"].split()),
        "known_anywhere": tuple(re.compile(pattern) for pattern in raw["known_anywhere"]),
        "forgotten_anywhere": tuple(re.compile(pattern) for pattern in raw["forgotten_anywhere"]),
        "change_wish": tuple(re.compile(pattern) for pattern in raw["change_wish"]),
        "change_wish_denied": frozenset(raw["change_wish_denied"].split()),
        "anywhere_blockers": frozenset(
            (raw["anywhere_people"] + " " + raw["anywhere_denials"]).split()
        ),
        "known_clauses": tuple(re.compile(pattern) for pattern in raw["known_clauses"]),
        "known_retracted": tuple(re.compile(pattern) for pattern in raw["known_retracted"]),
        "change_refused": tuple(re.compile(pattern) for pattern in raw["change_refused"]),
        "fault_unknown": tuple(re.compile(pattern) for pattern in raw["fault_unknown"]),
    }


def _clause_end_patterns(patterns) -> tuple:
    """Whole-clause patterns ("^...$") that may start at any word of the clause: one search
    finds the earliest start (the words before it are checked for blockers)."""
    return tuple(re.compile(re.sub(r"^\^", "(?:^|(?<= ))", pattern)) for pattern in patterns)


def _known_for_change(raw: Dict[str, Any]) -> Dict[str, Any]:
    password = "(?:" + " ".join(raw["password_ref"].split()) + ")"
    return {
        "known": tuple(re.compile(p.replace("{password}", password)) for p in raw["known"]),
        "known_across": tuple(re.compile(p) for p in raw["known_across"]),
        "blockers": frozenset(raw["blockers"].split()),
        "lost_after": re.compile(raw["lost_after"]),
        "wish": re.compile(raw["wish"]),
        "trouble": re.compile(raw["trouble"]),
    }


def _phrases(by_language: Dict[str, Any]) -> tuple:
    """Each phrase of both languages as whole words, compiled once."""
    return tuple(
        re.compile(rf"\b{re.escape(phrase)}\b") for phrase in by_language["en"] + by_language["nb"]
    )


@_per_message
def tells_forgotten(text: str) -> bool:
    """A clause that tells the chatter's password is forgotten ("I've forgotten my
    Microsoft password", "har glemt passordet mitt", "men jeg husker det ikke"), with
    nothing before it in the clause that negates, doubts or names another person, and no copy
    of the password kept in a clause after it ("men har det skrevet ned")."""
    listed = _words()
    if all_but_one_known(text):
        return True
    clauses = split_clauses(text, _CLAUSE_END, listed["clause_words"])
    return any(
        _tells_in_clause(clause) and not _copy_kept(clauses[index + 1 :])
        for index, clause in enumerate(clauses)
    )


def all_but_one_known(text: str) -> bool:
    """Every other password known, only the work one not ("bank, Netflix, all fine - just not
    the work one", "alle sitter, bare ikke det til jobben"; session 20), or every other thing
    ("i know my email but not the password", "didn't forget my username, only my password";
    session 22)."""
    listed = _words()
    words = re.findall(r"\w+", text.lower())
    joined = " ".join(words)
    if any(pattern.search(joined) for pattern in listed["only_the_password"]):
        return True
    return bool(set(words) & listed["known"]) and any(
        pattern.search(joined) for pattern in listed["all_but_one"]
    )


def _tells_in_clause(clause) -> bool:
    listed = _words()
    joined = " ".join(clause)
    for pattern in listed["not_remembered"]:
        found = pattern.search(joined)
        if not found:
            continue
        # Nothing before it that blocks, nor right after it ("I can't remember if ...").
        around = joined[: found.start()].split() + joined[found.end() :].split()[:1]
        if not set(around) & listed["blockers"]:
            return True
    for position, word in enumerate(clause):
        after = clause[position + 1 : position + 1 + listed["within"]]
        # Session 22 (nb helper): the participle fronted, its auxiliary inverted after ("Glemt
        # passordet har jeg altså ikke"): a negation anywhere after it in the clause denies it.
        rest = clause[position + 1 :] if _inverted_after(clause[position + 1 :]) else after
        if (
            word in listed["forgot"]
            and set(after) & listed["password"]
            and not set(clause[:position]) & listed["blockers"]
            and not set(rest) & listed["blockers"]
        ):
            return True
    return False


def _inverted_after(rest) -> bool:
    """Whether an auxiliary and its subject follow inverted ("... har jeg", "... hadde eg")."""
    return any(
        first in ("har", "hadde") and second in ("jeg", "eg")
        for first, second in zip(rest, rest[1:])
    )


def _copy_kept(later_clauses) -> bool:
    """Whether a later clause tells of a copy kept ("men har det skrevet ned"), unnegated."""
    listed = _words()
    for clause in later_clauses:
        joined = " ".join(clause)
        if set(clause) & listed["negations"]:
            continue
        if any(pattern.search(joined) for pattern in listed["kept_copy"]):
            return True
    return False


@_per_message
def tells_forgotten_plainly(text: str) -> bool:
    """Session 21 (nb helper): a clause that is nothing but the forgetting of the password, its
    object fronted or named by reference ("og det har jeg glemt", "uten den husker jeg det
    ikke", "men jeg har glemt det nåværende", "..., which I've forgotten"), no doubt, condition,
    denial, earlier episode or other person before it in the message's clause, and no copy
    kept after it; or told across clauses (session 22: "I thought I knew it until I had to type
    it", "but I'd have to know it first"). Plain enough to override a change or vague reading
    (ShapeReadings)."""
    if any(pattern.search(joined_words(text)) for pattern in _words()["plain_across"]):
        return True
    return _told_plainly(text, "plain", lambda later: not _copy_kept(later))


@_per_message
def tells_known_plainly(text: str) -> bool:
    """Session 21 (lead): a clause that is nothing but knowing the password, its object fronted
    ("The password I do know.", "passordet kan jeg godt", "Brukernavnet glemmer jeg, passordet
    aldri"), with the same blockers before it: such a message is no plain forgetting. Session 22 (nb helper): or knowing told by the message
    as a whole (``known_anywhere``: "hvis jeg hadde glemt det, hadde jeg ikke ...", "glemt det
    har jeg ikke", "jeg glemmer mye, men ikke passordet", "logger inn helt fint")."""
    return _told_plainly(text, "plain_known", lambda later: True) or (
        (_anywhere(text, "known_anywhere") or _whole_clause(text, "known_clauses"))
        and not tells_forgotten(text)
        and not tells_memory_failed(text)
    )


def _whole_clause(text: str, kind: str) -> bool:
    """A clause of ``text`` that is one of ``kind``'s patterns, its opening clause word
    dropped, and no later clause one of ``known_retracted`` ("jeg vet det... nei, gjør ikke
    det")."""
    listed = _words()
    clauses = [
        " ".join(_without_opening(clause))
        for clause in split_clauses(text, _CLAUSE_END, listed["clause_words"])
    ]
    for index, joined in enumerate(clauses):
        if any(pattern.search(joined) for pattern in listed[kind]):
            return not any(
                pattern.search(later)
                for later in clauses[index + 1 :]
                for pattern in listed["known_retracted"]
            )
    return False


@_per_message
def tells_memory_failed(text: str) -> bool:
    """Session 22 (nb helper): forgetting told by the message as a whole (``forgotten_anywhere``:
    "det er ikke innstillingene jeg har glemt, det er selve passordet", "passordet vil ikke
    komme tilbake til meg", "trodde jeg kunne det helt til jeg skulle skrive det", "glemmer
    aldri passord, men nå har det skjedd")."""
    return _anywhere(text, "forgotten_anywhere")


def wants_change(text: str) -> bool:
    """Session 22 (nb helper): a wish to change in Norwegian ("vil bytte", "vil ha et nytt",
    "om å velge nytt passord"), none of ``change_wish_denied`` in the two words before it."""
    listed = _words()
    return _unblocked(joined_words(text), listed["change_wish"], listed["change_wish_denied"], 2)


def _anywhere(text: str, kind: str) -> bool:
    """A pattern of ``kind`` in the message's words, with no person of ``anywhere_people`` nor
    denial of ``anywhere_denials`` in the three words before it ("Per, han logget inn helt
    fint, men ...", "det er ikke slik at passordet er borte")."""
    listed = _words()
    return _unblocked(joined_words(text), listed[kind], listed["anywhere_blockers"], 3)


def _unblocked(joined: str, patterns, blockers: frozenset, within: int) -> bool:
    """Whether a pattern matches ``joined`` with none of ``blockers`` among the ``within``
    words before the match."""
    return any(
        not set(joined[: found.start()].split()[-within:]) & blockers
        for pattern in patterns
        for found in pattern.finditer(joined)
    )


def _told_plainly(text: str, kind: str, holds_after) -> bool:
    """Whether a clause of ``text`` ends in a whole-clause pattern of ``kind`` with no plain
    blocker before it in the clause, and ``holds_after`` the later clauses."""
    clauses = split_clauses(text, _CLAUSE_END, _words()["clause_words"])
    return any(
        _ends_told(clauses, index, kind) and holds_after(clauses[index + 1 :])
        for index in range(len(clauses))
    )


def _ends_told(clauses, index: int, kind: str) -> bool:
    """Whether clause ``index`` ends in a whole-clause pattern of ``kind``, no plain blocker
    before the earliest such match in the clause."""
    listed = _words()
    words = list(clauses[index])
    # A clause of cause carries what came before it ("not because I forgot it", "I don't
    # want a new one because I forgot it", "ikke fordi jeg har glemt det").
    before = list(clauses[index - 1]) if index and words[:1] in (["because"], ["fordi"]) else []
    joined = " ".join(_without_opening(words))
    starts = [found.start() for p in listed[kind] if (found := p.search(joined))]
    if not starts:
        return False
    words_before = joined[: min(starts)].split()
    return not set(before + words_before) & listed["plain_blockers"]


def _without_opening(clause) -> list:
    """The clause's words without the clause words that opened it ("men", "og", "but")."""
    words = list(clause)
    while words and words[0] in _words()["clause_words"]:
        words = words[1:]
    return words


def tells_known_for_change(text: str) -> bool:
    """Session 22: the password told known beside a wish for a new one ("i remember the current
    one no problem, pls help me update it", "Not forgotten, I just need to set a new one"), the
    knowing after any forgetting told ("Last month I forgot it ... This time I remember it, I
    just want to change it") and no password lost after it ("I remember the old one, but not
    the new one"); or (nb helper) knowing told plainly or by the whole message with a Norwegian
    wish to change and no forgetting told anywhere ("Glemt det har jeg ikke, vil bare bytte"):
    a change, which the words of remembering and forgetting pull towards remembering it after
    all or vague trouble."""
    return _known_beside_wish(text) or (
        tells_known_plainly(text) and wants_change(text) and not tells_forgetting(text)
    )


def _known_beside_wish(text: str) -> bool:
    listed = _words()["known_for_change"]
    words = joined_words(text)
    if not listed["wish"].search(words) or listed["trouble"].search(words):
        return False
    clauses = split_clauses(text, _CLAUSE_END, _words()["clause_words"])
    across = next(
        (found for pattern in listed["known_across"] if (found := pattern.search(words))), None
    )
    if across:
        # Nothing forgotten anywhere, nothing lost after the knowing.
        return not any(_tells_in_clause(clause) for clause in clauses) and not listed[
            "lost_after"
        ].search(words[across.end() :].strip())
    known = [
        index
        for index, clause in enumerate(clauses)
        if _knows_in_clause(clause, listed) or _ends_told(clauses, index, "plain_known")
    ]
    if not known:
        return False
    last_known = known[-1]
    if any(_tells_in_clause(clause) for clause in clauses[last_known + 1 :]):
        return False
    return not any(
        listed["lost_after"].search(" ".join(clause)) for clause in clauses[last_known + 1 :]
    )


def _knows_in_clause(clause, listed: Dict[str, Any]) -> bool:
    joined = " ".join(clause)
    for pattern in listed["known"]:
        found = pattern.search(joined)
        if found and not set(joined[: found.start()].split()) & listed["blockers"]:
            return True
    return False


def doubts_knowing(text: str) -> bool:
    """Session 22 (lead): whether the chatter still knows the password told in doubt, both ways
    open ("not sure whether I forgot it or just need a new one", "usikker på om jeg husker det"),
    not leaning to forgetting ("not sure I remember it at all")."""
    listed = _words()
    words = words_of(text)
    if set(words) & listed["doubt_leans_forgotten"]:
        return False
    joined = " ".join(words)
    return any(pattern.search(joined) for pattern in listed["doubted"])


def refuses_change(text: str) -> bool:
    """Session 23 (lead): a change refused ("I don't want to change it, I need it reset", "vil
    ikke bytte det selv"): beside a forgetting told, the writer asks for the reset, however many
    words of changing the message has."""
    return any_match(_words()["change_refused"], joined_words(text))


def tells_fault_unknown(text: str) -> bool:
    """Session 23 (lead): the fault not known ("no idea what's going on", "vet ikke hva som er
    galt") and no forgetting told: vague trouble, which "no idea" or "vet ikke" pull towards a
    forgetting."""
    return any_match(_words()["fault_unknown"], joined_words(text)) and not tells_forgetting(text)


def tells_forgetting(text: str) -> bool:
    """Session 23: a forgetting told in any of the ways above: in a clause, plainly, or by the
    message as a whole."""
    return tells_forgotten(text) or tells_forgotten_plainly(text) or tells_memory_failed(text)
