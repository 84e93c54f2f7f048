"""Whole conversations over REST against the real servers: was a request filed, which path, which language.

Runs the blind and regression sets (independent_conversations_2026-11*.yml) and
the development set (dev_conversations.yml) on one server stack, one unique
sender per conversation, and checks each against its expected outcome: the
request database for the sender, the path taken (from the actions and responses
in the tracker, read over Rasa's HTTP API with the token) and the language of
every reply. Prints per-language rates; see README.md here for how the sets
were made.
"""

from __future__ import annotations

import collections
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest
import requests
import yaml

from passordhjelp.config import PROJECT_ROOT
from passordhjelp.language import detect_language
from stack import Stack, require_model

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
# Set name -> (file, lowest share of conversations per language that must behave
# as expected, filings where none was expected that are known and not yet fixed).
# The floors sit a little below what was measured (README.md). round2's two
# filings about someone else's account (the dialogue did not recognise the third
# person) are gone since the third-person work of session 3: none is allowed.
# Session 4 (2026-11-30, merged model of 02:37): independent 100/98 %, round2
# 94/97 %, round3 94/88 %, dev 100/100 % (en/nb).
SETS = {
    "independent": (HERE / "independent_conversations_2026-11.yml", 0.93, 0),
    "round2": (HERE / "independent_conversations_2026-11b.yml", 0.90, 0),
    "round3": (HERE / "independent_conversations_2026-11c.yml", 0.85, 0),
    # Round 4 (session 4), scored once after the session's dialogue and NLU work: en 31/35,
    # nb 31/35 (89 %); one filing where none was expected (a third person not recognised).
    # Its misses were read in session 4 (a regression set since): after the fixes of
    # their categories en 35/35, nb 35/35 on the branch's model, en 34/35, nb 33/35
    # (97 / 94 %) with main's NLU of 03:40 merged, no unexpected filing.
    "round4": (HERE / "independent_conversations_2026-11d.yml", 0.94, 0),
    # Round 5: scored once blind after all of session 4's work (en 26/36, 72 %; nb 32/36,
    # 89 %; no filing where none was expected). Its misses were read in session 5 (a
    # regression set since, README.md): after the fixes of their categories en 35/36,
    # nb 35/36 (97 %), no unexpected filing.
    "round5": (HERE / "independent_conversations_2026-11e.yml", 0.94, 0),
    # Round 6, the measurement: written blind in session 5 (its HOW_MADE.md), copied in and
    # scored once after all of session 5's dialogue and NLU work, its misses never read:
    # en 32/36 (89 %), nb 35/36 (97 %), no filing where none was expected. Its misses were
    # read in session 6 (a regression set since, tests/nlu/README.md "Session 6").
    "round6": (HERE / "independent_conversations_2026-11f.yml", 0.85, 0),
    # Round 7, the measurement: written blind in session 6 (its HOW_MADE.md), copied in and
    # scored once after all of session 6's dialogue and NLU work, its misses never read.
    # Scored once: en 36/36 (100 %), nb 34/36 (94 %), no filing where none was expected.
    # Its misses were read in session 7 (a regression set since).
    "round7": (HERE / "independent_conversations_2026-11g.yml", 0.9, 0),
    # Round 8, the measurement: written blind in session 7 (its HOW_MADE.md), copied in and
    # scored once after all of session 7's dialogue and NLU work, its misses never read.
    # Scored once: en 32/36 (89 %), nb 35/36 (97 %), no filing where none was expected.
    # Its misses were read later in session 7 (a regression set since).
    "round8": (HERE / "independent_conversations_2026-11h.yml", 0.85, 0),
    # Round 9, the measurement: written blind late in session 7 (its HOW_MADE.md) while the
    # session's second round of work was under way, copied in and scored once after all of
    # it, its misses never read. Scored once: en 35/36 (97 %), nb 36/36 (100 %), no filing
    # where none was expected. Its misses were read at the start of session 8 (a regression
    # set since).
    "round9": (HERE / "independent_conversations_2026-11i.yml", 0.9, 0),
    # Round 10, the measurement: written blind at the start of session 8 (its HOW_MADE.md),
    # before any of the session's work, copied in after it was merged, its misses never read.
    # Scored twice (after the first round of work and after all of it), the same both times:
    # en 35/36 (97 %), nb 34/36 (94 %), no filing where none was expected. Its misses were
    # read in session 9 (a regression set since): en 35/36, nb 35/36 after its fixes.
    "round10": (HERE / "independent_conversations_2026-11j.yml", 0.9, 0),
    # Round 11, the measurement: written blind at the start of session 9 (its HOW_MADE.md),
    # before any of the session's work, copied in after it was merged, its misses never read.
    # Scored with session 8's model (baseline) and after all of session 9's work
    # (tests/conversation/README.md).
    "round11": (HERE / "independent_conversations_2026-11k.yml", 0.92, 0),
    # Round 11's never-file set: withdrawals, questions or hedges where a yes would go, someone
    # else's account, and controls that should file (8 of each per language), written blind at
    # the start of session 9 and scored as round 11.
    "round11_nofile": (HERE / "independent_conversations_2026-11k_nofile.yml", 0.88, 0),
    # Round 12, the measurement: written blind at the start of session 10 (its HOW_MADE.md),
    # before any of the session's work, copied in after it was merged, its misses never read.
    # Scored with session 9's model (baseline: en 34/36, nb 36/36) and after all of session
    # 10's work (en 33/36, nb 36/36), no filing where none was expected either time. Its misses
    # were read in session 11 (a regression set since): en 34/36, nb 36/36 after its fixes.
    "round12": (HERE / "independent_conversations_2026-11l.yml", 0.88, 0),
    # Round 12's never-file set (8 withdrawals, 8 questions or hedges, 8 someone else's, 8
    # controls per language), written and scored as round 12: baseline en 28/32, nb 28/32;
    # after en 28/32, nb 29/32; no unexpected filing. Four of its conversations stop after
    # a process question asked at the offer, which its writer expects as path "process"; this
    # test counts a digression answered inside the request form as the form's path (forgot),
    # on purpose (README.md, session 11). After session 11's fixes en 30/32, nb 30/32.
    "round12_nofile": (HERE / "independent_conversations_2026-11l_nofile.yml", 0.84, 0),
    # Round 13, the measurement: written blind at the start of session 11 (its HOW_MADE.md),
    # before any of the session's work, copied in after it was merged, its misses never read.
    # Scored with session 10's model (baseline: en 33/36, nb 35/36) and after all of session
    # 11's work (en 33/36, nb 35/36), no filing where none was expected either time.
    "round13": (HERE / "independent_conversations_2026-11m.yml", 0.88, 0),
    # Round 13's never-file set (8 withdrawals, 8 questions or hedges, 8 someone else's, 8
    # controls per language), written and scored as round 13: baseline en 30/32, nb 31/32;
    # after en 31/32, nb 31/32; no unexpected filing.
    "round13_nofile": (HERE / "independent_conversations_2026-11m_nofile.yml", 0.9, 0),
    # Round 14, the measurement: written blind at the start of session 12 (its HOW_MADE.md),
    # before any of the session's work, copied in after it was merged, its misses never read.
    # Scored with session 11's model (baseline: en 35/36, nb 35/36) and after all of session
    # 12's work (en 34/36, nb 35/36), no filing where none was expected either time.
    "round14": (HERE / "independent_conversations_2026-11n.yml", 0.9, 0),
    # Round 14's never-file set (withdrawals, questions or hedges, someone else's, controls),
    # written and scored as round 14: baseline en 30/32, nb 28/32; after the same; no
    # unexpected filing. Three misses (languages not told apart) expected path process and got
    # forgot: the shape of the earlier never-file sets' process questions asked at the offer,
    # which this test counts as the form's path on purpose (README.md, session 11).
    "round14_nofile": (HERE / "independent_conversations_2026-11n_nofile.yml", 0.85, 0),
    # Round 15, the measurement: written blind at the start of session 13 (its HOW_MADE.md),
    # before any of the session's work, copied in after it was merged, its misses never read.
    # Scored with session 12's model (baseline: en 33/36, nb 36/36) and after all of session
    # 13's work (en 34/36, nb 36/36), no filing where none was expected either time. Read in
    # session 15 (a regression set since): en 36/36, nb 36/36 after its fixes.
    "round15": (HERE / "independent_conversations_2026-11o.yml", 0.94, 0),
    # Round 15's never-file set, written and scored as round 15: baseline en 29/32, nb 28/32
    # (six of the misses expected path process and got forgot: the path definition, README.md);
    # after en 27/32, nb 28/32; no unexpected filing. Read in session 15: en 29/32, nb 29/32
    # after its fixes (the six misses left expect path process: the path definition).
    "round15_nofile": (HERE / "independent_conversations_2026-11o_nofile.yml", 0.85, 0),
    # Round 16, the measurement: written blind at the start of session 15 (its HOW_MADE.md;
    # session 14's round 16 was lost with that session's machine), before any of the session's
    # work, copied in after it was merged, its misses never read. Scored with session 14's
    # model and code (baseline: en 34/36, nb 36/36) and after all of session 15's work (en
    # 35/36, nb 36/36), no filing where none was expected either time.
    "round16": (HERE / "independent_conversations_2026-11p.yml", 0.9, 0),
    # Round 16's never-file set (withdrawals, questions or hedges, someone else's, controls),
    # written and scored as round 16: baseline en 32/32, nb 31/32; after en 32/32, nb 32/32;
    # no unexpected filing.
    "round16_nofile": (HERE / "independent_conversations_2026-11p_nofile.yml", 0.9, 0),
    # Round 17, the measurement: written blind at the start of session 16 (its HOW_MADE.md),
    # before any of the session's work, copied in after it was merged, its misses never read.
    # Scored with session 15's model and code (baseline: en 36/36, nb 36/36) and after all of
    # session 16's work (en 36/36, nb 36/36), no filing where none was expected either time.
    "round17": (HERE / "independent_conversations_2026-11q.yml", 0.9, 0),
    # Round 17's never-file set (withdrawals, questions or hedges, someone else's, controls),
    # written and scored as round 17: baseline en 31/32, nb 31/32; after en 31/32, nb 31/32;
    # no unexpected filing.
    "round17_nofile": (HERE / "independent_conversations_2026-11q_nofile.yml", 0.9, 0),
    # Round 18, the measurement: written blind at the start of session 17 (its HOW_MADE.md),
    # before any of the session's work, copied in after it was merged, its misses never read.
    # Scored with session 16's model and code (baseline: en 36/36, nb 35/36) and after all of
    # session 17's work (en 36/36, nb 35/36: the same Norwegian conversation, a filing expected
    # and not made), no filing where none was expected either time.
    "round18": (HERE / "independent_conversations_2026-11r.yml", 0.9, 0),
    # Round 18's never-file set, written and scored as round 18: baseline en 32/32, nb 31/32
    # (expected the handoff path, got the forgot path); after en 32/32, nb 32/32; no
    # unexpected filing.
    "round18_nofile": (HERE / "independent_conversations_2026-11r_nofile.yml", 0.9, 0),
    # Round 19, the measurement: written blind at the start of session 18 (its HOW_MADE.md),
    # before any of the session's work, copied in after it was merged, its misses never read.
    # Scored with session 17's model and code (baseline: en 36/36, nb 36/36) and after all of
    # session 18's work (en 36/36, nb 36/36), no filing where none was expected either time.
    "round19": (HERE / "independent_conversations_2026-11s.yml", 0.9, 0),
    # Round 19's never-file set, written and scored as round 19: baseline en 31/32 (the forgot
    # path expected, the process path taken), nb 32/32; after the same; no unexpected filing.
    "round19_nofile": (HERE / "independent_conversations_2026-11s_nofile.yml", 0.9, 0),
    # Since session 20, round 19's en-030 behaves as expected: "Dear assistant, ..." was read as
    # someone else's account (tests/nlu/README.md "Session 20, the lead").
    # Round 20, the measurement: written blind at the start of session 20 (its HOW_MADE.md),
    # before any of the session's work, copied in after it was merged, its misses never read.
    # Scored with session 19's model and code (baseline: en 35/36, nb 36/36; the one miss a
    # status conversation expected filed and not filed) and after all of session 20's work (the
    # same), no filing where none was expected either time.
    "round20": (HERE / "independent_conversations_2026-11t.yml", 0.9, 0),
    # Round 20's never-file set, written and scored as round 20: baseline en 32/32, nb 32/32;
    # after the same; no unexpected filing.
    "round20_nofile": (HERE / "independent_conversations_2026-11t_nofile.yml", 0.9, 0),
    # Round 21, the measurement: written blind at the start of session 21 (its HOW_MADE.md),
    # before any of the session's work, copied in after it was merged, its misses never read.
    # Session 20's model and code: en 36/36, nb 36/36, never-file en 32/32, nb 32/32; after
    # session 21's work the same; no filing where none was expected either time.
    "round21": (HERE / "independent_conversations_2026-11u.yml", 0.9, 0),
    "round21_nofile": (HERE / "independent_conversations_2026-11u_nofile.yml", 0.9, 0),
    # Round 22, the measurement: written blind at the start of session 22 (its HOW_MADE.md),
    # before any of the session's work, copied in after it was merged, its misses never read.
    # Session 21's model and code: en 36/36, nb 36/36, never-file en 31/32, nb 30/32; after
    # session 22's work the same; no filing where none was expected either time.
    "round22": (HERE / "independent_conversations_2026-11v.yml", 0.9, 0),
    "round22_nofile": (HERE / "independent_conversations_2026-11v_nofile.yml", 0.9, 0),
    # Conversation round 23 (independent_conversations_2026-11w*.HOW_MADE.md): written blind at
    # the start of session 23, before any of the session's work, its misses never read. Session
    # 22's model and code: en 36/36, nb 36/36, never-file en 32/32, nb 32/32; no filing where
    # none was expected. After session 23's work the same.
    "round23": (HERE / "independent_conversations_2026-11w.yml", 0.9, 0),
    "round23_nofile": (HERE / "independent_conversations_2026-11w_nofile.yml", 0.9, 0),
    "dev": (HERE / "dev_conversations.yml", 0.95, 0),
    # Session 9's development batch (the never-file promise, own accounts on every channel,
    # "me and my colleague", loose status questions): en 18/21, nb 19/21 before its fixes.
    "dev9": (HERE / "dev_conversations_s9.yml", 0.95, 0),
    # Session 10's development batch (keeping the thread: answers at the offer, at the
    # confirmation, after filing, after an out-of-scope answer, third persons in lower case
    # or by role, questions that look like a yes): written before the session's fixes.
    "dev10": (HERE / "dev_conversations_s10.yml", 0.9, 0),
    # Session 11's development batch (holding off in words NLU reads as a fresh forgot_password,
    # and taking it back; someone else's account in loose phrasing, new hires, "me and my
    # colleague"; a process question as the last thing said): written before the session's fixes
    # (en 14/18, nb 15/18; 16/18, 17/18 with the four process-last ones relabelled), after 18/18.
    "dev11": (HERE / "dev_conversations_s11.yml", 0.9, 0),
    # Session 11's second dialogue batch (the never-file promise by category: someone else
    # named by a generic noun or pronoun at the offer or confirmation, a yes with a condition
    # or question, withdrawals in varied idioms, English and emoji answers): written before
    # the batch's fixes (en 18/20, nb 16/20, one filing where none was expected); after them,
    # with four conversations found on the way, en 22/22, nb 20/22 (README.md).
    "dev11b": (HERE / "dev_conversations_s11b.yml", 0.9, 0),
    # Session 12's dialogue batch (a follow-up about a status answer, an IT person giving a
    # user a new password, loose withdrawals after filing, a yes with a condition about a third
    # person being told, a yes for a named person in a department, "the temp's account", "how
    # do I reset it then" after a refusal, "yes I'm here"): written before the session's fixes
    # (en 8/15, nb 11/15), after them en 15/15, nb 15/15 (README.md, session 12).
    "dev12": (HERE / "dev_conversations_s12.yml", 0.9, 0),
    # Session 13's dialogue batch (hedges at the offer or confirmation asked again, a no that
    # says whom the chatter waits for, a question at the offer read as changing, a take-back
    # asked as a question, withdrawals after filing as questions, follow-ups to status,
    # out-of-scope, change and admin answers, small talk): written before the session's fixes
    # (en 9/11, nb 11/13), after them en 10/11, nb 12/13 (README.md, session 13).
    "dev13": (HERE / "dev_conversations_s13.yml", 0.85, 0),
    # Session 15's dialogue batch (a yes with a condition, a correction of which account, a
    # question at the confirmation in the other language, status questions that mention
    # forgetting, remembering after the offer, a withdrawal after filing asked as a question,
    # nothing received after a status answer, trying the chat out, a no after a filler that
    # says whom the chatter turns to, after a refusal telling that person to contact IT):
    # written before the session's fixes (en 10/12, nb 8/12), after them en 12/12, nb 12/12
    # (README.md, session 15).
    "dev15": (HERE / "dev_conversations_s15.yml", 0.9, 0),
    # Session 17's dialogue batch (a decline that carries a reason or a plan, at the offer and
    # the confirmation: sorting it out oneself, turning to or waiting for someone with or
    # without a no first, a hedge with such a plan, taken back; controls that remember or name
    # someone else's account): written after reading round 17's never-file misses en-008 and
    # nb-005 (README.md, session 17).
    "dev17": (HERE / "dev_conversations_s17.yml", 0.9, 0),
    # Session 23's dialogue batch (a question with remembering as its condition, sending refused
    # beside a plan of taking it up with someone; controls): written after reading round 22's
    # never-file misses en-016 and nb-005 (README.md, session 23).
    "dev23": (HERE / "dev_conversations_s23.yml", 0.9, 0),
}
# Sets whose misses may be printed by id: the development set and the blind rounds
# whose misses were read (regression sets since). The others print aggregates only.
READ_SETS = {"round3", "round4", "round5", "round6", "round7", "round8", "round9", "round10",
             "round11", "round11_nofile", "round12", "round12_nofile", "dev", "dev9", "dev10", "dev11",
             "dev11b", "dev12", "round13", "round13_nofile", "round14", "round14_nofile", "dev13",
             # Opened at the start of session 14, after round 16 was written.
             "round15", "round15_nofile", "dev15",
             # Opened at the start of session 16, after round 17 was written.
             "round16", "round16_nofile",
             # Opened at the start of session 17, while round 18 was being written blind.
             "round17", "round17_nofile",
             # Session 17's own development batch.
             "dev17",
             # Opened at the start of session 18, while round 19 was being written blind.
             "round18", "round18_nofile",
             # Opened at the start of session 19, while round 20 was being written blind.
             "round19", "round19_nofile",
             # Opened at the start of session 21, while round 21 was being written blind.
             "round20", "round20_nofile",
             # Opened at the start of session 22, while round 22 was being written blind.
             "round21", "round21_nofile",
             # Opened at the start of session 23, while round 23 was being written blind.
             "round22", "round22_nofile",
             # Session 23's own development batch.
             "dev23"}

