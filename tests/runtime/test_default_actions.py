"""Rasa's default actions are built once per action endpoint (runtime/rasa_speedups.py),
not for every action looked up: the same actions, with the endpoint each was asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.actions import action as rasa_actions
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from runtime import rasa_speedups

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


@pytest.fixture(autouse=True)
def installed(monkeypatch):
    for owner, name, _ in rasa_speedups.REPLACEMENTS:
        monkeypatch.setattr(owner, name, owner.__dict__.get(name), raising=False)
    rasa_speedups.install()


def test_the_same_default_actions_as_rasa_builds():
    endpoint = EndpointConfig("http://localhost:5055/webhook")
    built = rasa_actions.default_actions(endpoint)
    rasa_own = rasa_speedups._rasa_default_actions(endpoint)
    assert [(type(a), a.name()) for a in built] == [(type(a), a.name()) for a in rasa_own]
    assert built[-1]._action_endpoint is endpoint  # action_extract_slots


def test_looked_up_twice_the_default_action_is_not_built_again(domain):
    endpoint = EndpointConfig("http://localhost:5055/webhook")
    first = rasa_actions.action_for_name_or_text("action_extract_slots", domain, endpoint)
    again = rasa_actions.action_for_name_or_text("action_extract_slots", domain, endpoint)
    assert again is first


def test_another_endpoint_gets_default_actions_of_its_own(domain):
    one, other = EndpointConfig("http://a:5055/webhook"), EndpointConfig("http://b:5055/webhook")
    first = rasa_actions.action_for_name_or_text("action_extract_slots", domain, one)
    second = rasa_actions.action_for_name_or_text("action_extract_slots", domain, other)
    assert second is not first and second._action_endpoint is other
