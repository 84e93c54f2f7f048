"""The helpdesk's Slack message goes out once per request, however many workers deliver the
outbox: against a local Slack Web API, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta

import pytest
from slack_sdk import WebClient

from passordhjelp.helpdesk import Actor, Contact, HelpdeskService, Move
from passordhjelp.helpdesk_slack import SlackHelpdesk
from passordhjelp.identity import Requester
from passordhjelp.notifications import Notifier
from passordhjelp.outbox import DeliveryStatus, RetryPolicy
from passordhjelp.repository import SqlHelpdeskStore, SqlOutbox, SqlRequestStore, create_engine
from passordhjelp.reset_requests import ResetRequestService, Status, StoreUnavailable, utcnow
from tests.channels.conftest import (
    HELPDESK_SLACK_CHANNEL,
    SLACK_BOT_TOKEN,
    SLACK_PEOPLE,
    ProtocolServer,
)

ADA = Actor("slack", "T1:U0ADA", name="Ada Admin")


@pytest.fixture
def slack():
    server = ProtocolServer()
    yield server
    server.stop()


class Process:
    """One action server's services on the shared database: its own engine, Slack client,
    notifier and worker."""

    def __init__(self, database_url: str, slack: ProtocolServer, clock=utcnow,
                 store_type=SqlHelpdeskStore) -> None:
        engine = create_engine(database_url)
        self.store = store = store_type(engine)
        self.requests = ResetRequestService(
            SqlRequestStore(engine),
            reference_prefix="PH",
            clock=clock,
            notices_when_filed=lambda request: self.notifier.filed_notices(request),
            notices_when_closed=lambda request: self.notifier.closed_notices(request),
            notices_when_changed=lambda request: self.notifier.changed_notices(request),
        )
        channel = SlackHelpdesk(
            WebClient(token=SLACK_BOT_TOKEN, base_url=f"{slack.url}/slack/api/"),
            HELPDESK_SLACK_CHANNEL,
            requests_service=self.requests,
            store=store,
            language="en",
        )
        self.outbox = SqlOutbox(engine)
        self.notifier = Notifier(
            self.outbox,
            webhook_url=None,
            webhook_format="slack",
            helpdesk_channels={"slack": channel},
            clock=clock,
            retry=RetryPolicy(first_delay=timedelta(milliseconds=50)),
        )
        self.helpdesk = HelpdeskService(self.requests, store, self.notifier, clock=clock)
        self.outbox.by_status(DeliveryStatus.PENDING)  # the schema, before any race


def posts_about(slack: ProtocolServer, reference: str) -> list:
    return [p for p in slack.slack_posts(HELPDESK_SLACK_CHANNEL) if reference in p["text"]]


def test_helpdesk_slack_filings_racing_two_workers_post_each_request_once(database_url, slack):
    """Requests filed (with the requester's name and e-mail, as the web chat's token gives
    them) while two workers of two action servers deliver as fast as they can."""
    filer, workers = Process(database_url, slack), [Process(database_url, slack) for _ in range(2)]
    slack.slack_post_delay = 0.05  # a post takes a while: another worker can step in
    done, references = threading.Event(), []

    def file_requests():
        for i in range(12):
            contact = Contact(
                name=f"Kari {i}", email=f"kari.{i}@contoso.no", reply_to={"socket": "x"}
            )
            references.append(
                filer.helpdesk.file(
                    Requester("socketio", f"kari.{i}@contoso.no"),
                    language="nb",
                    message_id=f"m{i}",
                    contact=contact,
                ).request.reference
            )
        done.set()

    def deliver(process):
        while not (done.is_set() and not process.outbox.by_status(DeliveryStatus.PENDING)):
            process.notifier.deliver_due()
            time.sleep(0.002)

    threads = [threading.Thread(target=file_requests)] + [
        threading.Thread(target=deliver, args=(w,)) for w in workers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert len(references) == 12
    assert {r: len(posts_about(slack, r)) for r in references} == {r: 1 for r in references}
    # each message names the requester, as kept with the request
    for i, reference in enumerate(references):
        [post] = posts_about(slack, reference)
        assert f"Kari {i} <kari.{i}@contoso.no>" in str(post["blocks"])


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_helpdesk_slack_a_change_while_the_first_post_waits_to_be_retried_posts_once(
    database_url, slack
):
    """The first post failed and waits for its retry; an admin takes the request meanwhile.
    One worker finds the newer row due, the other the retried one: still one post."""
    start = datetime(2026, 11, 29, 9, 0)
    first, second = Clock(start), Clock(start)
    early, late = Process(database_url, slack, first), Process(database_url, slack, second)
    slack.slack_post_errors = ["internal_error"]
    reference = early.helpdesk.file(
        Requester("slack", "T1:U0KARI"), language="en", contact=Contact()
    ).request.reference
    assert early.notifier.deliver_due() == 0  # Slack failed: retried soon
    assert len(posts_about(slack, reference)) == 1  # (the fake records that try)
    assert early.helpdesk.move(reference, Move.TAKE, ADA).outcome.value == "done"
    second.now = start + timedelta(seconds=3)  # the retry is due for this one
    slack.slack_post_delay = 0.6

    def late_worker():
        time.sleep(0.3)  # the early worker has claimed what it could and is posting
        late.notifier.deliver_due()

    threads = [
        threading.Thread(target=early.notifier.deliver_due),
        threading.Thread(target=late_worker),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    first.now = second.now
    while early.outbox.by_status(DeliveryStatus.PENDING):
        assert early.notifier.deliver_due() + late.notifier.deliver_due() > 0

    assert len(posts_about(slack, reference)) == 1 + 1
    # the message ends showing the latest state, whichever worker sent what
    final = [u for u in slack.slack_calls("chat.update") if reference in u["text"]][-1]
    assert "Taken by Ada Admin" in str(final["blocks"])


def test_helpdesk_slack_the_same_version_queued_at_once_by_two_processes_is_one_row(
    database_url, slack
):
    one, other = Process(database_url, slack), Process(database_url, slack)
    request = one.helpdesk.file(
        Requester("socketio", "kari@contoso.no"),
        language="nb",
        message_id="m1",
        contact=Contact(name="Kari"),
    ).request
    # the same message's filing retried (the action server was killed after it filed)
    again = other.helpdesk.file(
        Requester("socketio", "kari@contoso.no"),
        language="nb",
        message_id="m1",
        contact=Contact(name="Kari"),
    )
    assert again.request.reference == request.reference
    barrier = threading.Barrier(8)

    def queue(process):
        barrier.wait()
        process.notifier.request_changed(request)

    threads = [threading.Thread(target=queue, args=(p,)) for p in (one, other) * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    pending = one.outbox.by_status(DeliveryStatus.PENDING)
    assert [(n.kind, n.payload["reference"]) for n in pending] == [
        ("helpdesk_message", request.reference)
    ]
    assert one.notifier.deliver_due() + other.notifier.deliver_due() == 1
    assert len(posts_about(slack, request.reference)) == 1
    assert "Kari" in str(posts_about(slack, request.reference)[0]["blocks"])


def test_helpdesk_slack_a_status_changed_outside_the_helpdesk_service_updates_the_message(
    sqlite_url, slack
):
    process = Process(sqlite_url, slack)
    request = process.requests.file(Requester("slack", "T1:U0KARI"), language="en").request
    process.notifier.deliver_due()

    process.requests.change_status(request.reference, Status.IN_PROGRESS)
    process.notifier.deliver_due()

    [update] = [u for u in slack.slack_calls("chat.update") if request.reference in u["text"]]
    facts = [f["text"] for b in update["blocks"] for f in b.get("fields", [])]
    assert "Status:\nin progress" in facts
    assert len(posts_about(slack, request.reference)) == 1


class BlippingStore(SqlHelpdeskStore):
    """The real store, on a database that is away for the first two writes of a post."""

    def __init__(self, engine) -> None:
        super().__init__(engine)
        self.failures = 2

    def save_post(self, reference, target, post):
        if self.failures:
            self.failures -= 1
            raise StoreUnavailable("connection refused")
        super().save_post(reference, target, post)


def test_helpdesk_slack_a_database_blip_after_posting_does_not_post_again(sqlite_url, slack):
    process = Process(sqlite_url, slack, store_type=BlippingStore)
    reference = process.helpdesk.file(
        Requester("slack", "T1:U0KARI"), language="en"
    ).request.reference

    assert process.notifier.deliver_due() == 1
    process.notifier.request_changed(process.requests.get(reference))  # queued already: nothing
    process.helpdesk.move(reference, Move.TAKE, ADA)
    assert process.notifier.deliver_due() == 1

    assert len(posts_about(slack, reference)) == 1
    assert (
        process.store.failures == 0
        and process.store.handling(reference).posts["slack"]["channel"] == HELPDESK_SLACK_CHANNEL
    )
    assert slack.slack_calls("conversations.history") == []  # nobody tried before: no look-up


class Killed(Exception):
    """The worker's process ends here: what is not written yet never will be."""


