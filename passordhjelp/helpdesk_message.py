"""What the helpdesk message about a request says, before Slack or Teams gives it a shape."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from passordhjelp.content import load_content
from passordhjelp.helpdesk import Handling, Move, MoveOutcome, MoveResult
from passordhjelp.reset_requests import ResetRequest, Status

_TEXTS_FILE = Path(__file__).with_name("content") / "helpdesk.yml"
# Moves offered per status; a closed request offers none.
_MOVES = {
    Status.OPEN: (Move.TAKE, Move.RESOLVE, Move.REJECT),
    Status.IN_PROGRESS: (Move.RESOLVE, Move.REJECT),
}


@lru_cache(maxsize=1)
def _texts() -> Dict:
    return yaml.safe_load(_TEXTS_FILE.read_text(encoding="utf-8"))["interactive"]


def text(key: str, language: str, **values: object) -> str:
    """One of the helpdesk's texts (``interactive`` in helpdesk.yml)."""
    texts = _texts()
    return (texts.get(language) or texts["en"])[key].format(**values)


def _label(group: str, key: str, language: str) -> str:
    """``key``'s label in one of the helpdesk texts' groups (``moves``, ``channels``,
    ``languages``); the key itself if it has none."""
    return (_texts().get(language) or _texts()["en"])[group].get(key, key)


def channel_label(channel: str, language: str) -> str:
    """Where a requester asked, as an admin calls it (``botframework``: Microsoft Teams)."""
    return _label("channels", channel, language)


def language_label(code: str, language: str) -> str:
    """A requester's language by name (``nb``: Norwegian (Bokmål))."""
    return _label("languages", code, language)


def move_label(move: Move, language: str) -> str:
    return _label("moves", move.value, language)


def member_language(locale: Any) -> str:
    """The language to tell a helpdesk member something only they see, from their chat
    client's locale (Teams ``locale``, Slack ``users.info`` ``locale``): ``nb`` for
    ``nb-NO``, ``nn-NO`` and ``no``, else ``en``."""
    if isinstance(locale, str) and locale.replace("_", "-").split("-")[0].lower() in (
        "nb",
        "nn",
        "no",
    ):
        return "nb"
    return "en"


def status_label(status: Status, language: str) -> str:
    return load_content().status_label(status.value, language)


@dataclass(frozen=True)
class HelpdeskMessage:
    """Title, facts (label, value; values are plain text), progress lines and the moves left."""

    reference: str
    title: str
    facts: List[Tuple[str, str]]
    to_do: Optional[str]
    moves: List[Tuple[Move, str]]


def _when(at) -> str:
    return f"{at:%Y-%m-%d %H:%M} UTC"


def helpdesk_message(request: ResetRequest, handling: Handling, language: str) -> HelpdeskMessage:
    """The message for ``request`` as it stands now."""
    facts = [
        (text("requester", language), handling.requester_label(request)),
        (text("channel", language), channel_label(request.channel, language)),
        (text("language", language), language_label(request.language, language)),
        (text("filed", language), _when(request.created_at)),
    ]
    status = status_label(request.status, language)
    if handling.taken_by and handling.taken_at:
        status += ". " + text(
            "taken", language, actor=handling.taken_by, at=_when(handling.taken_at)
        )
    if handling.closed_by and handling.closed_at and not request.status.is_active:
        status += ". " + text(
            "closed", language, actor=handling.closed_by, at=_when(handling.closed_at)
        )
    if request.status is Status.WITHDRAWN:
        status += ". " + text("withdrawn", language, at=_when(request.updated_at))
    facts.append((text("status", language), status))
    if request.status is Status.REJECTED and request.admin_note:
        facts.append((text("reason", language), request.admin_note))
    moves = [(move, move_label(move, language)) for move in _MOVES.get(request.status, ())]
    to_do = (
        text("to_do", language)
        if request.status.is_active
        else (text("withdrawn_to_do", language) if request.status is Status.WITHDRAWN else None)
    )
    return HelpdeskMessage(
        reference=request.reference,
        title=text("title", language, reference=request.reference),
        facts=facts,
        to_do=to_do,
        moves=moves,
    )


def refusal(result: MoveResult, reference: str, language: str) -> Optional[str]:
    """What a helpdesk member is told when their click changed nothing (None: it worked);
    for a race lost, who won."""
    if result.outcome is MoveOutcome.DONE:
        return None
    if result.outcome is MoveOutcome.NOT_FOUND:
        return text("not_found", language, reference=reference)
    if result.outcome is MoveOutcome.OWN_REQUEST:
        return text("own_request", language)
    request, handling = result.request, result.handling
    if request is None:
        raise RuntimeError(f"{result.outcome.value} came back without the request")
    by = (handling.closed_by or handling.taken_by) if handling else None
    if result.outcome is MoveOutcome.ALREADY:
        key = "already"
    else:
        # Withdrawn by the requester, or closed by the admin who won the race: who, if known.
        key = "not_allowed_by" if by and request.status is not Status.WITHDRAWN else "not_allowed"
    return text(
        key,
        language,
        reference=request.reference,
        status=status_label(request.status, language),
        actor=by or "-",
    )
