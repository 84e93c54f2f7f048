"""Whether a message is about a third person's account rather than the chatter's own.

Two readings (patterns in third_person_patterns.yml, first names in
first_names.yml):

- ``strong``: someone else's account wherever it is said ("my colleague forgot
  her password", "Kari is locked out", "reset it for him", "sjefen min husker
  ikke passordet"); an admin's how-to question is not counted.
- ``loose``: at the offer or the confirmation, which ask about the chatter's own
  account, any other person named, a role or a pronoun ("yes, for Kari", "it's my
  colleague's actually", "ja, det er til sjefen", "not mine").

The chatter's own matter stated beside another person's cancels a strong reading
(``own_trouble``, ``own_lockout``, ``own_lapse``, ``own_change``: "my manager forgot hers,
which reminded me to change mine"); ``admin_actor`` ("how can an administrator reset someone's
password?") and ``own_exception`` ("everyone got one but me") are read for SomeoneElseGuard.

Neither counts a person the chatter only says something about in passing ("my
colleague told me to change mine", "sjefen sa jeg måtte bytte mitt") or the
chatter introducing themself ("I'm the new intern", "jeg heter Kari").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

import yaml
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from passordhjelp.nlp.pipelines import (
    SUPPORTED_LANGUAGES,
    first_names,
    names_after_preposition,
    pipeline,
    plain_doc,
)
from passordhjelp.nlp.variants import on_norms

_PATTERNS_FILE = Path(__file__).with_name("third_person_patterns.yml")
_KINDS = (
    "strong",
    "loose",
    "self",
    "passing",
    "admin_question",
    "own_trouble",
    "own_lockout",
    "own_lapse",
    "own_change",
    "own_exception",
    "admin_actor",
    "own_denied",
    "not_admin",
)


@dataclass(frozen=True)
class ThirdPerson:
    """Where in the text the third person is, and which reading found it."""

    start: int
    end: int
    text: str
    strong: bool


def _expand(value: Any, lists: Dict[str, List[str]]) -> Any:
    """Replaces "$name" by the list it names: "$first_names" by the names capitalised
    (to match TEXT), "$first_names_lower" in lower case with those that are names
    only after a preposition (to match LOWER after "for"/"til"), "$ambiguous_names" by
    those that are names only there or right before their trouble ("Per is locked out"),
    capitalised, "$roles" by the roles and the generic nouns for a person ("guy", "fyren")."""
    if isinstance(value, str) and value.startswith("$"):
        key = value[1:]
        if key == "roles":
            return lists["roles"] + lists["people"]
        if key == "first_names":
            return sorted(name.capitalize() for name in first_names())
        if key == "first_names_lower":
            return sorted(names_after_preposition())
        if key == "ambiguous_names":
            return sorted(name.capitalize() for name in names_after_preposition() - first_names())
        return lists[key]
    if isinstance(value, dict):
        return {k: _expand(v, lists) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, lists) for v in value]
    return value


@lru_cache(maxsize=1)
def _patterns_file() -> Dict[str, Any]:
    """third_person_patterns.yml, read once for the matchers and the word lists."""
    raw: Dict[str, Any] = yaml.safe_load(_PATTERNS_FILE.read_text(encoding="utf-8"))
    return raw


@lru_cache(maxsize=None)
def _matchers(language: str) -> Dict[str, Matcher]:
    vocab = pipeline(language).vocab
    matchers = {}
    for kind in _KINDS:
        matcher = Matcher(vocab)
        for name, patterns in _named_patterns(language, kind):
            matcher.add(name, patterns)
        matchers[kind] = matcher
    return matchers


def _named_patterns(language: str, kind: str) -> List[Tuple[str, List[Any]]]:
    """A kind's patterns by name (a kind without names is its own), lists expanded and
    read on the words' norms, as every matcher of the kind takes them."""
    patterns = _patterns_file()[kind][language]
    named = patterns.items() if isinstance(patterns, dict) else [(kind, patterns)]
    lists = _lists(language)
    return [(name, on_norms(_expand(alternatives, lists))) for name, alternatives in named]


