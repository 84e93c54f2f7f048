"""The one way Passordhjelp starts Rasa: Rasa's own CLI, with our speed-up installed and
third-party deprecation warnings silenced.

    python -m runtime.rasa_server run --model models/passordhjelp.tar.gz --port 5005 ...

It takes the arguments of the ``rasa`` command. `make run`, the tests, the benchmark
and the container image start Rasa through it.
"""

from __future__ import annotations

import sys
from typing import Optional, Sequence

from runtime.quiet import silence_third_party_warnings


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
