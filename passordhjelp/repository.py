"""Request storage in SQLAlchemy: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from passordhjelp.autocommit import autocommit
from passordhjelp.helpdesk import Contact, Handling
from passordhjelp.identity import Requester
from passordhjelp.outbox import Claim, DeliveryStatus, OutboxEntry, QueuedEntry, Route
from passordhjelp.outcomes import Outcome
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
from passordhjelp.sqlite_files import sqlite_file_engine

T = TypeVar("T")

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
    # Rasa's id of the user message that filed it (see ResetRequest.filed_by_message).
    sa.Column("filed_by_message", sa.String(64), nullable=True),
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

# The outbox (see passordhjelp.outbox); "facts" holds the payload.
notifications = sa.Table(
    "notifications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("facts", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("last_error", sa.String(300), nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    # While a worker holds the row, the end of its lease.
    sa.Column("next_attempt_at", sa.DateTime, nullable=True),
    sa.Column("delivered_at", sa.DateTime, nullable=True),
    sa.Column("target", sa.String(255), nullable=True),
    # The claim of the worker holding the row; only it may record the result.
    sa.Column("claim_token", sa.String(32), nullable=True),
    # When the row (re-)entered the queue: it is given up a while after this.
    sa.Column("queued_at", sa.DateTime, nullable=True),
    # OutboxEntry.key: a second row with the same key is never written (the unique index
    # below), whoever queues it and however often.
    sa.Column("dedup_key", sa.String(200), nullable=True),
    # OutboxEntry.group: of the pending rows of one group, only the oldest can be claimed.
    sa.Column("delivery_group", sa.String(200), nullable=True, index=True),
    # When a worker first claimed the row (QueuedEntry.claimed_before); kept by a retry.
    sa.Column("first_claimed_at", sa.DateTime, nullable=True),
)
sa.Index("notifications_once_per_key", notifications.c.dedup_key, unique=True)

# The helpdesk side of a request (see passordhjelp.helpdesk): who asked in words an admin
# can search for, where to reach them and the helpdesk message, who acted and when.
request_handling = sa.Table(
    "request_handling",
    metadata,
    sa.Column("reference", sa.String(16), primary_key=True),
    sa.Column("requester_name", sa.String(200), nullable=True),
    sa.Column("requester_email", sa.String(254), nullable=True),
    sa.Column("reply_to", sa.Text, nullable=True),
    sa.Column("posts", sa.Text, nullable=True),
    sa.Column("taken_by", sa.String(300), nullable=True),
    sa.Column("taken_at", sa.DateTime, nullable=True),
    sa.Column("closed_by", sa.String(300), nullable=True),
    sa.Column("closed_at", sa.DateTime, nullable=True),
)

# Where an interactive helpdesk channel posts when no setting names the place: the
# conversation reference its channel reported (Teams: the app installed in the helpdesk team).
helpdesk_conversations = sa.Table(
    "helpdesk_conversations",
    metadata,
    sa.Column("target", sa.String(32), primary_key=True),
    sa.Column("reference", sa.Text, nullable=False),
    sa.Column("saved_at", sa.DateTime, nullable=False),
)

# How often each conversation outcome happened per day (see passordhjelp.outcomes).
daily_outcomes = sa.Table(
    "daily_outcomes",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("outcome", sa.String(32), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)

# When a conversation got self-help (the change steps or the self-service offer), by a
# one-way key of its requester: enough to tell whether they filed a request afterwards.
self_help_table = sa.Table(
    "self_help",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("requester_key", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
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


# The statements of a user's turn, built once with bound parameters: built on every call,
# SQLAlchemy constructed each and derived its cache key anew, about half the store's CPU
# per call (cProfile; bench/README.md, session 10).
_of_requester = sa.select(reset_requests).where(
    reset_requests.c.channel == sa.bindparam("channel"),
    reset_requests.c.sender_id == sa.bindparam("sender_id"),
)
_newest_first = reset_requests.c.created_at.desc()
_ACTIVE_FOR = _of_requester.where(_active).order_by(_newest_first).limit(1)
_FOR_REQUESTER = _of_requester.order_by(_newest_first).limit(
    sa.bindparam("limit", type_=sa.Integer)
)
_BY_REFERENCE = sa.select(reset_requests).where(
    reset_requests.c.reference == sa.bindparam("reference")
)
_FILED_SINCE = (
    sa.select(sa.func.count())
    .select_from(reset_requests)
    .where(
        reset_requests.c.channel == sa.bindparam("channel"),
        reset_requests.c.sender_id == sa.bindparam("sender_id"),
        reset_requests.c.created_at >= sa.bindparam("since", type_=sa.DateTime),
    )
)
_INSERT_REQUEST = reset_requests.insert()
_INSERT_HANDLING = request_handling.insert()
_INSERT_DECISION = request_decisions.insert()
_INSERT_SELF_HELP = self_help_table.insert()
# Per dialect with an upsert: a notice whose key is queued already is left out, and a
# count is added to the day's row or starts it, each in one statement.
_QUEUE_NOTICES = {
    name: dialect.insert(notifications).on_conflict_do_nothing(
        index_elements=[notifications.c.dedup_key]
    )
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
_ADD_ONE = {
    name: dialect.insert(daily_outcomes)
    .values(count=1)
    .on_conflict_do_update(
        index_elements=[daily_outcomes.c.day, daily_outcomes.c.outcome],
        set_={"count": daily_outcomes.c.count + 1},
    )
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


def create_engine(database_url: str) -> Engine:
    """An engine for ``database_url``; creates the SQLite file's folder if needed."""
    url = sa.engine.make_url(database_url)
    sqlite_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if sqlite_file:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # No ping before each use of a pooled connection (a round trip per checkout): a
    # connection a restart broke is found by its first statement (see _SqlStore._run).
    if not sqlite_file:
        return sa.create_engine(database_url, future=True)
    # Commits wait for the disk (``synchronous=FULL``, as durable as SQLite's default
    # rollback journal): that journal's create, write, sync and delete took about 16 ms per
    # commit on the bench machine, the log's sync about 0.2 ms, and the action server waits
    # on it between calls.
    return sqlite_file_engine(database_url, synchronous="FULL", future=True)