class DyingStore(SqlHelpdeskStore):
    """The real store, in a worker killed right after Slack took its post."""

    def save_post(self, reference, target, post):
        raise Killed()


def killed_after_posting(database_url, slack, clock) -> str:
    """A request whose first message a worker posted, then was killed before keeping its ts;
    returns the reference."""
    dying = Process(database_url, slack, clock, store_type=DyingStore)
    reference = dying.helpdesk.file(
        Requester("slack", "T1:U0KARI"), language="en", contact=Contact()
    ).request.reference
    with pytest.raises(Killed):
        dying.notifier.deliver_due()
    return reference


@pytest.mark.parametrize("newer_messages", [0, 450])
def test_helpdesk_slack_a_worker_killed_before_keeping_the_ts_is_not_posted_again(
    database_url, slack, newer_messages
):
    """Another worker takes the row once the dead worker's lease has run out, finds the
    message by its metadata in the channel's history (past people talking in the channel
    since, a few pages of it) and keeps it instead of posting a second one."""
    start = utcnow()
    clock = Clock(start)
    reference = killed_after_posting(database_url, slack, clock)
    [posted] = slack.slack_calls("chat.postMessage")
    assert posted["metadata"] == {
        "event_type": "password_reset_request",
        "event_payload": {"reference": reference},
    }
    for i in range(newer_messages):
        slack.slack_message(HELPDESK_SLACK_CHANNEL, f"message {i}")
    survivor = Process(database_url, slack, clock)
    assert survivor.notifier.deliver_due() == 0  # the dead worker's lease holds the row

    clock.now = start + survivor.notifier.lease + timedelta(seconds=1)
    assert survivor.notifier.deliver_due() == 1

    assert len(slack.slack_calls("chat.postMessage")) == 1
    assert len(slack.slack_calls("conversations.history")) == 1 + newer_messages // 200
    assert survivor.store.handling(reference).posts["slack"] == {
        "channel": HELPDESK_SLACK_CHANNEL,
        "ts": slack.slack_messages[HELPDESK_SLACK_CHANNEL][0]["ts"],
    }
    assert survivor.outbox.by_status(DeliveryStatus.PENDING) == []
    # the message found is brought up to date, and later changes update it
    survivor.helpdesk.move(reference, Move.TAKE, ADA)
    assert survivor.notifier.deliver_due() == 1
    assert len(slack.slack_calls("chat.postMessage")) == 1
    [message] = [m for m in slack.slack_messages[HELPDESK_SLACK_CHANNEL] if "metadata" in m]
    assert "Taken by Ada Admin" in str(message["blocks"])
    assert message["metadata"]["event_payload"] == {"reference": reference}


