"""Server start-up without third-party deprecation notices: they are for the maintainers
of Rasa's dependencies, not for a person running the assistant."""

from __future__ import annotations

import logging
import os
import warnings

_SILENCED_CATEGORIES = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


def silence_third_party_warnings() -> None:
    """Ignore deprecation notices, TensorFlow's start-up chatter and spaCy's progress
    notes; other warnings still show. Call before importing Rasa or rasa-sdk, which print them on import."""
    # Settings of TensorFlow and SQLAlchemy themselves, as the Makefile exports them.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    _ignore_deprecations()
    # spaCy reports each blank pipeline it builds ("Created vocabulary") at INFO, on the
    # first message that needs one.
    logging.getLogger("spacy").setLevel(logging.WARNING)
    # Importing sanic puts "show every DeprecationWarning once" ahead of the filters
    # above: import it now, then put ours first again.
    import sanic.app  # noqa: F401

    _ignore_deprecations()


def _ignore_deprecations() -> None:
    for category in _SILENCED_CATEGORIES:
        warnings.filterwarnings("ignore", category=category)
    # SQLAlchemy 1.4's "2.0 migration" notice is a subclass of none of the above.
    warnings.filterwarnings("ignore", message=".*SQLAlchemy 2.0.*")