# Which path an action or response belongs to. The path of a conversation is the
# path of the last step that is not small talk ("smalltalk" when there is none).
PATH_OF_STEP = {
    "action_show_change_steps": "change",
    "utter_change_password_follow_up": "change",
    "utter_forgot_password_admin": "forgot",
    "utter_account_locked": "forgot",
    "utter_ask_knows_password": "forgot",
    "utter_refused_known_checks": "forgot",
    "utter_refused_known_admin": "forgot",
    "reset_request_form": "forgot",
    "action_offer_self_service": "forgot",
    "action_file_reset_request": "forgot",
    "action_refuse_other_account": "other_person",
    "utter_refuse_other_account": "other_person",
    "action_show_request_status": "status",
    "action_withdraw_request": "cancel",
    "utter_admin_reset_steps": "admin_steps",
    "utter_ask_process": "process",
    "action_handoff": "handoff",
    "utter_out_of_scope": "out_of_scope",
    "utter_out_of_scope_follow_up": "out_of_scope",
    "action_handle_fallback": "out_of_scope",
}


def load_conversations(path: Path) -> List[Dict]:
    conversations = yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]
    ids = [c["id"] for c in conversations]
    assert len(ids) == len(set(ids)), f"duplicate conversation ids in {path.name}"
    return conversations


