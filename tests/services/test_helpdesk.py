"""The helpdesk's state machine on the real database: who may move a request, races, audit."""

from __future__ import annotations

import threading

import pytest

from passordhjelp.admin import run
from passordhjelp.helpdesk import Actor, Contact, HelpdeskService, Move, MoveOutcome
from passordhjelp.identity import Requester
from passordhjelp.notifications import Notifier
from passordhjelp.outbox import DeliveryStatus
from passordhjelp.repository import (SqlHelpdeskStore, SqlOutbox, SqlRequestStore,
                                     create_engine)
from passordhjelp.reset_requests import Decision, ResetRequestService, Status

KARI = Requester("socketio", "kari@contoso.no")
ADA = Actor("slack", "T1:U0ADA", name="Ada Admin", email="ada@contoso.no")
BO = Actor("botframework", "tenant:0b0", name="Bo Admin")


class Channel:
    """A helpdesk channel that records what it was asked to publish."""

    def __init__(self):
        self.published = []

    def publish(self, reference, *, posted_since):
        self.published.append(reference)

    def requester_label(self, reference):
        return None


@pytest.fixture
def world(database_url):
    engine = create_engine(database_url)
    outbox, channel = SqlOutbox(engine), Channel()
    notifier = Notifier(outbox, webhook_url=None, webhook_format="slack",
                        rasa_url="http://127.0.0.1:9", rasa_token="t",
                        helpdesk_channels={"slack": channel})
    store = SqlRequestStore(engine)
    requests = ResetRequestService(
        store, reference_prefix="PH",
        notices_when_filed=lambda request: notifier.filed_notices(request),
        notices_when_closed=lambda request: notifier.closed_notices(request))
    helpdesk = HelpdeskService(requests, SqlHelpdeskStore(engine), notifier)
    return helpdesk, requests, outbox, channel, notifier


def file(helpdesk, requester=KARI):
    contact = Contact(name="Kari Nordmann", email="kari@contoso.no",
                      reply_to={"conversation": "x"})
    return helpdesk.file(requester, language="nb", contact=contact).request


def kinds(outbox):
    return [(n.kind, n.target) for n in outbox.by_status(DeliveryStatus.PENDING)]


def test_helpdesk_filing_keeps_the_contact_and_queues_the_helpdesk_message(world):
    helpdesk, _, outbox, channel, notifier = world
    request = file(helpdesk)

    handling = helpdesk.handling(request.reference)
    assert (handling.requester_name, handling.requester_email) == ("Kari Nordmann",
                                                                    "kari@contoso.no")
    assert handling.reply_to == {"conversation": "x"}
    assert handling.requester_label(request) == \
        "Kari Nordmann <kari@contoso.no> (kari@contoso.no)"
    # queued once, in the filing's transaction, which also kept the contact
    assert kinds(outbox) == [("helpdesk_message", "slack")]
    notifier.deliver_due()
    assert channel.published == [request.reference]


def test_helpdesk_take_then_resolve_is_audited_with_the_actor_and_tells_the_user(world):
    helpdesk, requests, outbox, _, notifier = world
    request = file(helpdesk)

    taken = helpdesk.move(request.reference, Move.TAKE, ADA)
    resolved = helpdesk.move(request.reference.lower(), Move.RESOLVE, BO)

    assert (taken.outcome, resolved.outcome) == (MoveOutcome.DONE, MoveOutcome.DONE)
    assert requests.get(request.reference).status is Status.DONE
    handling = resolved.handling
    assert (handling.taken_by, handling.closed_by) == ("Ada Admin", "Bo Admin")
    assert handling.taken_at <= handling.closed_at
    audit = [(e.decision, e.channel, e.sender_id) for e in requests.audit_log(limit=5)]
    assert audit[:2] == [(Decision.RESOLVED, "botframework", "tenant:0b0"),
                         (Decision.TAKEN, "slack", "T1:U0ADA")]
    # filed, taken, resolved: one message row each, and the requester told once
    assert kinds(outbox) == [("helpdesk_message", "slack")] * 3 + [
        ("user_update", KARI.sender_id)]


