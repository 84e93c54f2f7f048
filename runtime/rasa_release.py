"""The one Rasa release that runtime's changes to Rasa's behaviour were read against.

Each change replaces or wraps a private part of Rasa; on another release that part may
work differently, so each refuses to install there until someone has checked it.
"""

WRITTEN_FOR_RASA = "3.6.21"


def require_written_for(rasa_version: str, *, changed_by: str, check: str) -> None:
    """Refuse to change Rasa's behaviour on a release it was not read against.

    Raises:
        RuntimeError: naming the module that makes the change and what to check
            in the new release before updating ``runtime.rasa_release.WRITTEN_FOR_RASA``.
    """
    if rasa_version != WRITTEN_FOR_RASA:
        raise RuntimeError(
            f"{changed_by} was written for Rasa {WRITTEN_FOR_RASA}, found {rasa_version}: "
            f"check {check}"
        )
