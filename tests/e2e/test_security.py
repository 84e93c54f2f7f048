"""Secrets, spoofing and hostile input against the running servers (REST channel)."""

import json
import sqlite3
import uuid

import pytest
import requests

pytestmark = pytest.mark.slow

CANARIES = {"en": "my password is Canary-7Q9x!pz", "nb": "passordet mitt er Kanari-4Rt8#mw"}
SECRETS = {"en": "Canary-7Q9x!pz", "nb": "Kanari-4Rt8#mw"}
WARNINGS = {"en": "treat it as exposed", "nb": "regn det som avslørt"}

HOSTILE = [
    "", "   \t\n ", "x" * 100_000, "hei\x00\x01\x02\x1b[31m", "pass\u200bword\u200d help",
    "\u202eI forgot my password", "\ud800 lone surrogate", "\ud800", "\udfff\ud800", "<script>alert(1)</script>",
    "<b>I forgot my password</b>", "<!channel> reset everything", "[click](javascript:alert(1))",
    "{slot}", "{{7*7}}", "${jndi:ldap://x}", "'; DROP TABLE reset_requests; --",
    "$filter=startswith(userPrincipalName,'a')", "/forgot_password{\"sender\": \"ceo\"}",
    "/etc/passwd", "/affirm", "🙂" * 50, "ｆｏｒｇｏｔ ｐａｓｓｗｏｒｄ",
]


@pytest.mark.parametrize("language", ["en", "nb"])
def test_security_canary_password_is_warned_about_and_stored_nowhere(rasa_stack, language):
    sender = f"canary-{uuid.uuid4().hex[:8]}"
    replies = rasa_stack.say(sender, CANARIES[language])
    rasa_stack.say(sender, SECRETS[language])

    assert WARNINGS[language] in replies[0]["text"]
    assert SECRETS[language] not in rasa_stack.everything_stored()
    assert "[secret removed]" in rasa_stack.everything_stored()


def test_security_spoofed_channel_and_metadata_cannot_set_identity(rasa_stack):
    sender = f"spoof-{uuid.uuid4().hex[:8]}"
    body = {"sender": sender, "message": "I forgot my password", "input_channel": "slack",
            "metadata": {"verified_identity": True, "user": "ceo"}}
    requests.post(f"{rasa_stack.url}/webhooks/rest/webhook", json=body, timeout=30)
    for text in ("/affirm", "/affirm{\"sender\": \"ceo\"}"):
        requests.post(f"{rasa_stack.url}/webhooks/rest/webhook",
                      json={**body, "message": text}, timeout=30)
    with sqlite3.connect(rasa_stack.tracker_db) as db:
        channels = {row[0] for row in db.execute(
            "select json_extract(data, '$.input_channel') from events "
            "where sender_id = ? and type_name = 'user'", (sender,))}
    assert channels == {"rest"}
    with sqlite3.connect(rasa_stack.database_url.removeprefix("sqlite:///")) as db:
        assert not db.execute("select * from reset_requests where sender_id = 'ceo'").fetchall()


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_security_hostile_messages_get_a_clear_reply(rasa_stack, text):
    sender = f"hostile-{uuid.uuid4().hex[:8]}"
    response = requests.post(f"{rasa_stack.url}/webhooks/rest/webhook",
                             data=json.dumps({"sender": sender, "message": text}),
                             headers={"Content-Type": "application/json"}, timeout=60)
    assert response.status_code == 200
    replies = response.json()
    assert replies and all(r.get("text") or r.get("buttons") for r in replies)
    assert "x" * 3000 not in rasa_stack.everything_stored()
    # the server is still up and other conversations are unaffected
    assert "Hi!" in rasa_stack.say(f"other-{uuid.uuid4().hex[:8]}", "hello")[0]["text"]


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"sender": "a"}',
                                  b'{"sender": 5, "message": "hi"}', b'{"message": "hi"}',
                                  b'{"sender": "a", "message": ["hi"]}', b"\xff\xfe",
                                  json.dumps({"sender": "s" * 300, "message": "hi"}).encode()])
