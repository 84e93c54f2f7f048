"""Session 17 (English NLU helper): readings where the time frame and a contrast decide, each
with the lookalike it must leave alone (tests/nlu/README.md "Session 17, English NLU helper")."""

import pytest

from passordhjelp.nlp.pipelines import pipeline
from readings import lemmas as lemmas_of
from passordhjelp.nlp.third_person import find_third_person, states_own_lockout


def lemmas(text):
    return lemmas_of("en", text)


def lemma_of(text, word):
    return next(t.lemma_ for t in pipeline("en")(text) if t.lower_ == word)


@pytest.mark.parametrize(
    "text, word, reading",
    [
        # Known before, gone now: the past knowing is a forgetting too.
        ("I swear I knew it on friday, now nothing", "knew", "forget"),
        ("I remembered it fine before my holiday but today my mind is blank", "remembered",
         "forget"),
        ("knew it by heart last week, today my mind is completely empty", "knew", "forget"),
        # ... and a recovery after it settles the whole lapse.
        ("I knew it yesterday, then forgot it, but I've remembered it now", "knew", "lapse_over"),
        # Present knowing, or knowing with nothing lost after it, keeps its lemma.
        ("I know the old one but I forgot the new one", "know", "know"),
        ("I knew it yesterday, I still know it, I just want to change it", "knew", "know"),
        ("I remembered it but I can't log in now", "remembered", "remember"),
    ],
)
def test_a_past_knowing_before_a_forgetting_is_forgetting(text, word, reading):
    assert lemma_of(text, word) == reading


@pytest.mark.parametrize(
    "text, forgotten",
    [
        ("need a new pass, the old one is lost", True),
        ("my mind is completely empty", True),
        ("I had it this morning and now there's nothing", True),
        # A failure, not a lapse of memory.
        ("I changed it and now nothing works", False),
        ("now nothing happens when I press sign in", False),
    ],
)
def test_a_password_lost_or_a_memory_empty_now_is_forgetting(text, forgotten):
    assert ("forget" in lemmas(text)) is forgotten


@pytest.mark.parametrize(
    "text, recovered",
    [
        ("I had no clue an hour ago but I've remembered it now", True),
        ("forgot it on monday, recalled it today", True),
        ("I couldn't think of it an hour ago, now I've got it", True),
        # Still forgotten: no recovery.
        ("I have forgotten it now", False),
        ("I can't remember it now", False),
    ],
)
def test_a_recovery_in_the_perfect_or_with_a_time_is_recovered(text, recovered):
    assert ("recovered" in lemmas(text)) is recovered


@pytest.mark.parametrize(
    "text, blocked",
    [
        ("I want a new password because I've forgotten the old one", True),
        ("I need a fresh one since I can't recall my current password", True),
        # Denied or no forgetting after it: no block.
        ("I don't need a new password because I forgot it, I need one because I shared it",
         False),
        ("I want a new password but I haven't forgotten the old one", False),
        ("I forgot my password and need a new one", False),
    ],
)
def test_a_new_password_wanted_because_of_forgetting_reads_as_forgetting(text, blocked):
    assert ("forgot_current" in lemmas(text)) is blocked


@pytest.mark.parametrize(
    "text, reading, not_reading",
    [
        # "not IT" said of the writer is "not an admin"; "not it" is the pronoun.
        ("my employee forgot her password, I'm her manager, not IT", "neg_administrator", "IT"),
        ("how come I can't change it myself?", "why", "come"),
        # A new hire's welcome email is a thing, no colleague.
        ("the new hire welcome email never had my password in it", "new", "colleague"),
        ("the new hire forgot her password", "colleague", "hire"),
    ],
)
def test_session17_readings(text, reading, not_reading):
    result = lemmas(text)
    assert reading in result
    assert not_reading not in result


def test_not_it_in_lower_case_is_the_pronoun():
    assert "neg_administrator" not in lemmas("my password is not it, it's the pin")


@pytest.mark.parametrize(
    "text",
    [
        "my colleague locked her account last week and now the same thing happened to me",
        "my coworker got locked out yesterday and today it's happening to me as well",
        "my teammate was locked out this morning and now I am too",
    ],
)
def test_another_persons_trouble_that_came_to_the_chatter_too_is_the_chatters(text):
    assert find_third_person(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "my colleague forgot her password",
        "my colleague got locked out, what happens to me now?",
        "my manager is locked out and asked me to write for her",
        "a colleague of mine is locked out after too many attempts",
    ],
)
def test_another_persons_trouble_alone_is_still_theirs(text):
    assert find_third_person(text, loose=True) is not None


def test_mine_locked_after_anothers_lockout_is_the_chatters_lockout():
    assert states_own_lockout("a colleague had her account locked on monday, now mine is locked too")
    assert not states_own_lockout("a colleague of mine is locked out, can you unlock him?")


@pytest.mark.parametrize(
    "text, settled",
    [
        ("forgot it last year, had it reset; now I just want to change it", True),
        ("I forgot it a couple of months ago and had it reset, now I'd like to change it", True),
        ("my teammate forgot hers last month and now I've forgotten mine too", True),
        # A recent forgetting, or nothing told of the present after it: not settled.
        ("I forgot it last week and now I can't log in", False),
        ("I forgot my password a few months ago", False),
    ],
)
def test_a_forgetting_long_past_with_the_present_after_it_is_an_episode(text, settled):
    assert ("settled_episode" in lemmas(text)) is settled
