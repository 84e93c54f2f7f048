"""No long garbage-collection pauses in the served processes.

A loaded Rasa model and its libraries are about 300,000 tracked Python objects that
live as long as the process. CPython's cyclic collector walks all of them in every
full (generation 2) collection, on the event loop, while every user's request waits:
130 to 480 ms each on the bench machine, the p99 of the embedded shape. :func:`freeze`
collects once and moves everything alive at that point (imports, the model, the
servers' own objects) into a permanent generation that no later collection walks;
the raised thresholds make the young collections rarer (a turn's short-lived objects
are freed by reference counting anyway).

A young collection walks what was allocated since the last one and is still alive
(nearly all of it: it freed 1,600 of the 50,000), on the event loop, while every
conversation waits. At 50,000 allocations it was a pause of 9 to 55 ms every 3 to 5 s
at 8 users, the longest single stall of the turns (bench/README.md, "Session 16"); at
10,000 the pauses are 1.3 to 2 ms (a few up to 16 ms on the loaded machine), five times
as often, and took half the collector's time in all. The middle generation is collected
after as many allocations as before (10,000 x 100 = 50,000 x 20), with as much to walk
(none ran in these loads of 12 to 20 s).
"""

from __future__ import annotations

import gc
from functools import wraps
from typing import Any, Callable, Coroutine, Tuple

# Allocations before a young collection (CPython's default: 700), and the number of
# younger collections before an older one (defaults: 10, 10).
THRESHOLDS: Tuple[int, int, int] = (10_000, 100, 100)

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
