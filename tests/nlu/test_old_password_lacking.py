"""The old or current password said to be missing in Norwegian ("vil bytte, men har ikke det
gamle", "mangler det nåværende passordet"), session 19: what a change needs is not there, so the
writer has forgotten it. A negated forgetting of the old password ("har ikke glemt det gamle")
stays a known password."""

import pytest

from readings import lemmas


@pytest.mark.parametrize(
    "text",
    [
        "vil gjerne bytte passordet, men jeg har ikke det gamle",
        "skal endre det, har ikke lenger det nåværende",
        "mangler det gamle passordet, så jeg får ikke byttet",
        "hadde ikke det opprinnelige passordet da jeg skulle bytte",
    ],
)
def test_old_password_not_had_reads_as_forgetting(text):
    assert "glemme" in lemmas("nb", text)


@pytest.mark.parametrize(
    "text",
    [
        "jeg har ikke glemt det gamle passordet, vil bare bytte",
        "har ikke byttet siden det gamle gikk ut",
        "det gamle passordet husker jeg godt",
    ],
)
def test_other_negations_near_the_old_password_read_as_before(text):
    assert "glemme" not in lemmas("nb", text)
