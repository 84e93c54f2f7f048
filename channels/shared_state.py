"""The Redis the Rasa servers share the channels' recent state through (CHANNEL_STATE_URL).

Several replicas of Rasa serve one deployment; what a channel remembers between
requests (the Slack and Teams deliveries it has handled, the web chat's recent replies)
must be seen by all of them, or a retry landing on another replica is handled twice
and a page reconnecting to another replica misses replies. Redis is the store they
already share (the lock store, the rate limits).

Redis that doesn't answer never stops a message: each use names what it does instead
(``otherwise``), one log line says so when Redis stops answering and one when it answers
again, and Redis is not asked again for ``RETRY_SECONDS``, so a Redis that is away costs
the message path one timeout per pause, not one per message.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Awaitable, Callable, Optional, TypeVar

import redis.asyncio
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Redis answers in well under a millisecond; a message should not wait long for one that
# doesn't.
TIMEOUT_SECONDS = 0.5
RETRY_SECONDS = 5.0


class SharedRedis:
    """One store's connection to the shared Redis, and its behaviour while Redis is away."""

    def __init__(
        self, url: str, *, what: str, meanwhile: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """``what`` the store keeps and what happens ``meanwhile`` go into the log lines."""
        # Connections are made on first use, on the event loop that serves the channel.
        self.client = redis.asyncio.Redis.from_url(
            url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
        )
        self._what, self._meanwhile, self._clock = what, meanwhile, clock
        self._resting_until: Optional[float] = None

    async def run(
        self, operation: Callable[[redis.asyncio.Redis], Awaitable[T]], *, otherwise: T
    ) -> T:
        """What ``operation`` returns, or ``otherwise`` while Redis doesn't answer."""
        if self._resting_until is not None and self._clock() < self._resting_until:
            return otherwise
        try:
            result = await operation(self.client)
        except (RedisError, OSError, asyncio.TimeoutError) as error:
            if self._resting_until is None:
                logger.error(
                    "%s: the Redis of CHANNEL_STATE_URL does not answer (%s); %s until it does",
                    self._what,
                    type(error).__name__,
                    self._meanwhile,
                )
            self._resting_until = self._clock() + RETRY_SECONDS
            return otherwise
        if self._resting_until is not None:
            logger.warning("%s: the Redis of CHANNEL_STATE_URL answers again", self._what)
            self._resting_until = None
        return result
