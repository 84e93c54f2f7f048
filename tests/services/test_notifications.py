"""Helpdesk notifications: what the webhook receives, retries, recorded failures, claims."""

import threading
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from passordhjelp import admin
from passordhjelp.bootstrap import Services
from passordhjelp.identity import Requester
from passordhjelp.notifications import DeliveryStatus, Notifier
from passordhjelp.outbox import RetryPolicy
from passordhjelp.repository import (
    SqlOutbox,
    SqlRequestStore,
    create_engine,
    notifications,
    request_decisions,
    reset_requests,
)
from passordhjelp.reset_requests import FileOutcome, ResetRequestService
from tests.services.test_helpdesk import Channel as RecordingChannel
from webhook_server import WebhookServer


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 25, 9, 0)

    def __call__(self):
        return self.now


@pytest.fixture
def webhook():
    server = WebhookServer()
    yield server
    server.close()


@pytest.fixture
def clock():
    return Clock()


def make(database_url, webhook, clock, webhook_format="slack", timeout=5.0,
         retry=RetryPolicy()):
    engine = create_engine(database_url)
    notifier = Notifier(SqlOutbox(engine), webhook_url=webhook.url, webhook_format=webhook_format,
                        clock=clock, timeout_seconds=timeout, retry=retry)
    service = ResetRequestService(SqlRequestStore(engine), reference_prefix="PH", clock=clock,
                                  notices_when_filed=notifier.filed_notices,
                                  notices_when_withdrawn=notifier.withdrawn_notices)
    return service, notifier


def test_notifications_withdrawn_request_tells_the_helpdesk_to_do_nothing(database_url, webhook,
                                                                          clock):
    service, notifier = make(database_url, webhook, clock)
    requester = Requester("slack", "T1:U2")
    request = service.file(requester, language="nb").request
    clock.now += timedelta(minutes=7)
    service.withdraw(requester)

    assert notifier.deliver_due() == 2
    [_, withdrawn] = webhook.received
    assert withdrawn["body"]["text"] == f"Password reset request {request.reference} withdrawn"
    text = str(withdrawn["body"])
    assert "T1:U2 (Slack) withdrew it 2026-11-25 09:07 UTC" in text
    assert "don't reset the password for this request" in text


