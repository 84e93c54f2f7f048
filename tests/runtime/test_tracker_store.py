"""The fail-closed tracker store: no in-memory fallback, retries, then an error the channel sees."""

import sqlalchemy as sa
import pytest
from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from runtime.tracker_store import ConversationStoreUnavailable, FailClosedSQLTrackerStore


@pytest.fixture
def store(tmp_path):
    return FailClosedSQLTrackerStore(Domain.empty(), dialect="sqlite",
                                     db=str(tmp_path / "tracker.db"), retry_delay=0.01)


def test_tracker_store_is_not_wrapped_in_rasas_fallback(store):
    domain = Domain.empty()
    assert Agent._create_tracker_store(store, domain) is store
    other = Agent._create_tracker_store(InMemoryTrackerStore(domain), domain)
    assert isinstance(other, FailSafeTrackerStore)        # every other store as Rasa does


async def test_tracker_store_saves_and_reads_like_rasas(store):
    tracker = DialogueStateTracker.from_events("ola", [UserUttered("hei")])
    await store.save(tracker)
    assert [e.text for e in (await store.retrieve("ola")).events
            if isinstance(e, UserUttered)] == ["hei"]


async def test_tracker_store_unreachable_database_is_an_error_not_an_empty_conversation(
        store, caplog):
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
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1    # NORMAL
    with store.engine.connect():
        pass
    assert len(connects) <= 1           # the second use took the pooled connection


async def test_tracker_store_sqlite_keeps_what_it_saved_across_stores(store, tmp_path):
    # A second server (or a restart) on the same file reads what the first one wrote.
    await store.save(DialogueStateTracker.from_events("ola", [UserUttered("hei")]))
    other = FailClosedSQLTrackerStore(Domain.empty(), dialect="sqlite",
                                      db=str(tmp_path / "tracker.db"))
    assert [e.text for e in (await other.retrieve("ola")).events
            if isinstance(e, UserUttered)] == ["hei"]
