"""The lemmas the NLU pipeline gives a text: what the reading tests of tests/nlu assert on."""

from passordhjelp.nlp.pipelines import pipeline


def lemmas(language, text, **options):
    """Each word's lemma (punctuation left out), ``options`` passed to ``pipeline``."""
    return [t.lemma_ for t in pipeline(language, **options)(text) if not t.is_punct]
