"""The whole helpdesk loop with the helpdesk in Teams: a request filed in the signed-in web
chat, its card in the helpdesk team (a local Bot Connector), Resolve clicked there, the card
updated, and the requester told in the web chat (a socket.io client on the real server)."""

from __future__ import annotations

import uuid

import pytest

from tests.channels.test_helpdesk_loop import DONE, FILED, SAY, WebChat
from tests.channels.test_teams_helpdesk import (
    ADA,
    LOCALES,
    actions,
    card_of,
    card_text,
    install,
    invoke,
    posted_card,
    wait_for_update,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def helpdesk_team(channel_stack) -> None:
    """The app added to the helpdesk team by a helpdesk admin: the cards go there."""
    assert install(channel_stack, ADA).status_code == 200


@pytest.mark.parametrize("language", ["en", "nb"])
def test_teams_helpdesk_loop_web_chat_to_teams_and_back(channel_stack, helpdesk_team, language):
    subject = f"kari.{uuid.uuid4().hex[:6]}@contoso.no"
    chat = WebChat(
        channel_stack.url, {"sub": subject, "name": "Kari Web", "preferred_username": subject}
    )
    try:
        first, confirm, file = SAY[language]
        chat.say(first, until="")
        chat.say(confirm, until="")
        reference = chat.say(file, until=FILED[language]).split("**")[1]

        card = card_of(posted_card(channel_stack, reference))
        assert f"Requester\nKari Web <{subject}> ({subject})" in card_text(card)
        assert "Channel\nWeb chat" in card_text(card)

        answer = invoke(channel_stack, ADA, "resolve", reference, locale=LOCALES[language])

        assert answer.status_code == 200
        assert "Closed by Ada Admin" in card_text(answer.json()["value"])
        updated = wait_for_update(channel_stack, reference, "Closed by Ada Admin")
        assert actions(card_of(updated)) == []
        assert reference in chat.wait_for(DONE[language])
    finally:
        chat.close()
