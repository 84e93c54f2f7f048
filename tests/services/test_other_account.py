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
