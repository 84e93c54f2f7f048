"""Finds secrets pasted into chat and replaces them before anything stores the message.

A password typed after "my password is", "passordet mitt er", "old pw ... new
pw ...", a lone password-shaped message, and API keys or tokens are replaced by
``PLACEHOLDER``. Benign look-alikes ("my password is expired", "the password must
be 12 characters") are left alone: a value counts as a secret when it does not
read as an ordinary word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Tuple

import yaml
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.nb.stop_words import STOP_WORDS as NORWEGIAN_STOP_WORDS

PLACEHOLDER = "[secret removed]"
_PATTERNS_FILE = Path(__file__).with_name("redaction_patterns.yml")
_REFERENCE = re.compile(r"^[A-Z0-9]{1,6}-[A-Z0-9]{6}$")


@dataclass(frozen=True)
class Redaction:
    """The message as it may be stored, and how many secrets were taken out."""

    text: str
    secrets: int

    @property
    def found(self) -> bool:
        return self.secrets > 0

    @property
    def only_secrets(self) -> bool:
        """Nothing but the secret(s) was written: there is nothing left to answer."""
        return self.found and not re.sub(re.escape(PLACEHOLDER), "", self.text).strip(" .,!:;")


@lru_cache(maxsize=1)
def _rules() -> Tuple[List[re.Pattern], List[re.Pattern], FrozenSet[str]]:
    raw = yaml.safe_load(_PATTERNS_FILE.read_text(encoding="utf-8"))
    cues = [re.compile(p, re.IGNORECASE) for p in raw["disclosure_cues"]]
    tokens = [re.compile(p) for p in raw["token_formats"]]
    ordinary = frozenset(w.lower() for w in raw["ordinary_words"])
    return cues, tokens, ordinary | ENGLISH_STOP_WORDS | NORWEGIAN_STOP_WORDS


def _character_classes(value: str) -> int:
    return sum((any(c.islower() for c in value), any(c.isupper() for c in value),
                any(c.isdigit() for c in value), any(not c.isalnum() for c in value)))


def _is_secret_value(value: str, ordinary: FrozenSet[str]) -> bool:
    """After a disclosure cue: anything but an ordinary word or a plain number of characters."""
    bare = value.strip(".,!?;:()\"'«»")
    if len(bare) < 3 or bare.lower() in ordinary or _REFERENCE.match(bare):
        return False
    if bare.isdigit() and len(bare) <= 2:
        return False
    return bare.isalpha() is False or _character_classes(bare) >= 2 or len(bare) >= 6


def _looks_like_lone_password(text: str, ordinary: FrozenSet[str]) -> bool:
    """A whole message that is one password-shaped word: 8+ chars, 3+ character classes."""
    value = text.strip()
    return (
        value.lower() not in ordinary
        and " " not in value and 8 <= len(value) <= 128 and _character_classes(value) >= 3
        and "://" not in value and "@" not in value and not _REFERENCE.match(value)
        and not value.startswith("/")
    )


def redact(text: str) -> Redaction:
    """``text`` with every secret replaced by ``PLACEHOLDER``."""
    cues, token_formats, ordinary = _rules()
    if _looks_like_lone_password(text, ordinary):
        return Redaction(PLACEHOLDER, 1)
    spans = []
    for cue in cues:
        for match in cue.finditer(text):
            if _is_secret_value(match.group("secret"), ordinary):
                spans.append(match.span("secret"))
    for token_format in token_formats:
        spans.extend(match.span() for match in token_format.finditer(text))
    if not spans:
        return Redaction(text, 0)
    merged: List[Tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    pieces, cursor = [], 0
    for start, end in merged:
        pieces += [text[cursor:start], PLACEHOLDER]
        cursor = end
    pieces.append(text[cursor:])
    return Redaction("".join(pieces), len(merged))
