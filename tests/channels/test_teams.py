"""The Teams (Bot Framework) channel against the running servers and a local Bot Connector."""

from __future__ import annotations

import sqlite3
import time
import uuid

import pytest

from tests.channels.conftest import (ACCESS_TOKEN, REFUSAL, TEAMS_APP_ID, TEAMS_KEY_ID,
                                     TEAMS_MEMBER_UPN, TEAMS_TENANT_ID, new_rsa_key,
                                     request_emails)
from tests.channels.test_slack_helpdesk import fields, helpdesk_post

pytestmark = pytest.mark.slow

BOT = {"id": f"28:{TEAMS_APP_ID}", "name": "Passordhjelp"}
REPLIES = {
    "en": {"forgot": "I forgot my password", "steps": "an admin has to reset it",
           "offer": "Shall I ask your admins", "confirm": "yes, file it",
           "filed": "Your reset request is filed"},
    "nb": {"forgot": "jeg har glemt passordet mitt", "steps": "må en administrator tilbakestille",
           "offer": "Skal jeg be administratorene", "confirm": "ja, send den",
           "filed": "Forespørselen er sendt"},
}


def activity(stack, text=None, *, user: str, conversation: str, tenant: str = TEAMS_TENANT_ID,
             value=None, channel: bool = False) -> dict:
    body = {
        "type": "message", "id": str(uuid.uuid4().int)[:13], "channelId": "msteams",
        "serviceUrl": stack.protocols.service_url, "timestamp": "2024-05-01T10:00:00.000Z",
        "from": {"id": f"29:1{user[:8]}", "name": "Kari Nordmann", "aadObjectId": user},
        "recipient": BOT, "locale": "nb-NO",
        "conversation": {"id": conversation, "tenantId": tenant,
                         "conversationType": "channel" if channel else "personal"},
        "channelData": {"tenant": {"id": tenant}},
    }
    if text is not None:
        body["text"] = text
    if value is not None:
        body["value"] = value
    if channel:
        body["entities"] = [{"type": "mention", "text": "<at>Passordhjelp</at>",
                             "mentioned": BOT}]
    return body


def conversation_id(channel: bool = False) -> str:
    if channel:
        return f"19:{uuid.uuid4().hex}@thread.tacv2;messageid={uuid.uuid4().int % 10**13}"
    return f"a:1{uuid.uuid4().hex}"


def reply_texts(replies) -> list:
    out = []
    for reply in replies:
        body = reply.json
        out.append(body.get("text") or " ".join(
            a["content"].get("text", "") for a in body.get("attachments", [])))
    return out


def user_texts(stack, sender_id: str) -> list:
    with sqlite3.connect(stack.tracker_db) as db:
        return [row[0] for row in db.execute(
            "select json_extract(data, '$.text') from events where sender_id = ? and "
            "type_name = 'user' order by id", (sender_id,))]


@pytest.mark.parametrize("language", ["en", "nb"])
@pytest.mark.parametrize("in_channel", [False, True], ids=["personal", "channel"])
def test_teams_signed_activity_gets_replies_at_the_service_url(channel_stack, language,
                                                               in_channel):
    phrases, user, conv = REPLIES[language], str(uuid.uuid4()), conversation_id(in_channel)
    text = phrases["forgot"] if not in_channel else f"<at>Passordhjelp</at> {phrases['forgot']}"
    body = activity(channel_stack, text, user=user, conversation=conv, channel=in_channel)

    assert channel_stack.teams(body).status_code == 200

    replies = channel_stack.protocols.teams_replies(conv)
    assert [r.path.rsplit("/", 1)[-1] for r in replies] == [body["id"]] * len(replies)
    assert all(r.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}" for r in replies)
    texts = reply_texts(replies)
    assert phrases["steps"] in texts[0] and phrases["offer"] in texts[-1]
    first = replies[0].json
    assert (first["replyToId"], first["recipient"], first["from"]) == (
        body["id"], body["from"], BOT)
    buttons = replies[-1].json["attachments"][0]["content"]["buttons"]
    assert [b["value"] for b in buttons] == [{"payload": "/affirm"}, {"payload": "/deny"}]
    assert {b["type"] for b in buttons} == {"messageBack"}
    assert user_texts(channel_stack, f"{TEAMS_TENANT_ID}:{user}") == [phrases["forgot"]]