@lru_cache(maxsize=None)
def _combined(language: str) -> Tuple[Matcher, Dict[int, Tuple[str, str]]]:
    """One Matcher with every kind's patterns (keys "kind/name") and what each key's id
    stands for: a message is matched once per language instead of once per kind."""
    vocab = pipeline(language).vocab
    matcher = Matcher(vocab)
    keys: Dict[int, Tuple[str, str]] = {}
    for kind in _KINDS:
        for name, patterns in _named_patterns(language, kind):
            key = f"{kind}/{name}"
            matcher.add(key, patterns)
            keys[vocab.strings.add(key)] = (kind, name)
    return matcher, keys


# Several components ask about the message at hand (the extractor, the someone-else
# guard): it is matched once. Only that message is kept.
@lru_cache(maxsize=1)
def _matches(text: str) -> Dict[str, List[Span]]:
    """Per kind, the spans its patterns match in ``text`` in either language (English
    first), each labelled with its pattern's name."""
    found: Dict[str, List[Span]] = {kind: [] for kind in _KINDS}
    for language in SUPPORTED_LANGUAGES:
        doc = plain_doc(language, text)
        matcher, keys = _combined(language)
        for match_id, start, end in matcher(doc):
            kind, name = keys[match_id]
            found[kind].append(Span(doc, start, end, label=name))
    return found


def passing_mentions(doc: Doc, language: str) -> List[int]:
    """Token indices of people in ``doc`` who only told the chatter something.

    A person who *asked* the chatter something is left out: "my boss asked me to
    reset his password" is as often about their account as about the chatter's.
    The person is the role, name or pronoun in the match, which need not open it
    ("fikk tips av lederen min", "according to my boss").
    """
    asking = _words(language, "asking")
    # Not as spans: ``doc`` may come from another pipeline's vocabulary than the
    # matcher's, whose StringStore lacks the pattern names.
    return sorted(
        {
            _person_in(doc, start, end, language)
            for _, start, end in _matchers(language)["passing"](doc)
            if doc[end - 1].norm_ not in asking and not _device_password(doc, end, language)
        }
    )


def _device_password(doc: Doc, end: int, language: str) -> bool:
    """A lent device's own password ("my wife's laptop password", "kona sin PC-kode"): the
    device's owner is no passing mention then."""
    last = doc[end - 1].norm_
    return last in _words(language, "devices") and any(
        token.norm_.startswith(("password", "passord", "pw", "pin", "kode", "code"))
        for token in doc[end : end + 2]
    )


def _person_in(doc: Doc, start: int, end: int, language: str) -> int:
    people = _words(language, "roles", "people", "pronoun_subject")
    names = first_names()
    for token in doc[start:end]:
        if token.norm_ in people or (token.is_title and token.lower_ in names):
            return token.i
    return start


def self_mentions(doc: Doc, language: str) -> List[int]:
    """Token indices of the roles and names by which the chatter introduces themself
    ("I'm the new intern", "jeg heter Kari", "som vikar")."""
    # "new" before a role is the writer's own too ("new hire here").
    roles = _words(language, "roles", "people", "new_words", "self_nouns")
    names = first_names()
    return sorted(
        {
            i
            for _, start, end in _matchers(language)["self"](doc)
            for i in range(start, end)
            if doc[i].norm_ in roles or (doc[i].is_title and doc[i].lower_ in names)
        }
    )


def _lists(language: str) -> Dict[str, List[str]]:
    lists: Dict[str, List[str]] = _patterns_file()["lists"][language]
    return lists


@lru_cache(maxsize=None)
def _words(language: str, *keys: str) -> FrozenSet[str]:
    """The words of the lists ``keys``, built once per language and keys (read per message);
    "roles" and "people" together are the patterns' "$roles"."""
    return frozenset(word for key in keys for word in _lists(language)[key])


