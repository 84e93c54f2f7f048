"""Two Rasa servers, one action server: conversations shared through PostgreSQL and Redis.

The servers run with deploy/endpoints.postgres-redis.yml (Rasa's SQL tracker store
on PostgreSQL, Rasa's Redis lock store), configured only through its environment
variables, against a fresh PostgreSQL database (created and dropped here) and a
Redis database number and key prefix of their own. Every turn of a conversation
goes to the other server than the one before.
"""

from __future__ import annotations

import os
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests
import sqlalchemy as sa

from passordhjelp.config import PROJECT_ROOT
from stack import Stack, require_model
from tests.conftest import POSTGRES_URL, require_service

pytestmark = pytest.mark.slow

ENDPOINTS = PROJECT_ROOT / "deploy" / "endpoints.postgres-redis.yml"
REDIS_URL = os.environ.get("PASSORDHJELP_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
REQUEST_TIMEOUT_SECONDS = 60

CONVERSATIONS = 20
BURST = 20

FLOWS = {
    "en": {
        "turns": ["I forgot my password", "yes please", "yes, file it",
                  "what is the status of my request"],
        "admin_steps": "Users** > **Active users",
        "offer": "Shall I ask your admins",
        "filed": "Your reset request is filed. Your reference is **",
    },
    "nb": {
        # The offer and the confirmation answered with their buttons.
        "turns": ["jeg har glemt passordet mitt", "/affirm", "/affirm",
                  "hva er status på forespørselen min"],
        "admin_steps": "**Brukere** > **Aktive brukere**",
        "offer": "Skal jeg be administratorene",
        "filed": "Forespørselen er sendt. Referansen din er **",
    },
}


def postgres_available(engine: sa.engine.Engine) -> bool:
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        return False


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL, socket_timeout=5)


def redis_available() -> bool:
    import redis

    try:
        return bool(redis_client().ping())
    except redis.RedisError:
        return False


class Cluster(Stack):
    """One action server and two Rasa servers sharing PostgreSQL and Redis."""

    def __init__(self, workdir: Path, database: str) -> None:
        self.key_prefix = f"scale{uuid.uuid4().hex[:8]}"
        url = sa.engine.make_url(POSTGRES_URL).set(database=database)
        redis_url = redis_client().connection_pool.connection_kwargs
        super().__init__(workdir, env=dict(
            DATABASE_URL=url.render_as_string(hide_password=False),
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            TRACKER_DB_HOST=url.host or "127.0.0.1",
            TRACKER_DB_PORT=str(url.port or 5432),
            TRACKER_DB_NAME=database,
            TRACKER_DB_USER=url.username or "postgres",
            TRACKER_DB_PASSWORD=url.password or "",
            LOCK_STORE_HOST=redis_url.get("host", "127.0.0.1"),
            LOCK_STORE_PORT=str(redis_url.get("port", 6379)),
            LOCK_STORE_DB=str(redis_url.get("db", 0)),
            LOCK_STORE_KEY_PREFIX=self.key_prefix,
            LOCK_STORE_PASSWORD=redis_url.get("password") or "",
        ))
        self.database_url = self.env["DATABASE_URL"]
        self.env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{self.action_port}/webhook"
        self.start_action_server()
        for number in range(2):
            self.start_rasa(f"rasa{number}", credentials=PROJECT_ROOT / "credentials.yml",
                            endpoints=ENDPOINTS, args=["--interface", "127.0.0.1"])
        self.wait_until_ready()

    @property
    def urls(self) -> List[str]:
        return [server.url for server in self.servers]

    def say(self, server: int, sender: str, message: str) -> List[Dict]:
        response = requests.post(f"{self.urls[server % 2]}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": message},
                                 timeout=REQUEST_TIMEOUT_SECONDS)
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    admin = sa.create_engine(POSTGRES_URL, future=True, isolation_level="AUTOCOMMIT")
    require_service(postgres_available(admin), f"PostgreSQL at {POSTGRES_URL}")
    require_service(redis_available(), f"Redis at {REDIS_URL}")
    require_model()
    database = f"passordhjelp_scale_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    cluster = None
    try:
        cluster = Cluster(tmp_path_factory.mktemp("scale"), database)
        cluster.engine = sa.create_engine(cluster.database_url, future=True)
        yield cluster
    finally:
        if cluster is not None:
            cluster.stop()
            cluster.engine.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
        if cluster is not None:
            red = redis_client()
            for key in red.scan_iter(match=f"{cluster.key_prefix}:*"):
                red.delete(key)


