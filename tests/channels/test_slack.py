"""The Slack channel against the running servers and a local Slack Web API."""

from __future__ import annotations

import sqlite3
import time
import uuid

import pytest

from tests.channels.conftest import REFUSAL, SLACK_BOT_TOKEN, SLACK_BOT_USER, request_emails

pytestmark = pytest.mark.slow

TEAM = "T0ACME"
REPLIES = {
    "en": {"forgot": "I forgot my password", "steps": "an admin has to reset it",
           "offer": "Shall I ask your admins", "yes": "yes please",
           "confirm": "yes, file it", "filed": "Your reset request is filed"},
    "nb": {"forgot": "jeg har glemt passordet mitt", "steps": "må en administrator tilbakestille",
           "offer": "Skal jeg be administratorene", "yes": "ja takk",
           "confirm": "ja, send den", "filed": "Forespørselen er sendt"},
}


def new_id(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:10].upper()


def new_ts() -> str:
    return f"{time.time():.6f}"


def event(text: str, *, user: str, channel: str, ts: str = "", thread_ts: str = "",
          mention: bool = False) -> dict:
    """An Events API callback: ``app_mention`` in a channel, ``message`` in a DM."""
    body = {
        "type": "message" if not mention else "app_mention",
        "user": user, "text": text, "ts": ts or new_ts(), "channel": channel, "team": TEAM,
        "event_ts": ts,
    }
    if not mention:
        body["channel_type"] = "im"
    if thread_ts:
        body["thread_ts"] = thread_ts
    return {"token": "unused", "team_id": TEAM, "api_app_id": "A0PASS", "type": "event_callback",
            "event_id": new_id("Ev"), "event_time": int(time.time()), "event": body,
            "authorizations": [{"team_id": TEAM, "user_id": SLACK_BOT_USER, "is_bot": True}]}


def texts(posts) -> list:
    return [p.get("text", "") for p in posts]


def user_texts(stack, sender_id: str) -> list:
    with sqlite3.connect(stack.tracker_db) as db:
        return [row[0] for row in db.execute(
            "select json_extract(data, '$.text') from events where sender_id = ? and "
            "type_name = 'user' order by id", (sender_id,))]


def say_in_dm(stack, user: str, channel: str, text: str, expect: int) -> list:
    """Sends a DM and waits until ``expect`` more posts arrived; returns the new ones."""
    before = len(stack.protocols.slack_posts(channel))
    assert stack.slack(event(text, user=user, channel=channel)).status_code == 200
    return stack.protocols.wait_for_slack_posts(channel, before + expect)[before:]


@pytest.mark.parametrize("language", ["en", "nb"])
def test_slack_mention_in_a_channel_is_answered_in_its_thread(channel_stack, language):
    phrases, user, channel, ts = REPLIES[language], new_id("U"), new_id("C"), new_ts()
    body = event(f"<@{SLACK_BOT_USER}> {phrases['forgot']}", user=user, channel=channel, ts=ts,
                 mention=True)

    assert channel_stack.slack(body).status_code == 200

    posts = channel_stack.protocols.wait_for_slack_posts(channel, 2)
    assert phrases["steps"] in posts[0]["text"] and phrases["offer"] in posts[-1]["text"]
    assert all(p["thread_ts"] == ts for p in posts)
    buttons = [e["value"] for b in posts[-1]["blocks"] if b["type"] == "actions"
               for e in b["elements"]]
    assert buttons == ["/affirm", "/deny"]
    # the mention is gone before NLU; the identity is team:user
    assert user_texts(channel_stack, f"{TEAM}:{user}") == [phrases["forgot"]]
    [request] = channel_stack.protocols.recorded(
        lambda r: r.path.endswith("chat.postMessage") and r.json.get("channel") == channel)[:1]
    assert request.headers["Authorization"] == f"Bearer {SLACK_BOT_TOKEN}"


@pytest.mark.parametrize("language", ["en", "nb"])
def test_slack_direct_message_is_answered_without_a_thread(channel_stack, language):
    phrases, user, channel = REPLIES[language], new_id("U"), new_id("D")
    posts = say_in_dm(channel_stack, user, channel, phrases["forgot"], 2)
    assert phrases["steps"] in posts[0]["text"] and phrases["offer"] in posts[-1]["text"]
    assert not any("thread_ts" in p for p in posts)


def test_slack_other_peoples_mentions_still_read_as_another_account(channel_stack):
    user, channel, thread = new_id("U"), new_id("C"), new_ts()
    channel_stack.slack(event(f"<@{SLACK_BOT_USER}> please reset <@U0BOB>'s password",
                              user=user, channel=channel, mention=True, thread_ts=thread))
    [post] = channel_stack.protocols.wait_for_slack_posts(channel, 1)
    assert "I can only file requests for the account you are chatting from" in post["text"]
    assert post["thread_ts"] == thread  # a mention inside a thread is answered there
    assert user_texts(channel_stack, f"{TEAM}:{user}") == ["please reset Person's password"]


