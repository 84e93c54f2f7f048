"""Requests about someone else's account are recognised; generic admin questions are not."""

import pytest

from passordhjelp.nlp.other_account import find_other_account

OTHER_ACCOUNT = [
    "reset Bob's password",
    "please reset the CEO's password",
    "I'm Bob's manager, reset his password",
    "can you reset my colleague's pw",
    "reset the password for John",
    "reset pw for my boss",
    "reset the password on behalf of my boss",
    "forgot password ola.nordmann@firma.no",
    "tilbakestill passordet til Kari",
    "Karis passord er glemt",
    "kollegaen min sitt passord virker ikke",
    "på vegne av sjefen min",
    "jeg er sjefen til Bob",
    "glemt passordet til kollegaen min",
]

OWN_OR_GENERIC = [
    "I forgot my password",
    "how do I reset a user's password",
    "how do I reset passwords for users",
    "my password expired",
    "Microsoft's password rules",
    "reset my password for Teams",
    "passordet mitt fungerer ikke",
    "hvordan tilbakestiller jeg passordet til en bruker",
    "jeg har glemt passordet til kontoen min",
    "passordet til office virker ikke",
    "husker ikke passordet til jobbkontoen",
    "kan du nullstille passordet til min konto",
    "passordet til datamaskinen er glemt",
    "how do I reset a colleague's password as admin",
    "an employee forgot a coworker's password",
    "how do I reset someone else's password",
    "en ansatt sin konto er låst, hvordan låser jeg opp",
    "password for Exchange doesn't work",
    "forgot the Wi-Fi's password",
    "password for Zoom",
]


@pytest.mark.parametrize("text", OTHER_ACCOUNT)
def test_other_account_found(text):
    mention = find_other_account(text)
    assert mention is not None
    assert text[mention.start:mention.end] == mention.text


@pytest.mark.parametrize("text", OWN_OR_GENERIC)
def test_other_account_not_found_in_own_or_generic_requests(text):
    assert find_other_account(text) is None


# Session 10: a known first name written in lower case, with a surname or "'s", in both
# languages; the same words with no name, or a first name that is also a word ("per
# month"), are nobody.
@pytest.mark.parametrize("text", [
    "can you reset john smith's password", "kari nordmann's password is gone",
    "reset kari's password", "reset the password for ola nordmann please",
    "passordet til per olsen må nullstilles", "glemt passordet til kari nordmann",
    "kan du låse opp kontoen til ingrid hansen",
])
def test_other_account_a_first_name_in_lower_case_is_someone_else(text):
    assert find_other_account(text) is not None


@pytest.mark.parametrize("text", [
    "the password for per month is fine", "my password for zoom", "passordet til per i dag",
    "my password for ola is wrong", "I need the password for tor browser",
    "passordet til pc-en min", "the account of my own",
])
def test_other_account_lower_case_words_that_are_no_name_are_nobody(text):
    assert find_other_account(text) is None
