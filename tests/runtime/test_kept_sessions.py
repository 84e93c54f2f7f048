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


def _call(domain):
    return {"next_action": "validate_x", "sender_id": "ola", "tracker": {"events": [1.5, "ø"]},
            "version": "3.6.21", "domain": domain}


def test_kept_sessions_encode_a_call_as_json_dumps_does(monkeypatch):
    domain = {"responses": {"utter_hei": [{"text": "Hei på deg"}]}, "forms": {}}
    for payload in (_call(domain), _call(domain), {"domain": domain}, {"n": 1}, [1], _call([])):
        assert kept_sessions.encode_body(payload) == json.dumps(payload)
    # The domain dict is encoded once, the rest of each call every time.
    encoded = []
    monkeypatch.setattr(kept_sessions.json, "dumps", lambda value: encoded.append(value) or "{}")
    kept_sessions._encoded_domain.clear()
    kept_sessions.encode_body(_call(domain))
    kept_sessions.encode_body(_call(domain))
    assert sum(value is domain for value in encoded) == 1
    other = dict(domain)
    kept_sessions.encode_body(_call(other))
    assert sum(value is other for value in encoded) == 1


async def test_kept_sessions_send_the_domain_encoded_once(server, monkeypatch):
    endpoint = EndpointConfig(server)
    monkeypatch.setattr(EndpointConfig, "session", EndpointConfig.session)
    kept_sessions.install()
    domain = {"responses": {"utter_hei": [{"text": "Hei"}]}}
    kept_sessions._encoded_domain.clear()
    try:
        answers = [await endpoint.request(json=_call(domain), method="post") for _ in range(2)]
    finally:
        await kept_sessions.close_sessions(endpoint)
    assert answers == [{"echo": _call(domain)}] * 2
    assert kept_sessions._encoded_domain[0][0] is domain  # the kept session's encoding
