"""The fail-closed tracker store: no in-memory fallback, retries, then an error the channel sees."""

import json
import os

import sqlalchemy as sa
import pytest
from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from runtime.tracker_store import ConversationStoreUnavailable, FailClosedSQLTrackerStore
from tests.postgres_proxy import RecordingProxy

# Per test process: a test that terminates its own connections (a database restart) must not
# end those of a test running beside it under pytest-xdist.
APPLICATION = f"passordhjelp-tracker-test-{os.getpid()}"


@pytest.fixture
def store(tmp_path):
    return FailClosedSQLTrackerStore(
        Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"), retry_delay=0.01
    )


def test_tracker_store_is_not_wrapped_in_rasas_fallback(store):
    domain = Domain.empty()
    assert Agent._create_tracker_store(store, domain) is store
    other = Agent._create_tracker_store(InMemoryTrackerStore(domain), domain)
    assert isinstance(other, FailSafeTrackerStore)  # every other store as Rasa does


async def test_tracker_store_saves_and_reads_like_rasas(store):
    tracker = DialogueStateTracker.from_events("ola", [UserUttered("hei")])
    await store.save(tracker)
    assert [e.text for e in (await store.retrieve("ola")).events if isinstance(e, UserUttered)] == [
        "hei"
    ]


async def test_tracker_store_unreachable_database_is_an_error_not_an_empty_conversation(
    store, caplog
):
    await store.save(DialogueStateTracker.from_events("ola", [UserUttered("hei")]))
    store.engine.dispose()
    store.engine = sa.create_engine("sqlite:////nonexistent-folder/tracker.db")
    store.sessionmaker = sa.orm.session.sessionmaker(bind=store.engine)

    with pytest.raises(ConversationStoreUnavailable, match="could not read a conversation"):
        await store.retrieve("ola")
    with pytest.raises(ConversationStoreUnavailable, match="could not save a conversation"):
        await store.save(DialogueStateTracker.from_events("ola", [UserUttered("hei")]))
    assert caplog.text.count("trying again") == 2 * store.retries


def test_tracker_store_sqlite_keeps_connections_and_writes_ahead(store):
    connects = []
    sa.event.listen(store.engine, "connect", lambda *_: connects.append(1))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    with store.engine.connect():
        pass
    assert len(connects) <= 1  # the second use took the pooled connection


async def test_tracker_store_sqlite_keeps_what_it_saved_across_stores(store, tmp_path):
    # A second server (or a restart) on the same file reads what the first one wrote.
    await store.save(DialogueStateTracker.from_events("ola", [UserUttered("hei")]))
    other = FailClosedSQLTrackerStore(
        Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db")
    )
    assert [e.text for e in (await other.retrieve("ola")).events if isinstance(e, UserUttered)] == [
        "hei"
    ]


def _rows(store):
    with store.engine.connect() as connection:
        return [
            (kind, json.loads(data))
            for kind, data in connection.exec_driver_sql(
                "SELECT type_name, data FROM events ORDER BY id"
            )
        ]


async def _conversation(store, events):
    """Turns as Rasa's processor makes them: read, add events, save (twice in one turn
    once), a new session in the middle; ``events`` hands out the same events to each store."""
    await store.save(DialogueStateTracker.from_events("ola", events[0:3]))
    tracker = await store.retrieve("ola")
    for event in events[3:6]:
        tracker.update(event)
    await store.save(tracker)
    tracker.update(events[6])
    await store.save(tracker)  # the same tracker saved again
    tracker = await store.retrieve("ola")
    for event in events[7:12]:  # a new session starts
        tracker.update(event)
    await store.save(tracker)
    tracker.update(events[12])
    await store.save(tracker)
    tracker = await store.retrieve("ola")
    tracker.update(events[13])
    await store.save(tracker)


def _events():
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered("hei"),
        ActionExecuted("utter_greet"),
        BotUttered("Hei!"),
        ActionExecuted("action_listen"),
        ActionExecuted("action_session_start"),
        SessionStarted(),
        BotUttered("Hei igjen!"),
        ActionExecuted("action_listen"),
        UserUttered("takk"),
        ActionExecuted("utter_thank"),
        ActionExecuted("action_listen"),
    ]


