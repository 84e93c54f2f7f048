"""Two Rasa servers, one action server: conversations shared through PostgreSQL and Redis.

The servers run with deploy/endpoints.postgres-redis.yml (Rasa's SQL tracker store
on PostgreSQL, Rasa's Redis lock store), configured only through its environment
variables, against a fresh PostgreSQL database (created and dropped here) and a
Redis database number and key prefix of their own. Every turn of a conversation
goes to the other server than the one before.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests
import sqlalchemy as sa

from passordhjelp.config import PROJECT_ROOT
from tests.conftest import POSTGRES_URL, require_service

pytestmark = pytest.mark.slow

RASA = str(Path(sys.executable).with_name("rasa"))
MODEL = PROJECT_ROOT / "models" / "passordhjelp.tar.gz"
ENDPOINTS = PROJECT_ROOT / "deploy" / "endpoints.postgres-redis.yml"
REDIS_URL = os.environ.get("PASSORDHJELP_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
READY_TIMEOUT_SECONDS = 240
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
        "turns": ["jeg har glemt passordet mitt", "ja takk", "ja, send den",
                  "hva er status på forespørselen min"],
        "admin_steps": "**Brukere** > **Aktive brukere**",
        "offer": "Skal jeg be administratorene",
        "filed": "Forespørselen er sendt. Referansen din er **",
    },
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


class Cluster:
    """One action server and two Rasa servers sharing PostgreSQL and Redis."""

    def __init__(self, workdir: Path, database: str) -> None:
        self.workdir = workdir
        self.logs = workdir / "logs"
        self.logs.mkdir()
        self.action_port = free_port()
        self.rasa_ports = [free_port(), free_port()]
        self.key_prefix = f"scale{uuid.uuid4().hex[:8]}"
        url = sa.engine.make_url(POSTGRES_URL).set(database=database)
        self.database_url = url.render_as_string(hide_password=False)
        redis_url = redis_client().connection_pool.connection_kwargs
        self.env = dict(
            os.environ,
            RASA_TELEMETRY_ENABLED="false",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            PASSORDHJELP_DATA_DIR=str(workdir),
            DATABASE_URL=self.database_url,
            ACTION_SERVER_TOKEN=uuid.uuid4().hex,
            ACTION_ENDPOINT_URL=f"http://127.0.0.1:{self.action_port}/webhook",
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
        )
        self.processes: Dict[str, subprocess.Popen] = {}

    @property
    def urls(self) -> List[str]:
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports]

    def start(self) -> None:
        commands = {
            "actions": [sys.executable, "-m", "runtime.action_server",
                        "--port", str(self.action_port)],
        }
        for number, port in enumerate(self.rasa_ports):
            commands[f"rasa{number}"] = [
                RASA, "run", "--model", str(MODEL), "--interface", "127.0.0.1",
                "--port", str(port), "--endpoints", str(ENDPOINTS),
                "--credentials", str(PROJECT_ROOT / "credentials.yml")]
        for name, command in commands.items():
            with open(self.logs / f"{name}.log", "w", encoding="utf-8") as log:
                self.processes[name] = subprocess.Popen(
                    command, cwd=PROJECT_ROOT, env=self.env, stdout=log,
                    stderr=subprocess.STDOUT)
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        urls = [f"http://127.0.0.1:{self.action_port}/health"] + [f"{u}/" for u in self.urls]
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    log = (self.logs / f"{name}.log").read_text(encoding="utf-8")
                    raise RuntimeError(f"{name} exited ({process.returncode}):\n{log[-3000:]}")
            try:
                if all(requests.get(u, timeout=2).ok for u in urls):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"not ready after {READY_TIMEOUT_SECONDS} s: see {self.logs}")

    def say(self, server: int, sender: str, message: str) -> List[Dict]:
        response = requests.post(f"{self.urls[server % 2]}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": message},
                                 timeout=REQUEST_TIMEOUT_SECONDS)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    admin = sa.create_engine(POSTGRES_URL, future=True, isolation_level="AUTOCOMMIT")
    require_service(postgres_available(admin), f"PostgreSQL at {POSTGRES_URL}")
    require_service(redis_available(), f"Redis at {REDIS_URL}")
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test`, which trains it first")
    database = f"passordhjelp_scale_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    cluster = Cluster(tmp_path_factory.mktemp("scale"), database)
    try:
        cluster.start()
        cluster.engine = sa.create_engine(cluster.database_url, future=True)
        yield cluster
    finally:
        cluster.stop()
        if getattr(cluster, "engine", None) is not None:
            cluster.engine.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
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
