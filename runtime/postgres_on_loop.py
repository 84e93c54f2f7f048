"""PostgreSQL statements on the event loop: psycopg2's asynchronous connections, pooled.

The tracker store's turn on PostgreSQL is two statements (the look at the newest event,
the insert), each of which waited in a worker thread (``asyncio.to_thread``: psycopg2's
ordinary connections block until the server answers) and went through SQLAlchemy's
pool and execution context. The thread hop, the pool checkout and return and the
execution context cost more CPU than the statement itself: 0.65 ms of the production
worker's CPU per message ran in those threads (bench/README.md, "Session 16").
psycopg2's asynchronous mode (``async_=1``) sends a statement and leaves the waiting to
the caller: here the event loop watches the connection's socket (``add_reader``), so a
statement costs no thread and the loop serves other conversations meanwhile.

An asynchronous connection is always in autocommit mode: each statement commits on its
own, as the store's one-statement reads and inserts already did (``passordhjelp/
autocommit.py``); a save that must count first keeps its transaction on SQLAlchemy's
pool. A connection is used by one statement at a time; idle ones are kept (at most
``keep``) for the next, and every connection made first runs the statements
``on_connect`` gives for its cursor (the store's ``PREPARE``).

A connection whose statement failed, or was cancelled while the server worked on it, is
closed, not pooled: its state is unknown. A failure that says the connection is gone
(``psycopg2.OperationalError``, ``InterfaceError``: a database restart breaks every
connection) closes the idle ones too, as SQLAlchemy's pool does with the connections
made before such an error, so the caller's retry gets a new one. Connections belong to
the process and event loop that made them; another loop (a forked Sanic worker, a test's
new loop) makes its own.
"""

from __future__ import annotations

import asyncio
import os
from collections import deque
from typing import Any, Callable, Deque, Dict, Iterable, List, Optional, Tuple, Union

import psycopg2
from psycopg2.extensions import POLL_OK, POLL_READ, POLL_WRITE

# What says a connection is gone (the server restarted or closed it, the network broke).
GONE = (psycopg2.OperationalError, psycopg2.InterfaceError)


class LoopConnections:
    """Asynchronous psycopg2 connections of the running event loop, made with
    ``connect_kwargs`` (``psycopg2.connect``'s keyword arguments)."""

    def __init__(
        self,
        connect_kwargs: Dict[str, Any],
        *,
        on_connect: Optional[Callable[[Any], Iterable[str]]] = None,
        keep: int = 5,
    ) -> None:
        self._connect_kwargs = dict(connect_kwargs)
        self._on_connect = on_connect
        self._keep = max(int(keep), 1)
        self._idle: Deque[Any] = deque()
        self._owner: Optional[Tuple[int, asyncio.AbstractEventLoop]] = None

    async def fetch(
        self, statement: Union[str, bytes, Callable[[Any], bytes]], parameters: Any = None
    ) -> List[tuple]:
        """The rows of ``statement``: str or bytes with psycopg2's ``%s`` parameters, or a
        function that builds it from a cursor (``cursor.mogrify``, quoting client side)."""
        connection = await self._take()
        try:
            cursor = connection.cursor()
            if callable(statement):
                statement = statement(cursor)
            cursor.execute(statement, parameters)
            await _wait(connection)
            rows = cursor.fetchall()
            cursor.close()
        except GONE:
            self._close(connection)
            self.close_idle()
            raise
        except BaseException:
            self._close(connection)
            raise
        self._give_back(connection)
        return rows

    async def _take(self) -> Any:
        owner = (os.getpid(), asyncio.get_running_loop())
        if self._owner != owner:
            if self._owner is not None and self._owner[0] != owner[0]:
                # A forked process: the parent's connections are the parent's (closing
                # them here would end its sessions), so they are only forgotten.
                self._idle.clear()
            else:
                # Another event loop: its sockets were watched by the old one.
                self.close_idle()
            self._owner = owner
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed:
                return connection
        return await self._connect()

    async def _connect(self) -> Any:
        connection = psycopg2.connect(**self._connect_kwargs, async_=1)
        try:
            await _wait(connection)
            cursor = connection.cursor()
            for statement in list(self._on_connect(cursor)) if self._on_connect else ():
                cursor.execute(statement)
                await _wait(connection)
            cursor.close()
        except BaseException:
            self._close(connection)
            raise
        return connection

    def _give_back(self, connection: Any) -> None:
        if len(self._idle) < self._keep and not connection.closed:
            self._idle.append(connection)
        else:
            self._close(connection)

    def close_idle(self) -> None:
        """Close the connections kept idle (a restart broke them, or the store is done)."""
        while self._idle:
            self._close(self._idle.pop())

    @staticmethod
    def _close(connection: Any) -> None:
        try:
            connection.close()
        except psycopg2.Error:
            pass


async def _wait(connection: Any) -> None:
    """Until ``connection``'s pending work is done (psycopg2's ``poll`` loop), the event
    loop watching its socket meanwhile."""
    loop = asyncio.get_running_loop()
    while True:
        state = connection.poll()
        if state == POLL_OK:
            return
        if state == POLL_READ:
            watch, unwatch = loop.add_reader, loop.remove_reader
        elif state == POLL_WRITE:
            watch, unwatch = loop.add_writer, loop.remove_writer
        else:  # pragma: no cover - psycopg2 documents no other state
            raise psycopg2.OperationalError(f"unexpected poll state {state}")
        waiter = loop.create_future()
        descriptor = connection.fileno()
        watch(descriptor, _set_done, waiter)
        try:
            await waiter
        finally:
            unwatch(descriptor)


def _set_done(waiter: "asyncio.Future[None]") -> None:
    if not waiter.done():
        waiter.set_result(None)