async def test_tracker_store_saves_the_rows_rasas_store_saves_without_counting(store, tmp_path):
    events = _events()
    rasas = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "rasa.db"))
    statements = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    await _conversation(rasas, events)
    await _conversation(store, events)
    # The same rows, including what Rasa's count writes twice: saving the same tracker
    # again after a session start in it (its count restarts at that start).
    assert _rows(store) == _rows(rasas)
    # Counted by a query (6 times for Rasa's) only for the tracker it neither read nor
    # saved and for the save after one that stored a session start.
    assert sum("count(" in statement.lower() for statement in statements) == 2


async def test_tracker_store_reads_the_events_rasas_store_reads(store, tmp_path):
    await _conversation(store, _events())
    await store.save(DialogueStateTracker.from_events("kari", _events()[:5]))
    # Rasa's own store on the same database file.
    rasas = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))

    def dicts(tracker):
        return [event.as_dict() for event in tracker.events]

    for sender in ("ola", "kari"):
        ours, theirs = await store.retrieve(sender), await rasas.retrieve(sender)
        assert dicts(ours) == dicts(theirs)
        ours = await store.retrieve_full_tracker(sender)
        assert dicts(ours) == dicts(await rasas.retrieve_full_tracker(sender))
    assert len((await store.retrieve("ola")).events) < len(
        (await store.retrieve_full_tracker("ola")).events
    )
    assert await store.retrieve("nobody") is None


async def _save_after_a_lost_commit(store, tracker) -> int:
    """Save ``tracker`` with its first insert committed but reported as failed (the
    connection lost after the commit); how many inserts ran."""
    original = FailClosedSQLTrackerStore._insert_new_events
    calls = []

    def commit_then_fail(self, tracker):
        original(self, tracker)
        calls.append(1)
        if len(calls) == 1:
            raise sa.exc.OperationalError("commit", {}, Exception("connection lost"))

    FailClosedSQLTrackerStore._insert_new_events = commit_then_fail
    try:
        await store.save(tracker)
    finally:
        FailClosedSQLTrackerStore._insert_new_events = original
    return len(calls)


async def test_tracker_store_retried_save_counts_what_is_stored(store):
    await store.save(DialogueStateTracker.from_events("ola", _events()[0:3]))
    tracker = await store.retrieve("ola")
    tracker.update(UserUttered("hei"))
    # A save whose commit went through but reported a failure is tried again: the
    # retry counts the stored events rather than trust what the tracker remembers.
    assert await _save_after_a_lost_commit(store, tracker) == 2
    assert [kind for kind, _ in _rows(store)] == ["action", "session_started", "action", "user"]


async def test_tracker_store_retried_save_of_a_session_start_is_not_kept(keeping_store):
    # A retry counts what is stored; after a session start that count restarts, so the
    # saved tracker is not handed out: the next read reads the rows.
    store = keeping_store
    tracker = await _turn(store, "ola", "hei")
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(UserUttered("ny økt"))
    assert await _save_after_a_lost_commit(store, tracker) == 2
    read = await store.retrieve("ola")
    theirs = SQLTrackerStore(Domain.empty(), **_rasa_kwargs(store))
    try:
        rasas = await theirs.retrieve("ola")
    finally:
        theirs.engine.dispose()
    assert read is not tracker
    assert [e.as_dict() for e in read.events] == [e.as_dict() for e in rasas.events]


async def test_tracker_store_new_conversation_is_saved_without_counting(store, tmp_path):
    statements = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    tracker = await store.get_or_create_tracker("ny")
    # Rasa's store: a count query before inserting the first action_listen.
    assert not any("count(" in statement.lower() for statement in statements)
    rasas = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "rasa.db"))
    theirs = await rasas.get_or_create_tracker("ny")
    assert [e.as_dict()["event"] for e in tracker.events] == ["action"]
    assert [kind for kind, _ in _rows(store)] == [kind for kind, _ in _rows(rasas)] == ["action"]
    assert [e.action_name for e in tracker.events] == [e.action_name for e in theirs.events]
    # The tracker then counts on as one read back would.
    tracker.update(UserUttered("hei"))
    await store.save(tracker)
    assert [kind for kind, _ in _rows(store)] == ["action", "user"]
    assert await store.get_or_create_tracker("ny") is not None
    assert [kind for kind, _ in _rows(store)] == ["action", "user"]


