"""Whole conversations over REST against the running servers, in English and Norwegian."""

import json
import sqlite3
import uuid

import pytest

pytestmark = pytest.mark.slow

FLOWS = {
    "en": {
        "forgot": "I forgot my password",
        "yes": "yes please",
        "confirm": "yes, file it",
        "admin_steps": "Users** > **Active users",
        "offer": "Shall I ask your admins",
        "filed": "Your reset request is filed. Your reference is **",
        "already": "You already have a request",
        "change": "how do I change my password",
        "change_steps": "**View account**",
        "status": "what is the status of my request",
        "other": "please reset Bob's password",
        "refusal": "I can only file requests for the account you are chatting from",
    },
    "nb": {
        "forgot": "jeg har glemt passordet mitt",
        "yes": "ja takk",
        "confirm": "ja, send den",
        "admin_steps": "**Brukere** > **Aktive brukere**",
        "offer": "Skal jeg be administratorene",
        "filed": "Forespørselen er sendt. Referansen din er **",
        "already": "Du har allerede en forespørsel",
        "change": "hvordan endrer jeg passordet mitt",
        "change_steps": "**Vis konto**",
        "status": "hva er status på forespørselen min",
        "other": "tilbakestill passordet til Kari",
        "refusal": "Jeg kan bare sende forespørsler for kontoen du chatter fra",
    },
}


def texts(replies):
    return [r.get("text", "") for r in replies]


def file_request(stack, sender, phrases):
    offer = stack.say(sender, phrases["forgot"])
    assert phrases["admin_steps"] in offer[0]["text"]
    assert phrases["offer"] in offer[-1]["text"]
    assert [b["payload"] for b in offer[-1]["buttons"]] == ["/affirm", "/deny"]
    confirm = stack.say(sender, phrases["yes"])
    assert confirm[-1]["buttons"][0]["payload"] == "/affirm"
    return stack.say(sender, phrases["confirm"])


@pytest.mark.parametrize("language", ["en", "nb"])
def test_rest_forgot_password_files_one_request_for_the_sender(rasa_stack, language):
    phrases, sender = FLOWS[language], f"user-{uuid.uuid4().hex[:8]}"

    [filed] = file_request(rasa_stack, sender, phrases)

    assert phrases["filed"] in filed["text"]
    reference = filed["text"].split("**")[1]
    [row] = [r for r in rasa_stack.request_rows() if r["sender_id"] == sender]
    assert (row["reference"], row["channel"], row["language"], row["status"]) == (
        reference, "rest", language, "open")
    assert phrases["forgot"] not in " ".join(str(v) for v in row.values())

    [again] = file_request(rasa_stack, sender, phrases)
    assert phrases["already"] in again["text"] and reference in again["text"]
    assert len([r for r in rasa_stack.request_rows() if r["sender_id"] == sender]) == 1

    [status] = rasa_stack.say(sender, phrases["status"])
    assert reference in status["text"]


@pytest.mark.parametrize("language", ["en", "nb"])
def test_rest_change_password_gets_the_article_steps(rasa_stack, language):
    phrases = FLOWS[language]
    replies = rasa_stack.say(f"user-{uuid.uuid4().hex[:8]}", phrases["change"])
    assert phrases["change_steps"] in replies[0]["text"]
    assert "learn.microsoft.com" in replies[1]["text"]


@pytest.mark.parametrize("language", ["en", "nb"])
def test_rest_another_persons_account_is_refused_and_nothing_filed(rasa_stack, language):
    phrases, sender = FLOWS[language], f"user-{uuid.uuid4().hex[:8]}"
    replies = rasa_stack.say(sender, phrases["other"])
    assert texts(replies) and phrases["refusal"] in replies[0]["text"]
    assert not [r for r in rasa_stack.request_rows() if r["sender_id"] == sender]


def test_rest_reply_language_follows_a_switch(rasa_stack):
    sender = f"user-{uuid.uuid4().hex[:8]}"
    assert "Hi!" in rasa_stack.say(sender, "hello")[0]["text"]
    assert "Hei!" in rasa_stack.say(sender, "hei, god morgen")[0]["text"]
    assert "Hi!" in rasa_stack.say(sender, "hi there")[0]["text"]


def test_rest_unclear_messages_get_topics_then_a_person(rasa_stack):
    sender = f"user-{uuid.uuid4().hex[:8]}"
    [first] = rasa_stack.say(sender, "qwpoeiru zxmnv")
    assert first["buttons"][-1]["payload"] == "/human_handoff"
    [second] = rasa_stack.say(sender, "blørg fnaks vrrm")
    assert [b["payload"] for b in second["buttons"]] == ["/human_handoff", "/deny"]


def test_rest_conversation_is_kept_in_the_sqlite_tracker_store(rasa_stack):
    sender = f"user-{uuid.uuid4().hex[:8]}"
    rasa_stack.say(sender, "hello")
    with sqlite3.connect(rasa_stack.tracker_db) as db:
        count = db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()
    assert count[0] > 0


def test_rest_small_talk_keeps_its_language_without_calling_the_action_server(rasa_stack, domain):
    # The language slot is filled inside Rasa (the tokenizer's entity); "ok" doesn't tell,
    # so the conversation stays Norwegian. None of these turns needs a custom action.
    sender = f"user-{uuid.uuid4().hex[:8]}"
    greeting = texts(rasa_stack.say(sender, "hei"))
    ok = texts(rasa_stack.say(sender, "ok"))
    thanks = texts(rasa_stack.say(sender, "takk"))
    assert greeting[0].startswith("Hei! Jeg er Passordhjelp")
    assert ok == ["Greit. Skriv når som helst hvis du trenger hjelp med passordet."]
    assert thanks == ["Bare hyggelig! Er det noe mer jeg kan hjelpe med?"]

    with sqlite3.connect(rasa_stack.tracker_db) as db:
        rows = db.execute("select type_name, action_name, data from events where sender_id = ?",
                          (sender,)).fetchall()
    custom_actions = set(domain["actions"])
    assert [action for kind, action, _ in rows if kind == "action" and action in custom_actions] \
        == []
    language_events = [json.loads(data)["value"] for kind, _, data in rows
                       if kind == "slot" and json.loads(data)["name"] == "language"]
    assert language_events == ["nb", "nb"]      # "hei" and "takk" tell; "ok" doesn't


def test_rest_servers_start_without_deprecation_noise(rasa_stack):
    # What `make run` shows comes from these same entry points, also after the first
    # messages (spaCy's pipelines are built when first needed).
    rasa_stack.say(f"user-{uuid.uuid4().hex[:8]}", "I forgot my password")
    rasa_stack.say(f"user-{uuid.uuid4().hex[:8]}", "jeg har glemt passordet")
    for log in ("rasa.log", "actions.log"):
        text = (rasa_stack.logs / log).read_text(encoding="utf-8")
        assert "DeprecationWarning" not in text
        assert "Created vocabulary" not in text
