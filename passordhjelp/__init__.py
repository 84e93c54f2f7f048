"""Passordhjelp service layer: password-help rules that run without Rasa.

Rasa's custom actions (``actions/``) and NLU components (``components/``) are thin
adapters over the modules in this package.
"""
