"""The served processes keep the loaded model out of the garbage collector's walks."""

from __future__ import annotations

import asyncio
import gc
from typing import Any, Dict, Iterator

import pytest
import rasa.core.run

from runtime import gc_tuning


@pytest.fixture
def collector() -> Iterator[None]:
    """Put the collector back as the test found it."""
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_freeze_keeps_what_is_alive_out_and_raises_the_thresholds(collector: None) -> None:
    gc.unfreeze()
    gc_tuning.freeze()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == gc_tuning.THRESHOLDS


def test_the_rasa_entry_point_freezes_once_the_model_is_loaded(
    collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from runtime import (
        action_failures,
        kept_sessions,
        lean_imports,
        rasa_server,
        rasa_speedups,
        sanic_workers,
    )

    # Only the collector is under test: the other changes to Rasa stay uninstalled.
    for module in (lean_imports, rasa_speedups, kept_sessions, sanic_workers, action_failures):
        monkeypatch.setattr(module, "install", lambda *args, **kwargs: None)
    seen: Dict[str, Any] = {}

    async def load_agent_on_start(*args: Any) -> str:
        seen["frozen while loading"] = gc.get_freeze_count()
        return "agent"

    def serve() -> None:
        # What Rasa's server does: the listener it registered runs before serving.
        seen["loaded"] = asyncio.run(rasa.core.run.load_agent_on_start("model", None, None))
        seen["frozen when serving"] = gc.get_freeze_count()
        seen["thresholds when serving"] = gc.get_threshold()

    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", load_agent_on_start)
    monkeypatch.setattr("rasa.__main__.main", serve)
    monkeypatch.setattr("sys.argv", ["rasa"])
    gc.unfreeze()

    rasa_server.main(["run"])

    assert seen["loaded"] == "agent"
    assert seen["frozen while loading"] == 0
    assert seen["frozen when serving"] > 0
    assert seen["thresholds when serving"] == gc_tuning.THRESHOLDS
