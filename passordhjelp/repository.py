"""Request storage in SQLAlchemy: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from passordhjelp.identity import Requester
from passordhjelp.reset_requests import (
    ACTIVE_STATUSES,
    AuditEntry,
    Decision,
    DuplicateActiveRequest,
    ResetRequest,
    Status,
    StoreUnavailable,
    utcnow,
)

metadata = sa.MetaData()

# Holds who asked and where the request is; by design there is no column for
# anything the user wrote.
reset_requests = sa.Table(
    "reset_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(16), nullable=False, unique=True),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("admin_note", sa.String(500), nullable=True),
)

# Every decision about a request (see Decision), for the helpdesk and auditors.
request_decisions = sa.Table(
    "request_decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
    sa.Column("channel", sa.String(32), nullable=True),
    sa.Column("sender_id", sa.String(255), nullable=True),
    sa.Column("decision", sa.String(32), nullable=False),
    sa.Column("reference", sa.String(16), nullable=True),
)

_active = reset_requests.c.status.in_(ACTIVE_STATUSES)
# The database itself enforces one active request per requester, so two
# servers filing at the same moment cannot both succeed.
sa.Index(
    "one_active_request_per_requester",
    reset_requests.c.channel,
    reset_requests.c.sender_id,
    unique=True,
    sqlite_where=_active,
    postgresql_where=_active,
)


def create_engine(database_url: str) -> Engine:
    """An engine for ``database_url``; creates the SQLite file's folder if needed."""
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    return sa.create_engine(database_url, future=True, pool_pre_ping=True)


class SqlRequestStore:
    """``RequestStore`` on a SQLAlchemy engine; creates its schema on first use."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._schema_ready = False

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """A transaction; a database that is down becomes ``StoreUnavailable``."""
        try:
            if not self._schema_ready:
                metadata.create_all(self._engine)
                self._schema_ready = True
            with self._engine.begin() as connection:
                yield connection
        except OperationalError as error:
            raise StoreUnavailable(str(error.orig)) from error

    def _rows(self, statement) -> List[ResetRequest]:
        with self._transaction() as connection:
            return [_to_request(row) for row in connection.execute(statement)]

    def add(self, request: ResetRequest) -> None:
        try:
            with self._transaction() as connection:
                connection.execute(reset_requests.insert().values(
                    reference=request.reference, channel=request.channel,
                    sender_id=request.sender_id, language=request.language,
                    status=request.status.value, created_at=request.created_at,
                    updated_at=request.updated_at, admin_note=request.admin_note,
                ))
        except IntegrityError as error:
            raise DuplicateActiveRequest(request.reference) from error

    def active_for(self, requester: Requester) -> Optional[ResetRequest]:
        rows = self._rows(
            _of(requester).where(_active).order_by(reset_requests.c.created_at.desc()).limit(1)
        )
        return rows[0] if rows else None

    def for_requester(self, requester: Requester, *, limit: int) -> List[ResetRequest]:
        return self._rows(
            _of(requester).order_by(reset_requests.c.created_at.desc()).limit(limit)
        )

    def get(self, reference: str) -> Optional[ResetRequest]:
        rows = self._rows(sa.select(reset_requests).where(reset_requests.c.reference == reference))
        return rows[0] if rows else None

    def list(self, *, statuses: Optional[List[Status]] = None,
             older_than_seconds: Optional[int] = None) -> List[ResetRequest]:
        query = sa.select(reset_requests).order_by(reset_requests.c.created_at)
        if statuses:
            query = query.where(reset_requests.c.status.in_([s.value for s in statuses]))
        if older_than_seconds is not None:
            cutoff = utcnow() - timedelta(seconds=older_than_seconds)
            query = query.where(reset_requests.c.created_at <= cutoff)
        return self._rows(query)

    def update_status(self, reference: str, status: Status, *,
                      admin_note: Optional[str], at: datetime) -> None:
        with self._transaction() as connection:
            connection.execute(
                reset_requests.update()
                .where(reset_requests.c.reference == reference)
                .values(status=status.value, updated_at=at, admin_note=admin_note)
            )


    def count_filed_since(self, requester: Requester, since: datetime) -> int:
        query = sa.select(sa.func.count()).select_from(reset_requests).where(
            reset_requests.c.channel == requester.channel,
            reset_requests.c.sender_id == requester.sender_id,
            reset_requests.c.created_at >= since,
        )
        with self._transaction() as connection:
            return connection.execute(query).scalar_one()

    def record(self, entry: AuditEntry) -> None:
        with self._transaction() as connection:
            connection.execute(request_decisions.insert().values(
                at=entry.at, channel=entry.channel, sender_id=entry.sender_id,
                decision=entry.decision.value, reference=entry.reference,
            ))

    def audit_log(self, *, limit: int) -> List[AuditEntry]:
        query = sa.select(request_decisions).order_by(
            request_decisions.c.at.desc(), request_decisions.c.id.desc()).limit(limit)
        with self._transaction() as connection:
            return [
                AuditEntry(at=r.at, channel=r.channel, sender_id=r.sender_id,
                           decision=Decision(r.decision), reference=r.reference)
                for r in connection.execute(query)
            ]


def _of(requester: Requester):
    return sa.select(reset_requests).where(
        reset_requests.c.channel == requester.channel,
        reset_requests.c.sender_id == requester.sender_id,
    )


def _to_request(row) -> ResetRequest:
    return ResetRequest(
        reference=row.reference, channel=row.channel, sender_id=row.sender_id,
        language=row.language, status=Status(row.status), created_at=row.created_at,
        updated_at=row.updated_at, admin_note=row.admin_note,
    )