def _create_schema(engine: Engine) -> None:
    """Create missing tables, and add nullable columns (and their indexes) that newer
    versions introduced."""
    metadata.create_all(engine)
    inspector = sa.inspect(engine)
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present and column.nullable:
                    type_ = column.type.compile(dialect=engine.dialect)
                    connection.execute(
                        sa.text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {type_}")
                    )
            for index in table.indexes:
                index.create(connection, checkfirst=True)


class _SqlStore:
    """Shared by the stores: lazy schema creation, one error for a database that is down,
    and a second try after a broken connection."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._schema_ready = False

    def _run(self, work: Callable[[Connection], T], *, read: bool = False) -> T:
        """``work`` in one transaction, or for a ``read`` (one SELECT, consistent on its
        own) in autocommit mode, without BEGIN and COMMIT; a database that is down
        becomes ``StoreUnavailable``.

        A pooled connection a database restart broke fails its first statement as a
        disconnect; SQLAlchemy then replaces every older pooled connection and ``work``
        runs once more on a new one. Safe: the server rolled back the unfinished
        transaction. Not when the connection broke while committing: whether the commit
        happened is unknown then, so that is ``StoreUnavailable`` as before."""
        for attempt in (1, 2):
            committing = False
            try:
                if not self._schema_ready:
                    _create_schema(self._engine)
                    self._schema_ready = True
                if read:
                    with self._engine.connect() as connection, autocommit(connection) as reading:
                        return work(reading)
                with self._engine.begin() as connection:
                    result = work(connection)
                    committing = True
                return result
            except (OperationalError, InterfaceError) as error:
                # A disconnect found on a pooled connection; a database that is down fails
                # to connect instead, which is not a disconnect and is not tried twice.
                if attempt == 1 and error.connection_invalidated and not committing:
                    continue
                raise StoreUnavailable(str(error.orig)) from error
        raise AssertionError("unreachable")


class SqlRequestStore(_SqlStore):
    """``RequestStore`` on a SQLAlchemy engine; creates its schema on first use."""

    def _rows(self, statement, parameters: Optional[Dict[str, Any]] = None) -> List[ResetRequest]:
        return self._run(
            lambda connection: [
                _to_request(row) for row in connection.execute(statement, parameters)
            ],
            read=True,
        )

    def add(
        self,
        request: ResetRequest,
        *,
        audit: AuditEntry,
        notices: Sequence[OutboxEntry],
        contact: Optional[Contact] = None,
    ) -> None:
        def insert(connection: Connection) -> None:
            connection.execute(
                _INSERT_REQUEST,
                dict(
                    reference=request.reference,
                    channel=request.channel,
                    sender_id=request.sender_id,
                    language=request.language,
                    status=request.status.value,
                    created_at=request.created_at,
                    updated_at=request.updated_at,
                    admin_note=request.admin_note,
                    filed_by_message=request.filed_by_message,
                ),
            )
            if contact is not None:
                connection.execute(
                    _INSERT_HANDLING, dict(reference=request.reference, **_contact_values(contact))
                )
            _insert_audit(connection, audit)
            _insert_notices(connection, notices, at=request.created_at)

        try:
            self._run(insert)
        except IntegrityError as error:
            raise DuplicateActiveRequest(request.reference) from error

    def active_for(self, requester: Requester) -> Optional[ResetRequest]:
        rows = self._rows(_ACTIVE_FOR, _requester_values(requester))
        return rows[0] if rows else None

    def for_requester(self, requester: Requester, *, limit: int) -> List[ResetRequest]:
        return self._rows(_FOR_REQUESTER, dict(_requester_values(requester), limit=limit))

    def get(self, reference: str) -> Optional[ResetRequest]:
        rows = self._rows(_BY_REFERENCE, {"reference": reference})
        return rows[0] if rows else None

    def list(
        self, *, statuses: Optional[List[Status]] = None, older_than_seconds: Optional[int] = None
    ) -> List[ResetRequest]:
        query = sa.select(reset_requests).order_by(reset_requests.c.created_at)
        if statuses:
            query = query.where(reset_requests.c.status.in_([s.value for s in statuses]))
        if older_than_seconds is not None:
            cutoff = utcnow() - timedelta(seconds=older_than_seconds)
            query = query.where(reset_requests.c.created_at <= cutoff)
        return self._rows(query)

    def update_status(
        self,
        reference: str,
        status: Status,
        *,
        admin_note: Optional[str],
        at: datetime,
        notices: Sequence[OutboxEntry],
    ) -> None:
        def update(connection: Connection) -> None:
            connection.execute(
                reset_requests.update()
                .where(reset_requests.c.reference == reference)
                .values(status=status.value, updated_at=at, admin_note=admin_note)
            )
            _insert_notices(connection, notices, at=at)

        self._run(update)

    def count_filed_since(self, requester: Requester, since: datetime) -> int:
        values = dict(_requester_values(requester), since=since)
        return self._run(
            lambda connection: connection.execute(_FILED_SINCE, values).scalar_one(), read=True
        )

    def record(self, entry: AuditEntry) -> None:
        self._run(lambda connection: _insert_audit(connection, entry))

    def audit_log(self, *, limit: int) -> List[AuditEntry]:
        query = (
            sa.select(request_decisions)
            .order_by(request_decisions.c.at.desc(), request_decisions.c.id.desc())
            .limit(limit)
        )
        return self._run(
            lambda connection: [
                AuditEntry(
                    at=r.at,
                    channel=r.channel,
                    sender_id=r.sender_id,
                    decision=Decision(r.decision),
                    reference=r.reference,
                )
                for r in connection.execute(query)
            ],
            read=True,
        )


def _requester_values(requester: Requester) -> Dict[str, Any]:
    return {"channel": requester.channel, "sender_id": requester.sender_id}


def _to_request(row) -> ResetRequest:
    return ResetRequest(
        reference=row.reference,
        channel=row.channel,
        sender_id=row.sender_id,
        language=row.language,
        status=Status(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        admin_note=row.admin_note,
        filed_by_message=row.filed_by_message,
    )


def _insert_audit(connection: Connection, entry: AuditEntry) -> None:
    connection.execute(
        _INSERT_DECISION,
        dict(
            at=entry.at,
            channel=entry.channel,
            sender_id=entry.sender_id,
            decision=entry.decision.value,
            reference=entry.reference,
        ),
    )


def _insert_notices(
    connection: Connection, entries: Sequence[OutboxEntry], *, at: datetime
) -> None:
    """Queue ``entries``; one whose key is queued already is left out (the database
    decides, so two processes queueing the same key at once write one row)."""
    if not entries:
        return
    rows = [
        dict(
            kind=e.kind,
            target=e.target,
            facts=json.dumps(e.payload),
            status=DeliveryStatus.PENDING.value,
            attempts=0,
            created_at=at,
            queued_at=at,
            next_attempt_at=at,
            dedup_key=e.key,
            delivery_group=e.group,
        )
        for e in entries
    ]
    queue = _QUEUE_NOTICES.get(connection.dialect.name)
    if queue is not None:
        connection.execute(queue, rows)
        return
    for row in rows:  # other databases: a savepoint per row, so a duplicate costs only itself
        try:
            with connection.begin_nested():
                connection.execute(notifications.insert(), row)
        except IntegrityError:
            if row["dedup_key"] is None:
                raise


def _routed(routes: Sequence[Route]) -> sa.sql.ColumnElement:
    """Rows one of ``routes`` covers (none when there are no routes)."""
    return sa.or_(
        sa.false(),
        *(
            (notifications.c.kind == route.kind)
            & (sa.true() if route.target is None else notifications.c.target == route.target)
            for route in routes
        ),
    )


class SqlOutbox(_SqlStore):
    """``Outbox`` in the same database as the requests (see ``passordhjelp.outbox``)."""

    def add(self, entries: Sequence[OutboxEntry], *, at: datetime) -> None:
        self._run(lambda connection: _insert_notices(connection, entries, at=at))

    def claim(
        self, now: datetime, *, limit: int, lease: timedelta, routes: Sequence[Route]
    ) -> List[Claim]:
        token = uuid.uuid4().hex
        pending = (notifications.c.status == DeliveryStatus.PENDING.value) & _routed(routes)
        # A row waits while an older row of its group is pending (claimed or not): the
        # rows of a group go out one at a time, in order, whichever worker takes them.
        older = notifications.alias("older")
        first_of_group = ~sa.exists().where(
            older.c.delivery_group == notifications.c.delivery_group,
            older.c.status == DeliveryStatus.PENDING.value,
            older.c.id < notifications.c.id,
        )
        due = pending & (notifications.c.next_attempt_at <= now) & first_of_group
        # PostgreSQL: rows another worker is claiming right now are skipped, not
        # waited for. SQLite runs one writing statement at a time, so the
        # UPDATE below is atomic there as it is.
        chosen = (
            sa.select(notifications.c.id)
            .where(due)
            .order_by(notifications.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        self._run(
            lambda connection: connection.execute(
                notifications.update()
                .where(notifications.c.id.in_(chosen.scalar_subquery()), due)
                .values(
                    claim_token=token,
                    next_attempt_at=now + lease,
                    first_claimed_at=sa.func.coalesce(
                        notifications.c.first_claimed_at, sa.literal(now, sa.DateTime)
                    ),
                )
            )
        )
        claimed = self._select(
            sa.select(notifications)
            .where(notifications.c.claim_token == token)
            .order_by(notifications.c.id)
        )
        # A row first claimed now was not claimed before (a database that kept the time
        # less precisely makes it look claimed before: one look-up too many, no harm).
        return [
            Claim(
                entry
                if entry.claimed_before and entry.claimed_before < now
                else replace(entry, claimed_before=None),
                token,
            )
            for entry in claimed
        ]

    def waiting(self, now: datetime, *, routes: Sequence[Route]) -> Dict[Tuple[str, str], int]:
        query = (
            sa.select(notifications.c.kind, notifications.c.target, sa.func.count())
            .where(
                notifications.c.status == DeliveryStatus.PENDING.value,
                notifications.c.next_attempt_at <= now,
                ~_routed(routes),
            )
            .group_by(notifications.c.kind, notifications.c.target)
        )
        return self._run(
            lambda connection: {
                (kind, target or ""): count for kind, target, count in connection.execute(query)
            },
            read=True,
        )

    def mark_sent(self, claim: Claim, *, at: datetime) -> bool:
        return self._update_claimed(
            claim, status=DeliveryStatus.SENT.value, delivered_at=at, next_attempt_at=None
        )

    def mark_failed_attempt(
        self, claim: Claim, *, error: str, retry_at: Optional[datetime]
    ) -> bool:
        status = DeliveryStatus.PENDING if retry_at else DeliveryStatus.FAILED
        return self._update_claimed(
            claim, status=status.value, last_error=error, next_attempt_at=retry_at
        )

    def by_status(self, status: DeliveryStatus) -> List[QueuedEntry]:
        return self._select(
            sa.select(notifications)
            .where(notifications.c.status == status.value)
            .order_by(notifications.c.id)
        )

    def retry_failed(self, now: datetime, *, ids: Optional[Sequence[int]] = None) -> int:
        """Failed rows become due now, with a fresh day before they are given up."""
        query = notifications.update().where(notifications.c.status == DeliveryStatus.FAILED.value)
        if ids is not None:
            query = query.where(notifications.c.id.in_(list(ids)))
        return self._run(
            lambda connection: (
                connection.execute(
                    query.values(
                        status=DeliveryStatus.PENDING.value,
                        next_attempt_at=now,
                        queued_at=now,
                        claim_token=None,
                    )
                ).rowcount
            )
        )

    def _update_claimed(self, claim: Claim, **values) -> bool:
        """Record a result only while the claim still holds the row."""
        return self._run(
            lambda connection: (
                connection.execute(
                    notifications.update()
                    .where(
                        notifications.c.id == claim.entry.id,
                        notifications.c.claim_token == claim.token,
                        notifications.c.status == DeliveryStatus.PENDING.value,
                    )
                    .values(claim_token=None, attempts=notifications.c.attempts + 1, **values)
                ).rowcount
                == 1
            )
        )

    def _select(self, query) -> List[QueuedEntry]:
        return self._run(
            lambda connection: [
                QueuedEntry(
                    id=r.id,
                    kind=r.kind,
                    target=r.target or "",
                    payload=json.loads(r.facts),
                    status=DeliveryStatus(r.status),
                    attempts=r.attempts,
                    last_error=r.last_error,
                    created_at=r.created_at,
                    queued_at=r.queued_at or r.created_at,
                    claimed_before=r.first_claimed_at,
                )
                for r in connection.execute(query)
            ],
            read=True,
        )


class SqlOutcomeStore(_SqlStore):
    """``OutcomeStore``: one row per day and outcome, incremented in place."""

    def increment(
        self, day: date, outcome: Outcome, *, self_help: Optional[Tuple[str, datetime]] = None
    ) -> None:
        """One transaction: the count, and the self-help row (requester key, time) if any."""

        def count(connection: Connection) -> None:
            _add_one(connection, day, outcome)
            if self_help is not None:
                key, at = self_help
                connection.execute(_INSERT_SELF_HELP, {"requester_key": key, "at": at})

        self._run(count)

    def counts(self, since: date) -> List[Tuple[date, Outcome, int]]:
        query = sa.select(daily_outcomes).where(daily_outcomes.c.day >= since)
        return self._run(
            lambda connection: [
                (r.day, Outcome(r.outcome), r.count) for r in connection.execute(query)
            ],
            read=True,
        )

    def self_help_since(self, since: datetime) -> List[Tuple[str, datetime]]:
        query = sa.select(self_help_table.c.requester_key, self_help_table.c.at).where(
            self_help_table.c.at >= since
        )
        return self._run(
            lambda connection: [(r.requester_key, r.at) for r in connection.execute(query)],
            read=True,
        )


def _add_one(connection: Connection, day: date, outcome: Outcome) -> None:
    """Adds one to the day's count of ``outcome``: PostgreSQL and SQLite in one statement
    (an upsert; the database settles two processes counting the day's first at once)."""
    add_one = _ADD_ONE.get(connection.dialect.name)
    if add_one is not None:
        connection.execute(add_one, {"day": day, "outcome": outcome.value})
        return
    key = (daily_outcomes.c.day == day) & (daily_outcomes.c.outcome == outcome.value)
    increment = daily_outcomes.update().where(key).values(count=daily_outcomes.c.count + 1)
    if connection.execute(increment).rowcount:
        return
    try:  # other databases: the day's first, in a savepoint in case another process wins
        with connection.begin_nested():
            connection.execute(
                daily_outcomes.insert().values(day=day, outcome=outcome.value, count=1)
            )
    except IntegrityError:
        connection.execute(increment)


class SqlHelpdeskStore(_SqlStore):
    """``HelpdeskStore``: one ``request_handling`` row per request, beside ``reset_requests``."""

    def handling(self, reference: str) -> Handling:
        query = sa.select(request_handling).where(request_handling.c.reference == reference)
        row = self._run(lambda connection: connection.execute(query).first(), read=True)
        if row is None:
            return Handling(reference=reference)
        return Handling(
            reference=row.reference,
            requester_name=row.requester_name,
            requester_email=row.requester_email,
            reply_to=json.loads(row.reply_to or "{}"),
            posts=json.loads(row.posts or "{}"),
            taken_by=row.taken_by,
            taken_at=row.taken_at,
            closed_by=row.closed_by,
            closed_at=row.closed_at,
        )

    def save_contact(self, reference: str, contact: Contact) -> None:
        self._upsert(reference, **_contact_values(contact))

    def save_profile(self, reference: str, *, name: Optional[str], email: Optional[str]) -> None:
        self._upsert(reference, requester_name=_clip(name, 200), requester_email=_clip(email, 254))

    def save_post(self, reference: str, target: str, post: Dict[str, Any]) -> None:
        def add_post(connection: Connection) -> None:
            posts = json.loads(
                connection.execute(
                    sa.select(request_handling.c.posts).where(
                        request_handling.c.reference == reference
                    )
                ).scalar()
                or "{}"
            )
            posts[target] = post
            self._upsert_in(connection, reference, posts=json.dumps(posts))

        self._run(add_post)

    def move(
        self,
        reference: str,
        *,
        expected: Status,
        target: Status,
        actor: str,
        note: Optional[str],
        at: datetime,
        audit: AuditEntry,
        notices: Sequence[OutboxEntry],
    ) -> bool:
        """Moves the request only if it still has ``expected`` (the database picks one
        winner), with its audit entry and outbox rows in the same transaction."""

        def move(connection: Connection) -> bool:
            moved = connection.execute(
                reset_requests.update()
                .where(
                    reset_requests.c.reference == reference,
                    reset_requests.c.status == expected.value,
                )
                .values(status=target.value, updated_at=at, admin_note=note)
            ).rowcount
            if moved != 1:
                return False
            if target.is_active:
                self._upsert_in(connection, reference, taken_by=actor[:300], taken_at=at)
            else:
                self._upsert_in(connection, reference, closed_by=actor[:300], closed_at=at)
            _insert_audit(connection, audit)
            _insert_notices(connection, notices, at=at)
            return True

        return self._run(move)

    def handling_times(
        self, *, since: datetime
    ) -> List[Tuple[str, str, datetime, Optional[datetime], Optional[datetime], str]]:
        """(channel, sender id, filed, taken, closed, status) of the requests filed since
        ``since``."""
        query = (
            sa.select(
                reset_requests.c.channel,
                reset_requests.c.sender_id,
                reset_requests.c.created_at,
                request_handling.c.taken_at,
                request_handling.c.closed_at,
                reset_requests.c.status,
            )
            .select_from(
                reset_requests.outerjoin(
                    request_handling, request_handling.c.reference == reset_requests.c.reference
                )
            )
            .where(reset_requests.c.created_at >= since)
        )
        return self._run(
            lambda connection: [tuple(row) for row in connection.execute(query)], read=True
        )

    def helpdesk_conversation(self, target: str) -> Dict[str, Any]:
        """The conversation reference saved for ``target``'s helpdesk messages, or {}."""
        query = sa.select(helpdesk_conversations.c.reference).where(
            helpdesk_conversations.c.target == target
        )
        return json.loads(
            self._run(lambda connection: connection.execute(query).scalar(), read=True) or "{}"
        )

    def save_helpdesk_conversation(self, target: str, reference: Dict[str, Any]) -> None:
        """Keeps ``reference`` as where ``target``'s helpdesk messages go (the latest wins)."""
        values = {"reference": json.dumps(reference), "saved_at": utcnow()}

        def save(connection: Connection) -> None:
            updated = connection.execute(
                helpdesk_conversations.update()
                .where(helpdesk_conversations.c.target == target)
                .values(**values)
            ).rowcount
            if not updated:
                connection.execute(helpdesk_conversations.insert().values(target=target, **values))

        self._run(save)

    def _upsert(self, reference: str, **values) -> None:
        self._run(lambda connection: self._upsert_in(connection, reference, **values))

    @staticmethod
    def _upsert_in(connection: Connection, reference: str, **values) -> None:
        updated = connection.execute(
            request_handling.update()
            .where(request_handling.c.reference == reference)
            .values(**values)
        ).rowcount
        if not updated:
            connection.execute(request_handling.insert().values(reference=reference, **values))


def _contact_values(contact: Contact) -> Dict[str, Any]:
    return dict(
        requester_name=_clip(contact.name, 200),
        requester_email=_clip(contact.email, 254),
        reply_to=json.dumps(contact.reply_to),
    )


def _clip(text: Optional[str], length: int) -> Optional[str]:
    return text.strip()[:length] if text and text.strip() else None
