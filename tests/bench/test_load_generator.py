"""The bench's load generator (bench/run.py): every message of the bench's conversations
reaches the server as the REST channel expects it, each user over one kept-alive
connection, and answers are counted as they were (ok, empty, errors)."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections import defaultdict
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import run as bench


async def _serve(handler) -> tuple:
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/webhooks/rest/webhook"


async def test_every_message_arrives_in_order_over_one_connection_per_user():
    received = defaultdict(list)  # sender -> messages
    peers = set()

    async def webhook(request: web.Request) -> web.Response:
        assert request.content_type == "application/json"
        body = await request.json()
        assert set(body) == {"sender", "message"}
        received[body["sender"]].append(body["message"])
        peers.add(request.transport.get_extra_info("peername"))
        return web.json_response([{"recipient_id": body["sender"], "text": "ok"}])

    runner, url = await _serve(webhook)
    try:
        result = await bench.closed_loop(url, 3, 60, "t", 40)
    finally:
        await runner.cleanup()
    assert result["ok"] == result["requests"] == 40 and result["errors"] == 0
    assert sum(len(messages) for messages in received.values()) == 40
    assert len(peers) == 3  # kept alive: one connection per user
    for sender, messages in received.items():
        *_, user, number = sender.split("-")  # bench-t-c3-u<user>-<conversation number>
        index = int(user[1:]) + int(number)
        conversation = bench.CONVERSATIONS[index % len(bench.CONVERSATIONS)]
        assert messages == conversation[: len(messages)]  # non-ASCII text intact, in order
    assert any("å" in m for messages in received.values() for m in messages)


async def test_empty_replies_errors_and_closed_connections_are_counted():
    answers = iter(
        [
            web.json_response([]),
            web.json_response({"not": "a list"}),
            web.Response(status=500, text="boom"),
            web.json_response([{"text": "hi"}], headers={"Connection": "close"}),
        ]
    )

    async def webhook(request: web.Request) -> web.Response:
        await request.read()
        answer = next(answers, None)  # a Response is an empty mapping: falsy
        return web.json_response([{"text": "hi"}]) if answer is None else answer

    runner, url = await _serve(webhook)
    records = []  # bench/tail.py's record of each request
    try:
        result = await bench.closed_loop(url, 1, 60, "t", 6, records)
    finally:
        await runner.cleanup()
    assert result["requests"] == 6
    assert result["errors"] == 2  # not a list, HTTP 500
    assert result["ok"] == 4 and result["empty_replies"] == 1
    assert [r["ok"] for r in records] == [True, False, False, True, True, True]
    first, second = bench.CONVERSATIONS[0], bench.CONVERSATIONS[1]
    assert [r["text"] for r in records] == (first + second)[:6]
    assert [r["sender"] for r in records] == (
        ["bench-t-c1-u0-0"] * len(first) + ["bench-t-c1-u0-1"] * (6 - len(first))
    ) and all(
        r["others"] == 0 and r["ms"] > 0 for r in records
    )


def test_run_load_drives_a_server_from_uvloop():
    """``run_load`` (the bench's entry) with the server on a loop of its own thread."""
    loop = asyncio.new_event_loop()
    runner, url = loop.run_until_complete(_serve(_list_answer))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        result = bench.run_load(url, 2, 60, "t", 7)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.run_until_complete(runner.cleanup())
        loop.close()
    assert result["ok"] == result["requests"] == 7 and result["errors"] == 0


async def _list_answer(request: web.Request) -> web.Response:
    await request.read()
    return web.json_response([{"text": "hi"}])
