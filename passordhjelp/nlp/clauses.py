"""A message's words clause by clause, for the readings that look within one clause."""

from __future__ import annotations

import re
from typing import AbstractSet, List

from passordhjelp.nlp.words import WORD


def split_clauses(
    text: str, clause_end: re.Pattern[str], clause_words: AbstractSet[str]
) -> List[List[str]]:
    """The lower-cased words of ``text`` clause by clause: ``clause_end`` ends a clause, and a
    word of ``clause_words`` ("because", "but", "fordi") starts one."""
    clauses: List[List[str]] = []
    for part in clause_end.split(text.lower()):
        clauses.append([])
        for word in WORD.findall(part):
            if word in clause_words and clauses[-1]:
                clauses.append([])
            clauses[-1].append(word)
    return [clause for clause in clauses if clause]
