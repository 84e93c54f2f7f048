"""Readings the lead added for session 18's hard development batch (dev_session18_hard): the
old password named and then not had, an empty clause whose subject comes after the negator,
the fragment told before "that's all", the password as a heading answered with nothing."""

import pytest

from readings import lemmas


@pytest.mark.parametrize(
    "language, text, lapse",
    [
        ("en", "it wants my old password, which is the thing I don't have", "forget"),
        ("nb", "siden vil ha det gamle passordet, og det er nettopp det jeg ikke har", "glemme"),
        ("nb", "å bytte krever at man kan det gamle, og det gjør ikke jeg", "glemme"),
        ("nb", "vet at det har et tall i seg. Det er alt jeg vet.", "glemme"),
        ("en", "username fine, the password? not a chance", "forget"),
        ("nb", "brukernavn: husker. passord: null sjanse", "glemme"),
    ],
)
def test_reads_as_forgetting(language, text, lapse):
    assert lapse in lemmas(language, text)


@pytest.mark.parametrize(
    "language, text",
    [
        # No old or current password named; an answer "no" after a question about a new one.
        ("nb", "det jeg ikke har er tid"),
        ("en", "new password? no, I just want to know how long it takes"),
        ("nb", "nytt passord? nei, vil bare vite hvor lang tid det tar"),
    ],
)
def test_reads_no_forgetting(language, text):
    words = lemmas(language, text)
    assert "forget" not in words and "glemme" not in words
