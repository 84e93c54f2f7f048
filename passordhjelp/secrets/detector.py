"""Finds passwords, codes and keys written in a sentence: token shape plus the words around it.

Like Yelp's detect-secrets, two kinds of evidence are combined: what a token looks
like (character classes, length, whether it is a word of English or Norwegian, a
known harmless format such as a reference, date or error code) and what stands
around it (a password, code or key word, a copula or colon, a verb such as
"typed" or "prøvde", "X is my password"). The stronger the shape, the less context
a token needs:

- ``STRONG`` (three character classes, or long and random): a secret anywhere;
- ``MEDIUM`` (letters and digits, or letters and symbols): with any cue nearby, or alone;
- ``ODD`` (not a word): right after a cue, or named as the password;
- ``WORD`` (a noun of the language): only as the value of "password is/er/:";
- predicates and function words ("expired", "feil", "the"): never.

Quoted spans are candidates too, so a quoted passphrase is removed whole. One pass
over the tokens with bounded look-around: linear in the message length.
"""

from __future__ import annotations

import enum
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Sequence

import yaml

from passordhjelp.secrets.formats import Span
from passordhjelp.secrets.words import Vocabulary, vocabulary

_CUES_FILE = Path(__file__).with_name("cues.yml")

_TOKEN = re.compile(r"\S+")
_LEADING = "\"'«“‘([{<*_`"
_TRAILING = "\"'»”’)]}>,.;:?_`"
_QUOTED = re.compile(r"\"([^\"\n]{1,120})\"|“([^”\n]{1,120})”|«([^»\n]{1,120})»|"
                     r"(?<![\w])'([^'\n]{1,120})'(?![\w])|`([^`\n]{1,120})`")
_DIGIT_GROUP = re.compile(r"^(?:\d{3}|\d{4})$")
_CUE_SPLIT = re.compile(r"^([^\W\d_][\w-]{0,24})([:=])(.+)$")

# Harmless formats that look like passwords at a glance.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[A-Za-z]{2,}$")
_URL = re.compile(r"^(?:https?://|www\.)", re.IGNORECASE)
_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_HEX = re.compile(r"^0[xX][0-9a-fA-F]{1,16}$")
_VERSION = re.compile(r"^(?:[vV]\.?)?\d{1,4}(?:\.\d{1,5}){1,3}[a-z]?$|^\d{2}[hH]\d$")
_NUMERIC = re.compile(r"^[+#(]?\d[\d\s.,:/()+-]*$")
_QUANTITY = re.compile(
    r"^[$€£]?\d{1,6}(?:[.,]\d{1,3})?(?:st|nd|rd|th|x|gb|mb|tb|kb|ghz|mhz|mp|kr|nok|usd|eur|"
    r"%|min|mins|sek|sec|secs|s|h|t|timer|dager|d|m|km|k|p|px|am|pm|ms|ndre|dje|de|ende)$",
    re.IGNORECASE)
_CLOCK = re.compile(r"^(?:kl\.?)?\d{1,2}(?:[:.]\d{2}){0,2}(?:am|pm)?$", re.IGNORECASE)
_IDENTIFIER = re.compile(r"^[A-Z0-9]{1,20}(?:[-_/.#:][A-Z0-9]{1,20}){0,5}$")
_FILE = re.compile(r"\.(?:docx?|xlsx?|pptx?|pdf|txt|png|jpe?g|gif|csv|zip|exe|msi|log|ps1|"
                   r"json|ya?ml|xml|html?|eml|msg|one|pst|ost|vsdx?)$", re.IGNORECASE)
_DIGIT_WORD = re.compile(r"^\d{1,3}-[^\W\d_]{2,}$")         # 2-faktor, 6-sifret
_POSSESSIVE = re.compile(r"^[^\W\d_]{1,40}['’][a-z]{1,2}$")   # Kari's, don't
_HANDLE = re.compile(r"^[@#][^\W\d_]")
_PRODUCT_VERSION = re.compile(r"^([^\W\d_]{1,12})[-\s]?(\d{1,4}[a-z]?)$", re.IGNORECASE)
_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_YEAR = re.compile(r"^(?:19[5-9]\d|20[0-3]\d)$")
_LONG_RANDOM_LENGTH = 20


class Shape(enum.IntEnum):
    """How much a token looks like a secret by itself."""

    HARMLESS = 0     # function word, predicate, known harmless format
    WORD = 1         # a word of the language
    IDENT = 2        # capitals and digits: a reference, error code or room, unless named
    COMPOUND = 3     # words written together ("silverdragon", "blåbærsnø")
    ODD = 4          # not a word, letters only
    DIGITS = 5       # digits only (a code, a PIN, or a password of digits)
    MEDIUM = 6       # letters with digits or symbols
    STRONG = 7       # three character classes, or long and random