async def test_tracker_store_new_conversation_without_events_is_one_read(keeping_store):
    # Rasa's processor creates a new conversation's tracker without events
    # (append_action_listen=False) and saves it: nothing to write, so no connection (on
    # SQLite, which keeps one connection: no statement).
    store = keeping_store
    checkouts = []
    sa.event.listen(store.engine, "checkout", lambda *args: checkouts.append(1))
    sent = _record_reads(store)
    tracker = await store.get_or_create_tracker("ny", append_action_listen=False)
    assert list(tracker.events) == [] and len(sent) == 1  # the read
    if store.engine.url.get_backend_name() != "sqlite":
        assert len(checkouts) == 1
    tracker.update(UserUttered("hei"))
    await store.save(tracker)
    if store.engine.url.get_backend_name() == "sqlite":
        assert len(checkouts) == 1  # the connection it keeps
        assert [text.split()[0] for text in sent[1:]] == ["INSERT", "SELECT"]  # the newest id
    else:
        assert len(checkouts) == 2  # the insert
    assert [kind for kind, _ in _rows(store)] == ["user"]


async def test_tracker_store_reads_and_writes_without_an_orm_session(store):
    def no_session():
        raise AssertionError("an ORM session was opened")

    store.sessionmaker = no_session
    tracker = await store.get_or_create_tracker("ola")
    tracker.update(UserUttered("hei"))
    await store.save(tracker)
    assert [e.text for e in (await store.retrieve("ola")).events if isinstance(e, UserUttered)] == [
        "hei"
    ]
    await store.save(DialogueStateTracker.from_events("kari", [UserUttered("hei")]))  # counted


# The proxy in front of PostgreSQL of each store the postgres_store fixture made.
_PROXIES: dict = {}


@pytest.fixture
def postgres_store(postgres_url):
    """The store on PostgreSQL, in a schema of its own, as the production shape serves it,
    through a proxy that records what the server receives (``_Received``): the store sends
    a turn's statements to psycopg2's cursor, which SQLAlchemy's statement events don't
    see."""
    url = sa.engine.make_url(postgres_url)
    with RecordingProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        store = _store_behind(
            proxy, url, query={**url.query, "application_name": APPLICATION}, retry_delay=0.01
        )
        _PROXIES[id(store)] = proxy
        with store.engine.connect():
            pass  # SQLAlchemy's look at the server when its engine first connects
        yield store
        store.engine.dispose()
        del _PROXIES[id(store)]


def _store_behind(proxy, url, **options):
    """The store on the PostgreSQL of ``url``, reached through ``proxy``."""
    return FailClosedSQLTrackerStore(
        Domain.empty(),
        dialect="postgresql",
        host="127.0.0.1",
        port=proxy.port,
        db=url.database,
        username=url.username,
        password=url.password,
        **options,
    )


class _Received:
    """The statements PostgreSQL receives through a store's proxy from now on (not the
    ``PREPARE`` of a new connection, nor SQLAlchemy's look at the server when its engine
    first connects, which are lower case), as a list."""

    KINDS = {"SELECT", "INSERT", "UPDATE", "DELETE", "EXECUTE", "BEGIN", "COMMIT", "ROLLBACK"}

    def __init__(self, store) -> None:
        self._proxy = _PROXIES[id(store)]
        self._start = len(self._proxy.statements)

    def _statements(self) -> list:
        return [
            statement
            for statement in self._proxy.statements[self._start :]
            if statement.split()[0] in self.KINDS and "pg_type" not in statement
        ]

    def __len__(self) -> int:
        return len(self._statements())

    def __getitem__(self, index):
        return self._statements()[index]

    def __iter__(self):
        return iter(self._statements())


async def test_tracker_store_postgres_turns_send_no_pings(postgres_store):
    sent = _PROXIES[id(postgres_store)].statements  # everything the server receives
    for text in ("hei", "glemt passord", "takk"):
        tracker = await postgres_store.retrieve("ola") or DialogueStateTracker("ola", [])
        tracker.update(UserUttered(text))
        await postgres_store.save(tracker)
    assert sent, "the recording saw the store's statements"
    assert not [s for s in sent if s.strip().lower() == "select 1"]
    texts = [e.text for e in (await postgres_store.retrieve("ola")).events]
    assert texts == ["hei", "glemt passord", "takk"]


