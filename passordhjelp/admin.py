"""Admin command for the helpdesk: see and work reset requests.

python -m passordhjelp.admin list [--status open] [--older-than 2h]
python -m passordhjelp.admin show PH-7K3QXA
python -m passordhjelp.admin take|resolve PH-7K3QXA
python -m passordhjelp.admin reject PH-7K3QXA --reason "not a user in our tenant"
python -m passordhjelp.admin notifications [retry [ID ...]] | audit
python -m passordhjelp.admin stats [--days 14] [--chart outcomes.png]
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from datetime import date, datetime, time, timedelta
from typing import Dict, List, Optional, Sequence

from passordhjelp import helpdesk_stats
from passordhjelp.bootstrap import Services, services
from passordhjelp.config import ConfigError
from passordhjelp.helpdesk import Actor, Handling, Move, MoveOutcome, require_helpdesk
from passordhjelp.identity import printable
from passordhjelp.notifications import Kind
from passordhjelp.outcomes import Outcome
from passordhjelp.reset_requests import (
    RequestNotFound,
    ResetRequest,
    Status,
    StoreUnavailable,
    utcnow,
)

ARTICLE_STEPS = (
    "In the Microsoft 365 admin center: Users > Active users, select the user, Reset password."
)
_DURATION = re.compile(r"^(\d+)([mhd])$")
_SECONDS = {"m": 60, "h": 3600, "d": 86400}


def _duration(text: str) -> int:
    match = _DURATION.match(text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(
            f"use a number and m, h or d (like 30m, 2h, 1d), not {text!r}"
        )
    return int(match.group(1)) * _SECONDS[match.group(2)]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m passordhjelp.admin", description="See and work password reset requests."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="list requests, oldest first")
    listing.add_argument(
        "--status",
        action="append",
        choices=[s.value for s in Status],
        help="only these statuses (repeatable); default: open and in_progress",
    )
    listing.add_argument("--all", action="store_true", help="every status")
    listing.add_argument(
        "--older-than",
        type=_duration,
        metavar="AGE",
        help="only requests older than AGE (30m, 2h, 1d)",
    )
    for name in ("show", "take", "resolve"):
        commands.add_parser(name, help=f"{name} a request").add_argument("reference")
    notifications = commands.add_parser(
        "notifications", help="helpdesk notifications that could not be delivered"
    )
    notifications.add_argument(
        "retry", nargs="?", choices=["retry"], help="queue them again (all, or the IDs given)"
    )
    notifications.add_argument("ids", nargs="*", type=int, metavar="ID")
    commands.add_parser("audit", help="the latest request decisions")
    stats = commands.add_parser("stats", help="conversation outcomes per day (no text kept)")
    stats.add_argument("--days", type=int, default=14, help="how many days back (default 14)")
    stats.add_argument("--chart", metavar="PNG", help="also write a bar chart to this file")
    reject = commands.add_parser("reject", help="reject a request, with a reason")
    reject.add_argument("reference")
    reject.add_argument("--reason", required=True, help="why (shown to admins, kept short)")
    return parser


def _row(request: ResetRequest) -> str:
    age = request.age()
    hours, rest = divmod(int(age.total_seconds()), 3600)
    return (
        f"{request.reference:10} {request.status.value:12} {hours:4d}h{rest // 60:02d}m  "
        f"{request.language:3} {request.channel}:{printable(request.sender_id)}"
    )


def _details(request: ResetRequest, handling: Handling) -> str:
    lines = [
        f"Reference:  {request.reference}",
        f"Status:     {request.status.value}",
        f"Requester:  {printable(handling.requester_label(request))} (channel {request.channel})",
        f"Language:   {request.language}",
        f"Filed:      {request.created_at:%Y-%m-%d %H:%M} UTC",
        f"Updated:    {request.updated_at:%Y-%m-%d %H:%M} UTC",
    ]
    if handling.taken_by and handling.taken_at:
        lines.append(
            f"Taken:      {handling.taken_at:%Y-%m-%d %H:%M} UTC by {printable(handling.taken_by)}"
        )
    if handling.closed_by and handling.closed_at:
        lines.append(
            f"Closed:     {handling.closed_at:%Y-%m-%d %H:%M} UTC by "
            f"{printable(handling.closed_by)}"
        )
    if request.admin_note:
        lines.append(f"Note:       {request.admin_note}")
    if request.status.is_active:
        lines.append(f"To do:      {ARTICLE_STEPS}")
    return "\n".join(lines)


def _outcome_table(table: Dict[date, Dict[Outcome, int]]) -> str:
    header = f"{'day':10} " + " ".join(f"{o.value:>20}" for o in Outcome)
    rows = [
        f"{day:%Y-%m-%d} " + " ".join(f"{counts[o]:>20d}" for o in Outcome)
        for day, counts in table.items()
    ]
    return "\n".join([header, *rows]) if rows else "No outcomes counted yet."


def _handling_table(
    weekly: Dict[str, Dict[str, helpdesk_stats.Durations]], channels: Dict[str, int]
) -> str:
    """Time to take and to resolve per week of filing, and requests per channel."""
    if not weekly:
        return "No requests filed in this period."
    hours = helpdesk_stats.hours
    lines = [
        f"{'week':9} {'taken':>6} {'take median':>12} {'take p90':>9} "
        f"{'resolved':>9} {'resolve median':>15} {'resolve p90':>12}"
    ]
    for week, times in weekly.items():
        take, resolve = times["take"], times["resolve"]
        lines.append(
            f"{week:9} {take.count:6d} {hours(take.median):>12} {hours(take.p90):>9} "
            f"{resolve.count:9d} {hours(resolve.median):>15} {hours(resolve.p90):>12}"
        )
    lines.append("Requests by channel: " + ", ".join(f"{c} {n}" for c, n in channels.items()))
    return "\n".join(lines)


def _outcome_chart(
    table: Dict[date, Dict[Outcome, int]],
    weekly: Dict[str, Dict[str, helpdesk_stats.Durations]],
    path: str,
) -> None:
    """Stacked bars per day, one colour per outcome; beside them, hours to take and to
    resolve per week (median and 90th percentile)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = list(table)
    figure, (axes, times) = plt.subplots(
        1,
        2,
        figsize=(max(6, len(days) * 0.8) + 5, 4),
        gridspec_kw={"width_ratios": [max(6, len(days)), 5]},
    )
    bottom = [0] * len(days)
    for outcome in Outcome:
        values = [table[day][outcome] for day in days]
        axes.bar([f"{d:%m-%d}" for d in days], values, bottom=bottom, label=outcome.value)
        bottom = [b + v for b, v in zip(bottom, values)]
    axes.set_title("Passordhjelp: conversation outcomes per day")
    axes.legend(fontsize="small", loc="upper left")
    weeks = list(weekly)
    for offset, (what, share) in enumerate(
        [("take", "median"), ("take", "p90"), ("resolve", "median"), ("resolve", "p90")]
    ):
        week_hours = [
            (getattr(weekly[w][what], share) or timedelta()).total_seconds() / 3600 for w in weeks
        ]
        times.bar(
            [i + offset * 0.2 for i in range(len(weeks))],
            week_hours,
            width=0.2,
            label=f"{what} {share}",
        )
    times.set_xticks([i + 0.3 for i in range(len(weeks))], weeks)
    times.set_ylabel("hours")
    times.set_title("Time to take and to resolve, per week")
    times.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def run(argv: Sequence[str], app: Services) -> int:
    """Run one admin command; returns the process exit code."""
    args = _parser().parse_args(argv)
    requests = app.requests
    try:
        if args.command == "list":
            statuses: Optional[List[Status]] = None
            if not args.all:
                statuses = (
                    [Status(s) for s in args.status]
                    if args.status
                    else [Status.OPEN, Status.IN_PROGRESS]
                )
            found = requests.list(statuses=statuses, older_than_seconds=args.older_than)
            if not found:
                print("No requests.")
            for request in found:
                print(_row(request))
        elif args.command == "notifications" and args.retry:
            count = app.notifier.retry_failed(args.ids or None)
            print(f"{count} notification(s) queued again; the action server delivers them.")
        elif args.command == "notifications":
            failed = app.notifier.failed()
            print(
                "No failed notifications."
                if not failed
                else "\n".join(
                    f"#{n.id} {_kind_of(n.kind, n.target):14} {n.created_at:%Y-%m-%d %H:%M} "
                    f"attempts={n.attempts} error={n.last_error} {n.payload.get('reference', '')}"
                    for n in failed
                )
            )
        elif args.command == "audit":
            for entry in requests.audit_log(limit=50):
                print(
                    f"{entry.at:%Y-%m-%d %H:%M:%S} {entry.decision.value:22} "
                    f"{entry.channel or '-'}:{printable(entry.sender_id or '-')} "
                    f"{entry.reference or ''}"
                )
        elif args.command == "stats":
            since = utcnow().date() - timedelta(days=args.days - 1)
            table = app.outcomes.table(since=since)
            print(_outcome_table(table))
            start = datetime.combine(since, time.min)
            rows = require_helpdesk(app.helpdesk).handling_times(since=start)
            weekly = helpdesk_stats.weekly_handling(rows)
            print(_handling_table(weekly, helpdesk_stats.by_channel(rows)))
            given, solved = helpdesk_stats.self_solved(
                app.outcomes.self_help_since(start), rows, now=utcnow()
            )
            print(
                f"Self-solved: {solved} of {given} conversations given the change steps or "
                "the self-service offer filed no request within 24 hours"
                + (f" ({solved / given:.0%})." if given else ".")
            )
            if args.chart:
                _outcome_chart(table, weekly, args.chart)
                print(f"Chart written to {args.chart}.")
        elif args.command == "show":
            print(_details(*require_helpdesk(app.helpdesk).details(args.reference)))
        else:
            return _move(app, args)
    except RequestNotFound:
        print(f"No request with reference {args.reference}.", file=sys.stderr)
        return 1
    except StoreUnavailable as error:
        print(f"The request database is unavailable: {error}", file=sys.stderr)
        return 3
    return 0