@dataclass
class Token:
    start: int
    end: int
    text: str                  # without surrounding quotes and sentence punctuation
    lower: str
    colon_after: bool = False  # "passord:" -> a value follows

    @property
    def is_alpha(self) -> bool:
        return self.text.replace("-", "").isalpha()


@dataclass(frozen=True)
class Cues:
    password_nouns: FrozenSet[str]
    password_stems: Sequence[str]
    code_nouns: FrozenSet[str]
    key_nouns: FrozenSet[str]
    recovery_nouns: FrozenSet[str]
    code_blockers: FrozenSet[str]
    username_nouns: FrozenSet[str]
    colon_username_nouns: FrozenSet[str]
    copulas: FrozenSet[str]
    pre_fillers: FrozenSet[str]
    post_fillers: FrozenSet[str]
    disclosure_verbs: FrozenSet[str]
    verb_fillers: FrozenSet[str]
    weak_verbs: FrozenSet[str]
    anaphors: FrozenSet[str]
    reverse_links: FrozenSet[str]
    reverse_fillers: FrozenSet[str]
    articles: FrozenSet[str]
    clause_breaks: FrozenSet[str]
    windows: Dict[str, int]


@lru_cache(maxsize=1)
def cues() -> Cues:
    raw = yaml.safe_load(_CUES_FILE.read_text(encoding="utf-8"))
    values: Dict[str, Any] = {key: (dict(value) if key == "windows" else
                    tuple(value) if key == "password_stems" else
                    frozenset(str(v).lower() for v in value))
              for key, value in raw.items()}
    return Cues(**values)


def tokens_of(text: str) -> List[Token]:
    """Whitespace tokens without surrounding quotes and punctuation; "pw:x" split in two.

    A code written in two groups ("123 456", "1234 5678") is one token.
    """
    found: List[Token] = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        raw = match.group(0)
        split = _CUE_SPLIT.match(raw.strip(_LEADING))
        if split and _is_cue_word(split.group(1).lower()):
            lead = len(raw) - len(raw.lstrip(_LEADING))
            head_end = start + lead + len(split.group(1))
            found.append(Token(start + lead, head_end, split.group(1), split.group(1).lower(),
                               colon_after=True))
            start = head_end + 1
            raw = text[start:end]
        lead = len(raw) - len(raw.lstrip(_LEADING))
        stripped_end = len(raw.rstrip(_TRAILING))
        if stripped_end <= lead:
            found.append(Token(start, end, raw, raw.lower()))
            continue
        if lead and raw[lead - 1] == "*" and raw[stripped_end - 1] == "*":
            stripped_end -= 1          # *emphasis*
        core = raw[lead:stripped_end]
        previous = found[-1] if found else None
        if (previous and _DIGIT_GROUP.match(core) and len(core) == len(previous.text)
                and _DIGIT_GROUP.match(previous.text) and text[previous.end:start] == " "
                and not previous.colon_after):
            core = text[previous.start:start + stripped_end]
            found[-1] = Token(previous.start, start + stripped_end, core, core)
            continue
        found.append(Token(start + lead, start + stripped_end, core, core.lower(),
                           colon_after=any(c in ":=" for c in raw[stripped_end:])))
    return found


