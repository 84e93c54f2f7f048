"""Words as the readings count them: runs of letters and digits ("it's" -> it, s)."""

import re
from typing import List

WORD = re.compile(r"\w+")


def words_of(text: str) -> List[str]:
    """The lower-cased words of ``text``, in order."""
    return WORD.findall(text.lower())
