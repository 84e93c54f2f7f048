"""What a helpdesk lead asks of the request log: how fast requests are taken and resolved per
week (median and 90th percentile), where they come from, and how many conversations solved
themselves (ServiceNow's self-solved: self-help given, no request within 24 hours); counts
and durations only."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Dict, Iterable, List, Optional, Tuple

# (channel, sender id, filed, taken, closed, status) per request, as
# SqlHelpdeskStore.handling_times gives.
Row = Tuple[str, str, datetime, Optional[datetime], Optional[datetime], str]
SELF_SOLVED_WITHIN = timedelta(hours=24)


@dataclass(frozen=True)
class Durations:
    count: int
    median: Optional[timedelta]
    p90: Optional[timedelta]


def percentile(values: List[timedelta], share: float) -> Optional[timedelta]:
    """The nearest-rank percentile (``share`` 0.5 is the median) of ``values``."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _durations(values: List[timedelta]) -> Durations:
    return Durations(len(values), percentile(values, 0.5), percentile(values, 0.9))


def week_of(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_handling(rows: Iterable[Row]) -> Dict[str, Dict[str, Durations]]:
    """Per ISO week of filing: time to take and time to resolve (requests marked done)."""
    takes: Dict[str, List[timedelta]] = {}
    resolves: Dict[str, List[timedelta]] = {}
    for _, _, filed, taken, closed, status in rows:
        week = week_of(filed)
        takes.setdefault(week, [])
        resolves.setdefault(week, [])
        if taken is not None:
            takes[week].append(taken - filed)
        if closed is not None and status == "done":
            resolves[week].append(closed - filed)
    return {
        week: {"take": _durations(takes[week]), "resolve": _durations(resolves[week])}
        for week in sorted(takes)
    }


def by_channel(rows: Iterable[Row]) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for channel, *_ in rows:
        counts[channel] = counts.get(channel, 0) + 1
    return dict(sorted(counts.items()))


def requester_key(channel: str, sender_id: str) -> str:
    """A one-way key of a requester: the self-help log never holds the id itself."""
    return hashlib.sha256(f"{channel}:{sender_id}".encode("utf-8")).hexdigest()


def self_solved(
    self_help: Iterable[Tuple[str, datetime]], rows: Iterable[Row], *, now: datetime
) -> Tuple[int, int]:
    """(conversations given self-help at least 24 hours ago, those of them whose requester
    filed no request within 24 hours after it)."""
    filings: Dict[str, List[datetime]] = {}
    for channel, sender_id, filed, *_ in rows:
        filings.setdefault(requester_key(channel, sender_id), []).append(filed)
    given = solved = 0
    for key, at in self_help:
        if now - at < SELF_SOLVED_WITHIN:
            continue  # too recent to tell
        given += 1
        if not any(at <= filed <= at + SELF_SOLVED_WITHIN for filed in filings.get(key, ())):
            solved += 1
    return given, solved


def hours(value: Optional[timedelta]) -> str:
    return "-" if value is None else f"{value.total_seconds() / 3600:.1f}h"