def test_helpdesk_reject_keeps_the_reason_and_closed_requests_stay_closed(world):
    helpdesk, requests, _, _, _ = world
    request = file(helpdesk)

    rejected = helpdesk.move(request.reference, Move.REJECT, ADA, reason="  not our user  ")
    again = helpdesk.move(request.reference, Move.RESOLVE, BO)

    assert rejected.outcome is MoveOutcome.DONE
    assert requests.get(request.reference).admin_note == "not our user"
    assert again.outcome is MoveOutcome.NOT_ALLOWED
    assert again.handling.closed_by == "Ada Admin"


@pytest.mark.parametrize("actor", [
    Actor("socketio", "kari@contoso.no"),                          # the same verified id
    Actor("slack", "T1:U0KARI", name="Kari", email="KARI@contoso.no"),  # her e-mail elsewhere
])
def test_helpdesk_nobody_works_their_own_request(world, actor):
    helpdesk, requests, _, _, _ = world
    request = file(helpdesk)
    assert helpdesk.move(request.reference, Move.RESOLVE, actor).outcome is \
        MoveOutcome.OWN_REQUEST
    assert requests.get(request.reference).status is Status.OPEN


def test_helpdesk_a_repeated_click_changes_nothing(world):
    helpdesk, requests, _, _, _ = world
    request = file(helpdesk)
    helpdesk.move(request.reference, Move.TAKE, ADA)
    repeat = helpdesk.move(request.reference, Move.TAKE, ADA)
    assert repeat.outcome is MoveOutcome.ALREADY and repeat.handling.taken_by == "Ada Admin"
    assert [e.decision for e in requests.audit_log(limit=5)].count(Decision.TAKEN) == 1


def test_helpdesk_of_two_simultaneous_clicks_exactly_one_wins(world):
    helpdesk, requests, _, _, _ = world
    actors = [Actor("slack", f"T1:U0{i}", name=f"Admin {i}") for i in range(8)]
    for round_ in range(3):
        request = file(helpdesk, Requester("socketio", f"user{round_}@contoso.no"))
        start, results = threading.Barrier(len(actors)), []

        def click(reference, actor, start=start, results=results):
            start.wait()
            results.append(helpdesk.move(reference, Move.RESOLVE, actor))

        threads = [threading.Thread(target=click, args=(request.reference, a)) for a in actors]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        outcomes = sorted(r.outcome.value for r in results)
        assert outcomes == ["already"] * 7 + ["done"]
        winner = next(r for r in results if r.outcome is MoveOutcome.DONE).handling.closed_by
        assert {r.handling.closed_by for r in results} == {winner}  # the losers see who won
        resolved = [e for e in requests.audit_log(limit=50)
                    if e.reference == request.reference and e.decision is Decision.RESOLVED]
        assert len(resolved) == 1


def test_helpdesk_admin_command_moves_through_the_same_service(configured, capsys):
    request = configured.helpdesk.file(KARI, language="en", contact=Contact(
        name="Kari Nordmann", email="kari@contoso.no")).request

    assert run(["take", request.reference], configured) == 0
    assert run(["take", request.reference], configured) == 0       # already: nothing changes
    assert run(["resolve", request.reference], configured) == 0
    assert run(["reject", request.reference, "--reason", "late"], configured) == 1
    capsys.readouterr()
    assert run(["show", request.reference], configured) == 0
    out = capsys.readouterr().out
    assert "Requester:  Kari Nordmann <kari@contoso.no> (kari@contoso.no)" in out
    assert "Taken:" in out and "Closed:" in out and "by " in out
    assert [e.decision.value for e in configured.requests.audit_log(limit=3)][:2] == \
        ["resolved", "taken"]


