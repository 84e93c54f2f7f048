"""The real servers with the Slack and Teams channels, and local stand-ins for Slack and Microsoft.

One ``ProtocolServer`` (a threaded ``http.server`` on a free port) answers like Slack's
Web API (``/slack/api/chat.postMessage``, ``chat.update``, ``chat.postEphemeral``,
``views.open``, ``users.info``, ``conversations.members``, ``conversations.history`` of the
messages it was posted, with their metadata and cursor pages, ``auth.test``), like the Bot
Framework's OpenID metadata and key set (``/openid/...``, publishing a locally generated RSA
key), like Microsoft Entra for MSAL (``/{tenant}/v2.0/.well-known/openid-configuration`` and
the token endpoint, also served over HTTPS) and like the Bot Connector at an activity's
serviceUrl (``/connector/v3/conversations/{id}/activities`` to send, ``.../activities/{id}``
to reply (POST) or update (PUT), ``.../members/{userId}``, 404 for ``teams_unknown_members``);
it records every request.
"""

from __future__ import annotations

import sqlite3

import datetime
import ipaddress
import base64
import json
import ssl
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional
from urllib.parse import parse_qs, unquote

import jwt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwt.algorithms import RSAAlgorithm
from slack_sdk.signature import SignatureVerifier

from stack import Stack, require_model


SLACK_BOT_TOKEN = "xoxb-1111-2222-testtoken"
SLACK_SIGNING_SECRET = "8f742231b10e8888abcd990001185a5c"
SLACK_BOT_USER = "U0PASSBOT"
TEAMS_APP_ID = "2f0c8e0a-5d1e-4a57-9a0e-6f1d2b3c4d5e"
TEAMS_APP_PASSWORD = "test~client.secret_value"
TEAMS_TENANT_ID = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
TEAMS_KEY_ID = "test-signing-key"
ACCESS_TOKEN = "connector-access-token"
TEAMS_MEMBER_UPN = "kari.nordmann@contoso.no"
ISSUER = "https://api.botframework.com"
HELPDESK_SLACK_CHANNEL = "C0HELPDESK"
# Slack people: user id -> (name, e-mail). Ada and Bo are in the helpdesk channel, and so is
# Kari (who also asks for help); Eve and Ola are not.
SLACK_PEOPLE = {"U0ADA": ("Ada Admin", "ada@contoso.no"), "U0BO": ("Bo Berg", "bo@contoso.no"),
                "U0KARI": ("Kari Nordmann", "kari@contoso.no"), "U0EVE": ("Eve Ute", "eve@x.example"),
                "U0OLA": ("Ola Nordmann", "ola@contoso.no"),
                "U0NORA": ("Nora Nilsen", "nora@contoso.no"), "U0PER": ("Per Ute", "per@x.example")}
# Nora (in the helpdesk) and Per (not) use Slack in Norwegian; the others in English.
SLACK_LOCALES = {"U0NORA": "nb-NO", "U0PER": "nb-NO"}
HELPDESK_MEMBERS = ["U0ADA", "U0BO", "U0KARI", "U0NORA", SLACK_BOT_USER]
WEBCHAT_JWT_SECRET = "web-chat-test-secret-0123456789abcdef"
# Teams people: Entra object id -> (Teams user id, name, user principal name). Ada, Bo and
# Kari are in TEAMS_HELPDESK_ADMIN_IDS (Kari also asks for help); Eve is not.
TEAMS_PEOPLE = {
    "0ada0000-0000-4000-8000-000000000001": ("29:1ada", "Ada Admin", "ada@contoso.no"),
    "0b000000-0000-4000-8000-000000000002": ("29:1bo", "Bo Berg", "bo@contoso.no"),
    "0ca10000-0000-4000-8000-000000000003": ("29:1kari", "Kari Nordmann", TEAMS_MEMBER_UPN),
    "0e7e0000-0000-4000-8000-000000000004": ("29:1eve", "Eve Ute", "eve@contoso.no"),
}
TEAMS_HELPDESK_ADMIN_IDS = list(TEAMS_PEOPLE)[:3]

CREDENTIALS = """\
channels.rest.GuardedRestInput:
channels.slack.GuardedSlackInput:
channels.teams.GuardedBotFrameworkInput:
channels.socketio.GuardedSocketIOInput:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: true
"""


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Recorded:
    method: str
    path: str
    headers: Dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body or b"null")

    @property
    def form(self) -> Dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    @property
    def params(self) -> Dict[str, Any]:
        """Slack Web API arguments, wherever the client put them (query, form or JSON)."""
        query = {k: v[0] for k, v in parse_qs(self.path.partition("?")[2]).items()}
        content_type = self.headers.get("Content-Type", "")
        body = self.json if "json" in content_type else self.form if self.body else {}
        return {**query, **(body or {})}


