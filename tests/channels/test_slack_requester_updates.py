"""A Slack requester hears about their request where they asked for it: in the channel
thread, or in their direct messages with the app. The Slack channel's output, as Rasa's API
uses it for a request update, against a local Slack Web API and the real database."""

from __future__ import annotations

import pytest

from channels.slack import GuardedSlackInput, reply_target
from passordhjelp import bootstrap
from passordhjelp.helpdesk import Contact, require_helpdesk
from passordhjelp.identity import Requester
from tests.channels.conftest import SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, ProtocolServer

KARI = "T0ACME:U0KARI"


@pytest.fixture
def slack():
    server = ProtocolServer()
    yield server
    server.stop()


@pytest.fixture
def app(monkeypatch, database_url):
    monkeypatch.setenv("DATABASE_URL", database_url)
    bootstrap.services.cache_clear()
    yield bootstrap.services()
    bootstrap.services.cache_clear()


def posted(slack: ProtocolServer) -> list:
    return [r.json for r in slack.recorded(lambda r: r.path == "/slack/api/chat.postMessage")]


@pytest.mark.parametrize(
    "reply_to, channel, thread_ts",
    [
        # asked in a channel: the bot answered in the thread of their message, and so now
        (
            {"channel": "C0GENERAL", "thread_ts": "1764450000.000100"},
            "C0GENERAL",
            "1764450000.000100",
        ),
        # asked in a direct message: no thread
        ({"channel": "D0KARI", "thread_ts": None}, "D0KARI", None),
        # nothing usable stored: the direct messages with the app (chat.postMessage to the user)
        ({}, "U0KARI", None),
        ({"channel": "<!channel>", "thread_ts": "1.2"}, "U0KARI", None),
        ({"channel": "C0GENERAL", "thread_ts": "not a ts"}, "U0KARI", None),
    ],
)
async def test_slack_requester_update_goes_to_the_thread_or_the_dm_they_asked_in(
    app, slack, reply_to, channel, thread_ts
):
    require_helpdesk(app.helpdesk).file(
        Requester("slack", KARI), language="nb", contact=Contact(reply_to=reply_to)
    )
    slack_input = GuardedSlackInput(
        SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, api_url=f"{slack.url}/slack/api/"
    )

    # What Rasa's /conversations/{id}/execute?output_channel=latest does
    output = slack_input.get_output_channel()
    await output.send_text_message(KARI, "Forespørselen PH-ABC234 er løst.")

    [body] = posted(slack)
    assert (body["channel"], body.get("thread_ts")) == (channel, thread_ts)
    assert body["text"] == "Forespørselen PH-ABC234 er løst."


async def test_slack_requester_update_goes_where_the_latest_request_was_asked(app, slack):
    helpdesk = require_helpdesk(app.helpdesk)
    first = helpdesk.file(
        Requester("slack", KARI),
        language="en",
        contact=Contact(reply_to={"channel": "C0OLD", "thread_ts": "1.000001"}),
    ).request
    app.requests.withdraw(Requester("slack", KARI))
    helpdesk.file(
        Requester("slack", KARI),
        language="en",
        contact=Contact(reply_to={"channel": "C0NEW", "thread_ts": "2.000002"}),
    )
    assert first.reference
    output = GuardedSlackInput(
        SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, api_url=f"{slack.url}/slack/api/"
    ).get_output_channel()

    await output.send_text_message(KARI, "one")
    await output.send_text_message("T0ACME:U0OLA", "two")  # someone with no request

    assert [(b["channel"], b.get("thread_ts")) for b in posted(slack)] == [
        ("C0NEW", "2.000002"),
        ("U0OLA", None),
    ]


def test_slack_reply_target_needs_a_slack_conversation_and_thread():
    assert reply_target(KARI, {"channel": "G0PRIVATE", "thread_ts": "3.4"}) == ("G0PRIVATE", "3.4")
    assert reply_target(KARI, {"channel": "C0X", "thread_ts": None}) == (KARI, None)
    assert reply_target(KARI, {"serviceUrl": "https://x", "conversation": {"id": "29:a"}}) == (
        KARI,
        None,
    )


@pytest.mark.parametrize("error", ["is_archived", "not_in_channel"])
async def test_slack_requester_update_falls_back_to_the_dm_when_the_channel_is_gone(
    app, slack, error
):
    require_helpdesk(app.helpdesk).file(
        Requester("slack", KARI),
        language="en",
        contact=Contact(reply_to={"channel": "C0GONE", "thread_ts": "1.000001"}),
    )
    slack.slack_post_errors = [error]
    output = GuardedSlackInput(
        SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, api_url=f"{slack.url}/slack/api/"
    ).get_output_channel()

    await output.send_text_message(KARI, "Your request PH-ABC234 is done.")

    assert [(b["channel"], b.get("thread_ts")) for b in posted(slack)] == [
        ("C0GONE", "1.000001"),  # refused by Slack
        ("U0KARI", None),
    ]
