"""Admin reset requests: the domain rules for filing, following up and closing them."""

from __future__ import annotations

import enum
import logging
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Callable, List, Optional, Protocol, Sequence

from passordhjelp.identity import Requester
from passordhjelp.outbox import OutboxEntry

if TYPE_CHECKING:
    from passordhjelp.helpdesk import Contact

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L or U: a reference is read aloud and typed by people.
_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
_REFERENCE_LENGTH = 6


class Status(str, enum.Enum):
    """Where a request is in the helpdesk's work."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # by the requester, before an admin closed it

    @property
    def is_active(self) -> bool:
        return self in (Status.OPEN, Status.IN_PROGRESS)


ACTIVE_STATUSES = tuple(s.value for s in Status if s.is_active)


@dataclass(frozen=True)
class ResetRequest:
    """One request that an admin resets a user's password; never holds message text."""

    reference: str
    channel: str
    sender_id: str
    language: str
    status: Status
    created_at: datetime
    updated_at: datetime
    admin_note: Optional[str] = None
    # The user message that filed it (Rasa's message id), so that a retried
    # action call for the same message gets the same answer.
    filed_by_message: Optional[str] = None

    def age(self, now: Optional[datetime] = None) -> timedelta:
        return (now or utcnow()) - self.created_at


class FileOutcome(enum.Enum):
    """What happened when a user asked to file a request."""

    FILED = "filed"
    ALREADY_OPEN = "already_open"
    RATE_LIMITED = "rate_limited"
    ANONYMOUS = "anonymous"
    UNAVAILABLE = "unavailable"


class WithdrawOutcome(enum.Enum):
    """What happened when a user asked to withdraw their request."""

    WITHDRAWN = "withdrawn"
    NOTHING_ACTIVE = "nothing_active"
    ANONYMOUS = "anonymous"
    UNAVAILABLE = "unavailable"


class Decision(str, enum.Enum):
    """Every request decision, as written to the audit table."""

    FILED = "filed"
    WITHDRAWN = "withdrawn"
    DUPLICATE = "duplicate"
    REFUSED_OTHER_TARGET = "refused_other_target"
    RATE_LIMITED = "rate_limited"
    ANONYMOUS = "anonymous"
    ERROR = "error"
    TAKEN = "taken"  # by the helpdesk member in sender_id (passordhjelp.helpdesk)
    RESOLVED = "resolved"
    REJECTED = "rejected"


_DECISION_FOR_OUTCOME = {
    FileOutcome.FILED: Decision.FILED,
    FileOutcome.ALREADY_OPEN: Decision.DUPLICATE,
    FileOutcome.RATE_LIMITED: Decision.RATE_LIMITED,
    FileOutcome.ANONYMOUS: Decision.ANONYMOUS,
    FileOutcome.UNAVAILABLE: Decision.ERROR,
}


@dataclass(frozen=True)
class AuditEntry:
    """One decision: when, for whom, what, which request. Never message text."""

    at: datetime
    channel: Optional[str]
    sender_id: Optional[str]
    decision: Decision
    reference: Optional[str]


@dataclass(frozen=True)
class FileResult:
    outcome: FileOutcome
    request: Optional[ResetRequest] = None


@dataclass(frozen=True)
class WithdrawResult:
    outcome: WithdrawOutcome
    request: Optional[ResetRequest] = None


class StoreUnavailable(RuntimeError):
    """The request database cannot be reached; nothing was written."""


class DuplicateActiveRequest(RuntimeError):
    """The store refused a second active request or a reference already used."""


class RequestNotFound(LookupError):
    """No request has that reference."""


class InvalidTransition(ValueError):
    """The request's status does not allow that change."""


class RequestStore(Protocol):
    """Persistence for requests (see ``passordhjelp.repository``)."""

    def add(
        self,
        request: ResetRequest,
        *,
        audit: AuditEntry,
        notices: Sequence[OutboxEntry],
        contact: Optional["Contact"] = None,
    ) -> None:
        """Store the request, its audit entry, its notices and the requester's contact in
        one transaction."""

    def active_for(self, requester: Requester) -> Optional[ResetRequest]: ...

    def for_requester(self, requester: Requester, *, limit: int) -> List[ResetRequest]: ...

    def get(self, reference: str) -> Optional[ResetRequest]: ...

    def list(
        self, *, statuses: Optional[List[Status]] = None, older_than_seconds: Optional[int] = None
    ) -> List[ResetRequest]: ...

    def update_status(
        self,
        reference: str,
        status: Status,
        *,
        admin_note: Optional[str],
        at: datetime,
        notices: Sequence[OutboxEntry],
    ) -> None:
        """Change the status and queue ``notices`` in one transaction."""

    def count_filed_since(self, requester: Requester, since: datetime) -> int: ...

    def record(self, entry: AuditEntry) -> None: ...

    def audit_log(self, *, limit: int) -> List[AuditEntry]: ...