@dataclass
class ProtocolServer:
    """Slack Web API, Microsoft OpenID metadata + keys, token endpoint and Bot Connector."""

    signing_key: rsa.RSAPrivateKey = field(default_factory=new_rsa_key)
    requests: List[Recorded] = field(default_factory=list)
    # users.info answers: user id -> (real name, e-mail)
    slack_users: Dict[str, Any] = field(default_factory=dict)
    # users.info's locale (with include_locale): user id -> locale; anyone else en-US
    slack_locales: Dict[str, str] = field(default_factory=dict)
    # conversations.members answers: channel id -> member ids
    slack_members: Dict[str, List[str]] = field(default_factory=dict)
    # chat.postMessage: seconds before it answers, and Slack errors to answer first ("ratelimited")
    slack_post_delay: float = 0.0
    slack_post_errors: List[str] = field(default_factory=list)
    # The messages of each channel, oldest first, as conversations.history gives them (posted
    # with chat.postMessage, changed by chat.update, or added by a test with slack_message)
    slack_messages: Dict[str, List[Dict[str, Any]]] = field(default_factory=dict)
    # conversations.history: Slack errors to answer first ("missing_scope")
    slack_history_errors: List[str] = field(default_factory=list)
    # Bot Connector members: Teams user id (29:...) -> (name, user principal name); anyone
    # else is Kari Nordmann
    teams_members: Dict[str, Any] = field(default_factory=dict)
    # Teams user ids the member look-up does not find (404), as for someone who left
    teams_unknown_members: List[str] = field(default_factory=list)
    # Conversations the bot was removed from: sends and updates there get 403
    teams_removed_from: List[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ts = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._handle()

            def do_POST(self) -> None:
                self._handle()

            def do_PUT(self) -> None:
                self._handle()

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                record = Recorded(self.command, self.path, dict(self.headers.items()),
                                  self.rfile.read(length))
                with server._lock:
                    server.requests.append(record)
                status, body = server.answer(record)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        # Microsoft Entra's side over HTTPS (MSAL takes nothing else), with a certificate
        # for 127.0.0.1 that the servers trust through REQUESTS_CA_BUNDLE.
        self.ca_file = self._certificate()
        self.tls = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.ca_file, self.ca_file)
        self.tls.socket = context.wrap_socket(self.tls.socket, server_side=True)
        self.tls_url = f"https://127.0.0.1:{self.tls.server_address[1]}"
        threading.Thread(target=self.tls.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    @staticmethod
    def _certificate() -> str:
        """A self-signed certificate (and its key) for 127.0.0.1, in one PEM file."""
        key = new_rsa_key()
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
        now = datetime.datetime.now(datetime.timezone.utc)
        certificate = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
        path = Path(tempfile.mkdtemp()) / "entra.pem"
        path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        return str(path)

    @property
    def authority(self) -> str:
        return f"{self.tls_url}/{TEAMS_TENANT_ID}"

    def answer(self, record: Recorded):
        path = record.path.split("?")[0]
        if path == "/slack/api/chat.postMessage":
            time.sleep(self.slack_post_delay)
            with self._lock:
                if self.slack_post_errors:
                    return 200, {"ok": False, "error": self.slack_post_errors.pop(0)}
            arguments = record.params
            message = self.slack_message(
                arguments.get("channel"), arguments.get("text"), user=SLACK_BOT_USER,
                bot_id="B0PASSBOT", app_id="A0PASSBOT",
                **{key: arguments[key] for key in ("blocks", "metadata") if key in arguments})
            return 200, {"ok": True, "channel": arguments.get("channel"), "ts": message["ts"],
                         "message": message}
        if path == "/slack/api/chat.update":
            arguments = record.params
            with self._lock:
                for message in self.slack_messages.get(arguments.get("channel"), []):
                    if message["ts"] == arguments.get("ts"):
                        # Metadata left out of an update is kept, as Slack does.
                        message.update({key: arguments[key] for key in
                                        ("text", "blocks", "metadata") if key in arguments})
            return 200, {"ok": True, "channel": arguments.get("channel"),
                         "ts": arguments.get("ts")}
        if path == "/slack/api/conversations.history":
            return 200, self._history(record.params)
        if path in ("/slack/api/chat.postEphemeral", "/slack/api/views.open"):
            return 200, {"ok": True}
        if path == "/slack/api/users.info":
            user = record.params.get("user")
            if user not in self.slack_users:
                return 200, {"ok": False, "error": "user_not_found"}
            name, email = self.slack_users[user]
            locale = ({"locale": self.slack_locales.get(user, "en-US")}
                      if record.params.get("include_locale") in ("1", "true", "True") else {})
            return 200, {"ok": True, "user": {"id": user, "real_name": name, **locale, "profile": {
                "real_name": name, "display_name": name.split()[0], "email": email}}}
        if path == "/slack/api/conversations.members":
            members = self.slack_members.get(record.params.get("channel"))
            if members is None:
                return 200, {"ok": False, "error": "channel_not_found"}
            return 200, {"ok": True, "members": members, "response_metadata": {"next_cursor": ""}}
        if path == "/slack/api/auth.test":
            return 200, {"ok": True, "user_id": SLACK_BOT_USER, "team_id": "T0ACME",
                         "bot_id": "B0PASSBOT"}
        if path == "/openid/.well-known/openidconfiguration":
            return 200, {"issuer": ISSUER, "jwks_uri": f"{self.url}/openid/keys",
                         "id_token_signing_alg_values_supported": ["RS256"]}
        if path == "/openid/keys":
            jwk = json.loads(RSAAlgorithm.to_jwk(self.signing_key.public_key()))
            jwk.update(kid=TEAMS_KEY_ID, use="sig", endorsements=["msteams"])
            return 200, {"keys": [jwk]}
        if path == f"/{TEAMS_TENANT_ID}/v2.0/.well-known/openid-configuration":
            return 200, {"issuer": f"{self.authority}/v2.0",
                         "authorization_endpoint": f"{self.authority}/oauth2/v2.0/authorize",
                         "token_endpoint": f"{self.authority}/oauth2/v2.0/token"}
        if path == f"/{TEAMS_TENANT_ID}/oauth2/v2.0/token":
            form = record.form
            if (form.get("client_id"), form.get("client_secret")) != (TEAMS_APP_ID,
                                                                      TEAMS_APP_PASSWORD):
                return 401, {"error": "invalid_client"}
            return 200, {"token_type": "Bearer", "expires_in": 3600, "access_token": ACCESS_TOKEN}
        if path.startswith("/connector/v3/conversations/"):
            if record.headers.get("Authorization") != f"Bearer {ACCESS_TOKEN}":
                return 401, {"error": "unauthorized"}
            parts = path.split("/")
            if record.method in ("POST", "PUT") and unquote(parts[4]) in self.teams_removed_from:
                return 403, {"error": {"code": "BotNotInConversationRoster",
                                       "message": "The bot is not part of the conversation "
                                                  "roster."}}
            if record.method == "GET" and len(parts) == 7 and parts[5] == "members":
                if unquote(parts[6]) in self.teams_unknown_members:
                    return 404, {"error": {"code": "MemberNotFoundInConversation",
                                           "message": "The member was not found."}}
                # GET /v3/conversations/{id}/members/{userId}: a TeamsChannelAccount
                name, upn = self.teams_members.get(unquote(parts[6]),
                                                   ("Kari Nordmann", TEAMS_MEMBER_UPN))
                return 200, {"id": unquote(parts[6]), "name": name, "userPrincipalName": upn,
                             "email": upn, "tenantId": TEAMS_TENANT_ID}
            if record.method == "PUT" and len(parts) == 7 and parts[5] == "activities":
                # PUT /v3/conversations/{id}/activities/{activityId}: the activity updated
                return 200, {"id": unquote(parts[6])}
            return 200, {"id": uuid.uuid4().hex}
        return 404, {"error": "not found"}

    def _history(self, arguments: Dict[str, Any]) -> Dict[str, Any]:
        """conversations.history: the channel's messages newer than ``oldest``, newest first,
        ``limit`` a page with a ``next_cursor`` to the rest; their ``metadata`` only with
        ``include_all_metadata``."""
        with self._lock:
            if self.slack_history_errors:
                error = self.slack_history_errors.pop(0)
                return {"ok": False, "error": error, **({
                    "needed": "channels:history", "provided": "chat:write,users:read"}
                    if error == "missing_scope" else {})}
            messages = [dict(m) for m in reversed(self.slack_messages.get(
                arguments.get("channel"), [])) if float(m["ts"]) > float(arguments.get(
                    "oldest") or 0)]
        offset = int(base64.b64decode(arguments["cursor"]).decode().split(":")[1]) \
            if arguments.get("cursor") else 0
        limit = min(int(arguments.get("limit") or 100), 999)
        page = messages[offset:offset + limit]
        if arguments.get("include_all_metadata") not in ("1", "true", "True"):
            for message in page:
                message.pop("metadata", None)
        more = offset + limit < len(messages)
        cursor = base64.b64encode(f"offset:{offset + limit}".encode()).decode() if more else ""
        return {"ok": True, "messages": page, "has_more": more, "pin_count": 0,
                "response_metadata": {"next_cursor": cursor}}

    def slack_message(self, channel: str, text: str, **fields: Any) -> Dict[str, Any]:
        """Adds a message to ``channel`` (someone else's, unless ``fields`` say otherwise)."""
        with self._lock:
            self._ts += 1
            message = {"type": "message", "ts": f"{int(time.time())}.{self._ts:06d}",
                       "text": text, "user": "U0ADA", **fields}
            self.slack_messages.setdefault(channel, []).append(message)
            return dict(message)

    def recorded(self, predicate: Callable[[Recorded], bool]) -> List[Recorded]:
        with self._lock:
            return [r for r in self.requests if predicate(r)]

    # -- Slack -----------------------------------------------------------------------

    def slack_calls(self, method: str) -> List[Dict[str, Any]]:
        """The arguments of every call of a Slack Web API method, in order."""
        return [r.params for r in self.recorded(
            lambda r: r.path.split("?")[0] == f"/slack/api/{method}")]

    def wait_for_slack_calls(self, method: str, count: int, timeout: float = 30
                             ) -> List[Dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.slack_calls(method)) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        calls = self.slack_calls(method)
        assert len(calls) >= count, f"{len(calls)} calls of {method}, expected {count}"
        return calls

    def slack_posts(self, channel: str) -> List[Dict[str, Any]]:
        return [r.json for r in self.recorded(
            lambda r: r.path == "/slack/api/chat.postMessage" and r.json.get("channel") == channel)]

    def wait_for_slack_posts(self, channel: str, count: int, timeout: float = 30
                             ) -> List[Dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            posts = self.slack_posts(channel)
            if len(posts) >= count:
                time.sleep(0.3)  # let a reply that is one too many show up
                return self.slack_posts(channel)
            time.sleep(0.1)
        raise AssertionError(f"{len(self.slack_posts(channel))} Slack posts in {channel}, "
                             f"expected {count}")

    # -- Teams -----------------------------------------------------------------------

    @property
    def service_url(self) -> str:
        return f"{self.url}/connector/"

    def teams_replies(self, conversation_id: str) -> List[Recorded]:
        """Activities sent (POST) or updated (PUT) in a conversation, not member look-ups."""
        prefix = "/connector/v3/conversations/"
        return [r for r in self.recorded(lambda r: r.path.startswith(prefix)
                                         and r.method != "GET")
                if unquote(r.path[len(prefix):].split("/")[0]) == conversation_id]

    def stop(self) -> None:
        for server in (self.httpd, self.tls):
            server.shutdown()
            server.server_close()


class ChannelStack(Stack):
    """The action server and a Rasa server with the REST, Slack, Teams and (signed-in) web
    chat channels, pointed at a ``ProtocolServer``; the helpdesk works in HELPDESK_SLACK_CHANNEL
    and closed requests are told to users through Rasa's API."""

    def __init__(self, workdir: Path, protocols: ProtocolServer) -> None:
        self.api_token = uuid.uuid4().hex
        super().__init__(workdir, env={
            "HELPDESK_SLACK_CHANNEL": HELPDESK_SLACK_CHANNEL,
            "WEBCHAT_JWT_SECRET": WEBCHAT_JWT_SECRET, "RASA_API_TOKEN": self.api_token,
            "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN, "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
            "SLACK_API_URL": f"{protocols.url}/slack/api/", "SLACK_TEAM_IDS": "T0ACME,E0ACMEORG",
            "TEAMS_APP_ID": TEAMS_APP_ID, "TEAMS_APP_PASSWORD": TEAMS_APP_PASSWORD,
            "TEAMS_TENANT_ID": TEAMS_TENANT_ID,
            "TEAMS_OPENID_METADATA_URL": f"{protocols.url}/openid/.well-known/openidconfiguration",
            "TEAMS_AUTHORITY": protocols.authority, "REQUESTS_CA_BUNDLE": protocols.ca_file,
            # The Teams helpdesk: its cards go to the team a helpdesk admin adds the app to.
            "TEAMS_HELPDESK_ADMIN_IDS": ",".join(TEAMS_HELPDESK_ADMIN_IDS),
        })
        self.protocols = protocols
        credentials = workdir / "credentials.yml"
        credentials.write_text(CREDENTIALS, encoding="utf-8")
        rasa = self.start_rasa("rasa", credentials=credentials,
                               args=["--enable-api", "--jwt-secret", self.api_token,
                                     "--jwt-method", "HS256"])
        # The action server's worker tells users through this Rasa server's API.
        self.env["RASA_URL"] = rasa.url
        self.start_action_server(env={"RASA_URL": rasa.url})
        self.wait_until_ready()


    # -- Slack: signed Events API requests ---------------------------------------------

    def slack(self, body: Any, *, secret: str = SLACK_SIGNING_SECRET,
              timestamp: Optional[int] = None, signed: bool = True,
              headers: Optional[Dict[str, str]] = None, form: bool = False,
              tamper: Optional[Callable[[bytes], bytes]] = None) -> requests.Response:
        """POSTs ``body`` signed like Slack does; ``headers`` win over the signature's,
        ``tamper`` changes the body after signing."""
        if form:
            from urllib.parse import urlencode
            raw = urlencode({"payload": json.dumps(body)}).encode()
            content_type = "application/x-www-form-urlencoded"
        else:
            raw, content_type = json.dumps(body).encode(), "application/json"
        timestamp = int(time.time()) if timestamp is None else timestamp
        all_headers = {"Content-Type": content_type}
        if signed:
            signature = SignatureVerifier(secret).generate_signature(timestamp=str(timestamp),
                                                                     body=raw)
            all_headers.update({"X-Slack-Request-Timestamp": str(timestamp),
                                "X-Slack-Signature": signature})
        all_headers.update(headers or {})
        raw = tamper(raw) if tamper else raw
        return requests.post(f"{self.url}/webhooks/slack/webhook", data=raw,
                             headers=all_headers, timeout=30)

    # -- Teams: activities with Bot Framework tokens ------------------------------------

    def teams_token(self, *, key: Optional[rsa.RSAPrivateKey] = None, audience: str = TEAMS_APP_ID,
                    issuer: str = ISSUER, lifetime: int = 3600, kid: str = TEAMS_KEY_ID,
                    service_url: Optional[str] = None) -> str:
        now = int(time.time())
        claims = {"iss": issuer, "aud": audience, "nbf": now - 60, "iat": now - 60,
                  "exp": now + lifetime, "serviceurl": service_url or self.protocols.service_url}
        pem = (key or self.protocols.signing_key).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())
        return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": kid})

    def teams(self, activity: Dict[str, Any], token: Optional[str] = "valid"
              ) -> requests.Response:
        headers = {"Content-Type": "application/json"}
        if token == "valid":
            token = self.teams_token()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.post(f"{self.url}/webhooks/botframework/webhook",
                             data=json.dumps(activity), headers=headers, timeout=60)


@pytest.fixture(scope="session")
def channel_stack(tmp_path_factory) -> Iterator[ChannelStack]:
    require_model()
    protocols = ProtocolServer(slack_users=dict(SLACK_PEOPLE), slack_locales=dict(SLACK_LOCALES),
                               slack_members={HELPDESK_SLACK_CHANNEL: HELPDESK_MEMBERS},
                               teams_members={user: (name, upn) for user, name, upn
                                              in TEAMS_PEOPLE.values()})
    stack = None
    try:
        stack = ChannelStack(tmp_path_factory.mktemp("channels"), protocols)
        yield stack
    finally:
        if stack:
            stack.stop()
        protocols.stop()


# What a chatter is told when the account at the confirmation is not theirs.
REFUSAL = {"en": "I can only file requests for the account you are chatting from",
           "nb": "Jeg kan bare sende forespørsler for kontoen du chatter fra"}


def request_emails(stack, sender_id: str) -> list:
    """The requester e-mail kept with each of ``sender_id``'s requests (the helpdesk's view)."""
    with sqlite3.connect(stack.database_url.removeprefix("sqlite:///")) as db:
        return db.execute("select h.requester_email from reset_requests r join request_handling h "
                          "on h.reference = r.reference where r.sender_id = ?",
                          (sender_id,)).fetchall()