def test_slack_bot_mention_is_found_with_auth_test_when_the_event_does_not_say(channel_stack):
    user, channel = new_id("U"), new_id("D")
    body = event(f"<@{SLACK_BOT_USER}> hello", user=user, channel=channel)
    del body["authorizations"]
    channel_stack.slack(body)
    channel_stack.protocols.wait_for_slack_posts(channel, 1)
    assert user_texts(channel_stack, f"{TEAM}:{user}") == ["hello"]
    assert channel_stack.protocols.recorded(lambda r: r.path.endswith("/auth.test"))


@pytest.mark.parametrize("reason", ["http_timeout", "http_error"])
def test_slack_retries_and_replays_get_no_second_reply(channel_stack, reason):
    user, channel = new_id("U"), new_id("D")
    body = event("hello", user=user, channel=channel)
    assert channel_stack.slack(body).status_code == 200
    assert len(channel_stack.protocols.wait_for_slack_posts(channel, 1)) == 1

    retry = channel_stack.slack(body, headers={"X-Slack-Retry-Num": "1",
                                               "X-Slack-Retry-Reason": reason})
    replay = channel_stack.slack(body)  # the same signed event again, without retry headers

    assert retry.status_code == replay.status_code == 200
    assert retry.headers.get("X-Slack-No-Retry") == "1"
    time.sleep(2)
    assert len(channel_stack.protocols.slack_posts(channel)) == 1
    assert user_texts(channel_stack, f"{TEAM}:{user}") == ["hello"]


@pytest.mark.parametrize("how", ["wrong secret", "unsigned", "stale", "future", "forged",
                                 "tampered body"])
def test_slack_requests_not_signed_by_slack_are_refused(channel_stack, how):
    user, channel = new_id("U"), new_id("D")
    body = event("I forgot my password", user=user, channel=channel)
    if how == "wrong secret":
        answer = channel_stack.slack(body, secret="0" * 32)
    elif how == "unsigned":
        answer = channel_stack.slack(body, signed=False)
    elif how == "stale":
        answer = channel_stack.slack(body, timestamp=int(time.time()) - 6 * 60)
    elif how == "future":
        answer = channel_stack.slack(body, timestamp=int(time.time()) + 6 * 60)
    elif how == "forged":
        answer = channel_stack.slack(body, headers={"X-Slack-Signature": "v0=" + "ab" * 32})
    else:
        answer = channel_stack.slack(body, tamper=lambda raw: raw.replace(
            b"I forgot my password", b"I forgot my passw0rd"))
    assert answer.status_code in (401, 403)
    time.sleep(1.5)
    assert channel_stack.protocols.slack_posts(channel) == []
    assert user_texts(channel_stack, f"{TEAM}:{user}") == []


def test_slack_url_verification_answers_the_challenge_only_when_signed(channel_stack):
    body = {"type": "url_verification", "token": "unused", "challenge": "c-123"}
    assert channel_stack.slack(body).json() == {"challenge": "c-123"}
    assert channel_stack.slack(body, signed=False).status_code == 401


def test_slack_canary_password_is_warned_about_and_stored_nowhere(channel_stack):
    user, channel, secret = new_id("U"), new_id("D"), "Canary-7Q9x!pz"

    posts = say_in_dm(channel_stack, user, channel, f"my password is {secret}", 1)

    assert "treat it as exposed" in posts[0]["text"]
    time.sleep(1)
    stored = channel_stack.everything_stored()
    assert secret not in stored
    assert "[secret removed]" in stored
    assert not any(secret in t for t in texts(channel_stack.protocols.slack_posts(channel)))


def test_slack_full_path_files_a_request_for_the_team_and_user(channel_stack):
    phrases, user, channel = REPLIES["nb"], new_id("U"), new_id("D")
    offer = say_in_dm(channel_stack, user, channel, phrases["forgot"], 2)
    assert phrases["offer"] in offer[-1]["text"]

    # "Ja, takk" clicked: Slack posts the block action as a form field
    before = len(channel_stack.protocols.slack_posts(channel))
    click = {"type": "block_actions", "user": {"id": user, "team_id": TEAM},
             "team": {"id": TEAM}, "channel": {"id": channel, "name": "directmessage"},
             "message": {"ts": new_ts(), "text": offer[-1]["text"]}, "trigger_id": new_id("tr"),
             "actions": [{"type": "button", "action_id": "button_0", "value": "/affirm",
                          "action_ts": new_ts()}]}
    assert channel_stack.slack(click, form=True).status_code == 200
    confirm = channel_stack.protocols.wait_for_slack_posts(channel, before + 1)[before:]
    assert "Skal jeg sende forespørselen" in confirm[-1]["text"]

    [filed] = say_in_dm(channel_stack, user, channel, phrases["confirm"], 1)

    assert phrases["filed"] in filed["text"]
    with sqlite3.connect(channel_stack.database_url.removeprefix("sqlite:///")) as db:
        rows = db.execute("select channel, sender_id, language, status from reset_requests "
                          "where sender_id = ?", (f"{TEAM}:{user}",)).fetchall()
    assert rows == [("slack", f"{TEAM}:{user}", "nb", "open")]


