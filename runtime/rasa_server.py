"""The one way Passordhjelp starts Rasa: Rasa's own CLI, with our speed-up installed and
third-party deprecation warnings silenced.

    python -m runtime.rasa_server run --model models/passordhjelp.tar.gz --port 5005 ...

It takes the arguments of the ``rasa`` command. `make run`, the tests, the benchmark
and the container image start Rasa through it.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Optional, Sequence

# Warnings Rasa's dependencies (TensorFlow, SQLAlchemy, sanic, pkg_resources...) print at
# start-up: they are for Rasa's maintainers, not for a person running the assistant.
_SILENCED_CATEGORIES = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


def silence_third_party_warnings() -> None:
    """Ignore deprecation notices and TensorFlow's start-up chatter; Rasa's own warnings
    still show. Must run before Rasa is imported."""
    # Settings of TensorFlow and SQLAlchemy themselves, as the Makefile exports them.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    for category in _SILENCED_CATEGORIES:
        warnings.filterwarnings("ignore", category=category)
    # SQLAlchemy 1.4's "2.0 migration" notice is a subclass of none of the above.
    warnings.filterwarnings("ignore", message=".*SQLAlchemy 2.0.*")


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Run the ``rasa`` command line with ``argv`` (default: this process's arguments)."""
    silence_third_party_warnings()
    # Imported only now: importing Rasa prints the warnings silenced above.
    from rasa.__main__ import main as rasa_main

    from runtime import rasa_speedups

    rasa_speedups.install()

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
