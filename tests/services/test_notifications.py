"""Helpdesk notifications: what the webhook receives, retries, recorded failures."""

from datetime import datetime, timedelta

import pytest

from passordhjelp.identity import Requester
from passordhjelp.notifications import DeliveryStatus, Notifier
from passordhjelp.repository import SqlOutbox, SqlRequestStore, create_engine
from passordhjelp.reset_requests import ResetRequestService
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


def make(database_url, webhook, clock, webhook_format="slack", timeout=5.0):
    engine = create_engine(database_url)
    notifier = Notifier(SqlOutbox(engine), webhook_url=webhook.url, webhook_format=webhook_format,
                        clock=clock, timeout_seconds=timeout)
    service = ResetRequestService(SqlRequestStore(engine), reference_prefix="PH", clock=clock,
                                  on_filed=lambda r: notifier.request_filed(r, display_name=None))
    return service, notifier


@pytest.mark.parametrize("webhook_format", ["slack", "teams"])
def test_notifications_filed_request_reaches_the_helpdesk(database_url, webhook, clock,
                                                          webhook_format):
    service, notifier = make(database_url, webhook, clock, webhook_format)
    request = service.file(Requester("slack", "T1:U2"), language="nb").request

    assert webhook.received == []          # filing only queues
    assert notifier.deliver_due() == 1
    [post] = webhook.received
    text = str(post["body"])
    assert request.reference in text and "T1:U2" in text and "slack" in text and "nb" in text
    assert "Users > Active users, select the user, click Reset password" in text
    if webhook_format == "teams":
        assert post["body"]["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    else:
        assert post["body"]["text"] == f"Password reset request {request.reference}"
    assert notifier.deliver_due() == 0     # sent once only


def test_notifications_failures_are_retried_with_backoff_then_recorded(database_url, webhook,
                                                                       clock):
    service, notifier = make(database_url, webhook, clock)
    webhook.script = [500, 500, 500, 500, 500]
    request = service.file(Requester("rest", "ola"), language="en").request

    for attempt in range(1, 6):
        notifier.deliver_due()
        assert len(webhook.received) == attempt
        notifier.deliver_due()                      # not due again before the backoff
        assert len(webhook.received) == attempt
        clock.now += timedelta(seconds=2 ** attempt)

    [failed] = notifier.failed()
    assert failed.status is DeliveryStatus.FAILED and failed.attempts == 5
    assert failed.last_error == "HTTP 500" and failed.facts["reference"] == request.reference


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
                                  on_closed=notifier.request_closed)
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
    assert call["path"] == "/conversations/kari%40contoso.no/execute?output_channel=latest"
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
                        rasa_token=CANARY_SECRET, clock=clock, max_attempts=1)
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
