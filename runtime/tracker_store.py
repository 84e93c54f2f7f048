"""Rasa's SQL tracker store, failing closed: a conversation that can't be read or saved is
an error the channel turns into "try again", never a fresh conversation.

Rasa 3.6 wraps every tracker store in ``FailSafeTrackerStore`` (``Agent.
_create_tracker_store``): when the database can't be read it answers from an
empty conversation, and when it can't be written it saves to an in-memory store
that is never read again. A PostgreSQL restart of a quarter of a second lost
conversation history while users got answers that made no sense ("OK. Write any
time" after "yes"). This store:

- retries a failed read or write a few times with a growing pause (a database
  restart is often over by then); a connection a restart broke fails its first
  statement as a disconnect, SQLAlchemy then replaces every older pooled connection,
  and the retry uses a new one (no ``pool_pre_ping``: a round trip more per checkout,
  about a tenth of the production shape's CPU per message);
- then raises ``ConversationStoreUnavailable``, which reaches the channel
  (``channels/guard.py``), which tells the user or the platform to try again;
- is not wrapped in ``FailSafeTrackerStore``: constructing it installs a
  replacement of ``Agent._create_tracker_store`` that leaves this store
  unwrapped (every other store is wrapped as Rasa does);
- on SQLite (the embedded shape), keeps its connections open and writes ahead
  (``journal_mode=WAL``, ``synchronous=NORMAL``): Rasa's engine opened a new
  connection for every read and write and waited for the disk (fsync) at every
  commit, on the event loop, which then served no other conversation; together
  that was about an eighth of the server's time per message (bench/README.md, "Where a
  message's time goes"). A commit is then safe when the server crashes, and the last
  ones may be lost only when the machine itself loses power (SQLite's documented
  trade-off); the production shape uses PostgreSQL;
- on a server database (PostgreSQL), reads a conversation and saves a turn in
  autocommit mode: the read is one SELECT, a consistent snapshot on its own, and the save
  one INSERT of the turn's new events, atomic on its own, so neither needs BEGIN and COMMIT
  (a turn's round trips 6 -> 2; a save that must count the stored events first keeps its
  transaction); psycopg2's own autocommit flag is switched (``passordhjelp/autocommit.py``),
  as SQLAlchemy's isolation level cost a ``SET`` after each statement;
- on a server database (PostgreSQL), reads and writes in a worker thread: psycopg2
  waits for every statement and commit, and on the event loop that wait kept the
  Sanic worker from serving any other conversation (production shape, py-spy: the
  insert, the commit and the read were about a third of the workers' busy time, Redis
  lock store calls another 12 %);
- writes a turn's new events in one multi-row insert (Rasa adds an ORM object per
  event), the same rows, and reads a conversation's events with one statement built
  once, selecting only their ``data`` (Rasa builds its ORM query on every read and
  makes an ORM object of every row: about a tenth of the server's CPU per message),
  the same rows in the same order;
- remembers, on a tracker it read, created or saved, how many of its events are
  stored, so saving it needs no query to count them (Rasa counts on every save: a
  tenth of the server's time per message; a new conversation, which the read just
  found empty, has none stored); a tracker it neither read nor saved, one it saved a
  session start of, and a save being retried are counted by a query;
- on PostgreSQL, reads a conversation with a statement each connection prepares once
  (``PREPARE`` when it connects, ``EXECUTE`` per read): the server parsed and planned the
  read's subqueries on every turn, 0.37 -> 0.15 ms of its CPU per read (bench/README.md);
  the connections must be the store's own sessions, as they are here (a pooler in
  transaction mode, which hands a statement to any server connection, would not do);
- on PostgreSQL and on SQLite, keeps the tracker of a conversation it last saved (at most
  ``KEPT_TRACKERS`` per process) and hands it to the next read of that conversation when
  the newest stored event is still the one it saved (one indexed ``max(id)``; prepared on
  PostgreSQL, a statement built once on SQLite): the read's rows, their JSON and Rasa's
  replay of them are skipped, and ``runtime/state_history.py`` then replays only the new
  events (on SQLite: a turn's read and save 1.5 -> 0.3 ms of CPU; a turn of the embedded
  Rasa process, ``Agent.handle_text``, about 7.2 -> 5.6 ms, medians of six). A
  conversation another process wrote to since (another Rasa server on the database or the
  SQLite file, a direct write), a tracker changed after its save, or one whose save
  started a session after counting the stored events (a save of a tracker neither read
  nor saved here, a retried save) is read as before. A tracker whose save started a
  session is handed out as a read gives it: from that session's start on (the events
  before it dropped; ``SessionStarted`` resets the state they made), all stored. A new
  conversation's first turn starts a session, so its second message was a whole read
  (production shape: a read of the latest session 0.56 -> 0.30 per message). A kept tracker is handed out once (the next save keeps it again), so
  two readers never share it. The newest id a save leaves is the insert's own on
  PostgreSQL (``RETURNING``), and on SQLite the ``max(id)`` read after the insert in its
  transaction, which holds the file's write lock; on other databases, and on PostgreSQL
  with ``POSTGRESQL_SCHEMA`` set, nothing is kept;
- reads, writes and counts through a SQLAlchemy connection, not an ORM session: the
  session Rasa opens for each did only bookkeeping here, about a third of the store's
  CPU per message (with ``POSTGRESQL_SCHEMA`` set, Rasa's session, which checks the
  schema, is kept);
- on PostgreSQL (trackers kept), sends a turn's statements (the newest-id look, the read,
  the insert) to a psycopg2 cursor of a connection from SQLAlchemy's pool, without
  SQLAlchemy's ``Connection`` and execution context around each (about 0.1 ms of the
  worker's CPU a turn, bench/README.md, "Session 16"); a statement that fails as a broken
  connection invalidates it and disposes of the pool, as SQLAlchemy does, so the retry
  connects anew;
- on SQLite, where every read and write runs on the event loop, one after the other, does
  a turn's statements on one connection it keeps (not a pool checkout, a ``SELECT 1``
  ping and a return for each of a turn's two uses), with the turn's statements compiled
  once to the driver's SQL and sent to the driver's cursor of that connection, in its
  SQLAlchemy transaction (the same statements and rows, without SQLAlchemy's execution
  context for each, which was most of the cost): a turn's read and save about
  0.75 -> 0.3 to 0.4 ms of CPU in process (bench/README.md, "Session 13"). A statement
  that fails drops the connection (the retry takes a new one), and so does a fork or
  another engine.

endpoints.yml: the keys of Rasa's ``type: SQL`` store, plus optional
``retries`` (default 3) and ``retry_delay`` (seconds, default 0.2, doubling)::

    tracker_store:
      type: runtime.tracker_store.FailClosedSQLTrackerStore
      dialect: postgresql
      url: localhost
      db: rasa
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import json
import logging
import os
import sqlite3
from typing import Any, Awaitable, Callable, Dict, Iterator, Optional, Text, Tuple, TypeVar

import psycopg2
import sqlalchemy as sa
from rasa.core.agent import Agent
from rasa.core.tracker_store import (
    POSTGRESQL_SCHEMA,
    FailSafeTrackerStore,
    InMemoryTrackerStore,
    SQLTrackerStore,
    TrackerStore,
    create_engine_kwargs,
)
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.exceptions import RasaException

from passordhjelp.autocommit import autocommit
from passordhjelp.sqlite_files import sqlite_file_engine

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Attribute of a tracker this store read: how many of its events are in the store, which
# is what Rasa's save would count (the events since the latest session start).
_STORED_EVENTS = "_passordhjelp_stored_events"

# The read of a conversation's latest session (each event's data and id) and the id of its
# newest event: statements built once, which each PostgreSQL connection prepares under
# these names.
_READ_WITH_IDS = "passordhjelp_read_latest_session"
_NEWEST = "passordhjelp_newest_event"

# Attribute of a tracker this store read or saved where it keeps trackers (PostgreSQL,
# SQLite): the id of the conversation's newest stored event then.
_NEWEST_ID = "_passordhjelp_newest_event_id"

# Trackers kept per process for the next turn of their conversation (about 30 KB for one of
# six turns, so about 15 MB at most; a conversation not among them is read).
KEPT_TRACKERS = 512

# What a database that is down, restarting or unreachable raises (through SQLAlchemy, or
# SQLite's driver itself for the statements sent to its cursor, as SQLAlchemy would wrap them).
_UNAVAILABLE = (
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
    sqlite3.OperationalError,
    sqlite3.InterfaceError,
    # psycopg2's own, for a turn's statements sent to its cursor on PostgreSQL.
    psycopg2.OperationalError,
    psycopg2.InterfaceError,
)


class ConversationStoreUnavailable(RasaException):
    """The conversation could not be read or saved; the message was not handled."""


class FailClosedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` with retries and no in-memory fallback."""

    engine: sa.engine.Engine

    def __init__(
        self,
        domain: Optional[Domain] = None,
        *,
        retries: int = 3,
        retry_delay: float = 0.2,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, **kwargs)
        # A database restart breaks every pooled connection. No pre-ping on a server
        # database (one more round trip, on the event loop, at each of a turn's two
        # checkouts: bench, production shape): the first statement on a broken
        # connection raises a disconnect error, SQLAlchemy then discards every
        # connection made before it, and the retry below takes a new one.
        url = self.engine.url
        self.engine.dispose()
        self._sqlite = url.get_backend_name() == "sqlite"
        # A local file, no network wait: SQLite is read and written on the event loop.
        self._on_the_loop = self._sqlite
        if self._sqlite:
            self.engine = sqlite_file_engine(url, synchronous="NORMAL", pool_pre_ping=True)
        else:
            self.engine = sa.create_engine(url, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.retries = int(retries)
        self.retry_delay = float(retry_delay)
        self._latest_session_events, self._all_events = _event_data_queries(self.SQLEvent.__table__)
        self._count_latest_session_events = sa.select(sa.func.count()).select_from(
            self._latest_session_events.subquery()
        )
        # Built once: SQLAlchemy then finds its compiled form by a key it keeps, instead
        # of working out a new statement's key on every save.
        self._insert_events = self.SQLEvent.__table__.insert()
        table = self.SQLEvent.__table__
        self._keeping_statements: Dict[str, sa.sql.Select] = {
            _READ_WITH_IDS: self._latest_session_events.add_columns(table.c.id),
            _NEWEST: sa.select(sa.func.max(table.c.id)).where(
                table.c.sender_id == sa.bindparam("sender_id")
            ),
        }
        self._prepared: Optional[Dict[str, str]] = None
        # On SQLite: the kept connection (with the engine and process it belongs to) and
        # the turn's statements as the driver's SQL with their parameters' order.
        self._kept_connection: Optional[Tuple[sa.engine.Connection, Any, int]] = None
        self._driver_sql: Dict[str, Tuple[str, Tuple[Callable[[Text], Any], ...]]] = {}
        if self._sqlite:
            self._driver_sql = {
                name: _driver_sql(statement, self.engine.dialect)
                for name, statement in self._keeping_statements.items()
            }
            insert = self._insert_events.values(
                {column: sa.bindparam(column) for column in _EVENT_COLUMNS}
            ).compile(dialect=self.engine.dialect)
            # The insert's SQL and the row keys in the order of its parameters.
            self._driver_insert = (str(insert), tuple(insert.positiontup))
        # Trackers are kept where the newest stored event's id of a save is known for sure:
        # on PostgreSQL the insert returns its ids, on SQLite the save's transaction holds
        # the database's write lock (so its newest event is the conversation's).
        self._keeps_trackers = self._sqlite
        self._kept: "collections.OrderedDict[str, _Kept]" = collections.OrderedDict()
        if url.get_backend_name() == "postgresql" and not os.environ.get(POSTGRESQL_SCHEMA):
            self._keeps_trackers = True
            self._prepared = _prepare_on_connect(self.engine, self._keeping_statements)
            self._insert_returning = (
                f"INSERT INTO {table.name} (sender_id, type_name, timestamp, intent_name, "
                "action_name, data) VALUES %s RETURNING id"
            )
        install()

    async def _off_the_loop(self, call: Callable[[], T]) -> T:
        """``call()`` (a database round trip) in a worker thread for a server database, so
        the event loop serves other conversations while it waits; on SQLite (a local
        file, no network wait) on the loop. The conversation is locked meanwhile (the
        lock store), so nothing else changes its tracker."""
        if self._on_the_loop:
            return call()
        return await asyncio.to_thread(call)

    async def _with_retries(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        delay = self.retry_delay
        for attempt in range(self.retries + 1):
            try:
                return await call()
            except _UNAVAILABLE as error:
                if attempt == self.retries:
                    logger.error(
                        "conversation store unavailable: could not %s after %d tries (%s)",
                        what,
                        attempt + 1,
                        type(error).__name__,
                    )
                    raise ConversationStoreUnavailable(f"could not {what}") from error
                logger.warning(
                    "conversation store: %s failed (%s); trying again in %.1f s",
                    what,
                    type(error).__name__,
                    delay,
                )
                await asyncio.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    @contextlib.contextmanager
    def _sqlite_connection(self) -> Iterator[sa.engine.Connection]:
        """The connection this store keeps on SQLite (made on first use, and again after a
        statement failed on it, for another engine, or in a forked process)."""
        kept = self._kept_connection
        if kept is None or kept[1] is not self.engine or kept[2] != os.getpid():
            kept = self._kept_connection = (self.engine.connect(), self.engine, os.getpid())
        try:
            yield kept[0]
        except BaseException:
            self._kept_connection = None
            with contextlib.suppress(Exception):
                kept[0].invalidate()
            raise

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
        """Something to ``execute`` statements on, committed at the end: a connection,
        or, with ``POSTGRESQL_SCHEMA`` set, Rasa's session (it checks the schema first)."""
        if os.environ.get(POSTGRESQL_SCHEMA):
            with self.session_scope() as session:
                yield session
                session.commit()
        elif self._sqlite:
            with self._sqlite_connection() as connection, connection.begin():
                yield connection
        else:
            with self.engine.begin() as connection:
                yield connection

    def _turn_statement(self) -> Any:
        """Where a turn's look or read runs: on PostgreSQL a driver cursor
        (``_driver_statement``), else ``_one_statement``."""
        return self._driver_statement() if self._prepared is not None else self._one_statement()

    @contextlib.contextmanager
    def _driver_statement(self) -> Iterator[Any]:
        """PostgreSQL: a psycopg2 cursor of a connection of SQLAlchemy's pool, in autocommit
        mode, for one statement (a turn's look, read or insert) without SQLAlchemy's
        ``Connection`` and execution context around it. A statement that fails as a broken
        connection does invalidates it and every pooled one (``engine.dispose()``: what
        SQLAlchemy does with the connections made before such an error), so the retry
        connects anew."""
        pooled = self.engine.raw_connection()
        try:
            driver = pooled.dbapi_connection
            driver.autocommit = True
            try:
                with driver.cursor() as cursor:
                    yield cursor
            finally:
                if not driver.closed:
                    driver.autocommit = False
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as error:
            if self.engine.dialect.is_disconnect(error, driver, None):
                pooled.invalidate(error)
                self.engine.dispose()
            raise
        finally:
            pooled.close()

    @contextlib.contextmanager
    def _one_statement(self) -> Iterator[Any]:
        """Something to ``execute`` one statement on, atomic on its own (a read's SELECT, a
        save's INSERT): on a server database in autocommit mode, without BEGIN and COMMIT
        (two round trips fewer each), else as ``_transaction``. With ``POSTGRESQL_SCHEMA``
        set, Rasa's session."""
        if os.environ.get(POSTGRESQL_SCHEMA) or self._on_the_loop:
            with self._transaction() as connection:
                yield connection
        else:
            with self.engine.connect() as connection, autocommit(connection) as statement:
                yield statement

    async def get_or_create_tracker(
        self,
        sender_id: Text,
        max_event_history: Optional[int] = None,
        append_action_listen: bool = True,
    ) -> DialogueStateTracker:
        """Rasa's, except that a new conversation's tracker knows that none of its events
        are stored, so saving it needs no count."""
        self.max_event_history = max_event_history
        tracker = await self.retrieve(sender_id)
        if tracker is None:
            tracker = self.init_tracker(sender_id)
            if self.domain is not None:
                # The read found no events of this sender (without a domain it answers
                # None whatever it found).
                setattr(tracker, _STORED_EVENTS, 0)
            if append_action_listen:
                tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
            await self.save(tracker)
        return tracker

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        tracker = await self._with_retries(
            "read a conversation",
            lambda: super(FailClosedSQLTrackerStore, self).retrieve(sender_id),
        )
        if tracker is not None:
            # Exactly the events Rasa's save would count: those since the latest session start.
            setattr(tracker, _STORED_EVENTS, len(tracker.events))
        return tracker

    async def _retrieve(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        """Rasa's ``SQLTrackerStore._retrieve`` with the statements built once (on PostgreSQL
        prepared), or the tracker kept from this conversation's last save when no other
        process wrote to it since."""
        if fetch_events_from_all_sessions or not self._keeps_trackers:
            query = (
                self._all_events if fetch_events_from_all_sessions else self._latest_session_events
            )

            def read() -> list:
                with self._one_statement() as connection:
                    return list(connection.execute(query, {"sender_id": sender_id}).scalars())

            return self._tracker_of(sender_id, await self._off_the_loop(read))
        kept = self._kept.pop(sender_id, None)
        if kept is not None:

            def newest() -> Any:
                with self._turn_statement() as connection:
                    (newest_id,) = self._execute(connection, _NEWEST, sender_id).fetchone()
                    return newest_id

            tracker = kept.tracker
            if (
                await self._off_the_loop(newest) == getattr(tracker, _NEWEST_ID, None)
                and kept.unchanged()
            ):
                return kept.as_read()

        def read_with_ids() -> list:
            with self._turn_statement() as connection:
                return list(self._execute(connection, _READ_WITH_IDS, sender_id))

        rows = await self._off_the_loop(read_with_ids)
        tracker = self._tracker_of(sender_id, [data for data, _id in rows])
        if tracker is not None:
            setattr(tracker, _NEWEST_ID, max(event_id for _data, event_id in rows))
        return tracker

    def _execute(self, connection: Any, name: str, sender_id: Text) -> Any:
        """The result of the statement ``name`` for ``sender_id``: on PostgreSQL the
        connection's prepared one, else the one built once."""
        if self._prepared is not None:
            if isinstance(connection, psycopg2.extensions.cursor):
                connection.execute(self._prepared[name], {"sender_id": sender_id})
                return connection
            return connection.exec_driver_sql(self._prepared[name], {"sender_id": sender_id})
        if name in self._driver_sql:
            text, parameters = self._driver_sql[name]
            return _driver_cursor(connection).execute(
                text, tuple(value(sender_id) for value in parameters)
            )
        return connection.execute(self._keeping_statements[name], {"sender_id": sender_id})

    def _tracker_of(self, sender_id: Text, rows: list) -> Optional[DialogueStateTracker]:
        if self.domain and rows:
            return DialogueStateTracker.from_dict(
                sender_id, [json.loads(data) for data in rows], self.domain.slots
            )
        return None

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        return await self._with_retries(
            "read a conversation",
            lambda: super(FailClosedSQLTrackerStore, self).retrieve_full_tracker(conversation_id),
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        # Saving again is safe: Rasa's save writes only the events not yet stored.
        tries = 0
        # Whether this save writes exactly the events not yet stored (no count first: a
        # count restarts at a session start, so Rasa's save of a tracker with one in it
        # writes some events again).
        exact = getattr(tracker, _STORED_EVENTS, None) is not None

        async def save_once() -> None:
            nonlocal tries
            if tries:
                # A failed try may still have committed: count what is stored, as Rasa does.
                _forget_stored_events(tracker)
            tries += 1
            await self.stream_events(tracker)
            if getattr(tracker, _STORED_EVENTS, None) == len(tracker.events):
                # Nothing to write (a new conversation's empty tracker, saved by
                # get_or_create_tracker): no connection, no thread hop.
                return
            await self._off_the_loop(lambda: self._insert_new_events(tracker))

        await self._with_retries("save a conversation", save_once)
        # What _additional_events counted before this save, and what it saved.
        stored = getattr(tracker, _STORED_EVENTS, None)
        if stored is None:
            _forget_stored_events(tracker)
            self._kept.pop(tracker.sender_id, None)
        elif _starts_a_session(tracker, stored):
            # A saved session start restarts Rasa's count: a save of this same tracker
            # counts again. When this save wrote exactly its new events, the tracker is
            # kept for the next read, which gets it as a read of the rows would give it:
            # from the latest session start on (_Kept.as_read).
            _forget_stored_events(tracker)
            self._keep(tracker, _latest_session_start(tracker) if exact and tries == 1 else None)
        else:
            setattr(tracker, _STORED_EVENTS, len(tracker.events))
            self._keep(tracker)

    def _keep(self, tracker: DialogueStateTracker, session_from: Optional[int] = 0) -> None:
        """Keep a tracker just saved, whose newest stored event's id is known, for the next
        read of its conversation (with its last event, to see that it is unchanged then);
        ``session_from``: the index of its first event a read would return (None: a read
        could not be told apart from it, so it is not kept)."""
        self._kept.pop(tracker.sender_id, None)
        if (
            not self._keeps_trackers
            or getattr(tracker, _NEWEST_ID, None) is None
            or session_from is None
        ):
            return
        self._kept[tracker.sender_id] = _Kept(tracker, session_from)
        while len(self._kept) > KEPT_TRACKERS:
            self._kept.popitem(last=False)

    def _insert_new_events(self, tracker: DialogueStateTracker) -> None:
        """The rows Rasa's ``SQLTrackerStore.save`` writes, in one multi-row insert instead of
        one ORM object each (whose unit of work cost more than the insert). When the tracker
        knows how many of its events are stored and the new ones fit in one statement of the
        driver (psycopg2's ``execute_values`` page), the insert is that one statement and
        needs no transaction; a count first goes with its insert in one. On SQLite (always
        a transaction) the conversation's newest event id is read after the insert, in the
        same transaction, which holds the write lock: no other process can have added one."""
        stored = getattr(tracker, _STORED_EVENTS, None)
        page = getattr(self.engine.dialect, "executemany_values_page_size", 0)
        one_statement = stored is not None and len(tracker.events) - stored <= page
        returning = one_statement and self._prepared is not None
        if not (returning or self._sqlite):
            # Its newest stored event is not known after this save.
            _forget_newest_id(tracker)
        if returning:
            # psycopg2's execute_values, as SQLAlchemy's executemany, with the new ids; on a
            # driver cursor (no SQLAlchemy execution context), as the tracker knows what is
            # stored (no count).
            from psycopg2.extras import execute_values

            values = [
                tuple(_row(tracker.sender_id, event).values())
                for event in itertools.islice(tracker.events, stored, None)
            ]
            if values:
                with self._driver_statement() as cursor:
                    ids = execute_values(
                        cursor, self._insert_returning, values, page_size=page, fetch=True
                    )
                setattr(tracker, _NEWEST_ID, max(event_id for (event_id,) in ids))
            return
        with self._one_statement() if one_statement else self._transaction() as connection:
            rows = [
                _row(tracker.sender_id, event)
                for event in self._additional_events(connection, tracker)
            ]
            if rows and self._sqlite:
                text, order = self._driver_insert
                _driver_cursor(connection).executemany(
                    text, [tuple(row[column] for column in order) for row in rows]
                )
                (newest,) = self._execute(connection, _NEWEST, tracker.sender_id).fetchone()
                setattr(tracker, _NEWEST_ID, newest)
            elif rows:
                connection.execute(self._insert_events, rows)

    def _additional_events(self, connection: Any, tracker: DialogueStateTracker) -> Iterator:
        """Rasa's: the events after the first ``count``, where ``count`` is the number of
        stored events since the latest session start; counted by a query only when the
        tracker doesn't know it."""
        stored = getattr(tracker, _STORED_EVENTS, None)
        if stored is None:
            stored = connection.execute(
                self._count_latest_session_events, {"sender_id": tracker.sender_id}
            ).scalar_one()
            setattr(tracker, _STORED_EVENTS, stored)
        return itertools.islice(tracker.events, stored, len(tracker.events))


# The columns a save writes, in the order of the SQLite insert's parameters.
_EVENT_COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")


def _row(sender_id: Text, event: Any) -> Dict[str, Any]:
    """The row Rasa's ``SQLTrackerStore.save`` writes for ``event``, by column."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _driver_cursor(connection: sa.engine.Connection) -> sqlite3.Cursor:
    """A cursor of the SQLite connection behind ``connection``, in its transaction."""
    return connection.connection.dbapi_connection.cursor()


def _driver_sql(
    statement: sa.sql.Select, dialect: Any
) -> Tuple[str, Tuple[Callable[[Text], Any], ...]]:
    """``statement`` as the driver's SQL (positional parameters, SQLite's ``?``), and for
    each parameter in order how it is got from the sender id: the sender id itself, or the
    constant the statement was built with (the session start's type name)."""
    compiled = statement.compile(dialect=dialect)
    assert compiled.positional, "SQLite's driver takes positional parameters"

    def value_of(name: str) -> Callable[[Text], Any]:
        if name == "sender_id":
            return lambda sender_id: sender_id
        constant = compiled.params[name]
        return lambda _sender_id: constant

    return str(compiled), tuple(value_of(name) for name in compiled.positiontup)


def _event_data_queries(events: sa.Table) -> Tuple[sa.sql.Select, sa.sql.Select]:
    """The ``data`` of a sender's events (``:sender_id``) in the order Rasa's
    ``SQLTrackerStore._event_query`` reads them: of the latest session (from the newest
    session start's timestamp on, or all when there is none) and of all sessions."""
    sender = events.c.sender_id == sa.bindparam("sender_id")
    session_start = (
        sa.select(sa.func.max(events.c.timestamp))
        .where(sender, events.c.type_name == SessionStarted.type_name)
        .scalar_subquery()
    )
    all_events = sa.select(events.c.data).where(sender).order_by(events.c.id)
    latest = all_events.where(sa.or_(events.c.timestamp >= session_start, session_start.is_(None)))
    return latest, all_events


def _prepare_on_connect(
    engine: sa.engine.Engine, queries: Dict[str, sa.sql.Select]
) -> Dict[str, str]:
    """Let every new connection of ``engine`` (PostgreSQL) prepare each query once, by name,
    with ``:sender_id`` its one parameter and its other values (the session start's type
    name) quoted by the driver; the statements that execute them with ``%(sender_id)s``."""
    texts = {}
    for name, query in queries.items():
        compiled = query.compile(dialect=engine.dialect)
        constants = {key: value for key, value in compiled.params.items() if key != "sender_id"}
        texts[name] = (str(compiled).replace("%(sender_id)s", "$1"), constants)

    @sa.event.listens_for(engine, "connect")
    def _prepare(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        for name, (text, constants) in texts.items():
            body = cursor.mogrify(text, constants).decode()
            cursor.execute(f"PREPARE {name} (text) AS {body}")
        cursor.close()
        # PREPARE opened a transaction (psycopg2 is not in autocommit mode yet); end it.
        connection.commit()

    return {name: f"EXECUTE {name} (%(sender_id)s)" for name in queries}


def _starts_a_session(tracker: DialogueStateTracker, stored: int) -> bool:
    """Whether the events after the first ``stored`` start a session (once saved, Rasa's
    count restarts at that session's start)."""
    return any(
        isinstance(event, SessionStarted)
        for event in itertools.islice(tracker.events, stored, None)
    )


class _Kept:
    """A tracker kept after its save: its length and last event then (to see that nothing
    was added since), and the index of the first event a read of its conversation would
    return (0, or after a saved session start that start: Rasa reads the latest session)."""

    __slots__ = ("tracker", "length", "last_event", "session_from")

    def __init__(self, tracker: DialogueStateTracker, session_from: int) -> None:
        self.tracker = tracker
        self.length = len(tracker.events)
        self.last_event = tracker.events[-1] if tracker.events else None
        self.session_from = session_from

    def unchanged(self) -> bool:
        """Whether the tracker has exactly the events it had when saved."""
        events = self.tracker.events
        return len(events) == self.length and (events[-1] if events else None) is (self.last_event)

    def as_read(self) -> DialogueStateTracker:
        """The tracker as a read of its conversation gives it: the events of the latest
        session (the events before a session start it saved dropped: its state is the
        same, as ``SessionStarted`` resets it), all of them stored."""
        tracker = self.tracker
        if self.session_from:
            events = tracker.events
            tracker.events = collections.deque(
                itertools.islice(events, self.session_from, None), maxlen=events.maxlen
            )
        setattr(tracker, _STORED_EVENTS, len(tracker.events))
        return tracker


def _latest_session_start(tracker: DialogueStateTracker) -> Optional[int]:
    """The index of the first event a read returns once ``tracker`` is saved (those from the
    newest session start's timestamp on, in order), when they are the events from its last
    ``SessionStarted`` on; else None (timestamps out of order: not kept)."""
    events = list(tracker.events)
    starts = [i for i, event in enumerate(events) if isinstance(event, SessionStarted)]
    if not starts:
        return 0
    first = starts[-1]
    since = max(events[i].timestamp for i in starts)
    if events[first].timestamp != since:
        return None
    if all(event.timestamp < since for event in events[:first]) and all(
        event.timestamp >= since for event in events[first:]
    ):
        return first
    return None


def _forget_newest_id(tracker: DialogueStateTracker) -> None:
    if hasattr(tracker, _NEWEST_ID):
        delattr(tracker, _NEWEST_ID)


def _forget_stored_events(tracker: DialogueStateTracker) -> None:
    if hasattr(tracker, _STORED_EVENTS):
        delattr(tracker, _STORED_EVENTS)


def _create_tracker_store(store: Optional[TrackerStore], domain: Domain) -> TrackerStore:
    """``Agent._create_tracker_store`` of Rasa 3.6, except that our store stays unwrapped."""
    if isinstance(store, FailClosedSQLTrackerStore):
        store.domain = domain
        return store
    if store is not None:
        store.domain = domain
        return FailSafeTrackerStore(store)
    return FailSafeTrackerStore(InMemoryTrackerStore(domain))


def install() -> None:
    """Let Rasa's agent use ``FailClosedSQLTrackerStore`` as it is (idempotent)."""
    Agent._create_tracker_store = staticmethod(_create_tracker_store)
