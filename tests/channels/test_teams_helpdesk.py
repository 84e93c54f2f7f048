"""The helpdesk works in Teams: the app added to the helpdesk team, Adaptive Cards posted and
updated through a local Bot Connector, clicks (invokes) by admins, strangers and the
requester, races, retries and forged tokens, and the requester hearing back; against the
running servers."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from typing import Any, Dict, List, Optional

import pytest

from passordhjelp.bootstrap import build_services
from passordhjelp.config import load_settings
from passordhjelp.helpdesk import Contact
from passordhjelp.identity import Requester
from tests.channels.conftest import (
    ACCESS_TOKEN,
    TEAMS_PEOPLE,
    TEAMS_TENANT_ID,
    Recorded,
    new_rsa_key,
)
from tests.channels.test_slack_helpdesk import ADA as SLACK_ADA
from tests.channels.test_slack_helpdesk import click as slack_click
from tests.channels.test_teams import BOT, REPLIES, activity, conversation_id, reply_texts

pytestmark = pytest.mark.slow

ADA, BO, KARI, EVE = list(TEAMS_PEOPLE)
HELPDESK_TEAM = "19:0helpdeskteam0a1b2c3d4e5f@thread.tacv2"
LOCALES = {"en": "en-US", "nb": "nb-NO"}
NOT_MEMBER = {
    "en": "Only members of the helpdesk can work reset requests.",
    "nb": "Bare medlemmer av brukerstøtten kan behandle forespørsler om nytt passord.",
}
OWN = {
    "en": "You can't work your own reset request; another admin has to.",
    "nb": "Du kan ikke behandle din egen forespørsel; en annen administrator må gjøre det.",
}


def person(object_id: str) -> Dict[str, str]:
    user_id, name, _ = TEAMS_PEOPLE[object_id]
    return {"id": user_id, "name": name, "aadObjectId": object_id}


def in_team(stack, body: Dict[str, Any], conversation: str = HELPDESK_TEAM) -> Dict[str, Any]:
    """``body`` as Teams sends it from a channel of the helpdesk team."""
    return {
        "channelId": "msteams",
        "serviceUrl": stack.protocols.service_url,
        "id": str(uuid.uuid4().int)[:13],
        "recipient": BOT,
        "conversation": {
            "id": conversation,
            "conversationType": "channel",
            "isGroup": True,
            "tenantId": TEAMS_TENANT_ID,
        },
        "channelData": {
            "tenant": {"id": TEAMS_TENANT_ID},
            "team": {"id": HELPDESK_TEAM},
            "channel": {"id": HELPDESK_TEAM},
        },
        **body,
    }


def install(stack, by: str, conversation: str = HELPDESK_TEAM):
    """The app added to a team by ``by`` (Teams' conversationUpdate)."""
    return stack.teams(
        in_team(
            stack,
            {
                "type": "conversationUpdate",
                "from": person(by),
                "membersAdded": [{"id": BOT["id"]}],
                "channelData": {
                    "tenant": {"id": TEAMS_TENANT_ID},
                    "eventType": "teamMemberAdded",
                    "team": {"id": conversation, "name": "Helpdesk"},
                },
            },
            conversation,
        )
    )


@pytest.fixture(scope="module")
def helpdesk(channel_stack):
    """The app installed in the helpdesk team by an admin, and the services in this process
    on the stack's database (the action server's worker delivers the cards)."""
    assert install(channel_stack, ADA).status_code == 200
    return build_services(load_settings(channel_stack.env)).helpdesk


def file(helpdesk, sender: Optional[str] = None, *, channel: str = "rest") -> str:
    sender = sender or f"teams-hd-{uuid.uuid4().hex[:8]}"
    return helpdesk.file(
        Requester(channel, sender), language="en", contact=Contact()
    ).request.reference


def card_text(card: Dict[str, Any]) -> str:
    """Every text of an Adaptive Card, in order, one element a line."""
    out: List[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("TextBlock", "TextRun"):
                out.append(node["text"])
            for key in ("body", "inlines", "columns", "items"):
                walk(node.get(key))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return "\n".join(out)


def card_of(record: Recorded) -> Dict[str, Any]:
    [attachment] = record.json["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]


def card_posts(stack, reference: str) -> List[Recorded]:
    return [
        r
        for r in stack.protocols.teams_replies(HELPDESK_TEAM)
        if r.method == "POST" and reference in card_text(card_of(r))
    ]


def posted_card(stack, reference: str) -> Recorded:
    """The card about ``reference`` the bot posted into the helpdesk team (once)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        posts = card_posts(stack, reference)
        if posts:
            assert len(posts) == 1
            return posts[0]
        time.sleep(0.1)
    raise AssertionError(f"no card about {reference} in the helpdesk team")


def card_updates(stack, reference: str) -> List[Recorded]:
    return [
        r
        for r in stack.protocols.teams_replies(HELPDESK_TEAM)
        if r.method == "PUT" and reference in card_text(card_of(r))
    ]


def wait_for_update(stack, reference: str, showing: str) -> Recorded:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [u for u in card_updates(stack, reference) if showing in card_text(card_of(u))]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(
        f"no update of {reference}'s card showing {showing!r}: "
        f"{[card_text(card_of(u)) for u in card_updates(stack, reference)]}"
    )


def card_id(stack, reference: str) -> str:
    """The activity id the Bot Connector gave the card, once it is stored with the request."""
    deadline = time.monotonic() + 30
    while True:
        with sqlite3.connect(stack.database_url.removeprefix("sqlite:///")) as db:
            row = db.execute(
                "select posts from request_handling where reference = ?", (reference,)
            ).fetchone()
        post = json.loads((row and row[0]) or "{}").get("teams")
        if post or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert post and post["conversation"] == HELPDESK_TEAM
    return post["activityId"]


def invoke(
    stack,
    who: str,
    move: str,
    reference: str,
    *,
    reason: Optional[str] = None,
    locale: str = "en-US",
    activity_id: Optional[str] = None,
    token: Optional[str] = "valid",
    fallback: bool = False,
):
    """A click on the card about ``reference``: an ``adaptiveCard/action`` invoke, or the
    message an ``Action.Submit`` fallback sends."""
    message_id = card_id(stack, reference)
    data = {"reference": reference, **({"reason": reason} if reason is not None else {})}
    body = in_team(
        stack,
        {"from": person(who), "locale": locale, "replyToId": message_id},
        f"{HELPDESK_TEAM};messageid={message_id}",
    )
    if fallback:
        body.update(type="message", value={"verb": f"helpdesk_{move}", **data})
    else:
        body.update(
            type="invoke",
            name="adaptiveCard/action",
            value={
                "action": {"type": "Action.Execute", "verb": f"helpdesk_{move}", "data": data},
                "trigger": "manual",
            },
        )
    if activity_id:
        body["id"] = activity_id
    return stack.teams(body, token=token)


def state(stack, reference: str) -> tuple:
    with sqlite3.connect(stack.database_url.removeprefix("sqlite:///")) as db:
        return db.execute(
            "select status, admin_note from reset_requests where reference = ?", (reference,)
        ).fetchone()


def decisions(stack, reference: str) -> List[tuple]:
    with sqlite3.connect(stack.database_url.removeprefix("sqlite:///")) as db:
        return db.execute(
            "select channel, sender_id, decision from request_decisions where "
            "reference = ? and decision in ('taken', 'resolved', 'rejected') "
            "order by id",
            (reference,),
        ).fetchall()


def actions(card: Dict[str, Any]) -> List[tuple]:
    return [(a["type"], a.get("verb")) for a in card.get("actions", [])]


def test_teams_helpdesk_card_is_posted_into_the_team_with_who_asked_and_the_moves(
    channel_stack, helpdesk
):
    user, conv = str(uuid.uuid4()), conversation_id()
    sender = f"{TEAMS_TENANT_ID}:{user}"
    reference = helpdesk.file(
        Requester("botframework", sender),
        language="nb",
        contact=Contact(
            name="Kari Nordmann",
            reply_to={
                "serviceUrl": channel_stack.protocols.service_url,
                "conversation": {"id": conv},
                "from": {"id": f"29:1{user[:8]}"},
            },
        ),
    ).request.reference

    post = posted_card(channel_stack, reference)

    assert (
        post.path
        == f"/connector/v3/conversations/{HELPDESK_TEAM.replace(':', '%3A').replace('@', '%40')}/activities"
    )
    assert post.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    card = card_of(post)
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.5")
    text = card_text(card)
    # who asked, in words an admin can search for in the admin center, and the verified id
    assert f"Requester\nKari Nordmann <kari.nordmann@contoso.no> ({sender})" in text
    assert "Channel\nMicrosoft Teams" in text and "Language\nNorwegian (Bokmål)" in text
    assert "Status\nopen" in text and "Users > Active users" in text
    assert actions(card) == [
        ("Action.Execute", "helpdesk_take"),
        ("Action.Execute", "helpdesk_resolve"),
        ("Action.ShowCard", None),
    ]
    take = card["actions"][0]
    assert take["data"] == {"reference": reference}
    assert take["fallback"] == {
        "type": "Action.Submit",
        "title": "Take",
        "associatedInputs": "none",
        "data": {"verb": "helpdesk_take", "reference": reference},
    }
    reject = card["actions"][2]["card"]
    [reason] = reject["body"]
    assert (reason["type"], reason["id"], reason["maxLength"], reason["isRequired"]) == (
        "Input.Text",
        "reason",
        300,
        True,
    )
    assert [
        (a["verb"], a["associatedInputs"], a["fallback"]["type"]) for a in reject["actions"]
    ] == [("helpdesk_reject", "auto", "Action.Submit")]


@pytest.mark.parametrize("language", ["en", "nb"])
def test_teams_helpdesk_an_admin_click_moves_the_request_and_updates_the_card_for_everyone(
    channel_stack, helpdesk, language
):
    reference = file(helpdesk)
    posted_card(channel_stack, reference)

    answer = invoke(channel_stack, ADA, "take", reference, locale=LOCALES[language])

    assert answer.status_code == 200
    body = answer.json()
    # the clicking admin sees the card as it now stands at once, as everyone will see it
    # (in the helpdesk's language, PASSORDHJELP_HELPDESK_LANGUAGE)
    assert (body["statusCode"], body["type"]) == (200, "application/vnd.microsoft.card.adaptive")
    assert "Status\nin progress. Taken by Ada Admin" in card_text(body["value"])
    assert actions(body["value"]) == [
        ("Action.Execute", "helpdesk_resolve"),
        ("Action.ShowCard", None),
    ]
    assert state(channel_stack, reference) == ("in_progress", None)
    assert decisions(channel_stack, reference) == [
        ("botframework", f"{TEAMS_TENANT_ID}:{ADA}", "taken")
    ]
    # everyone else: the card itself, replaced through the Bot Connector
    update = wait_for_update(channel_stack, reference, "Taken by Ada Admin")
    assert update.path.endswith(f"/activities/{card_id(channel_stack, reference)}")
    assert update.json["id"] == card_id(channel_stack, reference)
    assert update.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"

    answer = invoke(channel_stack, BO, "resolve", reference, locale=LOCALES[language])

    assert answer.json()["type"] == "application/vnd.microsoft.card.adaptive"
    assert actions(answer.json()["value"]) == []
    closed = wait_for_update(channel_stack, reference, "Closed by Bo Berg")
    assert actions(card_of(closed)) == []
    assert state(channel_stack, reference)[0] == "done"


@pytest.mark.parametrize("language", ["en", "nb"])
def test_teams_helpdesk_a_stranger_is_refused_in_their_language_and_nothing_changes(
    channel_stack, helpdesk, language
):
    reference = file(helpdesk)
    posted_card(channel_stack, reference)

    answer = invoke(channel_stack, EVE, "resolve", reference, locale=LOCALES[language])

    assert answer.status_code == 200
    assert answer.json() == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": NOT_MEMBER[language],
    }
    time.sleep(1.5)
    assert state(channel_stack, reference) == ("open", None)
    assert (
        decisions(channel_stack, reference) == [] and card_updates(channel_stack, reference) == []
    )


@pytest.mark.parametrize("language", ["en", "nb"])
def test_teams_helpdesk_an_admin_cannot_work_their_own_request(channel_stack, helpdesk, language):
    # Kari is a helpdesk admin, and filed this from Teams herself
    reference = file(helpdesk, f"{TEAMS_TENANT_ID}:{KARI}", channel="botframework")
    posted_card(channel_stack, reference)

    answer = invoke(channel_stack, KARI, "take", reference, locale=LOCALES[language])

    assert answer.json()["value"] == OWN[language]
    assert state(channel_stack, reference) == ("open", None)
    assert decisions(channel_stack, reference) == []


def test_teams_helpdesk_an_admin_cannot_work_a_request_filed_under_their_address_elsewhere(
    channel_stack, helpdesk
):
    # Bo's user principal name (from the Bot Connector) is the web chat sub that filed it
    reference = file(helpdesk, "bo@contoso.no", channel="socketio")
    posted_card(channel_stack, reference)

    assert invoke(channel_stack, BO, "resolve", reference).json()["value"] == OWN["en"]
    assert state(channel_stack, reference) == ("open", None)


def test_teams_helpdesk_of_two_simultaneous_clicks_one_wins_and_the_other_sees_who(
    channel_stack, helpdesk
):
    reference = file(helpdesk)
    posted_card(channel_stack, reference)
    start = threading.Barrier(2)
    answers: Dict[str, Any] = {}

    def resolve(who):
        start.wait()
        answers[who] = invoke(channel_stack, who, "resolve", reference).json()

    threads = [threading.Thread(target=resolve, args=(who,)) for who in (ADA, BO)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    [winner] = [w for w, a in answers.items() if a["type"].endswith("card.adaptive")]
    [loser] = [w for w in answers if w != winner]
    name = TEAMS_PEOPLE[winner][1]
    assert answers[loser] == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": f"{reference} is already done ({name}).",
    }
    assert decisions(channel_stack, reference) == [
        ("botframework", f"{TEAMS_TENANT_ID}:{winner}", "resolved")
    ]
    wait_for_update(channel_stack, reference, f"Closed by {name}")


def test_teams_helpdesk_a_retried_click_is_done_once_and_answered_the_same(channel_stack, helpdesk):
    reference = file(helpdesk)
    posted_card(channel_stack, reference)
    activity_id = str(uuid.uuid4().int)[:13]

    first = invoke(channel_stack, ADA, "take", reference, activity_id=activity_id)
    again = invoke(channel_stack, ADA, "take", reference, activity_id=activity_id)

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["type"] == "application/vnd.microsoft.card.adaptive"
    wait_for_update(channel_stack, reference, "Taken by Ada Admin")
    time.sleep(1.5)
    assert len(card_updates(channel_stack, reference)) == 1
    assert decisions(channel_stack, reference) == [
        ("botframework", f"{TEAMS_TENANT_ID}:{ADA}", "taken")
    ]


@pytest.mark.parametrize("how", ["expired", "wrong key", "unsigned", "other audience"])
def test_teams_helpdesk_clicks_without_a_valid_token_change_nothing(channel_stack, helpdesk, how):
    reference = file(helpdesk)
    posted_card(channel_stack, reference)
    token = {
        "expired": lambda: channel_stack.teams_token(lifetime=-3600),
        "wrong key": lambda: channel_stack.teams_token(key=new_rsa_key()),
        "unsigned": lambda: None,
        "other audience": lambda: channel_stack.teams_token(audience=str(uuid.uuid4())),
    }[how]()

    assert invoke(channel_stack, ADA, "resolve", reference, token=token).status_code == 401
    time.sleep(1.5)
    assert state(channel_stack, reference) == ("open", None)
    assert (
        decisions(channel_stack, reference) == [] and card_updates(channel_stack, reference) == []
    )


@pytest.mark.parametrize("language", ["en", "nb"])
def test_teams_helpdesk_reject_needs_a_reason_and_shows_it(channel_stack, helpdesk, language):
    reference = file(helpdesk)
    posted_card(channel_stack, reference)
    needed = {
        "en": "Write why the request is rejected, then click Reject.",
        "nb": "Skriv hvorfor forespørselen avvises, og klikk så Avvis.",
    }[language]

    empty = invoke(channel_stack, BO, "reject", reference, reason="  ", locale=LOCALES[language])
    assert empty.json()["value"] == needed
    assert state(channel_stack, reference) == ("open", None)

    answer = invoke(
        channel_stack,
        BO,
        "reject",
        reference,
        reason="[Not](https://x.example) ours",
        locale=LOCALES[language],
    )

    assert state(channel_stack, reference) == ("rejected", "[Not](https://x.example) ours")
    # shown as it was written: a TextRun renders no Markdown link
    assert "Reason\n[Not](https://x.example) ours" in card_text(answer.json()["value"])
    rejected = wait_for_update(channel_stack, reference, "Closed by Bo Berg")
    assert "Reason\n[Not](https://x.example) ours" in card_text(card_of(rejected))


def test_teams_helpdesk_the_action_submit_fallback_works_and_refuses_in_the_thread(
    channel_stack, helpdesk
):
    reference = file(helpdesk)
    posted_card(channel_stack, reference)
    thread = f"{HELPDESK_TEAM};messageid={card_id(channel_stack, reference)}"
    before = len(channel_stack.protocols.teams_replies(thread))

    assert invoke(channel_stack, EVE, "take", reference, fallback=True).status_code == 200
    [refused] = channel_stack.protocols.teams_replies(thread)[before:]
    assert refused.json["text"] == NOT_MEMBER["en"]
    assert refused.json["recipient"]["aadObjectId"] == EVE

    assert invoke(channel_stack, ADA, "take", reference, fallback=True).status_code == 200
    assert state(channel_stack, reference)[0] == "in_progress"
    wait_for_update(channel_stack, reference, "Taken by Ada Admin")
    assert len(channel_stack.protocols.teams_replies(thread)) == before + 1


def test_teams_helpdesk_the_admin_command_updates_the_card_too(channel_stack, helpdesk):
    reference = file(helpdesk)
    posted_card(channel_stack, reference)

    result = channel_stack.admin("take", reference)

    assert result.returncode == 0, result.stderr
    wait_for_update(channel_stack, reference, "Taken by admin:")


def test_teams_helpdesk_an_install_by_someone_else_does_not_move_the_cards(channel_stack, helpdesk):
    other_team = f"19:{uuid.uuid4().hex}@thread.tacv2"
    assert install(channel_stack, EVE, other_team).status_code == 200

    reference = file(helpdesk)

    posted_card(channel_stack, reference)  # still in the helpdesk team
    assert channel_stack.protocols.teams_replies(other_team) == []


@pytest.mark.parametrize("language", ["en", "nb"])
def test_teams_helpdesk_a_requester_in_a_team_channel_hears_back_after_a_click(
    channel_stack, helpdesk, language
):
    # a conversation id with ":", "@" and ";" (a thread in a team channel)
    phrases, user, conv = REPLIES[language], str(uuid.uuid4()), conversation_id(channel=True)
    yes = {"en": "yes", "nb": "ja"}[language]
    for text in (phrases["forgot"], yes, yes):
        channel_stack.teams(
            activity(
                channel_stack,
                f"<at>Passordhjelp</at> {text}",
                user=user,
                conversation=conv,
                channel=True,
            )
        )
    filed = reply_texts(channel_stack.protocols.teams_replies(conv))[-1]
    assert phrases["filed"] in filed
    reference = filed.split("**")[1]
    posted_card(channel_stack, reference)
    before = len(channel_stack.protocols.teams_replies(conv))

    assert invoke(channel_stack, ADA, "resolve", reference).status_code == 200

    deadline = time.monotonic() + 30
    while (
        len(channel_stack.protocols.teams_replies(conv)) == before and time.monotonic() < deadline
    ):
        time.sleep(0.2)
    [told] = channel_stack.protocols.teams_replies(conv)[before:]
    assert told.method == "POST" and told.path.endswith("/activities")
    done = {"en": "an admin has reset your password", "nb": "En administrator har tilbakestilt"}[
        language
    ]
    assert done in told.json["text"] and reference in told.json["text"]
    assert told.json["recipient"]["id"] == f"29:1{user[:8]}"


def test_teams_helpdesk_a_click_in_the_slack_helpdesk_updates_the_teams_card(
    channel_stack, helpdesk
):
    reference = file(helpdesk)
    posted_card(channel_stack, reference)

    assert slack_click(channel_stack, "take", reference, SLACK_ADA).status_code == 200

    wait_for_update(channel_stack, reference, "in progress. Taken by Ada Admin")
    assert decisions(channel_stack, reference) == [("slack", "T0ACME:U0ADA", "taken")]
