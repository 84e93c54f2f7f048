"""A PostgreSQL and a Redis of the tests' own (tests/faults/servers.py), which they may
stop and start, and the production-shaped stack on them (tracker store on PostgreSQL,
lock store on Redis)."""

from __future__ import annotations

import json
from typing import Iterator

import pytest
import requests
import sqlalchemy as sa

from faults.servers import PG_BIN, PostgresServer, RedisServer, binaries_present
from passordhjelp.config import PROJECT_ROOT
from stack import Stack, require_model
from tests.conftest import require_service
from webhook_server import WebhookServer


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
