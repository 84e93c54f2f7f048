"""Real servers for end-to-end tests: one action server and Rasa servers on free ports.

Each test package builds its stack from this: the REST conversations (tests/e2e),
the web chat (tests/web) and the Slack and Teams channels (tests/channels).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional

import pytest

from passordhjelp.config import PROJECT_ROOT
from runtime.launcher import (
    MODEL,
    LaunchError,
    Launcher,
    action_server_command,
    free_port,
    rasa_command,
)

READY_TIMEOUT_SECONDS = 240
# As endpoints.yml: Rasa's SQL tracker store without the in-memory fallback (and the
# in-memory lock store that waits in milliseconds).
TRACKER_STORE = "runtime.tracker_store.FailClosedSQLTrackerStore"
# Variables of the developer's shell that must not leak into test servers.
UNSET = ("WEBCHAT_JWT_SECRET", "WEBCHAT_JWT_PUBLIC_KEY", "HELPDESK_WEBHOOK_URL",
         "RASA_API_TOKEN", "PASSORDHJELP_ENV", "PASSORDHJELP_CREDENTIALS")


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
        self.launcher = Launcher(env=self.env, logs=self.logs)

    @property
    def url(self) -> str:
        """The first Rasa server's address."""
        return self.servers[0].url

    @property
    def tracker_db(self) -> Path:
        return self.servers[0].tracker_db

    def start_action_server(self, *, env: Optional[Dict[str, str]] = None) -> None:
        """The action server; ``env`` adds to the stack's variables."""
        self.launcher.start("actions", action_server_command(self.action_port),
                            ready_url=f"http://127.0.0.1:{self.action_port}/health",
                            env={**self.env, **(env or {})})

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
                "  enable_selective_domain: true\n"
                f"tracker_store:\n  type: {TRACKER_STORE}\n  dialect: sqlite\n"
                f"  db: {server.tracker_db}\n"
                "lock_store:\n  type: runtime.ticket_lock.PromptInMemoryLockStore\n",
                encoding="utf-8")
        self.launcher.start(name, rasa_command(server.port, endpoints=endpoints,
                                               credentials=credentials, args=args),
                            ready_url=f"{server.url}/", env=dict(self.env, **(env or {})))
        self.servers.append(server)
        return server

    def wait_until_ready(self) -> None:
        """Wait for every server; if one fails, stop them all (no fixture would)."""
        try:
            self.launcher.wait_until_ready(timeout=READY_TIMEOUT_SECONDS)
        except LaunchError:
            self.stop()
            raise

    def stop(self) -> None:
        self.launcher.stop()

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
        """Every row of every database (but its row number: a 4-digit PIN looked for must not
        be found as event 4821) and every server log, as one text."""
        parts = []
        databases = [s.tracker_db for s in self.servers]
        databases.append(Path(self.database_url.removeprefix("sqlite:///")))
        for db_path in databases:
            with sqlite3.connect(db_path) as db:
                for (table,) in db.execute("select name from sqlite_master where type='table'"):
                    rows = db.execute(f'select * from "{table}"')
                    kept = [i for i, column in enumerate(rows.description) if column[0] != "id"]
                    parts += [repr(tuple(row[i] for i in kept)) for row in rows]
        parts += [p.read_text(encoding="utf-8", errors="replace") for p in self.logs.glob("*.log")]
        return "\n".join(parts)
