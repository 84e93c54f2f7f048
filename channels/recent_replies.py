"""The web chat's recent replies per conversation, so a page that loses its connection misses none.

Bot messages go to the sockets a conversation has at that moment. A page whose
connection has dropped (a train tunnel, a sleeping laptop, a proxy timing out) is not
among them and would never see what was said meanwhile: the reply to the message it
sent just before, or a request update from the helpdesk. So every bot message gets an
id (microseconds since the epoch, always increasing, also over a restart) and is kept
here; a page that connects again names the last id it showed and gets the later ones
(``channels/socketio.py``), and shows each id once.

Also kept, by the page's own message id: what the server kept of each recent user
message (the ``message_kept`` answer: the redacted text, or nothing). A page that never
heard back sends the message again after a drop; it then gets that answer again,
and the assistant doesn't get the message twice.

Bounded and expiring: the last ``per_conversation`` of each, for ``lifetime_seconds``
after the conversation's latest message, for at most ``conversations`` conversations
(the least recently active go first). Only bot text and redacted user text, in this
process's memory: Rasa serves a channel from one process, and socket.io's long-polling
needs a conversation's requests on one process anyway.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

PER_CONVERSATION = 30
LIFETIME_SECONDS = 24 * 3600
CONVERSATIONS = 2000


@dataclass
class _Conversation:
    replies: Deque[Tuple[float, Dict[str, Any]]]
    # page message id -> the message_kept answer, or None while it is being handled
    kept: "OrderedDict[str, Optional[Dict[str, Any]]]" = field(default_factory=OrderedDict)
    touched: float = 0.0


class RecentReplies:
    """Recent bot messages (with ids) and answers about user messages, per conversation."""

    def __init__(
        self,
        *,
        per_conversation: int = PER_CONVERSATION,
        lifetime_seconds: float = LIFETIME_SECONDS,
        conversations: int = CONVERSATIONS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._per_conversation = per_conversation
        self._lifetime = lifetime_seconds
        self._max_conversations = conversations
        self._clock = clock
        self._conversations: "OrderedDict[str, _Conversation]" = OrderedDict()
        self._last_id = 0

    def add(self, conversation_id: str, message: Dict[str, Any]) -> Dict[str, Any]:
        """Keeps a bot message; returns it with its ``id``."""
        now = self._clock()
        self._last_id = max(self._last_id + 1, int(now * 1_000_000))
        numbered = {**message, "id": self._last_id}
        self._touch(conversation_id, now).replies.append((now, numbered))
        return numbered

    def since(self, conversation_id: str, last_seen: int) -> List[Dict[str, Any]]:
        """The conversation's kept bot messages with an id above ``last_seen``, oldest first."""
        conversation = self._live(conversation_id)
        if conversation is None:
            return []
        oldest = self._clock() - self._lifetime
        return [
            message
            for at, message in conversation.replies
            if at >= oldest and message["id"] > last_seen
        ]

    def first_time(self, conversation_id: str, message_id: str) -> bool:
        """Whether the page's message ``message_id`` is new here; if so it is marked as
        being handled (``keep`` records the answer, ``forget`` unmarks it)."""
        conversation = self._live(conversation_id)
        if conversation is not None and message_id in conversation.kept:
            return False
        kept = self._touch(conversation_id, self._clock()).kept
        kept[message_id] = None
        while len(kept) > self._per_conversation:
            kept.popitem(last=False)
        return True

    def keep(self, conversation_id: str, message_id: str, answer: Dict[str, Any]) -> None:
        """Records the ``message_kept`` answer about the page's message ``message_id``."""
        conversation = self._live(conversation_id)
        if conversation is not None and message_id in conversation.kept:
            conversation.kept[message_id] = answer

    def kept(self, conversation_id: str, message_id: str) -> Optional[Dict[str, Any]]:
        """The answer about ``message_id``; None while it is handled or when unknown."""
        conversation = self._live(conversation_id)
        return conversation.kept.get(message_id) if conversation is not None else None

    def forget(self, conversation_id: str, message_id: str) -> None:
        """``message_id`` was not handled (try again): sent again, it is handled then."""
        conversation = self._live(conversation_id)
        if conversation is not None:
            conversation.kept.pop(message_id, None)

    def _live(self, conversation_id: str) -> Optional[_Conversation]:
        conversation = self._conversations.get(conversation_id)
        if conversation is not None and conversation.touched < self._clock() - self._lifetime:
            del self._conversations[conversation_id]
            return None
        return conversation

    def _touch(self, conversation_id: str, now: float) -> _Conversation:
        conversation = self._conversations.pop(conversation_id, None) or _Conversation(
            deque(maxlen=self._per_conversation)
        )
        conversation.touched = now
        self._conversations[conversation_id] = conversation  # the most recent last
        oldest = now - self._lifetime
        while self._conversations:
            first = next(iter(self._conversations.values()))
            if len(self._conversations) <= self._max_conversations and first.touched >= oldest:
                break
            self._conversations.popitem(last=False)
        return conversation
