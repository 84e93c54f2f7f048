"""Rasa input channels wrapped so every message passes the message guard first.

Rasa loads this package in the server process (credentials.yml names its
channels), which is where the action-result check is made cheaper and custom
action failures are made visible to the user.
"""

from passordhjelp.bootstrap import services
from runtime import action_failures, rasa_speedups

rasa_speedups.install()
action_failures.install(timeout=lambda: services().settings.action_timeout_seconds)