@dataclass(frozen=True)
class Observed:
    filed: bool  # a request was filed for the sender (even if later withdrawn)
    path: str
    wrong_language_replies: int


class ConversationStack(Stack):
    """The action server and one Rasa server (REST, HTTP API behind a token)."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.api_token = uuid.uuid4().hex
        self.start_action_server()
        self.start_rasa("rasa", credentials=PROJECT_ROOT / "credentials.yml",
                        args=["--enable-api", "--auth-token", self.api_token])
        self.wait_until_ready()

    def say(self, sender: str, message: str) -> List[Dict]:
        response = requests.post(f"{self.url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": message}, timeout=60)
        response.raise_for_status()
        return response.json()

    def tracker_events(self, sender: str) -> List[Dict]:
        response = requests.get(f"{self.url}/conversations/{sender}/tracker",
                                params={"token": self.api_token}, timeout=30)
        response.raise_for_status()
        return response.json()["events"]


@pytest.fixture(scope="module")
def conversation_stack(tmp_path_factory) -> Iterator[ConversationStack]:
    require_model()
    stack: Optional[ConversationStack] = None
    try:
        stack = ConversationStack(tmp_path_factory.mktemp("conversations"))
        yield stack
    finally:
        if stack:
            stack.stop()


def path_of(events: List[Dict]) -> str:
    """The path of the last step that is not small talk. A digression answered inside the
    request form is followed by the form asking its pending question again, a step of the
    form: the path stays the form's while a request is pending (README.md, "path")."""
    path = "smalltalk"
    for event in events:
        if event.get("event") == "action":
            step = event.get("name")
        elif event.get("event") == "bot":
            step = (event.get("metadata") or {}).get("utter_action")
        else:
            continue
        path = PATH_OF_STEP.get(step, path)
    return path


