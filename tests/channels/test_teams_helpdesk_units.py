"""The Teams helpdesk without Rasa: its settings, the card, reading clicks, and the cards
posted to a configured conversation and updated there (a local Bot Connector)."""

from __future__ import annotations

import time
from typing import Iterator
from urllib.parse import unquote

import pytest

from passordhjelp import admin
from passordhjelp.bootstrap import build_services
from passordhjelp.config import ConfigError, load_settings
from passordhjelp.helpdesk import Actor, Contact, Move, MoveOutcome
from passordhjelp.helpdesk_teams import CardAction, TeamsCardActions, card_action, language_of
from passordhjelp.identity import Requester
from passordhjelp.outbox import DeliveryStatus
from passordhjelp.repository import SqlOutbox, create_engine
from tests.channels.conftest import (
    ACCESS_TOKEN,
    TEAMS_APP_ID,
    TEAMS_APP_PASSWORD,
    TEAMS_MEMBER_UPN,
    TEAMS_TENANT_ID,
    ProtocolServer,
)
from tests.channels.test_teams_helpdesk import card_of, card_text

ADMIN = "0ada0000-0000-4000-8000-000000000001"
CONFIGURED = "19:0configured0a1b2c3d@thread.tacv2"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"TEAMS_HELPDESK_ADMIN_IDS": "ada@contoso.no"}, "TEAMS_HELPDESK_ADMIN_IDS must be"),
        ({"TEAMS_HELPDESK_ADMIN_IDS": f"{ADMIN},29:1ada"}, "got '29:1ada'"),
        (
            {"TEAMS_HELPDESK_ADMIN_IDS": ADMIN, "TEAMS_HELPDESK_CONVERSATION_ID": "General"},
            "TEAMS_HELPDESK_CONVERSATION_ID must be the id of a Teams channel",
        ),
        ({"TEAMS_HELPDESK_CONVERSATION_ID": CONFIGURED}, "TEAMS_HELPDESK_ADMIN_IDS is not"),
        (
            {"TEAMS_HELPDESK_ADMIN_IDS": ADMIN, "TEAMS_HELPDESK_SERVICE_URL": "smba.example"},
            "TEAMS_HELPDESK_SERVICE_URL must be an http(s) URL",
        ),
    ],
)
def test_teams_helpdesk_settings_refuse_malformed_values(env, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(env)


def test_teams_helpdesk_settings_read_ids_and_conversation():
    settings = load_settings(
        {
            "TEAMS_HELPDESK_ADMIN_IDS": f" {ADMIN.upper()} , {ADMIN},"
            "0b000000-0000-4000-8000-000000000002",
            "TEAMS_HELPDESK_CONVERSATION_ID": CONFIGURED,
        }
    )
    assert settings.teams_helpdesk_admin_ids == (ADMIN, "0b000000-0000-4000-8000-000000000002")
    assert settings.teams_helpdesk_conversation_id == CONFIGURED
    assert settings.teams_helpdesk_service_url == "https://smba.trafficmanager.net/teams/"
    assert load_settings({}).teams_helpdesk_admin_ids == ()


@pytest.mark.parametrize(
    "locale, language",
    [
        ("nb-NO", "nb"),
        ("nn-NO", "nb"),
        ("no", "nb"),
        ("en-US", "en"),
        ("de-DE", "en"),
        (None, "en"),
    ],
)
def test_teams_helpdesk_language_of_the_clicking_admin(locale, language):
    assert language_of(locale) == language


@pytest.mark.parametrize(
    "activity, action",
    [
        (
            {
                "type": "invoke",
                "name": "adaptiveCard/action",
                "value": {
                    "action": {
                        "type": "Action.Execute",
                        "verb": "helpdesk_reject",
                        "data": {"reference": "PH-7K3QXA", "reason": "  not ours "},
                    }
                },
            },
            CardAction(Move.REJECT, "PH-7K3QXA", "not ours"),
        ),
        (
            {
                "type": "message",
                "value": {"verb": "helpdesk_take", "reference": "ph-7k3qxa", "reason": ""},
            },
            CardAction(Move.TAKE, "PH-7K3QXA", None),
        ),
        (
            {
                "type": "invoke",
                "name": "adaptiveCard/action",
                "value": {
                    "action": {"verb": "helpdesk_delete", "data": {"reference": "PH-7K3QXA"}}
                },
            },
            None,
        ),
        (
            {
                "type": "invoke",
                "name": "adaptiveCard/action",
                "value": {
                    "action": {"verb": "helpdesk_take", "data": {"reference": "PH-7K3QXA/../x"}}
                },
            },
            None,
        ),
        ({"type": "message", "value": {"payload": "/affirm"}}, None),
        ({"type": "invoke", "name": "composeExtension/query", "value": {}}, None),
    ],
)
def test_teams_helpdesk_card_action_reads_our_clicks_only(activity, action):
    assert card_action(activity) == action


@pytest.fixture
def connector(monkeypatch) -> Iterator[ProtocolServer]:
    server = ProtocolServer()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file)
    yield server
    server.stop()