def events(cluster: Cluster, sender: str) -> List[Dict]:
    with cluster.engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT type_name, action_name, intent_name FROM events "
                    "WHERE sender_id = :sender ORDER BY id"), {"sender": sender})
        return [dict(row._mapping) for row in rows]


def actions_after_each_user_message(rows: List[Dict]) -> List[List[str]]:
    """For each user event, the actions run before the next user event."""
    turns: List[List[str]] = []
    for row in rows:
        if row["type_name"] == "user":
            turns.append([])
        elif row["type_name"] == "action" and turns:
            turns[-1].append(row["action_name"])
    return turns


def run_conversation(cluster: Cluster, number: int, language: str) -> Dict:
    """The forgot-password flow, each turn on the other server than the turn before."""
    flow = FLOWS[language]
    sender = f"scale-{language}-{number}-{uuid.uuid4().hex[:6]}"
    replies = [cluster.say(number + turn, sender, message)
               for turn, message in enumerate(flow["turns"])]
    return {"sender": sender, "language": language, "replies": replies}


def test_conversations_continue_across_both_servers(cluster):
    languages = ["en", "nb"] * (CONVERSATIONS // 2)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda args: run_conversation(cluster, *args),
                                enumerate(languages)))

    assert len(results) == CONVERSATIONS
    with cluster.engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT sender_id, reference, language FROM reset_requests")).fetchall()
    filed = {row.sender_id: (row.reference, row.language) for row in rows}
    for result in results:
        flow, (offer, confirm, done, status) = FLOWS[result["language"]], result["replies"]
        context = f"{result['sender']}: {result['replies']}"
        assert flow["admin_steps"] in offer[0]["text"], context
        assert flow["offer"] in offer[-1]["text"], context
        assert [b["payload"] for b in offer[-1]["buttons"]] == ["/affirm", "/deny"], context
        assert confirm[-1]["buttons"][0]["payload"] == "/affirm", context
        [filed_reply] = done
        assert flow["filed"] in filed_reply["text"], context
        reference = filed_reply["text"].split("**")[1]
        assert filed[result["sender"]] == (reference, result["language"]), context
        assert reference in " ".join(r.get("text", "") for r in status), context
        # Four user messages, each answered once, across two servers.
        assert [r["type_name"] for r in events(cluster, result["sender"])].count("user") == 4
    assert len(rows) == CONVERSATIONS


def test_concurrent_messages_to_one_conversation_are_serialised_by_the_lock_store(cluster):
    reference_sender = f"scale-reference-{uuid.uuid4().hex[:6]}"
    cluster.say(0, reference_sender, "hi")
    [expected_turn] = actions_after_each_user_message(events(cluster, reference_sender))
    assert expected_turn and expected_turn[-1] == "action_listen"

    sender = f"scale-burst-{uuid.uuid4().hex[:6]}"
    start = threading.Barrier(BURST)

    def send(number: int) -> List[Dict]:
        start.wait(timeout=30)
        return cluster.say(number, sender, "hi")

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        replies = list(pool.map(send, range(BURST)))

    assert all(reply and "Passordhjelp" in reply[0]["text"] for reply in replies), replies
    rows = events(cluster, sender)
    types = [r["type_name"] for r in rows]
    assert types.count("user") == BURST, rows
    assert [r["action_name"] for r in rows].count("action_session_start") == 1
    turns = actions_after_each_user_message(rows)
    # Each message ran exactly the actions of one turn: none lost, none duplicated
    # or interleaved with another message's.
    assert turns == [expected_turn] * BURST
    assert not list(redis_client().scan_iter(match=f"{cluster.key_prefix}:*"))
