"""Real servers for end-to-end tests: one action server and Rasa servers on free ports.

Each test package builds its stack from this: the REST conversations (tests/e2e),
the web chat (tests/web) and the Slack and Teams channels (tests/channels).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional

import pytest
import requests

from passordhjelp.config import PROJECT_ROOT

RASA = str(Path(sys.executable).with_name("rasa"))
MODEL = PROJECT_ROOT / "models" / "passordhjelp.tar.gz"
READY_TIMEOUT_SECONDS = 240
# Variables of the developer's shell that must not leak into test servers.
UNSET = ("WEBCHAT_JWT_SECRET", "WEBCHAT_JWT_PUBLIC_KEY", "HELPDESK_WEBHOOK_URL",
         "RASA_API_TOKEN", "PASSORDHJELP_ENV", "PASSORDHJELP_CREDENTIALS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_model() -> None:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test`, which trains it first")


@dataclass
class RasaServer:
    name: str
    port: int
    tracker_db: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Stack:
    """An action server and any number of Rasa servers sharing one request database."""

    def __init__(self, workdir: Path, *, env: Optional[Dict[str, str]] = None) -> None:
        self.workdir = workdir
        self.action_port = free_port()
        self.action_token = uuid.uuid4().hex
        self.database_url = f"sqlite:///{workdir / 'requests.db'}"
        self.logs = workdir / "logs"
        self.logs.mkdir()
        self.env = {k: v for k, v in os.environ.items() if k not in UNSET}
        self.env.update(DATABASE_URL=self.database_url, RASA_TELEMETRY_ENABLED="false",
                        PASSORDHJELP_DATA_DIR=str(workdir), ACTION_SERVER_TOKEN=self.action_token)
        self.env.update(env or {})
        self.servers: List[RasaServer] = []
        self._processes: List[subprocess.Popen] = []
        self._ready_urls = [f"http://127.0.0.1:{self.action_port}/health"]

    @property
    def url(self) -> str:
        """The first Rasa server's address."""
        return self.servers[0].url

    @property
    def tracker_db(self) -> Path:
        return self.servers[0].tracker_db

    def _launch(self, name: str, command: List[str], env: Dict[str, str]) -> None:
        with open(self.logs / f"{name}.log", "w", encoding="utf-8") as log:
            self._processes.append(subprocess.Popen(command, cwd=PROJECT_ROOT, env=env,
                                                    stdout=log, stderr=subprocess.STDOUT))

    def start_action_server(self) -> None:
        self._launch("actions", [sys.executable, "-m", "runtime.action_server",
                                 "--port", str(self.action_port)], self.env)

    def start_rasa(self, name: str, *, credentials: Path, args: Iterable[str] = (),
                   env: Optional[Dict[str, str]] = None,
                   endpoints: Optional[Path] = None) -> RasaServer:
        """A Rasa server with the given channels and, unless ``endpoints`` says
        otherwise, its own SQLite tracker store."""
        server = RasaServer(name, free_port(), self.workdir / f"tracker-{name}.db")
        if endpoints is None:
            endpoints = self.workdir / f"endpoints-{name}.yml"
            endpoints.write_text(
                f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
                f"  headers:\n    X-Action-Token: {self.action_token}\n"
                f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {server.tracker_db}\n",
                encoding="utf-8")
        self._launch(name, [RASA, "run", "--model", str(MODEL), "--port", str(server.port),
                            "--endpoints", str(endpoints), "--credentials", str(credentials),
                            *args], dict(self.env, **(env or {})))
        self.servers.append(server)
        self._ready_urls.append(f"{server.url}/")
        return server

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            for process in self._processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args[:3]} exited: see {self.logs}")
            try:
                if all(requests.get(url, timeout=2).ok for url in self._ready_urls):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"not ready after {READY_TIMEOUT_SECONDS} s: see {self.logs}")

    def stop(self) -> None:
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
        for process in self._processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    def admin(self, *args: str) -> subprocess.CompletedProcess:
        """The admin command, configured like the running servers."""
        return subprocess.run([sys.executable, "-m", "passordhjelp.admin", *args],
                              cwd=PROJECT_ROOT, env=self.env, capture_output=True, text=True,
                              timeout=120)

    def request_rows(self) -> List[Dict]:
        with sqlite3.connect(self.database_url.removeprefix("sqlite:///")) as db:
            db.row_factory = sqlite3.Row
            try:
                return [dict(r) for r in db.execute("select * from reset_requests")]
            except sqlite3.OperationalError:
                return []

    def everything_stored(self) -> str:
        """Every row of every database and every server log, as one text."""
        parts = []
        databases = [s.tracker_db for s in self.servers]
        databases.append(Path(self.database_url.removeprefix("sqlite:///")))
        for db_path in databases:
            with sqlite3.connect(db_path) as db:
                for (table,) in db.execute("select name from sqlite_master where type='table'"):
                    parts += [repr(row) for row in db.execute(f'select * from "{table}"')]
        parts += [p.read_text(encoding="utf-8", errors="replace") for p in self.logs.glob("*.log")]
        return "\n".join(parts)
