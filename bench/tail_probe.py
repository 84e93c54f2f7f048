"""bench/tail.py's probe in the Rasa server, loaded as its ``sitecustomize`` (never otherwise).

Writes one JSON line per garbage collection (generation, milliseconds) and per turn
(``MessageProcessor.handle_message``: wall time, the CPU this turn's own coroutine spent
on the event loop's thread (not the tasks it starts), how many steps it ran in, its longest single step between two awaits, the CPU of its
tracker store read and save, the wall time of its action-server calls) to the file named
by ``PASSORDHJELP_TAIL_PROBE_LOG``, with ``time.monotonic()`` as ``at``. A turn's CPU is
measured at each resumption of its coroutine, so other conversations' work in between is
not counted. Rasa's classes are wrapped once they are imported (a thread looks for them).
``PASSORDHJELP_TAIL_GC_THRESHOLDS`` ("10000,100,100") replaces ``runtime.gc_tuning``'s
thresholds before the server sets them. SIGUSR1 starts a cProfile of the event loop's thread, the next one writes it (``<log>.prof``).
In the action server (``PASSORDHJELP_TAIL_PROBE_ACTIONS`` set), one line per action run by
rasa-sdk's executor: its name, wall time, CPU and steps, as a turn's.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
import types
from contextvars import ContextVar
from typing import Any, Dict, List, Optional

_LOG = os.environ.get("PASSORDHJELP_TAIL_PROBE_LOG")
_lines: List[str] = []
_lock = threading.Lock()


def _write(entry: Dict[str, Any]) -> None:
    with _lock:
        _lines.append(json.dumps(entry))


def _flush_forever() -> None:
    while True:
        time.sleep(0.2)
        with _lock:
            lines = _lines[:]
            _lines.clear()
        if lines and _LOG:
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write("\n".join(lines) + "\n")


_gc_started = [0.0]
# The turn being handled (inherited by the tasks it starts, e.g. ``asyncio.wait_for``'s).
_current: ContextVar[Optional["_Turn"]] = ContextVar("passordhjelp_tail_turn", default=None)


def _on_gc(phase: str, info: Dict[str, Any]) -> None:
    if phase == "start":
        _gc_started[0] = time.perf_counter()
    else:
        _write(
            {
                "kind": "gc",
                "at": time.monotonic(),
                "generation": info.get("generation"),
                "collected": info.get("collected"),
                "ms": (time.perf_counter() - _gc_started[0]) * 1000,
            }
        )


class _Turn:
    def __init__(self) -> None:
        self.steps = 0
        self.cpu = 0.0
        self.longest = 0.0
        self.read = 0.0
        self.save = 0.0
        self.action_wall = 0.0
        self.actions = 0
        self.calls: List[List[Any]] = []


@types.coroutine
def _driven(coro: Any, turn: _Turn) -> Any:
    """Run ``coro`` as ``await coro`` would, adding the thread CPU of each of its steps to
    ``turn`` (and noting the longest step's wall time)."""
    value: Any = None
    error: Optional[BaseException] = None
    while True:
        wall, cpu = time.perf_counter(), time.thread_time()
        turn.steps += 1
        try:
            yielded = coro.throw(error) if error is not None else coro.send(value)
        except StopIteration as stop:
            return stop.value
        finally:
            turn.cpu += time.thread_time() - cpu
            turn.longest = max(turn.longest, time.perf_counter() - wall)
        try:
            value, error = (yield yielded), None
        except BaseException as thrown:  # noqa: BLE001 - passed on to the coroutine
            value, error = None, thrown


def _wrap_processor(processor_class: Any) -> None:
    handle_message = processor_class.handle_message

    async def probed_handle_message(self: Any, message: Any) -> Any:
        turn = _Turn()
        _current.set(turn)
        start = time.perf_counter()
        try:
            return await _driven(handle_message(self, message), turn)
        finally:
            _write(
                {
                    "kind": "turn",
                    "at": time.monotonic(),
                    "text": message.text,
                    "wall_ms": (time.perf_counter() - start) * 1000,
                    "cpu_ms": turn.cpu * 1000,
                    "longest_step_ms": turn.longest * 1000,
                    "read_ms": turn.read * 1000,
                    "save_ms": turn.save * 1000,
                    "action_wall_ms": turn.action_wall * 1000,
                    "actions": turn.actions,
                    "steps": turn.steps,
                    "calls": turn.calls,
                }
            )

    processor_class.handle_message = probed_handle_message


def _timing(owner: Any, name: str, field: str, clock: Any) -> None:
    original = getattr(owner, name)

    async def timed(*args: Any, **kwargs: Any) -> Any:
        turn = _current.get()
        start, sent = clock(), time.monotonic()
        try:
            return await original(*args, **kwargs)
        finally:
            if turn is not None:
                setattr(turn, field, getattr(turn, field) + clock() - start)
                if field == "action_wall":
                    turn.actions += 1
                    body = kwargs.get("json") or {}
                    turn.calls.append(
                        [
                            body.get("next_action"),
                            (clock() - start) * 1000,
                            body.get("sender_id"),
                            sent,
                            time.monotonic(),
                        ]
                    )

    setattr(owner, name, timed)


def _wrap_executor(executor_class: Any) -> None:
    run = executor_class.run

    async def probed_run(self: Any, action_call: Any) -> Any:
        turn = _Turn()
        start, started = time.perf_counter(), time.monotonic()
        try:
            return await _driven(run(self, action_call), turn)
        finally:
            _write(
                {
                    "kind": "action",
                    "at": time.monotonic(),
                    "name": (action_call or {}).get("next_action"),
                    "sender": (action_call or {}).get("sender_id"),
                    "started": started,
                    "wall_ms": (time.perf_counter() - start) * 1000,
                    "cpu_ms": turn.cpu * 1000,
                    "longest_step_ms": turn.longest * 1000,
                    "steps": turn.steps,
                }
            )

    executor_class.run = probed_run


def _wrap_when_imported() -> None:
    done = set()
    if os.environ.get("PASSORDHJELP_TAIL_PROBE_ACTIONS"):
        # The action server: its executor's runs only.
        while "rasa_sdk.executor" not in sys.modules or not hasattr(
            sys.modules["rasa_sdk.executor"], "ActionExecutor"
        ):
            time.sleep(0.05)
        _wrap_executor(sys.modules["rasa_sdk.executor"].ActionExecutor)
        return
    while len(done) < 3 + bool(os.environ.get("PASSORDHJELP_TAIL_GC_THRESHOLDS")):
        time.sleep(0.05)
        processor = sys.modules.get("rasa.core.processor")
        if "processor" not in done and processor is not None:
            if hasattr(processor, "MessageProcessor"):
                _wrap_processor(processor.MessageProcessor)
                done.add("processor")
        store = sys.modules.get("runtime.tracker_store")
        if "store" not in done and store is not None:
            if hasattr(store, "FailClosedSQLTrackerStore"):
                # Thread CPU, counted while the turn's coroutine runs (the SQLite store's
                # statements run on the loop): close to the store's own CPU.
                cls = store.FailClosedSQLTrackerStore
                _timing(cls, "retrieve", "read", time.thread_time)
                _timing(cls, "save", "save", time.thread_time)
                done.add("store")
        thresholds = os.environ.get("PASSORDHJELP_TAIL_GC_THRESHOLDS")
        tuning = sys.modules.get("runtime.gc_tuning")
        if thresholds and "gc" not in done and tuning is not None:
            # Before the server's freeze reads them (an experiment's other thresholds).
            tuning.THRESHOLDS = tuple(int(n) for n in thresholds.split(","))
            done.add("gc")
        endpoints = sys.modules.get("rasa.utils.endpoints")
        if "endpoints" not in done and endpoints is not None:
            if hasattr(endpoints, "EndpointConfig"):
                _timing(endpoints.EndpointConfig, "request", "action_wall", time.perf_counter)
                done.add("endpoints")


_profiler: List[Any] = []


def _toggle_profile(_signum: int, _frame: Any) -> None:
    """SIGUSR1: start a cProfile (CPU clock) of this thread (the event loop's), or stop it
    and write its stats next to the log (``<log>.prof``)."""
    import cProfile

    if not _profiler:
        _profiler.append(cProfile.Profile(time.thread_time))
        _profiler[0].enable()
    else:
        profiler = _profiler.pop()
        profiler.disable()
        profiler.dump_stats(f"{_LOG}.prof.part")
        os.replace(f"{_LOG}.prof.part", f"{_LOG}.prof")


if _LOG:
    import signal

    signal.signal(signal.SIGUSR1, _toggle_profile)
    gc.callbacks.append(_on_gc)
    threading.Thread(target=_flush_forever, daemon=True).start()
    threading.Thread(target=_wrap_when_imported, daemon=True).start()