# A loose mention opened by one of these says whom the request is for ("for Per", "til Kari").
_BENEFACTIVE = frozenset({"for", "til"})


def _covered(span: Span, others: List[Span]) -> bool:
    # Character offsets: the spans may come from either language's tokenization.
    return any(o.start_char <= span.start_char and span.end_char <= o.end_char for o in others)


def _negates_a_verb(span: Span) -> bool:
    # "husker ikke passordet mitt" is "don't remember my password", not "not my password".
    if span.start == 0 or span[0].norm_ not in _all_words("negator"):
        return False
    return span.doc[span.start - 1].norm_ in _all_words("cannot")


@lru_cache(maxsize=None)
def _all_words(key: str) -> FrozenSet[str]:
    return frozenset(word for language in SUPPORTED_LANGUAGES for word in _lists(language)[key])


# A loose reading that counts only as the whole answer ("the temp", "ja, min sjef"): "yes, my
# boss is waiting" goes on after the role and is the chatter's own.
_WHOLE_ANSWER = "person_alone"


def _stands_where_it_may(span: Span) -> bool:
    return span.label_ != _WHOLE_ANSWER or all(t.is_punct for t in span.doc[span.end :])


def _first(spans: List[Span], *, strong: bool) -> ThirdPerson:
    span = min(spans, key=lambda s: (s.start_char, -len(s)))
    return ThirdPerson(span.start_char, span.end_char, span.text, strong)


# Readings that say the message is the chatter's own matter or an admin's question: no strong
# third-person reading beside them. (Not admin_actor: "Kari forgot hers, can an admin reset it?"
# is Kari's.)
_NOT_SOMEONE_ELSES = (
    "admin_question",
    "own_trouble",
    "own_lockout",
    "own_lapse",
    "own_change",
)


# Each message is read twice (the strict and the loose question about it): the
# second asks the cache. Readings are frozen, so sharing them is safe.
@lru_cache(maxsize=64)
def _read(text: str) -> Tuple[Optional[ThirdPerson], Optional[ThirdPerson]]:
    # Both languages' patterns are tried (people mix them: "yes, det er for Kari"),
    # and a span either language reads as the chatter themself or as a passing
    # mention is not counted.
    found = _matches(text)
    passing, own = found["passing"], found["self"]
    strong = [
        s
        for s in found["strong"]
        if not _covered(s, passing) and not any(o.start_char == s.start_char for o in own)
    ]
    denied = found["own_denied"]
    # The chatter's own reading, outside any denial of it ("I didn't forget mine").
    own_reading = any(not _covered(s, denied) for kind in _NOT_SOMEONE_ELSES for s in found[kind])
    if own_reading:
        strong = []
    # Someone who only told the chatter something: their own account is meant
    # unless a strong reading says otherwise.
    loose = [
        s
        for s in found["loose"]
        if not _covered(s, own)
        and not _negates_a_verb(s)
        and _stands_where_it_may(s)
        # beside a passing mention only one said to be whom it is for ("ja, for Per i
        # regnskap, han ba meg ordne det"), outside that mention
        and (not passing or (s[0].lower_ in _BENEFACTIVE and not _covered(s, passing)))
    ]
    # Session 22: the trouble denied as the chatter's and given to another ("I didn't forget
    # mine, it's my teammate who did"): a person named after the denial is whose it is.
    if denied and not strong and not own_reading:
        first_denial = min(d.end_char for d in denied)
        strong = [s for s in loose if s.start_char >= first_denial]
    return (
        _first(strong, strong=True) if strong else None,
        _first(loose, strong=False) if loose else None,
    )


def _own(text: str, kind: str) -> bool:
    """Whether an own reading of ``kind`` stands outside every denial ("I didn't forget mine")."""
    found = _matches(text)
    return any(not _covered(s, found["own_denied"]) for s in found[kind])