def test_teams_helpdesk_cards_go_to_the_configured_conversation_and_are_updated_there(
    connector, tmp_path
):
    services = configured_services(connector, tmp_path, PASSORDHJELP_HELPDESK_LANGUAGE="nb")
    helpdesk = services.helpdesk
    assert helpdesk is not None
    # a display name with Markdown and a mention is shown as it is
    reference = helpdesk.file(
        Requester("socketio", "kari@contoso.no"),
        language="en",
        contact=Contact(name="**Kari** [x](https://evil.example)", email="kari@contoso.no"),
    ).request.reference

    assert services.notifier.deliver_due() >= 1
    # posted once (the contact kept after filing brings it up to date: a PUT)
    [post] = [r for r in connector.teams_replies(CONFIGURED) if r.method == "POST"]
    assert unquote(post.path) == f"/connector/v3/conversations/{CONFIGURED}/activities"
    assert post.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    text = card_text(card_of(post))
    assert f"Forespørsel om nytt passord {reference}" in text
    assert "Bruker\n**Kari** [x](https://evil.example) <kari@contoso.no> (kari@contoso.no)" in text
    assert [a["title"] for a in card_of(post)["actions"]] == ["Ta", "Løst", "Avvis"]
    stored = helpdesk.handling(reference).posts["teams"]
    assert stored["conversation"] == CONFIGURED

    result = helpdesk.move(
        reference,
        Move.RESOLVE,
        Actor("botframework", f"{TEAMS_TENANT_ID}:{ADMIN}", name="Ada Admin"),
    )

    assert result.outcome is MoveOutcome.DONE
    before = len(connector.teams_replies(CONFIGURED))
    assert services.notifier.deliver_due() >= 1
    [update] = connector.teams_replies(CONFIGURED)[before:]
    assert update.method == "PUT"
    assert (
        unquote(update.path)
        == f"/connector/v3/conversations/{CONFIGURED}/activities/{stored['activityId']}"
    )
    assert "Lukket av Ada Admin" in card_text(card_of(update))
    assert "actions" not in card_of(update)


def teams_helpdesk_services(connector, database_url, **env):
    """The services with the Teams helpdesk (and ``env``: where its cards go, say)."""
    return build_services(
        load_settings(
            {
                "DATABASE_URL": database_url,
                "TEAMS_APP_ID": TEAMS_APP_ID,
                "TEAMS_APP_PASSWORD": TEAMS_APP_PASSWORD,
                "TEAMS_TENANT_ID": TEAMS_TENANT_ID,
                "TEAMS_AUTHORITY": connector.authority,
                "TEAMS_HELPDESK_ADMIN_IDS": ADMIN,
                **env,
            }
        )
    )


def configured_services(connector, tmp_path, **env):
    """The Teams helpdesk posting to the conversation in TEAMS_HELPDESK_CONVERSATION_ID."""
    return teams_helpdesk_services(
        connector,
        f"sqlite:///{tmp_path / 'requests.db'}",
        TEAMS_HELPDESK_CONVERSATION_ID=CONFIGURED,
        TEAMS_HELPDESK_SERVICE_URL=connector.service_url,
        **env,
    )


def test_teams_helpdesk_without_a_conversation_waits_and_keeps_the_card(connector, tmp_path):
    database_url = f"sqlite:///{tmp_path / 'requests.db'}"
    services = teams_helpdesk_services(connector, database_url)
    assert services.helpdesk is not None
    services.helpdesk.file(
        Requester("socketio", "ola@contoso.no"), language="en", contact=Contact()
    )

    assert services.notifier.deliver_due() == 0
    # the row waits for its next try, saying why
    [row] = SqlOutbox(create_engine(database_url)).by_status(DeliveryStatus.PENDING)
    assert (row.kind, row.target, row.attempts) == ("helpdesk_message", "teams", 1)
    assert "no helpdesk conversation yet" in (row.last_error or "")
    assert connector.teams_replies(CONFIGURED) == []


def test_teams_helpdesk_card_names_a_teams_requester_from_the_bot_connector(connector, tmp_path):
    """Without the Slack helpdesk: the Teams helpdesk looks the requester up itself
    (``GET /v3/conversations/{id}/members/{userId}``) and keeps what it found."""
    services = configured_services(connector, tmp_path)
    helpdesk = services.helpdesk
    assert helpdesk is not None
    sender = f"{TEAMS_TENANT_ID}:0ca10000-0000-4000-8000-000000000003"
    chat = "a:1personal-chat-with-kari"
    reference = helpdesk.file(
        Requester("botframework", sender),
        language="en",
        contact=Contact(
            reply_to={
                "serviceUrl": connector.service_url,
                "conversation": {"id": chat},
                "from": {"id": "29:1kari"},
            }
        ),
    ).request.reference

    assert services.notifier.deliver_due() == 1
    [lookup] = connector.recorded(lambda r: r.method == "GET" and "/members/" in r.path)
    assert unquote(lookup.path) == f"/connector/v3/conversations/{chat}/members/29:1kari"
    [post] = connector.teams_replies(CONFIGURED)
    assert f"Requester\nKari Nordmann <{TEAMS_MEMBER_UPN}> ({sender})" in card_text(card_of(post))
    assert helpdesk.handling(reference).requester_email == TEAMS_MEMBER_UPN


