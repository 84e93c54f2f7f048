"""action_check_follow_up runs inside Rasa (runtime/in_process_actions.py), so a process
question, a change, an out-of-scope message or a message right after a decline makes
no call to the action server for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, List

import pytest
from rasa.core.actions import action as rasa_actions
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, Restarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk.executor import ActionExecutor

from runtime import in_process_actions

PROJECT_ROOT = Path(__file__).resolve().parents[2]
IN_PROCESS = ["action_check_follow_up", "action_check_take_back", "action_reopen_reset_request"]
REOPENED = [SlotSet("reset_wanted", True), SlotSet("reset_confirmed", None),
            SlotSet("reset_declined", False)]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


@pytest.fixture(autouse=True)
def installed(monkeypatch):
    monkeypatch.setattr(rasa_actions, "action_for_name_or_text",
                        rasa_actions.action_for_name_or_text)
    in_process_actions.install()

    async def no_call(*_args: Any, **_kwargs: Any) -> List[Event]:
        raise AssertionError("the action server was called")

    monkeypatch.setattr(RemoteAction, "run", no_call)


def turn(text: str, intent: str, entities: Any = ()) -> List[Event]:
    return [
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered(text, {"name": intent, "confidence": 0.9}, list(entities)),
    ]


async def ran(name: str, domain: Domain, events: List[Event]) -> List[Event]:
    tracker = DialogueStateTracker.from_events("ola", events, slots=domain.slots)
    # Looked up by index, as Rasa's processor does after a rule predicts it.
    found = rasa_actions.action_for_index(domain.index_for_action(name), domain, None)
    return await found.run(None, None, tracker, domain)


async def follow_up(domain: Domain, events: List[Event]) -> List[Event]:
    return await ran("action_check_follow_up", domain, events)


@pytest.mark.parametrize("name", IN_PROCESS)
def test_the_lookup_gives_the_in_process_action(domain, name):
    found = rasa_actions.action_for_name_or_text(name, domain, None)
    assert found is in_process_actions.IN_PROCESS_ACTIONS[name]
    other = rasa_actions.action_for_name_or_text("action_file_reset_request", domain, None)
    assert isinstance(other, RemoteAction)


async def test_a_new_question_follows_up_nothing(domain):
    events = turn("hi", "greet") + [ActionExecuted("utter_greet")]
    events += turn("how do I change my password", "change_password")
    assert await follow_up(domain, events) == [SlotSet("follow_up", "none")]


async def test_still_waiting_after_a_status_answer(domain):
    events = turn("status?", "reset_request_status") + [ActionExecuted("action_show_request_status")]
    events += turn("it's been two days", "out_of_scope")
    assert await follow_up(domain, events) == [SlotSet("follow_up", "status")]


async def test_the_last_answer_is_the_step_before_the_message_not_this_check(domain):
    events = turn("status?", "reset_request_status") + [ActionExecuted("action_show_request_status")]
    events += turn("still nothing after two days", "out_of_scope")
    events += [ActionExecuted("action_check_follow_up"), SlotSet("follow_up", "none")]
    assert await follow_up(domain, events) == [SlotSet("follow_up", "status")]


async def test_admin_steps_shown_before_a_restart_still_count(domain):
    # The action server was sent every event, those before a restart too.
    events = turn("how do I reset a user's password", "admin_reset_user_password")
    events += [ActionExecuted("utter_admin_reset_steps"), ActionExecuted("utter_learn_more")]
    events += [Restarted()] + turn("hi", "greet") + [ActionExecuted("utter_greet")]
    events += turn("can I make them change it", "change_password")
    assert await follow_up(domain, events) == [SlotSet("follow_up", "admin_steps")]


async def test_after_a_filing_in_the_conversation_a_question_about_it_is_its_status(domain):
    events = turn("yes", "affirm") + [ActionExecuted("action_file_reset_request"),
                                      BotUttered("filed", metadata={
                                          "utter_action": "utter_request_filed"})]
    events += turn("hvor er den nå?", "ask_process")
    assert await follow_up(domain, events) == [SlotSet("follow_up", "status")]
    events[-1] = UserUttered("hvor lang tid tar den?", {"name": "ask_process", "confidence": 0.9})
    assert await follow_up(domain, events) == [SlotSet("follow_up", "none")]


async def test_putting_it_off_right_after_a_decline(domain):
    events = turn("no", "deny") + [ActionExecuted("action_file_reset_request"),
                                   SlotSet("reset_declined", True)]
    events += turn("I'll check something first", "reset_request_status")
    assert await follow_up(domain, events) == [SlotSet("follow_up", "postponed")]


# After a declined offer: a take-back in other words reopens; anything else lets the decline stand.
@pytest.mark.parametrize("text, intent, entities, reopened", [
    ("changed my mind, go ahead and send it", "reset_request_status", [], True),
    ("har ombestemt meg, send den", "reset_request_status", [], True),
    ("actually please file one after all", "nlu_fallback", [], True),
    ("jeg vil ha den forespørselen likevel", "cancel_request", [], True),
    ("what's the status of my request", "reset_request_status", [], False),
    ("trekk tilbake forespørselen min", "cancel_request", [], False),
    ("actually, don't bother", "nlu_fallback", [], False),
    ("ombestemt meg, men ikke nå", "out_of_scope", [], False),
    ("changed my mind, send it for Kari", "reset_request_status",
     [{"entity": "other_account", "value": "Kari", "start": 27, "end": 31}], False),
])
async def test_a_decline_taken_back_in_other_words(domain, text, intent, entities, reopened):
    events = [SlotSet("reset_declined", True)] + turn(text, intent, entities)
    taken_back = await ran("action_check_take_back", domain, events)
    assert taken_back == (REOPENED if reopened else [SlotSet("reset_declined", True)])


async def test_actually_yes_goes_to_the_confirmation(domain):
    events = [SlotSet("reset_declined", True)] + turn("actually yes", "affirm")
    assert await ran("action_reopen_reset_request", domain, events) == REOPENED


@pytest.mark.parametrize("name", IN_PROCESS)
def test_action_server_does_not_define_what_it_would_no_longer_be_asked_for(name):
    executor = ActionExecutor()
    executor.register_package("actions")
    assert name not in executor.actions
    assert "action_file_reset_request" in executor.actions


@pytest.mark.slow  # a Python process that imports Rasa core
def test_in_process_actions_install_in_a_project_with_actions_of_its_own(tmp_path):
    """The bench serves Rasa's starter bot through the same entry point; its own `actions`
    package stands first on the path, and installing must not import ours."""
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "__init__.py").write_text("")
    (tmp_path / "actions" / "actions.py").write_text("")
    code = ("from runtime import in_process_actions; in_process_actions.install(); "
            "import sys; print(sorted(m for m in sys.modules if m.startswith('actions.')))")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RASA_TELEMETRY_ENABLED": "false"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("first, answer, expected", [
    # A yes to "do you still know your current password?" after a message that said sign-in
    # refuses it: known and refused, the checks and the offer.
    ("it keeps saying my password is wrong", "yes", "refused_known"),
    ("passordet mitt blir avvist", "ja", "refused_known"),
    # After vague trouble a plain yes is only a yes: the change steps.
    ("my password doesn't work", "yes", "none"),
    ("passordet mitt virker ikke", "ja", "none"),
])
async def test_a_yes_to_the_question_reads_the_message_it_was_asked_after(
    domain, first, answer, expected
):
    events = turn(first, "password_help") + [
        ActionExecuted("action_check_follow_up"), SlotSet("follow_up", "none"),
        ActionExecuted("utter_ask_knows_password"),
    ]
    events += turn(answer, "affirm")
    assert await follow_up(domain, events) == [SlotSet("follow_up", expected)]
