"""A PostgreSQL and a Redis of the tests' own, which they may stop and start, and the
production-shaped stack on them (tracker store on PostgreSQL, lock store on Redis).

The machine's shared PostgreSQL and Redis are never touched: the database is an
``initdb`` in a temporary folder served by the installed binaries on a free
port, Redis a ``redis-server`` on a free port without persistence.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator, Optional

import pytest
import redis
import requests
import sqlalchemy as sa

from passordhjelp.config import PROJECT_ROOT
from runtime.launcher import free_port
from stack import Stack, require_model
from tests.conftest import require_service
from webhook_server import WebhookServer

PG_BIN = Path(os.environ.get("PASSORDHJELP_TEST_PG_BIN", "/usr/local/bin"))


def _postgres_user() -> Optional[pwd.struct_passwd]:
    """PostgreSQL refuses to run as root: as root, run it as the `postgres` user."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        return None


class PostgresServer:
    """A throw-away PostgreSQL cluster (trust authentication, no fsync)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.user = _postgres_user()
        self.folder = Path(tempfile.mkdtemp(prefix="passordhjelp-faults-pg-"))
        if self.user:
            os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self._run(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                  "--no-sync", "-E", "UTF8")
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command) -> None:
        kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid} if self.user else {}
        subprocess.run([str(c) for c in command], check=True, capture_output=True, timeout=60,
                       cwd=self.folder, **kwargs)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")
        self._run(PG_BIN / "pg_ctl", "start", "-w", "-D", self.data, "-l", self.log,
                  "-o", options)

    def stop(self) -> None:
        self._run(PG_BIN / "pg_ctl", "stop", "-w", "-m", "fast", "-D", self.data)

    def close(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


class RedisServer:
    """A redis-server on a free port, no persistence; ``stop`` kills it, ``start`` starts anew."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: Optional[subprocess.Popen] = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def binaries_present() -> bool:
    return all((PG_BIN / name).exists() for name in ("initdb", "pg_ctl", "postgres")) and \
        shutil.which("redis-server") is not None and \
        (os.geteuid() != 0 or _postgres_user() is not None)


@pytest.fixture(scope="package")
def postgres() -> Iterator[PostgresServer]:
    require_service(binaries_present(),
                    f"PostgreSQL binaries in {PG_BIN} (initdb, pg_ctl, postgres) and redis-server")
    server = PostgresServer()
    yield server
    server.close()


@pytest.fixture(scope="package")
def redis_server(postgres) -> Iterator[RedisServer]:
    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def helpdesk() -> Iterator[WebhookServer]:
    server = WebhookServer()
    yield server
    server.close()


@pytest.fixture(scope="package")
def fault_stack(tmp_path_factory, postgres, redis_server, helpdesk) -> Iterator[Stack]:
    """An action server and a Rasa server as deployed at scale, on the servers above."""
    require_model()
    workdir = tmp_path_factory.mktemp("faults")
    stack = Stack(workdir, env={"DATABASE_URL": postgres.url, "ACTION_TIMEOUT_SECONDS": "2",
                                "HELPDESK_WEBHOOK_URL": helpdesk.url})
    stack.database_url = postgres.url
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{stack.action_port}/webhook"\n'
        f"  headers:\n    X-Action-Token: {stack.action_token}\n"
        "tracker_store:\n  type: runtime.tracker_store.FailClosedSQLTrackerStore\n"
        f"  dialect: postgresql\n  url: 127.0.0.1\n  port: {postgres.port}\n"
        "  db: postgres\n  username: postgres\n"
        "lock_store:\n  type: runtime.redis_lock_store.AtomicRedisLockStore\n"
        f"  url: 127.0.0.1\n  port: {redis_server.port}\n  db: 0\n  key_prefix: faults\n",
        encoding="utf-8")
    stack.start_action_server()
    stack.start_rasa("rasa", credentials=PROJECT_ROOT / "credentials.yml", endpoints=endpoints)
    try:
        stack.wait_until_ready()
        yield stack
    finally:
        stack.stop()


def say(stack: Stack, sender: str, text: str) -> requests.Response:
    return requests.post(f"{stack.url}/webhooks/rest/webhook",
                         json={"sender": sender, "message": text}, timeout=60)


def user_texts(database_url: str, sender: str):
    """What the tracker store kept of ``sender``'s messages, in order."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "select data from events where sender_id = :sender and type_name = 'user' "
                "order by id"), {"sender": sender})
            return [json.loads(data)["text"] for (data,) in rows]
    finally:
        engine.dispose()
