"""``Domain.is_empty`` builds the empty domain it compares with once (runtime/rasa_speedups.py)
and answers as Rasa's does."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

from runtime import rasa_speedups

RASAS = Domain.is_empty
PROJECT_DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"


@pytest.mark.parametrize(
    "domain",
    [
        Domain.empty(),
        Domain.from_dict({}),
        Domain.from_dict({"intents": ["greet"]}),
        Domain.from_dict({"responses": {"utter_hei": [{"text": "Hei"}]}}),
        Domain.load(PROJECT_DOMAIN),
    ],
    ids=["empty", "from nothing", "one intent", "one response", "the project's"],
)
def test_domain_is_empty_answers_as_rasas(domain: Domain) -> None:
    assert rasa_speedups._domain_is_empty(domain) is RASAS(domain)


def test_domain_is_empty_builds_the_empty_domain_once(monkeypatch) -> None:
    domain = Domain.load(PROJECT_DOMAIN)
    built = []
    rasas_empty = Domain.empty.__func__
    monkeypatch.setattr(
        Domain, "empty", classmethod(lambda cls: built.append(1) or rasas_empty(cls))
    )
    monkeypatch.setattr(Domain, "is_empty", rasa_speedups._domain_is_empty)
    rasa_speedups._empty_domain_data.cache_clear()
    assert [domain.is_empty() for _ in range(5)] == [False] * 5
    assert len(built) == 1
