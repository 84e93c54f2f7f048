"""The helpdesk's work on a request: one state machine for chat buttons and the admin command.

Take, resolve and reject are made by an ``Actor`` whose id a channel verified (a signed
Slack click, a Bot Framework token) or the admin command's operating-system user. The
database decides between two admins clicking at once: the status changes only from the
status the actor saw, so exactly one wins and the other is shown who did. Every change
is audited with the actor, updates the helpdesk message and, when the request closes,
tells the requester in their own conversation.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Protocol, Sequence, Tuple

from passordhjelp.identity import Requester
from passordhjelp.outbox import OutboxEntry
from passordhjelp.reset_requests import (
    AuditEntry,
    Decision,
    FileResult,
    RequestNotFound,
    ResetRequest,
    ResetRequestService,
    Status,
    allows,
    utcnow,
)

logger = logging.getLogger(__name__)

MAX_REASON_LENGTH = 300


class Move(str, enum.Enum):
    """What a helpdesk member can do to a request."""

    TAKE = "take"
    RESOLVE = "resolve"
    REJECT = "reject"

    @property
    def target(self) -> Status:
        return _TARGET[self]

    @property
    def decision(self) -> Decision:
        return _DECISION[self]


_TARGET = {Move.TAKE: Status.IN_PROGRESS, Move.RESOLVE: Status.DONE, Move.REJECT: Status.REJECTED}
_DECISION = {
    Move.TAKE: Decision.TAKEN,
    Move.RESOLVE: Decision.RESOLVED,
    Move.REJECT: Decision.REJECTED,
}


@dataclass(frozen=True)
class Actor:
    """Who acts, as a channel verified them: ``slack`` ``T1:U9``, ``botframework``
    ``TENANT:OBJECT_ID``, or ``admin`` and the operating-system user."""

    channel: str
    id: str
    name: Optional[str] = None
    email: Optional[str] = None

    def __str__(self) -> str:
        return self.name or f"{self.channel}:{self.id}"


@dataclass(frozen=True)
class Contact:
    """The requester as their channel reports them, and where to reach them again.

    ``reply_to`` is the channel's own conversation reference (a Slack channel and
    thread, a Teams service URL and conversation); never anything the user typed.
    """

    name: Optional[str] = None
    email: Optional[str] = None
    reply_to: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_metadata(cls, metadata: Any) -> Optional["Contact"]:
        """From the ``contact`` a channel put into a message's metadata."""
        if not isinstance(metadata, dict):
            return None
        name, email, reply_to = (metadata.get(k) for k in ("name", "email", "reply_to"))
        return cls(
            name=name if isinstance(name, str) and name.strip() else None,
            email=email if isinstance(email, str) and "@" in email else None,
            reply_to=reply_to if isinstance(reply_to, dict) else {},
        )


@dataclass(frozen=True)
class Handling:
    """The helpdesk side of one request: who asked in words, where its message is, who acted."""

    reference: str
    requester_name: Optional[str] = None
    requester_email: Optional[str] = None
    reply_to: Dict[str, Any] = field(default_factory=dict)
    posts: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    taken_by: Optional[str] = None
    taken_at: Optional[datetime] = None
    closed_by: Optional[str] = None
    closed_at: Optional[datetime] = None

    def requester_label(self, request: ResetRequest) -> str:
        """Display name and e-mail when known, and always the verified id."""
        words = " ".join(
            w
            for w in (
                self.requester_name,
                f"<{self.requester_email}>" if self.requester_email else None,
            )
            if w
        )
        return f"{words} ({request.sender_id})" if words else request.sender_id

    def known_requester_label(self, request: ResetRequest) -> Optional[str]:
        """The label, or None while the channel has not told a name or e-mail (the webhook
        notices then keep their own wording)."""
        if self.requester_name or self.requester_email:
            return self.requester_label(request)
        return None


class HelpdeskStore(Protocol):
    """Persistence of ``Handling`` (see ``passordhjelp.repository.SqlHelpdeskStore``)."""

    def handling(self, reference: str) -> Handling: ...

    def save_contact(self, reference: str, contact: Contact) -> None: ...

    def save_profile(
        self, reference: str, *, name: Optional[str], email: Optional[str]
    ) -> None: ...

    def save_post(self, reference: str, target: str, post: Dict[str, Any]) -> None: ...

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
    ) -> bool: ...

    def handling_times(
        self, *, since: datetime
    ) -> List[Tuple[str, str, datetime, Optional[datetime], Optional[datetime], str]]: ...

    def helpdesk_conversation(self, target: str) -> Dict[str, Any]: ...

    def save_helpdesk_conversation(self, target: str, reference: Dict[str, Any]) -> None: ...


class MoveOutcome(enum.Enum):
    """How a take, resolve or reject ended."""

    DONE = "done"  # the request moved
    ALREADY = "already"  # it already is where the move leads (a retry, or a race lost)
    NOT_ALLOWED = "not_allowed"  # its status allows no such move (closed, or withdrawn)
    OWN_REQUEST = "own_request"  # nobody works their own request
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class MoveResult:
    outcome: MoveOutcome
    request: Optional[ResetRequest] = None
    handling: Optional[Handling] = None


