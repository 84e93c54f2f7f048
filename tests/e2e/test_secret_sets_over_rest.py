"""The blind secret sets sent over REST and judged from what the tracker store kept (issue 10).

``tests/security/test_secret_sets.py`` scores the detector behind the message guard; this
sends every case of each blind set (``independent_2026-11*.yml``) to the real servers over
the REST channel, one new sender per case, and reads back every event the SQLite tracker
store kept for that sender: the user event's text, ``parse_data`` and metadata, slots,
actions and bot messages. As the issue's acceptance is judged:

- a secret is caught when it appears in none of the strings kept for its sender
  (the "strict" figure also asks, as the detector-level one does, that the notice was sent
  and that no password-like part of the secret was left in the kept text);
- a harmless message is falsely redacted when the user text kept differs from what was
  sent (or none was kept).

The bot's replies are checked too: the secret notice exactly when something was removed.
Only aggregate figures are printed, and the categories of any difference from the
detector-level verdict of the same case; never a case's text.
"""

from __future__ import annotations

import json
import sqlite3
import re
import time
import unicodedata
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Mapping, Set, Tuple

import pytest
import requests
import yaml

from passordhjelp.config import PROJECT_ROOT
from passordhjelp.message_guard import _CONTROL, _INVISIBLE, _SURROGATE, clean_text
from passordhjelp.placeholder import PLACEHOLDER
from passordhjelp.redaction import Redaction
from passordhjelp.secrets.evaluation import Tally, secret_caught, through_the_guard
from security.test_secret_sets import BLIND_SETS

pytestmark = pytest.mark.slow

# Messages in flight at once: the servers share two cores with other work, and one
# message at a time took about three times as long.
WORKERS = 4
NOTICES = ("treat it as exposed", "regn det som avslørt")   # labels.yml: secret_removed
RETRIES = 3


@dataclass
class Sent:
    """One case as it went over REST and what came back."""

    case: Mapping[str, Any]
    sender: str
    replies: List[Dict] = field(default_factory=list)
    status: int = 0


@dataclass
class Kept:
    """What the tracker store holds for one sender."""

    user_texts: List[str] = field(default_factory=list)
    strings: Dict[str, List[str]] = field(default_factory=lambda: defaultdict(list))

    def places_of(self, secret: str) -> Set[str]:
        return {place for place, values in self.strings.items()
                if any(secret in value for value in values)}


@dataclass
class Figures:
    recall: Tally = field(default_factory=Tally)
    strict_recall: Tally = field(default_factory=Tally)
    false_redaction: Tally = field(default_factory=Tally)
    detector_recall: Tally = field(default_factory=Tally)
    detector_false_redaction: Tally = field(default_factory=Tally)


# Ids Rasa makes up (random hex UUIDs: each message's id, and the id of the trained model
# that every event's metadata names): not text anyone typed, and a four-digit PIN stands in
# one now and then by chance (model 4d908482666f... holds the "4826" of two blind sets).
_GENERATED_IDS = frozenset({"message_id", "model_id"})


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included (numbers are not text anyone typed)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            if key not in _GENERATED_IDS:
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _place(type_name: str, key: str) -> str:
    if type_name == "user":
        return {"text": "user text", "parse_data": "parse_data",
                "metadata": "metadata"}.get(key, "user event, other fields")
    return {"slot": "slots", "bot": "bot messages"}.get(type_name, "other events")


def _send(url: str, sent: Sent) -> Sent:
    for attempt in range(RETRIES):
        response = requests.post(f"{url}/webhooks/rest/webhook",
                                 json={"sender": sent.sender, "message": sent.case["text"]},
                                 timeout=180)
        sent.status = response.status_code
        if response.status_code != 503:      # 503: not handled, nothing kept, send again
            break
        time.sleep(2 * (attempt + 1))
    sent.replies = response.json() if response.status_code == 200 else []
    return sent


def _kept(tracker_db, prefix: str) -> Dict[str, Kept]:
    kept: Dict[str, Kept] = defaultdict(Kept)
    with sqlite3.connect(tracker_db) as db:
        rows = db.execute("select sender_id, type_name, data from events where sender_id like ?",
                          (f"{prefix}%",)).fetchall()
    for sender, type_name, data in rows:
        event = json.loads(data)
        if type_name == "user":
            kept[sender].user_texts.append(event.get("text") or "")
        for key, value in event.items():
            if key not in _GENERATED_IDS:
                kept[sender].strings[_place(type_name, key)].extend(_strings(value))
    return kept


def _cases() -> List[Tuple[str, Mapping[str, Any]]]:
    cases = []
    for name in BLIND_SETS:
        path = PROJECT_ROOT / "tests" / "security" / f"{name}.yml"
        cases += [(name, case) for case in
                  yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]
    return cases


