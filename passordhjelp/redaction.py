"""Finds secrets pasted into chat and replaces them before anything stores the message.

Two detectors (``passordhjelp/secrets/``): exact formats for structured secrets
(recovery keys, tokens, connection strings: ``formats.yml``) and a detector for
passwords, codes and keys written in a sentence in English or Norwegian
(``detector.py``, cue words in ``cues.yml``). Every span found is replaced whole by
``PLACEHOLDER``, and the kinds found are reported so the user can be told what
was removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Tuple

from passordhjelp.placeholder import PLACEHOLDER
from passordhjelp.secrets.detector import detector
from passordhjelp.secrets.formats import Span, find_formatted

# What the user can be told was removed (labels.yml: secret_kinds, secret_advice).
KINDS = ("password", "one_time_code", "recovery_key", "token")


@dataclass(frozen=True)
class Redaction:
    """The message as it may be stored, and what was taken out of it."""

    text: str
    kinds: Tuple[str, ...] = ()  # one per removed span, in order

    @property
    def secrets(self) -> int:
        return len(self.kinds)

    @property
    def found(self) -> bool:
        return bool(self.kinds)

    @property
    def only_secrets(self) -> bool:
        """Nothing but the secret(s) was written: there is nothing left to answer."""
        return self.found and not re.sub(re.escape(PLACEHOLDER), "", self.text).strip(" .,!:;\"'«»")


def _merged(spans: List[Span]) -> List[Span]:
    merged: List[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            # The longer span is the better description ("Password=" inside a connection string).
            kind = last.kind if last.end - last.start >= span.end - span.start else span.kind
            merged[-1] = Span(last.start, max(last.end, span.end), kind)
        else:
            merged.append(span)
    return merged


def redact(text: str) -> Redaction:
    """``text`` with every secret replaced by ``PLACEHOLDER``."""
    spans = _merged(find_formatted(text) + detector().find(text))
    if not spans:
        return Redaction(text)
    pieces, cursor = [], 0
    for span in spans:
        pieces += [text[cursor : span.start], PLACEHOLDER]
        cursor = span.end
    pieces.append(text[cursor:])
    return Redaction("".join(pieces), tuple(span.kind for span in spans))
