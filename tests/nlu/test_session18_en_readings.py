"""Session 18 (English NLU helper): readings of a change's place not found, the old password not
had, forgetting to change, a known password said outright, memory back and a private service
denied, each with the lookalike it must leave alone (tests/nlu/README.md "Session 18, English NLU
helper")."""

import pytest

from readings import lemmas as lemmas_of


def lemmas(text):
    return lemmas_of("en", text)


@pytest.mark.parametrize(
    "text, place_not_found",
    [
        ("I can't find the button to change it", True),
        ("can't locate the change password link", True),
        ("I can't find where to change my password", True),
        ("where is the change password option? I clicked View account but can't find it", True),
        ("I looked for the button but can't find it", True),
        ("the password option isn't there", True),
        # The password itself, or what it was written on, not found: still lost.
        ("wrote my new password down and can't find it", False),
        ("I can't find the note with my password", False),
        ("I want to change my password but I can't find it", False),
    ],
)
def test_a_place_of_the_change_not_found_is_no_lost_password(text, place_not_found):
    words = lemmas(text)
    assert ("menu_search" in words) is place_not_found
    assert ("still_lost" in words) is not place_not_found


def test_a_change_beside_a_place_not_found_is_not_read_as_blocked():
    words = lemmas("where is the change password option? I can't find it")
    assert "change" in words and "forgot_current" not in words


@pytest.mark.parametrize(
    "text, forgotten",
    [
        ("that needs the old one and I don't have it", True),
        ("it wants my current password which I don't have", True),
        ("I don't have the old one anymore", True),
        ("I no longer have my current password", True),
        # Nothing old or current named: "I don't have it" keeps its words.
        ("I don't have it", False),
        ("I don't have it on me, can I change it later?", False),
        ("I have the old one", False),
    ],
)
def test_the_old_password_not_had_is_forgetting(text, forgotten):
    assert ("forget" in lemmas(text)) is forgotten


def test_a_change_the_missing_old_password_blocks_reads_as_blocked():
    words = lemmas("people say just change it, but that needs the old one and I don't have it")
    assert "forgot_current" in words


@pytest.mark.parametrize(
    "text, omitted, forgotten",
    [
        ("forgot to change it before the deadline, I still know the old one", True, False),
        ("I forgot to update my password in time", True, False),
        # Forgetting to write it down is forgetting the password.
        ("forgot to write it down and now I can't remember it", False, True),
        ("I forgot my password", False, True),
    ],
)
def test_forgetting_to_change_is_no_forgetting_of_the_password(text, omitted, forgotten):
    words = lemmas(text)
    assert ("omitted_task" in words) is omitted
    assert ("forget" in words) is forgotten


@pytest.mark.parametrize(
    "text, reading",
    [
        ("I'll probably forget it one day, but right now I know it", "know"),
        ("I forgot it but now I know it", "recovered"),
        ("can I do it myself or does an admin have to? I know the current one", "knows_well"),
        ("I still know my current password", "knows_well"),
        ("the old one is still in my head, I just want it gone", "knows_well"),
        ("I don't know the current one", "forget"),
    ],
)
def test_knowing_now_said_outright(text, reading):
    assert reading in lemmas(text)


@pytest.mark.parametrize(
    "text, recovered",
    [
        ("never mind, memory is back, I've got my password", True),
        ("my memory's back now", True),
        ("my memory is bad", False),
    ],
)
def test_memory_back_is_a_recovery(text, recovered):
    assert ("recovered" in lemmas(text)) is recovered


@pytest.mark.parametrize(
    "text, denied",
    [
        ("Forgot it. Not the Gmail one, my work account.", True),
        ("it's not my Netflix password, it's the work one", True),
        # A private service named, not denied.
        ("I can't log into Netflix", False),
        ("forgot my Gmail password", False),
    ],
)
def test_a_private_service_denied_is_no_private_service(text, denied):
    words = lemmas(text)
    assert ("denied_brand" in words) is denied
    assert ("private_service" in words) is not denied
