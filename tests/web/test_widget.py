"""The one-tag widget on an intranet page with hostile CSS and a strict CSP, in chromium."""

from __future__ import annotations

import re
import sqlite3
import time
import uuid

import jwt
import pytest
from playwright.sync_api import Page, expect

from passordhjelp.config import PROJECT_ROOT
from tests.web.conftest import ARTIFACTS

pytestmark = pytest.mark.slow

AXE = PROJECT_ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
KARI = "kari@contoso.no"
PASSWORD = "Sommer2024!"
LAUNCHER = "passordhjelp-widget .launcher"
BADGE = "passordhjelp-widget .badge"
PANEL_FRAME = "passordhjelp-widget iframe"
LANGUAGES = {
    "en": {
        "html_lang": "en-GB",
        "attributes": "",
        "open": "Open the password help chat",
        "placeholder": "Type your message…",
        "forgot": "I forgot my password",
        "offer": "Shall I ask your admins",
        "yes": "Yes, please",
        "confirm": "To confirm: I'll file a password reset request",
    },
    "nb": {
        # data-language wins over the page's own <html lang>.
        "html_lang": "en",
        "attributes": ' data-language="nb"',
        "open": "Åpne chatten for passordhjelp",
        "placeholder": "Skriv meldingen din…",
        "forgot": "jeg har glemt passordet mitt",
        "offer": "Skal jeg be administratorene",
        "yes": "Ja, takk",
        "confirm": "For å bekrefte: Jeg sender en forespørsel",
    },
}
# In the chat frame: did the typing indicator show at any moment?
WATCH_TYPING = """() => {
    window.typingSeen = false;
    const typing = document.getElementById("typing");
    new MutationObserver(() => { if (!typing.hidden) window.typingSeen = true; })
        .observe(typing, {attributes: true});
}"""


def chat(page: Page):
    return page.frame_locator(PANEL_FRAME)


def chat_frame(page: Page):
    return page.locator(PANEL_FRAME).element_handle().content_frame()


def say(page: Page, text: str) -> None:
    chat(page).locator("#message").fill(text)
    chat(page).locator("#message").press("Enter")


def open_widget(page: Page) -> None:
    page.locator(LAUNCHER).click()
    expect(chat(page).locator("#message")).to_be_enabled()


def bot_bubbles(page: Page):
    return chat(page).locator("#log .message-bot .bubble")


def user_bubbles(page: Page):
    return chat(page).locator("#log .message-user .bubble")


def axe_violations(target, context: str = "document") -> list:
    """axe-core's violations (rule: elements) in a page or frame, default rules."""
    target.evaluate(AXE.read_text(encoding="utf-8"))
    return target.evaluate(
        """async (context) => {
            const results = await axe.run(eval(context), {iframes: false});
            return results.violations.map(
                (v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", "));
        }""",
        context,
    )


def csp_violations(page: Page) -> list:
    return [v for frame in page.frames for v in frame.evaluate("window.__cspViolations || []")]


def token_for(subject, secret, *, expires_in=600):
    return jwt.encode(
        {"sub": subject, "exp": int(time.time()) + expires_in}, secret, algorithm="HS256"
    )


def tracker_events(server, sender_id):
    with sqlite3.connect(server.tracker_db) as db:
        return [
            row[0]
            for row in db.execute("select type_name from events where sender_id = ?", (sender_id,))
        ]


def bot_texts(server, sender_id):
    with sqlite3.connect(server.tracker_db) as db:
        return [
            row[0]
            for row in db.execute(
                "select json_extract(data, '$.text') from events "
                "where sender_id = ? and type_name = 'bot' order by id",
                (sender_id,),
            )
        ]


