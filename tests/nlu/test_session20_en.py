"""Session 20, the English change/forgot helper (tests/nlu/README.md "Session 20, English
change/forgot helper"): what is forgotten decides.

The time of the last change forgotten or the new password feared forgotten is no forgetting of
the password; a password known and disliked, or working and old, is known; the only copy thrown
away is forgetting; forgetting told without the word ("run out of ideas", "Today? Nothing.") is
forgetting; states denied before a lockout are no forgetting. Each with the neighbour it must
leave alone, and the Norwegian counterpart where the same idea applies."""

import pytest

from readings import lemmas

FORGETTING = {"forget", "glemme"}


def _forgets(language, text):
    return bool(FORGETTING & set(lemmas(language, text)))


@pytest.mark.parametrize(
    "text",
    [
        "Can't remember the last time I changed my password, how do I do it?",
        "I honestly don't know when I last updated it, time for a new one",
        "no idea when I set it, I'd like a new one",
        "I don't know how long ago I changed it",
        "forgot what year I changed it, surely it's due",
    ],
)
def test_the_time_of_the_last_change_forgotten_is_no_forgetting(text):
    words = lemmas("en", text)
    assert "time_forgotten" in words
    assert not FORGETTING & set(words)


@pytest.mark.parametrize(
    "text",
    [
        # No change after the time: the lapse keeps its words.
        "I can't remember the last time I logged in and now I don't know my password",
        "I can't remember my password since last week",
    ],
)
def test_a_time_without_a_change_after_it_is_left(text):
    assert "time_forgotten" not in lemmas("en", text)
    assert _forgets("en", text)


def test_the_steps_not_known_are_no_time_forgotten():
    words = lemmas("en", "I don't know how to change my password, I still remember it though")
    assert "time_forgotten" not in words


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "I have to change it but I'm worried I won't remember the new one"),
        ("en", "scared that I'll never remember a new one"),
        ("en", "last time I forgot the new one within a day, how do I pick a good one"),
        ("nb", "må bytte, men er redd jeg ikke husker det nye"),
        ("nb", "bekymret for at jeg ikke kommer til å huske det nye passordet"),
    ],
)
def test_the_new_password_feared_forgotten_is_no_forgetting_now(language, text):
    words = set(lemmas(language, text))
    assert words & {"worry_ahead", "uro_framover"}
    assert not words & FORGETTING
    # Nor is the change read as one a forgetting blocks.
    assert not words & {"forgot_current", "glemt_gjeldende"}


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "I'm afraid I can't remember my password"),
        ("nb", "jeg er redd jeg har glemt passordet"),
    ],
)
def test_a_polite_fear_before_a_forgetting_stays_forgetting(language, text):
    assert _forgets(language, text)


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "the cleaners binned the post-it with my password"),
        ("en", "the sticky note went in the bin with my old stuff"),
        ("en", "deleted the text with my temporary password by accident"),
        ("nb", "vaskehjelpen kastet lappen med passordet"),
        ("nb", "lappen med passordet havnet i søpla"),
    ],
)
def test_the_only_copy_thrown_away_is_no_copy_kept(language, text):
    words = set(lemmas(language, text))
    assert words & {"copy_gone", "kopi_borte"}
    assert not words & {"stored_copy", "lagret_kopi", "not_by_heart", "ikke_utenat"}


@pytest.mark.parametrize(
    "language, text",
    [
        # A message with a reference, or a lost phone, is no copy of the password.
        ("en", "deleted the message with my reference, is the reset done?"),
        ("en", "Will my phone lose email when the password is reset?"),
        ("nb", "slettet meldingen med referansen, er passordet mitt resatt nå?"),
    ],
)
def test_other_things_deleted_or_lost_are_no_copy_gone(language, text):
    assert not set(lemmas(language, text)) & {"copy_gone", "kopi_borte"}


@pytest.mark.parametrize(
    "language, text, kept",
    [
        ("en", "I forgot it but found it on a sticky note", "recovered"),
        ("en", "I don't remember it, but I have it written down", "not_by_heart"),
        ("nb", "jeg fant lappen med passordet i skuffen", "lagret_kopi"),
    ],
)
def test_a_copy_kept_or_found_is_left(language, text, kept):
    assert kept in lemmas(language, text)


@pytest.mark.parametrize(
    "language, text, known",
    [
        ("en", "i know my password, i just hate it", "knows_well"),
        ("en", "Remember it perfectly. Want it gone anyway", "knows_well"),
        ("en", "I know it by heart, that's why I want a new one", "knows_well"),
        ("en", "the current one works but I've had it for years", "password_fine"),
        ("en", "current one still works, new one please", "password_fine"),
        ("en", "Forgetting isn't the issue, the policy says I must change it", "lapse_denied"),
        ("en", "I'm not someone who forgets passwords, how do I change mine", "lapse_denied"),
        ("en", "couldn't forget this one if I tried, new one please", "lapse_denied"),
        ("nb", "jeg kan passordet, jeg bare hater det", "kan_gjeldende"),
        ("nb", "nåværende passord virker, men det er gammelt", "kan_gjeldende"),
    ],
)
def test_a_password_known_and_unwanted_is_known(language, text, known):
    words = set(lemmas(language, text))
    assert known in words
    assert not words & FORGETTING


@pytest.mark.parametrize(
    "text",
    [
        # A known password refused, or the current one denied, stays as it was.
        "I know my password but it keeps saying it's wrong",
        "the current one doesn't work",
    ],
)
def test_a_known_password_refused_is_no_password_fine(text):
    words = lemmas("en", text)
    assert "knows_well" not in words and "password_fine" not in words


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "not forgotten, not expired, locked. what now?"),
        ("en", "I haven't forgotten it and it hasn't expired, my account is locked"),
        ("nb", "ikke glemt, ikke utløpt, låst. hva gjør jeg?"),
    ],
)
def test_states_denied_before_a_lockout_read_as_a_denial(language, text):
    words = set(lemmas(language, text))
    assert words & {"denied_state", "avkreftet"}
    assert not words & {"neg_forget", "minne_ok"}


def test_a_denied_forgetting_without_a_lockout_is_left():
    assert "neg_forget" in lemmas("en", "I haven't forgotten it, I just want to change it")


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "Thought it was my son's name backwards. It isn't, and I've run out of ideas."),
        ("en", "I knew it on Friday. Today? Nothing."),
        ("en", "used to know it in my sleep, this morning nothing comes"),
        ("en", "what was my password again?"),
        ("en", "my password has left the building"),
        ("nb", "prøvde bursdagen min, nå er jeg tom for ideer"),
    ],
)
def test_forgetting_told_without_the_word_is_forgetting(language, text):
    assert _forgets(language, text)


@pytest.mark.parametrize(
    "text",
    [
        "what's my password for the guest wifi?",
        "now nothing works",
        "I forget how to change it",
    ],
)
def test_lookalikes_of_a_forgetting_told_without_the_word_are_left(text):
    assert not _forgets("en", text)
