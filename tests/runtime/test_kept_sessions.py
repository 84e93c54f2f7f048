"""Rasa's calls to an endpoint (the action server) reuse one kept session and connection."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rasa.utils.endpoints import EndpointConfig

from runtime import kept_sessions


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps connections open
    clients: list = []
    headers_seen: list = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Recorder.clients.append(self.client_address)
        Recorder.headers_seen.append(dict(self.headers))
        answer = json.dumps({"echo": json.loads(body)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    Recorder.clients, Recorder.headers_seen = [], []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/webhook"
    httpd.shutdown()
    httpd.server_close()


async def test_kept_sessions_calls_share_one_connection(server, monkeypatch):
    endpoint = EndpointConfig(server, headers={"X-Action-Token": "t"})
    # Rasa's own: a new session and connection per call.
    assert await endpoint.request(json={"n": 1}) == {"echo": {"n": 1}}
    assert await endpoint.request(json={"n": 2}) == {"echo": {"n": 2}}
    assert Recorder.clients[0] != Recorder.clients[1]

    monkeypatch.setattr(EndpointConfig, "session", EndpointConfig.session)
    kept_sessions.install()
    try:
        answers = [await endpoint.request(json={"n": n}, method="post") for n in range(3)]
    finally:
        await kept_sessions.close_sessions(endpoint)
    assert answers == [{"echo": {"n": n}} for n in range(3)]
    assert len(set(Recorder.clients[2:])) == 1  # one connection for the three calls
    assert all(h["X-Action-Token"] == "t" for h in Recorder.headers_seen)


async def test_kept_sessions_a_closed_session_is_replaced(server, monkeypatch):
    monkeypatch.setattr(EndpointConfig, "session", kept_sessions.kept_session)
    endpoint = EndpointConfig(server)
    async with endpoint.session() as first:
        pass
    assert not first.closed  # kept open after `async with`
    await first.close()
    assert await endpoint.request(json={}) == {"echo": {}}
    async with endpoint.session() as second:
        assert second is not first and not second.closed
    await kept_sessions.close_sessions(endpoint)
    assert second.closed


def test_kept_sessions_refuses_another_rasa_release():
    with pytest.raises(RuntimeError, match="written for Rasa 3.6.21, found 3.7.0"):
        kept_sessions.install("3.7.0")


class RawServer:
    """Reads each request's bytes on a kept connection (head and Content-Length body) and
    answers with JSON; ``whole`` is set once a request is read whole, from its thread."""

    def __init__(self) -> None:
        self.requests: list = []
        self.whole = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/webhook"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        connection, _ = self.sock.accept()
        data = b""
        with connection:
            while True:
                while b"\r\n\r\n" not in data:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, data = data.partition(b"\r\n\r\n")
                length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
                while len(data) < length:
                    data += connection.recv(65536)
                body, data = data[:length], data[length:]
                self.requests.append((head, body))
                self.whole.set()
                answer = json.dumps({"length": len(body)}).encode()
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(answer), answer)
                )

    def close(self) -> None:
        self.sock.close()


BODY = {"next_action": "action_file_reset_request", "tracker": {"events": [{"n": 1}] * 2000}}


async def call_through(session_factory, monkeypatch) -> tuple:
    """The bytes one call sends (and its answer), through ``session_factory``'s session."""
    raw = RawServer()
    monkeypatch.setattr(EndpointConfig, "session", session_factory)
    endpoint = EndpointConfig(raw.url, headers={"X-Action-Token": "t"})
    try:
        answer = await endpoint.request(json=BODY, method="post")
    finally:
        await kept_sessions.close_sessions(endpoint)
        raw.close()
    (head, body), = raw.requests
    return head, body, answer


def without_host(call: tuple) -> tuple:
    head, body, answer = call
    return re.sub(rb"\r\nHost: [^\r]*", b"", head), body, answer


async def test_kept_sessions_send_the_bytes_rasas_session_sends(monkeypatch):
    ours = await call_through(kept_sessions.kept_session, monkeypatch)
    rasas = await call_through(kept_sessions.rasa_session, monkeypatch)

    assert without_host(ours) == without_host(rasas)
    assert json.loads(ours[1]) == BODY and ours[2] == {"length": len(ours[1])}


async def test_kept_sessions_write_the_body_with_the_head(monkeypatch):
    """The body leaves in the step that sends the head: no other of the event loop's work
    runs before it (aiohttp's own way writes it from a task of its own, later)."""
    raw = RawServer()
    monkeypatch.setattr(EndpointConfig, "session", kept_sessions.kept_session)
    endpoint = EndpointConfig(raw.url)
    try:
        await endpoint.request(json={}, method="post")  # the connection, kept
        raw.whole.clear()
        call = asyncio.create_task(endpoint.request(json=BODY, method="post"))
        # The call's first step runs (to its wait for the answer), then this one again.
        await asyncio.sleep(0)
        assert not call.done()
        # The loop runs nothing while this waits (a blocking wait, on purpose).
        arrived = raw.whole.wait(timeout=2)
        assert arrived, "the body waited for another turn of the event loop"
        assert await call == {"length": len(json.dumps(BODY))}
        # Its connection is free again at once: the next call goes over it (the server
        # takes no other), though aiohttp's body task had no turn before the answer came.
        assert await asyncio.wait_for(endpoint.request(json={}), 5) == {"length": 2}
    finally:
        await kept_sessions.close_sessions(endpoint)
        raw.close()
