"""The one way Passordhjelp starts Rasa: Rasa's own CLI with our changes to it installed
(no TensorFlow import unless the model runs it, the cached action-answer check, the
graph run without dask, no copies for dropped debug log lines, the language slot
validated and the actions that only read the conversation run in process, kept connections to the action server, visible action failures,
Sanic workers with a listening socket each, the garbage collector kept off the loaded
model) and third-party deprecation warnings silenced.

    python -m runtime.rasa_server run --model models/passordhjelp.tar.gz --port 5005 ...

It takes the arguments of the ``rasa`` command. `make run`, the tests, the benchmark
and the container image start Rasa through it.
"""

from __future__ import annotations

import sys
from typing import Optional, Sequence

from runtime.quiet import silence_third_party_warnings


def install_changes() -> None:
    """Install our changes to Rasa (after ``lean_imports.install`` and Rasa's import): the
    server's, and the in-process measurements' (bench/message_cpu.py), same set."""
    from passordhjelp.bootstrap import services
    from runtime import (
        action_failures,
        debug_logs,
        in_process_actions,
        kept_sessions,
        language_slot,
        rasa_speedups,
        sanic_workers,
    )

    rasa_speedups.install()
    debug_logs.install()
    language_slot.install()
    in_process_actions.install()
    kept_sessions.install()
    sanic_workers.install()
    action_failures.install(timeout=lambda: services().settings.action_timeout_seconds)


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Run the ``rasa`` command line with ``argv`` (default: this process's arguments)."""
    silence_third_party_warnings()
    # pyparsing's deprecation notices are UserWarnings too, which Rasa's CLI asks to see
    # once, ahead of the filters above: the libraries that trigger them while being
    # imported (matplotlib, packaging) are loaded now, while they are still ignored.
    import matplotlib  # noqa: F401
    import packaging.requirements  # noqa: F401

    from runtime import lean_imports

    # Before Rasa core and spaCy are imported: no TensorFlow unless the model runs it.
    lean_imports.install()

    # Imported only now: importing Rasa prints the warnings silenced above.
    from rasa.__main__ import main as rasa_main

    from runtime import gc_tuning

    install_changes()
    # Once the model is loaded: no full garbage collection walks it (the p99 pauses).
    gc_tuning.install()

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
