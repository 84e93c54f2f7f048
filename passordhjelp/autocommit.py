"""Statements outside BEGIN ... COMMIT on a pooled connection, without the round trips
SQLAlchemy's way of asking for that costs on PostgreSQL."""

from __future__ import annotations

import contextlib
from typing import Iterator

from sqlalchemy.engine import Connection


@contextlib.contextmanager
def autocommit(connection: Connection) -> Iterator[Connection]:
    """``connection`` in autocommit mode for the block: each statement commits on its own.

    SQLAlchemy's ``execution_options(isolation_level="AUTOCOMMIT")`` hands psycopg2 an
    explicit isolation level when the connection goes back to the pool, and psycopg2 then
    sends ``SET default_transaction_isolation TO DEFAULT``: one round trip more after every
    autocommit use (bench/README.md, session 11). psycopg2's own ``autocommit`` flag is
    switched without a word to the server; the connection leaves the block in its usual
    mode. Other drivers go SQLAlchemy's way.
    """
    if connection.dialect.driver != "psycopg2":
        yield connection.execution_options(isolation_level="AUTOCOMMIT")
        return
    driver_connection = connection.connection.dbapi_connection
    driver_connection.autocommit = True
    try:
        yield connection
    finally:
        if not driver_connection.closed:  # a broken connection is discarded by the pool
            driver_connection.autocommit = False
