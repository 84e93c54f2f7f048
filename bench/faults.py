"""`python bench/faults.py`: the faults of issue 11 on the production shape, with figures.

One Rasa server and two action servers (both deliver helpdesk notifications) on a
PostgreSQL and a Redis of this script's own (tests/faults/servers.py), a local
helpdesk webhook, and simulated users who each file a request (forgot password,
yes, confirm; the yes by button) in English or Norwegian, closed loop. During each scenario one
thing breaks; afterwards every reply and every stored row is checked:

- answered: HTTP 200 with at least one message (told_action_failed: of which
  the reply says the action failed); try again: HTTP 503 with the try-again
  notice; silent: HTTP 200 with no message; other: anything else;
- lost: a message answered 200 whose user event is not in the tracker store;
- filings: replies that showed a reference, and how many of them lack the
  request row, the audit row or the user's confirmation in the tracker;
- helpdesk: references posted successfully more than once, or never.

Nothing here is asserted (tests/faults asserts the properties); the figures are
printed and written to bench/out/faults.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402
import yaml  # noqa: E402

from tests.faults.servers import PostgresServer, RedisServer  # noqa: E402
from runtime.launcher import Launcher, action_server_command, free_port, rasa_command  # noqa: E402
from tests.webhook_server import WebhookServer  # noqa: E402

OUT = PROJECT_ROOT / "bench" / "out" / "faults.json"
# The offer and the confirmation answered with their buttons.
CONVERSATIONS = [
    ["I forgot my password", "/affirm", "/affirm"],
    ["jeg har glemt passordet mitt", "/affirm", "/affirm"],
]
REFERENCE = re.compile(r"\b(PH-[A-Z0-9]{6})\b")
LABELS = yaml.safe_load((PROJECT_ROOT / "passordhjelp/content/labels.yml").read_text("utf-8"))
TRY_AGAIN = set(LABELS["notices"]["try_again"].values())
DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text("utf-8"))
ACTION_FAILED = {v["text"] for v in DOMAIN["responses"]["utter_action_failed"]}


class Deployment:
    """The processes and servers of one measurement run."""

    def __init__(self, workdir: Path) -> None:
        self.postgres = PostgresServer()
        self.redis = RedisServer()
        self.helpdesk = WebhookServer()
        self.database_url = self.postgres.url
        token = secrets.token_urlsafe(24)
        self.rasa_port, action_ports = free_port(), (free_port(), free_port())
        endpoints = workdir / "endpoints.yml"
        endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{action_ports[0]}/webhook"\n'
            f"  headers:\n    X-Action-Token: {token}\n"
            "tracker_store:\n  type: runtime.tracker_store.FailClosedSQLTrackerStore\n"
            f"  dialect: postgresql\n  url: 127.0.0.1\n  port: {self.postgres.port}\n"
            "  db: postgres\n  username: postgres\n"
            "lock_store:\n  type: runtime.redis_lock_store.AtomicRedisLockStore\n"
            f"  url: 127.0.0.1\n  port: {self.redis.port}\n  db: 0\n  key_prefix: faults\n",
            encoding="utf-8")
        self.launcher = Launcher(env={
            **os.environ,
            "DATABASE_URL": self.database_url, "ACTION_SERVER_TOKEN": token,
            "HELPDESK_WEBHOOK_URL": self.helpdesk.url, "RASA_TELEMETRY_ENABLED": "false",
            "PASSORDHJELP_DATA_DIR": str(workdir), "PASSORDHJELP_MESSAGES_PER_MINUTE": "1000",
            "LOG_LEVEL": "WARNING", "PYTHONWARNINGS": "ignore"}, logs=workdir)
        for index, port in enumerate(action_ports, start=1):
            self.launcher.start(f"actions-{index}", action_server_command(port),
                                ready_url=f"http://127.0.0.1:{port}/health")
        self.launcher.start("rasa", rasa_command(
            self.rasa_port, endpoints=endpoints, credentials=PROJECT_ROOT / "credentials.yml"),
            ready_url=f"{self.url}/")
        self.launcher.wait_until_ready(timeout=300)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def close(self) -> None:
        self.launcher.stop()
        self.redis.stop()
        self.postgres.close()
        self.helpdesk.close()

    def rows(self, query: str) -> List[Any]:
        engine = sa.create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                return list(connection.execute(sa.text(query)))
        finally:
            engine.dispose()


def run_load(deployment: Deployment, *, tag: str, users: int, seconds: float,
             fault: Callable[[], None], fault_at: float) -> List[Dict[str, Any]]:
    """Closed-loop users for ``seconds``; ``fault`` runs in a thread at ``fault_at``."""
    records: List[Dict[str, Any]] = []
    lock = threading.Lock()
    start = time.monotonic()

    def user(index: int) -> None:
        session, number = requests.Session(), 0
        while time.monotonic() - start < seconds:
            sender = f"{tag}-{index}-{number}"
            for text in CONVERSATIONS[(index + number) % 2]:
                sent = time.monotonic()
                try:
                    response = session.post(f"{deployment.url}/webhooks/rest/webhook",
                                            json={"sender": sender, "message": text},
                                            timeout=60)
                    status, body = response.status_code, response.json()
                except (requests.RequestException, ValueError) as error:
                    status, body = type(error).__name__, []
                texts = [m.get("text", "") for m in body] if isinstance(body, list) else []
                with lock:
                    records.append({"sender": sender, "text": text, "status": status,
                                    "replies": texts, "seconds": time.monotonic() - sent})
                if status != 200:
                    break           # a user told to try again starts over
            number += 1

    timer = threading.Timer(fault_at, fault)
    timer.start()
    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(user, range(users)))
    timer.join()
    return records


def judge(deployment: Deployment, records: List[Dict[str, Any]]) -> Dict[str, Any]:
    kinds = Counter()
    for record in records:
        if record["status"] == 200:
            kinds["answered" if record["replies"] else "silent"] += 1
            kinds["told_action_failed"] += bool(ACTION_FAILED & set(record["replies"]))
        elif record["status"] == 503 and set(record["replies"]) <= TRY_AGAIN and \
                record["replies"]:
            kinds["try_again"] += 1
        else:
            kinds["other"] += 1
    stored: Dict[str, List[str]] = defaultdict(list)
    for sender, data in deployment.rows(
            "select sender_id, data from events where type_name = 'user' order by id"):
        stored[sender].append(json.loads(data)["text"])
    answered: Dict[str, List[str]] = defaultdict(list)
    for record in records:
        if record["status"] == 200:
            answered[record["sender"]].append(record["text"])
    lost = sum(max(0, count - Counter(stored[sender])[text])
               for sender, texts in answered.items()
               for text, count in Counter(texts).items())
    requests_ = {r: s for r, s in deployment.rows("select reference, sender_id from reset_requests")}
    audited = {r for (r,) in deployment.rows(
        "select reference from request_decisions where decision = 'filed'")}
    shown = {}
    for record in records:
        for text in record["replies"]:
            match = REFERENCE.search(text)
            if match and record["status"] == 200:
                shown[match.group(1)] = record
    missing_request = [r for r in shown if r not in requests_]
    missing_audit = [r for r in shown if r not in audited]
    missing_in_tracker = [r for r, rec in shown.items()
                          if rec["text"] not in stored[rec["sender"]]]
    return {
        "messages": len(records), **kinds, "lost_events": lost,
        "filings_shown": len(shown), "filings_in_db": len(requests_),
        "shown_without_request": len(missing_request),
        "shown_without_audit": len(missing_audit),
        "shown_without_conversation": len(missing_in_tracker),
        "p99_s": round(statistics.quantiles([r["seconds"] for r in records], n=100)[98], 2)
        if len(records) > 100 else None,
    }


def helpdesk_posts(deployment: Deployment, *, wait: float) -> Dict[str, int]:
    """After waiting for deliveries: references posted 0, 1 or more times (successfully)."""
    references = {r for (r,) in deployment.rows("select reference from reset_requests")}
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if not deployment.rows("select id from notifications where status = 'pending'"):
            break
        time.sleep(1)
    posted = Counter()
    for post in deployment.helpdesk.received:
        match = REFERENCE.search(json.dumps(post["body"]))
        if match and post["status"] == 200:
            posted[match.group(1)] += 1
    return {"requests": len(references),
            "never_posted": sum(1 for r in references if posted[r] == 0),
            "posted_twice_or_more": sum(1 for r in references if posted[r] > 1),
            "failed_rows": len(deployment.rows(
                "select id from notifications where status = 'failed'"))}


def queued_to_one_conversation(deployment: Deployment, count: int = 20) -> float:
    sender = f"queue-{secrets.token_hex(4)}"
    requests.post(f"{deployment.url}/webhooks/rest/webhook",
                  json={"sender": sender, "message": "hi"}, timeout=60)
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=count) as pool:
        statuses = list(pool.map(lambda _: requests.post(
            f"{deployment.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": "thanks"}, timeout=60).status_code, range(count)))
    elapsed = time.monotonic() - start
    print(f"  {count} queued messages to one conversation: {elapsed:.2f} s, "
          f"statuses {dict(Counter(statuses))}", flush=True)
    return elapsed


def scenarios(deployment: Deployment) -> Dict[str, Callable[[], None]]:
    launcher = deployment.launcher

    def pg_restart() -> None:
        deployment.postgres.stop()
        deployment.postgres.start()

    def pg_stop_5s() -> None:
        deployment.postgres.stop()
        time.sleep(5)
        deployment.postgres.start()

    def redis_restart() -> None:
        deployment.redis.stop()
        deployment.redis.start()

    def redis_stop_3s() -> None:
        deployment.redis.stop()
        time.sleep(3)
        deployment.redis.start()

    def action_kill() -> None:
        # What `make run`'s supervisor, compose or Kubernetes then do: start it again.
        launcher.children["actions-1"].signal(signal.SIGKILL)
        launcher.restart("actions-1", timeout=120)

    def action_freeze_10s() -> None:
        launcher.children["actions-1"].signal(signal.SIGSTOP)
        time.sleep(10)
        launcher.children["actions-1"].signal(signal.SIGCONT)

    return {"postgres restart": pg_restart, "postgres stopped 5 s": pg_stop_5s,
            "redis restart": redis_restart, "redis stopped 3 s": redis_stop_3s,
            "action server killed": action_kill, "action server frozen 10 s": action_freeze_10s}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/faults.py")
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--only", action="append", help="run only these scenarios")
    args = parser.parse_args(argv)
    results: Dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="passordhjelp-faults-") as tmp:
        deployment = Deployment(Path(tmp))
        try:
            results["queued_20_s"] = queued_to_one_conversation(deployment)
            for index, (name, fault) in enumerate(scenarios(deployment).items()):
                if args.only and name not in args.only:
                    continue
                print(f"{name} ...", flush=True)
                records = run_load(deployment, tag=f"s{index}", users=args.users,
                                   seconds=args.seconds, fault=fault, fault_at=5.0)
                results[name] = judge(deployment, records)
                print(f"  {results[name]}", flush=True)
            if not args.only or "webhook 500 for 60 s" in args.only:
                print("webhook 500 for 60 s (two delivery workers) ...", flush=True)
                deployment.helpdesk.status = 500
                threading.Timer(60, lambda: setattr(deployment.helpdesk, "status", 200)).start()
                records = run_load(deployment, tag="hook", users=args.users,
                                   seconds=args.seconds, fault=lambda: None, fault_at=0)
                results["webhook 500 for 60 s"] = {**judge(deployment, records),
                                                   **helpdesk_posts(deployment, wait=150)}
                print(f"  {results['webhook 500 for 60 s']}", flush=True)
        finally:
            deployment.close()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
