"""The web chat: Rasa's socket.io channel behind the message guard, and the chat page.

Identity:

- With a sign-in key configured (``WEBCHAT_JWT_SECRET`` for HS256 or
  ``WEBCHAT_JWT_PUBLIC_KEY`` for RS256, see ``passordhjelp/config.py``), a socket
  must present a signed token on connect (socket.io ``auth: {token}``) with ``sub``
  and ``exp`` claims (and ``aud``/``iss`` when configured, living at most
  WEBCHAT_JWT_MAX_LIFETIME), or it is refused. The conversation's sender id is the
  token's ``sub``; whatever session the browser names is ignored, and messages carry
  ``verified_identity: True``, so the assistant can file requests for that person.
  The expiry is checked again on every message: past it the socket is disconnected.
- Without one, the chat is anonymous: the session id is chosen by the server (128
  random bits) and the browser gets it with a session token signed by the server
  (WEBCHAT_SESSION_SECRET); messages carry ``verified_identity: False``, so the
  assistant files nothing and points to the helpdesk instead.

The protocol (socket.io over long-polling, namespace ``/`` unless configured):

1. ``connect`` with ``auth: {token: <sign-in JWT>}`` when sign-in is on (else no auth).
   A refused socket gets ``connect_error`` with the message ``sign-in required``.
2. The client emits ``session_request`` with ``{session_token: <string>}``, the token
   from an earlier ``session_confirm`` when it has one (to go on with that
   conversation), else ``{}``. A ``session_id`` the client names itself never picks the
   session: without a valid session token it gets a new session, never the one it named.
   Going on with a conversation, it adds ``session_id`` (the one it had) and
   ``last_seen`` (the highest bot message id it has shown, 0 for none).
3. The server answers ``session_confirm`` with ``{session_id, session_token}``
   (anonymous) or ``{session_id}`` (signed in: the ``sub``). The client keeps both
   (e.g. localStorage) and shows the conversation of ``session_id``; when it differs from
   the one it had, that conversation is over for this browser. The token is renewed on
   every confirmation (valid 30 days); it is a bearer secret: never put it in a URL.
   When ``session_id`` is the one the client named, the bot messages it missed
   (ids above ``last_seen``, from ``channels/recent_replies.py``) follow as ``bot_uttered``.
4. The client emits ``user_uttered`` with ``{message: <text>, id: <its own id>}``;
   replies come as ``bot_uttered`` (``{id, text}``, ``{id, text, quick_replies: [{title,
   payload}]}``; ``id`` a number that grows) to every socket of the session; a client
   shows each ``id`` once. A message before ``session_confirm`` is ignored; a message
   whose ``id`` the server has already had is not handled again, its ``message_kept``
   comes again (with ``again: true``).
5. If the server ends the socket (``disconnect`` with reason ``io server disconnect``:
   the sign-in expired), connect again: a refused connect means sign in again.

The sender id is fixed per socket when it connects (signed in) or asks for its
session (anonymous) and kept server-side; a message can't name another one. Messages
are rate limited per sender and per client address (the proxy's ``X-Forwarded-For``
when Sanic is told to trust it with ``SANIC_PROXIES_COUNT``).

Raw text stays on the server: the session's sockets are told what of a message was
kept (``message_kept`` with the page's ``id``: the redacted text, or nothing), and the
page that sent it stores only that.

The page: ``GET /webhooks/socketio/chat/`` serves ``web/index.html`` with its script,
stylesheet and ``socket.io.min.js`` from the pinned npm package in
``web/node_modules`` (``make run`` installs it with ``npm ci``); nothing is loaded
from anywhere else. ``.../chat/widget.js`` puts the page on any intranet page as a
launcher and a framed panel (see ``channels/web_assets.py``).
"""

from __future__ import annotations

import logging
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any, Dict, Optional, Text

import jwt
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from socketio.exceptions import ConnectionRefusedError as SocketRefused

from channels.common import limit_request_size
from channels.guard import OnNewMessage, TryAgain, guarded
from channels.recent_replies import Replies, recent_replies
from channels.web_assets import WebAssets
from passordhjelp.bootstrap import services
from passordhjelp.config import Settings
from passordhjelp.identity import CONTACT, is_sane_sender_id
from passordhjelp.language import detect_language

logger = logging.getLogger(__name__)

# URL path under the channel's prefix (/webhooks/socketio) where the page lives.
CHAT_PATH = "/chat"
# What the page calls a message so it can match the server's answer about it.
PAGE_MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
SIGN_IN_REQUIRED = "sign-in required"
SESSION_TOKEN_AUDIENCE = "passordhjelp-webchat-session"
SESSION_TOKEN_LIFETIME_SECONDS = 30 * 86400


