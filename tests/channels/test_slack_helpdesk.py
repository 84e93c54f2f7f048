"""The helpdesk works in Slack: interactive request messages, clicks, the Reject modal, and
the requester hearing back; against the running servers and a local Slack Web API."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
import uuid

import pytest

from passordhjelp.bootstrap import build_services
from passordhjelp.config import load_settings
from passordhjelp.helpdesk import Contact
from passordhjelp.identity import Requester
from tests.channels.conftest import (HELPDESK_SLACK_CHANNEL, SLACK_BOT_TOKEN, SLACK_BOT_USER,
                                     SLACK_PEOPLE)
from tests.channels.test_slack import REPLIES, TEAM, event, new_id, new_ts, say_in_dm

pytestmark = pytest.mark.slow

ADA, BO, KARI, EVE = "U0ADA", "U0BO", "U0KARI", "U0EVE"
NORA, PER = "U0NORA", "U0PER"   # Slack in Norwegian: Nora in the helpdesk, Per not
REQUESTERS = {"en": KARI, "nb": "U0OLA"}
YES = {"en": "yes", "nb": "ja"}
LANGUAGES = {"en": "English", "nb": "Norwegian (Bokmål)"}
DONE = {"en": "an admin has reset your password", "nb": "En administrator har tilbakestilt"}
REJECTED = {"en": "was closed without a password reset", "nb": "ble avsluttet uten at passordet"}


@pytest.fixture(scope="module")
def helpdesk(channel_stack):
    """The services in this process, on the stack's database (the action server delivers)."""
    return build_services(load_settings({
        **channel_stack.env, "HELPDESK_SLACK_CHANNEL": HELPDESK_SLACK_CHANNEL,
        "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN})).helpdesk


def file(helpdesk, sender: str, channel: str = "rest", language: str = "en") -> str:
    request = helpdesk.file(Requester(channel, sender), language=language,
                            contact=Contact()).request
    return request.reference


def helpdesk_post(stack, reference: str) -> dict:
    """The message about ``reference`` the bot posted in the helpdesk channel."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        posts = [p for p in stack.protocols.slack_posts(HELPDESK_SLACK_CHANNEL)
                 if reference in p.get("text", "")]
        if posts:
            assert len(posts) == 1
            return posts[0]
        time.sleep(0.1)
    raise AssertionError(f"no helpdesk message about {reference}")


def updates(stack, reference: str) -> list:
    return [u for u in stack.protocols.slack_calls("chat.update")
            if reference in str(u.get("text"))]


def wait_for_update(stack, reference: str, showing: str) -> dict:
    """The first chat.update of ``reference``'s message whose facts show ``showing``."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [u for u in updates(stack, reference) if showing in fields(u)]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no update of {reference} showing {showing!r}: "
                         f"{[fields(u) for u in updates(stack, reference)]}")


def buttons(message: dict) -> list:
    return [(e["action_id"], e["value"]) for b in message["blocks"] if b["type"] == "actions"
            for e in b["elements"]]


def fields(message: dict) -> str:
    return "\n".join(f["text"] for b in message["blocks"] if b["type"] == "section"
                     for f in b.get("fields", []))


def click(stack, move: str, reference: str, user: str, *, action_ts: str = "",
          **signing) -> object:
    post = helpdesk_post(stack, reference)
    body = {"type": "block_actions", "user": {"id": user, "team_id": TEAM, "username": user},
            "team": {"id": TEAM}, "channel": {"id": HELPDESK_SLACK_CHANNEL},
            "trigger_id": new_id("tr"), "container": {"type": "message",
                                                      "message_ts": post.get("ts", "")},
            "message": {"ts": "1.0", "text": post["text"]},
            "actions": [{"type": "button", "action_id": f"helpdesk_{move}", "value": reference,
                         "block_id": f"helpdesk:{reference}", "action_ts": action_ts or new_ts()}]}
    return stack.slack(body, form=True, **signing)


def ephemerals(stack, user: str) -> list:
    return [c["text"] for c in stack.protocols.slack_calls("chat.postEphemeral")
            if c.get("user") == user]


def wait_for_ephemeral(stack, user: str, count: int) -> list:
    deadline = time.monotonic() + 20
    while len(ephemerals(stack, user)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return ephemerals(stack, user)


def status(stack, reference: str) -> tuple:
    with sqlite3.connect(stack.database_url.removeprefix("sqlite:///")) as db:
        return db.execute("select status, admin_note from reset_requests where reference = ?",
                          (reference,)).fetchone()


@pytest.mark.parametrize("language", ["en", "nb"])
def test_slack_helpdesk_request_from_slack_is_posted_worked_and_told_in_the_dm(channel_stack,
                                                                               language):
    phrases, channel = REPLIES[language], new_id("D")
    requester, (name, email) = REQUESTERS[language], SLACK_PEOPLE[REQUESTERS[language]]
    say_in_dm(channel_stack, requester, channel, phrases["forgot"], 2)
    say_in_dm(channel_stack, requester, channel, YES[language], 1)
    [filed] = say_in_dm(channel_stack, requester, channel, YES[language], 1)
    assert phrases["filed"] in filed["text"], filed["text"]
    reference = filed["text"].split("*")[1]

    post = helpdesk_post(channel_stack, reference)
    assert post["channel"] == HELPDESK_SLACK_CHANNEL
    assert f"{name} <{email}> (T0ACME:{requester})" in fields(post)  # from users.info
    assert f"Language:\n{LANGUAGES[language]}" in fields(post) and "Channel:\nSlack" in fields(post)
    assert buttons(post) == [("helpdesk_take", reference), ("helpdesk_resolve", reference),
                             ("helpdesk_reject", reference)]
    assert "Users > Active users" in str(post["blocks"])

    assert click(channel_stack, "take", reference, ADA).status_code == 200
    taken = wait_for_update(channel_stack, reference, "in progress. Taken by Ada Admin")
    assert (taken["channel"], taken["ts"]) == (HELPDESK_SLACK_CHANNEL, post_ts(channel_stack,
                                                                                reference))
    assert "in progress. Taken by Ada Admin" in fields(taken)
    assert [b[0] for b in buttons(taken)] == ["helpdesk_resolve", "helpdesk_reject"]

    before = len(channel_stack.protocols.slack_posts(channel))
    click(channel_stack, "resolve", reference, BO)
    resolved = wait_for_update(channel_stack, reference, "Closed by Bo Berg")
    assert "Closed by Bo Berg" in fields(resolved) and buttons(resolved) == []
    assert status(channel_stack, reference)[0] == "done"
    # the requester hears back in the direct message they asked in
    [told] = channel_stack.protocols.wait_for_slack_posts(channel, before + 1)[before:]
    assert DONE[language] in told["text"] and reference in told["text"]
    assert "thread_ts" not in told


def post_ts(stack, reference: str) -> str:
    """The ts the fake Slack gave the helpdesk message, as stored with the request."""
    with sqlite3.connect(stack.database_url.removeprefix("sqlite:///")) as db:
        posts = db.execute("select posts from request_handling where reference = ?",
                           (reference,)).fetchone()[0]
    return json.loads(posts)["slack"]["ts"]


def test_slack_helpdesk_a_stranger_and_the_requester_are_refused(channel_stack, helpdesk):
    reference = file(helpdesk, f"{TEAM}:{KARI}", channel="slack")
    helpdesk_post(channel_stack, reference)

    click(channel_stack, "resolve", reference, EVE)
    click(channel_stack, "take", reference, KARI)

    assert wait_for_ephemeral(channel_stack, EVE, 1)[-1] == \
        "Only members of the helpdesk can work reset requests."
    assert wait_for_ephemeral(channel_stack, KARI, 1)[-1] == \
        "You can't work your own reset request; another admin has to."
    time.sleep(1.5)
    assert status(channel_stack, reference) == ("open", None)
    assert updates(channel_stack, reference) == []


def test_slack_helpdesk_of_two_simultaneous_clicks_one_wins_and_the_other_sees_who(
        channel_stack, helpdesk):
    reference = file(helpdesk, f"simultaneous-{uuid.uuid4().hex[:6]}")
    helpdesk_post(channel_stack, reference)
    before = {u: len(ephemerals(channel_stack, u)) for u in (ADA, BO)}
    start = threading.Barrier(2)

    def resolve(user):
        start.wait()
        assert click(channel_stack, "resolve", reference, user).status_code == 200

    threads = [threading.Thread(target=resolve, args=(u,)) for u in (ADA, BO)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    final = wait_for_update(channel_stack, reference, "Closed by")
    time.sleep(2)
    winner = "Ada Admin" if "Closed by Ada Admin" in fields(final) else "Bo Berg"
    loser = BO if winner == "Ada Admin" else ADA
    told = ephemerals(channel_stack, loser)[before[loser]:]
    assert told == [f"{reference} is already done ({winner})."]
    assert ephemerals(channel_stack, ADA if loser == BO else BO)[before[ADA if loser == BO
                                                                        else BO]:] == []
    with sqlite3.connect(channel_stack.database_url.removeprefix("sqlite:///")) as db:
        assert db.execute("select count(*) from request_decisions where reference = ? and "
                          "decision = 'resolved'", (reference,)).fetchone() == (1,)


def test_slack_helpdesk_a_click_after_another_admin_closed_it_says_who(channel_stack, helpdesk):
    """Bo rejected it; Ada, on a message not yet updated, clicks Resolve: she is told who
    closed it (the refusal text the Teams cards use too, helpdesk_message.refusal)."""
    reference = file(helpdesk, f"late-{uuid.uuid4().hex[:6]}")
    helpdesk_post(channel_stack, reference)
    result = channel_stack.admin("reject", reference, "--reason", "Not ours")
    assert result.returncode == 0, result.stderr
    before = len(ephemerals(channel_stack, ADA))

    assert click(channel_stack, "resolve", reference, ADA).status_code == 200

    [told] = wait_for_ephemeral(channel_stack, ADA, before + 1)[before:]
    # who: the admin command's operating-system user
    assert re.fullmatch(rf"{reference} is rejected \(admin:[^)]+\); it can't be changed any more\.",
                        told), told
    assert status(channel_stack, reference) == ("rejected", "Not ours")


def test_slack_helpdesk_what_only_the_clicker_sees_is_in_their_slack_language(channel_stack,
                                                                             helpdesk):
    """An English helpdesk; Nora (a member) and Per (not) use Slack in Norwegian. Their
    refusals and Nora's Reject modal are in Norwegian, as Teams does it with the client's
    locale; the message everyone sees stays in the helpdesk's language."""
    reference = file(helpdesk, f"locale-{uuid.uuid4().hex[:6]}")
    helpdesk_post(channel_stack, reference)
    click(channel_stack, "take", reference, ADA)
    wait_for_update(channel_stack, reference, "Taken by Ada Admin")
    opened = len(channel_stack.protocols.slack_calls("views.open"))

    click(channel_stack, "take", reference, NORA)
    click(channel_stack, "resolve", reference, PER)
    assert click(channel_stack, "reject", reference, NORA).status_code == 200

    assert wait_for_ephemeral(channel_stack, NORA, 1) == [
        f"{reference} er allerede under behandling (Ada Admin)."]
    assert wait_for_ephemeral(channel_stack, PER, 1) == [
        "Bare medlemmer av brukerstøtten kan behandle forespørsler om nytt passord."]
    view = channel_stack.protocols.wait_for_slack_calls("views.open", opened + 1)[-1]["view"]
    assert (view["title"]["text"], view["submit"]["text"]) == (f"Avvis {reference}", "Avvis")
    assert view["blocks"][0]["label"]["text"] == "Hvorfor avvises den?"
    time.sleep(1)
    assert status(channel_stack, reference)[0] == "in_progress"
    assert all("Taken by Ada Admin" in fields(u) for u in updates(channel_stack, reference))


def test_slack_helpdesk_a_retried_click_is_done_once(channel_stack, helpdesk):
    reference = file(helpdesk, f"retried-{uuid.uuid4().hex[:6]}")
    helpdesk_post(channel_stack, reference)
    action_ts = new_ts()

    first = click(channel_stack, "take", reference, ADA, action_ts=action_ts)
    again = click(channel_stack, "take", reference, ADA, action_ts=action_ts,
                  headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})

    assert first.status_code == again.status_code == 200
    assert again.headers.get("X-Slack-No-Retry") == "1"
    wait_for_update(channel_stack, reference, "Taken by Ada Admin")
    time.sleep(1.5)
    assert len(updates(channel_stack, reference)) == 1
    assert status(channel_stack, reference)[0] == "in_progress"


@pytest.mark.parametrize("how", ["expired", "wrong secret", "unsigned"])
def test_slack_helpdesk_clicks_not_signed_by_slack_change_nothing(channel_stack, helpdesk, how):
    reference = file(helpdesk, f"forged-{uuid.uuid4().hex[:6]}")
    helpdesk_post(channel_stack, reference)
    signing = {"expired": {"timestamp": int(time.time()) - 6 * 60},
               "wrong secret": {"secret": "0" * 32}, "unsigned": {"signed": False}}[how]

    assert click(channel_stack, "resolve", reference, ADA, **signing).status_code == 401
    time.sleep(1.5)
    assert status(channel_stack, reference) == ("open", None)
    assert updates(channel_stack, reference) == []


def test_slack_helpdesk_reject_asks_for_a_reason_in_a_modal(channel_stack, helpdesk):
    reference = file(helpdesk, f"reject-{uuid.uuid4().hex[:6]}")
    helpdesk_post(channel_stack, reference)
    opened = len(channel_stack.protocols.slack_calls("views.open"))

    assert click(channel_stack, "reject", reference, BO).status_code == 200
    view = channel_stack.protocols.wait_for_slack_calls("views.open", opened + 1)[-1]["view"]
    assert (view["callback_id"], view["private_metadata"]) == ("helpdesk_reject", reference)
    assert status(channel_stack, reference)[0] == "open"       # nothing happens before submit

    submission = {"type": "view_submission", "user": {"id": BO, "team_id": TEAM},
                  "team": {"id": TEAM}, "view": {**view, "id": new_id("V"), "state": {"values": {
                      "reason": {"reason": {"type": "plain_text_input",
                                            "value": "Not one of our users"}}}}}}
    answer = channel_stack.slack(submission, form=True)

    assert answer.status_code == 200 and answer.text == ""     # the modal closes
    assert status(channel_stack, reference) == ("rejected", "Not one of our users")
    rejected = wait_for_update(channel_stack, reference, "Closed by Bo Berg")
    assert "Reason:\nNot one of our users" in fields(rejected)
    assert "Closed by Bo Berg" in fields(rejected)


def test_slack_helpdesk_admin_command_updates_the_message_too(channel_stack, helpdesk):
    reference = file(helpdesk, f"admin-{uuid.uuid4().hex[:6]}")
    helpdesk_post(channel_stack, reference)
    result = channel_stack.admin("take", reference)
    assert result.returncode == 0, result.stderr
    wait_for_update(channel_stack, reference, "in progress. Taken by admin:")



def say_in_thread(stack, user: str, channel: str, thread: str, text: str, expect: int) -> list:
    """Mentions the bot in ``channel``: the message that starts ``thread`` (its ts), then
    replies in that thread. Waits for ``expect`` more posts there; returns the new ones."""
    before = len(stack.protocols.slack_posts(channel))
    starts = before == 0
    body = event(f"<@{SLACK_BOT_USER}> {text}", user=user, channel=channel, mention=True,
                 ts=thread if starts else new_ts(), thread_ts="" if starts else thread)
    assert stack.slack(body).status_code == 200
    return stack.protocols.wait_for_slack_posts(channel, before + expect)[before:]


@pytest.mark.parametrize("language, where, move", [
    ("en", "thread", "resolve"), ("nb", "thread", "reject"),
    ("nb", "dm", "resolve"), ("en", "dm", "reject"),
])
def test_slack_helpdesk_admin_command_updates_the_message_and_tells_the_requester_where_asked(
        channel_stack, language, where, move):
    phrases, user = REPLIES[language], new_id("U")
    channel, thread = new_id("C" if where == "thread" else "D"), new_ts()
    for text, expect in ((phrases["forgot"], 2), (YES[language], 1), (YES[language], 1)):
        if where == "thread":
            replies = say_in_thread(channel_stack, user, channel, thread, text, expect)
        else:
            replies = say_in_dm(channel_stack, user, channel, text, expect)
    assert phrases["filed"] in replies[-1]["text"], replies[-1]["text"]
    reference = replies[-1]["text"].split("*")[1]
    helpdesk_post(channel_stack, reference)
    before = len(channel_stack.protocols.slack_posts(channel))

    args = ["--reason", "Ikke vår bruker"] if move == "reject" else []
    result = channel_stack.admin(move, reference, *args)

    assert result.returncode == 0, result.stderr
    # the helpdesk message shows the change (chat.update of the same message) ...
    updated = wait_for_update(channel_stack, reference, "Closed by admin:")
    assert (updated["channel"], updated["ts"]) == (HELPDESK_SLACK_CHANNEL,
                                                   post_ts(channel_stack, reference))
    assert buttons(updated) == []
    if move == "reject":
        assert "Reason:\nIkke vår bruker" in fields(updated)
    # ... and the requester is told, in their language, where they asked
    [told] = channel_stack.protocols.wait_for_slack_posts(channel, before + 1)[before:]
    expected = DONE if move == "resolve" else REJECTED
    assert expected[language] in told["text"] and reference in told["text"]
    assert told.get("thread_ts") == (thread if where == "thread" else None)
    assert status(channel_stack, reference)[0] == ("done" if move == "resolve" else "rejected")