async def test_tracker_store_postgres_turns_without_begin_and_commit(postgres_store):
    # A read is one EXECUTE and a turn's save one INSERT: without BEGIN and COMMIT, four
    # round trips fewer per turn. A save that counts first keeps count and insert together.
    received = _Received(postgres_store)
    tracker = await postgres_store.get_or_create_tracker("ola")
    for text in ("hei", "takk"):
        tracker.update(UserUttered(text))
        tracker.update(ActionExecuted("utter_greet"))
        await postgres_store.save(tracker)
        tracker = await postgres_store.retrieve("ola")
    # The new conversation's read and save, then each turn's save and next read.
    assert [statement.split()[0] for statement in received] == ["EXECUTE", "INSERT"] + [
        "INSERT",
        "EXECUTE",
    ] * 2
    assert [e.as_dict()["event"] for e in tracker.events] == ["action"] + ["user", "action"] * 2
    received = _Received(postgres_store)
    await postgres_store.save(DialogueStateTracker.from_events("kari", [UserUttered("hei")]))
    assert [statement.split()[0] for statement in received] == [
        "BEGIN",
        "SELECT",
        "INSERT",
        "COMMIT",
    ]
    assert "count(" in received[1]
    with postgres_store.engine.connect() as connection:  # the pool's default mode is back
        assert connection.connection.autocommit is False


async def test_tracker_store_postgres_connections_killed_by_a_restart_are_replaced(
    postgres_store, caplog
):
    await postgres_store.save(DialogueStateTracker.from_events("ola", [UserUttered("hei")]))
    await postgres_store.retrieve("ola")  # a pooled connection now
    # What a database restart does to the store's open connections.
    admin = sa.create_engine(postgres_store.engine.url)
    with admin.connect() as connection:
        killed = connection.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name AND pid <> pg_backend_pid()"
            ),
            {"name": APPLICATION},
        ).scalar()
    admin.dispose()
    assert killed >= 1
    tracker = await postgres_store.retrieve("ola")
    tracker.update(UserUttered("er du der?"))
    await postgres_store.save(tracker)
    texts = [e.text for e in (await postgres_store.retrieve("ola")).events]
    assert texts == ["hei", "er du der?"]
    assert caplog.text.count("trying again") <= 1  # one retry after the broken connection


async def test_tracker_store_postgres_reads_with_a_statement_prepared_once(postgres_store):
    # The read's statement is parsed and planned once per connection, not on every turn,
    # and reads what Rasa's own store reads from the same database.
    statements = _Received(postgres_store)
    await _conversation(postgres_store, _events())
    await postgres_store.save(DialogueStateTracker.from_events("kari", _events()[:5]))
    rasas = SQLTrackerStore(Domain.empty(), **_rasa_kwargs(postgres_store))
    try:
        for sender in ("ola", "kari", "nobody"):
            ours, theirs = await postgres_store.retrieve(sender), await rasas.retrieve(sender)
            if sender == "nobody":
                assert ours is None and theirs is None
            else:
                assert [e.as_dict() for e in ours.events] == [e.as_dict() for e in theirs.events]
    finally:
        rasas.engine.dispose()
    assert [s for s in statements if s.startswith("EXECUTE passordhjelp_read_latest_session")]
    assert not [s for s in statements if s.startswith("SELECT events.data")]
    with postgres_store.engine.connect() as connection:  # prepared when it connected
        prepared = connection.exec_driver_sql("SELECT name FROM pg_prepared_statements")
        assert sorted(prepared.scalars().all()) == [
            "passordhjelp_newest_event",
            "passordhjelp_read_latest_session",
        ]


@pytest.fixture(params=["sqlite", "postgres"])
def keeping_store(request):
    """The store on each database it keeps trackers on: SQLite (the embedded shape) and
    PostgreSQL (the production shape)."""
    return request.getfixturevalue({"sqlite": "store", "postgres": "postgres_store"}[request.param])


def _other_server(store):
    """A second store on the same database (or SQLite file), as another Rasa process has."""
    return FailClosedSQLTrackerStore(Domain.empty(), **_rasa_kwargs(store))


def _record_reads(store) -> list:
    """The statements the store's reads send, as SQLAlchemy passes them to the driver (and on
    SQLite, where the store sends a turn's statements to the driver's cursor of the
    connection it keeps, as that connection runs them); on PostgreSQL what the server
    receives (BEGIN and COMMIT too)."""
    if store.engine.url.get_backend_name() != "sqlite":
        return _Received(store)  # type: ignore[return-value]
    sent: list = []
    sa.event.listen(
        store.engine, "before_cursor_execute", lambda _c, _cur, text, *_: sent.append(text)
    )
    if store.engine.url.get_backend_name() == "sqlite":
        with store._sqlite_connection() as connection:
            connection.connection.dbapi_connection.set_trace_callback(
                lambda text: sent.append(text) if text.split()[0] in _STATEMENTS else None
            )
    return sent


