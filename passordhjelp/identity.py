"""Who is asking: the requester identity as the chat channel delivered it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import FrozenSet, Optional, TypeGuard

# Sender ids longer than this are not ids any channel we serve produces.
MAX_SENDER_ID_LENGTH = 255
# Message metadata key set by our channel code only (channels/guard.py), read by the
# actions: whether the channel verified who the sender is.
VERIFIED_IDENTITY = "verified_identity"
# Also set by verifying channels only (Slack, Teams, the signed-in web chat): the requester's
# name, e-mail and conversation reference as the channel reports them, kept with a request.
CONTACT = "contact"


# What a sender id may hold: letters and digits of any script and the punctuation of
# e-mail addresses and channel ids (T123:U456, TENANT:OBJECT_ID, kari.o'hara@contoso.no).
# No spaces, newlines, control characters or markup: ids are shown in Slack mrkdwn,
# Adaptive Cards, logs and the admin command's terminal.
SENDER_ID = re.compile(r"[\w.@+\-:=']{1,%d}" % MAX_SENDER_ID_LENGTH)


def is_sane_sender_id(value: object) -> TypeGuard[str]:
    """Whether ``value`` may be a sender id (see ``SENDER_ID``)."""
    return isinstance(value, str) and SENDER_ID.fullmatch(value) is not None


def printable(text: str) -> str:
    """``text`` for a terminal or a log line: control, format (bidi, zero-width) and
    separator characters other than the space become ``?``."""
    return "".join("?" if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in text)


def own_account_names(sender_id: Optional[str], email: Optional[str]) -> FrozenSet[str]:
    """The addresses and user names that are the verified chatter's own, lower-cased: the
    verified sender id (the signed-in web chat's ``sub``, often an address) and the e-mail
    the channel reported, each address also as its part before the @ (the user name).

    Typed in the chat, one of these is the chatter's own account; any other is not.
    """
    names = {
        value.strip().lower()
        for value in (sender_id, email)
        if isinstance(value, str) and value.strip()
    }
    return frozenset(names | {name.partition("@")[0] for name in names if "@" in name})


def typed_identifier(mention: str) -> Optional[str]:
    """The e-mail address or user name a mention types ("username is per.olsen" ->
    "per.olsen"), lower-cased; None for a mention by name, role or pronoun."""
    words = mention.split()
    last = words[-1].strip(".,;:!?()'\"") if words else ""
    if not last or not (
        len(words) == 1
        and "@" in last
        or len(words) > 1
        and any(c in last for c in "._-0123456789@")
    ):
        return None
    return last.lower()


@dataclass(frozen=True)
class Requester:
    """The person chatting, as ``channel`` identifies them by ``sender_id``."""

    channel: str
    sender_id: str

    def __str__(self) -> str:
        return f"{self.channel}:{self.sender_id}"


def requester_from_conversation(
    channel: Optional[str], sender_id: Optional[str]
) -> Optional[Requester]:
    """The identity of the conversation's own user, or ``None`` if it has none.

    Only the channel and the sender id that Rasa's channel connector recorded
    count; nothing the user types can change who a request is for.
    """
    if not channel or not is_sane_sender_id(sender_id):
        return None
    return Requester(channel=channel, sender_id=sender_id)
