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
(the least recently active go first). Only bot text and redacted user text.

Where: in this process's memory (``RecentReplies``), or, when CHANNEL_STATE_URL names
a Redis, there (``SharedRecentReplies``), so a page that reconnects to another Rasa
server (its sticky route lost, its server restarted or scaled away) misses nothing
either.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple, Union

from channels.shared_state import SharedRedis

PER_CONVERSATION = 30
LIFETIME_SECONDS = 24 * 3600
CONVERSATIONS = 2000


class _Numbers:
    """Bot message ids: microseconds since the epoch, always above the last one given."""

    def __init__(self) -> None:
        self.last = 0

    def next(self, now: float) -> int:
        self.last = max(self.last + 1, int(now * 1_000_000))
        return self.last


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
        self._numbers = _Numbers()

    async def add(self, conversation_id: str, message: Dict[str, Any]) -> Dict[str, Any]:
        """Keeps a bot message; returns it with its ``id``."""
        now = self._clock()
        numbered = {**message, "id": self._numbers.next(now)}
        self._touch(conversation_id, now).replies.append((now, numbered))
        return numbered

    async def since(self, conversation_id: str, last_seen: int) -> List[Dict[str, Any]]:
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

    async def first_time(self, conversation_id: str, message_id: str) -> bool:
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

    async def keep(self, conversation_id: str, message_id: str, answer: Dict[str, Any]) -> None:
        """Records the ``message_kept`` answer about the page's message ``message_id``."""
        conversation = self._live(conversation_id)
        if conversation is not None and message_id in conversation.kept:
            conversation.kept[message_id] = answer

    async def kept(self, conversation_id: str, message_id: str) -> Optional[Dict[str, Any]]:
        """The answer about ``message_id``; None while it is handled or when unknown."""
        conversation = self._live(conversation_id)
        return conversation.kept.get(message_id) if conversation is not None else None

    async def forget(self, conversation_id: str, message_id: str) -> None:
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


# Conversation ``c``'s keys under the prefix ``p``: p:replies:c (a list of "id at json",
# oldest first), p:kept:c (page message id -> the message_kept answer as JSON, "" while
# handled), p:kept-order:c (those ids, oldest first), p:last-id:c; and p:touched, every
# conversation by the time of its latest message (for the bound on conversations). The
# scripts make each change atomic, so two servers never hand out one id or lose an entry;
# they name keys of other conversations only to drop them, which a single Redis (not a
# Redis Cluster) allows.
_TOUCH = """
local now, lifetime_ms, most, prefix = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), ARGV[4]
local function touch(conversation)
  local touched = prefix .. ':touched'
  redis.call('ZADD', touched, ARGV[1], conversation)
  redis.call('ZREMRANGEBYSCORE', touched, '-inf', '(' .. (now - tonumber(lifetime_ms) / 1000))
  local extra = redis.call('ZCARD', touched) - most
  if extra > 0 then
    for _, gone in ipairs(redis.call('ZRANGE', touched, 0, extra - 1)) do
      redis.call('DEL', prefix .. ':replies:' .. gone, prefix .. ':kept:' .. gone,
                 prefix .. ':kept-order:' .. gone, prefix .. ':last-id:' .. gone)
    end
    redis.call('ZREMRANGEBYRANK', touched, 0, extra - 1)
  end
  for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, lifetime_ms) end
  redis.call('PEXPIRE', touched, lifetime_ms)
end
"""

# ARGV: now, lifetime_ms, conversations, prefix, conversation, per_conversation, the
# smallest id this server may give, the message as JSON. Lua numbers are doubles: exact
# for microsecond ids (below 2^53 until the year 2255), printed with %.0f.
_ADD = (
    _TOUCH
    + """
local last = tonumber(redis.call('GET', KEYS[4]) or '0')
local id = string.format('%.0f', math.max(last + 1, tonumber(ARGV[7])))
redis.call('SET', KEYS[4], id)
redis.call('RPUSH', KEYS[1], id .. ' ' .. ARGV[1] .. ' ' .. ARGV[8])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[6]), -1)
touch(ARGV[5])
return id
"""
)

# ARGV: now, lifetime_ms, conversations, prefix, conversation, per_conversation, the
# page's message id.
_FIRST_TIME = (
    _TOUCH
    + """
if redis.call('HSETNX', KEYS[2], ARGV[7], '') == 0 then return 0 end
redis.call('RPUSH', KEYS[3], ARGV[7])
local extra = redis.call('LLEN', KEYS[3]) - tonumber(ARGV[6])
if extra > 0 then
  for _, gone in ipairs(redis.call('LRANGE', KEYS[3], 0, extra - 1)) do
    redis.call('HDEL', KEYS[2], gone)
  end
  redis.call('LTRIM', KEYS[3], extra, -1)
end
touch(ARGV[5])
return 1
"""
)