# What a SQLite trace shows of the statements themselves (not the driver's BEGIN and COMMIT).
_STATEMENTS = {"SELECT", "INSERT", "UPDATE", "DELETE"}


async def _turn(store, sender, text):
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered(text))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(BotUttered(f"re: {text}"))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    return tracker


def _texts(tracker):
    return [e.text for e in tracker.events if isinstance(e, (UserUttered, BotUttered))]


async def test_tracker_store_keeps_the_tracker_it_saved_while_nobody_else_writes(keeping_store):
    store = keeping_store
    await _turn(store, "ola", "hei")
    saved = await _turn(store, "ola", "glemt passord")
    statements = _record_reads(store)
    # The next turn gets the tracker it saved, after one look at the newest event's id.
    again = await store.retrieve("ola")
    assert again is saved
    assert len(statements) == 1
    assert "passordhjelp_newest_event" in statements[0] or "max(events.id)" in statements[0]
    # Handed out once: another read (here without a save in between) reads the rows.
    other = await store.retrieve("ola")
    assert other is not saved and _texts(other) == _texts(saved)
    theirs = SQLTrackerStore(Domain.empty(), **_rasa_kwargs(store))
    try:
        assert [e.as_dict() for e in other.events] == [
            e.as_dict() for e in (await theirs.retrieve("ola")).events
        ]
    finally:
        theirs.engine.dispose()


async def test_tracker_store_reads_what_another_server_wrote_since(keeping_store):
    store = keeping_store
    await _turn(store, "ola", "hei")
    await _turn(store, "ola", "glemt passord")  # kept by the first server
    second = _other_server(store)
    try:
        await _turn(second, "ola", "takk")  # the next message went to another server
    finally:
        second.engine.dispose()
    tracker = await store.retrieve("ola")
    assert _texts(tracker)[-2:] == ["takk", "re: takk"]
    # And a tracker changed after its save is not handed out as stored.
    tracker.update(UserUttered("not saved"))
    await store.save(tracker)
    tracker.update(UserUttered("changed after the save"))
    assert _texts(await store.retrieve("ola"))[-1] == "not saved"


async def test_tracker_store_reads_a_row_written_directly_between_turns(keeping_store):
    # Another writer (not a store: a test, a script) adds an event between two turns.
    store = keeping_store
    await _turn(store, "ola", "hei")
    kept = await _turn(store, "ola", "glemt passord")
    writer = sa.create_engine(store.engine.url)
    try:
        with writer.begin() as connection:
            connection.execute(
                store.SQLEvent.__table__.insert(),
                {
                    "sender_id": "ola",
                    "type_name": "user",
                    "timestamp": kept.events[-1].timestamp + 1,
                    "data": json.dumps(UserUttered("skrevet direkte").as_dict()),
                },
            )
    finally:
        writer.dispose()
    tracker = await store.retrieve("ola")
    assert tracker is not kept and _texts(tracker)[-1] == "skrevet direkte"
    # The next turn goes on from it, and is kept again.
    tracker.update(BotUttered("svar"))
    await store.save(tracker)
    assert await store.retrieve("ola") is tracker


async def test_tracker_store_keeps_a_tracker_after_a_session_start_as_a_read_gives_it(
    keeping_store,
):
    store = keeping_store
    tracker = await _turn(store, "ola", "hei")
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("ny økt"))
    await store.save(tracker)
    # The next read gets the saved tracker after one look at the newest event's id, with
    # the new session only, as a read of the rows gives it (Rasa's store on the same
    # database); nothing is counted when it is saved next.
    statements = _record_reads(store)
    kept = await store.retrieve("ola")
    assert kept is tracker and len(statements) == 1
    theirs = SQLTrackerStore(Domain.empty(), **_rasa_kwargs(store))
    try:
        read = await theirs.retrieve("ola")
        assert [e.as_dict() for e in kept.events] == [e.as_dict() for e in read.events]
        assert _texts(kept) == ["ny økt"]
        assert kept.current_state() == read.current_state()
        kept.update(BotUttered("svar"))
        await store.save(kept)
        assert not any("count(" in statement.lower() for statement in statements)
        again = await theirs.retrieve("ola")
        assert [e.as_dict() for e in again.events] == [e.as_dict() for e in kept.events]
    finally:
        theirs.engine.dispose()
    assert await store.retrieve("ola") is kept


