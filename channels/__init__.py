"""Rasa input channels wrapped so every message passes the message guard first.

Rasa loads this package in the server process (credentials.yml names its
channels), which is where the action-result check is made cheaper.
"""

from runtime import rasa_speedups

rasa_speedups.install()