class HelpdeskNotifier(Protocol):
    """What to queue about a request (see ``passordhjelp.notifications.Notifier``)."""

    def changed_notices(self, request: ResetRequest) -> List[OutboxEntry]: ...

    def closed_notices(self, request: ResetRequest) -> List[OutboxEntry]: ...

    def request_changed(self, request: ResetRequest) -> None: ...


class HelpdeskService:
    """Files requests with the requester's contact, and moves them on for verified actors."""

    def __init__(
        self,
        requests: ResetRequestService,
        store: HelpdeskStore,
        notifier: HelpdeskNotifier,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._requests = requests
        self._store = store
        self._notifier = notifier
        self._clock = clock

    def file(
        self,
        requester: Optional[Requester],
        *,
        language: str,
        message_id: Optional[str] = None,
        contact: Optional[Contact] = None,
    ) -> FileResult:
        """File a request (see ``ResetRequestService.file``): the request, the requester's
        contact and the helpdesk's messages commit together, so the helpdesk message is
        queued once and shows the contact from its first post."""
        return self._requests.file(
            requester, language=language, message_id=message_id, contact=contact
        )

    def details(self, reference: str) -> Tuple[ResetRequest, Handling]:
        """The request and its handling (``RequestNotFound`` if there is none)."""
        request = self._requests.get(reference)
        return request, self._store.handling(request.reference)

    def move(
        self, reference: str, move: Move, actor: Actor, *, reason: Optional[str] = None
    ) -> MoveResult:
        """Take, resolve or reject ``reference`` as ``actor``."""
        try:
            request = self._requests.get(reference)
        except RequestNotFound:
            return MoveResult(MoveOutcome.NOT_FOUND)
        handling = self._store.handling(request.reference)
        if _is_own(request, handling, actor):
            logger.info("%s refused: %s is the requester", move.value, actor.channel)
            return MoveResult(MoveOutcome.OWN_REQUEST, request, handling)
        target = move.target
        if request.status is target:
            return MoveResult(MoveOutcome.ALREADY, request, handling)
        if not allows(request.status, target):
            return MoveResult(MoveOutcome.NOT_ALLOWED, request, handling)
        note = (reason or "").strip()[:MAX_REASON_LENGTH] or request.admin_note
        now = self._clock()
        moved = replace(request, status=target, admin_note=note, updated_at=now)
        notices = self._notifier.changed_notices(moved)
        if not target.is_active:
            notices += self._notifier.closed_notices(moved)
        # The status, the audit entry and the messages it causes: one transaction.
        won = self._store.move(
            request.reference,
            expected=request.status,
            target=target,
            actor=str(actor),
            note=note,
            at=now,
            notices=notices,
            audit=AuditEntry(
                at=now,
                channel=actor.channel,
                sender_id=actor.id,
                decision=move.decision,
                reference=request.reference,
            ),
        )
        changed = self._requests.get(request.reference)
        handling = self._store.handling(request.reference)
        if not won:
            # Someone else moved it between our read and our write: they won.
            outcome = MoveOutcome.ALREADY if changed.status is target else MoveOutcome.NOT_ALLOWED
            return MoveResult(outcome, changed, handling)
        return MoveResult(MoveOutcome.DONE, changed, handling)

    def handling(self, reference: str) -> Handling:
        return self._store.handling(reference)

    def helpdesk_conversation(self, target: str) -> Dict[str, Any]:
        """Where the helpdesk channel ``target`` posts, as last kept ({} if never)."""
        return self._store.helpdesk_conversation(target)

    def save_helpdesk_conversation(self, target: str, reference: Dict[str, Any]) -> None:
        """Keeps where the helpdesk channel ``target`` posts (a channel's conversation
        reference, e.g. the Teams team the app was installed in by a helpdesk admin)."""
        self._store.save_helpdesk_conversation(target, reference)

    def reply_to(self, requester: Requester) -> Dict[str, Any]:
        """Where ``requester`` filed their latest request (the channel's conversation
        reference), to tell them about it outside a conversation turn; {} if unknown."""
        for request in self._requests.requests_of(requester):
            reply_to = self._store.handling(request.reference).reply_to
            if reply_to:
                return reply_to
        return {}

    def handling_times(
        self, *, since: datetime
    ) -> List[Tuple[str, str, datetime, Optional[datetime], Optional[datetime], str]]:
        """(channel, sender id, filed, taken, closed, status) of every request filed since
        ``since``."""
        return self._store.handling_times(since=since)


def require_helpdesk(helpdesk: Optional[HelpdeskService]) -> HelpdeskService:
    """``Services.helpdesk``, which ``build_services`` always sets (only hand-built test
    services lack it)."""
    if helpdesk is None:
        raise RuntimeError("no helpdesk service: build the services with build_services")
    return helpdesk


def _is_own(request: ResetRequest, handling: Handling, actor: Actor) -> bool:
    if (actor.channel, actor.id) == (request.channel, request.sender_id):
        return True
    emails = {
        e.casefold()
        for e in (handling.requester_email, request.sender_id if "@" in request.sender_id else None)
        if e
    }
    if not actor.email:
        return False
    return actor.email.casefold() in emails