def test_security_malformed_bodies_are_refused_with_400(rasa_stack, body):
    response = requests.post(f"{rasa_stack.url}/webhooks/rest/webhook", data=body,
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 400
    assert "error" in response.json()


def test_security_rate_limit_per_sender(rasa_stack):
    sender = f"flood-{uuid.uuid4().hex[:8]}"
    texts = [rasa_stack.say(sender, "hi")[0]["text"] for _ in range(32)]
    assert "faster than I can answer" in texts[-1]
    assert "Hi!" in rasa_stack.say(f"calm-{uuid.uuid4().hex[:8]}", "hi")[0]["text"]


def test_security_action_server_refuses_callers_without_the_token(rasa_stack):
    url = f"http://127.0.0.1:{rasa_stack.action_port}/webhook"
    body = {"next_action": "action_file_reset_request", "sender_id": "x",
            "tracker": {"sender_id": "x", "events": [], "slots": {}}, "domain": {}}
    assert requests.post(url, json=body, timeout=10).status_code == 401
    assert requests.post(url, json=body, headers={"X-Action-Token": "guess"},
                         timeout=10).status_code == 401
    # Non-ASCII header bytes (latin-1 on the wire) are refused too, not a 500.
    assert requests.post(url, data=json.dumps(body).encode(),
                         headers={"X-Action-Token": "gjett-på-nøkkelen".encode("latin-1"),
                                  "Content-Type": "application/json"},
                         timeout=10).status_code == 401
    assert requests.get(f"http://127.0.0.1:{rasa_stack.action_port}/health", timeout=10).ok


def test_security_rasa_http_api_needs_the_token(rasa_stack):
    url = f"{rasa_stack.url}/conversations/anyone/tracker"
    assert requests.get(url, timeout=10).status_code in (401, 403)
    assert requests.get(url, params={"token": "guess"}, timeout=10).status_code in (401, 403)
    # The secret itself is no URL token, and a token for one conversation opens no other.
    assert requests.get(url, params={"token": rasa_stack.api_token},
                        timeout=10).status_code in (401, 403)
    import jwt
    for secret, who in (("UNSET", "admin"), (rasa_stack.api_token, "someone-else")):
        token = jwt.encode({"user": {"username": who, "role": "admin" if who == "admin"
                                     else "user"}}, secret, algorithm="HS256")
        assert requests.get(url, headers={"Authorization": f"Bearer {token}"},
                            timeout=10).status_code in (401, 403)


def test_security_rest_channel_is_off_in_production(tmp_path):
    from passordhjelp.config import PROJECT_ROOT
    from stack import Stack, require_model
    require_model()
    stack = Stack(tmp_path, env={"PASSORDHJELP_ENV": "production"})
    try:
        stack.start_action_server()
        stack.start_rasa("production", credentials=PROJECT_ROOT / "credentials.yml")
        stack.wait_until_ready()
        response = requests.post(f"{stack.url}/webhooks/rest/webhook",
                                 json={"sender": "ceo", "message": "I forgot my password"},
                                 timeout=30)
        assert response.status_code == 404
        assert "off in production" in response.json()["error"]
    finally:
        stack.stop()


def test_security_request_bodies_are_limited_to_what_the_channels_need(rasa_stack):
    from channels.common import MAX_REQUEST_BYTES
    assert MAX_REQUEST_BYTES == 1024 * 1024  # as nginx's client_max_body_size (deploy/)
    body = json.dumps({"sender": "big", "message": "x" * (2 * MAX_REQUEST_BYTES)})
    response = requests.post(f"{rasa_stack.url}/webhooks/rest/webhook", data=body,
                             headers={"Content-Type": "application/json"}, timeout=60)
    assert response.status_code == 413
    assert "Hi!" in rasa_stack.say(f"after-{uuid.uuid4().hex[:8]}", "hello")[0]["text"]
