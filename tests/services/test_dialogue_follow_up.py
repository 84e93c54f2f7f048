"""Telling a follow-up to the last answer from a new question, in both languages."""

import pytest

from passordhjelp.dialogue_follow_up import FollowUp, read_follow_up


def parse(text, intent, entities=()):
    return {"text": text, "intent": {"name": intent, "confidence": 0.6},
            "entities": list(entities)}


@pytest.mark.parametrize("text, intent, previous, admin, declined, expected", [
    # After a status answer: still waiting is about that request.
    ("nothing has happened for three days", "out_of_scope", "action_show_request_status",
     False, False, FollowUp.STATUS),
    ("jeg har ventet i flere timer", "out_of_scope", "action_show_request_status",
     False, False, FollowUp.STATUS),
    ("what's the weather like", "out_of_scope", "action_show_request_status",
     False, False, FollowUp.NONE),
    ("nothing has happened for three days", "out_of_scope", "utter_greet",
     False, False, FollowUp.NONE),
    # After the admin steps: a user's password, not the admin's own.
    ("can I require them to pick a new one?", "change_password", "utter_learn_more",
     True, False, FollowUp.ADMIN_STEPS),
    ("må de ansatte bytte det selv etterpå?", "change_password", "utter_learn_more",
     True, False, FollowUp.ADMIN_STEPS),
    ("and how do I change my own password?", "change_password", "utter_learn_more",
     True, False, FollowUp.NONE),
    ("can I require them to pick a new one?", "change_password", "utter_greet",
     False, False, FollowUp.NONE),
    # After the change steps: where or how to do it.
    ("which menu is that in?", "ask_process", "action_show_change_steps",
     False, False, FollowUp.CHANGE_STEPS),
    ("hvordan kommer jeg dit, er det der?", "ask_process", "action_show_change_steps",
     False, False, FollowUp.CHANGE_STEPS),
    ("where is that exactly", "out_of_scope", "action_show_change_steps",
     False, False, FollowUp.CHANGE_STEPS),
    ("how long does a reset take?", "ask_process", "action_show_change_steps",
     False, False, FollowUp.NONE),
    # Right after a decline: putting it off.
    ("I'll sort out a few things first", "change_password", "action_file_reset_request",
     False, True, FollowUp.POSTPONED),
    ("tar det heller senere", "reset_request_status", "action_file_reset_request",
     False, True, FollowUp.POSTPONED),
    ("can I do it later?", "ask_process", "action_file_reset_request",
     False, True, FollowUp.NONE),
    ("I'll sort out a few things first", "change_password", "action_file_reset_request",
     False, False, FollowUp.NONE),
])
def test_dialogue_follow_up_read_against_the_last_answer(text, intent, previous, admin,
                                                         declined, expected):
    assert read_follow_up(parse(text, intent), previous_step=previous,
                          admin_steps_shown=admin, declined=declined) is expected
