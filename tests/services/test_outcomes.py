"""Outcome counts per day on a real database."""

from datetime import date

from passordhjelp.outcomes import Outcome, OutcomeCounter
from passordhjelp.repository import SqlOutcomeStore, create_engine


def test_outcomes_counted_per_day_and_outcome(database_url):
    days = iter([date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 25), date(2026, 11, 25)])
    counter = OutcomeCounter(SqlOutcomeStore(create_engine(database_url)), today=lambda: next(days))

    for outcome in (Outcome.HANDOFF, Outcome.REQUEST_FILED, Outcome.REQUEST_FILED,
                    Outcome.FEEDBACK_UP):
        counter.count(outcome)

    table = counter.table(since=date(2026, 11, 1))
    assert list(table) == [date(2026, 11, 24), date(2026, 11, 25)]
    assert table[date(2026, 11, 24)][Outcome.HANDOFF] == 1
    assert table[date(2026, 11, 25)][Outcome.REQUEST_FILED] == 2
    assert table[date(2026, 11, 25)][Outcome.FEEDBACK_UP] == 1
    assert table[date(2026, 11, 25)][Outcome.HANDOFF] == 0
    assert counter.table(since=date(2026, 11, 25)).keys() == {date(2026, 11, 25)}


def test_outcomes_database_down_does_not_raise():
    counter = OutcomeCounter(SqlOutcomeStore(create_engine("postgresql://nobody@127.0.0.1:1/x")))
    counter.count(Outcome.FALLBACK)