def test_helpdesk_slack_a_worker_killed_before_posting_is_posted_by_the_next(
    database_url, slack
):
    start = utcnow()
    clock = Clock(start)
    process = Process(database_url, slack, clock)
    reference = process.helpdesk.file(
        Requester("slack", "T1:U0KARI"), language="en", contact=Contact()
    ).request.reference
    # a worker claims the row and is killed before it posts
    assert len(process.outbox.claim(start, limit=20, lease=process.notifier.lease,
                                    routes=process.notifier.routes)) == 1

    clock.now = start + process.notifier.lease + timedelta(seconds=1)
    assert process.notifier.deliver_due() == 1

    assert len(slack.slack_calls("conversations.history")) == 1
    assert len(slack.slack_calls("chat.postMessage")) == 1
    assert process.store.handling(reference).posts["slack"]["ts"] == \
        slack.slack_messages[HELPDESK_SLACK_CHANNEL][0]["ts"]


@pytest.mark.parametrize("error, names_the_scope", [("missing_scope", True),
                                                     ("ratelimited", False)])
def test_helpdesk_slack_when_the_history_cant_be_read_the_message_is_posted(
    database_url, slack, caplog, error, names_the_scope
):
    """Without the history scope (or with Slack failing) the message goes out again rather
    than never, and the log says so in one line."""
    slack.slack_users = dict(SLACK_PEOPLE)  # (no other warning: Kari is found)
    start = utcnow()
    clock = Clock(start)
    reference = killed_after_posting(database_url, slack, clock)
    slack.slack_history_errors = [error]
    survivor = Process(database_url, slack, clock)
    clock.now = start + survivor.notifier.lease + timedelta(seconds=1)

    with caplog.at_level(logging.WARNING, logger="passordhjelp.helpdesk_slack"):
        assert survivor.notifier.deliver_due() == 1

    first, second = slack.slack_messages[HELPDESK_SLACK_CHANNEL]
    assert survivor.store.handling(reference).posts["slack"]["ts"] == second["ts"]
    [line] = [r.getMessage() for r in caplog.records
              if r.name == "passordhjelp.helpdesk_slack"]
    assert reference in line and error in line
    assert ("channels:history" in line) is names_the_scope


