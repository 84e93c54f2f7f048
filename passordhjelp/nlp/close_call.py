"""A close call between change_password and forgot_password, read as a question instead.

Sending a chatter who forgot their password to the self-service change steps, or one
who knows it to an admin, is the confusion the assistant must never make
(``passordhjelp.nlu_evaluation.CRITICAL_PAIRS``); password_help asks "Do you still
know your current password?" and lets the chatter's answer pick the path. The second
opinion of a classifier on word features only
(``components.second_opinion.SecondOpinionGuard``, session 13) asks too (``asked``).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List

CLOSE_PAIR = frozenset({"change_password", "forgot_password"})
ASK_INTENT = "password_help"


def pooled_into(
    intent: str, pooled: Iterable[str], ranking: List[Dict[str, Any]]
) -> List[Dict[str, Any]]:
    """The ranking with ``intent`` first, holding the confidence of every intent in ``pooled``
    together; the other intents follow as they were."""
    pooled = frozenset(pooled) | {intent}
    confidence = sum(r.get("confidence") or 0.0 for r in ranking if r.get("name") in pooled)
    rest = [r for r in ranking if r.get("name") not in pooled]
    return [{"name": intent, "confidence": confidence}] + rest


def asked(ranking: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The ranking with password_help first, holding the confidence of change, forgot and
    password_help together (so the question is not sent to the fallback)."""
    return pooled_into(ASK_INTENT, CLOSE_PAIR, ranking)


def close_call(ranking: List[Dict[str, Any]], margin: float) -> List[Dict[str, Any]]:
    """The ranking with password_help first when change and forgot lead it within
    ``margin`` of each other; otherwise the ranking unchanged."""
    if len(ranking) < 2 or {r.get("name") for r in ranking[:2]} != CLOSE_PAIR:
        return ranking
    first, second = (r.get("confidence") or 0.0 for r in ranking[:2])
    if first - second >= margin:
        return ranking
    return asked(ranking)
