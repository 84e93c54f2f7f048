"""Rasa's calls to an endpoint (the action server) reuse one kept session and connection."""

from __future__ import annotations

import json
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
