"""Blank spaCy pipelines per language, with lookup lemmas (spacy-lookups-data plus ours)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict

import spacy
import yaml
from spacy.language import Language

SUPPORTED_LANGUAGES = ("en", "nb")
_DOMAIN_LEMMAS = Path(__file__).with_name("domain_lemmas.yml")


@lru_cache(maxsize=1)
def _domain_lemmas() -> Dict[str, Dict[str, str]]:
    """Inflections of our own vocabulary that the public lookup tables lack."""
    raw = yaml.safe_load(_DOMAIN_LEMMAS.read_text(encoding="utf-8"))
    return {
        language: {form: lemma for lemma, forms in entries.items() for form in forms}
        for language, entries in raw.items()
    }


@lru_cache(maxsize=None)
def pipeline(language: str) -> Language:
    """A tokenizer and lookup lemmatizer for ``language`` ("en" or "nb").

    spaCy's language-specific tokenizer rules split "can't" and "pw:" the
    English way and keep Norwegian compounds and "Kari's" whole.
    """
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    nlp = spacy.blank(language)
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    table = lemmatizer.lookups.get_table("lemma_lookup")
    for form, lemma in _domain_lemmas().get(language, {}).items():
        table[form] = lemma
    return nlp