def denied_spans(text: str) -> List[Tuple[int, int]]:
    """Character spans where the chatter denies the trouble is theirs ("I didn't forget mine",
    "det er ikke jeg som har glemt det"; session 22)."""
    return [(s.start_char, s.end_char) for s in _matches(text)["own_denied"]]


def states_not_admin(text: str) -> bool:
    """Whether the chatter says they are no administrator ("I'm not an admin", "jeg er ikke
    admin"; session 22)."""
    return bool(_matches(text)["not_admin"])


def self_spans(text: str) -> List[Tuple[int, int]]:
    """Character spans where the chatter introduces themself ("ny ansatt her", "I'm the new
    intern"; session 22)."""
    return [(s.start_char, s.end_char) for s in _matches(text)["self"]]


def passing_spans(text: str) -> List[Tuple[int, int]]:
    """Character spans of people mentioned in passing ("låner kollegaens PC", "my boss told me"),
    but not a person who asked the chatter something nor the owner of a device whose own password
    follows (as passing_mentions; session 22)."""
    spans = []
    for span in _matches(text)["passing"]:
        last = span[-1].norm_
        if last in _all_words("asking") or any(
            _device_password(span.doc, span.end, language) for language in SUPPORTED_LANGUAGES
        ):
            continue
        spans.append((span.start_char, span.end_char))
    return spans


def states_own_lockout(text: str) -> bool:
    """Whether the chatter says their own account is locked ("now my account is locked",
    "kontoen min er sperret"), whoever else the message names."""
    return _own(text, "own_lockout")


def states_own_lapse(text: str) -> bool:
    """Whether the chatter says their own password is missing, never received or forgotten,
    with their own password as the object ("I never received my password", "jeg husker ikkje
    mitt", "men det fikk ikke jeg"), whoever else the message names."""
    return _own(text, "own_lapse")


def states_own_change(text: str) -> bool:
    """Whether the chatter says they want their own password changed, with their own password as
    the object ("which reminded me to change mine", "så jeg vil bytte mitt"), whoever else the
    message names."""
    return _own(text, "own_change")


def states_own_exception(text: str) -> bool:
    """Whether the chatter says they alone lack what the others have ("all my colleagues got a
    new password but not me", "alle kom inn, men ikke jeg")."""
    return bool(_matches(text)["own_exception"])


def asks_how_an_admin_resets(text: str) -> bool:
    """Whether the message asks how an administrator resets a password ("how can an
    administrator reset someone's password?", "hvordan tilbakestiller en admin passordet til en
    ansatt?")."""
    return bool(_matches(text)["admin_actor"])


def others_trouble_spans(text: str) -> List[Tuple[int, int]]:
    """Character spans of every strong pattern's match, whether or not the message's own readings
    set the strong reading aside ("my manager forgot" in "my manager forgot hers, which reminded
    me to change mine")."""
    return [(s.start_char, s.end_char) for s in _matches(text)["strong"]]


def strong_spans(text: str) -> List[Tuple[int, int]]:
    """Character spans of every strong reading's match, when the message has a strong reading."""
    if find_third_person(text) is None:
        return []
    return [(s.start_char, s.end_char) for s in _matches(text)["strong"]]


def find_third_person(text: str, *, loose: bool = False) -> Optional[ThirdPerson]:
    """The first mention of a third person whose account the message is about.

    Args:
        text: the user's message, in either language.
        loose: also count any other person named, a role or a pronoun (at the
            offer and the confirmation).
    """
    strong, weak = _read(text)
    if strong:
        return strong
    if loose and weak:
        return weak
    return None


def person_words() -> FrozenSet[str]:
    """The roles and third-person pronouns of both languages (lower case)."""
    keys = ("roles", "pronoun_subject", "pronoun_possessive", "pronoun_object")
    return frozenset(
        word.lower()
        for language in SUPPORTED_LANGUAGES
        for key in keys
        for word in _lists(language)[key]
    )