def wait_for(condition, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def focus_in_chat(page: Page) -> str:
    """The id (or tag) of the focused element inside the chat frame; "" when focus is
    elsewhere (on the host page, or on the frame without an element in it)."""
    in_frame = page.evaluate("""() => {
        const host = document.querySelector("passordhjelp-widget");
        return document.activeElement === host &&
            host.shadowRoot.activeElement === host.shadowRoot.querySelector("iframe");
    }""")
    if not in_frame:
        return ""
    return chat_frame(page).evaluate(
        "document.activeElement === document.body ? '' : "
        "(document.activeElement.id || document.activeElement.tagName)"
    )


def focus_is_visible(target) -> bool:
    """Whether the focused element (in a page, a frame or a shadow root's host page) has
    an outline of 2 px or more."""
    return target.evaluate("""() => {
        let element = document.activeElement;
        while (element && element.shadowRoot && element.shadowRoot.activeElement) {
            element = element.shadowRoot.activeElement;
        }
        const style = getComputedStyle(element);
        return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    }""")


def everything_in_browser(page: Page) -> str:
    """Every frame's markup, input values, localStorage and sessionStorage, as one text."""
    return "\n".join(
        frame.evaluate("""() => {
        const stores = [localStorage, sessionStorage].map(
            (s) => Object.keys(s).map((k) => k + "=" + s.getItem(k)).join("\\n"));
        const values = [...document.querySelectorAll("input, textarea")].map((e) => e.value);
        return [document.documentElement.outerHTML, ...values, ...stores].join("\\n");
    }""")
        for frame in page.frames
    )


def test_widget_opens_and_closes_on_a_hostile_page_with_one_global(web_stack, new_page, intranet):
    page = new_page(width=1280, height=800)
    intranet(page, web_stack.anonymous)
    launcher = page.locator(LAUNCHER)
    expect(launcher).to_be_visible()
    expect(launcher).to_have_accessible_name("Open the password help chat")
    # The host's rules (22px uppercase serif, display: none on buttons) don't reach it.
    style = launcher.evaluate(
        "e => [getComputedStyle(e).fontSize, getComputedStyle(e).textTransform]"
    )
    assert style == ["16px", "none"]
    box = launcher.bounding_box()
    assert 40 <= box["height"] <= 80 and box["x"] + box["width"] <= 1280
    page.evaluate("""window.widgetEvents = [];
        for (const name of ["opened", "closed"]) Passordhjelp.on(name, () => widgetEvents.push(name));""")

    open_widget(page)
    box = page.locator(PANEL_FRAME).bounding_box()
    assert box["width"] >= 350 and box["height"] >= 450
    chat(page).locator("#close").click()
    expect(page.locator(PANEL_FRAME)).to_be_hidden()
    launcher.click()
    expect(page.locator(PANEL_FRAME)).to_be_visible()
    launcher.click()
    expect(page.locator(PANEL_FRAME)).to_be_hidden()

    assert page.evaluate("widgetEvents") == ["opened", "closed", "opened", "closed"]
    assert (
        page.evaluate("""Object.getOwnPropertyNames(window).filter(
        (name) => !__globalsBefore.includes(name) && !/^(__|widgetEvents$|[0-9]+$)/.test(name))""")
        == ["Passordhjelp"]
    )
    assert csp_violations(page) == []


@pytest.mark.parametrize("language", ["en", "nb"])
def test_widget_conversation_by_keyboard_only_is_accessible(
    web_stack, new_page, intranet, language
):
    phrases = LANGUAGES[language]
    page = new_page("en-GB")
    intranet(page, web_stack.anonymous, lang=phrases["html_lang"], attributes=phrases["attributes"])
    launcher = page.locator(LAUNCHER)
    expect(launcher).to_have_accessible_name(phrases["open"])
    for _ in range(10):  # past the intranet's own links
        page.keyboard.press("Tab")
        if launcher.evaluate("e => e.getRootNode().activeElement === e"):
            break
    expect(launcher).to_be_focused()

    page.keyboard.press("Enter")
    message = chat(page).locator("#message")
    expect(message).to_be_focused()
    expect(message).to_have_attribute("placeholder", phrases["placeholder"])
    expect(chat(page).locator("#log")).to_have_attribute("aria-live", "polite")
    page.keyboard.type(phrases["forgot"])
    page.keyboard.press("Enter")
    expect(bot_bubbles(page).filter(has_text=phrases["offer"])).to_have_count(1)

    yes = chat(page).locator(".quick-reply", has_text=phrases["yes"])
    for _ in range(4):  # back from the message field to the suggested replies
        page.keyboard.press("Shift+Tab")
        if yes.evaluate("e => document.activeElement === e"):
            break
    expect(yes).to_be_focused()
    page.keyboard.press("Enter")
    expect(user_bubbles(page).last).to_have_text(phrases["yes"])
    expect(bot_bubbles(page).last).to_contain_text(phrases["confirm"])
    expect(message).to_be_focused()

    assert axe_violations(chat_frame(page)) == []
    assert axe_violations(page, 'document.querySelector("passordhjelp-widget")') == []

    page.keyboard.press("Escape")
    expect(page.locator(PANEL_FRAME)).to_be_hidden()
    expect(launcher).to_be_focused()


def test_widget_labels_follow_the_page_then_the_conversation(web_stack, new_page, intranet):
    page = new_page("en-GB")
    intranet(page, web_stack.anonymous, lang="nb-NO")
    expect(page.locator(LAUNCHER)).to_have_accessible_name("Åpne chatten for passordhjelp")
    open_widget(page)
    expect(chat(page).locator("#message")).to_have_attribute("placeholder", "Skriv meldingen din…")

    # No data-language, no <html lang>: the browser's language until the conversation has one.
    page = new_page("en-GB")
    intranet(page, web_stack.anonymous, lang="")
    open_widget(page)
    expect(chat(page).locator("#message")).to_have_attribute("placeholder", "Type your message…")
    say(page, "jeg har glemt passordet mitt")
    expect(chat(page).locator("#message")).to_have_attribute("placeholder", "Skriv meldingen din…")
    expect(chat(page).locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator(LAUNCHER)).to_have_accessible_name("Åpne chatten for passordhjelp")


def test_widget_reconnects_without_losing_messages_and_keeps_them_over_a_reload(
    web_stack, new_page, intranet
):
    server = web_stack.anonymous
    page = new_page(width=1280, height=800)
    intranet(page, server)
    open_widget(page)
    chat_frame(page).evaluate(WATCH_TYPING)
    say(page, "I forgot my password")
    expect(bot_bubbles(page).filter(has_text="Shall I ask your admins")).to_have_count(1)
    assert chat_frame(page).evaluate("window.typingSeen")
    expect(chat(page).locator("#typing")).to_be_hidden()

    # The connection drops; what is written meanwhile goes out when it is back.
    page.route(f"{server.url}/socket.io/**", lambda route: route.abort())
    say(page, "yes")
    expect(chat(page).locator("#status")).to_contain_text("Connection lost")
    expect(user_bubbles(page).last).to_contain_text("Sending…")
    page.evaluate("Passordhjelp.close()")
    page.unroute(f"{server.url}/socket.io/**")
    # The answer comes while the panel is closed: the launcher counts it.
    expect(page.locator(BADGE)).to_have_text(re.compile(r"^[1-9]$"), timeout=60_000)
    expect(page.locator(LAUNCHER)).to_have_accessible_name(re.compile(r"\(\d new messages\)$"))
    page.locator(LAUNCHER).click()
    expect(page.locator(BADGE)).to_be_hidden()
    expect(user_bubbles(page)).to_have_text(["I forgot my password", "yes"])
    expect(bot_bubbles(page).last).to_contain_text("To confirm: I'll file")
    shown = bot_bubbles(page).all_text_contents()

    page.reload()  # the panel was open: it opens again, with the conversation
    expect(chat(page).locator("#message")).to_be_enabled()
    expect(user_bubbles(page)).to_have_text(["I forgot my password", "yes"])
    expect(bot_bubbles(page)).to_have_text(shown)
    session_id = chat_frame(page).evaluate(
        "JSON.parse(localStorage.getItem('passordhjelp.webchat.state')).sessionId"
    )

    chat(page).get_by_role("button", name="Start over").click()
    expect(chat(page).locator("#status")).to_have_text("A new conversation has started.")
    # The assistant drops the pending request too (the restart intent) and greets afresh.
    expect(bot_bubbles(page).first).to_have_text("OK, let's start over. I haven't filed anything.")
    expect(user_bubbles(page)).to_have_count(0)
    expect(bot_bubbles(page).filter(has_text="To confirm")).to_have_count(0)
    page.reload()
    expect(chat(page).locator("#message")).to_be_enabled()
    expect(user_bubbles(page)).to_have_count(0)
    expect(bot_bubbles(page).first).to_have_text("OK, let's start over. I haven't filed anything.")
    assert "user" in tracker_events(server, session_id)  # the same conversation, started over


def test_widget_signs_in_through_set_token_and_the_token_url(web_stack, new_page, intranet):
    server = web_stack.signed_in
    page = new_page()
    intranet(page, server)
    open_widget_without_waiting = page.locator(LAUNCHER)
    open_widget_without_waiting.click()
    expect(chat(page).locator("#status")).to_have_text(
        "Please sign in to the intranet to use this chat."
    )
    page.evaluate("(token) => Passordhjelp.setToken(token)", token_for(KARI, server.jwt_secret))
    expect(chat(page).locator("#message")).to_be_enabled()
    say(page, "I forgot my password")
    expect(bot_bubbles(page).filter(has_text="Shall I ask your admins")).to_have_count(1)
    assert "user" in tracker_events(server, KARI)

    # Or the widget fetches the token from the intranet, with the intranet's cookies.
    page = new_page()
    seen = intranet(
        page,
        server,
        attributes=' data-token-url="/token"',
        token=token_for("ola@contoso.no", server.jwt_secret),
    )
    open_widget(page)
    assert (
        chat_frame(page).evaluate(
            "JSON.parse(localStorage.getItem('passordhjelp.webchat.state')).sessionId"
        )
        == "ola@contoso.no"
    )
    assert len(seen.token_requests) == 1
    assert "intranet_session=s1" in seen.token_requests[0]["Cookie"]


def test_widget_keeps_no_typed_password_in_the_browser(web_stack, new_page, intranet):
    server = web_stack.anonymous
    page = new_page()
    intranet(page, server)
    page.evaluate("""window.widgetMessages = [];
        Passordhjelp.on("message", (m) => widgetMessages.push(m.from + ": " + m.text));""")
    open_widget(page)
    say(page, f"my password is {PASSWORD}")
    # The page shows, keeps and tells the host only what the server kept.
    expect(user_bubbles(page).last).to_have_text("my password is [secret removed]")
    expect(bot_bubbles(page).filter(has_text="treat it as exposed")).to_have_count(1)
    assert "user: my password is [secret removed]" in page.evaluate("widgetMessages")
    assert PASSWORD not in everything_in_browser(page)
    assert PASSWORD not in " ".join(page.evaluate("widgetMessages"))

    page.reload()
    expect(user_bubbles(page).last).to_have_text("my password is [secret removed]")
    assert PASSWORD not in everything_in_browser(page)
    assert PASSWORD not in web_stack.everything_stored()


def test_widget_fits_a_phone_and_a_desktop_and_text_at_200_percent(web_stack, new_page, intranet):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 800), (360, 740)):
        page = new_page("nb-NO", width=width, height=height)
        intranet(page, web_stack.anonymous, lang="nb")
        open_widget(page)
        say(page, "jeg har glemt passordet mitt")
        expect(chat(page).locator(".quick-reply")).to_have_count(2)
        box = page.locator(PANEL_FRAME).bounding_box()
        if width == 360:  # the whole screen on a phone
            assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 360, 740)
        path = ARTIFACTS / f"widget-{width}.png"
        page.screenshot(path=str(path))

        frame = chat_frame(page)
        frame.evaluate("document.documentElement.style.fontSize = '200%'")
        for control in ("#message", "#send", "#close", "#start-over"):
            expect(chat(page).locator(control)).to_be_in_viewport()
        assert frame.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_widget_shows_a_request_update_sent_while_the_connection_was_down_once(
    web_stack, new_page, intranet
):
    server = web_stack.signed_in
    person = f"eva.{uuid.uuid4().hex[:8]}@contoso.no"
    page = new_page(width=1280, height=800)
    intranet(page, server)
    page.locator(LAUNCHER).click()
    page.evaluate(
        "(token) => Passordhjelp.setToken(token)",
        token_for(person, server.jwt_secret, expires_in=1800),
    )
    expect(chat(page).locator("#message")).to_be_enabled()
    say(page, "I forgot my password")
    chat(page).locator(".quick-reply", has_text="Yes, please").click()
    chat(page).locator(".quick-reply", has_text="Yes, file it").click()
    filed = bot_bubbles(page).filter(has_text="Your reset request is filed")
    expect(filed).to_have_count(1)
    reference = filed.locator("strong").inner_text()

    # The network goes; the page notices. Meanwhile the admin resets the password, and
    # the assistant tells the conversation, which has no socket to reach.
    page.context.set_offline(True)
    expect(chat(page).locator("#status")).to_contain_text("Connection lost", timeout=60_000)
    assert web_stack.admin("take", reference).returncode == 0
    result = web_stack.admin("resolve", reference)
    assert result.returncode == 0, result.stderr
    wait_for(lambda: any("Good news" in text for text in bot_texts(server, person)))
    good_news = bot_bubbles(page).filter(has_text="Good news")
    expect(good_news).to_have_count(0)

    page.context.set_offline(False)
    expect(chat(page).locator("#status")).to_have_text("Connected again.", timeout=60_000)
    expect(good_news).to_have_count(1)
    expect(good_news).to_contain_text(reference)
    time.sleep(2)  # nothing comes twice
    expect(good_news).to_have_count(1)
    page.reload()
    expect(chat(page).locator("#message")).to_be_enabled()
    expect(bot_bubbles(page).filter(has_text="Good news")).to_have_count(1)
    expect(bot_bubbles(page).last).to_contain_text("Good news")