# One action server's delivery worker, wired by bootstrap from settings as in production.
WORKER = """
import json, pathlib, sys, time
from passordhjelp.bootstrap import build_services
from passordhjelp.config import load_settings
from passordhjelp.outbox import DeliveryStatus
env, stop = json.loads(sys.argv[1]), pathlib.Path(sys.argv[2])
notifier = build_services(load_settings(env)).notifier
while not (stop.exists() and not notifier._outbox.by_status(DeliveryStatus.PENDING)):
    notifier.deliver_due()
    time.sleep(0.002)
"""


@pytest.mark.slow  # two Python processes polling the outbox: about 10 s each
def test_helpdesk_slack_filings_racing_two_worker_processes_post_each_request_once(
    database_url, slack, tmp_path
):
    """As above, with the workers in two processes of their own."""
    from passordhjelp.bootstrap import build_services
    from passordhjelp.config import load_settings

    env = {
        "DATABASE_URL": database_url,
        "HELPDESK_SLACK_CHANNEL": HELPDESK_SLACK_CHANNEL,
        "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN,
        "SLACK_API_URL": f"{slack.url}/slack/api/",
    }
    app = build_services(load_settings(env))
    app.notifier.failed()  # the schema, before any race
    slack.slack_post_delay = 0.05
    stop = tmp_path / "stop"
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(env), str(stop)])
        for _ in range(2)
    ]
    references = []
    try:
        time.sleep(1.5)  # both workers polling
        for i in range(12):
            contact = Contact(name=f"Kari {i}", email=f"kari.{i}@contoso.no")
            references.append(
                app.helpdesk.file(
                    Requester("socketio", f"kari.{i}@contoso.no"), language="nb", contact=contact
                ).request.reference
            )
            time.sleep(0.03)
        stop.touch()
        for worker in workers:
            assert worker.wait(60) == 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()

    assert {r: len(posts_about(slack, r)) for r in references} == {r: 1 for r in references}
