"""The web chat in a real browser: Debian's chromium, driven headless by Playwright.

One action server and two Rasa servers share a temporary request database: one
with the anonymous web chat, one with sign-in tokens required (WEBCHAT_JWT_SECRET).
Both use the project's credentials.yml, so the page is the one `make run` serves.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from passordhjelp.config import PROJECT_ROOT
from stack import RasaServer, Stack, require_model
from tests.conftest import require_service

CHROMIUM = Path("/usr/bin/chromium")
SOCKET_IO_DIST = PROJECT_ROOT / "web" / "node_modules" / "socket.io-client" / "dist" / \
    "socket.io.min.js"
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@dataclass
class ChatServer:
    """A Rasa server with the project's channels; ``page_url`` is the web chat."""

    server: RasaServer
    jwt_secret: str = ""

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def tracker_db(self) -> Path:
        return self.server.tracker_db

    @property
    def page_url(self) -> str:
        return f"{self.url}/webhooks/socketio/chat/"


class WebStack(Stack):
    """The action server and two Rasa servers: anonymous web chat, and sign-in required."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        credentials = PROJECT_ROOT / "credentials.yml"
        jwt_secret = secrets.token_urlsafe(48)
        self.start_action_server()
        # Behind one proxy, as behind nginx: X-Forwarded-For names the client
        # (tests/web/test_webchat_protocol.py gives each test its own address).
        self.anonymous = ChatServer(self.start_rasa("anonymous", credentials=credentials,
                                                    env={"SANIC_PROXIES_COUNT": "1"}))
        self.signed_in = ChatServer(
            self.start_rasa("signed-in", credentials=credentials,
                            env={"WEBCHAT_JWT_SECRET": jwt_secret}), jwt_secret)
        self.wait_until_ready()


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    require_service(CHROMIUM.exists(), f"Debian chromium at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(scope="session")
def web_stack(tmp_path_factory, chromium_path) -> Iterator[WebStack]:
    require_model()
    if not SOCKET_IO_DIST.exists():
        pytest.fail(f"no {SOCKET_IO_DIST.relative_to(PROJECT_ROOT)}: run `make test`, "
                    "which installs the web assets (npm ci in web/) first")
    stack = None
    try:
        stack = WebStack(tmp_path_factory.mktemp("webstack"))
        yield stack
    finally:
        if stack:
            stack.stop()


# Module scope: sync Playwright keeps an event loop running in this thread, which
# async tests in modules collected after this one could not share.
@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path),
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser):
    """``new_page(locale)``: a page in a fresh browser context (its own localStorage)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)
    contexts = []

    def make(locale: str = "en-GB"):
        context = browser.new_context(locale=locale, viewport={"width": 900, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: saves tests/artifacts/NAME.png."""
    def save(page, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