# KEYS: p:kept:c; ARGV: the page's message id, the answer as JSON.
_KEEP = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
"""


class SharedRecentReplies:
    """``RecentReplies`` in the Redis at ``url``, shared by every Rasa server using it.

    Same bounds and meaning; ids grow per conversation whichever server gives them.
    While Redis doesn't answer, the web chat goes on without its memory: bot messages
    are numbered and sent but not kept (a page that reconnects gets no replay), and a
    page's message is handled as new (one sent again may be handled twice).
    """

    def __init__(
        self,
        url: str,
        *,
        per_conversation: int = PER_CONVERSATION,
        lifetime_seconds: float = LIFETIME_SECONDS,
        conversations: int = CONVERSATIONS,
        clock: Callable[[], float] = time.time,
        prefix: str = "passordhjelp-replies",
    ) -> None:
        self._redis = SharedRedis(
            url,
            what="web chat replies kept for reconnecting pages",
            meanwhile="replies are sent but not kept, and a page that reconnects gets none "
            "it missed",
        )
        self._per_conversation = per_conversation
        self._lifetime = lifetime_seconds
        self._conversations = conversations
        self._clock = clock
        self._prefix = prefix
        self._numbers = _Numbers()
        client = self._redis.client
        self._add, self._first_time, self._keep = (
            client.register_script(script) for script in (_ADD, _FIRST_TIME, _KEEP)
        )

    async def add(self, conversation_id: str, message: Dict[str, Any]) -> Dict[str, Any]:
        """Keeps a bot message; returns it with its ``id``."""
        now = self._clock()
        least = self._numbers.next(now)

        async def add(_: Any) -> int:
            given = await self._add(
                keys=self._keys(conversation_id),
                args=[*self._touch_args(now, conversation_id), least, json.dumps(message)],
            )
            return int(given)

        given = await self._redis.run(add, otherwise=least)
        self._numbers.last = max(self._numbers.last, given)
        return {**message, "id": given}

    async def since(self, conversation_id: str, last_seen: int) -> List[Dict[str, Any]]:
        """The conversation's kept bot messages with an id above ``last_seen``, oldest first."""
        entries: List[bytes] = await self._redis.run(
            lambda client: client.lrange(self._key("replies", conversation_id), 0, -1), otherwise=[]
        )
        oldest = self._clock() - self._lifetime
        later = []
        for entry in entries:
            given, at, message = entry.split(b" ", 2)
            if float(at) >= oldest and int(given) > last_seen:
                later.append({**json.loads(message), "id": int(given)})
        return later

    async def first_time(self, conversation_id: str, message_id: str) -> bool:
        """Whether the page's message ``message_id`` is new here; if so it is marked as
        being handled (``keep`` records the answer, ``forget`` unmarks it)."""
        now = self._clock()

        async def mark(_: Any) -> bool:
            return bool(
                await self._first_time(
                    keys=self._keys(conversation_id),
                    args=[*self._touch_args(now, conversation_id), message_id],
                )
            )

        return await self._redis.run(mark, otherwise=True)

    async def keep(self, conversation_id: str, message_id: str, answer: Dict[str, Any]) -> None:
        """Records the ``message_kept`` answer about the page's message ``message_id``."""
        await self._redis.run(
            lambda _: self._keep(
                keys=[self._key("kept", conversation_id)], args=[message_id, json.dumps(answer)]
            ),
            otherwise=None,
        )

    async def kept(self, conversation_id: str, message_id: str) -> Optional[Dict[str, Any]]:
        """The answer about ``message_id``; None while it is handled or when unknown."""
        answer = await self._redis.run(
            lambda client: client.hget(self._key("kept", conversation_id), message_id),
            otherwise=None,
        )
        return json.loads(answer) if answer else None

    async def forget(self, conversation_id: str, message_id: str) -> None:
        """``message_id`` was not handled (try again): sent again, it is handled then."""

        async def forget(client: Any) -> None:
            async with client.pipeline(transaction=True) as both:
                both.hdel(self._key("kept", conversation_id), message_id)
                both.lrem(self._key("kept-order", conversation_id), 0, message_id)
                await both.execute()

        await self._redis.run(forget, otherwise=None)

    def _key(self, kind: str, conversation_id: str) -> str:
        return f"{self._prefix}:{kind}:{conversation_id}"

    def _keys(self, conversation_id: str) -> List[str]:
        return [
            self._key(kind, conversation_id)
            for kind in ("replies", "kept", "kept-order", "last-id")
        ]

    def _touch_args(self, now: float, conversation_id: str) -> List[Any]:
        return [
            repr(now),
            max(1, int(self._lifetime * 1000)),
            self._conversations,
            self._prefix,
            conversation_id,
            self._per_conversation,
        ]


Replies = Union[RecentReplies, SharedRecentReplies]


def recent_replies(url: Optional[str]) -> Replies:
    """Kept in the Redis at ``url`` (CHANNEL_STATE_URL) when one is named, else in this
    process."""
    return RecentReplies() if url is None else SharedRecentReplies(url)
