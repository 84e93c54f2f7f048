"""No long garbage-collection pauses in the served processes.

A loaded Rasa model and its libraries are about 300,000 tracked Python objects that
live as long as the process. CPython's cyclic collector walks all of them in every
full (generation 2) collection, on the event loop, while every user's request waits:
130 to 480 ms each on the bench machine, the p99 of the embedded shape. :func:`freeze`
collects once and moves everything alive at that point (imports, the model, the
servers' own objects) into a permanent generation that no later collection walks;
the raised thresholds make the young collections rarer (a turn's short-lived objects
are freed by reference counting anyway).
"""

from __future__ import annotations

import gc
from functools import wraps
from typing import Any, Callable, Coroutine, Tuple

# Allocations before a young collection (CPython's default: 700), and the number of
# younger collections before an older one (defaults: 10, 10).
THRESHOLDS: Tuple[int, int, int] = (50_000, 20, 100)

Listener = Callable[..., Coroutine[Any, Any, Any]]


def freeze() -> None:
    """Collect once, keep every object alive now out of all later collections, and
    raise the thresholds to :data:`THRESHOLDS`."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def freezing_after(load: Listener) -> Listener:
    """``load`` (an async Sanic listener that loads the model), then :func:`freeze`."""

    @wraps(load)
    async def load_then_freeze(*args: Any, **kwargs: Any) -> Any:
        result = await load(*args, **kwargs)
        freeze()
        return result

    return load_then_freeze


def install() -> None:
    """Freeze each Rasa server process (each Sanic worker) once its model is loaded.

    ``rasa.core.run.serve_application`` registers ``load_agent_on_start`` (looked up
    in its module when the server starts) as the ``before_server_start`` listener.
    """
    import rasa.core.run

    rasa.core.run.load_agent_on_start = freezing_after(rasa.core.run.load_agent_on_start)
