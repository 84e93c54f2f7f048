"""The web chat in a real browser: Debian's chromium, driven headless by Playwright.

One action server and two Rasa servers share a temporary request database: one
with the anonymous web chat, one with sign-in tokens required (WEBCHAT_JWT_SECRET).
Both use the project's credentials.yml, so the page is the one `make run` serves.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests

from passordhjelp.config import PROJECT_ROOT
from tests.conftest import require_service

RASA = str(Path(sys.executable).with_name("rasa"))
MODEL = PROJECT_ROOT / "models" / "passordhjelp.tar.gz"
CHROMIUM = Path("/usr/bin/chromium")
SOCKET_IO_DIST = PROJECT_ROOT / "web" / "node_modules" / "socket.io-client" / "dist" / \
    "socket.io.min.js"
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
READY_TIMEOUT_SECONDS = 240
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# Variables of the developer's shell that must not leak into the test servers.
UNSET = ("WEBCHAT_JWT_SECRET", "WEBCHAT_JWT_PUBLIC_KEY", "HELPDESK_WEBHOOK_URL")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ChatServer:
    """A Rasa server with the project's channels; ``page_url`` is the web chat."""

    name: str
    port: int
    tracker_db: Path
    jwt_secret: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def page_url(self) -> str:
        return f"{self.url}/webhooks/socketio/chat/"


class WebStack:
    """The action server and the two Rasa servers, started together."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.action_port = free_port()
        self.action_token = uuid.uuid4().hex
        self.database_url = f"sqlite:///{workdir / 'requests.db'}"
        self.anonymous = ChatServer("anonymous", free_port(), workdir / "tracker-anonymous.db")
        self.signed_in = ChatServer("signed-in", free_port(), workdir / "tracker-signed-in.db",
                                    jwt_secret=secrets.token_urlsafe(48))
        self.processes: List[subprocess.Popen] = []

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in UNSET}
        env.update(DATABASE_URL=self.database_url, RASA_TELEMETRY_ENABLED="false",
                   PASSORDHJELP_DATA_DIR=str(self.workdir),
                   ACTION_SERVER_TOKEN=self.action_token)
        logs = self.workdir / "logs"
        logs.mkdir()
        commands: Dict[str, tuple] = {
            "actions": ([sys.executable, "-m", "runtime.action_server",
                         "--port", str(self.action_port)], env),
        }
        for server in (self.anonymous, self.signed_in):
            endpoints = self.workdir / f"endpoints-{server.name}.yml"
            endpoints.write_text(
                f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
                f"  headers:\n    X-Action-Token: {self.action_token}\n"
                f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {server.tracker_db}\n",
                encoding="utf-8",
            )
            server_env = dict(env, **({"WEBCHAT_JWT_SECRET": server.jwt_secret}
                                      if server.jwt_secret else {}))
            commands[server.name] = (
                [RASA, "run", "--model", str(MODEL), "--port", str(server.port),
                 "--endpoints", str(endpoints),
                 "--credentials", str(PROJECT_ROOT / "credentials.yml")],
                server_env)
        for name, (command, command_env) in commands.items():
            log = open(logs / f"{name}.log", "w", encoding="utf-8")
            self.processes.append(subprocess.Popen(command, cwd=PROJECT_ROOT, env=command_env,
                                                   stdout=log, stderr=subprocess.STDOUT))
        self._wait_until_ready([f"http://127.0.0.1:{self.action_port}/health",
                                f"{self.anonymous.url}/", f"{self.signed_in.url}/"])

    def _wait_until_ready(self, urls: List[str]) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args[:3]} exited: see {self.workdir}/logs")
            try:
                if all(requests.get(u, timeout=2).ok for u in urls):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"not ready after {READY_TIMEOUT_SECONDS} s: see {self.workdir}/logs")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    require_service(CHROMIUM.exists(), f"Debian chromium at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(scope="session")
def web_stack(tmp_path_factory, chromium_path) -> Iterator[WebStack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test`, which trains it first")
    if not SOCKET_IO_DIST.exists():
        pytest.fail(f"no {SOCKET_IO_DIST.relative_to(PROJECT_ROOT)}: run `make test`, "
                    "which installs the web assets (npm ci in web/) first")
    stack = WebStack(tmp_path_factory.mktemp("webstack"))
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
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
