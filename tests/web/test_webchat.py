"""The web chat page in headless chromium against the real Rasa and action servers."""

from __future__ import annotations

import json
import sqlite3
import time

import jwt
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.slow

FLOWS = {
    "en": {
        "locale": "en-GB",
        "placeholder": "Type your message…",
        "forgot": "I forgot my password",
        "admin_steps": "Users > Active users",
        "offer": "Shall I ask your admins",
        "offer_buttons": ["Yes, please", "No"],
        "confirm": "To confirm: I'll file a password reset request",
        "confirm_buttons": ["Yes, file it", "No, cancel"],
        "needs_identity": "This chat can't tell me for certain who you are",
        "filed": "Your reset request is filed. Your reference is ",
    },
    "nb": {
        "locale": "nb-NO",
        "placeholder": "Skriv meldingen din…",
        "forgot": "jeg har glemt passordet mitt",
        "admin_steps": "Brukere > Aktive brukere",
        "offer": "Skal jeg be administratorene",
        "offer_buttons": ["Ja, takk", "Nei"],
        "confirm": "For å bekrefte: Jeg sender en forespørsel",
        "confirm_buttons": ["Ja, send den", "Nei, avbryt"],
        "needs_identity": "Denne chatten forteller meg ikke sikkert hvem du er",
        "filed": "Forespørselen er sendt. Referansen din er ",
    },
}
# Parsed as HTML, this would make a <b> and a <script> element.
HOSTILE = "what does <b> mean, and is <script> allowed?"
KARI = "kari@contoso.no"
STATE_KEY = "passordhjelp.webchat.state"


def tracker_senders(server):
    with sqlite3.connect(server.tracker_db) as db:
        return {row[0] for row in db.execute("select distinct sender_id from events")}


def token_for(subject, secret, *, expires_in=600):
    return jwt.encode({"sub": subject, "exp": int(time.time()) + expires_in}, secret,
                      algorithm="HS256")


def bot_bubbles(page: Page):
    return page.locator("#log .message-bot .bubble")


def user_bubbles(page: Page):
    return page.locator("#log .message-user .bubble")


def quick_replies(page: Page):
    return page.locator("#quick-replies button")


