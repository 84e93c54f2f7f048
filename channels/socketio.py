"""The web chat: Rasa's socket.io channel behind the message guard, and the chat page.

Identity:

- With a sign-in key configured (``WEBCHAT_JWT_SECRET`` for HS256 or
  ``WEBCHAT_JWT_PUBLIC_KEY`` for RS256, see ``passordhjelp/config.py``), a socket
  must present a signed token on connect (socket.io ``auth: {token}``) with ``sub``
  and ``exp`` claims, or it is refused. The conversation's sender id is the token's
  ``sub``; whatever session id the browser sends is ignored, and messages carry
  ``verified_identity: True``, so the assistant can file requests for that person.
- Without one, the chat is anonymous: the browser keeps a random session id (32 hex
  digits; anything else is replaced by a new one) and messages carry
  ``verified_identity: False``, so the assistant files nothing and points to the
  helpdesk instead.

The sender id is fixed per socket when it connects (signed in) or asks for its
session (anonymous) and kept server-side; a message can't name another one.

Raw text stays on the server: the socket that sent a message is told what of it was
kept (``message_kept``: the redacted text, or nothing), and the page stores only that.

The page: ``GET /webhooks/socketio/chat/`` serves ``web/index.html`` with its script,
stylesheet and ``socket.io.min.js`` from the pinned npm package in
``web/node_modules`` (``make run`` installs it with ``npm ci``); nothing is loaded
from anywhere else. ``.../chat/widget.js`` puts the page on any intranet page as a
launcher and a framed panel (see ``channels/web_assets.py``).
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any, Dict, Optional, Text

import jwt
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from socketio.exceptions import ConnectionRefusedError as SocketRefused

from channels.guard import OnNewMessage, TryAgain, guarded
from channels.web_assets import WebAssets
from passordhjelp.bootstrap import services
from passordhjelp.identity import CONTACT, MAX_SENDER_ID_LENGTH
from passordhjelp.language import detect_language

logger = logging.getLogger(__name__)

# URL path under the channel's prefix (/webhooks/socketio) where the page lives.
CHAT_PATH = "/chat"
# What the page calls a message so it can match the server's answer about it.
PAGE_MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
ANONYMOUS_SESSION_ID = re.compile(r"[0-9a-f]{32}")
SIGN_IN_REQUIRED = "sign-in required"


def subject_of(token: Any, key: str, algorithm: str) -> Optional[str]:
    """The ``sub`` of a valid, unexpired token signed with ``key``, else ``None``."""
    claims = verified_claims(token, key, algorithm)
    return claims["sub"].strip() if claims else None


def contact_of(claims: Dict[str, Any]) -> Dict[str, Any]:
    """The requester's name and e-mail from the sign-in token (``name``, ``email``,
    ``preferred_username``), for the helpdesk; never from anything typed."""
    emails = [claims.get(k) for k in ("email", "preferred_username")]
    email = next((e for e in emails if isinstance(e, str) and "@" in e), None)
    name = claims.get("name") if isinstance(claims.get("name"), str) else None
    return {"name": name, "email": email}


def verified_claims(token: Any, key: str, algorithm: str) -> Optional[Dict[str, Any]]:
    """The claims of a valid, unexpired token signed with ``key`` with a usable ``sub``."""
    if not isinstance(token, str) or not token:
        return None
    try:
        claims = jwt.decode(token, key, algorithms=[algorithm],
                            options={"require": ["sub", "exp"]})
    except jwt.PyJWTError as error:
        logger.info("web chat token refused: %s", type(error).__name__)
        return None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip() or \
            len(subject.strip()) > MAX_SENDER_ID_LENGTH:
        logger.info("web chat token refused: unusable sub claim")
        return None
    return claims


class KeptTextOutput(SocketIOOutput):
    """Replies to the conversation; tells the sending socket once what was kept of its message."""

    def __init__(self, sio: AsyncServer, bot_message_evt: Text, *, sid: Text,
                 page_message: Dict[str, Any], namespace: Optional[Text]) -> None:
        super().__init__(sio, bot_message_evt)
        self._sid, self._namespace, self._told = sid, namespace, False
        message_id = page_message.get("id")
        self._message_id = message_id if isinstance(message_id, str) and \
            PAGE_MESSAGE_ID.fullmatch(message_id) else None
        language = page_message.get("language")
        self._language = language if isinstance(language, str) else None

    async def tell_kept(self, text: Text, *, failed: bool = False) -> None:
        """``message_kept``: the text the server kept ("" for none) and its language."""
        if self._told:
            return
        self._told = True
        kept = {"id": self._message_id, "text": text, "failed": failed,
                "language": detect_language(text, previous=self._language,
                                            default=services().settings.default_language)}
        await self.sio.emit("message_kept", kept, room=self._sid, namespace=self._namespace)


class GuardedSocketIOInput(SocketIOInput):
    """Web chat over socket.io; the identity is verified only when a sign-in key is set.

    Credentials (``credentials.yml``): ``user_message_evt``, ``bot_message_evt``,
    ``session_persistence``, and optionally ``socketio_path`` and ``namespace``.
    Rasa's own ``jwt_key``/``jwt_method`` keys are not used: the sign-in key comes
    from the environment through ``passordhjelp.config``.
    """

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        settings = services().settings
        sign_in = settings.webchat_jwt

        async def tell_kept_then_answer(message: UserMessage) -> None:
            # The page learns what was kept before the replies come.
            await message.output_channel.tell_kept(message.text)
            await on_new_message(message)

        deliver = guarded(tell_kept_then_answer, verified_identity=sign_in is not None)
        assets = WebAssets(page_values=self._page_values(sign_in is not None),
                           embed_origins=settings.webchat_embed_origins)
        # [] turns off the origin check, as in Rasa's channel: the page is served from
        # this origin, and identity rides in the token, never in cookies.
        # Long-polling only: Sanic 21.12's websocket code (sanic/server/websockets/impl.py
        # passes coroutines to asyncio.wait) fails on Python 3.11, so an upgrade to
        # websocket would break the session, and a websocket-only client gets a 400.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[], transports=["polling"],
                          allow_upgrades=False)
        self.sio = sio
        channel = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
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
        async def connect(sid: Text, _environ: Dict, auth: Optional[Dict] = None) -> bool:
            if sign_in is None:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            claims = verified_claims(token, *sign_in)
            if claims is None:
                raise SocketRefused(SIGN_IN_REQUIRED)
            await join(sid, claims["sub"].strip())
            session = await sio.get_session(sid, namespace=namespace)
            session[CONTACT] = contact_of(claims)
            logger.debug("web chat socket %s signed in", sid)
            return True

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            if sign_in is not None:
                sender_id = (await sio.get_session(sid, namespace=namespace))["sender_id"]
            elif self.session_persistence:
                requested = data.get("session_id") if isinstance(data, dict) else None
                if isinstance(requested, str) and ANONYMOUS_SESSION_ID.fullmatch(requested):
                    sender_id = requested
                else:
                    sender_id = uuid.uuid4().hex
                await join(sid, sender_id)
            else:
                sender_id = sid
                await join(sid, sender_id)
            await sio.emit("session_confirm", sender_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            session = await sio.get_session(sid, namespace=namespace)
            sender_id = session.get("sender_id")
            if sender_id is None:
                logger.warning("web chat message before session_request; ignored")
                return
            text = data.get("message") if isinstance(data, dict) else None
            if not isinstance(text, str):
                logger.info("web chat message without text; ignored")
                return
            output = KeptTextOutput(sio, self.bot_message_evt, sid=sid, page_message=data,
                                    namespace=namespace)
            try:
                inspection = await deliver(UserMessage(
                    text, output, sender_id, input_channel=self.name(),
                    metadata={CONTACT: session.get(CONTACT)}))
                # Not passed on: nothing kept, or only the redacted text.
                await output.tell_kept(inspection.text)
            except TryAgain as again:
                await output.send_text_message(sender_id, again.notice)
            except Exception:  # never echo the text into logs
                logger.exception("web chat message from %s could not be handled", sender_id)
                await output.tell_kept("", failed=True)

        return channel

    def _page_values(self, signed_in: bool) -> Dict[str, str]:
        """This channel's settings for the ``data-`` attributes of ``web/index.html``."""
        return {
            "socketio_path": self.socketio_path,
            "user_message_evt": self.user_message_evt,
            "bot_message_evt": self.bot_message_evt,
            "namespace": self.namespace or "/",
            "sign_in": "required" if signed_in else "off",
        }
