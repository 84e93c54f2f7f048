"""A close call between change_password and forgot_password, read as a question instead.

Sending a chatter who forgot their password to the self-service change steps, or one
who knows it to an admin, is the confusion the assistant must never make
(``passordhjelp.nlu_evaluation.CRITICAL_PAIRS``); password_help asks "Do you still
know your current password?" and lets the chatter's answer pick the path.

Two safety nets (session 13, tests/nlu/README.md "Session 13: the change/forgot safety
net"): a wider margin for a message whose words are mixed (``mixed_signals``: a change
word, a word of knowing or forgetting and a negator or contrast), and the second opinion
of a classifier on word features only (``components.second_opinion.SecondOpinionGuard``),
whose disagreement is asked about (``asked``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, List, Optional

import yaml

CLOSE_PAIR = frozenset({"change_password", "forgot_password"})
ASK_INTENT = "password_help"
NEGATED = "neg_"


@lru_cache(maxsize=1)
def _cues() -> Dict[str, FrozenSet[str]]:
    words = yaml.safe_load((Path(__file__).with_name("close_call.yml")).read_text("utf-8"))
    return {kind: frozenset(str(word) for word in words[kind]) for kind in words}


def mixed_signals(lemmas: Iterable[str]) -> bool:
    """Whether a message's lemmas carry a change word, a word of knowing or forgetting,
    and a negator or contrast word (a negated word counts as both word and negator)."""
    cues = _cues()
    change = known = contrast = False
    for lemma in lemmas:
        word = lemma
        if lemma.startswith(NEGATED):
            word = lemma[len(NEGATED) :]
            contrast = True
        contrast = contrast or word in cues["contrast"]
        change = change or word in cues["change"]
        known = known or word in cues["know_or_forget"]
    return change and known and contrast


def asked(ranking: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The ranking with password_help first, holding the confidence of change, forgot and
    password_help together (so the question is not sent to the fallback)."""
    pooled = CLOSE_PAIR | {ASK_INTENT}
    confidence = sum(r.get("confidence") or 0.0 for r in ranking if r.get("name") in pooled)
    rest = [r for r in ranking if r.get("name") not in pooled]
    return [{"name": ASK_INTENT, "confidence": confidence}] + rest


def close_call(
    ranking: List[Dict[str, Any]],
    margin: float,
    lemmas: Optional[Iterable[str]] = None,
    mixed_margin: Optional[float] = None,
) -> List[Dict[str, Any]]:
    """The ranking with password_help first when change and forgot lead it within
    ``margin`` of each other (``mixed_margin`` when ``lemmas`` are ``mixed_signals``);
    otherwise the ranking unchanged."""
    if len(ranking) < 2 or {r.get("name") for r in ranking[:2]} != CLOSE_PAIR:
        return ranking
    first, second = (r.get("confidence") or 0.0 for r in ranking[:2])
    if mixed_margin is not None and lemmas is not None and mixed_signals(lemmas):
        margin = max(margin, mixed_margin)
    if first - second >= margin:
        return ranking
    return asked(ranking)
