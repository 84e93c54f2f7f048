"""PostgreSQL statements on the event loop: pooled, prepared once, and a connection whose
statement failed or was cancelled is not used again."""

import asyncio

import psycopg2
import pytest
import sqlalchemy as sa

from runtime.postgres_on_loop import LoopConnections


@pytest.fixture
def connections(postgres_url):
    engine = sa.create_engine(postgres_url)
    _args, kwargs = engine.dialect.create_connect_args(engine.url)
    engine.dispose()
    made = []

    def prepare(cursor):
        made.append(1)
        yield "PREPARE doubled (int) AS SELECT $1 * 2"

    pool = LoopConnections(kwargs, on_connect=prepare, keep=2)
    yield pool, made
    pool.close_idle()


async def _backend(pool) -> int:
    ((pid,),) = await pool.fetch("SELECT pg_backend_pid()")
    return pid


async def test_postgres_on_loop_reuses_a_connection_prepared_once(connections):
    pool, made = connections
    assert await pool.fetch("EXECUTE doubled (%s)", (21,)) == [(42,)]
    first = await _backend(pool)
    assert await pool.fetch("EXECUTE doubled (%(n)s)", {"n": 4}) == [(8,)]
    assert await _backend(pool) == first and made == [1]


async def test_postgres_on_loop_builds_a_statement_with_the_cursor(connections):
    pool, _made = connections
    rows = [("o'hara", 1), ("kari", 2)]

    def statement(cursor):
        values = b",".join(cursor.mogrify("(%s,%s)", row) for row in rows)
        return b"SELECT * FROM (VALUES " + values + b") AS t (name, n) ORDER BY n"

    assert await pool.fetch(statement) == rows


async def test_postgres_on_loop_runs_statements_of_several_tasks_at_once(connections):
    pool, made = connections
    answers = await asyncio.gather(
        *(pool.fetch("SELECT pg_sleep(0.05), %s", (n,)) for n in range(4))
    )
    assert [rows[0][1] for rows in answers] == [0, 1, 2, 3]
    assert len(made) == 4  # one connection each; two of them kept
    assert len({await _backend(pool), await _backend(pool)}) == 1


async def test_postgres_on_loop_failed_statement_closes_its_connection(connections):
    pool, _made = connections
    first = await _backend(pool)
    with pytest.raises(psycopg2.ProgrammingError):
        await pool.fetch("SELECT * FROM no_such_table")
    assert await _backend(pool) != first
    assert await pool.fetch("SELECT 1") == [(1,)]


async def test_postgres_on_loop_cancelled_statement_closes_its_connection(connections):
    pool, _made = connections
    first = await _backend(pool)
    task = asyncio.ensure_future(pool.fetch("SELECT pg_sleep(5)"))
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await _backend(pool) != first


async def test_postgres_on_loop_connections_a_restart_broke_are_all_replaced(
    connections, postgres_url
):
    pool, _made = connections
    pids = await asyncio.gather(
        *(pool.fetch("SELECT pg_sleep(0.02), pg_backend_pid()") for _ in range(2))
    )
    admin = sa.create_engine(postgres_url)
    with admin.connect() as connection:
        for ((_sleep, pid),) in pids:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    with pytest.raises(psycopg2.OperationalError):
        await pool.fetch("SELECT 1")
    # The other idle connection was closed with the broken one: the next use connects anew.
    assert await pool.fetch("SELECT 1") == [(1,)]
