"""What helpdesk members read about a request, in both languages: the message's facts in
words an admin knows, a withdrawn request, and why a click changed nothing."""

from __future__ import annotations

import pytest

from passordhjelp.helpdesk import Actor, Contact, HelpdeskService, Move, MoveOutcome
from passordhjelp.helpdesk_message import helpdesk_message, refusal
from passordhjelp.helpdesk_slack import blocks
from passordhjelp.helpdesk_teams import card
from passordhjelp.identity import Requester
from passordhjelp.notifications import Notifier
from passordhjelp.repository import SqlHelpdeskStore, SqlOutbox, SqlRequestStore, create_engine
from passordhjelp.reset_requests import ResetRequestService
from tests.services.test_helpdesk import Channel

KARI = Requester("botframework", "tenant:0ca1")
ADA = Actor("slack", "T1:U0ADA", name="Ada Admin")
BO = Actor("botframework", "tenant:0b0", name="Bo Berg")

TEXTS = {
    "en": {
        "channel": ("Channel", "Microsoft Teams"),
        "language": ("Language", "Norwegian (Bokmål)"),
        "withdrawn": "withdrawn. Taken by Ada Admin, {at}. Withdrawn by the requester, {at}",
        "withdrawn_to_do": "Nothing to do: don't reset the password for this request. If you "
        "already did, tell the requester.",
        "lost_race": "{reference} is rejected (Bo Berg); it can't be changed any more.",
        "after_withdrawal": "{reference} is withdrawn; it can't be changed any more.",
    },
    "nb": {
        "channel": ("Kanal", "Microsoft Teams"),
        "language": ("Språk", "norsk (bokmål)"),
        "withdrawn": "trukket tilbake. Tatt av Ada Admin, {at}. Trukket tilbake av brukeren, {at}",
        "withdrawn_to_do": "Ingenting å gjøre: ikke tilbakestill passordet for denne "
        "forespørselen. Har du allerede gjort det, si fra til brukeren.",
        "lost_race": "{reference} er avvist (Bo Berg) og kan ikke endres lenger.",
        "after_withdrawal": "{reference} er trukket tilbake og kan ikke endres lenger.",
    },
}


@pytest.fixture
def helpdesk(sqlite_url):
    engine = create_engine(sqlite_url)
    notifier = Notifier(
        SqlOutbox(engine),
        webhook_url=None,
        webhook_format="slack",
        helpdesk_channels={"slack": Channel()},
    )
    requests = ResetRequestService(
        SqlRequestStore(engine),
        reference_prefix="PH",
        notices_when_filed=notifier.filed_notices,
        notices_when_withdrawn=notifier.withdrawn_notices,
    )
    return HelpdeskService(requests, SqlHelpdeskStore(engine), notifier), requests


def file(helpdesk):
    return helpdesk.file(KARI, language="nb", contact=Contact(name="Kari Nordmann")).request


@pytest.mark.parametrize("language", ["en", "nb"])
def test_helpdesk_message_names_the_channel_and_language_in_words(helpdesk, language):
    service, _ = helpdesk
    request = file(service)

    message = helpdesk_message(request, service.handling(request.reference), language)

    # not Rasa's "botframework" and "nb"
    assert TEXTS[language]["channel"] in message.facts
    assert TEXTS[language]["language"] in message.facts


@pytest.mark.parametrize("language", ["en", "nb"])
def test_helpdesk_message_of_a_withdrawn_request_says_by_whom_and_not_to_reset(helpdesk, language):
    """An admin who took the request sees it was withdrawn, and that there is nothing to do
    (the webhook says so; the interactive message said only "withdrawn")."""
    service, requests = helpdesk
    request = file(service)
    assert service.move(request.reference, Move.TAKE, ADA).outcome is MoveOutcome.DONE
    requests.withdraw(KARI)
    request, handling = service.details(request.reference)

    message = helpdesk_message(request, handling, language)

    texts = TEXTS[language]
    at = f"{request.updated_at:%Y-%m-%d %H:%M} UTC"
    assert message.facts[-1][1] == texts["withdrawn"].format(at=at)
    assert message.to_do == texts["withdrawn_to_do"] and message.moves == []
    # as Slack and Teams show it
    assert {
        "type": "context",
        "elements": [{"type": "plain_text", "text": texts["withdrawn_to_do"], "emoji": False}],
    } in blocks(message)
    assert texts["withdrawn_to_do"] in str(card(message, language)["body"])


@pytest.mark.parametrize("language", ["en", "nb"])
def test_helpdesk_refusal_says_who_closed_a_request_and_nobody_after_a_withdrawal(
    helpdesk, language
):
    service, requests = helpdesk
    rejected, withdrawn = file(service), None
    service.move(rejected.reference, Move.REJECT, BO, reason="not ours")
    lost = service.move(rejected.reference, Move.RESOLVE, ADA)  # Ada was a moment late

    other = service.file(Requester("slack", "T1:U0OLA"), language="en", contact=Contact()).request
    service.move(other.reference, Move.TAKE, ADA)
    requests.withdraw(Requester("slack", "T1:U0OLA"))
    withdrawn = service.move(other.reference, Move.RESOLVE, ADA)

    texts = TEXTS[language]
    assert lost.outcome is withdrawn.outcome is MoveOutcome.NOT_ALLOWED
    assert refusal(lost, rejected.reference, language) == texts["lost_race"].format(
        reference=rejected.reference
    )
    # withdrawn by the requester, not by Ada, who had taken it
    assert refusal(withdrawn, other.reference, language) == texts["after_withdrawal"].format(
        reference=other.reference
    )
