"""A close call between change_password and forgot_password, read as a question instead.

Sending a chatter who forgot their password to the self-service change steps, or one
who knows it to an admin, is the confusion the assistant must never make
(``passordhjelp.nlu_evaluation.CRITICAL_PAIRS``); password_help asks "Do you still
know your current password?" and lets the chatter's answer pick the path.
"""

from __future__ import annotations

from typing import Any, Dict, List

CLOSE_PAIR = frozenset({"change_password", "forgot_password"})
ASK_INTENT = "password_help"


def close_call(ranking: List[Dict[str, Any]], margin: float) -> List[Dict[str, Any]]:
    """The ranking with password_help first when change and forgot lead it within
    ``margin`` of each other; otherwise the ranking unchanged."""
    if len(ranking) < 2 or {r.get("name") for r in ranking[:2]} != CLOSE_PAIR:
        return ranking
    first, second = (r.get("confidence") or 0.0 for r in ranking[:2])
    if first - second >= margin:
        return ranking
    own = sum(r.get("confidence") or 0.0 for r in ranking[2:] if r.get("name") == ASK_INTENT)
    rest = [r for r in ranking[2:] if r.get("name") != ASK_INTENT]
    return [{"name": ASK_INTENT, "confidence": first + second + own}] + rest