class AnonymousSessions:
    """Server-chosen session ids, handed to the browser in a token signed with ``secret``."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def new_id(self) -> str:
        return uuid.uuid4().hex

    def token_for(self, session_id: str) -> str:
        now = int(time.time())
        return jwt.encode(
            {
                "sid": session_id,
                "aud": SESSION_TOKEN_AUDIENCE,
                "iat": now,
                "exp": now + SESSION_TOKEN_LIFETIME_SECONDS,
            },
            self._secret,
            algorithm="HS256",
        )

    def session_id_of(self, token: Any) -> Optional[str]:
        """The session id of a token this server issued, else ``None``."""
        if not isinstance(token, str) or not token:
            return None
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=["HS256"],
                audience=SESSION_TOKEN_AUDIENCE,
                options={"require": ["sid", "exp", "aud"]},
            )
        except jwt.PyJWTError:
            return None
        session_id = claims["sid"]
        return session_id if is_sane_sender_id(session_id) else None


def client_address(environ: Dict[str, Any]) -> Optional[str]:
    """The client's address: Sanic's ``remote_addr`` (from the proxy's header, when Sanic
    is told to trust it) or the peer's."""
    request = environ.get("sanic.request")
    if request is None:
        return None
    return request.remote_addr or request.ip or None


@dataclass(frozen=True)
class SignInRules:
    """What a web chat sign-in token must satisfy (``passordhjelp/config.py``'s WEBCHAT_JWT_*)."""

    key: str
    algorithm: str
    audience: Optional[str] = None
    issuer: Optional[str] = None
    max_lifetime: int = 3600

    @classmethod
    def from_settings(cls, settings: Settings) -> Optional["SignInRules"]:
        """The rules, or None when no sign-in key is set (anonymous web chat)."""
        if settings.webchat_jwt is None:
            return None
        key, algorithm = settings.webchat_jwt
        return cls(
            key,
            algorithm,
            audience=settings.webchat_jwt_audience,
            issuer=settings.webchat_jwt_issuer,
            max_lifetime=settings.webchat_jwt_max_lifetime,
        )


@dataclass(frozen=True)
class SignIn:
    subject: str
    expires_at: float
    # The requester's name and e-mail for the helpdesk (see contact_of).
    contact: Optional[Dict[str, Any]] = None


def contact_of(claims: Dict[str, Any]) -> Dict[str, Any]:
    """The requester's name and e-mail from the sign-in token (``name``, ``email``,
    ``preferred_username``), for the helpdesk; never from anything typed."""
    emails = [claims.get(k) for k in ("email", "preferred_username")]
    email = next((e for e in emails if isinstance(e, str) and "@" in e), None)
    name = claims.get("name") if isinstance(claims.get("name"), str) else None
    return {"name": name, "email": email}


def verified_sign_in(token: Any, rules: SignInRules) -> Optional[SignIn]:
    """Who a valid token names, and until when; ``None`` for anything else.

    Valid: signed with the rules' key and algorithm, ``sub`` and ``exp`` present and
    unexpired, ``aud`` and ``iss`` as configured, and a lifetime (``exp`` - ``iat``, or
    what is left of it without ``iat``) of at most ``max_lifetime`` seconds.
    """
    if not isinstance(token, str) or not token:
        return None
    required = (
        ["sub", "exp"] + (["aud"] if rules.audience else []) + (["iss"] if rules.issuer else [])
    )
    try:
        claims = jwt.decode(
            token,
            rules.key,
            algorithms=[rules.algorithm],
            audience=rules.audience,
            issuer=rules.issuer,
            options={"require": required, "verify_aud": rules.audience is not None},
        )
    except jwt.PyJWTError as error:
        logger.info("web chat token refused: %s", type(error).__name__)
        return None
    issued_at = claims.get("iat")
    start = issued_at if isinstance(issued_at, (int, float)) else time.time()
    if claims["exp"] - start > rules.max_lifetime:
        logger.info("web chat token refused: lives longer than %d s", rules.max_lifetime)
        return None
    subject = claims.get("sub")
    if not is_sane_sender_id(subject):
        logger.info("web chat token refused: unusable sub claim")
        return None
    return SignIn(subject, float(claims["exp"]), contact_of(claims))


