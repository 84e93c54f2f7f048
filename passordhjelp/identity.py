"""Who is asking: the requester identity as the chat channel delivered it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

# Sender ids longer than this are not ids any channel we serve produces.
MAX_SENDER_ID_LENGTH = 255
# Message metadata key set by our channel code only (channels/guard.py), read by the
# actions: whether the channel verified who the sender is.
VERIFIED_IDENTITY = "verified_identity"
# Also set by verifying channels only (Slack, Teams, the signed-in web chat): the requester's
# name, e-mail and conversation reference as the channel reports them, kept with a request.
CONTACT = "contact"


@dataclass(frozen=True)
class Requester:
    """The person chatting, as ``channel`` identifies them by ``sender_id``."""

    channel: str
    sender_id: str

    def __str__(self) -> str:
        return f"{self.channel}:{self.sender_id}"


def requester_from_conversation(channel: Optional[str],
                                sender_id: Optional[str]) -> Optional[Requester]:
    """The identity of the conversation's own user, or ``None`` if it has none.

    Only the channel and the sender id that Rasa's channel connector recorded
    count; nothing the user types can change who a request is for.
    """
    if not channel or not sender_id:
        return None
    sender_id = sender_id.strip()
    if not sender_id or len(sender_id) > MAX_SENDER_ID_LENGTH:
        return None
    return Requester(channel=channel, sender_id=sender_id)