def sender_for(set_name: str, conversation: Dict) -> str:
    """A unique sender per conversation; with ``sender_email`` an e-mail address, as the
    signed-in web chat's verified ``sub`` is, so turns can type the chatter's own."""
    unique = uuid.uuid4().hex[:6]
    if conversation.get("sender_email"):
        return f"kari.n{unique}@contoso.no"
    return f"{set_name}-{conversation['id']}-{unique}"


def run(stack: ConversationStack, conversation: Dict, sender: str) -> Observed:
    """Says each turn; ``{email}`` and ``{user}`` in a turn are the sender's own address
    and user name (its part before the @)."""
    language = conversation["language"]
    wrong_language = 0
    for turn in conversation["turns"]:
        turn = turn.replace("{email}", sender).replace("{user}", sender.partition("@")[0])
        for reply in stack.say(sender, turn):
            said = detect_language(reply.get("text") or "", default="unclear")
            wrong_language += said not in (language, "unclear")
    return Observed(
        filed=any(r["sender_id"] == sender for r in stack.request_rows()),
        path=path_of(stack.tracker_events(sender)),
        wrong_language_replies=wrong_language,
    )


@pytest.mark.parametrize("set_name", list(SETS))
def test_conversations_behave_as_expected_end_to_end(conversation_stack, set_name):
    path, floor, known_unexpected_filings = SETS[set_name]
    conversations = load_conversations(path)
    totals, expected_ok = collections.Counter(), collections.Counter()
    unexpected_filings, misses = [], []
    # (expected path, observed path, what differed) -> count: aggregates only, so
    # the blind set's conversations need not be read to see where it goes wrong.
    confusion = collections.Counter()
    for conversation in conversations:
        sender = sender_for(set_name, conversation)
        observed = run(conversation_stack, conversation, sender)
        expect, language = conversation["expect"], conversation["language"]
        totals[language] += 1
        right = (observed.filed == expect["filed"] and observed.path == expect["path"]
                 and observed.wrong_language_replies == 0)
        expected_ok[language] += right
        if observed.filed and not expect["filed"]:
            unexpected_filings.append(conversation["id"])
        if not right:
            differed = "+".join(what for what, same in (
                ("filed", observed.filed == expect["filed"]),
                ("path", observed.path == expect["path"]),
                ("language", observed.wrong_language_replies == 0)) if not same)
            confusion[(expect["path"], observed.path, differed)] += 1
            misses.append(f"{conversation['id']}: expected filed={expect['filed']} "
                          f"path={expect['path']}; got filed={observed.filed} "
                          f"path={observed.path} wrong-language replies="
                          f"{observed.wrong_language_replies}")

    rates = {language: expected_ok[language] / totals[language] for language in totals}
    report = [f"{set_name}: {len(conversations)} conversations"]
    report += [f"  {language}: {expected_ok[language]}/{totals[language]} as expected "
               f"({rates[language]:.0%})" for language in sorted(totals)]
    report.append(f"  filings where none was expected: {len(unexpected_filings)}")
    report += [f"  expected {want} -> got {got}, wrong {differed}: {count}"
               for (want, got, differed), count in sorted(confusion.items())]
    print("\n".join(report))
    if set_name in READ_SETS:
        print("\n".join(misses))

    assert len(unexpected_filings) <= known_unexpected_filings, \
        f"filed although not expected: {len(unexpected_filings)}"
    assert all(rate >= floor for rate in rates.values()), "\n".join(report)
