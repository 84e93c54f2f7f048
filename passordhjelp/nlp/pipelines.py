"""Blank spaCy pipelines per language: lookup lemmas (spacy-lookups-data plus ours), concepts, negation."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple, cast

import spacy
import yaml
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import Lemmatizer
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Token

from passordhjelp.nlp.negation import NegationScope
from passordhjelp.nlp.variants import NormalisingTokenizer, clitic_table, norm_table, on_norms

SUPPORTED_LANGUAGES = ("en", "nb")
_DOMAIN_LEMMAS = Path(__file__).with_name("domain_lemmas.yml")
_CONCEPT_PATTERNS = Path(__file__).with_name("concept_patterns.yml")
_THIRD_PERSON_PATTERNS = Path(__file__).with_name("third_person_patterns.yml")


# The lemma of a capitalised first name (first_names.yml), and of a person who is
# only mentioned as having told the chatter something.
PERSON_NAME = "person_name"
INFORMANT = "informant"
CHATTER = "chatter"
# The lemma of an English possessive "'s" before an account word ("Rachel's
# account", "our director's login"): spaCy's lookup reads it as "have".
POSSESSIVE = "possessive"
_FIRST_NAMES = Path(__file__).with_name("first_names.yml")


@lru_cache(maxsize=None)
def role_words(language: str) -> Tuple[str, ...]:
    """The roles the third-person rules know ("colleague", "co-worker", "vikaren")."""
    raw = yaml.safe_load(_THIRD_PERSON_PATTERNS.read_text(encoding="utf-8"))
    return tuple(raw["lists"][language]["roles"])


def _keep_roles_whole(nlp: Language, language: str) -> None:
    """Makes each hyphenated role ("co-worker", "team-mate") one token, as the role
    patterns expect; English rules split it at the hyphen ("co", "-", "worker")."""
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    for role in role_words(language):
        if len(tokenizer(role)) == 1:
            continue
        for form in {role, role.capitalize(), role.upper()}:
            tokenizer.add_special_case(form, [{ORTH: form}])


# Abbreviations in spaCy's tokenizer exceptions that are also everyday words: "jul." is "juli"
# there, and "før jul. Nå er det tomt" lost its full stop, so the clause ran on (session 17).
# Split as a word and its full stop; a date's "12. jul." reads the same either way.
_WORDS_NOT_ABBREVIATIONS: Dict[str, Tuple[str, ...]] = {"nb": ("jul.", "Jul.")}


def _split_word_abbreviations(nlp: Language, language: str) -> None:
    """Makes each of ``_WORDS_NOT_ABBREVIATIONS`` two tokens, the word and its full stop."""
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    for form in _WORDS_NOT_ABBREVIATIONS.get(language, ()):
        tokenizer.add_special_case(form, [{ORTH: form[:-1]}, {ORTH: "."}])


@lru_cache(maxsize=1)
def _concept_patterns() -> Dict:
    """concept_patterns.yml, read once for every component and language that uses it."""
    return cast(Dict, yaml.safe_load(_CONCEPT_PATTERNS.read_text(encoding="utf-8")))


def _inside_longer(start: int, end: int, spans: Sequence[Tuple[int, int]]) -> bool:
    """Whether tokens ``start:end`` lie inside one of ``spans`` that is longer."""
    return any(s <= start and end <= e and e - s > end - start for s, e in spans)


@lru_cache(maxsize=1)
def first_names() -> FrozenSet[str]:
    """Common first names of both languages, lower case (first_names.yml)."""
    raw = yaml.safe_load(_FIRST_NAMES.read_text(encoding="utf-8"))
    lists = [raw[language] for language in SUPPORTED_LANGUAGES] + [raw["other_origins"]]
    return frozenset(name for names in lists for name in names.split())


@lru_cache(maxsize=1)
def names_after_preposition() -> FrozenSet[str]:
    """First names, and those that are names only after "for"/"til" ("for Per")."""
    raw = yaml.safe_load(_FIRST_NAMES.read_text(encoding="utf-8"))
    return first_names() | frozenset(raw["after_preposition"].split())


# Set on tokens a concept pattern matched, so negation marking leaves them alone.
Token.set_extension("in_concept", default=False, force=True)


class ConceptLemmas:
    """Gives phrases the lemma of the concept they express ("can't remember" -> forget).

    The classifier then sees one feature for "forgot", "can't remember" and
    "husker ikke", which is what tells a forgotten password from a change; and
    one for every first name ("person_name") and every colleague's role
    ("colleague", "kollega"), which tells a third person's trouble.
    """

    def __init__(self, nlp: Language, language: str) -> None:
        patterns = _concept_patterns()
        self.matcher = Matcher(nlp.vocab)
        for concept, alternatives in patterns[language].items():
            self.matcher.add(concept, on_norms(alternatives))
        # Every role the third-person rules know ("teammate", "ansatte", "kompis") is
        # a colleague to the classifier too, so one list serves both.
        self.matcher.add(
            patterns["roles_concept"][language], [[{"NORM": {"IN": role_words(language)}}]]
        )
        self.not_followed_by = frozenset(patterns["not_followed_by"][language])
        self.followed_by_anything = frozenset(
            patterns.get("followed_by_anything", {}).get(language, [])
        )
        self.still_followed_by = [
            tuple(words) for words in patterns["still_followed_by"].get(language, [])
        ]
        # A preposition that ends its clause begins no question ("... og det har jeg ingen
        # anelse om").
        self.stranded = frozenset(patterns.get("stranded_at_clause_end", {}).get(language, []))
        people = patterns["people"].get(language, {})
        self.name_verbs = frozenset(people.get("verbs_after_name", []))
        self.username = re.compile(people["username"]) if people.get("username") else None
        self.roles_concept = patterns["roles_concept"][language]
        self.role_not_followed_by = frozenset(patterns["role_not_followed_by"][language])
        self.role_not_preceded_by = frozenset(
            patterns.get("role_not_preceded_by", {}).get(language, [])
        )
        possessive = patterns["possessive"].get(language, {})
        self.possessive_markers = frozenset(possessive.get("markers", []))
        self.possessed = frozenset(possessive.get("possessed", []))
        self.not_possessors = frozenset(possessive.get("not_possessors", []))
        homographs = patterns["verb_beside_pronoun"].get(language, {})
        self.verb_forms: Dict[str, str] = homographs.get("forms", {})
        self.subject_pronouns = frozenset(homographs.get("pronouns", []))
        self.keep_lemma = frozenset(patterns["keep_lemma"][language])
        self.whole_concepts = frozenset(patterns.get("whole_concepts", {}).get(language, []))
        named = patterns["name_after_account"]
        self.before_name = frozenset(named[language]["before"])
        self.name_prepositions = frozenset(named[language]["prepositions"])
        self.not_names = frozenset(named["not_names"])
        self.concept_not_followed_by: Dict[str, FrozenSet[str]] = {
            concept: frozenset(words)
            for concept, words in patterns["concept_not_followed_by"].get(language, {}).items()
        }
        self.concept_not_followed_by_phrases: Dict[str, Tuple[Tuple[str, ...], ...]] = {
            concept: tuple(tuple(phrase.split()) for phrase in phrases)
            for concept, phrases in patterns.get("concept_not_followed_by_phrases", {})
            .get(language, {})
            .items()
        }
        # Words that may stand between a concept and such a phrase: "vet ikke helt hva som
        # skjer" (Norwegian only so far).
        self.phrase_fillers = frozenset(
            patterns.get("concept_phrase_fillers", {}).get(language, [])
        )
        self.concept_not_preceded_by: Dict[str, FrozenSet[str]] = {
            concept: frozenset(words)
            for concept, words in patterns.get("concept_not_preceded_by", {})
            .get(language, {})
            .items()
        }
        self.clause_initial: Dict[str, FrozenSet[str]] = {
            concept: frozenset(words)
            for concept, words in patterns["clause_initial"].get(language, {}).items()
        }
        self.requires_after: Dict[str, Tuple[Tuple[str, ...], ...]] = {
            concept: tuple(tuple(words.split()) for words in later)
            for concept, later in patterns["requires_after"].get(language, {}).items()
        }
        # Words one of which must follow the match within a few words ("forgot how to change
        # it": the lapse is of the steps, not the password, only when a change follows), or,
        # with ``or_before`` (session 21), come among that many words before it ("hvor endrer
        # man passord? gjorde det i fjor, men har glemt hvor knappen er").
        self.requires_soon_after: Dict[str, Tuple[int, FrozenSet[str], int]] = {
            concept: (rule["within"], frozenset(rule["words"]), int(rule.get("or_before", 0)))
            for concept, rule in patterns.get("requires_soon_after", {}).get(language, {}).items()
        }
        # Session 21: a concept read as another's lemma (two pattern sets, one feature).
        self.concept_readings: Dict[str, str] = patterns.get("concept_readings", {}).get(
            language, {}
        )
        # Words within a match that make it a supposition without a question after it ("hvis
        # jeg skulle glemme det", "hvis man har glemt det").
        self.supposed_without_after: Dict[str, FrozenSet[str]] = {
            concept: frozenset(words)
            for concept, words in patterns.get("supposed_without_after", {})
            .get(language, {})
            .items()
        }
        # Session 18: words one of which must stand somewhere in the message ("I don't have it"
        # is not_had only where the old or current password is named).
        self.requires_anywhere: Dict[str, FrozenSet[str]] = {
            concept: frozenset(words)
            for concept, words in patterns.get("requires_anywhere", {}).get(language, {}).items()
        }
        # Session 18: a concept right after a negator that reads as another lemma ("not the
        # Gmail one": denied_brand).
        self.denied_readings: Dict[str, Tuple[FrozenSet[str], FrozenSet[str], str]] = {
            concept: (frozenset(rule["negators"]), frozenset(rule["between"]), rule["reading"])
            for concept, rule in patterns.get("denied_readings", {}).get(language, {}).items()
        }
        self.language = language

    def __call__(self, doc: Doc) -> Doc:
        names = first_names()
        for token in doc:
            # One feature for every first name: "Kari forgot" teaches "Ingrid forgot".
            if token.is_title and (
                token.lower_ in names
                or self._named_after_account(token)
                or self._name_by_context(token)
            ):
                token.lemma_ = PERSON_NAME
            elif token.like_email or (
                self.username is not None and self.username.match(token.lower_)
            ):
                # "ola.nordmann", "kari.n", "mari.olsen@firma.no": someone's user name.
                token.lemma_ = PERSON_NAME
        self._mark_verbs(doc)
        self._mark_possessives(doc)
        self._mark_people(doc)
        matches = self.matcher(doc)
        wholes = [
            (start, end)
            for match_id, start, end in matches
            if doc.vocab.strings[match_id] in self.whole_concepts
        ]
        for match_id, start, end in matches:
            concept = doc.vocab.strings[match_id]
            if concept not in self.whole_concepts and _inside_longer(start, end, wholes):
                continue
            if (
                end < len(doc)
                and doc[end].norm_ in self.not_followed_by
                and concept not in self.followed_by_anything
                and not self._still_concept(doc, end)
            ):
                continue
            if end < len(doc) and doc[end].norm_ in self.concept_not_followed_by.get(concept, ()):
                continue
            after = end
            while after < len(doc) and doc[after].norm_ in self.phrase_fillers:
                after += 1
            if any(
                _phrase_at(doc, after, phrase)
                for phrase in self.concept_not_followed_by_phrases.get(concept, ())
            ):
                continue
            if any(
                token.norm_ in self.concept_not_preceded_by.get(concept, ())
                for token in doc[max(0, start - 3) : start]
            ):
                continue
            if concept in self.clause_initial and not _starts_clause(
                doc, start, self.clause_initial[concept]
            ):
                continue
            if (
                concept in self.requires_after
                and not _said_after(doc, end, self.requires_after[concept])
                and not any(
                    token.norm_ in self.supposed_without_after.get(concept, ())
                    for token in doc[start:end]
                )
            ):
                continue
            if concept in self.requires_soon_after and not _near(
                doc, start, end, *self.requires_soon_after[concept]
            ):
                continue
            if concept in self.requires_anywhere and not any(
                token.norm_ in self.requires_anywhere[concept] for token in doc
            ):
                continue
            if concept == self.roles_concept and (
                end < len(doc)
                and doc[end].norm_ in self.role_not_followed_by
                or start > 0
                and doc[start - 1].norm_ in self.role_not_preceded_by
            ):
                continue
            reading = self._denied_reading(doc, self.concept_readings.get(concept, concept), start)
            for token in doc[start:end]:
                if token.lemma_ in (INFORMANT, CHATTER) or token.norm_ in self.keep_lemma:
                    continue
                token.lemma_ = reading
                token._.in_concept = True
        return doc

    def _denied_reading(self, doc: Doc, concept: str, start: int) -> str:
        # "not the Gmail one": the concept right after a negator, a determiner between at most.
        rule = self.denied_readings.get(concept)
        if rule is None:
            return concept
        negators, between, reading = rule
        before = start - 1
        if before >= 0 and doc[before].norm_ in between:
            before -= 1
        return reading if before >= 0 and doc[before].norm_ in negators else concept

    def _still_concept(self, doc: Doc, end: int) -> bool:
        # "hodet er tomt når det gjelder passordet": "når" begins no question here.
        if doc[end].norm_ in self.stranded and (end + 1 == len(doc) or doc[end + 1].is_punct):
            return True
        return any(_phrase_at(doc, end, words) for words in self.still_followed_by)

    def _name_by_context(self, token: Token) -> bool:
        # "Per" is also a preposition ("Per i dag"): a name when a surname or a verb
        # follows ("Per Hansen", "Per har glemt passordet"), or "for"/"til" goes before.
        doc, i = token.doc, token.i
        if token.lower_ not in names_after_preposition():
            return False
        # Session 18: capitalised right after "for"/"til" ("en forespørsel for Per i regnskap").
        if i > 0 and doc[i - 1].norm_ in ("for", "til"):
            return True
        if i + 1 >= len(doc):
            return False
        after = doc[i + 1]
        return (after.is_title and after.is_alpha) or after.norm_ in self.name_verbs

    def _named_after_account(self, token: Token) -> bool:
        # "passordet til Bob": a name no list knows, told by where it stands.
        doc, i = token.doc, token.i
        return (
            i >= 2
            and token.is_alpha
            and token.lower_ not in self.not_names
            and doc[i - 1].norm_ in self.name_prepositions
            and doc[i - 2].norm_ in self.before_name
        )

    def _mark_verbs(self, doc: Doc) -> None:
        # "som jeg bruker" is "that I use", not "user": without this the admin
        # examples ("en bruker", "brukeren") pull a user's own question their way.
        for token in doc:
            verb = self.verb_forms.get(token.norm_)
            if verb is None:
                continue
            beside = [doc[i].norm_ for i in (token.i - 1, token.i + 1) if 0 <= i < len(doc)]
            if any(word in self.subject_pronouns for word in beside):
                token.lemma_ = verb

    def _mark_possessives(self, doc: Doc) -> None:
        # "Rachel's account is locked" is someone else's account; without this the
        # "'s" reads as "have" and only "account ... locked" is left to see.
        for token in doc[1:-1]:
            before, after = doc[token.i - 1], doc[token.i + 1]
            if (
                token.norm_ in self.possessive_markers
                and after.norm_ in self.possessed
                and before.norm_.replace("-", "").isalpha()
                and before.norm_ not in self.not_possessors
            ):
                token.lemma_ = POSSESSIVE

    def _mark_people(self, doc: Doc) -> None:
        # A person who only told the chatter something ("sjefen sa jeg måtte bytte
        # mitt", "my manager told me to ask") gets another lemma than a person in
        # trouble, so "colleague" alone does not pull towards someone else's account.
        # Likewise the chatter introducing themself by a role or name ("I'm the new
        # intern", "jeg er vikar"): their own account.
        from passordhjelp.nlp.third_person import passing_mentions, self_mentions

        for start in passing_mentions(doc, self.language):
            doc[start].lemma_ = INFORMANT
            doc[start]._.in_concept = True
        for index in self_mentions(doc, self.language):
            doc[index].lemma_ = CHATTER
            doc[index]._.in_concept = True


def _phrase_at(doc: Doc, start: int, phrase: Tuple[str, ...]) -> bool:
    """Whether the words from ``start`` on are ``phrase`` (a word sequence, by NORM)."""
    return tuple(token.norm_ for token in doc[start : start + len(phrase)]) == phrase


def _starts_clause(doc: Doc, start: int, openers: FrozenSet[str]) -> bool:
    """Whether only punctuation or ``openers`` ("oh", "actually") come before ``start``
    in its clause."""
    for token in reversed(doc[:start]):
        if token.is_punct:
            return True
        if token.norm_ not in openers:
            return False
    return True


def _soon_after(doc: Doc, end: int, within: int, words: FrozenSet[str]) -> bool:
    """Whether one of ``words`` (by NORM) is among the ``within`` words from ``end`` on."""
    return any(token.norm_ in words for token in doc[end : end + within])


def _near(
    doc: Doc, start: int, end: int, within: int, words: FrozenSet[str], or_before: int
) -> bool:
    """Whether one of ``words`` (by NORM) is among the ``within`` words after ``end`` or the
    ``or_before`` words before ``start``."""
    return _soon_after(doc, end, within, words) or any(
        token.norm_ in words for token in doc[max(0, start - or_before) : start]
    )


def _said_after(doc: Doc, end: int, phrases: Tuple[Tuple[str, ...], ...]) -> bool:
    """Whether one of ``phrases`` occurs at or after ``end``."""
    return any(
        _phrase_at(doc, start, phrase) for phrase in phrases for start in range(end, len(doc))
    )


class LaterClauseReading:
    """Rereads words that another clause's concept settles (concept_patterns.yml, ``rule``).

    ``blocked_change``: a change that forgetting blocks is forgetting. ``settled_lapse``:
    forgetting that the password's recovery ends ("forgot it but found it") is over.
    ``change_then_locked``: a change that a lockout followed ("byttet passord, men iPaden
    brukte det gamle og nå er kontoen låst") is the lockout's back-story. Runs
    after the negation scope, so "but I haven't forgotten the old one" (neg_forget) blocks
    nothing. A language without the rule is left as it is.

    ``order`` tells where the settling concept (``blocker``, one or a list) stands:
    ``verb_first`` (the default): after a contrast word that follows the first verb, and
    the verbs before that contrast are reread; ``blocker_first``: before, and the verbs
    after the first contrast word behind it are reread ("my password is fine, it's the door
    code I forgot"); ``any``: anywhere in the message, and every verb is reread ("I forgot
    it and asked for a new one, any news?"); ``blocker_then_contrast``: the verbs between
    the blocker and the first contrast word after it ("trodde jeg hadde glemt det, men").
    """

    def __init__(self, language: str, rule: str) -> None:
        settings = _concept_patterns()[rule].get(language)
        self.active = settings is not None
        if settings is None:
            return
        self.verbs = frozenset(settings["verbs"])
        self.contrasts = frozenset(settings.get("contrasts", ()))
        blocker = settings["blocker"]
        self.blockers = frozenset([blocker] if isinstance(blocker, str) else blocker)
        self.reading: str = settings["reading"]
        self.order: str = settings.get("order", "verb_first")
        # Words (by NORM) the rule leaves alone although their lemma is one of the verbs.
        self.not_norms = frozenset(settings.get("not_norms", ()))

    def __call__(self, doc: Doc) -> Doc:
        verbs = (
            [t for t in doc if t.lemma_ in self.verbs and t.norm_ not in self.not_norms]
            if self.active
            else []
        )
        if not verbs:
            return doc
        if self.order == "any":
            reread = verbs if any(t.lemma_ in self.blockers for t in doc) else []
        elif self.order == "blocker_first":
            reread = self._after_blocker(doc, verbs)
        elif self.order == "blocker_then_contrast":
            reread = self._between_blocker_and_contrast(doc, verbs)
        else:
            reread = self._before_blocker(doc, verbs)
        for token in reread:
            token.lemma_ = self.reading
        return doc

    def _before_blocker(self, doc: Doc, verbs: List[Token]) -> List[Token]:
        contrast = next((t.i for t in doc if t.i > verbs[0].i and t.norm_ in self.contrasts), None)
        if contrast is None or not any(t.lemma_ in self.blockers for t in doc[contrast + 1 :]):
            return []
        return [token for token in verbs if token.i < contrast]

    def _between_blocker_and_contrast(self, doc: Doc, verbs: List[Token]) -> List[Token]:
        # "Trodde jeg hadde glemt det, men ...": the verbs between a belief and the contrast
        # after it; none without such a contrast.
        blocker = next((t.i for t in doc if t.lemma_ in self.blockers), None)
        if blocker is None:
            return []
        contrast = next((t.i for t in doc[blocker + 1 :] if t.norm_ in self.contrasts), None)
        if contrast is None:
            return []
        return [token for token in verbs if blocker < token.i < contrast]

    def _after_blocker(self, doc: Doc, verbs: List[Token]) -> List[Token]:
        blocker = next((t.i for t in doc if t.lemma_ in self.blockers), None)
        if blocker is None:
            return []
        # The contrast comes after the whole concept ("my password is fine ,").
        end = blocker
        while end + 1 < len(doc) and doc[end + 1].lemma_ in self.blockers:
            end += 1
        contrast = next((t.i for t in doc[end + 1 :] if t.norm_ in self.contrasts), None)
        if contrast is None:
            return []
        return [token for token in verbs if token.i > contrast]


@Language.factory("concept_lemmas", default_config={"language": "en"})
def _make_concept_lemmas(nlp, name, language):  # spaCy's config resolver needs unannotated args
    return ConceptLemmas(nlp, language)


@Language.factory("negation_scope", default_config={"language": "en"})
def _make_negation_scope(nlp, name, language):
    return NegationScope(language)


@Language.factory("later_clause_reading", default_config={"language": "en", "rule": ""})
def _make_later_clause_reading(nlp, name, language, rule):
    return LaterClauseReading(language, rule)


# Norwegian noun and verb endings (definite, plural, past), longest first; a word
# shorter than MIN_STEM letters after removing one is left as it is.
INFLECTION_ENDINGS: Dict[str, Tuple[str, ...]] = {
    "nb": ("ene", "ane", "erne", "en", "et", "er", "ar", "te", "de", "a", "e", "s"),
}
MIN_STEM = 4


class NormLemmas:
    """Looks each word's lemma up by its NORM (variants.py), then as written, then in
    lower case: "Glemte" at the start of a message gets the lemma of "glemte", and
    "gløymt" that of "glemt". spaCy's lookup lemmatizer only tries the text as written.
    """

    def __init__(self) -> None:
        self.table: Mapping[str, str] = {}
        # Inflection endings tried, longest first, when a word is not in the table:
        # "tilbakestillingen" -> "tilbakestilling", which is (Norwegian only).
        self.endings: Tuple[str, ...] = ()
        # A hyphenated compound takes its last part's lemma when that is known:
        # "reset-requesten" and "365-kontoen" are a request and an account (Norwegian only).
        self.compound_heads = False

    def __call__(self, doc: Doc) -> Doc:
        table = self.table
        for token in doc:
            norm, lower = token.norm_, token.lower_
            if norm != lower:
                token.lemma_ = table.get(norm, norm)
            elif token.text in table:
                continue
            elif lower in table:
                token.lemma_ = table[lower]
            elif token.is_alpha:
                token.lemma_ = self._without_ending(lower) or token.lemma_ or lower
            elif self.compound_heads and len(lower.split("-", 1)[0]) > 1 and "-" in lower:
                # ("e-posten" is one word: a one-letter first part is no compound.)
                head = lower.rsplit("-", 1)[1]
                token.lemma_ = table.get(head) or self._without_ending(head) or token.lemma_
        return doc

    def _without_ending(self, word: str) -> Optional[str]:
        for ending in self.endings:
            stem = word[: -len(ending)]
            if word.endswith(ending) and len(stem) >= MIN_STEM and stem in self.table:
                return self.table[stem]
        return None


@Language.factory("norm_lemmas")
def _make_norm_lemmas(nlp, name):
    return NormLemmas()


@lru_cache(maxsize=1)
def _domain_lemmas() -> Dict[str, Dict[str, str]]:
    """Inflections of our own vocabulary that the public lookup tables lack."""
    raw = yaml.safe_load(_DOMAIN_LEMMAS.read_text(encoding="utf-8"))
    return {
        language: {form: lemma for lemma, forms in entries.items() for form in forms}
        for language, entries in raw.items()
    }


# The later_clause_reading rules of concept_patterns.yml, in the order they run.
RULES = (
    # Session 18 (English): a place of the change not found, and the old one not had; before
    # blocked_change, which reads what they leave.
    "menu_not_found",
    "lacked_current",
    # Session 19: the password a change chose, forgotten.
    "forgotten_choice",
    "partial_memory",
    "blocked_change",
    # Session 17: before settled_lapse, which settles the lapse it makes when a recovery follows.
    "known_then_lost",
    # Session 20 (Norwegian): the only copy lost is forgetting.
    "lost_copy",
    "known_after_lapse",
    "known_beside_lapse",
    "settled_lapse",
    # English only (session 13): after settled_lapse, which settles a recovered forgetting.
    "denied_change_lapse",
    "recovered_for_change",
    # Session 15: after the negation scope has read the habit's denial.
    "habit_broken",
    "change_then_locked",
    # Session 17 (Norwegian): a lockout told before the change it came after.
    "locked_after_change",
    # Session 17 (Norwegian): "ikke X, bare Y"; after habit_broken, which rereads minne_ok first.
    "denied_then_state",
    # Session 20 (English): states denied before a lockout.
    "denied_before_lock",
    "lapse_elsewhere",
    "reported_lapse",
    "known_for_change",
    # Session 20 (English): the only copy thrown away, before kept_copy reads a copy as kept.
    "thrown_copy",
    # Session 18: after settled_lapse, which keeps "forgot it but found it on a note" recovered.
    "kept_copy",
    "declined_change",
    "believed_memory",
    "believed_lapse",
    # Session 17 (Norwegian): an earlier episode happened again; knowing that is gone now.
    "episode_again",
    "known_then_gone",
)


@lru_cache(maxsize=None)
def pipeline(language: str, *, negation: bool = True) -> Language:
    """A tokenizer and lookup lemmatizer for ``language`` ("en" or "nb").

    spaCy's language-specific tokenizer rules split "can't" and "pw:" the
    English way and keep Norwegian compounds and "Kari's" whole. ``negation``
    marks the words in a negator's scope (off only to measure what it brings).
    """
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    nlp = spacy.blank(language)
    _keep_roles_whole(nlp, language)
    _split_word_abbreviations(nlp, language)
    lemmatizer = cast(Lemmatizer, nlp.add_pipe("lemmatizer", config={"mode": "lookup"}))
    nlp.initialize()
    table = lemmatizer.lookups.get_table("lemma_lookup")
    for form, lemma in _domain_lemmas().get(language, {}).items():
        table[form] = lemma
    # Dialect, chat and loan-word spellings, and Norwegian without æøå (variants.yml).
    # (The lookup table's keys are hashes: its lemmas and our forms are the words known.)
    lexicon = (
        set(nlp.Defaults.stop_words)
        | {str(v) for v in table.values()}
        | set(_domain_lemmas().get(language, {}))
    )
    nlp.tokenizer = cast(
        Tokenizer,
        NormalisingTokenizer(
            nlp.tokenizer,
            norm_table(language, lexicon, nlp.Defaults.stop_words),
            clitic_table(language),
        ),
    )
    lemmas = cast(NormLemmas, nlp.add_pipe("norm_lemmas"))
    lemmas.table = table
    lemmas.endings = INFLECTION_ENDINGS.get(language, ())
    lemmas.compound_heads = language == "nb"
    nlp.add_pipe("concept_lemmas", config={"language": language})
    if negation:
        nlp.add_pipe("negation_scope", config={"language": language})
    for rule in RULES:
        nlp.add_pipe("later_clause_reading", name=rule, config={"language": language, "rule": rule})
    return nlp


@lru_cache(maxsize=2)
def plain_doc(language: str, text: str) -> Doc:
    """``pipeline(language).make_doc(text)``: the words and their NORMs, no lemmas, for
    readers that only look at it (the language's word count, the other-account and
    third-person matchers). Several components read the same message in both languages;
    the two docs of the message at hand are kept (not more: no message is read from
    another's work). Never change the doc returned."""
    return pipeline(language).make_doc(text)


def message_words(text: str) -> List[str]:
    """The lower-case words (alphabetic tokens) of the first 500 characters, by English
    rules: what the language is read from."""
    return [t.lower_ for t in plain_doc("en", text[:500]) if t.is_alpha]


def spelling_language(text: str, words: Optional[Sequence[str]] = None) -> str:
    """The pipeline for a message that doesn't tell its language (language.language_of):
    Norwegian when more of its words are Norwegian variant spellings ("ka", "itj",
    "laast") than English ones ("thx", "pls"), else English. ``words``: the text's
    ``message_words``, when the caller has them."""
    tables = {
        language: cast(NormalisingTokenizer, pipeline(language).tokenizer).table
        for language in SUPPORTED_LANGUAGES
    }
    if words is None:
        words = message_words(text)
    norwegian = sum(1 for w in words if w in tables["nb"] and w not in tables["en"])
    english = sum(1 for w in words if w in tables["en"] and w not in tables["nb"])
    return "nb" if norwegian > english else "en"