def _is_cue_word(lower: str) -> bool:
    c = cues()
    return (lower in c.password_nouns or lower in c.code_nouns or lower in c.key_nouns
            or lower in c.username_nouns or any(s in lower for s in c.password_stems))


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def shape_of(token: Token, words: Vocabulary) -> Shape:
    """What ``token`` looks like on its own."""
    text, lower = token.text, token.lower
    if len(text) < 3 and not text.isdigit():
        return Shape.HARMLESS
    bare = text.rstrip("!?")
    if bare and bare.replace("-", "").replace("'", "").replace("’", "").isalpha():
        if lower.rstrip("!?") in words.stop_words or words.is_predicate(bare):
            return Shape.HARMLESS
        parts = [p for p in bare.split("-") if p]
        if all(words.is_listed(p) for p in parts):
            return Shape.WORD
        return Shape.COMPOUND if all(words.is_word(p) for p in parts) else Shape.ODD
    if (_EMAIL.match(text) or _URL.match(text) or _GUID.match(text) or _HEX.match(text)
            or _VERSION.match(text) or _QUANTITY.match(text) or _CLOCK.match(text)
            or _FILE.search(text) or _DIGIT_WORD.match(text) or _POSSESSIVE.match(text)
            or _HANDLE.match(text) or _DATE.match(text)):
        return Shape.HARMLESS
    if _NUMERIC.match(text):
        digits = sum(c.isdigit() for c in text)
        return Shape.DIGITS if digits >= 4 else Shape.HARMLESS
    product = _PRODUCT_VERSION.match(text)
    if product and product.group(1).lower() in words.products:
        return Shape.HARMLESS
    if "." in text and all(p.isalpha() for p in text.split(".") if p):
        return Shape.HARMLESS          # kari.nordmann, contoso.no
    if "/" in text or "\\" in text:
        parts = [p for p in re.split(r"[/\\]", text) if p]
        if all(p.isalpha() or p.isdigit() or p.endswith(":") for p in parts):
            return Shape.HARMLESS      # paths, "og/eller", "1/2"
    if _IDENTIFIER.match(text) and any(c.isalpha() for c in text):
        return Shape.MEDIUM if len(text) >= _LONG_RANDOM_LENGTH else Shape.IDENT
    has_lower = any(c.islower() for c in text)
    has_upper = any(c.isupper() for c in text)
    has_digit = any(c.isdigit() for c in text)
    has_symbol = any(not c.isalnum() for c in text)
    classes = has_lower + has_upper + has_digit + has_symbol
    if len(text) >= _LONG_RANDOM_LENGTH and classes >= 2 and _entropy(text) >= 3.5:
        return Shape.STRONG
    if classes >= 3 and len(text) >= 6:
        return Shape.STRONG
    if len(text) >= 4 and (has_digit or has_symbol):
        return Shape.MEDIUM
    return Shape.ODD


@dataclass
class _Context:
    """What the words around one token say about it."""

    direct: bool = False        # "password: X", "password X"
    copula: bool = False        # "password is X", "passordet er X", "it was X"
    verb: bool = False          # "I typed X", "prøvde X"
    weak_verb: bool = False     # "log in with X", "changed it to X"
    reverse: bool = False       # "X is my password"
    near_password: bool = False
    near_code: bool = False
    near_key: bool = False
    near_recovery: bool = False
    username_value: bool = False
    pair: bool = False          # "kari@contoso.no / X"
    kind: str = "password"      # the noun that names the value
    noun: int = -1              # where that noun stands

    @property
    def named(self) -> bool:
        return self.direct or self.copula or self.reverse


_SECRET_NOUNS = ("password", "code", "key", "recovery")
_KIND_OF_NOUN = {"code": "one_time_code", "key": "token", "recovery": "recovery_key"}


