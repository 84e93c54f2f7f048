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

Installed explicitly by the Rasa entry point (``runtime/rasa_server.py``), never as an
import side effect, and only on the Rasa version it was written for.
"""

from __future__ import annotations

import asyncio
import weakref
from types import TracebackType
from typing import Any, Optional, Type

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig
from rasa.version import __version__ as rasa_release

from runtime.rasa_release import require_written_for

KEEPALIVE_SECONDS = 2.0
_SESSIONS = "_passordhjelp_sessions"


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
