"""Rasa input channels, each passing every message through ``channels.guard`` first."""
