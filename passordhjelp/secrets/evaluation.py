"""Recall and false redaction of the secret detector on a labelled set, per language and kind.

A case is ``{text, language, kind, secrets: [exact substrings]}``; ``kind`` is
``none`` for a harmless message. A secret counts as caught only when the notice
is sent (something was removed), the exact secret no longer appears, and no
password-like part of it (a run of 4+ letters or digits that holds a digit or is
not a word) is left behind. A harmless message counts as falsely redacted when
anything in it was removed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Tuple

from passordhjelp.config import load_settings
from passordhjelp.message_guard import MessageGuard, RateLimiter
from passordhjelp.redaction import Redaction
from passordhjelp.secrets.words import vocabulary

_RUN = re.compile(r"[^\W_]{4,}")


@dataclass
class Tally:
    hits: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else float("nan")


@dataclass
class Report:
    """Aggregate figures only: per language and per kind."""

    recall: Dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    recall_by_kind: Dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    false_redaction: Dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: List[Tuple[Mapping, str]] = field(default_factory=list)
    false_alarms: List[Tuple[Mapping, str]] = field(default_factory=list)

    def lines(self) -> List[str]:
        """The figures as printable lines (no message text)."""
        out = []
        for language in sorted(set(self.recall) | set(self.false_redaction)):
            r, f = self.recall[language], self.false_redaction[language]
            out.append(
                f"{language}: recall {r.rate:.3f} ({r.hits}/{r.total} secrets), "
                f"false redaction {f.rate:.3f} ({f.hits}/{f.total} harmless)"
            )
        for kind, tally in sorted(self.recall_by_kind.items()):
            out.append(f"  {kind:<18} recall {tally.rate:.3f} ({tally.hits}/{tally.total})")
        return out


def _password_like_runs(secret: str) -> List[str]:
    words = vocabulary()
    return [
        run
        for run in _RUN.findall(secret)
        if any(c.isdigit() for c in run) or not words.is_word(run)
    ]


def secret_caught(text: str, secret: str, redaction: Redaction) -> bool:
    """Removed whole: the notice is sent and no password-like part of ``secret`` remains."""
    if not redaction.found or secret in redaction.text:
        return False
    outside = text.replace(secret, " ")
    return all(
        redaction.text.count(run) <= outside.count(run) for run in _password_like_runs(secret)
    )


def through_the_guard() -> Callable[[str], Redaction]:
    """What the channels do to a message (cleaning, length limit, redaction), without a rate limit."""
    guard = MessageGuard(
        max_length=load_settings().max_message_length,
        rate_limiter=RateLimiter(per_sender=10**9, per_address=10**9),
    )

    def inspect(text: str) -> Redaction:
        inspection = guard.inspect(text, channel="evaluation", sender_id="evaluation")
        return Redaction(inspection.text, inspection.secret_kinds)

    return inspect


def evaluate(
    cases: Iterable[Mapping],
    *,
    inspect: Optional[Callable[[str], Redaction]] = None,
    keep_cases: bool = False,
) -> Report:
    """Figures for ``cases``; with ``keep_cases`` also the missed and falsely redacted cases
    (for the generated corpus only: an independent set is judged on its figures alone)."""
    report = Report()
    inspect = inspect or through_the_guard()
    for case in cases:
        redaction = inspect(case["text"])
        language = case["language"]
        if not case["secrets"]:
            tally = report.false_redaction[language]
            tally.total += 1
            if redaction.found:
                tally.hits += 1
                if keep_cases:
                    report.false_alarms.append((case, redaction.text))
            continue
        for secret in case["secrets"]:
            caught = secret_caught(case["text"], secret, redaction)
            for tally in (report.recall[language], report.recall_by_kind[case["kind"]]):
                tally.total += 1
                tally.hits += caught
            if not caught and keep_cases:
                report.misses.append((case, redaction.text))
    return report