async def test_tracker_store_new_conversation_kept_after_its_session_start(keeping_store):
    # As Rasa's processor: the first message's read finds nothing, the turn runs
    # action_session_start and is saved; the second message's read is one look.
    store = keeping_store
    tracker = await store.get_or_create_tracker("ola", append_action_listen=False)
    for event in (
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered("hei"),
        ActionExecuted("utter_greet"),
        BotUttered("Hei!"),
        ActionExecuted("action_listen"),
    ):
        tracker.update(event)
    await store.save(tracker)
    statements = _record_reads(store)
    second = await store.retrieve("ola")
    assert second is tracker and len(statements) == 1
    assert [type(e).__name__ for e in second.events][:2] == ["SessionStarted", "ActionExecuted"]


async def test_tracker_store_reads_after_a_session_start_out_of_timestamp_order(keeping_store):
    # An event before the session start stamped later than it (clocks of two servers):
    # a read would return it after the start, so the saved tracker is not kept.
    store = keeping_store
    tracker = await _turn(store, "ola", "hei")
    start = SessionStarted()
    late = ActionExecuted("action_session_start", timestamp=start.timestamp + 5)
    tracker.update(late)
    tracker.update(start)
    tracker.update(UserUttered("ny økt"))
    await store.save(tracker)
    read = await store.retrieve("ola")
    assert read is not tracker and _texts(read) == ["ny økt"]


def _rasa_kwargs(store):
    """The keyword arguments of Rasa's SQL store for the database ``store`` is on."""
    url = store.engine.url
    if url.get_backend_name() == "sqlite":
        return dict(dialect="sqlite", db=url.database)
    return dict(
        dialect="postgresql",
        host=url.host,
        port=url.port,
        db=url.database,
        username=url.username,
        query=dict(url.query),
    )


async def test_tracker_store_postgres_turn_is_two_statements_on_the_server(postgres_url):
    # What PostgreSQL receives in a turn of a conversation this store saved last: the look
    # at the newest event and the insert. Asking SQLAlchemy for autocommit mode made
    # psycopg2 send "SET default_transaction_isolation TO DEFAULT" after each (four a turn).
    url = sa.engine.make_url(postgres_url)
    with RecordingProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        store = _store_behind(proxy, url, query=dict(url.query))
        try:
            await _turn(store, "ola", "hei")
            with store.engine.connect():
                pass  # SQLAlchemy's look at the server when its engine first connects
            del proxy.statements[:]
            tracker = await _turn(store, "ola", "glemt passord")
            assert [statement.split()[0] for statement in proxy.statements] == [
                "EXECUTE",
                "INSERT",
            ]
            assert "passordhjelp_newest_event" in proxy.statements[0]
            # A save that counts first is still one transaction.
            del proxy.statements[:]
            await store.save(DialogueStateTracker.from_events("kari", [UserUttered("hei")]))
            assert [statement.split()[0] for statement in proxy.statements] == [
                "BEGIN",
                "SELECT",
                "INSERT",
                "COMMIT",
            ]
        finally:
            store.engine.dispose()
    assert _texts(tracker) == ["hei", "re: hei", "glemt passord", "re: glemt passord"]
    reader = sa.create_engine(postgres_url)
    with reader.connect() as connection:
        stored = connection.exec_driver_sql("SELECT type_name FROM events ORDER BY id").scalars()
        assert list(stored).count("user") == 3  # two turns of ola's, one of kari's
    reader.dispose()


async def test_tracker_store_sqlite_statement_failure_drops_the_kept_connection(store, monkeypatch):
    # A turn's statements go to the driver's cursor of the connection the store keeps; one
    # that fails as a database that can't be used now does is retried on a new connection.
    import sqlite3

    from runtime import tracker_store

    await _turn(store, "ola", "hei")
    first = store._kept_connection[0]
    real = tracker_store._driver_cursor
    failures = []

    def failing_once(connection):
        if not failures:
            failures.append(connection)
            raise sqlite3.OperationalError("disk I/O error")
        return real(connection)

    monkeypatch.setattr(tracker_store, "_driver_cursor", failing_once)
    tracker = await _turn(store, "ola", "takk")
    assert failures and store._kept_connection[0] is not first and first.invalidated
    assert _texts(tracker) == ["hei", "re: hei", "takk", "re: takk"]
    assert _texts(await _other_server(store).retrieve("ola")) == _texts(tracker)