def open_chat(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#message")).to_be_enabled()


def say(page: Page, text: str) -> None:
    page.locator("#message").fill(text)
    page.locator("#message").press("Enter")


def stored_session_id(page: Page):
    return page.evaluate(f"JSON.parse(localStorage.getItem('{STATE_KEY}')).sessionId")


def socket_attempt(page: Page, token=None, session_id=None) -> str:
    """Opens a second socket from the page; 'confirmed:<id>' or 'refused:<reason>'."""
    return page.evaluate(
        """([token, sessionId]) => new Promise((resolve) => {
            const socket = io({path: "/socket.io", reconnection: false,
                               auth: token ? {token} : {}});
            socket.on("connect", () => socket.emit("session_request", {session_id: sessionId}));
            socket.on("session_confirm", (c) => {
                socket.close(); resolve("confirmed:" + c.session_id); });
            socket.on("connect_error", (e) => { socket.close(); resolve("refused:" + e.message); });
            setTimeout(() => resolve("timeout"), 10000);
        })""",
        [token, session_id],
    )


def forgot_then_yes(page: Page, phrases) -> None:
    """Asks for help, checks the reply and its buttons, clicks the first one."""
    say(page, phrases["forgot"])
    expect(user_bubbles(page).last).to_have_text(phrases["forgot"])
    expect(bot_bubbles(page).filter(has_text=phrases["offer"])).to_have_count(1)
    expect(bot_bubbles(page).filter(has_text=phrases["admin_steps"])).to_have_count(1)
    expect(quick_replies(page)).to_have_text(phrases["offer_buttons"])
    quick_replies(page).get_by_text(phrases["offer_buttons"][0], exact=True).click()
    expect(user_bubbles(page).last).to_have_text(phrases["offer_buttons"][0])
    expect(bot_bubbles(page).last).to_contain_text(phrases["confirm"])
    expect(quick_replies(page)).to_have_text(phrases["confirm_buttons"])


@pytest.mark.parametrize("language", ["en", "nb"])
def test_webchat_anonymous_conversation_survives_a_reload_and_files_nothing(
        web_stack, new_page, screenshot, language):
    phrases, server = FLOWS[language], web_stack.anonymous
    page = new_page(phrases["locale"])
    open_chat(page, server.page_url)
    expect(page.locator("#message")).to_have_attribute("placeholder", phrases["placeholder"])

    forgot_then_yes(page, phrases)
    session_id = stored_session_id(page)
    shown = bot_bubbles(page).all_text_contents()

    page.reload()
    expect(page.locator("#message")).to_be_enabled()
    assert stored_session_id(page) == session_id
    expect(user_bubbles(page)).to_have_text([phrases["forgot"], phrases["offer_buttons"][0]])
    expect(bot_bubbles(page)).to_have_text(shown)
    expect(quick_replies(page)).to_have_text(phrases["confirm_buttons"])

    # The conversation goes on where it was: the confirmation is answered.
    quick_replies(page).get_by_text(phrases["confirm_buttons"][0], exact=True).click()
    expect(bot_bubbles(page).last).to_contain_text(phrases["needs_identity"])
    expect(quick_replies(page).get_by_text(phrases["confirm_buttons"][0])).to_have_count(0)
    screenshot(page, f"webchat-anonymous-{language}")

    assert session_id in tracker_senders(server)
    assert not [r for r in web_stack.request_rows() if r["sender_id"] == session_id]


def test_webchat_shows_markup_as_text(web_stack, new_page):
    page = new_page()
    open_chat(page, web_stack.anonymous.page_url)
    replies_before = bot_bubbles(page).count()

    say(page, HOSTILE)
    expect(user_bubbles(page).last).to_have_text(HOSTILE)
    expect(bot_bubbles(page).nth(replies_before)).to_be_visible()  # the reply came
    page.reload()
    expect(user_bubbles(page).last).to_have_text(HOSTILE)

    assert page.locator("#log b, #log script").count() == 0


def test_webchat_signed_in_refuses_sockets_without_a_valid_token(web_stack, new_page):
    server = web_stack.signed_in
    page = new_page()
    page.goto(server.page_url)
    expect(page.locator("#status")).to_have_text("Please sign in to the intranet to use this chat.")
    expect(page.locator("#message")).to_be_disabled()

    assert socket_attempt(page) == "refused:sign-in required"
    assert socket_attempt(page, token_for(KARI, "another-secret-" * 4)) == \
        "refused:sign-in required"
    assert socket_attempt(page, token_for(KARI, server.jwt_secret, expires_in=-60)) == \
        "refused:sign-in required"
    assert socket_attempt(page, jwt.encode({"sub": KARI}, server.jwt_secret)) == \
        "refused:sign-in required"
    # A signed-in socket gets the token's subject, whatever session id it asks for.
    assert socket_attempt(page, token_for(KARI, server.jwt_secret), "0" * 32) == \
        f"confirmed:{KARI}"


def test_webchat_signed_in_files_the_request_for_the_token_subject(
        web_stack, new_page, screenshot):
    phrases, server = FLOWS["en"], web_stack.signed_in
    page = new_page()
    page.goto(f"{server.url}/webhooks/socketio/")
    # A session id the browser picked (say, left from an anonymous chat) must not count.
    page.evaluate(f"localStorage.setItem('{STATE_KEY}', "
                  f"{json.dumps(json.dumps({'sessionId': 'mallory', 'messages': []}))})")

    open_chat(page, f"{server.page_url}#token={token_for(KARI, server.jwt_secret)}")
    assert "token" not in page.url
    assert stored_session_id(page) == KARI

    forgot_then_yes(page, phrases)
    quick_replies(page).get_by_text(phrases["confirm_buttons"][0], exact=True).click()
    expect(bot_bubbles(page).last).to_contain_text(phrases["filed"])
    reference = bot_bubbles(page).last.locator("strong").text_content()
    screenshot(page, "webchat-signed-in-en")

    [row] = [r for r in web_stack.request_rows() if r["reference"] == reference]
    assert (row["sender_id"], row["channel"], row["status"]) == (KARI, "socketio", "open")
    assert "mallory" not in tracker_senders(server)
    assert KARI in tracker_senders(server)