HELPDESK_TEAM = "19:0helpdeskteam0a1b2c3d@thread.tacv2"
BOT_ID = f"28:{TEAMS_APP_ID}"


def team_event(connector, body, team=HELPDESK_TEAM):
    """A Teams activity about the app's membership of ``team``, sent by Ada (an admin)."""
    return {
        "serviceUrl": connector.service_url,
        "channelId": "msteams",
        "from": {"id": "29:1ada", "aadObjectId": ADMIN, "name": "Ada Admin"},
        "recipient": {"id": BOT_ID, "name": "Passordhjelp"},
        "conversation": {"id": team, "conversationType": "channel", "isGroup": True},
        "channelData": {"tenant": {"id": TEAMS_TENANT_ID}, "team": {"id": team}},
        **body,
    }


REMOVALS = {
    "membersRemoved": {
        "type": "conversationUpdate",
        "membersRemoved": [{"id": BOT_ID}],
    },
    "installationUpdate": {"type": "installationUpdate", "action": "remove"},
}


@pytest.mark.parametrize("removal", sorted(REMOVALS))
def test_teams_helpdesk_app_removed_from_the_helpdesk_team_makes_cards_wait_saying_why(
    connector, tmp_path, removal
):
    """Before, the cards went on being posted to a team the bot had left, failing (403)
    for a day. Now they wait with an error an admin can act on, and go out once the app is
    back."""
    database_url = f"sqlite:///{tmp_path / 'requests.db'}"
    services = teams_helpdesk_services(connector, database_url)
    helpdesk = services.helpdesk
    assert helpdesk is not None
    cards = TeamsCardActions([ADMIN])
    added = team_event(connector, {"type": "conversationUpdate", "membersAdded": [{"id": BOT_ID}]})
    assert cards.team_changed(helpdesk, added)
    first = helpdesk.file(
        Requester("socketio", "ola@contoso.no"), language="en", contact=Contact()
    ).request.reference
    assert services.notifier.deliver_due() == 1
    assert len(connector.teams_replies(HELPDESK_TEAM)) == 1

    # removed from another team: nothing changes
    assert not cards.team_changed(
        helpdesk, team_event(connector, REMOVALS[removal], team="19:0other@thread.tacv2")
    )
    assert cards.team_changed(helpdesk, team_event(connector, REMOVALS[removal]))

    second = helpdesk.file(
        Requester("socketio", "kari@contoso.no"), language="en", contact=Contact()
    ).request.reference
    helpdesk.move(first, Move.TAKE, Actor("botframework", f"{TEAMS_TENANT_ID}:{ADMIN}"))
    assert services.notifier.deliver_due() == 0
    assert len(connector.teams_replies(HELPDESK_TEAM)) == 1  # nothing sent to the old team
    rows = SqlOutbox(create_engine(database_url)).by_status(DeliveryStatus.PENDING)
    assert sorted(r.payload["reference"] for r in rows) == sorted([first, second])
    for row in rows:
        assert "the app was removed from the helpdesk team" in (row.last_error or "")
        assert "add it to the helpdesk team again" in (row.last_error or "")

    # added again by an admin: both go out on their next try (due within seconds)
    assert cards.team_changed(helpdesk, added)
    sent, deadline = 0, time.monotonic() + 15
    while sent < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
        sent += services.notifier.deliver_due()
    assert sent == 2
    assert len(connector.teams_replies(HELPDESK_TEAM)) == 3


def test_teams_helpdesk_bot_no_longer_in_the_team_fails_the_card_at_once_saying_what_to_do(
    connector, tmp_path, capsys
):
    """The app was removed while the server was down (no event came): the Bot Connector
    answers 403 BotNotInConversationRoster, which no retry gets past. The card fails at
    once, and `admin notifications` says what to do, instead of a day of 403s."""
    services = configured_services(connector, tmp_path)
    assert services.helpdesk is not None
    connector.teams_removed_from.append(CONFIGURED)
    reference = services.helpdesk.file(
        Requester("socketio", "ola@contoso.no"), language="en", contact=Contact()
    ).request.reference

    assert services.notifier.deliver_due() == 0
    [failed] = services.notifier.failed()
    assert (failed.target, failed.attempts) == ("teams", 1)
    capsys.readouterr()
    assert admin.run(["notifications"], services) == 0
    shown = capsys.readouterr().out
    assert f"#{failed.id} helpdesk_message to teams" in shown and reference in shown
    assert (
        "error=Teams: BotNotInConversationRoster: the app is no longer in the helpdesk team; "
        "have a helpdesk admin add it again" in shown
    )

    connector.teams_removed_from.clear()  # added again
    assert admin.run(["notifications", "retry"], services) == 0
    assert services.notifier.deliver_due() == 1
    assert services.helpdesk.handling(reference).posts["teams"]["conversation"] == CONFIGURED
