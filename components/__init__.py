"""Rasa NLU graph components: thin adapters over ``passordhjelp.nlp``."""
