"""HTTP calls from Rasa to the action server over kept connections.

Rasa 3.6's ``EndpointConfig.request`` opens a new ``aiohttp.ClientSession`` for every
call (``async with self.session() as session``) and closes it afterwards, so every
custom action paid for a new session, connector, cookie jar and TCP connection, on
both sides: about a fifth of the Rasa server's time in action-server calls (bench/README.md,
"Where a message's time goes"). Here ``EndpointConfig.session`` hands out one session
per endpoint and event loop, kept open: ``async with endpoint.session()`` gives it
without closing it, and its connections are reused.

Idle connections are closed by this side after ``KEEPALIVE_SECONDS``, before the
action server's Sanic closes them (its ``KEEP_ALIVE_TIMEOUT``, 5 s by default), so a
call never goes out on a connection the server is closing.

aiohttp 3.9 writes a request's head at once but its body from a task of its own
(``ClientRequest.send``), which runs only after everything else the event loop has ready:
at 8 users every custom action's body waited for the other conversations' turns before it
left, about 25 ms on the bench machine, while the action server had nothing to do
(bench/README.md, "Session 16"). The kept sessions' requests (``_BodyWithHead``) write a
body they hold as bytes (``json=``, as Rasa sends) right after the head, in the same step:
the same bytes on the wire in the same order; aiohttp's task then does nothing, and the
connection is released when the answer is read, as before. A body
sent compressed, chunked or after a ``100 Continue`` goes aiohttp's way.

Installed explicitly by the Rasa entry point (``runtime/rasa_server.py``), never as an
import side effect, and only on the Rasa version it was written for.
"""

from __future__ import annotations

import asyncio
import weakref
from types import TracebackType
from typing import Any, Optional, Type

import aiohttp
from aiohttp import payload
from aiohttp.client_reqrep import ClientRequest
from aiohttp.connector import Connection
from aiohttp.http_writer import StreamWriter
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig
from rasa.version import __version__ as rasa_release

from runtime.rasa_release import require_written_for

KEEPALIVE_SECONDS = 2.0
# Rasa's own, kept before ``install`` replaces it (the tests compare with it).
rasa_session = EndpointConfig.session
_SESSIONS = "_passordhjelp_sessions"


# What aiohttp's body task writes once the body has gone with the head: nothing.
_WRITTEN = payload.BytesPayload(b"")


class _BodyWithHead(ClientRequest):
    """aiohttp's request, with a body held as bytes written right after the head."""

    async def send(self, conn: Connection) -> aiohttp.ClientResponse:
        body: Any = self.body  # a Payload once built (aiohttp's annotation says bytes)
        if (
            not isinstance(body, payload.BytesPayload)
            or self.compress
            or self.chunked
            or self._continue is not None
        ):
            return await super().send(conn)
        # The body task (started by aiohttp's send) finds nothing left to do.
        self.body = _WRITTEN  # type: ignore[assignment]
        response = await super().send(conn)
        protocol = conn.protocol
        assert protocol is not None
        # As aiohttp's writer writes it (a closing connection raises ConnectionResetError,
        # which aiohttp turns into ClientOSError as for the head), then what its body task
        # does once the body is out: the read timeout starts.
        StreamWriter(protocol, self.loop)._write(body._value)
        protocol.start_timeout()
        # The answer releases the connection when it is read, not after the body task's
        # turn of the event loop (aiohttp waits for the task it knows of).
        response._writer = None
        return response

    async def write_bytes(self, writer: Any, conn: Connection) -> None:
        if self.body is _WRITTEN:
            return
        await super().write_bytes(writer, conn)


class _Kept:
    """``async with`` gives the kept session and leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(
        self,
        kind: Optional[Type[BaseException]],
        error: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        return None


def kept_session(self: EndpointConfig) -> _Kept:
    """Rasa's ``EndpointConfig.session`` (same headers, auth and timeout), kept per loop."""
    loop = asyncio.get_running_loop()
    sessions: weakref.WeakKeyDictionary = self.__dict__.setdefault(
        _SESSIONS, weakref.WeakKeyDictionary()
    )
    session = sessions.get(loop)
    if session is None or session.closed:
        auth = (
            aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            if self.basic_auth
            else None
        )
        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            request_class=_BodyWithHead,
        )
        sessions[loop] = session
    return _Kept(session)


async def close_sessions(endpoint: EndpointConfig) -> None:
    """Close the sessions kept for ``endpoint`` (at shutdown, in tests)."""
    sessions: Any = endpoint.__dict__.pop(_SESSIONS, {})
    for session in list(sessions.values()):
        await session.close()


def install(rasa_version: str = rasa_release) -> None:
    """Keep one session per endpoint and event loop instead of one per call.

    Raises:
        RuntimeError: Rasa is not the release this was written for; check that
            ``EndpointConfig.request`` still uses ``async with self.session()``.
    """
    require_written_for(
        rasa_version,
        changed_by="runtime/kept_sessions.py",
        check="EndpointConfig.request and .session",
    )
    EndpointConfig.session = kept_session
