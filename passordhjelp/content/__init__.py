"""Localised labels that replies are built from (the texts are in labels.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence

import yaml

_LABELS_FILE = Path(__file__).with_name("labels.yml")


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


class Content:
    """Looks up labels by key and language; English where a language lacks one."""

    def __init__(self, labels: Dict) -> None:
        self._labels = labels

    def _text(self, group: str, key: str, language: str) -> str:
        entry = self._labels[group][key]
        return entry.get(language) or entry["en"]

    def topic_buttons(self, intents: Sequence[str], language: str) -> List[Button]:
        """Buttons for the known topics among ``intents`` (or the default topics)."""
        topics = [i for i in intents if i in self._labels["topics"]]
        if not topics:
            topics = list(self._labels["default_topics"])
        return [Button(self._text("topics", i, language), f"/{i}") for i in topics]

    def status_label(self, status: str, language: str) -> str:
        return self._text("statuses", status, language)

    def notice(self, key: str, language: str, **values: object) -> str:
        """A message the channel layer sends itself (see ``notices`` in labels.yml)."""
        return self._text("notices", key, language).format(**values)

    def secret_notice(self, kinds: Sequence[str], language: str) -> str:
        """The warning after secrets were removed, naming each kind once (first seen first)."""
        distinct = list(dict.fromkeys(kinds))
        names = [self._text("secret_kinds", kind, language) for kind in distinct]
        joiner = self._labels["list_and"].get(language) or self._labels["list_and"]["en"]
        what = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {joiner} {names[-1]}"
        advice = " ".join(self._text("secret_advice", kind, language) for kind in distinct)
        return self.notice("secret_removed", language, what=what, advice=advice)

    def age(self, delta: timedelta, language: str) -> str:
        """Compact age: minutes under two hours, hours under two days, then days."""
        minutes = max(0, int(delta.total_seconds() // 60))
        if minutes < 120:
            unit, n = "minutes", minutes
        elif minutes < 48 * 60:
            unit, n = "hours", minutes // 60
        else:
            unit, n = "days", minutes // (24 * 60)
        return self._text("ages", unit, language).format(n=n)


@lru_cache(maxsize=1)
def load_content() -> Content:
    return Content(yaml.safe_load(_LABELS_FILE.read_text(encoding="utf-8")))
