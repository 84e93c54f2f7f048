"""What the Slack and Teams channels share: configuration from the environment, de-duplication
(in this process, or shared by every Rasa server through Redis)."""

from __future__ import annotations

import os
import threading
import time
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Union

from cachetools import TTLCache
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, Sanic

from channels.shared_state import SharedRedis
from passordhjelp.config import ConfigError, Settings, load_settings


# Largest request body the server reads (Sanic's default is 100 MB): a chat message is
# at most a few kilobytes, a Slack event or Teams activity some tens; nginx in front
# (deploy/nginx.conf) allows the same.
MAX_REQUEST_BYTES = 1024 * 1024
# Looked-up chatters and helpdesk members kept per process (the oldest go first).
PEOPLE_KEPT = 10_000


def limit_request_size(blueprint: Blueprint) -> Blueprint:
    """Makes the server that registers ``blueprint`` refuse larger bodies with 413."""

    @blueprint.listener("before_server_start")
    async def set_limit(app: Sanic, _loop: Any) -> None:
        app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES

    return blueprint


class ChannelConfigError(ConfigError, RasaException):
    """A channel's variable is missing or malformed.

    Also a ``RasaException``, so ``rasa run`` prints the message (which names the
    variable) and exits instead of printing a stack trace.
    """


def channel_settings(
    channel: str, credentials: Optional[Dict[str, Any]], variables: Mapping[str, str]
) -> Settings:
    """Settings for a channel: the environment, with values from its credentials.yml entry.

    ``variables`` maps the credentials.yml keys the channel accepts to the environment
    variables they stand for; values from credentials.yml are checked like the variables
    (an empty entry, the usual case, means everything comes from the environment).
    """
    credentials = dict(credentials or {})
    unknown = sorted(set(credentials) - set(variables))
    if unknown:
        raise ChannelConfigError(
            f"credentials.yml: {channel} does not take {', '.join(unknown)}; leave the entry "
            f"empty and set {', '.join(sorted(set(variables.values())))} in the environment"
        )
    overlay = {
        variables[key]: str(value) for key, value in credentials.items() if value not in (None, "")
    }
    try:
        return load_settings({**os.environ, **overlay})
    except ConfigError as error:
        raise ChannelConfigError(str(error)) from None


def require(value: Optional[str], variable: str, why: str) -> str:
    if not value:
        raise ChannelConfigError(f"{variable} must be set: {why}")
    return value


class RecentKeys:
    """Keys seen in the last ``ttl`` seconds (at most ``limit`` of them), for one process."""

    def __init__(
        self, ttl: float = 3600.0, limit: int = 50_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._seen: TTLCache[str, bool] = TTLCache(maxsize=limit, ttl=ttl, timer=clock)
        self._lock = threading.Lock()

    async def add(self, key: str) -> bool:
        """Remember ``key``; False if it was already seen (a duplicate)."""
        with self._lock:
            if key in self._seen:
                return False
            self._seen[key] = True
            return True

    async def discard(self, key: str) -> None:
        """Forget ``key``: its message was not handled, and a new delivery should be."""
        with self._lock:
            self._seen.pop(key, None)


class SharedRecentKeys:
    """Keys seen in the last ``ttl`` seconds by any Rasa server sharing the Redis at ``url``.

    Each key is one Redis key (``SET NX`` with an expiry: the first server to set it has
    the delivery, atomically), under ``prefix`` and the store's ``namespace``. Every key
    is also remembered in this process, which decides alone while Redis doesn't answer
    (fail open: a retry that reaches another server then may be handled twice, as with
    one store per process).
    """

    def __init__(
        self, url: str, *, namespace: str, ttl: float = 3600.0, prefix: str = "passordhjelp-seen"
    ) -> None:
        self._redis = SharedRedis(
            url,
            what=f"de-duplication of {namespace}",
            meanwhile="each Rasa server recognises only the deliveries it had itself",
        )
        self._here = RecentKeys(ttl=ttl)
        self._prefix = f"{prefix}:{namespace}:"
        self._ttl_ms = max(1, int(ttl * 1000))

    async def add(self, key: str) -> bool:
        """Remember ``key``; False if this or another server has seen it (a duplicate)."""
        new_here = await self._here.add(key)

        async def claim(client: Any) -> bool:
            return bool(await client.set(self._prefix + key, 1, nx=True, px=self._ttl_ms))

        return await self._redis.run(claim, otherwise=new_here)

    async def discard(self, key: str) -> None:
        """Forget ``key`` everywhere: its message was not handled, a new delivery should be."""
        await self._here.discard(key)

        async def delete(client: Any) -> None:
            await client.delete(self._prefix + key)

        await self._redis.run(delete, otherwise=None)


SeenKeys = Union[RecentKeys, SharedRecentKeys]


def recent_keys(url: Optional[str], *, namespace: str, ttl: float = 3600.0) -> SeenKeys:
    """The Redis-backed store when CHANNEL_STATE_URL names a Redis (``url``), else this
    process's own."""
    if url is None:
        return RecentKeys(ttl=ttl)
    return SharedRecentKeys(url, namespace=namespace, ttl=ttl)


def first(*values: Any, types: Sequence[type] = (str,)) -> Any:
    """The first value that is a non-empty instance of ``types``."""
    return next((v for v in values if isinstance(v, tuple(types)) and v), None)


def json_object(value: Any) -> Dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (for fields a client may omit)."""
    return value if isinstance(value, dict) else {}