# The chatter's own address typed at the confirmation, as Slack sends a typed address.
OWN_ADDRESS = {"en": "yes, it's <mailto:{0}|{0}>", "nb": "ja, det er <mailto:{0}|{0}>"}
@pytest.mark.parametrize("language", ["en", "nb"])
def test_slack_chatters_own_address_from_users_info_is_theirs(channel_stack, language):
    """Slack events carry no e-mail: users.info's (looked up once) makes the typed address
    the chatter's own, and the request has it."""
    phrases, user, channel = REPLIES[language], new_id("U"), new_id("D")
    address = f"{user.lower()}@contoso.no"
    channel_stack.protocols.slack_users[user] = ("Lise Berg", address)
    say_in_dm(channel_stack, user, channel, phrases["forgot"], 2)
    say_in_dm(channel_stack, user, channel, phrases["yes"], 1)

    [filed] = say_in_dm(channel_stack, user, channel, OWN_ADDRESS[language].format(address), 1)

    assert phrases["filed"] in filed["text"]
    assert request_emails(channel_stack, f"{TEAM}:{user}") == [(address,)]
    assert [c["user"] for c in channel_stack.protocols.slack_calls("users.info")].count(user) == 1


@pytest.mark.parametrize("language", ["en", "nb"])
def test_slack_typed_address_is_refused_when_users_info_fails(channel_stack, language):
    """Without the profile (users.info: user_not_found) no typed address is the chatter's
    own: refused and nothing filed, and the conversation goes on as before."""
    phrases, user, channel = REPLIES[language], new_id("U"), new_id("D")
    say_in_dm(channel_stack, user, channel, phrases["forgot"], 2)
    say_in_dm(channel_stack, user, channel, phrases["yes"], 1)

    [refused] = say_in_dm(channel_stack, user, channel,
                          OWN_ADDRESS[language].format(f"{user.lower()}@contoso.no"), 1)

    assert REFUSAL[language] in refused["text"]
    assert request_emails(channel_stack, f"{TEAM}:{user}") == []
    assert user in [c["user"] for c in channel_stack.protocols.slack_calls("users.info")]


@pytest.mark.parametrize("text", ["\ud800", "\ud800 I forgot my password"])
def test_slack_lone_surrogates_get_a_reply(channel_stack, text):
    user, channel = new_id("U"), new_id("D")
    post = say_in_dm(channel_stack, user, channel, text, 1)[0]
    assert post["text"] == "I didn't get any text. What can I help you with?" or \
        "admin has to reset it" in post["text"]


@pytest.mark.parametrize("where", ["user_team", "team", "form"])
def test_slack_people_of_other_teams_are_not_answered(channel_stack, where):
    """Slack Connect: a user of another organisation in a shared channel, or an event from
    another workspace or enterprise, is refused whatever it says."""
    user, channel, outsider = new_id("U"), new_id("D"), "T0OTHERORG"
    if where == "form":
        click = {"type": "block_actions", "user": {"id": user, "team_id": outsider},
                 "team": {"id": outsider}, "channel": {"id": channel},
                 "message": {"ts": new_ts()}, "trigger_id": new_id("tr"),
                 "actions": [{"type": "button", "value": "/affirm", "action_ts": new_ts()}]}
        answer = channel_stack.slack(click, form=True)
    else:
        body = event("I forgot my password", user=user, channel=channel)
        body["event"][where] = outsider if where == "user_team" else "E0OTHERORG"
        if where == "team":
            body["team_id"] = "E0OTHERORG"
        answer = channel_stack.slack(body)
    assert answer.status_code == 200
    time.sleep(1.5)
    assert channel_stack.protocols.slack_posts(channel) == []
    assert user_texts(channel_stack, f"{outsider}:{user}") == []
    assert user_texts(channel_stack, f"E0OTHERORG:{user}") == []


@pytest.mark.parametrize("pattern", ["<@U|", "<http:", "<!x|", "<#C|"])
def test_slack_long_hostile_markup_gets_the_too_long_reply_promptly(channel_stack, pattern):
    """Unclosed markup made the clean-up regexes quadratic (minutes for 100,000
    characters): the length is checked first, and the patterns are bounded."""
    user, channel = new_id("U"), new_id("D")
    [post] = say_in_dm(channel_stack, user, channel, pattern * (100_000 // len(pattern)), 1)
    assert "too long for me" in post["text"]