class RecordedOutput(SocketIOOutput):
    """Bot messages to the conversation's sockets, each numbered and kept a while, so a
    page that was offline gets them when it is back (``channels/recent_replies.py``)."""

    def __init__(
        self,
        sio: AsyncServer,
        bot_message_evt: Text,
        *,
        recent: Replies,
        namespace: Optional[Text],
    ) -> None:
        super().__init__(sio, bot_message_evt)
        self._recent, self._namespace = recent, namespace

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        # socket_id is the recipient: the conversation's sender id, the room of its sockets.
        await self.sio.emit(
            self.bot_message_evt,
            await self._recent.add(socket_id, response),
            room=socket_id,
            namespace=self._namespace,
        )


class KeptTextOutput(RecordedOutput):
    """Replies to the conversation; tells it once what was kept of the page's message."""

    def __init__(
        self,
        sio: AsyncServer,
        bot_message_evt: Text,
        *,
        sender_id: Text,
        page_message: Dict[str, Any],
        recent: Replies,
        namespace: Optional[Text],
    ) -> None:
        super().__init__(sio, bot_message_evt, recent=recent, namespace=namespace)
        self._sender_id, self._told = sender_id, False
        message_id = page_message.get("id")
        self.message_id = (
            message_id
            if isinstance(message_id, str) and PAGE_MESSAGE_ID.fullmatch(message_id)
            else None
        )
        language = page_message.get("language")
        self._language = language if isinstance(language, str) else None

    async def tell_kept(self, text: Text, *, failed: bool = False) -> None:
        """``message_kept``: the text the server kept ("" for none) and its language, to
        the session's sockets (the socket that sent it may have been replaced meanwhile)."""
        if self._told:
            return
        self._told = True
        kept = {
            "id": self.message_id,
            "text": text,
            "failed": failed,
            "language": detect_language(
                text, previous=self._language, default=services().settings.default_language
            ),
        }
        if self.message_id is not None:
            await self._recent.keep(self._sender_id, self.message_id, kept)
        await self.sio.emit("message_kept", kept, room=self._sender_id, namespace=self._namespace)