@pytest.mark.parametrize("webhook_format", ["slack", "teams"])
def test_notifications_filed_request_reaches_the_helpdesk(database_url, webhook, clock,
                                                          webhook_format):
    service, notifier = make(database_url, webhook, clock, webhook_format)
    request = service.file(Requester("slack", "T1:U2"), language="nb").request

    assert webhook.received == []          # filing only queues
    assert notifier.deliver_due() == 1
    [post] = webhook.received
    text = str(post["body"])
    assert request.reference in text and "T1:U2 (Slack), language: Norwegian (Bokmål)" in text
    assert "Users > Active users, select the user, click Reset password" in text
    if webhook_format == "teams":
        assert post["body"]["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    else:
        assert post["body"]["text"] == f"Password reset request {request.reference}"
    assert notifier.deliver_due() == 0     # sent once only


def test_notifications_failures_back_off_to_the_limit_and_are_given_up_after_a_day(
        database_url, webhook, clock):
    policy = RetryPolicy(first_delay=timedelta(seconds=2), max_delay=timedelta(hours=1),
                         give_up_after=timedelta(days=1))
    service, notifier = make(database_url, webhook, clock, retry=policy)
    webhook.script = [500] * 40
    request = service.file(Requester("rest", "ola"), language="en").request
    queued_at = clock.now

    waits = []
    while not notifier.failed():
        before = len(webhook.received)
        notifier.deliver_due()
        assert len(webhook.received) == before + 1
        notifier.deliver_due()                      # not due again before the backoff
        assert len(webhook.received) == before + 1
        [pending] = notifier._outbox.by_status(DeliveryStatus.PENDING) or [None]
        if pending is None:
            break
        waits.append(_next_attempt(database_url) - clock.now)
        clock.now += waits[-1]

    assert waits[:4] == [timedelta(seconds=s) for s in (2, 4, 8, 16)]
    assert max(waits) == timedelta(hours=1)
    assert clock.now - queued_at == timedelta(days=1)      # given up a day after queueing
    [failed] = notifier.failed()
    assert failed.status is DeliveryStatus.FAILED and failed.attempts == len(webhook.received)
    assert failed.last_error == "HTTP 500" and failed.payload["reference"] == request.reference


def _next_attempt(database_url):
    with create_engine(database_url).connect() as connection:
        return connection.execute(sa.select(notifications.c.next_attempt_at)).scalar_one()


def test_notifications_admin_retry_queues_failed_rows_again(database_url, webhook, clock):
    service, notifier = make(database_url, webhook, clock,
                             retry=RetryPolicy(give_up_after=timedelta(seconds=1)))
    webhook.script = [500, 500]
    service.file(Requester("rest", "ola"), language="en")
    notifier.deliver_due()
    clock.now += timedelta(seconds=1)
    notifier.deliver_due()                  # the last try, at the give-up time
    [failed] = notifier.failed()

    app = Services(settings=None, requests=service, content=None, notifier=notifier,
                   outcomes=None)
    assert admin.run(["notifications", "retry", str(failed.id)], app) == 0
    assert notifier.failed() == []
    assert admin.run(["notifications", "retry"], app) == 0      # nothing failed: a no-op
    assert notifier.deliver_due() == 1
    assert len(webhook.received) == 3


def test_notifications_two_workers_post_each_row_exactly_once(database_url, webhook, clock):
    """Two action servers' workers on one database, with a slow webhook."""
    service, first = make(database_url, webhook, clock)
    _, second = make(database_url, webhook, clock)
    references = {service.file(Requester("rest", f"user{i}"), language="en").request.reference
                  for i in range(12)}
    webhook.delay = 0.05
    workers = [threading.Thread(target=w.deliver_due) for w in (first, second, first, second)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    posted = [post["body"]["text"].rsplit(" ", 1)[1] for post in webhook.received]
    assert sorted(posted) == sorted(references)
    assert first.deliver_due() + second.deliver_due() == 0


def test_notifications_a_dead_workers_rows_are_taken_over_after_the_lease(sqlite_url, webhook,
                                                                          clock):
    service, notifier = make(sqlite_url, webhook, clock)
    service.file(Requester("rest", "ola"), language="en")
    outbox = notifier._outbox
    [claim] = outbox.claim(clock.now, limit=5, lease=notifier.lease,
                           routes=notifier.routes)   # and then it died

    assert notifier.deliver_due() == 0                  # held by the other worker
    clock.now += notifier.lease
    assert notifier.deliver_due() == 1
    assert not outbox.mark_sent(claim, at=clock.now)    # the old claim records nothing
    assert len(webhook.received) == 1


def test_notifications_filing_commits_request_audit_and_notice_together(database_url, webhook,
                                                                        clock):
    engine = create_engine(database_url)
    _, notifier = make(database_url, webhook, clock)
    service = ResetRequestService(SqlRequestStore(engine), reference_prefix="PH", clock=clock,
                                  notices_when_filed=notifier.filed_notices)
    filed = service.file(Requester("rest", "ola"), language="en")
    with engine.connect() as connection:
        counts = [connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                  for t in (reset_requests, request_decisions, notifications)]
    assert filed.outcome is FileOutcome.FILED and counts == [1, 1, 1]

    # A notice that can't be stored (payload not JSON) takes the request down with it.
    service = ResetRequestService(SqlRequestStore(engine), reference_prefix="PH", clock=clock,
                                  notices_when_filed=lambda request: _unstorable(notifier, request))
    with pytest.raises(TypeError):
        service.file(Requester("rest", "kari"), language="en")
    with engine.connect() as connection:
        counts = [connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                  for t in (reset_requests, request_decisions, notifications)]
    assert counts == [1, 1, 1]


def _unstorable(notifier, request):
    return [replace(notice, payload={"not json": object()})
            for notice in notifier.filed_notices(request)]


def test_notifications_timeout_counts_as_a_failed_attempt(sqlite_url, webhook, clock):
    service, notifier = make(sqlite_url, webhook, clock, timeout=0.3)
    webhook.script = ["hang"]
    service.file(Requester("rest", "ola"), language="en")

    assert notifier.deliver_due() == 0
    webhook.release.set()
    clock.now += timedelta(seconds=3)
    assert notifier.deliver_due() == 1


def test_notifications_handoff_summary_has_names_not_text(sqlite_url, webhook, clock):
    _, notifier = make(sqlite_url, webhook, clock)
    notifier.handoff(Requester("rest", "ola"), language="en",
                     summary=["forgot_password", "utter_offer_reset_request", "human_handoff"])
    notifier.deliver_due()
    text = str(webhook.received[0]["body"])
    assert "forgot_password > utter_offer_reset_request > human_handoff" in text


def test_notifications_disabled_without_a_url(sqlite_url, clock):
    notifier = Notifier(SqlOutbox(create_engine(sqlite_url)), webhook_url=None,
                        webhook_format="slack", clock=clock)
    notifier.handoff(None, language="en", summary=[])
    assert not notifier.enabled and notifier.deliver_due() == 0


CANARY_SECRET = "canary-rasa-api-secret-0123456789abcdef"


def closed_request(database_url, notifier, clock):
    service = ResetRequestService(SqlRequestStore(create_engine(database_url)),
                                  reference_prefix="PH", clock=clock,
                                  notices_when_closed=notifier.closed_notices)
    from passordhjelp.reset_requests import Status
    request = service.file(Requester("socketio", "kari@contoso.no"), language="en").request
    return service.change_status(request.reference, Status.REJECTED)


def test_notifications_user_update_carries_the_rasa_token_in_a_header(sqlite_url, webhook,
                                                                       clock):
    import jwt
    notifier = Notifier(SqlOutbox(create_engine(sqlite_url)), webhook_url=None,
                        webhook_format="slack", rasa_url=webhook.url.removesuffix("/hook"),
                        rasa_token=CANARY_SECRET, clock=clock)
    closed_request(sqlite_url, notifier, clock)

    assert notifier.deliver_due() == 1
    [call] = webhook.received
    # unencoded: Rasa's route takes the raw path, so "%40" would name another conversation
    assert call["path"] == "/conversations/kari@contoso.no/execute?output_channel=latest"
    assert CANARY_SECRET not in call["path"]
    scheme, token = call["headers"]["Authorization"].split(" ")
    claims = jwt.decode(token, CANARY_SECRET, algorithms=["HS256"])
    # Good for that one conversation only, and briefly.
    assert scheme == "Bearer" and claims["user"] == {"username": "kari@contoso.no",
                                                     "role": "user"}
    assert claims["exp"] - claims["iat"] <= 300


def test_notifications_failures_keep_urls_and_tokens_out_of_logs_and_the_database(
        sqlite_url, clock, caplog):
    from tests.stack import free_port
    unreachable = f"http://127.0.0.1:{free_port()}"
    hook_secret = "B0CANARY/xyzCanaryHookSecret"
    notifier = Notifier(SqlOutbox(create_engine(sqlite_url)),
                        webhook_url=f"{unreachable}/services/T0/{hook_secret}",
                        webhook_format="slack", rasa_url=unreachable,
                        rasa_token=CANARY_SECRET, clock=clock,
                        retry=RetryPolicy(give_up_after=timedelta(0)))
    notifier.handoff(Requester("rest", "ola"), language="en", summary=["human_handoff"])
    closed_request(sqlite_url, notifier, clock)

    with caplog.at_level("DEBUG"):
        assert notifier.deliver_due() == 0

    failed = notifier.failed()
    assert len(failed) == 2 and {n.last_error for n in failed} == {"could not connect"}
    import sqlite3
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as db:
        stored = repr([row for table in ("notifications", "reset_requests")
                       for row in db.execute(f"select * from {table}")])
    for text in (stored, caplog.text):
        assert CANARY_SECRET not in text and hook_secret not in text and unreachable not in text


HOSTILE_REQUESTER = "<!channel> *boss*\n[click](https://evil.example)\x1b[31m_x_"


@pytest.mark.parametrize("webhook_format", ["slack", "teams"])
@pytest.mark.parametrize("kind", ["request_filed", "handoff"])
def test_notifications_requester_is_literal_text_in_the_target_format(webhook_format, kind):
    from passordhjelp.notifications import Kind, render
    facts = {"reference": "PH-1", "requester": HOSTILE_REQUESTER, "channel": "socketio",
             "language": "en", "filed": "2026-11-25 09:00 UTC", "summary": "human_handoff"}
    body = render(Kind(kind), facts, webhook_format)
    if webhook_format == "slack":
        text = body["blocks"][1]["text"]["text"]
        assert "&lt;!channel&gt;" in text and "<!channel>" not in text
    else:
        text = body["attachments"][0]["content"]["body"][1]["text"]
        assert r"\*boss\*" in text and r"\[click\]\(https://evil.example\)" in text
        assert r"\_x\_" in text
    requester_line = text.splitlines()[0]
    assert "\x1b" not in text and requester_line.startswith("Requester: ")
    assert "socketio" in requester_line  # the id stayed on its line


class SlowChannel:
    """An interactive helpdesk channel whose every publish takes 30 % of a worker's lease."""

    def __init__(self, clock, lease):
        self.clock, self.lease, self.published = clock, lease, []

    def publish(self, reference, *, posted_since):
        self.clock.now += self.lease * 0.3
        self.published.append(reference)

    def requester_label(self, reference):
        return None


def test_notifications_a_worker_stops_sending_before_its_lease_runs_out(database_url, clock):
    """Rows a slow worker could not reach in time go back to the queue instead of being
    sent while another worker may hold them."""
    engine = create_engine(database_url)
    lease = Notifier(SqlOutbox(engine), webhook_url=None, webhook_format="slack").lease
    channel = SlowChannel(clock, lease)
    notifier = Notifier(SqlOutbox(engine), webhook_url=None, webhook_format="slack",
                        helpdesk_channels={"slack": channel}, clock=clock)
    service = ResetRequestService(SqlRequestStore(engine), reference_prefix="PH", clock=clock,
                                  notices_when_filed=notifier.filed_notices)
    references = [service.file(Requester("rest", f"user{i}"), language="en").request.reference
                  for i in range(5)]

    assert notifier.deliver_due() == 2          # the third send would start past half the lease
    assert notifier.deliver_due() == 0          # the others are still claimed: nobody sends them
    while notifier._outbox.by_status(DeliveryStatus.PENDING):
        clock.now += lease                      # ... until the claim has run out
        notifier.deliver_due()

    assert sorted(channel.published) == sorted(references)      # each once


@pytest.mark.parametrize("sender_id", ["T1:U1", "29:abc@x", "kari@contoso.no",
                                       "a:b@c.example"])
def test_notifications_user_update_reaches_the_conversation_of_ids_with_colon_and_at(
        database_url, webhook, clock, sender_id):
    import jwt
    notifier = Notifier(SqlOutbox(create_engine(database_url)), webhook_url=None,
                        webhook_format="slack", rasa_url=webhook.url.removesuffix("/hook"),
                        rasa_token=CANARY_SECRET, clock=clock)
    service = ResetRequestService(SqlRequestStore(create_engine(database_url)),
                                  reference_prefix="PH", clock=clock,
                                  notices_when_closed=notifier.closed_notices)
    from passordhjelp.reset_requests import Status
    request = service.file(Requester("botframework", sender_id), language="nb").request
    service.change_status(request.reference, Status.DONE)

    assert notifier.deliver_due() == 1
    [call] = webhook.received
    # the id as Rasa's route reads it, and the token for that conversation
    assert call["path"] == f"/conversations/{sender_id}/execute?output_channel=latest"
    token = call["headers"]["Authorization"].split(" ")[1]
    assert jwt.decode(token, CANARY_SECRET, algorithms=["HS256"])["user"]["username"] == \
        sender_id


def test_notifications_an_older_database_gets_the_keys_and_their_unique_index(database_url,
                                                                              clock):
    """A database made before outbox keys: the columns and the index are added on first use."""
    from passordhjelp.outbox import OutboxEntry
    engine = create_engine(database_url)
    SqlOutbox(engine).by_status(DeliveryStatus.PENDING)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP INDEX notifications_once_per_key"))
        connection.execute(sa.text("DROP INDEX ix_notifications_delivery_group"))
        connection.execute(sa.text("ALTER TABLE notifications DROP COLUMN dedup_key"))
        connection.execute(sa.text("ALTER TABLE notifications DROP COLUMN delivery_group"))
    engine.dispose()

    outbox = SqlOutbox(create_engine(database_url))
    entry = OutboxEntry("helpdesk_message", "slack", {"reference": "PH-1"}, key="k1", group="g")
    outbox.add([entry], at=clock.now)
    outbox.add([entry, OutboxEntry("handoff", "helpdesk", {})], at=clock.now)

    assert [(n.kind, n.payload) for n in outbox.by_status(DeliveryStatus.PENDING)] == [
        ("helpdesk_message", {"reference": "PH-1"}), ("handoff", {})]


def test_notifications_a_row_for_a_channel_a_process_lacks_waits_for_one_that_has_it(
        database_url, clock, caplog):
    """Two action servers on one database: one has only the Slack settings, the other
    Slack and Teams. The first leaves the Teams card alone (no attempt, no error, its
    worker goes on) and says so in one line; the second delivers it."""
    engine = create_engine(database_url)
    slack_only, slack, teams = RecordingChannel(), RecordingChannel(), RecordingChannel()
    without_teams = Notifier(SqlOutbox(engine), webhook_url=None, webhook_format="slack",
                             helpdesk_channels={"slack": slack_only}, clock=clock)
    with_teams = Notifier(SqlOutbox(create_engine(database_url)), webhook_url=None,
                          webhook_format="slack", clock=clock,
                          helpdesk_channels={"slack": slack, "teams": teams})
    service = ResetRequestService(SqlRequestStore(engine), reference_prefix="PH", clock=clock,
                                  notices_when_filed=with_teams.filed_notices)
    reference = service.file(Requester("slack", "T1:U0KARI"), language="nb").request.reference

    with caplog.at_level("INFO", logger="passordhjelp"):
        assert without_teams.deliver_due() == 1            # its Slack message
        clock.now += timedelta(seconds=5)
        assert without_teams.deliver_due() == 0            # the card: still not its to send

    assert slack_only.published == [reference]
    [card] = without_teams._outbox.by_status(DeliveryStatus.PENDING)
    assert (card.target, card.attempts, card.last_error) == ("teams", 0, None)
    [line] = [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    assert line.getMessage() == (
        "outbox: 1 helpdesk_message to teams wait for a process configured to deliver them "
        "(this one delivers: helpdesk_message to slack)")
    assert reference not in caplog.text and "U0KARI" not in caplog.text

    assert with_teams.deliver_due() == 1
    assert (teams.published, slack.published) == ([reference], [])
    assert without_teams._outbox.by_status(DeliveryStatus.PENDING) == []


@pytest.fixture
def slack_api():
    from tests.channels.conftest import ProtocolServer
    server = ProtocolServer()
    yield server
    server.stop()


@pytest.mark.parametrize("error, to_do", [
    ("not_in_channel", "invite the app to the channel"),
    ("channel_not_found", "check HELPDESK_SLACK_CHANNEL"),
    ("is_archived", "unarchive the channel"),
])
def test_notifications_a_helpdesk_channel_the_bot_cant_post_in_fails_at_once_for_the_admin(
        sqlite_url, clock, slack_api, capsys, error, to_do):
    """No retry gets past these Slack errors: the row is failed at once (not tried for a
    day), and `admin notifications` says why and what to do; after that, a retry posts it."""
    from slack_sdk import WebClient

    from passordhjelp.helpdesk_slack import SlackHelpdesk
    from passordhjelp.repository import SqlHelpdeskStore
    from tests.channels.conftest import HELPDESK_SLACK_CHANNEL, SLACK_BOT_TOKEN

    engine = create_engine(sqlite_url)
    notifier = None
    service = ResetRequestService(
        SqlRequestStore(engine), reference_prefix="PH", clock=clock,
        notices_when_filed=lambda request: notifier.filed_notices(request))
    channel = SlackHelpdesk(WebClient(token=SLACK_BOT_TOKEN, base_url=f"{slack_api.url}/slack/api/"),
                            HELPDESK_SLACK_CHANNEL, requests_service=service,
                            store=SqlHelpdeskStore(engine), language="en")
    notifier = Notifier(SqlOutbox(engine), webhook_url=None, webhook_format="slack",
                        helpdesk_channels={"slack": channel}, clock=clock)
    slack_api.slack_post_errors = [error]
    reference = service.file(Requester("rest", "ola"), language="en").request.reference

    assert notifier.deliver_due() == 0
    [failed] = notifier.failed()
    assert failed.attempts == 1
    app = Services(settings=None, requests=service, content=None, notifier=notifier,
                   outcomes=None)
    capsys.readouterr()
    assert admin.run(["notifications"], app) == 0
    shown = capsys.readouterr().out
    assert f"#{failed.id} helpdesk_message to slack" in shown
    assert f"error=Slack: {error} for the helpdesk channel {HELPDESK_SLACK_CHANNEL}: {to_do}" \
        in shown
    assert "then run: python -m passordhjelp.admin notifications retry" in shown
    assert reference in shown

    assert admin.run(["notifications", "retry"], app) == 0
    assert notifier.deliver_due() == 1
    # the refused call, then the post that went through and was kept
    assert [p["text"] for p in slack_api.slack_posts(HELPDESK_SLACK_CHANNEL)] == [
        f"Password reset request {reference}"] * 2
    assert SqlHelpdeskStore(engine).handling(reference).posts["slack"]["channel"] == \
        HELPDESK_SLACK_CHANNEL