def test_widget_on_a_phone_is_a_modal_dialog_that_keeps_the_keyboard_inside(
    web_stack, new_page, intranet
):
    page = new_page("nb-NO", width=360, height=740)
    intranet(page, web_stack.anonymous, lang="nb")
    launcher = page.locator(LAUNCHER)
    expect(page.locator("passordhjelp-widget .panel")).to_have_attribute("role", "dialog")
    for _ in range(10):  # past the intranet's own links
        page.keyboard.press("Tab")
        if launcher.evaluate("e => e.getRootNode().activeElement === e"):
            break
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(chat(page).locator("#message")).to_be_focused()
    panel = page.locator("passordhjelp-widget .panel")
    expect(panel).to_have_attribute("aria-modal", "true")
    expect(panel).to_have_accessible_name("Passordhjelp")
    assert axe_violations(page, 'document.querySelector("passordhjelp-widget")') == []
    assert axe_violations(chat_frame(page)) == []

    # Forwards: message, send, then round to the top of the chat; never onto the page;
    # every stop with a visible focus outline.
    seen = [focus_in_chat(page)]
    for _ in range(6):
        page.keyboard.press("Tab")
        seen.append(focus_in_chat(page))
        assert focus_is_visible(chat_frame(page)), seen
    assert seen[:4] == ["message", "send", "start-over", "close"], seen
    assert "" not in seen, seen
    # Backwards from the top: round to the bottom.
    chat(page).locator("#start-over").focus()
    page.keyboard.press("Shift+Tab")
    assert focus_in_chat(page) == "send"
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        assert focus_in_chat(page), "Shift+Tab left the dialog"

    page.keyboard.press("Escape")
    expect(page.locator(PANEL_FRAME)).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(panel).not_to_have_attribute("aria-modal", "true")

    # On a desktop it is a dialog beside the page, not a modal one; open() moves focus in.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.evaluate("Passordhjelp.open()")
    expect(chat(page).locator("#message")).to_be_focused()
    expect(panel).not_to_have_attribute("aria-modal", "true")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past send: on to the host page, which stays usable
    assert focus_in_chat(page) == ""