def test_teams_full_path_with_a_button_value_files_a_request(channel_stack):
    phrases, user, conv = REPLIES["en"], str(uuid.uuid4()), conversation_id()
    sender = f"{TEAMS_TENANT_ID}:{user}"
    channel_stack.teams(activity(channel_stack, phrases["forgot"], user=user, conversation=conv))

    # the Hero card button click: a value without text
    click = activity(channel_stack, user=user, conversation=conv, value={"payload": "/affirm"})
    assert channel_stack.teams(click).status_code == 200
    confirm = reply_texts(channel_stack.protocols.teams_replies(conv))[-1]
    assert "Shall I file it?" in confirm

    channel_stack.teams(activity(channel_stack, phrases["confirm"], user=user, conversation=conv))

    assert phrases["filed"] in reply_texts(channel_stack.protocols.teams_replies(conv))[-1]
    assert user_texts(channel_stack, sender)[1] == "/affirm"
    with sqlite3.connect(channel_stack.database_url.removeprefix("sqlite:///")) as db:
        rows = db.execute("select channel, sender_id, language, status from reset_requests "
                          "where sender_id = ?", (sender,)).fetchall()
    assert rows == [("botframework", sender, "en", "open")]


OWN_ADDRESS = {"en": "yes, it's {0}", "nb": "ja, det er {0}"}
def say(stack, text: str, *, user: str, conversation: str) -> str:
    assert stack.teams(activity(stack, text, user=user, conversation=conversation)
                       ).status_code == 200
    return reply_texts(stack.protocols.teams_replies(conversation))[-1]


@pytest.mark.parametrize("language", ["en", "nb"])
def test_teams_chatters_own_address_from_the_connector_is_theirs(channel_stack, language):
    """Activities carry no e-mail: the Bot Connector's member (looked up once) makes the
    typed address the chatter's own, and the request has it."""
    phrases, user, conv = REPLIES[language], str(uuid.uuid4()), conversation_id()
    address = f"lise.{user[:8]}@contoso.no"
    channel_stack.protocols.teams_members[f"29:1{user[:8]}"] = ("Lise Berg", address)
    say(channel_stack, phrases["forgot"], user=user, conversation=conv)
    say(channel_stack, "yes" if language == "en" else "ja", user=user, conversation=conv)

    filed = say(channel_stack, OWN_ADDRESS[language].format(address), user=user,
                conversation=conv)

    assert phrases["filed"] in filed
    assert request_emails(channel_stack, f"{TEAMS_TENANT_ID}:{user}") == [(address,)]
    lookups = channel_stack.protocols.recorded(
        lambda r: r.method == "GET" and r.path.endswith(f"/members/29%3A1{user[:8]}"))
    assert len(lookups) == 1


@pytest.mark.parametrize("language", ["en", "nb"])
def test_teams_typed_address_is_refused_when_the_member_lookup_fails(channel_stack, language):
    """Without the member (the Connector answers 404) no typed address is the chatter's own:
    refused and nothing filed, and the conversation goes on as before."""
    phrases, user, conv = REPLIES[language], str(uuid.uuid4()), conversation_id()
    channel_stack.protocols.teams_unknown_members.append(f"29:1{user[:8]}")
    say(channel_stack, phrases["forgot"], user=user, conversation=conv)
    say(channel_stack, "yes" if language == "en" else "ja", user=user, conversation=conv)

    refused = say(channel_stack, OWN_ADDRESS[language].format(f"lise.{user[:8]}@contoso.no"),
                  user=user, conversation=conv)

    assert REFUSAL[language] in refused
    assert request_emails(channel_stack, f"{TEAMS_TENANT_ID}:{user}") == []


