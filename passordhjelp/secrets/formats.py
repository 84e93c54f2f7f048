"""Secrets with a known shape: tokens, keys, recovery keys, connection strings (formats.yml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Tuple

import yaml

_FORMATS_FILE = Path(__file__).with_name("formats.yml")
# One `key=value` part of a connection string, e.g. "User ID=sa" or "Password={a;b}".
_PART = re.compile(
    r"\s?[A-Za-z][A-Za-z0-9_]{0,30}(?: [A-Za-z][A-Za-z0-9_]{0,30}){0,2}\s?=\s?"
    r"(?:\{[^}\n]{0,300}\}|'[^'\n]{0,300}'|\"[^\"\n]{0,300}\"|[^;\s]{0,300})"
)
_LAST_CHUNK = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}\s?=\s?[^;\s]{0,300}$")


@dataclass(frozen=True)
class Span:
    """Where a secret stands in the text, and what kind of secret it is."""

    start: int
    end: int
    kind: str


@lru_cache(maxsize=1)
def _formats() -> Tuple[List[Tuple[re.Pattern, str]], re.Pattern]:
    raw = yaml.safe_load(_FORMATS_FILE.read_text(encoding="utf-8"))
    structured = [(re.compile(entry["pattern"]), entry["kind"]) for entry in raw["structured"]]
    keys = "|".join(re.escape(k) for k in raw["connection_string_secret_keys"])
    secret_key = re.compile(rf"(?i)(?<![A-Za-z_])(?:{keys})\s?=\s?")
    return structured, secret_key


def _value_end(text: str, start: int) -> int:
    """End of a connection-string value starting at ``start`` (quoted or braced, or up to ; )."""
    closing = {"{": "}", "'": "'", '"': '"'}.get(text[start : start + 1])
    if closing:
        end = text.find(closing, start + 1, start + 302)
        # ODBC writes a closing brace inside a braced value twice: {a}}b}
        while closing == "}" and end != -1 and text[end + 1 : end + 2] == "}":
            end = text.find(closing, end + 2, start + 302)
        if end != -1:
            return end + 1
    end = start
    while end < len(text) and text[end] != ";" and not text[end].isspace():
        end += 1
    return end


def _connection_string(text: str, key: re.Match) -> Span:
    """The whole ``key=value;...`` run around a secret key, or the key's value alone."""
    start, end = key.start(), _value_end(text, key.end())
    if end == key.end():
        return Span(end, end, "password")
    in_run = text[end : end + 1] == ";"
    # Leftwards over the parts before, each ending in ";".
    while (
        start > 0
        and text[start - 1 : start] in (";", " ")
        and ";" in text[max(0, start - 2) : start]
    ):
        semicolon = text.rfind(";", 0, start)
        previous = text.rfind(";", 0, semicolon)
        candidate = text[previous + 1 : semicolon]
        if _PART.fullmatch(candidate):
            start, in_run = previous + 1, True
            continue
        chunk = _LAST_CHUNK.search(candidate)
        if chunk:
            start, in_run = previous + 1 + chunk.start(), True
        break
    # Rightwards over the parts after.
    while text[end : end + 1] == ";":
        part = _PART.match(text, end + 1)
        if not part or "=" not in part.group(0):
            end += 1
            break
        end = part.end()
    if not in_run:
        if any(ch.isspace() for ch in key.group(0)):
            # "password = the one from last week": a sentence, left to the detector
            return Span(key.end(), key.end(), "password")
        return Span(key.end(), _value_end(text, key.end()), "password")
    return Span(start, end, "password")


def find_formatted(text: str) -> List[Span]:
    """Every structured secret in ``text``, with its kind."""
    structured, secret_key = _formats()
    spans = [
        Span(m.start(), m.end(), kind)
        for pattern, kind in structured
        for m in pattern.finditer(text)
    ]
    for key in secret_key.finditer(text):
        span = _connection_string(text, key)
        # "what does 'Password=' mean": a quote or bracket alone is no value
        if text[span.start : span.end].strip("'\"{}()[]«»“”.,;:!? "):
            spans.append(span)
    return spans