def test_helpdesk_stats_give_take_and_resolve_times_per_week_and_requests_by_channel(
        sqlite_url):
    from datetime import datetime, timedelta

    from passordhjelp import helpdesk_stats

    now = [datetime(2026, 11, 23, 9, 0)]            # a Monday: ISO week 2026-W48
    engine = create_engine(sqlite_url)
    notifier = Notifier(SqlOutbox(engine), webhook_url=None, webhook_format="slack")
    store = SqlRequestStore(engine)
    requests = ResetRequestService(store, reference_prefix="PH", clock=lambda: now[0])
    helpdesk = HelpdeskService(requests, SqlHelpdeskStore(engine), notifier,
                               clock=lambda: now[0])
    # taken after 1, 2, ..., 10 hours and resolved an hour later; one web chat request
    # that nobody takes
    for hours in range(1, 11):
        now[0] = datetime(2026, 11, 23, 9, 0)
        reference = helpdesk.file(Requester("slack", f"T1:U{hours}"), language="en").request \
            .reference
        now[0] += timedelta(hours=hours)
        helpdesk.move(reference, Move.TAKE, ADA)
        now[0] += timedelta(hours=1)
        helpdesk.move(reference, Move.RESOLVE, ADA)
    now[0] = datetime(2026, 11, 30, 9, 0)           # week 49
    helpdesk.file(KARI, language="nb")

    rows = helpdesk.handling_times(since=datetime(2026, 11, 1))
    weekly = helpdesk_stats.weekly_handling(rows)

    take, resolve = weekly["2026-W48"]["take"], weekly["2026-W48"]["resolve"]
    assert (take.count, take.median, take.p90) == (10, timedelta(hours=5), timedelta(hours=9))
    assert (resolve.median, resolve.p90) == (timedelta(hours=6), timedelta(hours=10))
    assert weekly["2026-W49"]["take"] == helpdesk_stats.Durations(0, None, None)
    assert helpdesk_stats.by_channel(rows) == {"slack": 10, "socketio": 1}


def test_helpdesk_admin_stats_print_handling_times_and_channels(configured, tmp_path, capsys):
    reference = configured.helpdesk.file(KARI, language="en").request.reference
    configured.helpdesk.move(reference, Move.TAKE, ADA)
    chart = tmp_path / "stats.png"

    assert run(["stats", "--chart", str(chart)], configured) == 0

    out = capsys.readouterr().out
    assert "take median" in out and "resolve p90" in out
    assert "Requests by channel: socketio 1" in out
    assert "Self-solved: 0 of 0 conversations" in out
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_helpdesk_configuration_reads_channel_and_members():
    from passordhjelp.config import load_settings
    settings = load_settings({"HELPDESK_SLACK_CHANNEL": "C0HELP",
                              "HELPDESK_SLACK_MEMBERS": "U0ADA, U0BO",
                              "PASSORDHJELP_HELPDESK_LANGUAGE": "nb"})
    assert (settings.helpdesk_slack_channel, settings.helpdesk_slack_members,
            settings.helpdesk_language) == ("C0HELP", ("U0ADA", "U0BO"), "nb")


def test_helpdesk_self_solved_counts_self_help_without_a_request_within_a_day(sqlite_url):
    from datetime import datetime, timedelta

    from passordhjelp import helpdesk_stats
    from passordhjelp.outcomes import Outcome, OutcomeCounter
    from passordhjelp.repository import SqlOutcomeStore

    now = [datetime(2026, 11, 20, 9, 0)]
    engine = create_engine(sqlite_url)
    outcomes = OutcomeCounter(SqlOutcomeStore(engine), clock=lambda: now[0])
    requests = ResetRequestService(SqlRequestStore(engine), reference_prefix="PH",
                                   clock=lambda: now[0])
    ola, kari, per, new = (Requester("slack", f"T1:U{n}") for n in ("OLA", "KARI", "PER", "NEW"))

    outcomes.count(Outcome.CHANGE_STEPS_SHOWN, conversation=ola)     # then files: not solved
    outcomes.count(Outcome.SELF_SERVICE_OFFERED, conversation=kari)  # files 2 days later: solved
    outcomes.count(Outcome.CHANGE_STEPS_SHOWN, conversation=per)     # never files: solved
    outcomes.count(Outcome.FALLBACK, conversation=new)               # no self-help: not counted
    now[0] += timedelta(hours=5)
    requests.file(ola, language="en")
    now[0] += timedelta(days=2)
    requests.file(kari, language="en")
    outcomes.count(Outcome.CHANGE_STEPS_SHOWN, conversation=new)     # an hour ago: too early
    now[0] += timedelta(hours=1)

    since = datetime(2026, 11, 1)
    stored = outcomes.self_help_since(since)
    rows = HelpdeskService(requests, SqlHelpdeskStore(engine), Notifier(
        SqlOutbox(engine), webhook_url=None, webhook_format="slack")).handling_times(since=since)

    assert helpdesk_stats.self_solved(stored, rows, now=now[0]) == (3, 2)
    assert all(len(key) == 64 and "U" not in key for key, _ in stored)   # no ids kept