def utcnow() -> datetime:
    """Naive UTC: what both SQLite and PostgreSQL store without surprises."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_reference(prefix: str) -> str:
    code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(_REFERENCE_LENGTH))
    return f"{prefix}-{code}"


def normalise_reference(text: str) -> str:
    """Accept references typed in lower case or with spaces."""
    return text.strip().upper().replace(" ", "")


# A reference as new_reference makes it (prefix: 1-6 letters or digits, config.py), typed
# in any case, alone but for punctuation around it ("PH-7K3QXA?", "#ph-7k3qxa").
_REFERENCE_ONLY = re.compile(
    rf"^\W*[A-Z0-9]{{1,6}}-[{_REFERENCE_ALPHABET}]{{{_REFERENCE_LENGTH}}}\W*$", re.IGNORECASE
)


def only_a_reference(text: str) -> bool:
    """Whether a message is nothing but a request reference (a status question)."""
    return bool(_REFERENCE_ONLY.match(text.strip()))


# Transitions a request may make; a closed request stays closed. Admins take,
# resolve and reject (change_status); only the requester withdraws (withdraw).
_ALLOWED = {
    Status.OPEN: {Status.IN_PROGRESS, Status.DONE, Status.REJECTED, Status.WITHDRAWN},
    Status.IN_PROGRESS: {Status.OPEN, Status.DONE, Status.REJECTED, Status.WITHDRAWN},
    Status.DONE: set(),
    Status.REJECTED: set(),
    Status.WITHDRAWN: set(),
}


def allows(current: Status, target: Status) -> bool:
    """Whether an admin may move a request from ``current`` to ``target``."""
    return target in _ALLOWED[current]


class ResetRequestService:
    """Files requests for the person chatting and lets admins work them."""

    def __init__(
        self,
        store: RequestStore,
        *,
        reference_prefix: str,
        clock: Callable[[], datetime] = utcnow,
        listed_limit: int = 5,
        requests_per_day: int = 3,
        notices_when_filed: Callable[[ResetRequest], List[OutboxEntry]] = (lambda request: []),
        notices_when_closed: Callable[[ResetRequest], List[OutboxEntry]] = (lambda request: []),
        notices_when_withdrawn: Callable[[ResetRequest], List[OutboxEntry]] = (lambda request: []),
        notices_when_changed: Callable[[ResetRequest], List[OutboxEntry]] = (lambda request: []),
    ) -> None:
        self._store = store
        self._notices_when_changed = notices_when_changed
        self._notices_when_filed = notices_when_filed
        self._notices_when_closed = notices_when_closed
        self._notices_when_withdrawn = notices_when_withdrawn
        self._prefix = reference_prefix
        self._clock = clock
        self._listed_limit = listed_limit
        self._requests_per_day = requests_per_day

    def file(
        self,
        requester: Optional[Requester],
        *,
        language: str,
        message_id: Optional[str] = None,
        contact: Optional["Contact"] = None,
    ) -> FileResult:
        """File a request for ``requester``, or return the one already active.

        The requester comes from the conversation (channel and sender id), never
        from text the user typed, so nobody can file for another account. Every
        decision is audited; a filed request, its audit entry and its helpdesk
        notices are committed together or not at all. ``message_id`` names the
        user message that asked: a retried call for the same message (the action
        server was killed after filing, say) gets FILED with the same request.
        ``contact`` (the requester as their channel reports them) is kept with it.
        """
        result = self._file(requester, language, message_id, contact)
        if result.outcome is not FileOutcome.FILED:
            self._audit(
                requester,
                _DECISION_FOR_OUTCOME[result.outcome],
                result.request.reference if result.request else None,
            )
        return result

    def withdraw(self, requester: Optional[Requester]) -> WithdrawResult:
        """Withdraw ``requester``'s active request (only their own), audited.

        The helpdesk's notice is queued with the status change in one transaction;
        the requester gets no closing update, since they are the one who withdrew it.
        """
        if requester is None:
            return WithdrawResult(WithdrawOutcome.ANONYMOUS)
        try:
            request = self._store.active_for(requester)
            if request is None:
                return WithdrawResult(WithdrawOutcome.NOTHING_ACTIVE)
            now = self._clock()
            withdrawn = replace(request, status=Status.WITHDRAWN, updated_at=now)
            self._store.update_status(
                request.reference,
                Status.WITHDRAWN,
                admin_note=None,
                at=now,
                notices=self._notices_when_withdrawn(withdrawn),
            )
        except StoreUnavailable:
            self._audit(requester, Decision.ERROR, None)
            return WithdrawResult(WithdrawOutcome.UNAVAILABLE)
        self._audit(requester, Decision.WITHDRAWN, withdrawn.reference)
        return WithdrawResult(WithdrawOutcome.WITHDRAWN, withdrawn)

    def refuse_other_target(self, requester: Optional[Requester]) -> None:
        """Audit a refused request about someone else's account (the reply is fixed)."""
        self._audit(requester, Decision.REFUSED_OTHER_TARGET, None)

    def audit_log(self, *, limit: int = 50) -> List[AuditEntry]:
        return self._store.audit_log(limit=limit)

    def _entry(
        self, requester: Optional[Requester], decision: Decision, reference: Optional[str]
    ) -> AuditEntry:
        return AuditEntry(
            at=self._clock(),
            channel=requester.channel if requester else None,
            sender_id=requester.sender_id if requester else None,
            decision=decision,
            reference=reference,
        )

    def _audit(
        self, requester: Optional[Requester], decision: Decision, reference: Optional[str]
    ) -> None:
        try:
            self._store.record(self._entry(requester, decision, reference))
        except StoreUnavailable:
            # The user's answer already says the system is down; the decision
            # is logged without the requester so it is not lost entirely.
            logger.error("audit entry lost (store unavailable): %s", decision.value)

    def _file(
        self,
        requester: Optional[Requester],
        language: str,
        message_id: Optional[str],
        contact: Optional["Contact"],
    ) -> FileResult:
        if requester is None:
            return FileResult(FileOutcome.ANONYMOUS)
        try:
            for _ in range(3):
                existing = self._store.active_for(requester)
                if existing and message_id and existing.filed_by_message == message_id:
                    return FileResult(FileOutcome.FILED, existing)
                if existing:
                    return FileResult(FileOutcome.ALREADY_OPEN, existing)
                now = self._clock()
                if (
                    self._store.count_filed_since(requester, now - timedelta(days=1))
                    >= self._requests_per_day
                ):
                    return FileResult(FileOutcome.RATE_LIMITED)
                request = ResetRequest(
                    reference=new_reference(self._prefix),
                    channel=requester.channel,
                    sender_id=requester.sender_id,
                    language=language,
                    status=Status.OPEN,
                    created_at=now,
                    updated_at=now,
                    filed_by_message=message_id,
                )
                try:
                    self._store.add(
                        request,
                        audit=self._entry(requester, Decision.FILED, request.reference),
                        notices=self._notices_when_filed(request),
                        contact=contact,
                    )
                    return FileResult(FileOutcome.FILED, request)
                except DuplicateActiveRequest:
                    # Another message from the same person won a race (the loop
                    # then returns its request), or the random reference was taken.
                    continue
        except StoreUnavailable:
            pass
        return FileResult(FileOutcome.UNAVAILABLE)

    def requests_of(self, requester: Optional[Requester]) -> List[ResetRequest]:
        """The requester's own requests, newest first (never anyone else's)."""
        if requester is None:
            return []
        return self._store.for_requester(requester, limit=self._listed_limit)

    def get(self, reference: str) -> ResetRequest:
        request = self._store.get(normalise_reference(reference))
        if request is None:
            raise RequestNotFound(reference)
        return request

    def list(
        self, *, statuses: Optional[List[Status]] = None, older_than_seconds: Optional[int] = None
    ) -> List[ResetRequest]:
        return self._store.list(statuses=statuses, older_than_seconds=older_than_seconds)

    def change_status(
        self, reference: str, status: Status, *, admin_note: Optional[str] = None
    ) -> ResetRequest:
        """Move a request on (take, resolve, reject) if its status allows it; the
        helpdesk's message is brought up to date and a closed request told to the
        requester, through the outbox, with the change. (The helpdesk's own moves, audited
        with the actor, are ``passordhjelp.helpdesk.HelpdeskService.move``.)"""
        request = self.get(reference)
        if status is Status.WITHDRAWN or status not in _ALLOWED[request.status]:
            raise InvalidTransition(
                f"{request.reference} is {request.status.value}; cannot become {status.value}"
            )
        now = self._clock()
        changed = replace(request, status=status, admin_note=admin_note, updated_at=now)
        notices = self._notices_when_changed(changed)
        if not status.is_active:
            notices += self._notices_when_closed(changed)
        self._store.update_status(
            request.reference, status, admin_note=admin_note, at=now, notices=notices
        )
        return changed

    def latest_closed_of(self, requester: Optional[Requester]) -> Optional[ResetRequest]:
        """The requester's most recently closed request (by an admin), to tell them about it."""
        closed = [
            r
            for r in self.requests_of(requester)
            if not r.status.is_active and r.status is not Status.WITHDRAWN
        ]
        return max(closed, key=lambda r: r.updated_at, default=None)
