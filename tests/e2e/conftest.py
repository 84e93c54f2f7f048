"""Starts the real action server and Rasa server on free ports against temporary databases."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests

from passordhjelp.config import PROJECT_ROOT
from webhook_server import WebhookServer

RASA = str(Path(sys.executable).with_name("rasa"))
MODEL = PROJECT_ROOT / "models" / "passordhjelp.tar.gz"
READY_TIMEOUT_SECONDS = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RasaStack:
    """A running action server and Rasa server; ``say`` talks to it over REST."""

    def __init__(self, workdir: Path, *, extra_env: Dict[str, str]) -> None:
        self.workdir = workdir
        self.extra_env = extra_env
        self.rasa_port, self.action_port = free_port(), free_port()
        self.database_url = f"sqlite:///{workdir / 'requests.db'}"
        self.tracker_db = workdir / "tracker.db"
        self.action_token = uuid.uuid4().hex
        self.api_token = uuid.uuid4().hex
        self.processes: List[subprocess.Popen] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def start(self) -> None:
        endpoints = self.workdir / "endpoints.yml"
        endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
            f"  headers:\n    X-Action-Token: {self.action_token}\n"
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {self.tracker_db}\n",
            encoding="utf-8",
        )
        env = dict(os.environ, DATABASE_URL=self.database_url, RASA_TELEMETRY_ENABLED="false",
                   PASSORDHJELP_DATA_DIR=str(self.workdir), ACTION_SERVER_TOKEN=self.action_token, RASA_URL=self.url,
                   RASA_API_TOKEN=self.api_token, **self.extra_env)
        self.env = env
        logs = self.workdir / "logs"
        logs.mkdir()
        commands = {
            "actions": [sys.executable, "-m", "runtime.action_server",
                        "--port", str(self.action_port)],
            "rasa": [RASA, "run", "--model", str(MODEL), "--port", str(self.rasa_port),
                     "--endpoints", str(endpoints), "--credentials",
                     str(PROJECT_ROOT / "credentials.yml"),
                     "--enable-api", "--auth-token", self.api_token],
        }
        for name, command in commands.items():
            log = open(logs / f"{name}.log", "w", encoding="utf-8")
            self.processes.append(subprocess.Popen(command, cwd=PROJECT_ROOT, env=env,
                                                   stdout=log, stderr=subprocess.STDOUT))
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        urls = [f"http://127.0.0.1:{self.action_port}/health", f"{self.url}/"]
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args[:3]} exited: see {self.workdir}/logs")
            try:
                if all(requests.get(u, timeout=2).ok for u in urls):
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError(f"Rasa not ready after {READY_TIMEOUT_SECONDS} s")

    def admin(self, *args: str) -> subprocess.CompletedProcess:
        """The admin command, configured like the running servers."""
        return subprocess.run([sys.executable, "-m", "passordhjelp.admin", *args],
                              cwd=PROJECT_ROOT, env=self.env, capture_output=True, text=True,
                              timeout=120)

    def say(self, sender: str, message: str) -> List[Dict]:
        response = requests.post(f"{self.url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": message}, timeout=30)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def helpdesk_webhook() -> Iterator[WebhookServer]:
    server = WebhookServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def rasa_stack(tmp_path_factory, helpdesk_webhook) -> Iterator[RasaStack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test`, which trains it first")
    stack = RasaStack(tmp_path_factory.mktemp("stack"),
                      extra_env={"HELPDESK_WEBHOOK_URL": helpdesk_webhook.url})
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