def _harmless_change(sent: str, kept: Kept) -> str:
    """Why the kept user text differs from what was sent (empty when it doesn't)."""
    if not kept.user_texts:
        return "no user event kept"
    text = kept.user_texts[0]
    if text == sent:
        return ""
    if PLACEHOLDER in text:
        return "redacted"
    if text == clean_text(sent):
        return "changed by cleaning only: " + ", ".join(_cleaning_steps(sent))
    return "changed otherwise"


def _cleaning_steps(text: str) -> List[str]:
    """Which of the message guard's cleaning steps change ``text`` (code points, no text)."""
    steps = []
    if _SURROGATE.search(text):
        steps.append("lone surrogate")
    if unicodedata.normalize("NFC", text) != text:
        steps.append("NFC normalisation")
    for name, pattern in (("invisible", _INVISIBLE), ("control", _CONTROL)):
        found = sorted({f"U+{ord(c):04X}" for c in pattern.findall(text)})
        if found:
            steps.append(f"{name} {' '.join(found)} removed")
    if text != text.strip():
        steps.append("outer whitespace stripped")
    return steps


@dataclass
class Verdicts:
    """Every case of a run judged from the tracker store, beside the detector's verdict."""

    seconds: float = 0.0
    figures: Dict[Tuple[str, str], Figures] = field(default_factory=lambda: defaultdict(Figures))
    differences: Counter = field(default_factory=Counter)
    notice_errors: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    in_logs: Counter = field(default_factory=Counter)

    def print(self, count: int) -> None:
        """Aggregates and the categories of differences only, never a case's text."""
        print(f"\n{count} messages over REST in {self.seconds:.0f} s ({WORKERS} at a time); "
              f"HTTP statuses {dict(self.statuses)}")
        for (name, language), f in sorted(self.figures.items()):
            print(f"{name} {language}: REST recall {f.recall.rate:.3f} ({f.recall.hits}/"
                  f"{f.recall.total}), strict {f.strict_recall.rate:.3f}; false redaction "
                  f"{f.false_redaction.rate:.3f} ({f.false_redaction.hits}/"
                  f"{f.false_redaction.total}) | detector {f.detector_recall.rate:.3f}, "
                  f"{f.detector_false_redaction.rate:.3f} "
                  f"({f.detector_false_redaction.hits}/{f.detector_false_redaction.total})")
        for key, count in sorted(self.differences.items()):
            print(f"  REST differs from detector: {' / '.join(key)}: {count}")
        for key, count in sorted(self.notice_errors.items()):
            print(f"  notice: {key}: {count}")
        print(f"  secrets found in the servers' logs: {sum(self.in_logs.values())} "
              f"{dict(self.in_logs)}")


def _over_rest(rasa_stack, cases: List[Tuple[str, Mapping[str, Any]]]) -> Verdicts:
    """Send every (set name, case) over REST, one new sender each, and judge what was kept."""
    prefix = f"rs{uuid.uuid4().hex[:6]}-"
    outgoing = [Sent(case, f"{prefix}{i}") for i, (_, case) in enumerate(cases)]
    verdicts = Verdicts()
    started = time.monotonic()
    with ThreadPoolExecutor(WORKERS) as pool:
        sent_all = list(pool.map(lambda s: _send(rasa_stack.url, s), outgoing))
    verdicts.seconds = time.monotonic() - started
    kept_by_sender = _kept(rasa_stack.tracker_db, prefix)
    inspect = through_the_guard()

    differences, notice_errors = verdicts.differences, verdicts.notice_errors
    verdicts.statuses.update(s.status for s in sent_all)
    for (name, case), sent in zip(cases, sent_all):
        text, language = case["text"], case["language"]
        kept = kept_by_sender[sent.sender]
        detector = inspect(text)
        notice = any(n in r.get("text", "") for r in sent.replies for n in NOTICES)
        kept_text = kept.user_texts[0] if kept.user_texts else ""
        removed = not kept.user_texts or PLACEHOLDER in kept_text
        if notice != removed:
            notice_errors["notice without removal" if notice else "removal without notice"] += 1
        if len(kept.user_texts) > 1:
            notice_errors[f"{len(kept.user_texts)} user events kept"] += 1
        tally = verdicts.figures[(name, language)]
        if not case["secrets"]:
            change = _harmless_change(text, kept)
            tally.false_redaction.total += 1
            tally.false_redaction.hits += bool(change)
            tally.detector_false_redaction.total += 1
            tally.detector_false_redaction.hits += detector.found
            if bool(change) != detector.found:
                differences[(name, language, "harmless",
                             change or "detector changed it, REST kept it as sent")] += 1
            continue
        as_kept = Redaction(kept_text, ("notice",) if notice else ())
        for secret in case["secrets"]:
            places = kept.places_of(secret)
            caught = not places
            strict = caught and secret_caught(text, secret, as_kept)
            by_detector = secret_caught(text, secret, detector)
            for t, hit in ((tally.recall, caught), (tally.strict_recall, strict),
                           (tally.detector_recall, by_detector)):
                t.total += 1
                t.hits += hit
            if by_detector and not caught:
                differences[(name, language, case["kind"],
                             "stored in " + ", ".join(sorted(places)))] += 1
            elif by_detector and not strict:
                differences[(name, language, case["kind"], "strict: part left or no notice")] += 1
            elif strict and not by_detector:
                differences[(name, language, case["kind"],
                             "caught over REST only" + ("" if kept.user_texts
                                                        else " (no user event kept)"))] += 1

    logs = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in rasa_stack.logs.glob("*.log"))
    # As a token of its own: a short PIN may stand inside a timestamp's digits.
    verdicts.in_logs.update(case["kind"] for _, case in cases for secret in case["secrets"]
                            if re.search(rf"(?<![^\W_]){re.escape(secret)}(?![^\W_])", logs))
    return verdicts