class Detector:
    """Finds secret spans in a message from token shapes and the cues around them."""

    def __init__(self, words: Vocabulary, cue_words: Cues) -> None:
        self.words = words
        self.cues = cue_words

    # -- cues ---------------------------------------------------------------------------

    def _noun_kind(self, token: Token) -> str:
        """Which cue noun ``token`` is: password, code, key, recovery, user, or ""."""
        c = self.cues
        lower = token.lower.rstrip(":=")
        if any(ch.isdigit() for ch in lower) and lower not in c.code_nouns:
            return ""
        if lower in c.password_nouns or any(stem in lower for stem in c.password_stems):
            return "password"
        if lower in c.recovery_nouns:
            return "recovery"
        if lower in c.code_nouns:
            return "code"
        if lower in c.key_nouns:
            return "key"
        if lower in c.username_nouns or (token.colon_after and lower in c.colon_username_nouns):
            return "user"
        return ""

    def _value_after_noun(self, tokens: List[Token], kinds: List[str], i: int,
                          wanted: Sequence[str]) -> Optional[_Context]:
        """Is token ``i`` the value a noun of ``wanted`` kind names ("password is X")?"""
        c = self.cues
        j = i - 1
        post = 0
        while j >= 0 and tokens[j].lower in c.post_fillers and post < 3:
            j -= 1
            post += 1
        copula = False
        if j >= 0 and (tokens[j].lower in c.copulas or tokens[j].colon_after):
            copula = True
            if tokens[j].colon_after and kinds[j] in wanted:
                return _Context(direct=True, copula=True, kind=kinds[j], noun=j)
            if tokens[j].lower in c.copulas:
                j -= 1
        elif post:
            return None
        pre = 0
        while j >= 0 and pre <= 5:
            if kinds[j] in wanted:
                if not copula and j != i - 1:
                    return None
                return _Context(direct=True, copula=copula, kind=kinds[j], noun=j)
            if kinds[j] == "user" or (tokens[j].lower not in c.pre_fillers
                                      and tokens[j].lower not in c.copulas):
                return None
            j -= 1
            pre += 1
        return None

    def _context(self, tokens: List[Token], kinds: List[str], i: int,
                 secret_nouns: List[int]) -> _Context:
        c = self.cues
        context = self._value_after_noun(tokens, kinds, i, _SECRET_NOUNS) or _Context()
        if context.kind == "code" and self._blocked_code(tokens, context.noun, i):
            context = _Context()
        if self._value_after_noun(tokens, kinds, i, ("user",)) is not None:
            context.username_value = True
        # "I typed X", "prøvde passordet X", "changed it to X"
        j, between = i - 1, 0
        while j >= 0 and between <= 3:
            lower = tokens[j].lower
            if lower in c.disclosure_verbs:
                context.verb = True
                break
            if lower in c.weak_verbs and between == 0:
                context.weak_verb = True
            if lower not in c.verb_fillers and kinds[j] != "password":
                break
            j -= 1
            between += 1
        # "it was X", "det nye er X"
        if i >= 2 and tokens[i - 1].lower in c.copulas and not context.copula:
            k = i - 2
            while k >= 0 and tokens[k].lower in c.post_fillers and k > i - 5:
                k -= 1
            earlier = [n for n in secret_nouns if k - c.windows["anaphor_back"] <= n < k]
            if k >= 0 and tokens[k].lower in c.anaphors and earlier:
                context.copula = True
                context.kind, context.noun = kinds[earlier[-1]], earlier[-1]
        # "X is my password", "X som passord", "is X a strong enough password"
        linked = tokens[i].colon_after or (
            i >= 1 and tokens[i - 1].lower in c.copulas and i + 1 < len(tokens)
            and tokens[i + 1].lower in c.articles)
        for k in range(i + 1, min(i + 6, len(tokens))):
            if kinds[k] in _SECRET_NOUNS:
                if linked:
                    context.reverse = True
                    context.kind, context.noun = kinds[k], k
                break
            linked = linked or tokens[k].lower in c.reverse_links
            if tokens[k].lower not in c.reverse_fillers and tokens[k].lower not in c.reverse_links:
                break
        # a user name or e-mail address, then a separator or nothing, then X
        if i >= 1 and (_EMAIL.match(tokens[i - 1].text) or (
                i >= 2 and tokens[i - 1].text in ("/", "|", "-", ":", ",") and
                _EMAIL.match(tokens[i - 2].text))):
            context.pair = True
        for n in secret_nouns:
            distance = abs(n - i)
            kind = kinds[n]
            if kind == "password" and distance <= c.windows["password_near"]:
                context.near_password = True
            elif kind == "code" and distance <= c.windows["code_near"]:
                context.near_code = context.near_code or not self._blocked_code(tokens, n, i)
            elif kind == "key" and distance <= c.windows["key_near"]:
                context.near_key = True
            elif kind == "recovery" and distance <= c.windows["key_near"]:
                context.near_recovery = True
        return context

    def _blocked_code(self, tokens: List[Token], noun: int, value: int) -> bool:
        """ "error code 50126", "postnummer 0150": a number that is no secret."""
        c = self.cues
        for k in (noun - 1, noun - 2, value - 1):
            if 0 <= k < len(tokens) and tokens[k].lower.rstrip(":") in c.code_blockers:
                return True
        return False

    # -- decisions ----------------------------------------------------------------------

    def _decide(self, token: Token, shape: Shape, context: _Context, lone: bool,
                has_password_noun: bool) -> Optional[str]:
        """The kind of secret ``token`` is, or None."""
        if context.username_value and not context.direct:
            return None
        named_kind = _KIND_OF_NOUN.get(context.kind, "password")
        if shape is Shape.STRONG:
            if context.near_recovery:
                return "recovery_key"
            if context.near_key and len(token.text) >= 16:
                return "token"
            if context.named:
                return named_kind
            if len(token.text) >= _LONG_RANDOM_LENGTH and not context.near_password:
                return "token"
            return "password"
        if shape is Shape.DIGITS:
            if _YEAR.match(token.text) and not context.named:
                return None
            if context.near_recovery and len(token.text) >= 8:
                return "recovery_key"
            if context.near_code:
                return "one_time_code"
            if context.named and context.kind in ("password", "code"):
                return named_kind
            if context.verb and has_password_noun:
                return "password"
            if lone and 4 <= len(token.text) <= 8:
                return "one_time_code"
            return None
        if shape is Shape.MEDIUM:
            if context.near_recovery:
                return "recovery_key"
            if context.near_key and len(token.text) >= 16:
                return "token"
            if context.named:
                return named_kind
            if (context.verb or context.pair or context.near_password or lone
                    or (context.weak_verb and has_password_noun)
                    or _password_shaped(token.text)):
                return "password"
            if context.near_code:
                return "one_time_code"
            return None
        if shape is Shape.IDENT:
            if context.named or (context.verb and has_password_noun):
                return named_kind
            return None
        if shape in (Shape.ODD, Shape.COMPOUND):
            if context.named or context.pair or (context.verb and (
                    has_password_noun or not token.text[:1].isupper())):
                return named_kind
            if lone and shape is Shape.ODD and len(token.text) >= 8 and token.text.islower():
                return "password"
            return None
        # A dictionary word: only as the named value ("passordet er sommerfugl").
        if (context.copula or context.reverse or context.pair) and context.kind == "password":
            return "password"
        return None

    def find(self, text: str) -> List[Span]:
        """Secret spans in ``text`` (tokens and quoted spans), each with its kind."""
        tokens = tokens_of(text)
        if not tokens:
            return []
        kinds = [self._noun_kind(token) for token in tokens]
        secret_nouns = [n for n, kind in enumerate(kinds) if kind in _SECRET_NOUNS]
        has_password_noun = any(kinds[n] == "password" for n in secret_nouns)
        lone = len(tokens) <= 3
        spans: List[Span] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            shape = Shape.HARMLESS if kinds[i] else shape_of(token, self.words)
            if shape is Shape.HARMLESS and not self._may_start_passphrase(tokens, kinds, i):
                i += 1
                continue
            context = self._context(tokens, kinds, i, secret_nouns)
            if shape is Shape.HARMLESS:
                if not (context.direct and self._is_passphrase_cue(tokens, context)):
                    i += 1
                    continue
                shape = Shape.WORD
            kind = self._decide(token, shape, context, lone, has_password_noun)
            if not kind:
                i += 1
                continue
            end = i
            if context.direct and self._is_passphrase_cue(tokens, context):
                end = self._passphrase_end(tokens, kinds, i)
            spans.append(Span(token.start, tokens[end].end, kind))
            i = end + 1
        spans.extend(self._quoted(text, tokens, kinds))
        return spans

    def _may_start_passphrase(self, tokens: List[Token], kinds: List[str], i: int) -> bool:
        """A word such as "purple" right after "passphrase:" may begin the passphrase."""
        return (tokens[i].is_alpha and tokens[i].lower not in self.words.stop_words
                and any(kinds[k] == "password" for k in range(max(0, i - 3), i)))

    def _is_passphrase_cue(self, tokens: List[Token], context: _Context) -> bool:
        noun = tokens[context.noun]
        return noun.colon_after or any(stem in noun.lower for stem in ("phrase", "frase"))

    def _passphrase_end(self, tokens: List[Token], kinds: List[str], i: int) -> int:
        """Last token of a passphrase of words starting at ``i`` ("purple mountain winter")."""
        end = i
        for k in range(i + 1, min(i + 6, len(tokens))):
            if kinds[k] or tokens[k - 1].end != tokens[k].start - 1 or \
                    shape_of(tokens[k], self.words) is Shape.HARMLESS:
                break
            end = k
        return end

    def _quoted(self, text: str, tokens: List[Token], kinds: List[str]) -> List[Span]:
        """A quoted value named as a password or passphrase ("passordet er 'blå hest 7'")."""
        spans = []
        starts = {token.start: i for i, token in enumerate(tokens)}
        for match in _QUOTED.finditer(text):
            inner_start = match.start() + 1
            inner = match.group(0)[1:-1]
            if not inner.strip() or len(inner.split()) > 8:
                continue
            first = starts.get(match.start(), starts.get(inner_start))
            if first is None:
                continue
            if any(self._noun_kind(t) for t in tokens_of(inner)):
                continue       # a quoted message about passwords, not one
            last = max(i for i in range(first, len(tokens)) if tokens[i].start < match.end())
            context = self._context(tokens, kinds, first, [])
            context.reverse = self._context(tokens, kinds, last, []).reverse
            if context.named or context.verb:
                spans.append(Span(inner_start, match.end() - 1,
                                  _KIND_OF_NOUN.get(context.kind, "password")))
        return spans


def _password_shaped(text: str) -> bool:
    """Letters and digits the way passwords are made ("shadow1980"), not an id ("kn1234")."""
    letters = sum(c.isalpha() for c in text)
    if letters < 4 or not any(c.isdigit() for c in text):
        return any(not c.isalnum() and c not in "-._'" for c in text) and letters >= 3
    return not ("." in text or "_" in text) or text[:1].isupper()


@lru_cache(maxsize=1)
def detector() -> Detector:
    return Detector(vocabulary(), cues())