@pytest.mark.parametrize("case, status", [
    ("wrong key", 401), ("unknown key id", 401), ("unsigned", 401), ("alg none", 401),
    ("expired", 401), ("wrong audience", 401), ("wrong issuer", 401),
    ("other service url", 401), ("foreign tenant", 403), ("no tenant", 403),
])
def test_teams_activities_not_from_our_tenant_via_microsoft_get_no_reply(channel_stack, case,
                                                                         status):
    user, conv = str(uuid.uuid4()), conversation_id()
    body = activity(channel_stack, "I forgot my password", user=user, conversation=conv)
    token = {
        "wrong key": lambda: channel_stack.teams_token(key=new_rsa_key()),
        "unknown key id": lambda: channel_stack.teams_token(key=new_rsa_key(), kid="other"),
        "unsigned": lambda: None,
        "alg none": lambda: __import__("jwt").encode(
            {"iss": "https://api.botframework.com", "aud": TEAMS_APP_ID, "exp": 2**31},
            key=None, algorithm="none", headers={"kid": TEAMS_KEY_ID}),
        "expired": lambda: channel_stack.teams_token(lifetime=-3600),
        "wrong audience": lambda: channel_stack.teams_token(audience=str(uuid.uuid4())),
        "wrong issuer": lambda: channel_stack.teams_token(issuer="https://evil.example"),
        "other service url": lambda: channel_stack.teams_token(
            service_url="https://smba.trafficmanager.net/emea/"),
    }.get(case, lambda: "valid")()
    if case == "foreign tenant":
        body = activity(channel_stack, "I forgot my password", user=user, conversation=conv,
                        tenant=str(uuid.uuid4()))
    if case == "no tenant":
        del body["conversation"]["tenantId"], body["channelData"]

    assert channel_stack.teams(body, token=token).status_code == status
    assert channel_stack.protocols.teams_replies(conv) == []
    assert user_texts(channel_stack, f"{TEAMS_TENANT_ID}:{user}") == []


def test_teams_canary_password_is_warned_about_and_stored_nowhere(channel_stack):
    user, conv, secret = str(uuid.uuid4()), conversation_id(), "Kanari-4Rt8#mw"
    channel_stack.teams(activity(channel_stack, f"passordet mitt er {secret}", user=user,
                                 conversation=conv))
    assert "regn det som avslørt" in reply_texts(channel_stack.protocols.teams_replies(conv))[0]
    assert secret not in channel_stack.everything_stored()


@pytest.mark.parametrize("language, done", [
    ("en", "an admin has reset your password"), ("nb", "En administrator har tilbakestilt")])
def test_teams_requester_is_told_of_a_resolved_request_in_their_conversation(
        channel_stack, language, done):
    phrases, user, conv = REPLIES[language], str(uuid.uuid4()), conversation_id()
    yes = {"en": "yes", "nb": "ja"}[language]
    for text in (phrases["forgot"], yes, yes):
        channel_stack.teams(activity(channel_stack, text, user=user, conversation=conv))
    filed = reply_texts(channel_stack.protocols.teams_replies(conv))[-1]
    assert phrases["filed"] in filed
    reference = filed.split("**")[1]
    # the helpdesk sees who asked: the name from the activity, the user principal name
    # from the Bot Connector's members of their conversation
    assert f"Kari Nordmann <{TEAMS_MEMBER_UPN}> ({TEAMS_TENANT_ID}:{user})" in fields(
        helpdesk_post(channel_stack, reference))
    before = len(channel_stack.protocols.teams_replies(conv))

    result = channel_stack.admin("resolve", reference)

    assert result.returncode == 0, result.stderr
    deadline = time.monotonic() + 30
    while len(channel_stack.protocols.teams_replies(conv)) == before and \
            time.monotonic() < deadline:
        time.sleep(0.2)
    [told] = channel_stack.protocols.teams_replies(conv)[before:]
    # a new message in the conversation (no activity to reply to), with a fresh token
    assert told.path.endswith("/activities") and told.method == "POST"
    assert told.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert done in told.json["text"] and reference in told.json["text"]
    assert told.json["recipient"]["id"] == f"29:1{user[:8]}"


@pytest.mark.parametrize("text", ["\ud800", "\ud800 I forgot my password"])
def test_teams_lone_surrogates_get_a_reply(channel_stack, text):
    user, conv = str(uuid.uuid4()), conversation_id()
    assert channel_stack.teams(activity(channel_stack, text, user=user,
                                        conversation=conv)).status_code == 200
    first = reply_texts(channel_stack.protocols.teams_replies(conv))[0]
    assert first == "I didn't get any text. What can I help you with?" or \
        "admin has to reset it" in first


@pytest.mark.parametrize("pattern", ["<at>", "<at x", "<at>Passordhjelp"])
def test_teams_long_hostile_markup_gets_the_too_long_reply_promptly(channel_stack, pattern):
    user, conv = str(uuid.uuid4()), conversation_id()
    text = pattern * (100_000 // len(pattern))
    assert channel_stack.teams(activity(channel_stack, text, user=user,
                                        conversation=conv)).status_code == 200
    assert "too long for me" in reply_texts(channel_stack.protocols.teams_replies(conv))[0]
