"""The request store's round trips on PostgreSQL (no ping before each use, reads in
autocommit, a connection a database restart broke replaced without the user noticing) and
its statements built once, on both databases."""

import os
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from passordhjelp.identity import Requester
from passordhjelp.outcomes import Outcome, OutcomeCounter
from passordhjelp.repository import SqlOutcomeStore, SqlRequestStore, create_engine, reset_requests
from passordhjelp.reset_requests import FileOutcome, ResetRequestService, Status
from tests.postgres_proxy import RecordingProxy

OLA = Requester("rest", "ola")
# Per test process: the restart test terminates its own connections, not those of a test
# running beside it under pytest-xdist.
APPLICATION = f"passordhjelp-repository-test-{os.getpid()}"


@pytest.fixture
def engine(postgres_url):
    engine = create_engine(f"{postgres_url}&application_name={APPLICATION}")
    yield engine
    engine.dispose()


@pytest.fixture
def service(engine):
    return ResetRequestService(SqlRequestStore(engine), reference_prefix="PH")


def _record_statements(engine) -> list:
    """(statement, inside BEGIN ... COMMIT) of everything the engine's connections send,
    SQLAlchemy's pings included."""
    import psycopg2.extensions

    sent: list = []

    class Recording(psycopg2.extensions.cursor):
        def execute(self, query, vars=None):
            sent.append((str(query), not self.connection.autocommit))
            return super().execute(query, vars)

    @sa.event.listens_for(engine, "connect")
    def record(dbapi_connection, _record):
        dbapi_connection.cursor_factory = Recording

    engine.dispose()   # connections made from now on record
    return sent


def _terminate_pooled_connections(engine) -> int:
    """What a database restart does to the pool's open connections."""
    admin = sa.create_engine(engine.url)
    with admin.connect() as connection:
        killed = connection.execute(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = :name AND pid <> pg_backend_pid()"), {"name": APPLICATION}
        ).scalar()
    admin.dispose()
    return killed


def test_repository_reads_in_autocommit_and_sends_no_pings(service, engine):
    service.file(OLA, language="en")
    sent = _record_statements(engine)

    service.file(OLA, language="en")   # already filed: two reads and the audit entry

    assert [(query.split()[0], wrapped) for query, wrapped in sent] == [
        ("SELECT", False), ("INSERT", True)]   # no ping; the read without BEGIN


def test_repository_read_is_one_statement_on_the_server(postgres_url):
    # What PostgreSQL receives: a read is its SELECT alone, a filing BEGIN ... COMMIT. Asking
    # SQLAlchemy for autocommit mode made psycopg2 send "SET default_transaction_isolation
    # TO DEFAULT" after each read.
    url = sa.engine.make_url(postgres_url)
    with RecordingProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        engine = create_engine(
            url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
        try:
            service = ResetRequestService(SqlRequestStore(engine), reference_prefix="PH")
            filed = service.file(OLA, language="en")
            del proxy.statements[:]

            listed = service.requests_of(OLA)
            reads = [statement.split()[0] for statement in proxy.statements]
            del proxy.statements[:]
            again = service.file(OLA, language="en")   # already filed: a read and the audit
        finally:
            engine.dispose()

    assert [request.reference for request in listed] == [filed.request.reference]
    assert reads == ["SELECT"]
    assert again.outcome is FileOutcome.ALREADY_OPEN
    assert [statement.split()[0] for statement in proxy.statements] == [
        "SELECT", "BEGIN", "INSERT", "COMMIT"]


def test_repository_outcome_and_self_help_counted_in_one_transaction(engine):
    sent = _record_statements(engine)
    counter = OutcomeCounter(SqlOutcomeStore(engine), today=lambda: date(2026, 11, 30))

    counter.count(Outcome.CHANGE_STEPS_SHOWN, conversation=OLA)
    counter.count(Outcome.CHANGE_STEPS_SHOWN, conversation=OLA)

    writes = [(query.split()[0], wrapped) for query, wrapped in sent
              if "daily_outcomes" in query or "self_help" in query]
    assert writes[-4:] == [("INSERT", True)] * 4   # upsert and self-help row, twice
    assert counter.table(since=date(2026, 11, 30))[date(2026, 11, 30)][
        Outcome.CHANGE_STEPS_SHOWN] == 2
    assert len(counter.self_help_since(datetime(2026, 1, 1))) == 2


def test_repository_connections_killed_by_a_restart_are_replaced(service, engine):
    counter = OutcomeCounter(SqlOutcomeStore(engine), today=lambda: date(2026, 11, 30))
    counter.count(Outcome.FALLBACK)   # the schema and a pooled connection
    assert _terminate_pooled_connections(engine) >= 1

    filed = service.file(OLA, language="en")   # the first statement finds the broken one

    assert filed.outcome is FileOutcome.FILED
    assert _terminate_pooled_connections(engine) >= 1
    again = service.file(OLA, language="en")
    assert (again.outcome, again.request) == (FileOutcome.ALREADY_OPEN, filed.request)
    assert _terminate_pooled_connections(engine) >= 1
    counter.count(Outcome.FALLBACK)
    assert counter.table(since=date(2026, 11, 30))[date(2026, 11, 30)][Outcome.FALLBACK] == 2


def test_repository_connection_broken_while_committing_is_not_tried_again(service, engine):
    # Whether that commit happened is unknown: the user is told to try again, and the
    # filing is not repeated behind their back.
    service.requests_of(OLA)   # the schema
    broken = []

    @sa.event.listens_for(engine, "commit")
    def break_once(connection):
        if not broken:
            broken.append(True)
            _terminate_pooled_connections(engine)

    assert service.file(OLA, language="en").outcome is FileOutcome.UNAVAILABLE
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(reset_requests)
                                  ).scalar() == 0
    assert service.file(OLA, language="en").outcome is FileOutcome.FILED


def test_repository_lists_a_requesters_newest_requests_up_to_the_limit(database_url):
    now = [datetime(2026, 11, 30, 9, 0)]
    service = ResetRequestService(SqlRequestStore(create_engine(database_url)),
                                  reference_prefix="PH", listed_limit=2, requests_per_day=5,
                                  clock=lambda: now[0])
    filed = []
    for _ in range(3):
        filed.append(service.file(OLA, language="en").request.reference)
        service.change_status(filed[-1], Status.DONE)
        now[0] += timedelta(minutes=1)
    service.file(Requester("rest", "kari"), language="en")

    assert [r.reference for r in service.requests_of(OLA)] == filed[:0:-1]