class GuardedSocketIOInput(SocketIOInput):
    """Web chat over socket.io; the identity is verified only when a sign-in key is set.

    Credentials (``credentials.yml``): ``user_message_evt``, ``bot_message_evt``,
    ``session_persistence``, and optionally ``socketio_path`` and ``namespace``.
    Rasa's own ``jwt_key``/``jwt_method`` keys are not used: the sign-in key comes
    from the environment through ``passordhjelp.config``.
    """

    # Made with the blueprint, from the settings (CHANNEL_STATE_URL).
    recent: Replies

    def get_output_channel(self) -> Optional[OutputChannel]:
        """For messages the conversation gets without a user message of its own (a
        request update through Rasa's API): recorded like every other reply."""
        if self.sio is None:
            return super().get_output_channel()
        return RecordedOutput(
            self.sio, self.bot_message_evt, recent=self.recent, namespace=self.namespace
        )

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        settings = services().settings
        self.recent = recent = recent_replies(settings.channel_state_url)
        sign_in = SignInRules.from_settings(settings)
        sessions = AnonymousSessions(settings.webchat_session_secret or secrets.token_urlsafe(32))

        async def tell_kept_then_answer(message: UserMessage) -> None:
            # The page learns what was kept before the replies come.
            await message.output_channel.tell_kept(message.text)
            await on_new_message(message)

        deliver = guarded(tell_kept_then_answer, verified_identity=sign_in is not None)
        assets = WebAssets(
            page_values=self._page_values(sign_in is not None),
            embed_origins=settings.webchat_embed_origins,
        )
        # [] turns off the origin check, as in Rasa's channel: the page is served from
        # this origin, and identity rides in the token, never in cookies.
        # Long-polling only: Sanic 21.12's websocket code (sanic/server/websockets/impl.py
        # passes coroutines to asyncio.wait) fails on Python 3.11, so an upgrade to
        # websocket would break the session, and a websocket-only client gets a 400.
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=[],
            transports=["polling"],
            allow_upgrades=False,
        )
        self.sio = sio
        channel = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        deliver.attach(channel)
        namespace = self.namespace

        @channel.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @channel.route(CHAT_PATH, methods=["GET"])
        async def page_without_slash(_: Request) -> HTTPResponse:
            # The page's assets are relative to .../chat/
            return response.redirect(CHAT_PATH.lstrip("/") + "/")

        # Sanic routes .../chat/ here too, with an empty name: that is the page.
        @channel.route(CHAT_PATH + "/<name:str>", methods=["GET"])
        async def page_or_asset(request: Request, name: str) -> HTTPResponse:
            if name == "":
                return response.html(assets.page, headers=assets.page_headers)
            return assets.file_response(request, name)

        async def join(sid: Text, sender_id: Text) -> None:
            session = await sio.get_session(sid, namespace=namespace)
            previous = session.get("sender_id")
            if previous and previous != sender_id:
                await sio.leave_room(sid, previous, namespace=namespace)
            session["sender_id"] = sender_id
            # Replies go to the room named after the sender id: every tab of the session.
            await sio.enter_room(sid, sender_id, namespace=namespace)

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            (await sio.get_session(sid, namespace=namespace))["address"] = client_address(environ)
            if sign_in is None:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            signed_in = verified_sign_in(token, sign_in)
            if signed_in is None:
                raise SocketRefused(SIGN_IN_REQUIRED)
            await join(sid, signed_in.subject)
            session = await sio.get_session(sid, namespace=namespace)
            session["expires_at"] = signed_in.expires_at
            session[CONTACT] = signed_in.contact
            logger.debug("web chat socket %s signed in", sid)
            return True

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            request = data if isinstance(data, dict) else {}
            if sign_in is not None:
                sender_id = (await sio.get_session(sid, namespace=namespace))["sender_id"]
                confirmation = {"session_id": sender_id}
            else:
                sender_id = (
                    sessions.session_id_of(request.get("session_token"))
                    if self.session_persistence
                    else None
                )
                if sender_id is None:
                    if request.get("session_id") or request.get("session_token"):
                        logger.info("web chat session not continued: no valid session token")
                    sender_id = sessions.new_id()
                await join(sid, sender_id)
                confirmation = {
                    "session_id": sender_id,
                    "session_token": sessions.token_for(sender_id),
                }
            await sio.emit("session_confirm", confirmation, room=sid, namespace=namespace)
            last_seen = request.get("last_seen")
            if (
                request.get("session_id") == sender_id
                and isinstance(last_seen, int)
                and not isinstance(last_seen, bool)
            ):
                # What the page missed while it was away, in order; it shows each id once.
                for missed in await recent.since(sender_id, last_seen):
                    await sio.emit(self.bot_message_evt, missed, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            session = await sio.get_session(sid, namespace=namespace)
            sender_id = session.get("sender_id")
            if sender_id is None:
                logger.warning("web chat message before session_request; ignored")
                return
            if sign_in is not None and time.time() >= session["expires_at"]:
                # The sign-in has expired since connect: the page reconnects, its token
                # is refused and it asks the person to sign in again.
                logger.info("web chat sign-in expired; socket disconnected")
                await sio.disconnect(sid, namespace=namespace)
                return
            text = data.get("message") if isinstance(data, dict) else None
            if not isinstance(text, str):
                logger.info("web chat message without text; ignored")
                return
            output = KeptTextOutput(
                sio,
                self.bot_message_evt,
                sender_id=sender_id,
                page_message=data,
                recent=recent,
                namespace=namespace,
            )
            message_id = output.message_id
            if message_id is not None and not await recent.first_time(sender_id, message_id):
                # Sent again by a page that never heard back: the assistant had it already.
                # While it is still being handled, its answer goes to this socket's room.
                kept = await recent.kept(sender_id, message_id)
                if kept is not None:
                    await sio.emit(
                        "message_kept", {**kept, "again": True}, room=sid, namespace=namespace
                    )
                return
            try:
                inspection = await deliver(
                    UserMessage(
                        text,
                        output,
                        sender_id,
                        input_channel=self.name(),
                        metadata={CONTACT: session.get(CONTACT)},
                    ),
                    client_address=session.get("address"),
                )
                # Not passed on: nothing kept, or only the redacted text.
                await output.tell_kept(inspection.text)
            except TryAgain as again:
                if message_id is not None:
                    await recent.forget(sender_id, message_id)  # not handled: may come again
                await output.send_text_message(sender_id, again.notice)
            except Exception:  # never echo the text into logs
                logger.exception("web chat message from %s could not be handled", sender_id)
                await output.tell_kept("", failed=True)

        return limit_request_size(channel)

    def _page_values(self, signed_in: bool) -> Dict[str, str]:
        """This channel's settings for the ``data-`` attributes of ``web/index.html``."""
        return {
            "socketio_path": self.socketio_path,
            "user_message_evt": self.user_message_evt,
            "bot_message_evt": self.bot_message_evt,
            "namespace": self.namespace or "/",
            "sign_in": "required" if signed_in else "off",
        }
