"""The rule lookup of runtime/rasa_speedups.py finds the same rules as Rasa's RulePolicy."""

from __future__ import annotations

import json
import random
from typing import Any, Dict, List, Optional

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import SHOULD_NOT_BE_SET

from runtime import rasa_speedups
from runtime.rasa_speedups import _get_possible_keys

RASA_OWN = RulePolicy.__dict__["_get_possible_keys"]
ACTIONS = ["action_listen", "utter_greet", "utter_bye", "request_form"]
INTENTS = ["greet", "bye", "forgot_password", "affirm"]


def a_state(rng: random.Random, *, in_rule: bool, first: bool = False) -> Dict[str, Any]:
    """A state as Rasa's featurizer makes it (conversation) or stores it in a rule key:
    some without a previous action (a conversation's start), some features left out, and
    in rules SHOULD_NOT_BE_SET and tuples that JSON turned into lists."""
    state: Dict[str, Any] = {}
    if not first or rng.random() < 0.5:
        name = rng.choice(ACTIONS + ([SHOULD_NOT_BE_SET] if in_rule else []))
        state["prev_action"] = (
            {"action_name": name} if rng.random() < 0.9 else {"action_text": name}
        )
    if rng.random() < 0.7:
        intent: Optional[str] = rng.choice(INTENTS + ([SHOULD_NOT_BE_SET, ""] if in_rule else []))
        state["user"] = {"intent": intent}
    if rng.random() < 0.4:
        state["slots"] = {"language": [1.0] if in_rule else (1.0,)}
        if in_rule and rng.random() < 0.3:
            state["slots"] = {"language": SHOULD_NOT_BE_SET}
    if rng.random() < 0.3:
        state["active_loop"] = {"name": rng.choice(["request_form", SHOULD_NOT_BE_SET])}
    return state


def a_lookup(rng: random.Random, rules: int) -> Dict[str, str]:
    lookup = {}
    for _ in range(rules):
        length = rng.randint(1, 5)
        states = [a_state(rng, in_rule=True, first=i == 0) for i in range(length)]
        lookup[json.dumps(states, sort_keys=True)] = rng.choice(ACTIONS)
    return lookup


def a_conversation(rng: random.Random) -> List[Dict[str, Any]]:
    return [a_state(rng, in_rule=False, first=i == 0) for i in range(rng.randint(0, 9))]


@pytest.mark.parametrize("seed", range(20))
def test_rule_lookup_finds_the_keys_rasa_finds(seed):
    rng = random.Random(seed)
    policy = RulePolicy.__new__(RulePolicy)  # the lookup uses no configuration
    lookup = a_lookup(rng, rules=60)
    for _ in range(200):
        states = a_conversation(rng)
        if rng.random() < 0.5 and states:
            # A conversation that ends as a rule does, so that rules fit.
            rule = RulePolicy._rule_key_to_state(rng.choice(list(lookup)))
            states[-len(rule) :] = [
                {
                    sub: {k: tuple(v) if isinstance(v, list) else v for k, v in features.items()}
                    for sub, features in state.items()
                }
                for state in rule
            ]
        assert _get_possible_keys(policy, lookup, states) == RASA_OWN(policy, lookup, states)


def test_rule_lookup_follows_a_lookup_changed_in_place():
    # Training removes rules from the lookup in place (RulePolicy._remove_rule_snippet...).
    rng = random.Random(7)
    policy = RulePolicy.__new__(RulePolicy)
    lookup = a_lookup(rng, rules=30)
    states = a_conversation(rng)
    _get_possible_keys(policy, lookup, states)
    for key in list(lookup)[:10]:
        lookup.pop(key)
    lookup[json.dumps([{"prev_action": {"action_name": "action_listen"}}])] = "utter_greet"
    assert _get_possible_keys(policy, lookup, states) == RASA_OWN(policy, lookup, states)


def test_rule_lookup_installed_with_the_speedups(monkeypatch):
    # The patches are undone afterwards (monkeypatch restores what it set).
    for owner, name, _ in rasa_speedups.REPLACEMENTS:
        monkeypatch.setattr(owner, name, owner.__dict__.get(name), raising=False)
    rasa_speedups.install()
    assert RulePolicy._get_possible_keys is _get_possible_keys
