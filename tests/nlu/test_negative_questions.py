"""A question opened by a negated verb before its subject asks for a yes and denies nothing
(session 18): "didn't I file one last week?" asks about an earlier request, it withdraws none.
And "husker jeg ikke feil" is "if I remember right", no forgetting."""

import pytest

from readings import lemmas


@pytest.mark.parametrize(
    "language, text, kept",
    [
        ("en", "didn't I send in a request like that last week?", "send"),
        ("en", "but did I not file one already?", "file"),
        ("en", "hmm, haven't you already sent my request?", "earlier_request"),
        ("nb", "sendte jeg ikke inn en sånn forespørsel i forrige uke?", "sendte"),
        ("nb", "men la du ikke inn en sak for meg i går?", "forespørsel"),
    ],
)
def test_negative_question_negates_nothing(language, text, kept):
    words = lemmas(language, text)
    assert kept in words
    assert not any(word.startswith("neg_") for word in words)


@pytest.mark.parametrize(
    "language, text, negated",
    [
        # A statement, a question word before the verb, a condition: the negation stands.
        ("en", "I didn't send it.", "neg_send"),
        ("en", "why didn't you send my request?", "neg_send"),
        ("en", "didn't send it yet", "neg_send"),
        ("nb", "sendte ikke inn forespørselen", "neg_forespørsel"),
        ("nb", "hvorfor sendte du ikke forespørselen min?", "neg_forespørsel"),
        ("nb", "sendte jeg ikke inn forespørselen, så må jeg gjøre det nå.", "neg_forespørsel"),
    ],
)
def test_negation_outside_a_negative_question_stands(language, text, negated):
    assert negated in lemmas(language, text)


def test_not_remembering_wrongly_is_no_forgetting():
    assert "glemme" not in lemmas("nb", "husker jeg ikke feil går passordet ut i morgen")
    assert "glemme" not in lemmas("nb", "om jeg ikke husker feil må det byttes hver 90. dag")
    assert "glemme" in lemmas("nb", "husker ikke passordet")


def test_knowing_in_a_relative_clause_is_not_denied_by_the_main_verb():
    # "passordet jeg kan blir ikke godtatt": the main clause's "ikke" denies the acceptance.
    assert "glemme" not in lemmas("nb", "passordet jeg kan blir ikke godtatt lenger")
    assert "glemme" in lemmas("nb", "kan det ikke")
