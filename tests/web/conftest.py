"""The web chat in a real browser: Debian's chromium, driven headless by Playwright.

One action server and two Rasa servers share a temporary request database: one
with the anonymous web chat, one with sign-in tokens required (WEBCHAT_JWT_SECRET)
and its HTTP API on, through which request updates reach the requester (the admin
command, ``WebStack.admin``, and the action server's worker tell them there).
Both use the project's credentials.yml, so the page is the one `make run` serves,
and both let a made-up intranet (``IntranetServer``) frame the chat
(WEBCHAT_EMBED_ORIGINS).
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from passordhjelp.config import PROJECT_ROOT
from stack import RasaServer, Stack, require_model
from tests.conftest import require_service

CHROMIUM = Path("/usr/bin/chromium")
SOCKET_IO_DIST = (
    PROJECT_ROOT / "web" / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
)
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
FIXTURES = Path(__file__).with_name("fixtures")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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

    def __init__(self, workdir: Path, *, embed_origin: str) -> None:
        api_token = secrets.token_urlsafe(32)
        super().__init__(workdir, env={"RASA_API_TOKEN": api_token})
        credentials = PROJECT_ROOT / "credentials.yml"
        jwt_secret = secrets.token_urlsafe(48)
        embed = {"WEBCHAT_EMBED_ORIGINS": embed_origin}
        # Behind one proxy, as behind nginx: X-Forwarded-For names the client
        # (tests/web/test_webchat_protocol.py gives each test its own address).
        self.anonymous = ChatServer(
            self.start_rasa(
                "anonymous", credentials=credentials, env={**embed, "SANIC_PROXIES_COUNT": "1"}
            )
        )
        self.signed_in = ChatServer(
            self.start_rasa(
                "signed-in",
                credentials=credentials,
                args=["--enable-api", "--jwt-secret", api_token, "--jwt-method", "HS256"],
                env={"WEBCHAT_JWT_SECRET": jwt_secret, **embed},
            ),
            jwt_secret,
        )
        # Requests are filed only when signed in: their updates go to that server.
        self.env["RASA_URL"] = self.signed_in.url
        self.start_action_server()
        self.wait_until_ready()


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    require_service(CHROMIUM.exists(), f"Debian chromium at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(scope="session")
def intranet_server() -> Iterator[IntranetServer]:
    server = IntranetServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def web_stack(tmp_path_factory, chromium_path, intranet_server) -> Iterator[WebStack]:
    require_model()
    if not SOCKET_IO_DIST.exists():
        pytest.fail(
            f"no {SOCKET_IO_DIST.relative_to(PROJECT_ROOT)}: run `make test`, "
            "which installs the web assets (npm ci in web/) first"
        )
    stack = None
    try:
        stack = WebStack(tmp_path_factory.mktemp("webstack"), embed_origin=intranet_server.origin)
        yield stack
    finally:
        if stack:
            stack.stop()



@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that used the web stack carries the servers' logs in its report: a
    failure seen once on a loaded CI machine can then be read, not only re-run. (These
    tests type only their own messages, so the logs hold no evaluation set's text.)"""
    outcome = yield
    report = outcome.get_result()
    stack = getattr(item, "funcargs", {}).get("web_stack")
    if report.when == "call" and report.failed and stack is not None:
        for log in sorted(stack.logs.glob("*.log")):
            text = log.read_text(encoding="utf-8", errors="replace")
            report.sections.append((f"server log {log.name}", text[-20_000:]))

# Module scope: sync Playwright keeps an event loop running in this thread, which
# async tests in modules collected after this one could not share.
@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
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

    def make(locale: str = "en-GB", *, width: int = 900, height: int = 900):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
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


def host_page_csp(chat_server: ChatServer) -> str:
    """The Content-Security-Policy README asks an intranet page with the widget to allow."""
    return (
        f"default-src 'self'; script-src 'self' {chat_server.url}; "
        f"style-src 'self' {chat_server.url}; frame-src {chat_server.url}; "
        "connect-src 'self'; img-src 'self'"
    )


class IntranetServer:
    """The made-up intranet: a local HTTP server with one page (set per test), its hostile
    stylesheet, and a token URL that answers ``{"token": ...}`` to its own session cookie.

    Another origin than the chat's (another port) on the same site, as
    intranet.contoso.no and chat.contoso.no are: browsers that block third-party
    storage (chromium's incognito, which Playwright uses) would keep no conversation in
    a frame from another site.
    """

    def __init__(self) -> None:
        self.page = ""
        self.csp = ""
        self.token = ""
        self.token_requests: List[Dict[str, str]] = []
        hostile_css = (FIXTURES / "hostile.css").read_bytes()
        intranet = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/hostile.css":
                    self._answer(200, "text/css", hostile_css)
                elif self.path == "/token":
                    intranet.token_requests.append(dict(self.headers))
                    if "intranet_session=s1" in (self.headers.get("Cookie") or ""):
                        self._answer(
                            200, "application/json", json.dumps({"token": intranet.token}).encode()
                        )
                    else:
                        self._answer(401, "application/json", b"{}")
                elif self.path == "/":
                    self._answer(
                        200,
                        "text/html; charset=utf-8",
                        intranet.page.encode(),
                        {"Content-Security-Policy": intranet.csp},
                    )
                else:
                    self._answer(404, "text/plain", b"not found")

            def _answer(self, status, content_type, body, headers=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def close(self) -> None:
        self._httpd.shutdown()


@pytest.fixture
def intranet(intranet_server: IntranetServer):
    """``intranet(page, server, lang=..., attributes=..., token=...)``: opens an intranet
    page with deliberately hostile CSS, a strict CSP and the widget's one script tag.

    ``attributes`` go on the script tag; ``token`` is what the intranet's ``/token``
    answers. Returns the intranet server (``token_requests``: what that URL received).
    """
    template = (FIXTURES / "intranet.html").read_text(encoding="utf-8")

    def open_page(
        page, server: ChatServer, *, lang: str = "en-GB", attributes: str = "", token: str = ""
    ) -> IntranetServer:
        html_lang = f' lang="{lang}"' if lang else ""
        intranet_server.page = (
            template.replace("{html_lang}", html_lang)
            .replace("{widget}", f"{server.page_url}widget.js")
            .replace("{attributes}", attributes)
        )
        intranet_server.csp = host_page_csp(server)
        intranet_server.token = token
        intranet_server.token_requests = []
        page.context.add_cookies(
            [{"name": "intranet_session", "value": "s1", "url": intranet_server.origin}]
        )
        page.context.add_init_script(script=RECORDERS)
        page.goto(f"{intranet_server.origin}/")
        return intranet_server

    return open_page


# In every frame, before its scripts: CSP violations, and the globals the page began with.
RECORDERS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));
window.__globalsBefore = Object.getOwnPropertyNames(window);
"""