def _kind_of(kind: str, target: str) -> str:
    """A notification's kind, and for a helpdesk channel's message which channel."""
    return f"{kind} to {target}" if kind == Kind.HELPDESK_MESSAGE.value else kind


def _move(app: Services, args: argparse.Namespace) -> int:
    """take, resolve or reject through the same service as the helpdesk's chat buttons."""
    actor = Actor("admin", getpass.getuser())
    result = require_helpdesk(app.helpdesk).move(
        args.reference, Move(args.command), actor, reason=getattr(args, "reason", None)
    )
    if result.outcome is MoveOutcome.NOT_FOUND:
        raise RequestNotFound(args.reference)
    request, handling = result.request, result.handling
    if request is None:
        raise RuntimeError(f"{result.outcome.value} came back without the request")
    if result.outcome is MoveOutcome.DONE:
        print(f"{request.reference} is now {request.status.value}.")
        # Update the helpdesk message and tell the user now; what fails stays queued
        # for the action server's worker.
        app.notifier.deliver_due()
        return 0
    by = handling.closed_by or handling.taken_by if handling else None
    print(
        f"{request.reference} is {request.status.value}"
        + (f" ({by})" if by else "")
        + (
            "; nothing changed."
            if result.outcome is MoveOutcome.ALREADY
            else f"; {args.command} is not possible now."
        ),
        file=sys.stderr,
    )
    return 0 if result.outcome is MoveOutcome.ALREADY else 1


def main() -> int:
    try:
        app = services()
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    return run(sys.argv[1:], app)


if __name__ == "__main__":
    sys.exit(main())
