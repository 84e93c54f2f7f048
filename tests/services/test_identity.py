"""Requester identities: which sender ids are accepted, and how they are shown."""

import pytest

from passordhjelp.identity import is_sane_sender_id, printable, requester_from_conversation


@pytest.mark.parametrize("sender_id", [
    "T0ACME:U0KARI", "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d:00000000-0000-0000-0000-000000000001",
    "kari@contoso.no", "kari.o'hara+it@contoso.no", "åse@firma.no", "0f" * 16, "k" * 255,
])
def test_identity_accepts_the_ids_channels_produce(sender_id):
    assert is_sane_sender_id(sender_id)
    assert requester_from_conversation("socketio", sender_id).sender_id == sender_id


@pytest.mark.parametrize("sender_id", [
    "", " ", "k" * 256, "kari\nnext line", "kari\x1b[31m", "<!channel>", "*boss*",
    "[x](https://evil.example)", "kari\u202e", "kari\u200b", "a b", None, 5,
])
def test_identity_refuses_ids_with_markup_controls_or_spaces(sender_id):
    assert not is_sane_sender_id(sender_id)
    assert requester_from_conversation("socketio", sender_id) is None


def test_identity_printable_replaces_what_a_terminal_would_act_on():
    assert printable("kari\x1b]0;x\x07\u202e\u200bok é") == "kari?]0;x???ok é"
