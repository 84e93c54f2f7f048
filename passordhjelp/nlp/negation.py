"""Marks the words a negator governs, so "not forgotten" is not read as "forgotten"."""

from __future__ import annotations

import itertools
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Optional

import yaml
from spacy.tokens import Doc, Token

NEGATED_PREFIX = "neg_"
_SETTINGS = Path(__file__).with_name("negation.yml")


@lru_cache(maxsize=1)
def _settings() -> Dict[str, dict]:
    return yaml.safe_load(_SETTINGS.read_text(encoding="utf-8"))


def _in_concept(token: Token) -> bool:
    """Whether a concept pattern (pipelines.ConceptLemmas) has already read this word."""
    return Token.has_extension("in_concept") and token._.in_concept


class NegationScope:
    """Prefixes the lemma of each content word in a negator's scope with ``neg_``.

    The scope runs from the negator to the next clause boundary (punctuation,
    or a word such as "but"/"men"), at most ``max_scope`` words. Stop words and
    topic words ("password", "konto") keep their lemma; words a concept
    pattern matched ("can't remember" -> forget) are left alone, since that
    pattern has read the negation. In Norwegian the negated verb
    often comes before "ikke" ("glemte (jeg) ikke"), so up to ``look_back``
    words before it are searched for the first content word (in English only before
    "nothing": "forgot nothing"). Words right after the negator that make the clause
    behind them the negated thing ("not because I forgot", "it's not that I can't
    remember", "ikke det at jeg ikke husker") are a ``bridge``: the scope goes on past
    them, and a concept in it is denied (``denied_concepts``: "husker ikke" ->
    neg_glemme), as is a concept that is the first thing the negator governs ("not gone
    from my head", "har ikke funnet passordet"). ``negated_concepts`` are denied anywhere
    in a scope ("can't find it": the password not recovered).
    """

    def __init__(self, language: str) -> None:
        settings = _settings()[language]
        self.negators = frozenset(settings["negators"])
        self.not_first = frozenset(settings["not_first"])
        self.interjections = frozenset(settings["interjections"])
        self.boundaries = frozenset(settings["boundaries"])
        self.bridges = [tuple(phrase) for phrase in settings["bridges"]]
        # Bridges of a reason that do not follow a negated modal ("can't because ...").
        self.reason_bridges = frozenset(settings.get("reason_bridges", []))
        self.reason_not_after = frozenset(settings.get("reason_not_after", []))
        # How many words before the negator may be that verb: Norwegian puts the verb before
        # "ikke", a subject pronoun possibly between ("går ikke fordi", "kan jeg ikke fordi").
        self.reason_look_back = settings.get("reason_look_back", 1)
        self.denied: Dict[str, str] = settings["denied_concepts"]
        # A negated word read as another word rather than neg_<lemma> (Norwegian: "har ikke
        # glemt" -> minne_ok, which shares no letters' n-grams with the forgetting).
        self.negated_lemmas: Dict[str, str] = settings.get("negated_lemmas", {})
        self.negated: Dict[str, str] = settings.get("negated_concepts", {})
        self.unmarked = frozenset(settings["unmarked"])
        self.people = frozenset(_settings()["people"])
        self.look_back = settings["look_back"]
        # The negators that look back; all of them when the list is not given.
        self.look_back_negators = frozenset(settings.get("look_back_negators", self.negators))
        # A verb a look-back negator denies that reads as another word: "I remember nothing"
        # is forgetting (session 17).
        denied_by_look_back = settings.get("look_back_readings", {})
        self.look_back_reading_negators = frozenset(denied_by_look_back.get("negators", []))
        self.look_back_readings: Dict[str, str] = denied_by_look_back.get("readings", {})
        self.max_scope = settings["max_scope"]
        # Session 21: a negating preposition ("uten") governs only its noun phrase unless a
        # clause follows it ("uten å ha glemt det"): in "uten den husker jeg det ikke" the
        # fronted phrase ends before the verb, whose own "ikke" tells the forgetting.
        phrase = settings.get("phrase_negators", {})
        self.phrase_negators = frozenset(phrase.get("negators", []))
        self.phrase_clause_openers = frozenset(phrase.get("clause_openers", []))
        self.phrase_scope = phrase.get("scope", 1)
        ellipsis = settings["ellipsis"]
        self.auxiliaries = frozenset(ellipsis["auxiliaries"])
        self.answers = frozenset(ellipsis["answers"])
        self.antecedents: Dict[str, str] = ellipsis["antecedents"]
        self.after_ellipsis = frozenset(ellipsis["after"])
        # Session 17: a thought trailing off before the answer ("I know it... nope", "trodde jeg
        # hadde det... neida") takes it back as a contrast word does.
        self.trailing_off = frozenset(ellipsis.get("trailing_off", []))
        self.reach = ellipsis["reach"]
        self.concept_antecedents = frozenset(ellipsis.get("concept_antecedents", []))
        # "kan"/"kunne" is "know" only with nothing but its subject and object after it: "kan
        # jeg det? nei" denies knowing, "kan jeg bytte det selv? nei" a can (session 15).
        modal = ellipsis.get("modal", {})
        self.modal_antecedents = frozenset(modal.get("antecedents", []))
        self.known_objects = frozenset(modal.get("known_objects", []))
        # Session 15: a question the chatter answers with "no" ("forgot it? no, ...").
        answered = ellipsis.get("answered_question", {})
        self.question_marks = frozenset(answered.get("marks", []))
        self.answer_fillers = frozenset(answered.get("fillers", []))
        self.after_answer = self.after_ellipsis | frozenset(answered.get("after", []))
        # Norwegian: an empty clause begins a clause ("..., men det gjorde jeg ikke"), so in
        # "husker det, men liker det ikke" the verb "liker" keeps its own negation.
        self.ellipsis_at_clause_start = ellipsis.get("clause_start", False)
        # "Husker det gamle, men ikke det nye": a contrasted negation that denies an earlier
        # remembering for another thing (_read_contrasts); languages without it skip it.
        contrasted = settings.get("contrasted", {})
        self.contrast_words = frozenset(contrasted.get("contrasts", []))
        self.contrast_antecedents: Dict[str, str] = contrasted.get("antecedents", {})
        self.contrast_not_before = frozenset(contrasted.get("not_before", []))
        # Session 17: "I know my password but not my username": another thing than the password
        # named within the next words after the negator is not what is forgotten.
        self.contrast_other_things = frozenset(contrasted.get("other_things", []))
        # Session 20: only these negators, where listed ("not", never "no": "remembered it, no
        # reset needed" denies no password).
        self.contrast_negators = frozenset(contrasted.get("negators", []))
        # Session 20: after a looser contrast word (a comma, "just") only before the thing not
        # remembered ("..., not the password"), never before a clause ("husker det nå, ikke
        # trenger nytt" is no forgetting).
        self.loose_contrasts = frozenset(contrasted.get("loose_contrasts", []))
        self.loose_objects = frozenset(contrasted.get("loose_objects", []))
        self.sentence_ends = frozenset(contrasted.get("sentence_ends", []))
        # "Det er ikke systemet som tuller": a cleft whose relative clause the negator
        # denies (_cleft_relative); languages without it skip it.
        cleft = settings.get("cleft", {})
        self.cleft_copulas = frozenset(cleft.get("copulas", []))
        self.cleft_relatives = frozenset(cleft.get("relatives", []))
        self.cleft_reach = cleft.get("reach", 0)
        # "Har ikke glemt brukernavnet, bare passordet": after a denied forgetting, a contrast
        # word with only the password after it is the forgetting (_read_shifted_denials).
        shifted = settings.get("shifted_denial", {})
        self.shifted_denied = shifted.get("denied")
        self.shifted_contrasts = frozenset(shifted.get("contrasts", []))
        self.shifted_objects = frozenset(shifted.get("objects", []))
        self.shifted_reading = shifted.get("reading")
        # Session 18: "didn't I send one last week?", "har jeg ikke allerede en sak?": a question
        # opened by a negated verb before its subject asks for a yes; it denies nothing
        # (_opens_negative_question).
        negative_question = settings.get("negative_question", {})
        self.question_subjects = frozenset(negative_question.get("subjects", []))
        self.question_openers = frozenset(negative_question.get("openers", []))
        self.question_ends = self.sentence_ends | {"?"}

    def _is_negator(self, token: Token) -> bool:
        word = token.norm_
        if word not in self.negators or _in_concept(token):
            return False
        return not (
            word in self.not_first
            and all(before.norm_ in self.interjections for before in token.doc[: token.i])
        )

    def _ends_clause(self, token: Token) -> bool:
        return token.is_punct or token.norm_ in self.boundaries or token.is_space

    def _mark(self, token: Token, people: bool = False) -> bool:
        """Marks ``token`` if it is a content word; tells whether it was one.

        With ``people``, a person a concept pattern read ("colleague") is marked
        too: "not my colleague's" is the chatter's own account.
        """
        lemma = token.lemma_ or token.lower_
        person = people and lemma in self.people
        if (
            token.is_stop
            and not person
            or not token.is_alpha
            and not token.like_num
            or _in_concept(token)
            and not person
            or lemma.startswith(NEGATED_PREFIX)
        ):
            return False
        if token.norm_ not in self.unmarked and lemma.lower() not in self.unmarked:
            reading = self.negated_lemmas.get(lemma.lower())
            if reading is not None:
                token.lemma_ = reading
                token._.in_concept = True
            else:
                token.lemma_ = NEGATED_PREFIX + lemma.lower()
        return True

    def _closes_clause(self, doc: Doc, i: int, closing: Optional[FrozenSet[str]] = None) -> bool:
        """Whether nothing but closing words (``after_ellipsis`` unless given) follow ``i`` up
        to the clause's end."""
        closing = self.after_ellipsis if closing is None else closing
        for token in doc[i + 1 :]:
            if self._ends_clause(token):
                return True
            if not (token.is_alpha or token.like_num):
                continue  # an emoji after it ("no I don't 😩") closes nothing and opens nothing
            if token.norm_ not in closing:
                return False
        return True

    def _elliptic(self, doc: Doc, i: int) -> Optional[int]:
        """Where the empty clause of the negator or answer at ``i`` begins, if it is one.

        "(but) I didn't", "(men) det gjorde jeg ikke": only auxiliaries (in Norwegian
        also pronouns) between the clause's start and the negator, nothing after it.
        "..., but no", "men nei": an answer right after a contrast word.
        """
        token = doc[i]
        # (Only an answer or a negator can be one: asked first, the clause scan is rare.)
        if token.norm_ not in self.answers and not self._is_negator(token):
            return None
        question = self._answered_question(doc, i)
        if question is not None and self._closes_clause(doc, i, self.after_answer):
            return question
        if not self._closes_clause(doc, i):
            return None
        if token.norm_ in self.answers:
            before = doc[i - 1] if i > 0 else None
            if before is None or not (
                before.norm_ in self.boundaries or before.text in self.trailing_off
            ):
                return None
            return i - 1
        if not self._is_negator(token):
            return None
        start = i
        while start > 0 and doc[start - 1].norm_ in self.auxiliaries:
            start -= 1
        if self.ellipsis_at_clause_start and start > 0 and not self._ends_clause(doc[start - 1]):
            return None
        return start if start < i else None

    def _answered_question(self, doc: Doc, i: int) -> Optional[int]:
        """Where the question that the answer or negator at ``i`` denies ends, if it is one.

        "Forgot it? no, I just want a new one", "do I know my password? honestly no",
        "har jeg glemt det? overhodet ikke": a "no" (or a negator) right after a question
        mark, with only ``answer_fillers`` between, denies the question's verb.
        """
        before = i - 1
        while before >= 0 and doc[before].norm_ in self.answer_fillers:
            before -= 1
        if before < 1 or doc[before].norm_ not in self.question_marks:
            return None
        return before

    def _read_ellipses(self, doc: Doc) -> None:
        """Gives an empty negation the reading of the verb it points back to.

        "So sure I'd remember it, but I didn't": the remembering is denied, so the
        verb and the negator both get the lemma "forget"; "I thought I'd forgotten
        it but I didn't" gets "neg_forget". Runs before the scopes, which then leave
        these words alone.
        """
        for token in doc:
            start = self._elliptic(doc, token.i)
            if start is None:
                continue
            asked = doc[start].norm_ in self.question_marks
            for earlier in reversed(doc[max(0, start - self.reach) : start]):
                if asked and earlier.is_punct:
                    # An answered question looks back to the question only.
                    break
                reading = self.antecedents.get(earlier.lemma_) or self.antecedents.get(
                    earlier.norm_
                )
                if reading is None:
                    continue
                if self._modal(doc, earlier):
                    break
                rereadable = not _in_concept(earlier) or earlier.lemma_ in self.concept_antecedents
                if rereadable and not earlier.lemma_.startswith(NEGATED_PREFIX):
                    for word in (earlier, token):
                        word.lemma_ = reading
                        word._.in_concept = True
                break

    def _modal(self, doc: Doc, verb: Token) -> bool:
        """Whether ``verb`` is a modal ("can") rather than "know": an action follows it."""
        if verb.norm_ not in self.modal_antecedents:
            return False
        clause = itertools.takewhile(lambda t: not t.is_punct, doc[verb.i + 1 :])
        return any(t.norm_ not in self.known_objects for t in clause)

    def _read_contrasts(self, doc: Doc) -> None:
        """Gives a negator right after a contrast word the reading of a remembering before it.

        "Husker det gamle passordet, men ikke det nye", "jeg vet at jeg byttet det, men ikke
        hva jeg byttet til": what follows "men ikke" is what is not remembered, so the
        negator gets the antecedent's reading (glemme) and the earlier verb keeps its own.
        Not before a question of how ("husker det, men ikke hvordan jeg bytter"), and only
        within the sentence.
        """
        if not self.contrast_words:
            return
        for token in doc[2:-1]:
            i = token.i
            if (
                doc[i - 1].norm_ not in self.contrast_words
                or not self._is_negator(token)
                or (self.contrast_negators and token.norm_ not in self.contrast_negators)
                or (
                    doc[i - 1].norm_ in self.loose_contrasts
                    and doc[i + 1].norm_ not in self.loose_objects
                )
                or doc[i + 1].is_punct
                or doc[i + 1].norm_ in self.contrast_not_before
                or any(t.norm_ in self.contrast_other_things for t in doc[i + 1 : i + 4])
            ):
                continue
            for earlier in reversed(doc[max(0, i - 1 - self.reach) : i - 1]):
                if earlier.norm_ in self.sentence_ends or self._is_negator(earlier):
                    break
                reading = self.contrast_antecedents.get(earlier.lemma_)
                if reading is None or _in_concept(earlier):
                    continue
                token.lemma_ = reading
                token._.in_concept = True
                break

    def __call__(self, doc: Doc) -> Doc:
        self._read_ellipses(doc)
        self._read_contrasts(doc)
        for negator in doc:
            if not self._is_negator(negator) or self._opens_negative_question(doc, negator.i):
                continue
            look_back = self.look_back if negator.norm_ in self.look_back_negators else 0
            if negator.norm_ in self.phrase_negators:
                look_back = 0  # "vil bytte uten å bli låst": the change is not denied
            for token in reversed(doc[max(0, negator.i - look_back) : negator.i]):
                reading = self.look_back_readings.get(token.lemma_)
                if reading and negator.norm_ in self.look_back_reading_negators:
                    token.lemma_ = reading
                    token._.in_concept = True
                    break
                if (
                    self._ends_clause(token)
                    or self._is_negator(token)
                    or token.lemma_ in self.people
                    or self._mark(token)
                ):
                    break
            start = negator.i + 1 + self._bridge_length(doc, negator.i + 1)
            bridged = start > negator.i + 1
            governs_first = True
            scope = self.max_scope
            if (
                negator.norm_ in self.phrase_negators
                and start < len(doc)
                and doc[start].norm_ not in self.phrase_clause_openers
            ):
                scope = self.phrase_scope
            for token in doc[start : start + scope]:
                if self._cleft_relative(doc, negator.i, token):
                    bridged = True
                    continue
                if self._ends_clause(token) or self._is_negator(token):
                    break
                if _in_concept(token) and token.lemma_ in self.negated:
                    token.lemma_ = self.negated[token.lemma_]
                    continue
                if _in_concept(token) and token.lemma_ in self.denied:
                    if bridged or governs_first:
                        token.lemma_ = self.denied[token.lemma_]
                    continue
                if self._mark(token, people=True):
                    governs_first = False
        self._read_shifted_denials(doc)
        return doc

    def _opens_negative_question(self, doc: Doc, negator: int) -> bool:
        """Whether the negator at ``negator`` belongs to a question that opens its sentence with
        the verb before its subject: "didn't I file one already?", "did I not send it?",
        "sendte jeg ikke inn en i forrige uke?". Such a question expects a yes (the request was
        filed), so its words are not negated. "Why didn't I get an e-mail?" is no such question:
        a question word stands before the verb."""
        if not self.question_subjects:
            return False
        if doc[negator - 1 : negator].text.lower() in self.question_subjects:
            verb = negator - 2  # "did I not", "har jeg ikke"
        elif doc[negator + 1 : negator + 2].text.lower() in self.question_subjects:
            verb = negator - 1  # "didn't I", "kan ikke jeg"
        else:
            return False
        if verb < 0 or not doc[verb].is_alpha or doc[verb].norm_ in self.boundaries:
            return False  # "hvis jeg ikke ...", "if I don't ...": a condition, no question
        opening = verb
        if opening > 0 and doc[opening - 1].norm_ in self.question_openers:
            opening -= 1
        if opening > 0 and not doc[opening - 1].is_punct:
            return False
        for token in doc[negator + 1 :]:
            if token.is_punct and token.text in self.question_ends:
                return token.text == "?"
        return False

    def _read_shifted_denials(self, doc: Doc) -> None:
        """Reads "har ikke glemt brukernavnet, bare passordet" as forgetting the password.

        A contrast word after a denied forgetting, followed only by words naming the password
        up to the clause's end ("glemte ikke koden, men passordet"), says what is forgotten:
        it gets the forgetting's reading.
        """
        if not self.shifted_denied:
            return
        denial = next((t.i for t in doc if t.lemma_ == self.shifted_denied), None)
        if denial is None:
            return
        for token in doc[denial + 1 :]:
            if token.norm_ not in self.shifted_contrasts:
                continue
            rest = []
            for word in doc[token.i + 1 :]:
                if word.is_punct:
                    break
                rest.append(word)
            if rest and len(rest) <= 3 and all(w.norm_ in self.shifted_objects for w in rest):
                token.lemma_ = self.shifted_reading
                token._.in_concept = True
            return

    def _cleft_relative(self, doc: Doc, negator: int, token: Token) -> bool:
        """Whether ``token`` is the relative word of a denied cleft: "det er ikke systemet
        som tuller", "det var ikke IT som rotet det til" (copula, negator, at most
        ``cleft_reach`` words, relative word). The relative clause is what is denied: the
        scope goes on past the relative word, as past a bridge."""
        return (
            token.norm_ in self.cleft_relatives
            and negator > 0
            and doc[negator - 1].norm_ in self.cleft_copulas
            and 0 < token.i - negator - 1 <= self.cleft_reach
            and not any(self._ends_clause(t) for t in doc[negator + 1 : token.i])
        )

    def _bridge_length(self, doc: Doc, i: int) -> int:
        """How many words of a bridge ("because", "det at") begin at ``i``; 0 for none.

        A reason ("because", "since") is no bridge after a negated modal or auxiliary
        ("I can't because I've forgotten it", "det går ikke fordi jeg har glemt det": the
        reason stands, only the doing is denied); the verb may stand up to
        ``reason_look_back`` words before the negator, within its clause. After a copula it
        is one ("it's not because I forgot", "det er ikke fordi jeg har glemt det").
        """
        if i < len(doc) and doc[i].norm_ in self.reason_bridges and i > 0:
            negator = doc[i - 1]
            if negator.norm_ in self.reason_not_after:
                return 0
            for before in reversed(doc[max(0, negator.i - self.reason_look_back) : negator.i]):
                if self._ends_clause(before):
                    break
                if before.norm_ in self.reason_not_after:
                    return 0
        for phrase in self.bridges:
            words = doc[i : i + len(phrase)]
            if len(words) == len(phrase) and all(t.norm_ == word for t, word in zip(words, phrase)):
                return len(phrase)
        return 0
