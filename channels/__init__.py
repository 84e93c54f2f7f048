"""Rasa input channels wrapped so every message passes the message guard first."""
