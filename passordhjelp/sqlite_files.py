"""Engines for SQLite files that keep their connections open and commit through a
write-ahead log: the request database and the embedded tracker store."""

from __future__ import annotations

from typing import Any, Literal, Union

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine


def sqlite_file_engine(
    url: Union[str, URL], *, synchronous: Literal["NORMAL", "FULL"], **engine_options: Any
) -> Engine:
    """An engine whose pooled connections to the SQLite file at ``url`` write ahead.

    SQLAlchemy 1.4 opens a SQLite file anew for every use (NullPool), and closing the last
    connection copies the log back into the file, waiting for the disk again: a pool keeps
    connections open, as SQLAlchemy 2.0 does for files (``QueuePool``); pooled connections
    may be handed to another thread (``check_same_thread`` off). ``synchronous`` is
    SQLite's: FULL waits for the disk at every commit, NORMAL only at checkpoints.
    """
    engine = sa.create_engine(
        url,
        poolclass=sa.pool.QueuePool,
        connect_args={"check_same_thread": False},
        **engine_options,
    )

    @sa.event.listens_for(engine, "connect")
    def _write_ahead(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    return engine