def test_secret_sets_over_rest_as_kept_by_the_tracker_store(rasa_stack):
    cases = _cases()
    verdicts = _over_rest(rasa_stack, cases)
    verdicts.print(len(cases))

    assert verdicts.statuses == Counter({200: len(cases)})
    assert verdicts.notice_errors == Counter()
    assert not verdicts.in_logs
    for (name, language), f in verdicts.figures.items():
        floor_recall, ceiling_false_redaction = BLIND_SETS[name]
        assert f.recall.rate >= floor_recall[language]
        assert f.strict_recall.rate >= floor_recall[language]
        assert f.false_redaction.rate <= ceiling_false_redaction[language]


# Chat formatting the blind sets hardly have (none has more than four messages with a line
# break, and few have backticks): line breaks, bullet lists, Slack code spans and blocks,
# *bold* labels. The hand-written hard cases of those shapes, secrets and look-alikes,
# must reach the tracker store as the detector left them: nothing it removed is stored
# anywhere, and a look-alike it left alone is kept exactly as sent.
_CHAT_FORMATTING = re.compile(r"\n|`|^\s*[-*•]|\*[^*\s][^*]*\*")


def test_secret_sets_over_rest_keeps_chat_formatted_messages_as_the_detector_left_them(
    rasa_stack,
):
    path = PROJECT_ROOT / "tests" / "security" / "dev_hard_cases.yml"
    cases = [("dev_hard_cases", case)
             for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
             if _CHAT_FORMATTING.search(case["text"])]
    verdicts = _over_rest(rasa_stack, cases)
    verdicts.print(len(cases))

    assert len(cases) >= 40 and {language for _, language in verdicts.figures} == {"en", "nb"}
    assert verdicts.statuses == Counter({200: len(cases)})
    assert verdicts.notice_errors == Counter()
    assert verdicts.differences == Counter()
    assert not verdicts.in_logs
    for f in verdicts.figures.values():
        assert f.false_redaction.total >= 10
        assert f.recall.hits == f.strict_recall.hits == f.detector_recall.hits
        assert f.false_redaction.hits == f.detector_false_redaction.hits


# Harmless messages of our own, one per cleaning step that could change a message that
# holds no secret: the kept text must be what was sent, and no notice given. Two steps
# still change one: NFC normalisation (ours: a decomposed letter is stored composed, so
# the detector reads "å" one way) and stripping the ends (Rasa's own UserMessage). The
# blind set 2026-11b had two emoji joined by U+200D, which the guard once removed.


@pytest.mark.parametrize("message", [
    pytest.param("I'm locked out of Outlook again 🙋‍♀️", id="zwj-emoji-en"),
    pytest.param("får ikke logget inn på Teams 👨‍💻 hjelp", id="zwj-emoji-nb"),
    pytest.param("hvordan endrer jeg passordet? 👍🏽 takk", id="skin-tone-modifier"),
    pytest.param("passordet mitt er utløpt, hva gjør jeg na\u030a", marks=pytest.mark.xfail(
        strict=True, reason="NFC normalisation: a decomposed å is stored composed")),
    pytest.param("how do I change my password?\n", marks=pytest.mark.xfail(
        strict=True, reason="Rasa's UserMessage strips the ends of every text it is given")),
    pytest.param("my password expired\tticket INC0012345", id="tab-inside"),
])
def test_secret_sets_over_rest_harmless_text_is_kept_as_sent(rasa_stack, message):
    sender = f"rsprobe-{uuid.uuid4().hex[:8]}"
    sent = _send(rasa_stack.url, Sent({"text": message}, sender))
    kept = _kept(rasa_stack.tracker_db, sender)[sender]

    assert not any(n in r.get("text", "") for r in sent.replies for n in NOTICES)
    assert kept.user_texts == [message]
