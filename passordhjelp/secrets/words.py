"""Is a token a word of English or Norwegian? Word lists for the secret detector.

The lists come from spacy-lookups-data (English lemma index and lookup table,
Norwegian Bokmål inflection tables: about 700,000 forms), spaCy's stop words and
our own domain words (``vocabulary.yml``). They are kept as sorted 64-bit hashes
(a few megabytes instead of a Python set of strings), built on first use and
cached under ``var/cache/`` keyed by the spacy-lookups-data version, so a Rasa
process loads them in milliseconds after the first start.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, Set

import numpy as np
import spacy_lookups_data
import yaml
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.nb.stop_words import STOP_WORDS as NORWEGIAN_STOP_WORDS

from passordhjelp.config import PROJECT_ROOT

logger = logging.getLogger(__name__)

_VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yml")
_LOOKUPS = Path(spacy_lookups_data.__file__).parent / "data"
CACHE_DIR = PROJECT_ROOT / "var" / "cache"
# Norwegian compounds ("passordbytte", "ekornsnabel") are words when every part is.
_MIN_COMPOUND_PART = 3
_FORMAT = 7  # bump when the lists are built differently
_LINKING_LETTERS = ("s", "e")
# Past endings: a past form counts as a verb even when the tables know it as a noun too.
_PAST_ENDINGS = ("ed", "et", "te", "de", "dde")
# "reimaged", "resynced", "preinstalled": a verb's past behind a prefix the verb tables don't
# list it with (IT talk makes such verbs freely).
_VERB_PREFIXES = ("re", "pre", "un", "de", "dis", "mis")
_MAX_COMPOUND_LENGTH = 24
_TABLES = ("words", "predicates", "nouns", "verbs")


def _hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _hashes(words: Iterable[str]) -> np.ndarray:
    return np.unique(np.fromiter((_hash(w) for w in words), dtype=np.uint64))


def _load(name: str):
    with gzip.open(_LOOKUPS / f"{name}.json.gz", "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _public_word_lists() -> Dict[str, Set[str]]:
    """``words``: every known form; ``predicates``: adjective, adverb and participle forms;
    ``nouns``: forms the tables also know as nouns ("avocado", "multe", "fyrlykt");
    ``verbs``: every form of a verb in a tense, not its base form ("hammered", "keyed",
    "hamret", "limte"; not "code", "bytte")."""
    words: Set[str] = set()
    verbs: Set[str] = set()
    predicates: Set[str] = set()
    nouns: Set[str] = set()
    index = _load("en_lemma_index")
    for pos, lemmas in index.items():
        lowered = {w.lower() for w in lemmas}
        words |= lowered
        if pos in ("adj", "adv"):
            predicates |= lowered
        elif pos == "noun":
            nouns |= lowered
    adjectives = {w.lower() for w in index["adj"]}
    verb_lemmas = {w.lower() for w in index["verb"]}
    lookup = _load("en_lemma_lookup")
    for form, lemma in lookup.items():
        form, lemma = form.lower(), lemma.lower()
        words.update((form, lemma))
        if lemma in verb_lemmas and form != lemma:
            verbs.add(form)
        # participles ("expired") and compared adjectives ("longer", "safest")
        if form != lemma and (form.endswith(("ed", "ing", "en")) or lemma in adjectives):
            predicates.add(form)
    norwegian = _load("nb_lemma_exc")
    # "leste": the verb table gives it as its own lemma, the adjective table as a participle
    # of "lese"; a past form all the same
    participles = {
        form.lower()
        for form, lemmas in norwegian.get("adj", {}).items()
        if form.lower().endswith(_PAST_ENDINGS)
        and form.lower() not in (lemma.lower() for lemma in lemmas)
    }
    for pos, table in norwegian.items():
        for form, lemmas in table.items():
            form = form.lower()
            words.add(form)
            words.update(lemma.lower() for lemma in lemmas)
            if pos == "verb" and (
                form not in (lemma.lower() for lemma in lemmas) or form in participles
            ):
                verbs.add(form)
            if pos in ("adj", "adv") or (pos == "verb" and form.endswith(("t", "d", "ende"))):
                predicates.add(form)
            elif pos == "noun":
                nouns.add(form)
    return {"words": words, "predicates": predicates, "nouns": nouns, "verbs": verbs}


def _cached_hashes() -> Dict[str, np.ndarray]:
    path = CACHE_DIR / f"secret_words-{_FORMAT}-{spacy_lookups_data.__version__}.npz"
    try:
        with np.load(path) as stored:
            return {name: stored[name] for name in _TABLES}
    except (OSError, KeyError, ValueError):
        pass
    logger.info("building the secret detector's word lists (once; cached in %s)", CACHE_DIR)
    hashed = {name: _hashes(words) for name, words in _public_word_lists().items()}
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp.npz")
        np.savez(temporary, **hashed)
        temporary.replace(path)
    except OSError as error:
        logger.warning(
            "could not cache the word lists (%s); they are rebuilt per process",
            type(error).__name__,
        )
    return hashed


# "unencrypted", "non-working", "misconfigured": a known word with a prefix that negates it.
_NEGATING_PREFIXES = ("un", "non-", "non", "mis", "dis")
# Nynorsk and dialect spellings and their Bokmål form, at the end of a word or anywhere in it:
# "eigentleg" -> "egentlig", "ønskjer" -> "ønsker", "sidan" -> "siden", "heilt" -> "helt".
_DIALECT_ENDINGS = (
    ("legvis", "ligvis"),
    ("lege", "lige"),
    ("leg", "lig"),
    ("an", "en"),
    ("ar", "er"),
    ("ane", "ene"),
    ("a", "et"),
)
_DIALECT_INFIXES = (("ei", "e"), ("skj", "sk"), ("kkj", "kk"), ("au", "ø"))


def _bokmaal_variants(word: str) -> Set[str]:
    """Bokmål forms ``word`` may stand for if it is written in Nynorsk or dialect (a few
    spelling rules, each at most once, so the set stays small)."""
    if len(word) < 4 or not word.isalpha():
        return set()
    stems = {word} | {word.replace(old, new, 1) for old, new in _DIALECT_INFIXES if old in word}
    variants = set(stems) - {word}
    for stem in stems:
        for old, new in _DIALECT_ENDINGS:
            if stem.endswith(old) and len(stem) - len(old) >= 3:
                variants.add(stem[: -len(old)] + new)
    return variants


def _deletions(word: str) -> Set[str]:
    """``word`` with one letter left out, each way."""
    return {word[:k] + word[k + 1 :] for k in range(len(word))}


class Vocabulary:
    """Membership tests for words of either language, ours included."""

    def __init__(self, hashes: Dict[str, np.ndarray], domain: Dict[str, FrozenSet[str]]) -> None:
        self._tables = {name: hashes[name] for name in _TABLES}
        self.stop_words: FrozenSet[str] = (
            frozenset(w.lower() for w in ENGLISH_STOP_WORDS | NORWEGIAN_STOP_WORDS)
            | domain["function_words"]
            | domain["number_words"]
        )
        # The same words recur in every message, so the answers of the hashed tables are kept
        # (bounded, so odd tokens can't grow it): ``self._in("words", word)``.
        self._in = lru_cache(maxsize=1 << 16)(self._member_of)
        self._domain_words = domain["domain_words"]
        self._names = domain["names"]
        self.predicates: FrozenSet[str] = domain["predicates"]
        self.products: FrozenSet[str] = domain["products"]
        self.id_prefixes: FrozenSet[str] = domain["id_prefixes"]
        self.intensifiers: FrozenSet[str] = domain["intensifiers"]
        self.common_passwords: FrozenSet[str] = domain["common_passwords"]
        self.number_words: FrozenSet[str] = domain["number_words"]
        # One letter dropped from each of our predicates of five letters or more, to know
        # them misspelt ("expird", "incorect", "blokked"): see is_misspelt_predicate.
        self._predicate_deletions: FrozenSet[str] = frozenset(
            variant
            for predicate in self.predicates
            if len(predicate) >= 5 and predicate.isalpha()
            for variant in _deletions(predicate) | {predicate}
        )

    def _member_of(self, table: str, word: str) -> bool:
        """``word`` is in ``table`` (one of ``_TABLES``)."""
        return self._member(self._tables[table], word)

    @staticmethod
    def _member(table: np.ndarray, word: str) -> bool:
        key = np.uint64(_hash(word))
        at = int(np.searchsorted(table, key))
        return at < len(table) and table[at] == key

    def is_word(self, word: str) -> bool:
        """``word`` (any case) is a form of an English or Norwegian word, or a compound of them."""
        return self.is_listed(word) or self.is_compound(word)

    def is_listed(self, word: str) -> bool:
        """``word`` (any case) is in a word list itself, not only as parts of a compound."""
        lowered = word.lower()
        return (
            lowered in self.stop_words
            or lowered in self._domain_words
            or lowered in self._names
            or (lowered.endswith("s") and lowered[:-1] in self._domain_words)  # "admins"
            # a Norwegian genitive: "fjorårets", "kontorets"
            or (lowered.endswith("s") and len(lowered) >= 6 and self._in("words", lowered[:-1]))
            or self._in("words", lowered)
            or self._transliterated(lowered)
        )

    def _transliterated(self, lowered: str) -> bool:
        """Norwegian typed without æ, ø, å ("utloept", "paa", "laast"), a Nynorsk or dialect
        form of a Bokmål word ("eigentleg", "ønskjer", "sidan"), or an English word with a
        negating prefix ("unencrypted", "non-working")."""
        if any(pair in lowered for pair in ("oe", "aa", "ae")):
            native = lowered.replace("oe", "ø").replace("aa", "å").replace("ae", "æ")
            if native in self.stop_words or self._in("words", native):
                return True
        return self._negated_in("words", lowered) or self._respelled_in(
            "words", self.stop_words, lowered
        )

    def _negated_in(self, table: str, lowered: str) -> bool:
        """A word of ``table`` behind a negating prefix ("unencrypted", "non-working")."""
        return any(
            lowered.startswith(prefix)
            and len(lowered) - len(prefix) >= 4
            and self._in(table, lowered[len(prefix) :])
            for prefix in _NEGATING_PREFIXES
        )

    def _respelled_in(self, table: str, listed: FrozenSet[str], lowered: str) -> bool:
        """A Nynorsk or dialect form of a word in ``listed`` or ``table`` ("eigentleg")."""
        return any(
            variant in listed or self._in(table, variant) for variant in _bokmaal_variants(lowered)
        )

    def is_intensified_predicate(self, word: str) -> bool:
        """An intensifier and an adjective or participle: "kjempekomplisert", "superenkelt"."""
        lowered = word.lower()
        return any(
            lowered.startswith(prefix) and self.is_predicate(lowered[len(prefix) :])
            for prefix in self.intensifiers
        )

    def is_domain(self, word: str) -> bool:
        """One of our own domain words ("Outlook", "Teams", "BankID")."""
        return word.lower() in self._domain_words

    def is_predicate(self, word: str) -> bool:
        """An adjective, adverb or participle: "expired", "utløpt", "wrong", "feil"."""
        lowered = word.lower()
        return (
            lowered in self.predicates
            or lowered in self.stop_words
            or self._in("predicates", lowered)
            or self._negated_in("predicates", lowered)
            or self._respelled_in("predicates", self.predicates, lowered)
        )

    def is_misspelt_predicate(self, word: str) -> bool:
        """One of our predicates with one letter missing, added, changed or swapped
        ("my pasword is expird"): symmetric deletion, as SymSpell does, over a short list."""
        lowered = word.lower()
        if len(lowered) < 5 or len(lowered) > 20 or not lowered.isalpha():
            return False
        return not self._predicate_deletions.isdisjoint(_deletions(lowered) | {lowered})

    def is_noun(self, word: str) -> bool:
        """A form the word lists know as a noun (it may be an adjective too: "avocado")."""
        return self._in("nouns", word.lower())

    def is_tensed_verb(self, word: str, short_past: bool = False) -> bool:
        """A verb in a tense, not its base form, any verb of either language ("hammered",
        "memorised", "refuses", "hamret", "limte", "gjenvant"), so a frame works with verbs no
        list names; a form the tables also know as a noun counts only in the past ("keyed",
        not "keys"), or short, in English (``short_past``: "sent", "dug")."""
        lowered = word.lower()
        if (
            len(lowered) < 3
            or not lowered.isalpha()
            or lowered in self.stop_words
            or not self._in("verbs", lowered)
        ):
            return False
        return (
            lowered.endswith(_PAST_ENDINGS)
            or (short_past and len(lowered) <= 4)  # an English irregular past: "sent", "dug"
            or not self._in("nouns", lowered)
        )

    def is_prefixed_past(self, word: str) -> bool:
        """An English past behind a prefix, of a verb the tables know ("reimaged", "resynced"):
        a word, not words written together."""
        lowered = word.lower()
        return lowered.endswith("ed") and any(
            lowered.startswith(prefix)
            and len(lowered) - len(prefix) >= 5
            and self._in("verbs", lowered[len(prefix) :])
            for prefix in _VERB_PREFIXES
        )

    def is_compound(self, word: str) -> bool:
        """Word break over known parts (with a linking s or e), quadratic in a bounded length."""
        word = word.lower()
        if not (2 * _MIN_COMPOUND_PART <= len(word) <= _MAX_COMPOUND_LENGTH) or not word.isalpha():
            return False
        ends_at = [False] * (len(word) + 1)
        ends_at[0] = True
        for end in range(_MIN_COMPOUND_PART, len(word) + 1):
            for start in range(0, end - _MIN_COMPOUND_PART + 1):
                if not ends_at[start]:
                    continue
                part = word[start:end]
                if self._known(part) or (
                    start > 0
                    and part[0] in _LINKING_LETTERS
                    and len(part) > _MIN_COMPOUND_PART
                    and self._known(part[1:])
                ):
                    ends_at[end] = True
                    break
        return ends_at[-1]

    def _known(self, word: str) -> bool:
        return word in self._domain_words or word in self._names or self._in("words", word)


@lru_cache(maxsize=1)
def _domain() -> Dict[str, FrozenSet[str]]:
    raw = yaml.safe_load(_VOCABULARY_FILE.read_text(encoding="utf-8"))
    return {key: frozenset(str(w).lower() for w in values) for key, values in raw.items()}


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shared vocabulary (built or loaded once per process)."""
    return Vocabulary(_cached_hashes(), _domain())
