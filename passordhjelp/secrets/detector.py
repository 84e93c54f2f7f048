"""Finds passwords, codes and keys written in a sentence: token shape plus the words around it.

Like Yelp's detect-secrets, two kinds of evidence are combined: what a token looks
like (character classes, length, whether it is a word of English or Norwegian, a
known harmless format such as a reference, date or error code) and what stands
around it (a password, code or key word, a copula or colon, a verb such as
"typed" or "prøvde", "X is my password"). The stronger the shape, the less context
a token needs:

- ``STRONG`` (three character classes, or long and random): a secret anywhere;
- ``MEDIUM`` (letters and digits, or letters and symbols): with any cue nearby, or alone;
- ``ODD`` (not a word): right after a cue, or named as the password;
- ``WORD`` (a noun of the language): as the value of "password is/er/:", after a
  typing verb, in a pair with a user name, or before "is what I use";
- predicates, function words and the objects of prepositions ("expired", "feil",
  "i orden"): never.

Quoted spans are candidates too, so a quoted passphrase is removed whole; after
"passphrase"/"setningen" a phrase runs over function words to the next punctuation.
After the pass, one word written several ways ("Rosebud1 or rosebud1") is taken as a
list of passwords tried. One pass over the tokens with bounded look-around: linear in
the message length.
"""

from __future__ import annotations

import bisect
import enum
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Tuple

import yaml

from passordhjelp.secrets.formats import Span
from passordhjelp.secrets.words import Vocabulary, vocabulary

_CUES_FILE = Path(__file__).with_name("cues.yml")

_TOKEN = re.compile(r"\S+")
_LEADING = "\"'«“‘([{*_`"
_TRAILING = "\"'»”’)]},.;:?_`"
_QUOTED = re.compile(
    r"\"([^\"\n]{1,120})\"|“([^”\n]{1,120})”|«([^»\n]{1,120})»|"
    r"(?<![\w])'([^'\n]{1,120})'(?![\w])|`([^`\n]{1,120})`"
)
_DIGIT_GROUP = re.compile(r"^(?:\d{3}|\d{4})$")
_LABEL_SPLIT = re.compile(r"^([^\W\d_][\w-]{0,24})([:=])([^/].*)$")  # "pw:x", "tlf:9123"

# Harmless formats that look like passwords at a glance.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[A-Za-z]{2,}$")
# "ssh root@10.0.4.17": a user at a machine's address, what one signs in to
_USER_AT_ADDRESS = re.compile(r"^[\w.-]{1,64}@(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?$")
_URL = re.compile(r"^(?:https?://|www\.)", re.IGNORECASE)
_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_HEX = re.compile(r"^0[xX][0-9a-fA-F]{1,16}$")
_VERSION = re.compile(
    r"^(?:[vV]\.?)?\d{1,4}(?:\.\d{1,5}){1,3}[a-z]?"
    r"(?:-(?:alpha|beta|rc|pre|preview|dev|build)\.?\d{0,4})?$|^\d{2}[hH]\d$",  # 3.2.1-beta2
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"^[+#(]?\d[\d\s.,:/()+-]*$")
_QUANTITY = re.compile(
    r"^[$€£]?\d{1,6}(?:[.,]\d{1,3})?(?:st|nd|rd|th|x|gb|mb|tb|kb|ghz|mhz|mp|kr|nok|usd|eur|"
    r"%|min|mins|sek|sec|secs|s|h|t|timer|dager|d|m|km|k|p|px|am|pm|ms|ndre|dje|de|ende)$",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"^(?:kl\.?)?\d{1,2}(?:[:.]\d{2}){0,2}(?:am|pm)?"
    r"(?:[-–]\d{1,2}(?:[:.]\d{2}){0,2}(?:am|pm)?)?$",
    re.IGNORECASE,
)
_IDENTIFIER = re.compile(r"^[A-Z0-9]{1,20}(?:[-_/.#:][A-Z0-9]{1,20}){0,5}$")
_FILE = re.compile(
    r"\.(?:docx?|xlsx?|pptx?|pdf|txt|png|jpe?g|gif|csv|zip|exe|msi|log|ps1|"
    r"json|ya?ml|xml|html?|eml|msg|one|pst|ost|vsdx?)$",
    re.IGNORECASE,
)
_DIGIT_WORD = re.compile(r"^\d{1,3}-[^\W\d_]{2,}$")  # 2-faktor, 6-sifret
_POSSESSIVE = re.compile(r"^[^\W\d_]{1,40}['’][a-z]{1,2}$")  # Kari's, don't
_HANDLE = re.compile(r"^[@#][^\W\d_]")
_PRODUCT_VERSION = re.compile(
    r"^([^\W\d_]{1,12})[-\s]?(\d{1,4}(?:\.\d{1,5}){0,3}[a-z]{0,5})$", re.IGNORECASE
)
_DATE = re.compile(
    r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?)?$|"
    r"^(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])$|"  # 12/06: a day and a month
    r"^\d{1,2}[./-]?(?:jan|feb|mar|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|de[sc])"
    r"[a-z]{0,6}[./-]?\d{0,4}$",
    re.IGNORECASE,
)
_DOMAIN = re.compile(
    r"^[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,4}\.[a-z]{2,12}(?:/\S*)?$", re.IGNORECASE
)
_CONTRACTION = re.compile(r"^[^\W\d_]{1,20}['’][^\W\d_]{1,3}$")
_USER_NAME = re.compile(r"^[^\W\d_]{1,30}[._][^\W\d_]{1,30}\d{0,4}$")  # kari.nordmann
_PHONE = re.compile(r"^(?:\+|00)\d{7,15}$|^[49]\d{7}$")
_REFERENCE = re.compile(
    r"^[A-Za-z]{1,6}-(?=[A-Za-z]{0,11}\d)(?=\d{0,11}[A-Za-z])[A-Za-z0-9]{4,12}$"
)
_ID_PREFIX = re.compile(r"^([A-Za-z]{1,8})[-_#]?\d{2,14}$")
_PLAIN_USER = re.compile(r"^[a-z][a-z0-9]{1,19}$")  # kari, kn1234
_CONTINUATION = re.compile(r"^(?:\d{1,4}|[^\w\s]{1,3}\d{0,4}|\d{1,4}[^\w\s]{1,3})$")
_CODE_LIKE = re.compile(r"^(?=[A-Z]{0,9}\d)[A-Z0-9]{4,10}$|^\d{4,10}$")  # A7K2P9
# A sign-in code typed in groups ("7GX-4KQ", "K4MQ-8TZ2"), each group with a digit in it or
# all in capitals: shown by Slack, Microsoft and banks; a reference has a prefix word instead.
_GROUPED_CODE = re.compile(
    r"^(?=[A-Z0-9-]*\d)[A-Z0-9]{3,4}(?:-[A-Z0-9]{3,4}){1,2}$|^[A-Z]{3}-[A-Z]{3}$"
)
# A letter named in a spelling: "two S'S", "to R-ER", "double L's".
_LETTER_NAMED = re.compile(r"^[a-zæøå](?:['’]s|-er|-ar|-ene)$")
_CLOCK_TIME = re.compile(r"^\d{1,2}[:.]\d{2}$")
_SHORT_ID = re.compile(r"^[a-z]{1,3}\d{3,8}$")  # kn1234: a user or employee id
_MARKUP = re.compile(r"</?[A-Za-z][^<>]{0,100}>|://|^\$\{|^\{\{")  # <b>, ${jndi:, {{x}}
_BUTTON_PAYLOAD = re.compile(r"^/[a-z_]{1,64}$")  # what a button sends: /human_handoff
_SHORT_CODE_PART = re.compile(r"^(?=[A-Za-z]{0,4}\d)[A-Za-z0-9]{2,5}$")  # dc01, 3f01, ap12
_COUNTRY_CODE = re.compile(r"^\+\d{1,3}$")
_GROUPED_PHONE = re.compile(r"^\+\d{1,3}(?: \d{1,4}){2,7}$")  # +44 20 7946 0018
_SPACED_PHONE = re.compile(
    r"^(?:\d{2} \d{2} \d{2} \d{2}|\d{3} \d{2} \d{3}|0\d{3,4} \d{6,7})$"
)  # 41 52 29 01, 07700 900456  # 41 52 29 01
_KEY_COMBINATION = re.compile(
    r"^(?:ctrl|alt|altgr|shift|win|cmd|command|option|opt|fn)(?:\+[a-z0-9]{1,6}){1,3}$",
    re.IGNORECASE,
)  # Ctrl+Alt+Del, Win+L
# A host name and a port after a comma, as SQL Server writes them: "db.contoso.net,1433".
_HOST_AND_PORT = re.compile(
    r"^(?:tcp:)?[a-z0-9-]+(?:\.[a-z0-9-]+)+\.[a-z]{2,},\d{2,5}$", re.IGNORECASE
)
# A PowerShell command: one of its approved verbs, a dash, a noun in PascalCase (Get-MgUser).
_POWERSHELL_COMMAND = re.compile(
    r"^(?:Get|Set|New|Remove|Add|Update|Invoke|Start|Stop|Restart|Test|Connect|Disconnect"
    r"|Enable|Disable|Import|Export|Install|Uninstall|Clear|Find|Search|Select|Write|Read|Out"
    r"|Reset|Register|Unregister|Grant|Revoke|Move|Copy|Rename|Sync|Resolve|Show|Format"
    r"|ConvertTo|ConvertFrom|Convert|Measure|Compare|Enter|Exit|Save|Send|Receive|Suspend"
    r"|Resume|Block|Unblock|Lock|Unlock|Protect|Unprotect|Backup|Restore|Repair|Edit"
    r"|Initialize|Confirm|Request|Submit|Merge|Open|Close|Switch|Wait|Expand|Compress"
    r"|Publish|Unpublish|Mount|Dismount|Use|Where|ForEach|Sort|Group)"
    r"-(?:[A-Z][a-z0-9]*){1,6}$"
)
_TICKET_NUMBER = re.compile(r"^#\d{1,8}$")  # "#4521": a ticket or issue number
# Recovery and backup codes as printed: groups of 4 to 8 letters and digits
_RECOVERY_GROUPS = re.compile(
    r"^[A-Za-z0-9]{4,8}(?:[- ][A-Za-z0-9]{4,8}){0,7}$|^[A-Za-z0-9]{9,32}$"
)
_CAPITAL_REFERENCE = re.compile(r"^[A-Z]{2,12}[-_#]\d{2,14}$")  # ASSET-00912, ROM-12
# "SRV.Bergen.02", "print-oslo-03": names numbered from zero are hosts and devices
_NUMBERED_NAME = re.compile(r"^[^\W\d_]{2,20}(?:[.-][^\W\d_]{2,20}){1,4}[.-]0\d{1,3}$")
_MAX_HEADED = 24  # longest compound split to find its definite head ("jobbtelefonen")
_ODD_SYMBOLS = frozenset("~!#$%^&*+=?|<>§")  # never in a user name or address
_YEAR = re.compile(r"^(?:19[5-9]\d|20[0-3]\d)$")
_QUOTED_LABEL = re.compile(r"^[:=]['\"”’»]\s")  # 'password:' in quotes
_CAMEL = re.compile(r"^[a-zæøå]{3,}[A-ZÆØÅ][a-zæøå]{2,}$")  # fotballTassen, sommerSol
# A digit standing for a letter inside a word: "gr8tful", "s0mmerfugl", "p4ssord"
_DIGITS_IN_WORD = re.compile(r"[^\W\d_]\d{1,3}[^\W\d_]")  # "Pa55word", "h0use"
_LEET = re.compile(r"[^\W\d_]{2}\d[^\W\d_]{3}")
_LONG_RANDOM_LENGTH = 20
# "Server=sql01;Database=HR;Trusted_Connection=True": settings, not a secret (a run holding
# Password= or AccountKey= is found by formats.py)
# One "key=value" part of a connection string, its key of up to three words ("Data Source").
_SETTING = re.compile(
    r"(?<![\w-])([A-Za-z][A-Za-z0-9_]{0,30}(?: [A-Za-z][A-Za-z0-9_]{0,30}){0,2}) ?= ?[^;\s]{0,300}"
)
_SETTINGS_RUN = re.compile(r"^[^;=\s]{1,100}(?:;[A-Za-z][A-Za-z _]{0,40}=[^;=\s]{0,100}){1,20};?$")
_HOST_PORT = re.compile(r"^[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,5}:\d{1,5}$", re.IGNORECASE)
_WORD_NUMBER = re.compile(r"^([^\W\d_]{4,24})(\d{2,4})$|^([^\W\d_]{5,24})(\d)$")
# A season or other word and a year: "Vår2026", "Summer2024".
_WORD_YEAR = re.compile(r"^([^\W\d_]{3,24})((?:19|20)\d\d)$")
_YEAR_COMPOUND = re.compile(r"^(?:19|20)\d\d-([^\W\d_]{3,})$")
# A PIN-like noun may have a phrase before its value: "the PIN for my work phone is X".
_PIN_NOUN = re.compile(r"pin|puk|passcode")
# A part of a path or repository name: "contoso/hr-portal", "src/app-config".
_SLUG_PART = re.compile(r"^[^\W\d_][^\W_]*(?:[-_.][^\W_]+)*$")


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one letter changed, added, dropped, or two swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    k = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[k:] == long_[k + 1 :]


def _misspelt_password_noun(lower: str) -> bool:
    """ "passrodet", "pasword", "passprase": the password or passphrase noun with one typo."""
    return (
        6 <= len(lower) <= 11
        and lower[:1] == "p"
        and lower.isalpha()
        and any(
            _one_edit(lower, form) for form in (*cues().password_forms, *cues().passphrase_forms)
        )
    )


def _names_phrase(lower: str) -> bool:
    """A noun naming a phrase ("passphrase", "setningen"), also with one typo ("passprase")."""
    return any(stem in lower for stem in cues().phrase_stems) or any(
        _one_edit(lower, form) for form in cues().passphrase_forms
    )


def _leet_at(text: str) -> bool:
    """ "p@ssw0rd.Oslo": an ``@`` standing for a letter, not an e-mail address (a local part
    of one or two letters, or a last part that is no domain ending and is capitalised or
    follows digits)."""
    local, _, domain = text.rpartition("@")
    ending = domain.rsplit(".", 1)[-1]
    return ending.lower() not in cues().top_level_domains and (
        len(local) <= 2 or ending[:1].isupper() or any(ch.isdigit() for ch in local + domain)
    )


class Shape(enum.IntEnum):
    """How much a token looks like a secret by itself."""

    HARMLESS = 0  # function word, predicate, known harmless format
    WORD = 1  # a word of the language
    IDENT = 2  # capitals and digits: a reference, error code or room, unless named
    COMPOUND = 3  # words written together ("silverdragon", "blåbærsnø")
    ODD = 4  # not a word, letters only
    DIGITS = 5  # digits only (a code, a PIN, or a password of digits)
    MEDIUM = 6  # letters with digits or symbols
    STRONG = 7  # three character classes, or long and random


@dataclass
class Token:
    start: int
    end: int
    text: str  # without surrounding quotes and sentence punctuation
    lower: str
    colon_after: bool = False  # "passord:" -> a value follows
    genitive: bool = False  # "kids'": an apostrophe after a final s
    closes_quote: bool = False  # 'the button "Reset password" is grey': a quotation ends here

    @property
    def is_alpha(self) -> bool:
        return self.text.replace("-", "").isalpha()


@dataclass(frozen=True)
class Cues:
    password_nouns: FrozenSet[str]
    password_stems: Sequence[str]
    password_non_nouns: FrozenSet[str]
    code_nouns: FrozenSet[str]
    key_nouns: FrozenSet[str]
    recovery_nouns: FrozenSet[str]
    code_blockers: FrozenSet[str]
    code_suffixes: Tuple[str, ...]
    code_stems: Tuple[str, ...]
    username_nouns: FrozenSet[str]
    colon_username_nouns: FrozenSet[str]
    possessed_nouns: FrozenSet[str]
    possessives: FrozenSet[str]
    verbs_needing_to: FrozenSet[str]
    status_words: FrozenSet[str]
    clause_starts: FrozenSet[str]
    typing_verbs: FrozenSet[str]
    receiving_verbs: FrozenSet[str]
    year_words: FrozenSet[str]
    value_blockers: FrozenSet[str]
    explained_after: FrozenSet[str]
    list_links: FrozenSet[str]
    copulas: FrozenSet[str]
    pre_fillers: FrozenSet[str]
    post_fillers: FrozenSet[str]
    disclosure_verbs: FrozenSet[str]
    verb_fillers: FrozenSet[str]
    weak_verbs: FrozenSet[str]
    anaphors: FrozenSet[str]
    reverse_links: FrozenSet[str]
    reverse_fillers: FrozenSet[str]
    articles: FrozenSet[str]
    failure_verbs: FrozenSet[str]
    failure_fillers: FrozenSet[str]
    generic_code_nouns: FrozenSet[str]
    describers: FrozenSet[str]
    clause_breaks: FrozenSet[str]
    use_relatives: FrozenSet[str]
    use_subjects: FrozenSet[str]
    cleft_subjects: FrozenSet[str]
    determiners: FrozenSet[str]
    value_enders: FrozenSet[str]
    prepositions: FrozenSet[str]
    naming_verbs: FrozenSet[str]
    person_subjects: FrozenSet[str]
    strength_words: FrozenSet[str]
    use_verbs: FrozenSet[str]
    old_new_labels: FrozenSet[str]
    givers: FrozenSet[str]
    having_verbs: FrozenSet[str]
    not_described: FrozenSet[str]
    sign_in_verbs: FrozenSet[str]
    hypothetical_markers: FrozenSet[str]
    example_markers: FrozenSet[str]
    own_markers: FrozenSet[str]
    example_heads: FrozenSet[str]
    modal_verbs: FrozenSet[str]
    topic_prepositions: FrozenSet[str]
    code_failures: FrozenSet[str]
    field_labels: FrozenSet[str]
    compound_heads: FrozenSet[str]
    phrase_prepositions: FrozenSet[str]
    form_words: FrozenSet[str]
    form_exclusions: FrozenSet[str]
    capital_words: FrozenSet[str]
    arrival_verbs: FrozenSet[str]
    choice_verbs: FrozenSet[str]
    reference_nouns: FrozenSet[str]
    windows: Dict[str, int]
    rule_heads: FrozenSet[str]
    name_showing_verbs: FrozenSet[str]
    game_things: FrozenSet[str]
    second_value_heads: FrozenSet[str]
    request_verbs: FrozenSet[str]
    acceptance_words: FrozenSet[str]
    number_tails: FrozenSet[str]
    referral_verbs: FrozenSet[str]
    weakness_words: FrozenSet[str]
    demonstratives: FrozenSet[str]
    option_verbs: FrozenSet[str]
    person_objects: FrozenSet[str]
    auxiliaries: FrozenSet[str]
    wanting_verbs: FrozenSet[str]
    question_starters: FrozenSet[str]
    reformulators: FrozenSet[str]
    description_nouns: FrozenSet[str]
    repeat_adverbs: FrozenSet[str]
    sign_in_topic_stems: Tuple[str, ...]
    recovery_stems: Tuple[str, ...]
    recovery_tails: Tuple[str, ...]
    recovery_fillers: FrozenSet[str]
    reading_verbs: FrozenSet[str]
    note_nouns: FrozenSet[str]
    note_places: FrozenSet[str]
    discourse_markers: FrozenSet[str]
    unlocking_verbs: FrozenSet[str]
    connection_settings: FrozenSet[str]
    showing_verbs: FrozenSet[str]
    showing_particle_verbs: FrozenSet[str]
    verb_particles: FrozenSet[str]
    going_verbs: FrozenSet[str]
    code_devices: FrozenSet[str]
    door_nouns: FrozenSet[str]
    sign_in_manners: FrozenSet[str]
    sign_in_times: FrozenSet[str]
    time_adverbs: FrozenSet[str]
    identifier_nouns: FrozenSet[str]
    sign_in_method_heads: FrozenSet[str]
    mail_nouns: FrozenSet[str]
    message_prepositions: FrozenSet[str]
    phrase_nouns: FrozenSet[str]
    same_words: FrozenSet[str]
    one_words: FrozenSet[str]
    every_words: FrozenSet[str]
    weekdays: FrozenSet[str]
    verb_noun_homographs: FrozenSet[str]
    english_function_words: FrozenSet[str]
    norwegian_function_words: FrozenSet[str]
    wondering_words: FrozenSet[str]
    login_nouns: FrozenSet[str]
    plural_possessives: FrozenSet[str]
    counted_units: FrozenSet[str]
    length_bounds: FrozenSet[str]
    requiring_verbs: FrozenSet[str]
    phrase_stops: FrozenSet[str]
    spacing_words: FrozenSet[str]
    handing_verbs: FrozenSet[str]
    usual_words: FrozenSet[str]
    password_abbreviations: FrozenSet[str]
    pronoun_subjects: FrozenSet[str]
    remembering_words: FrozenSet[str]
    negations: FrozenSet[str]
    locked_words: FrozenSet[str]
    year_nouns: FrozenSet[str]
    accepting_verbs: FrozenSet[str]
    relative_heads: FrozenSet[str]
    relative_copulas: FrozenSet[str]
    letting_verbs: FrozenSet[str]
    perfect_copulas: FrozenSet[str]
    perfect_auxiliaries: FrozenSet[str]
    norwegian_copulas: FrozenSet[str]
    setting_values: FrozenSet[str]
    attribute_nouns: FrozenSet[str]
    top_level_domains: FrozenSet[str]
    strength_adjectives: FrozenSet[str]
    making_verbs: FrozenSet[str]
    suiting_verbs: FrozenSet[str]
    month_names: FrozenSet[str]
    to_prepositions: FrozenSet[str]
    from_prepositions: FrozenSet[str]
    past_tense_endings: Tuple[str, ...]
    process_noun_endings: Tuple[str, ...]
    adjective_endings: Tuple[str, ...]
    phrase_stems: Tuple[str, ...]
    game_endings: Tuple[str, ...]
    password_forms: Tuple[str, ...]
    passphrase_forms: Tuple[str, ...]
    definite_endings: Tuple[str, ...]


@lru_cache(maxsize=1)
def cues() -> Cues:
    """The word lists of cues.yml, read once.

    Raises:
        ValueError: a list holds something other than a string: YAML reads a bare ``no``,
            ``on`` or ``off`` as a boolean, which would silently become "false" or "true".
    """
    raw = yaml.safe_load(_CUES_FILE.read_text(encoding="utf-8"))
    for key, value in raw.items():
        if key != "windows" and not all(isinstance(v, str) for v in value):
            raise ValueError(f"{_CUES_FILE.name}: quote the words of {key} that are not strings")
    as_tuple = (
        "password_stems",
        "code_suffixes",
        "code_stems",
        "sign_in_topic_stems",
        "recovery_stems",
        "recovery_tails",
        "past_tense_endings",
        "process_noun_endings",
        "adjective_endings",
        "phrase_stems",
        "game_endings",
        "password_forms",
        "passphrase_forms",
        "definite_endings",
    )
    values: Dict[str, Any] = {
        key: (
            dict(value)
            if key == "windows"
            else tuple(value)
            if key in as_tuple
            else frozenset(str(v).lower() for v in value)
        )
        for key, value in raw.items()
    }
    return Cues(**values)


def tokens_of(text: str) -> List[Token]:
    """Whitespace tokens without surrounding quotes and punctuation; "pw:x" split in two.

    A code written in two groups ("123 456", "1234 5678") is one token.
    """
    found: List[Token] = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        raw = match.group(0)
        split = _LABEL_SPLIT.match(raw.strip(_LEADING))
        if split:
            lead = len(raw) - len(raw.lstrip(_LEADING))
            head_end = start + lead + len(split.group(1))
            found.append(
                Token(
                    start + lead, head_end, split.group(1), split.group(1).lower(), colon_after=True
                )
            )
            start = head_end + 1
            raw = text[start:end]
        lead = len(raw) - len(raw.lstrip(_LEADING))
        stripped_end = len(raw.rstrip(_TRAILING))
        if stripped_end <= lead:
            found.append(Token(start, end, raw, raw.lower()))
            continue
        stars = stripped_end - len(raw[:stripped_end].rstrip("*"))
        if (
            stars
            and stripped_end - stars > lead
            and ((lead and raw[lead - 1] == "*") or stars >= 2)
        ):
            stripped_end -= stars  # *emphasis*, **bold**
            stripped_end = len(raw[:stripped_end].rstrip(_TRAILING))  # "**{reference}**:"
        core = raw[lead:stripped_end]
        if core.lower().endswith(("'s", "’s")) and len(core) > 3 and core[:-2].isalpha():
            # "password's X", "mine's X": the noun and a copula
            found.append(
                Token(start + lead, start + stripped_end - 2, core[:-2], core[:-2].lower())
            )
            found.append(Token(start + stripped_end - 2, start + stripped_end, "'s", "'s"))
            continue
        previous = found[-1] if found else None
        if (
            previous
            and _DIGIT_GROUP.match(core)
            and len(core) == len(previous.text)
            and _DIGIT_GROUP.match(previous.text)
            and text[previous.end : start] == " "
            and not previous.colon_after
        ):
            core = text[previous.start : start + stripped_end]
            found[-1] = Token(previous.start, start + stripped_end, core, core)
            continue
        found.append(
            Token(
                start + lead,
                start + stripped_end,
                core,
                core.lower(),
                colon_after=any(c in ":=" for c in raw[stripped_end:]),
                closes_quote=any(q in raw[stripped_end:] for q in '"”»'),
                genitive=core.endswith(("s", "S"))
                and raw[stripped_end : stripped_end + 1] in ("'", "’"),
            )
        )
    return _pairs_of_digits(text, found)


def _pairs_of_digits(text: str, found: List[Token]) -> List[Token]:
    """A code read out in three pairs ("48 29 17") is one token; four pairs are a phone number."""
    if len(found) < 3:
        return found
    joined: List[Token] = []
    i = 0
    while i < len(found):
        six = found[i : i + 7]
        if (
            len(six) >= 6
            and all(len(t.text) == 1 and t.text.isdigit() for t in six[:6])
            and not (len(six) == 7 and six[6].text.isdigit())
            and all(text[a.end : b.start] == " " for a, b in zip(six[:5], six[1:6]))
        ):
            core = text[six[0].start : six[5].end]  # "4 8 2 9 1 3", read out digit by digit
            joined.append(Token(six[0].start, six[5].end, core, core))
            i += 6
            continue
        phone_like = _phone_grouped(text, found, i, joined) or _international_phone(text, found, i)
        if phone_like:
            # "41 52 29 01", "415 22 901": eight digits grouped like a phone number;
            # shape_of reads them as one (a phone number unless a code is named)
            core = text[found[i].start : found[i + phone_like - 1].end]
            joined.append(Token(found[i].start, found[i + phone_like - 1].end, core, core))
            i += phone_like
            continue
        run = found[i : i + 4]
        if (
            len(run) >= 3
            and all(len(t.text) == 2 and t.text.isdigit() for t in run[:3])
            and not (len(run) == 4 and run[3].text.isdigit())
            and not (joined and joined[-1].text.isdigit())
            and text[run[0].end : run[1].start] == " "
            and text[run[1].end : run[2].start] == " "
        ):
            core = text[run[0].start : run[2].end]
            joined.append(Token(run[0].start, run[2].end, core, core))
            i += 3
            continue
        joined.append(found[i])
        i += 1
    return joined


def _phone_grouped(text: str, found: List[Token], i: int, joined: List[Token]) -> int:
    """How many tokens from ``i`` are eight digits grouped 2-2-2-2 or 3-2-3, or 0."""
    first = found[i].text if i < len(found) else ""
    if (
        i + 1 < len(found)
        and first.isdigit()
        and first.startswith("0")
        and 4 <= len(first) <= 5
        and found[i + 1].text.isdigit()
        and 6 <= len(found[i + 1].text) <= 7
        and text[found[i].end : found[i + 1].start] == " "
    ):
        return 2  # "07700 900456": a trunk prefix and a number
    for sizes in ((2, 2, 2, 2), (3, 2, 3)):
        group = found[i : i + len(sizes)]
        following = found[i + len(sizes)] if i + len(sizes) < len(found) else None
        if (
            len(group) == len(sizes)
            and all(len(t.text) == n and t.text.isdigit() for t, n in zip(group, sizes))
            and all(text[a.end : b.start] == " " for a, b in zip(group, group[1:]))
            and not (following and following.text.isdigit())
            and not (joined and joined[-1].text.replace(" ", "").isdigit())
        ):
            return len(sizes)
    return 0


def _international_phone(text: str, found: List[Token], i: int) -> int:
    """How many tokens from ``i`` are a number written with its country code in groups
    ("+44 20 7946 0018", "+1 415 555 0137"), or 0."""
    if not _COUNTRY_CODE.match(found[i].text):
        return 0
    end, groups, digits = i + 1, 0, len(found[i].text) - 1
    while end < len(found) and text[found[end - 1].end : found[end].start] == " ":
        parts = found[end].text.split(" ")  # "415 555": two groups joined by tokens_of
        if not all(p.isdigit() and len(p) <= 4 for p in parts):
            break
        if digits + sum(map(len, parts)) > 15:
            break
        digits += sum(map(len, parts))
        groups += len(parts)
        end += 1
    return end - i if groups >= 2 and digits >= 8 else 0


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _titled_with_code(parts: List[str]) -> bool:
    """Two words in title case and a part with a digit among hyphenated parts: a password
    made from words and a code, not a host or product name ("Contoso-VPN-2024")."""
    titled = sum(p[:1].isupper() and p[1:].islower() and p.isalpha() for p in parts)
    return titled >= 2 and any(any(c.isdigit() for c in p) for p in parts)


def _host_like(text: str, words: Vocabulary) -> bool:
    """Three or more hyphenated parts of letters or digits, one a short code or a product:
    a host, printer or profile name rather than a password."""
    parts = text.split("-")
    if (
        any(c.islower() for c in text)
        and any(c.isupper() for c in text)
        and any(any(c.isalpha() for c in p) and any(c.isdigit() for c in p) for p in parts)
        and any(any(c.islower() for c in p) and any(c.isdigit() for c in p) for p in parts)
    ):
        return False  # "Kx7-pqr-22a": scrambled, not "srv-osl-dc01" or "Contoso-VPN-2024"
    if _titled_with_code(parts):
        return False  # "Velkommen-Q3-Start", "Oppstart-2025-Tmp": made the way passwords are
    return (
        len(parts) >= 3
        # "srv-osl-dc01": a part may be a short code of letters then digits
        and all(p.isalpha() or p.isdigit() or _SHORT_CODE_PART.match(p) for p in parts)
        and any(any(ch.isdigit() for ch in p) for p in parts)
        and any(
            p.isalpha() and (len(p) <= 3 or p.lower() in words.products or words.is_domain(p))
            for p in parts
        )
    )


def _harmless_compound(text: str, words: Vocabulary) -> bool:
    """Hyphenated words, products and numbers ("M365-lisens", "Windows-11"), but not a word
    followed by a number the way passwords are made ("Sommer-2024")."""
    parts = text.split("-")
    if not all(parts) or _titled_with_code(parts):
        return False
    for index, part in enumerate(parts):
        product = _PRODUCT_VERSION.match(part)
        if _VERSION.match(part) and not part.isdigit():
            continue  # "2.1-klienten", "v4-oppdateringen"
        if part.isdigit():
            after_product = index and parts[index - 1].lower() in words.products
            after_word = index and parts[index - 1].isalpha()
            if not after_product and (len(part) >= 4 or (after_word and len(part) >= 2)):
                return False
        elif not (
            # "2FA-Microsoft", "Teams-kanalen": a word or a domain term such as 2FA
            (any(ch.isalpha() for ch in part) and words.is_word(part))
            or part.lower() in words.products
            or (product and product.group(1).lower() in words.products)
        ):
            return False
    return True


# A floor, room or desk and the wing it is in: "4B-East", "3C-Nord" (a place, even after "code").
_WING_PLACE = re.compile(
    r"^\d{1,3}[A-Za-z]?-(?:north|south|east|west|nord|sør|syd|øst|vest)$", re.IGNORECASE
)


# An HTML or XML tag on its own: "is <script> allowed?" asks about markup.
_MARKUP_TAG = re.compile(r"</?[a-z]+[1-6]?\s*/?>$")


def shape_of(token: Token, words: Vocabulary) -> Shape:
    """What ``token`` looks like on its own."""
    text, lower = token.text, token.lower
    if len(text) < 3 and not text.isdigit():
        return Shape.HARMLESS
    if not any(c.isalnum() for c in text) or (text.startswith("{") and text.endswith("}")):
        return Shape.HARMLESS  # "...", "->", a template's "{reference}"
    if _MARKUP_TAG.match(text):
        return Shape.HARMLESS  # "<script>", "</b>": markup asked about, not a value
    if (
        _TICKET_NUMBER.match(text)
        or _KEY_COMBINATION.match(text)
        or _POWERSHELL_COMMAND.match(text)
        or _HOST_AND_PORT.match(text)
        or _WING_PLACE.match(text)
    ):
        return Shape.HARMLESS  # "ticket #4521", "sak #4521", "Ctrl+Alt+Del", "Get-MgUser"
    if _CONTRACTION.match(text) or lower in words.products:
        return Shape.HARMLESS  # didn't, Kari's, 1password
    bare = text.rstrip("!?")
    if bare and bare.replace("-", "").replace("'", "").replace("’", "").isalpha():
        if (
            lower.rstrip("!?") in words.stop_words
            or words.is_predicate(bare)
            or words.is_misspelt_predicate(bare)
            or (bare.count("-") == 1 and words.is_predicate(bare.rsplit("-", 1)[1]))
        ):
            return Shape.HARMLESS  # "expired", "auto-generated", "case-sensitive"
        if words.is_prefixed_past(bare):
            return Shape.WORD  # "the laptop got reimaged": a verb, not two words run together
        parts = [p for p in bare.split("-") if p]
        if all(words.is_listed(p) for p in parts):
            return Shape.COMPOUND if len(parts) >= 3 else Shape.WORD  # correct-horse-battery
        if all(words.is_word(p) for p in parts):
            # "kjempekomplisert", "superenkelt": an intensified predicate, not a password
            return Shape.HARMLESS if words.is_intensified_predicate(parts[-1]) else Shape.COMPOUND
        if _random_case(bare):
            return Shape.MEDIUM  # "LNaJrgBHufSB": case changing at random, not "PowerPoint"
        return Shape.ODD
    if (
        (_EMAIL.match(text) and not _leet_at(text))
        or _USER_AT_ADDRESS.match(text)
        or _URL.match(text)
        or _GUID.match(text)
        or _HEX.match(text)
        or _VERSION.match(text)
        or _QUANTITY.match(text)
        or _CLOCK.match(text)
        or _FILE.search(text)
        or _DIGIT_WORD.match(text)
        or _POSSESSIVE.match(text)
        or _HANDLE.match(text)
        or (_DATE.match(text) and _plausible_date(text))
        or _BUTTON_PAYLOAD.match(text)
        or _SETTINGS_RUN.match(text)
        or _GROUPED_PHONE.match(text)
    ):
        return Shape.HARMLESS
    if _MARKUP.search(text):
        return Shape.IDENT  # markup or a template: a secret only when named
    prefixed = _ID_PREFIX.match(text)
    if (
        _PHONE.match(text)
        or _SPACED_PHONE.match(text)
        or (_REFERENCE.match(text) and (text.isupper() or text.islower()))
        or (
            _DOMAIN.match(text)
            and not _mixed_case_dotted(text)
            # "gr8tful.dead": a word in leetspeak, and no domain ending
            and not (
                _LEET.search(text) and lower.rsplit(".", 1)[-1] not in cues().top_level_domains
            )
        )
        or _HOST_PORT.match(text)
        or _NUMBERED_NAME.match(text)
        or text.startswith(("/", "\\"))
        or (prefixed and prefixed.group(1).lower() in words.id_prefixes)
    ):
        return Shape.IDENT  # a secret only when named: "passordet er sol.og.sommer"
    year_compound = _YEAR_COMPOUND.match(text)
    if year_compound and words.is_word(year_compound.group(1)):
        return Shape.IDENT  # "2019-modellen", "2024-utgaven": a year and a noun
    if _NUMERIC.match(text):
        digits = sum(c.isdigit() for c in text)
        return Shape.DIGITS if digits >= 4 else Shape.HARMLESS
    product = _PRODUCT_VERSION.match(text)
    if product and product.group(1).lower() in words.products:
        return Shape.HARMLESS
    if (
        "." in text
        and all(p.isalpha() for p in text.split(".") if p)
        or (_USER_NAME.match(text) and text.islower())
    ):
        return Shape.IDENT  # kari.nordmann, ola.nordmann2, sol.og.sommer
    if "/" in text or "\\" in text:
        parts = [p for p in re.split(r"[/\\]", text) if p]
        if all(p.isalpha() or p.isdigit() or p.endswith(":") for p in parts) or (
            text.islower() and all(_SLUG_PART.match(p) for p in parts)
        ):
            return Shape.IDENT  # paths, "og/eller", "1/2", "contoso/payroll-api"
    if _host_like(text, words):
        return Shape.IDENT  # osl-lt-0423, Contoso-VPN-2024, PRN-3ETG-01
    if "-" in text and _harmless_compound(text, words):
        return Shape.IDENT  # M365-lisensen, Windows-11: a secret only when named
    if _IDENTIFIER.match(text) and any(c.isalpha() for c in text):
        return Shape.MEDIUM if len(text) >= _LONG_RANDOM_LENGTH else Shape.IDENT
    has_lower = any(c.islower() for c in text)
    has_upper = any(c.isupper() for c in text)
    has_digit = any(c.isdigit() for c in text)
    has_symbol = any(not c.isalnum() and c not in "-._" for c in text) or (
        # a hyphen counts between a word and digits ("tiger-lily77"), not in an id
        # ("emp-10293"), a room ("Fjord-2") or a user name ("per.olsen2")
        "-" in text and sum(c.isalpha() for c in text) >= 4 and sum(c.isdigit() for c in text) >= 2
    )
    classes = has_lower + has_upper + has_digit + has_symbol
    if len(text) >= _LONG_RANDOM_LENGTH and classes >= 2 and _entropy(text) >= 3.5:
        return Shape.STRONG
    if (
        classes >= 3
        and len(text) >= 6
        and not (
            # a capitalised word and one digit: a room or a device ("Fjord-2", "Bygg3")
            not has_symbol and sum(c.isdigit() for c in text) == 1 and text[:1].isupper()
        )
    ):
        return Shape.STRONG
    if len(text) >= 4 and (has_digit or has_symbol):
        return Shape.MEDIUM
    return Shape.ODD


@dataclass
class _Context:
    """What the words around one token say about it."""

    direct: bool = False  # "password: X", "password X"
    copula: bool = False  # "password is X", "passordet er X", "it was X"
    verb: bool = False  # "I typed X", "prøvde X"
    weak_verb: bool = False  # "log in with X", "changed it to X"
    reverse: bool = False  # "X is my password"
    near_password: bool = False
    near_code: bool = False
    near_key: bool = False
    near_recovery: bool = False
    username_value: bool = False
    pair: bool = False  # "kari@contoso.no / X"
    label: bool = False  # "...: X"
    after_year_word: bool = False  # "in 2019", "siden 2019"
    inverted: bool = False  # "er passordet mitt X"
    typed: bool = False  # "I typed X", "jeg skrev X"
    received: bool = False  # "I got X", "jeg fikk X"
    failed: bool = False  # "X doesn't work": the only evidence may be this
    use_reverse: bool = False  # "X is what I use", "X er det jeg bruker"
    password_before: bool = False  # a password noun shortly before, no "error" between
    after_preposition: bool = False  # "er i orden": the word is a preposition's object
    name_given: bool = False  # "heter X", "is called X": a name, not a secret
    determined: bool = False  # "my PHONE", "the APP": a thing named with its determiner
    object_of_use: bool = False  # right after "use", "tried", "bruker": "I use purple"
    given: bool = False  # "X fra IT", "X from the helpdesk"
    adjacent: bool = False  # right after the noun that names it: "password tulip"
    arrived: bool = False  # "482913 just came in", "482913 kom nettopp"
    from_now_on: bool = False  # "bruke X heretter", "use X from now on"
    form_described: bool = False  # "X, all lowercase", "X med små bokstaver"
    chosen: bool = False  # "settled on X", "came up with X", "holdt meg til X", "fant på X"
    bracketed: bool = False  # "my password (velvet) stopped working": the value in brackets
    tensed_verb: bool = False  # any verb in a tense, particles between: "hammered in X"
    rare_value: bool = False  # a long noun none of ours after it, then to or from whom
    kind: str = "password"  # the noun that names the value
    noun: int = -1  # where that noun stands

    @property
    def named(self) -> bool:
        return self.direct or self.copula or self.reverse


_SECRET_NOUNS = ("password", "code", "key", "recovery")
_KIND_OF_NOUN = {"code": "one_time_code", "key": "token", "recovery": "recovery_key"}


class Detector:
    """Finds secret spans in a message from token shapes and the cues around them."""

    def __init__(self, words: Vocabulary, cue_words: Cues) -> None:
        self.words = words
        self.cues = cue_words
        # the first words of the time adverbs ("these" of "these days"): where to look further
        self.time_adverb_starts = frozenset(adverb.split()[0] for adverb in cue_words.time_adverbs)

    # -- cues ---------------------------------------------------------------------------

    def _noun_kind(self, token: Token) -> str:
        """Which cue noun ``token`` is: password, code, key, recovery, user, or ""."""
        c = self.cues
        lower = token.lower.rstrip(":=")
        if any(ch.isdigit() for ch in lower) and lower not in c.code_nouns:
            return ""
        if lower in self.words.products:
            return ""  # "1Password", "Passordhjelp": names, not the word
        if lower.endswith(tuple(c.password_non_nouns)) and any(
            stem in lower for stem in c.password_stems
        ):
            return ""  # "passordbeskyttet", "passwordless": an adjective
        stem = next((stem for stem in c.password_stems if stem in lower), "")
        head = lower.split(stem, 1)[1].strip("-") if stem else ""
        if head in c.rule_heads or head in c.compound_heads:
            # "Passordreglene:", "password-requirements", "passordfeltet": the rules or the
            # field, not a value
            return "topic"
        if lower in c.password_nouns or stem:
            return "password"
        if _misspelt_password_noun(lower):
            return "password"  # "passrodet", "pasword", "passwrod": a typo of the noun
        if lower in c.recovery_nouns:
            return "recovery"
        if (
            lower in c.code_nouns
            or any(stem in lower for stem in c.code_stems)
            or (
                lower.endswith(c.code_suffixes)
                and lower.replace("-", "").isalpha()
                and lower not in c.code_blockers
            )
        ):
            return "code"
        if lower in c.key_nouns:
            return "key"
        if lower in c.username_nouns or (token.colon_after and lower in c.colon_username_nouns):
            return "user"
        return ""

    def _value_after_noun(
        self, tokens: List[Token], kinds: List[str], i: int, wanted: Sequence[str]
    ) -> Optional[_Context]:
        """Is token ``i`` the value a noun of ``wanted`` kind names ("password is X")?"""
        c = self.cues
        if i >= 1 and tokens[i - 1].lower in c.verbs_needing_to:
            return None  # "passordet ble endret i går", not "endret TIL X"
        j = i - 1
        post = 0
        while (
            j >= 0
            and (
                tokens[j].lower in c.post_fillers
                or (
                    tokens[j].lower == "no"
                    and j >= 1
                    and tokens[j - 1].lower in c.norwegian_copulas
                )
            )
            and post < 3
        ):
            j -= 1
            post += 1
        copula = False
        possessive_s = j >= 0 and tokens[j].lower == "'s"  # "the accountant's system"
        if j >= 0 and (tokens[j].lower in c.copulas or tokens[j].colon_after):
            copula = True
            if tokens[j].colon_after and kinds[j] in wanted:
                return _Context(direct=True, copula=True, kind=kinds[j], noun=j)
            if tokens[j].lower in c.copulas:
                j -= 1
                if self._relative_of_other_noun(tokens, kinds, j + 1):
                    return None  # "passordet på en lapp SOM ER kastet": the note's copula
        elif (
            post
            and not (
                kinds[j] in wanted
                and self._copula_before(tokens, j)
                # an adverb, not a preposition: "er koden TIL gjestenettet" names a place
                and not any(t.lower in c.prepositions for t in tokens[j + 1 : i])
            )
        ):
            return None  # but "is the password STILL X?", "er passordet FORTSATT X?"
        pre = 0
        while j >= 0 and pre <= 5:
            if kinds[j] in wanted and tokens[j].closes_quote and j < i - 1:
                return None  # the noun is in a quotation: '"Reset password" is grey'
            if kinds[j] in wanted and self._topic_of(tokens, j):
                return None  # "saken OM passordet mitt er INC0012345": the case is named
            if kinds[j] in wanted:
                if not copula and self._copula_before(tokens, j):
                    # "er passordet mitt X", "is my password X?": a question or inverted order
                    return _Context(direct=True, copula=True, inverted=True, kind=kinds[j], noun=j)
                if (
                    not copula
                    and j != i - 1
                    and not (
                        kinds[j] == "user"
                        and all(t.lower in c.possessives for t in tokens[j + 1 : i])
                    )
                ):
                    return None
                return _Context(direct=True, copula=copula, kind=kinds[j], noun=j)
            if (kinds[j] == "user" and "user" not in wanted) or (
                tokens[j].lower not in c.pre_fillers and tokens[j].lower not in c.copulas
            ):
                noun = (
                    self._noun_before_phrase(tokens, kinds, j)
                    if copula and not possessive_s
                    else None
                )
                if noun is not None and kinds[noun] in wanted:
                    # "the temp password FROM THE HELPDESK was X", "passordet TIL
                    # tjenestekontoen er X", "the PIN for my phone is X": what the password
                    # or PIN is for, then the value
                    return _Context(direct=True, copula=True, kind=kinds[noun], noun=noun)
                return None
            j -= 1
            pre += 1
        return None

    def _relative_of_other_noun(self, tokens: List[Token], kinds: List[str], copula: int) -> bool:
        """The copula at ``copula`` follows "som"/"that"/"which" after a noun that names no
        secret: its subject is that noun ("a note that was shredded"), not the password."""
        return (
            copula >= 2
            and tokens[copula - 1].lower in ("som", "that", "which")
            and not kinds[copula - 2]
            and tokens[copula - 2].lower not in self.cues.relative_heads
            and tokens[copula - 2].lower not in self.cues.old_new_labels
            and tokens[copula - 2].lower not in self.cues.anaphors
        )

    def _form_described(
        self, tokens: List[Token], kinds: List[str], i: int, text: str, has_password_noun: bool
    ) -> bool:
        """Token ``i`` is a word whose writing is described beside it: "it's just sunshine
        all lowercase", "pw is all lowercase, riverstone, no numbers", "passord hyttetur, med
        små bokstaver": the password being described."""
        c, token = self.cues, tokens[i]
        digits = token.text.isdigit() and len(token.text) >= 6  # "just 434546157, no letters"
        # "it's just MOONBEAM in capitals": a capital word whose capitals are the description
        capitals = (
            token.is_alpha
            and token.text.isupper()
            and len(token.text) >= 4
            and any(t.lower in c.capital_words for t in tokens[i + 1 : i + 5])
        )
        if not ((token.is_alpha and token.text.islower()) or digits or capitals) or i == 0:
            return False
        lower = token.lower
        if (
            lower in c.form_exclusions
            or lower in c.form_words
            or lower in self.words.stop_words
            or lower in c.status_words
            or lower in c.disclosure_verbs
            or lower in c.failure_verbs
            or self.words.is_predicate(lower)
            or self.words.is_domain(lower)
            or lower in self.words.products
            or self._definite_noun(lower)
        ):
            return False
        # (after it, an aside may stand between: "X, like the food, all small letters")
        near = [
            k
            for k in range(max(0, i - 4), min(len(tokens), i + 7))
            if tokens[k].lower in c.form_words or _LETTER_NAMED.match(tokens[k].lower)
        ]
        if not near:
            return False
        anaphor = any(t.lower in c.anaphors for t in tokens[max(0, i - 6) : i])
        if not (has_password_noun or anaphor):
            return False
        previous = tokens[i - 1]
        comma_before = "," in text[previous.end : token.start]
        comma_after = text[token.end : token.end + 1] in (",", ".", ";", "")
        k = i - 1
        while k > 0 and tokens[k].lower in c.post_fillers:
            k -= 1
        after_copula = tokens[k].lower in c.copulas or tokens[k].colon_after
        if (comma_before or after_copula) and (
            comma_after
            or i + 1 == len(tokens)
            or tokens[i + 1].lower in c.form_words
            or tokens[i + 1].lower in c.form_exclusions
            or (  # "X in capitals", "X i store bokstaver"
                tokens[i + 1].lower in ("in", "i")
                and i + 2 < len(tokens)
                and (
                    tokens[i + 2].lower in c.form_words or tokens[i + 2].lower in c.form_exclusions
                )
            )
        ):
            return True
        # "passord hyttetur, med små bokstaver": right after the noun, the clause ends
        return kinds[i - 1] == "password" and comma_after and any(n > i for n in near)

    def _described_phrase_end(
        self, tokens: List[Token], kinds: List[str], i: int, text: str, has_password_noun: bool
    ) -> int:
        """The last word of an unquoted phrase said to be words with spaces: "it's pepper and
        salt, three words, with spaces", "det er salt og pepper, tre ord, med mellomrom"; or -1."""
        c, token = self.cues, tokens[i]
        if not (token.is_alpha and token.text.islower()) or i == 0:
            return -1
        if (
            token.lower in self.words.stop_words
            or token.lower in c.form_exclusions
            or token.lower in c.status_words
            or self.words.is_predicate(token.lower)
        ):
            return -1
        k = i - 1
        while k > 0 and tokens[k].lower in c.post_fillers:
            k -= 1
        if not (tokens[k].lower in c.copulas or tokens[k].colon_after):
            return -1
        if not (has_password_noun or any(t.lower in c.anaphors for t in tokens[max(0, i - 4) : i])):
            return -1
        end = i
        for n in range(i + 1, min(i + 5, len(tokens))):
            if (
                kinds[n]
                or text[tokens[n - 1].end : tokens[n].start] != " "
                or not tokens[n].is_alpha
                or tokens[n].lower in c.form_words
                or tokens[n].lower in c.phrase_stops
            ):
                break
            end = n
        while end > i and tokens[end].lower in self.words.stop_words:
            end -= 1
        if end == i or text[tokens[end].end : tokens[end].end + 1] not in (",", ".", ";", ""):
            return -1
        spaced = any(t.lower in c.spacing_words for t in tokens[end + 1 : end + 8])
        return end if spaced else -1

    def _phrase_with_number(self, tokens: List[Token], kinds: List[str], i: int, text: str) -> int:
        """The last token of words ending in a number from ``i`` ("harbour master 1971",
        "blå bil 22"), ending the clause; or ``i`` when there is none."""
        for k in range(i + 1, min(i + 5, len(tokens))):
            if kinds[k] or text[tokens[k - 1].end : tokens[k].start] != " ":
                return i
            if tokens[k].text.isdigit():
                ends = k + 1 == len(tokens) or text[tokens[k].end : tokens[k].end + 1] in ",.;!?"
                return k if ends and 2 <= len(tokens[k].text) <= 4 else i
            if not tokens[k].is_alpha:
                return i
        return i

    def _reference_value(self, tokens: List[Token], kinds: List[str], i: int) -> bool:
        """Token ``i`` follows "is"/"er" whose subject is a reference noun ("the case number
        they gave me is X", "saksnummeret fra Microsoft er X"), or ends a label whose head is
        one ("case number from Microsoft: X"), with no secret noun between."""
        if i >= 1 and tokens[i - 1].colon_after:
            last = i - 1
        elif i >= 2 and tokens[i - 1].lower in self.cues.copulas:
            last = i - 2
        else:
            return False
        for k in range(last, max(-1, i - 7), -1):
            if kinds[k]:
                return False
            if self._reference_noun(tokens[k].lower) and not any(
                # "the digits ON MY PHONE are X": a place inside the subject, not its head
                t.lower in self.cues.prepositions
                for t in tokens[max(0, k - 3) : k]
            ):
                # "the six-digit number was X", "engangskode-nummeret": a code, after all
                return not any(kinds[m] for m in range(max(0, k - 2), k))
            if (
                tokens[k].lower in self.cues.clause_starts
                and tokens[k].lower not in self.cues.prepositions  # "case ID AT Microsoft"
            ) or tokens[k].lower in self.cues.pronoun_subjects:
                return False  # "on the phone IT's X": the subject is a pronoun
        return False

    def _reference_noun(self, lower: str) -> bool:
        """A noun whose value is a reference: "number", "saksnummeret", "mobilnr"."""
        return (
            lower in self.cues.reference_nouns
            or (lower.endswith(("nummer", "nummeret", "nr")) and len(lower) > 6)
            or ("-" in lower and lower.rsplit("-", 1)[1] in ("id", "nr", "nummer", "ref"))
        )

    def _noun_before_phrase(self, tokens: List[Token], kinds: List[str], j: int) -> Optional[int]:
        """The password noun before a short phrase ending at ``j`` that says what it is for or
        where it came from ("password for the VPN", "passordet fra brukerstøtte"), or None."""
        unlocking = self.cues.unlocking_verbs
        for k in range(j - 1, max(-1, j - 8), -1):
            if kinds[k] and tokens[k].lower not in unlocking:  # "to UNLOCK my phone" is no noun
                if (
                    (
                        kinds[k] == "password"
                        or (kinds[k] == "code" and _PIN_NOUN.search(tokens[k].lower))
                        # "the code to unlock my work phone is N"
                        or (kinds[k] == "code" and tokens[k + 2].lower in unlocking)
                    )
                    and tokens[k + 1].lower in self.cues.phrase_prepositions
                    and not any(
                        kinds[m] and tokens[m].lower not in unlocking for m in range(k + 1, j + 1)
                    )
                    and not any(
                        (
                            tokens[m].lower in self.cues.clause_starts
                            # "at the depot": the English preposition, not Norwegian "that"
                            and not (
                                tokens[m].lower == "at"
                                and tokens[m + 1].lower in ("the", "my", "our", "a")
                            )
                        )
                        or tokens[m].lower in self.cues.copulas
                        for m in range(k + 1, j + 1)
                    )
                    and not tokens[k].colon_after
                    and not self._topic_of(tokens, k)
                ):
                    return k
                return None
        return None

    def _topic_of(self, tokens: List[Token], noun: int) -> bool:
        """ "the ticket ABOUT my password is X", "saken OM passordet er X": the noun is what
        something else is about, and the value belongs to that something else."""
        k = noun - 1
        while (
            k >= 0
            and k > noun - 3
            and (
                tokens[k].lower in self.cues.possessives
                or tokens[k].lower in self.cues.articles
                or tokens[k].lower in ("the", "det", "den")
            )
        ):
            k -= 1
        return (
            k >= 1
            and tokens[k].lower in self.cues.topic_prepositions
            # "husker ikke OM passordet er X", "lurer på om": "om" is "whether" there
            and not (tokens[k].lower == "om" and tokens[k - 1].lower in self.cues.wondering_words)
        )

    def _copula_before(self, tokens: List[Token], noun: int) -> bool:
        """ "IS my password X?", "ER passordet mitt X": the copula opens the clause."""
        c = self.cues
        k = noun - 1
        while (
            k >= 0
            and (
                tokens[k].lower in c.possessives
                or tokens[k].lower in c.articles
                or tokens[k].lower in ("the", "det", "den")
            )
            and k > noun - 3
        ):
            k -= 1
        return (
            k >= 0
            and tokens[k].lower in c.copulas
            and not any(self._noun_kind(t) for t in tokens[max(0, k - 3) : k])
            # "X har vært passordet mitt lenge", "X has been my password": a perfect never
            # opens the clause, its value stands before it
            and not (
                tokens[k].lower in c.perfect_copulas
                and k >= 1
                and tokens[k - 1].lower in c.perfect_auxiliaries
            )
        )

    def _context(
        self,
        tokens: List[Token],
        kinds: List[str],
        i: int,
        secret_nouns: List[int],
        text: str = "",
        english: bool = False,
    ) -> _Context:
        c = self.cues
        # Only nouns within reach matter (the widest window is the anaphor's, a few tokens
        # back from i): a slice keeps a message full of cue words linear.
        reach = max(c.windows.values()) + 8
        secret_nouns = secret_nouns[
            bisect.bisect_left(secret_nouns, i - reach) : bisect.bisect_right(
                secret_nouns, i + reach
            )
        ]
        context = self._value_after_noun(tokens, kinds, i, _SECRET_NOUNS) or _Context()
        if not context.direct and text:
            noun = self._set_apart_value(tokens, kinds, i, text)
            if noun >= 0:
                context = _Context(direct=True, copula=True, kind=kinds[noun], noun=noun)
        if context.kind == "code" and self._blocked_code(tokens, context.noun, i, text):
            context = _Context()
        context.adjacent = context.direct and context.noun == i - 1
        # "passordet (X)", "passordet mitt (X)": the value in brackets after its noun
        n = i - 1
        while n >= 0 and tokens[n].lower in c.possessives:
            n -= 1
        # "typed my usual (X)", "tasta det vanlige (X)": the usual one stands for the password
        usual_one = (
            n >= 2
            and tokens[n].lower in c.usual_words
            and tokens[n - 1].lower in c.possessives | c.determiners
            and tokens[n - 2].lower in c.typing_verbs | c.use_verbs
        )
        context.bracketed = (
            n >= 0
            and (kinds[n] == "password" or usual_one)
            # whose or which password ("my password (X)", "passordet (X)", "the new pw (X)"),
            # not a heading's qualifier ("change password (users)")
            and (
                n < i - 1
                or usual_one
                or tokens[n].lower.endswith(("et", "en"))
                or (n >= 1 and tokens[n - 1].lower in c.possessives | c.old_new_labels)
                or (n >= 1 and tokens[n - 1].lower in ("the", "that", "this"))
            )
            and bool(text)
            and text[tokens[n].end : tokens[i].start].count("(") == 1
            and text[tokens[n].end : tokens[i].start].rstrip().endswith("(")
            and text[tokens[i].end : tokens[i].end + 1] == ")"
        )
        if context.bracketed and usual_one and not context.kind:
            context.kind, context.noun = "password", n
        if self._value_after_noun(tokens, kinds, i, ("user",)) is not None:
            context.username_value = True
        # "I typed X", "prøvde passordet X", "changed it to X"; a comma between the verb and a
        # plain word starts a clause of its own ("saw me type it, time for a new one")
        plain: Optional[bool] = None  # the token's shape, looked up only at a comma
        j, between = i - 1, 0
        while j >= 0 and between <= 3:
            gap = text[tokens[j].end : tokens[j + 1].start] if text else ""
            if "," in gap or ";" in gap:
                if plain is None:
                    plain = shape_of(tokens[i], self.words) <= Shape.ODD
                if plain:
                    break
            lower = tokens[j].lower
            if (
                lower in c.prepositions
                and lower not in ("with", "med")
                and j >= 1
                and tokens[j - 1].lower in c.repeat_adverbs
            ):
                break  # "prøver igjen i morgen", "try again on Monday": a time, not the value
            if lower in c.disclosure_verbs and not (
                # "ved skriver 7265": the printer, not "writes"
                lower in c.verb_noun_homographs
                and j >= 1
                and tokens[j - 1].lower in c.prepositions | c.determiners
            ):
                context.verb = True
                # "I was handed X", "fikk utdelt X": a value handed over is named like one
                # typed, and so is one written DOWN ("wrote down X", "noterte ned X")
                context.typed = (
                    lower in c.typing_verbs
                    or lower in ("handed", "utdelt")
                    or any(t.lower in ("down", "ned") for t in tokens[j + 1 : i])
                )
                break
            if lower in c.weak_verbs and between == 0:
                context.weak_verb = True
            if lower in c.receiving_verbs and between <= 1:
                context.received = True
            if (
                lower not in c.verb_fillers
                and kinds[j] != "password"
                and not (kinds[j] == "code" and j == i - 1)
            ):  # "jeg tastet koden 19457"
                break
            j -= 1
            between += 1
        context.tensed_verb = self._tensed_verb_before(tokens, kinds, i, text, english)
        context.after_year_word = (
            (
                i >= 1
                and tokens[i - 1].lower in c.year_words
                # "my birth year, 1983": a year apposed to the noun is a value, not a time
                and not (
                    tokens[i - 1].lower in c.year_nouns
                    and "," in text[tokens[i - 1].end : tokens[i].start]
                )
            )
            or _in_date(tokens, i)
        )
        context.after_preposition = self._after_preposition(tokens, i)
        context.chosen = self._chosen(tokens, i)
        context.object_of_use = (
            i >= 1
            and tokens[i - 1].lower in c.use_verbs
            and not (
                "," in text[tokens[i - 1].end : tokens[i].start]
                and shape_of(tokens[i], self.words) <= Shape.ODD
            )
        ) or context.chosen
        if context.chosen and tokens[i - 2].lower not in c.going_verbs:
            # "settled on X", "stuck with X", "came up with X": what was typed in since; not
            # "went for lunch"
            context.typed = True
        context.given = (
            i + 2 < len(tokens)
            and tokens[i + 1].lower in ("fra", "from", "av", "by")
            and tokens[i + 2].lower in c.givers
        )
        if (
            i >= 2
            and tokens[i - 1].lower in c.copulas
            and not tokens[i - 1].colon_after
            and not context.named
            # "it's the temp's account": a possessive before what the person has, not "the
            # temp is ACCOUNT"
            and not (tokens[i - 1].lower == "'s" and tokens[i].lower in c.possessed_nouns)
            and (
                (
                    tokens[i - 2].lower in c.old_new_labels
                    and (
                        i == 2
                        or tokens[i - 3].lower
                        in ("the", "det", "den", "my", "mitt", "min", "and", "og", "men", "but")
                    )
                )
                or (
                    i >= 3
                    and tokens[i - 2].lower in ("one", "en", "ett")
                    and tokens[i - 3].lower in c.old_new_labels
                )
            )
            and not any(kinds[k] for k in range(max(0, i - 6), i - 1) if kinds[k] != "password")
        ):
            # "previous one was tangerine", "forrige var klementin", "det gamle er X"; after
            # "the usual" only a value standing alone ("— wintergreen —"), not a list of steps
            usual = (
                tokens[i - 2].lower in c.usual_words
                or tokens[i - 3 if i >= 3 else 0].lower in c.usual_words
            )
            if not usual or i + 1 == len(tokens) or tokens[i + 1].text == tokens[i - 1].text:
                context.direct = context.copula = True
                context.kind, context.noun = "password", i - 2
        if i >= 1 and tokens[i - 1].colon_after and tokens[i - 1].lower in c.old_new_labels:
            # "old: Vinter2023 new: sommerfugl", "nytt: sommerfugl"
            context.direct = context.copula = True
            context.kind, context.noun = "password", i - 1
        if (
            context.object_of_use
            and i + 2 < len(tokens)
            and (
                tokens[i + 1].lower,
                tokens[i + 2].lower,
            )
            in (("på", "alt"), ("til", "alt"), ("for", "everything"), ("for", "all"))
        ):
            context.typed = True  # "bruker sommerfugl på alt", "use kingfisher for everything"
        if (
            i + 1 < len(tokens)
            and tokens[i + 1].lower in ("overalt", "everywhere")
            and (context.object_of_use)
        ):
            context.typed = True
        if (
            context.direct
            and not context.copula
            and context.noun >= 1
            and context.noun == i - 1
            and tokens[context.noun - 1].lower in c.having_verbs
        ):
            context.typed = True  # "jeg har passordet sommerfugl", "I got the password X"
        if i >= 3 and tokens[i - 1].lower in ("with", "med"):
            # "logget inn med sommerfugl", "logged in FINE with X", "kom inn UTEN PROBLEMER med X"
            m = i - 2
            # and when: "logged on AT 8 with X", "logga på KL 8 med X", "I DAG med X"
            while (
                m > i - 6
                and m >= 2
                and (
                    tokens[m].lower in c.sign_in_manners
                    or tokens[m].lower in c.sign_in_times
                    or (tokens[m].text.isdigit() and len(tokens[m].text) <= 2)
                    or _CLOCK_TIME.match(tokens[m].text)
                )
            ):
                m -= 1
            if (
                tokens[m].lower in ("in", "inn", "on", "på")
                and tokens[m - 1].lower in c.sign_in_verbs
            ):
                context.typed = context.verb = True
        if (
            (
                i >= 2
                and (
                    tokens[i - 1].lower in ("to", "til")
                    # "I'd set it AS marigold before the holiday": the value ends the clause
                    or (
                        tokens[i - 1].lower in ("as", "som")
                        and tokens[i - 2].lower in c.anaphors
                        and bool(text)
                        and self._value_ends(tokens, i, text)
                    )
                )
                and any(t.lower in c.verbs_needing_to for t in tokens[max(0, i - 4) : i - 1])
                # the thing changed is the password or "it", not "my phone"
                and all(
                    t.lower in c.verbs_needing_to
                    or t.lower in c.anaphors
                    or t.lower in c.possessives
                    or t.lower in ("the", "den", "det", "a", "an")
                    or t.lower in c.person_subjects  # "satte jeg til X"
                    or self._noun_kind(t) == "password"
                    for t in tokens[max(0, i - 4) : i - 1][
                        next(
                            k
                            for k, t2 in enumerate(tokens[max(0, i - 4) : i - 1])
                            if t2.lower in c.verbs_needing_to
                        ) :
                    ]
                )
                and not any(self._reference_noun(t.lower) for t in tokens[max(0, i - 6) : i - 1])
            )
            or self._password_set_to(tokens, i)
            or self._apposed_to_old_one(tokens, i, text)
        ):
            context.typed = context.verb = True  # "jeg tilbakestilte det til apekonge"
        if (
            i >= 2
            and tokens[i - 1].lower in ("from", "fra")
            and i + 1 < len(tokens)
            and tokens[i + 1].lower in ("to", "til")
            and any(t.lower in c.verbs_needing_to for t in tokens[max(0, i - 4) : i - 1])
            and all(
                t.lower in c.verbs_needing_to
                or t.lower in c.anaphors
                or t.lower in c.possessives
                or t.lower in c.person_subjects
                or self._noun_kind(t) == "password"
                for t in tokens[
                    next(
                        k
                        for k in range(max(0, i - 4), i - 1)
                        if tokens[k].lower in c.verbs_needing_to
                    ) : i - 1
                ]
            )
        ):
            context.typed = context.verb = True  # "change it from larkspur to something"
        context.name_given = i >= 1 and tokens[i - 1].lower in c.naming_verbs and not context.named
        context.from_now_on = self._from_now_on(tokens, i, text)
        if (
            context.from_now_on
            and i >= 2
            and tokens[i - 1].lower in ("for", "with", "on", "på", "med")
            and tokens[i - 2].lower in c.choice_verbs
        ):
            context.typed = context.verb = True  # "jeg går for X fra nå av"
        following = [t.lower for t in tokens[i + 1 : i + 3]]
        context.arrived = (
            bool(following)
            and not (
                # "order 4471-8820 arrived": a reference came, not a code
                i >= 1
                and (
                    tokens[i - 1].lower in c.code_blockers
                    or self._reference_noun(tokens[i - 1].lower)
                )
            )
            and (
                following[0] in c.arrival_verbs
                or (
                    len(following) == 2
                    and (following[0] in c.post_fillers or following[0] in ("nettopp", "akkurat"))
                    and following[1] in c.arrival_verbs
                )
            )
        )
        # "X doesn't work", "X godtas ikke"
        k = i + 1
        while k < min(i + 4, len(tokens)) and tokens[k].lower in c.failure_fillers:
            k += 1
        if k < len(tokens) and tokens[k].lower in c.failure_verbs:
            context.failed = not context.verb
            context.verb = True  # "X doesn't work", "X ble ikke godtatt"
        if (
            i >= 1
            and tokens[i - 1].colon_after
            and kinds[i - 1] != "user"
            and not (kinds[i - 1] == "code" and self._blocked_code(tokens, i - 1, i))
            and tokens[i - 1].lower.rstrip(":=") not in c.code_blockers
            and tokens[i - 1].lower.rstrip(":") not in c.discourse_markers
        ):
            everywhere = self._one_everywhere(tokens, i - 1)
            # "host=backup01" labels a machine; "one for every site: X" a password
            if everywhere or tokens[i - 1].lower.rstrip(":=") not in c.field_labels:
                context.label = True  # "got one from the helpdesk: X", not "error code: X"
            if everywhere and not context.direct:
                # "I use the same for everything: X", "brukar det same på alt: X"
                context.direct = context.copula = True
                context.kind = "password"
        # "it's X"
        if i >= 1 and tokens[i - 1].lower in c.anaphors and tokens[i - 1].lower.endswith("'s"):
            context.verb = True
        # "it was X", "det nye er X"
        if i >= 2 and tokens[i - 1].lower in c.copulas and not context.copula:
            k = i - 2
            while k >= 0 and tokens[k].lower in c.post_fillers and k > i - 5:
                k -= 1
            earlier = [n for n in secret_nouns if k - c.windows["anaphor_back"] <= n < k]
            anaphor = next(
                (
                    a
                    for a in range(k, max(-1, k - 4), -1)
                    if tokens[a].lower in c.anaphors and self._stands_alone(tokens, a)
                ),
                None,
            )
            if anaphor is not None and text[tokens[anaphor].end : tokens[i - 1].start].count(","):
                # "hvis det hjelper, er feilkoden ...": the pronoun is in a clause of its own,
                # and the noun after the verb is the subject, not a value
                anaphor = None
            if anaphor is None and tokens[k].lower in ("which", "som"):
                anaphor = k  # "the old one first, which was X"
            old_one = -1 if anaphor is None or earlier else self._old_one_before(tokens, anaphor)
            if old_one >= 0:
                # "it wants the old one first, that was X", "det forrige før det nye, det var X"
                context.direct = context.copula = True
                context.kind, context.noun = "password", old_one
            elif anaphor is not None and earlier:
                context.copula = True
                context.kind, context.noun = kinds[earlier[-1]], earlier[-1]
            elif (
                anaphor is not None
                and anaphor == k
                and tokens[k].lower in c.possessives
                and (k == 0 or tokens[k - 1].lower in c.clause_starts)
            ):
                # "mine is X", "mitt er X": a possessive standing for the password
                context.direct = context.copula = True
            elif anaphor is not None and self._changed_it_before(tokens, anaphor, i) >= 0:
                # "I changed it three times, now it's X": "it" is what was changed
                context.direct = context.copula = True
                context.noun = self._changed_it_before(tokens, anaphor, i)
            elif anaphor is not None:
                context.verb = True  # "I thought it was X", "the one they sent was X"
        elif (
            i >= 3
            and tokens[i - 1].lower in ("det", "den")
            and tokens[i - 2].lower in ("var", "er", "ble", "blir")
            and not context.copula
            # ", er det phishing?": a question of its own, not the value
            and not (
                text
                and "," in text[tokens[i - 3].end : tokens[i - 2].start]
                and text[tokens[i].end : tokens[i].end + 1] == "?"
            )
        ):
            # Norwegian word order after a fronted phrase: "før tilbakestillingen var det X"
            # (at the start of a message "Er det X?" is a question)
            earlier = [n for n in secret_nouns if i - 2 - c.windows["anaphor_back"] <= n < i - 2]
            if earlier:
                context.copula = True
                context.kind, context.noun = kinds[earlier[-1]], earlier[-1]
            elif self._changed_it_before(tokens, i - 2, i) >= 0:
                # "eg har bytt det tre gonger, no er det X"
                context.direct = context.copula = True
                context.noun = self._changed_it_before(tokens, i - 2, i)
            elif tokens[i - 3].lower not in c.clause_starts:
                context.verb = True
        elif (
            i >= 3
            and tokens[i - 3].lower in ("or", "eller")
            and tokens[i - 2].lower in c.copulas
            and tokens[i - 1].lower in ("it", "that", "det", "den")
        ):
            context.verb = True  # "... or was it X?", "eller var det X?"
        # "X is what I use (for everything)", "X er det jeg bruker", "X - that's what IT gave
        # me", "X – det var det IT ga meg"
        j = i + 2 if i + 1 < len(tokens) and tokens[i + 1].text in ("-", "–", "—") else i + 1
        if (
            j + 1 < len(tokens)
            and tokens[j].lower in c.anaphors
            and tokens[j + 1].lower in c.copulas
        ):
            j += 1
        # "X, that's the ONE the service desk made for me", "X, det er den servicedesken
        # lagde": a relative head, then who made or gave it
        head = j + 1
        if (
            head + 1 < len(tokens)
            and tokens[head].lower == "the"
            and tokens[head + 1].lower
            in (
                "one",
                "thing",
                "word",
            )
        ):
            head += 1
        if (
            head + 1 < len(tokens)
            and tokens[j].lower in c.copulas
            and tokens[j + 1].lower in c.use_relatives
            and (
                tokens[head + 1].lower in c.use_subjects
                or tokens[head + 1].lower in c.person_subjects
                or tokens[head + 1].lower in c.givers
                or tokens[head + 1].text.isupper()
                # "the service desk", "servicedesken": who gave it, named
                or (head > j + 1 and tokens[head + 1].lower in ("the", "my", "our"))
                or any(
                    tokens[head + 1].lower == giver + end
                    for giver in c.givers
                    for end in ("en", "et", "a")
                )
            )
            and any(t.lower in c.disclosure_verbs for t in tokens[head + 1 : head + 5])
        ):
            context.use_reverse = True
        # "no to blackcurrant, which is what I've always had", "solbærsaft, som er det jeg
        # alltid har hatt": the same after a comma, of a value with no determiner
        if (
            1 <= i < len(tokens) - 4
            and text[tokens[i].end : tokens[i].end + 1] == ","
            and tokens[i + 1].lower in ("which", "som")
            and tokens[i + 2].lower in c.copulas
            and tokens[i + 3].lower in c.use_relatives
            and tokens[i + 4].lower in c.use_subjects
            and any(
                t.lower in c.disclosure_verbs or t.lower in c.having_verbs or t.lower == "hatt"
                for t in tokens[i + 4 : i + 8]
            )
            and tokens[i - 1].lower not in c.determiners
            and tokens[i - 1].lower not in c.possessives
        ):
            context.use_reverse = True
        # "det er X jeg har brukt (som passord)": a cleft
        if (
            2 <= i < len(tokens) - 2
            and tokens[i - 1].lower in c.copulas
            and tokens[i - 2].lower in c.cleft_subjects
            and tokens[i + 1].lower in c.use_subjects
            and any(t.lower in c.disclosure_verbs for t in tokens[i + 1 : i + 5])
        ):
            context.use_reverse = True
        # "X is my password", "X som passord", "is X a strong enough password"
        linked = tokens[i].colon_after or (
            i >= 1
            and tokens[i - 1].lower in c.copulas
            and i + 1 < len(tokens)
            and tokens[i + 1].lower in c.articles
        )
        determined = i >= 1 and (
            tokens[i - 1].lower in c.determiners
            or tokens[i - 1].lower in c.possessives
            or tokens[i - 1].genitive  # "my kids' NAMES as password"
        )
        context.determined = determined
        # "it's two STEPS: the password and then the app": a thing counted, not a value
        counted = i >= 1 and (
            tokens[i - 1].text.isdigit()
            or (
                tokens[i - 1].lower in self.words.number_words
                and tokens[i - 1].lower not in ("one", "en", "ett", "to")
            )
        )
        colon_only = tokens[i].colon_after and not (i >= 1 and tokens[i - 1].lower in c.copulas)
        # (up to six fillers: "X is good enough as a password")
        for k in range(i + 1, min(i + 8, len(tokens))):
            if kinds[k] in _SECRET_NOUNS:
                if (
                    colon_only
                    and k == i + 1
                    and not self._noun_ends_clause(tokens, k, text)
                    and shape_of(tokens[i], self.words) <= Shape.COMPOUND
                ):
                    break  # "varsel: passordet ditt utløper om 7 dagar": a heading, not a value
                if (
                    linked
                    and not (determined or counted)
                    and not self._fronted_adverbial(tokens, i)
                ):
                    context.reverse = True
                    context.kind, context.noun = kinds[k], k
                break
            linked = linked or tokens[k].lower in c.reverse_links
            if (
                tokens[k].lower not in c.reverse_fillers
                and tokens[k].lower not in c.reverse_links
                # "X works as a password"
                and not (k == i + 1 and tokens[k].lower in c.suiting_verbs)
            ):
                break
        shape = shape_of(tokens[i], self.words)
        if (
            i + 3 < len(tokens)
            and (
                tokens[i + 1].lower in ("as", "som")
                # 'used "X" for the new one': a quotation used for it, not "a cable for the new
                # one"
                or (tokens[i + 1].lower in ("for", "til") and tokens[i].closes_quote)
                # "X was the temp one": after a copula only a value no name or device looks
                # like ("Kari var den nye", "LT-4471 was the old one")
                or (
                    tokens[i + 1].lower in c.copulas
                    and (
                        shape >= Shape.MEDIUM
                        or (shape is Shape.IDENT and any(ch.islower() for ch in tokens[i].text))
                    )
                )
            )
            and tokens[i + 2].lower in ("the", "det", "den", "my", "mitt", "min")
            and tokens[i + 3].lower in c.old_new_labels
            and (
                i + 4 == len(tokens)
                or tokens[i + 4].lower in ("one", "en", "ett", "from", "fra")
                or tokens[i + 4].lower in c.clause_starts
            )
            and not context.determined
        ):
            # "I wrote down elderflower as the new one", "skrev ned hyllebær som det nye og ..."
            context.reverse = True
            context.kind, context.noun = "password", i + 3
        # a user name or e-mail address, then a separator (or nothing, for a password shape)
        if i >= 1 and (
            (
                _EMAIL.match(tokens[i - 1].text)
                and tokens[i].text[-1:].isalnum()
                and (shape_of(tokens[i], self.words) >= Shape.COMPOUND or len(tokens) == 2)
            )
            or (
                # "ola.nordmann sommerfugl": a user name and one more word, nothing else
                len(tokens) == 2
                and _USER_NAME.match(tokens[0].text)
                and tokens[0].text.islower()
                and tokens[1].text[-1:].isalnum()
            )
            or (
                i >= 2
                and tokens[i - 1].text in ("/", "|", "-", ":", ",")
                and (
                    _EMAIL.match(tokens[i - 2].text)
                    or _USER_NAME.match(tokens[i - 2].text)
                    or (tokens[i - 1].text in ("/", "|") and _PLAIN_USER.match(tokens[i - 2].text))
                )
            )
            or (
                # "ola@firma.no og blåbærsnø": an address AND the password, ending the message
                i >= 2
                and i == len(tokens) - 1
                and tokens[i - 1].lower in ("og", "and", "+", "&")
                and (
                    _EMAIL.match(tokens[i - 2].text)
                    or (_USER_NAME.match(tokens[i - 2].text) and tokens[i - 2].text.islower())
                )
                and not self.words.is_domain(tokens[i].text)
                and not self._definite_noun(tokens[i].lower)
            )
            or (
                # "ola:sommerfugl", "login kari:Sommer2024": user:password written together
                len(tokens) <= 4
                and tokens[i - 1].colon_after
                and tokens[i - 1].end + 1 == tokens[i].start
                and (
                    _PLAIN_USER.match(tokens[i - 1].text)
                    or (_USER_NAME.match(tokens[i - 1].text) and tokens[i - 1].text.islower())
                )
                and not self._noun_kind(tokens[i - 1])
            )
        ):
            context.pair = True
        codes = [
            n for n in secret_nouns if kinds[n] == "code" and abs(n - i) <= c.windows["code_near"]
        ]
        token_digits = "".join(ch for ch in tokens[i].text if ch.isdigit())
        if codes:
            # The nearest code word decides: "error code 500121 in the Authenticator app"
            nearest = min(codes, key=lambda n: (abs(n - i), n > i))
            context.near_code = (
                not self._blocked_code(tokens, nearest, i, text)
                and not (
                    # five digits named only "code" are an error code more often than a one-time
                    # code (Entra's 50126, 53003); one-time codes have six or eight
                    len(token_digits) == 5
                    and all(tokens[n].lower in c.generic_code_nouns for n in codes)
                    and not context.verb
                    # unless it is what failed: "code 48291 at sign-in says invalid" (an error
                    # code is not invalid or expired, it "means" or "comes up")
                    and not any(t.lower in c.code_failures for t in tokens[i + 1 : i + 6])
                    # unless what a message shows: "the code in the text says 48291"
                    and not (i >= 1 and tokens[i - 1].lower in c.reading_verbs)
                    # unless someone's own: "my code is 48213", "koden min er 48213"
                    and not any(
                        t.lower in c.possessives
                        for n in codes
                        for t in tokens[max(0, n - 1) : n + 2]
                    )
                )
            )  # unless typed or failing: "koden 05110 virker ikke"
            if context.kind == "code" and not context.near_code and len(token_digits) == 5:
                context.direct = context.copula = False
        if token_digits == tokens[i].text and self._opened_with(tokens, i):
            context.near_code = True
        context.password_before = any(
            kinds[n] == "password" and i - 6 <= n < i for n in secret_nouns
        ) and not any(
            t.lower in c.code_blockers or t.lower in c.value_blockers or t.lower in c.year_words
            for t in tokens[max(0, i - 2) : i]
        )
        for n in secret_nouns:
            distance = abs(n - i)
            kind = kinds[n]
            if kind == "password" and distance <= c.windows["password_near"]:
                context.near_password = True
            elif kind == "key" and distance <= c.windows["key_near"]:
                context.near_key = True
            elif kind == "recovery" and distance <= c.windows["key_near"]:
                context.near_recovery = True
        return context

    def _tensed_verb_before(
        self, tokens: List[Token], kinds: List[str], i: int, text: str, english: bool
    ) -> bool:
        """ "hammered in X", "bestemte meg for X", "memorised X": a verb of any kind in a tense
        (the lemma tables', not a list of ours), at most two particles between, no comma; or
        the sign-in itself between it and "to X" ("swapped my sign-in over to X", "byttet
        innloggingen over til X")."""
        j = i - 1
        to = j >= 0 and tokens[j].lower in self.cues.to_prepositions
        j -= to
        sign_in = False
        while j >= 0 and i - j <= 6:
            if text and any(ch in text[tokens[j].end : tokens[j + 1].start] for ch in ",;.:"):
                return False
            word = tokens[j].text
            if (
                (word[:1].islower() or j == 0)
                and self.words.is_tensed_verb(word, english)
                and not self.words.is_domain(word)  # "TEAMS notification"
                and (
                    self._deed(tokens[j], english, to and sign_in)
                    # a state or an adjective may stand before a plain word, not before
                    # "stikkelsbær22": "gjenvant X", "sent over X"
                    or shape_of(tokens[i], self.words) >= Shape.MEDIUM
                )
            ):
                return sign_in or not to
            if kinds[j] == "password" or tokens[j].lower.startswith(self.cues.sign_in_topic_stems):
                sign_in = True
            elif (
                tokens[j].lower not in self.cues.verb_particles
                and tokens[j].lower not in self.cues.possessives
            ):
                return False
            j -= 1
        return False

    def _deed(self, verb: Token, english: bool, sign_in_changed: bool) -> bool:
        """Not a state or an adjective: "password expired notification", "låst for redigering",
        "hvor lang behandlingstid"; but "byttet innloggingen til X" (``sign_in_changed``)."""
        word = verb.text
        return (verb.lower not in self.words.predicates or sign_in_changed) and (
            word.endswith(self.cues.past_tense_endings)
            or (english and len(word) <= 4)  # "sent", not Norwegian "sent" (late)
            or not self.words.is_predicate(word)
        )

    def _rare_noun(self, token: Token) -> bool:
        """A long noun of the word lists that is none of ours ("pumpernickel", "kobberkjele"):
        typed after a verb in a tense it is a value; shorter everyday nouns ("file",
        "offices", "mandag") and definite forms ("brukerne") are things talked about."""
        lower = token.lower
        return (
            len(lower) >= 8
            and lower.isalpha()
            and self.words.is_noun(lower)
            and not self.words.is_domain(lower)
            and not self.words.is_predicate(lower)
            and lower not in self.words.products
            and not self._definite_noun(lower)
        )

    def _noun_ends_clause(self, tokens: List[Token], k: int, text: str) -> bool:
        """The noun at ``k`` (with its possessive) ends the clause: "X: my password"."""
        n = k + 1
        while n < len(tokens) and tokens[n].lower in self.cues.possessives:
            n += 1
        if n == len(tokens):
            return True
        return bool(text) and text[tokens[n - 1].end : tokens[n - 1].end + 1] in ",.;!?"

    def _chosen(self, tokens: List[Token], i: int) -> bool:
        """Token ``i`` is what was chosen or made up: "jeg går for X", "went with X", "settled
        on X", "came up with X", "stuck with X", "har holdt meg til X", "fant på X"."""
        if i < 2 or tokens[i - 1].lower not in ("for", "with", "on", "på", "paa", "med", "til"):
            return False
        verb = i - 2
        if tokens[verb].lower in ("up", "opp", "me", "meg", "myself", "oss", "us") and verb >= 1:
            verb -= 1  # "came UP with", "holdt MEG til"
        return tokens[verb].lower in self.cues.choice_verbs and (
            # "fant på X" and "kom på X" make it up; "fant X på" and "kom med X" do not
            tokens[verb].lower not in ("fant", "kom", "came")
            or tokens[i - 1].lower in ("på", "paa")
            or tokens[i - 2].lower == "up"
        )

    def _product_named(self, tokens: List[Token], k: int) -> bool:
        """A product or service stands at ``k``, after a possessive if any: "my Gmail"."""
        if k < len(tokens) and tokens[k].lower in self.cues.possessives:
            k += 1
        return k < len(tokens) and (
            tokens[k].lower in self.words.products or self.words.is_domain(tokens[k].text)
        )

    def _changed_it_before(self, tokens: List[Token], end: int, i: int) -> int:
        """Where "it"/"det" stands as the object of a verb of changing before ``end`` ("I
        changed IT", "har bytt DET"), or -1: a later "it's X" (token ``i``) names what it was
        changed to, unless X is a thing in a cleft ("nå er det mobilen SOM klager")."""
        if self._definite_noun(tokens[i].lower) or (
            i + 1 < len(tokens) and tokens[i + 1].lower in ("som", "that", "which", "who")
        ):
            return -1
        return next(
            (
                m + 1
                for m in range(max(0, end - 12), end - 1)
                if tokens[m].lower in self.cues.verbs_needing_to
                and tokens[m + 1].lower in ("it", "det")
            ),
            -1,
        )

    def _stands_alone(self, tokens: List[Token], k: int) -> bool:
        """ "mine is X" speaks of a password; "employee number MINE is" of something else."""
        if tokens[k].lower not in self.cues.possessives:
            return True
        before = tokens[k - 1] if k else None
        return before is None or before.lower in self.cues.clause_starts

    def _opened_with(self, tokens: List[Token], i: int) -> bool:
        """ "the tablet unlocks with N", "døra låses opp med N": digits that open something."""
        if i < 2 or tokens[i - 1].lower not in ("with", "med"):
            return False
        verb = i - 3 if tokens[i - 2].lower in ("opp", "up") and i >= 3 else i - 2
        if tokens[verb].lower not in self.cues.unlocking_verbs:
            return False
        # "the report opens with 2024 figures": a year that qualifies a noun
        return not (
            _YEAR.match(tokens[i].text)
            and i + 1 < len(tokens)
            and tokens[i].end + 1 == tokens[i + 1].start
            and tokens[i + 1].lower not in self.cues.clause_starts
        )

    def _blocked_code(self, tokens: List[Token], noun: int, value: int, text: str = "") -> bool:
        """ "error code 50126", "postnummer 0150": a number that is no secret."""
        c = self.cues
        for k in (noun, noun - 1, noun - 2, value - 1):  # the noun itself: "postcode"
            if 0 <= k < len(tokens) and tokens[k].lower.rstrip(":") in c.code_blockers:
                return True
        if (
            value >= 1
            and tokens[value - 1].lower in c.value_blockers
            # "the PIN on the 3rd floor, 5521, ...": a comma ends the place, the number is apart
            and "," not in text[tokens[value - 1].end : tokens[value].start]
        ):
            return True  # "SMS from 2222", "koden kom kl 0930"
        # "what does code 53003 mean", "kode 53003 betyr at ..."
        return value + 1 < len(tokens) and tokens[value + 1].lower in c.explained_after

    # -- decisions ----------------------------------------------------------------------

    def _decide(
        self,
        token: Token,
        shape: Shape,
        context: _Context,
        *,
        has_password_noun: bool,
        has_secret_noun: bool,
        has_pin_noun: bool = False,
        describes: bool,
        lone: bool,
        ends_clause: bool,
        user_named: bool = False,
        value_ends: bool = False,
        english: bool = False,
        abbreviation_pair: bool = False,
        near_label: bool = False,
        few_words: bool = False,
    ) -> Optional[str]:
        """The kind of secret ``token`` is, or None.

        ``user_named``: a user name or e-mail address stands in the message, so a word right
        after a password noun is the password of a pair ("username jdoe password octopus").
        ``near_label``: a field label ("serial", "rom") stands a few words around.
        ``few_words``: the message is four tokens or fewer ("kari@firma.no / sommerfugl").
        """
        if (
            context.username_value
            and not context.direct
            and not (shape is Shape.STRONG and any(ch in _ODD_SYMBOLS for ch in token.text))
        ):
            return None  # "kontoen: kari.n"; but "kontoen: Måke~Fly~Høyt" is no user name
        if context.name_given:
            return None  # "mappen heter Prosjekt-Fjordlys-2024"
        if token.lower in self.words.common_passwords:
            return "password"  # "letmein", "iloveyou": from every breach list
        named_kind = _KIND_OF_NOUN.get(context.kind, "password")
        if shape in (Shape.STRONG, Shape.MEDIUM):
            # A strong or medium shape is what its neighbours call it, if they call it anything.
            called = _kind_named_by_context(token, context, named_kind)
            if called:
                return called
        if shape is Shape.STRONG:
            if len(token.text) >= _LONG_RANDOM_LENGTH and not context.near_password:
                return "token"
            return "password"
        if shape is Shape.DIGITS:
            if _YEAR.match(token.text) and (
                context.after_year_word or not (context.named or context.near_code)
            ):
                return None  # "satt i 2021"; but "PIN-koden er visst 1985"
            if context.near_recovery and len(token.text) >= 8:
                return "recovery_key"
            if context.near_code:
                return "one_time_code"
            if context.named and context.kind in ("password", "code"):
                return named_kind
            if context.pair:
                return "password"  # "kari@contoso.no / 84736251"
            if context.label and has_secret_noun:
                return "password" if has_password_noun else "one_time_code"
            digits = sum(ch.isdigit() for ch in token.text)
            if context.typed and has_pin_noun and 4 <= digits <= 8:
                return "one_time_code"  # "jeg taster N på skriveren og den sier feil PIN"
            if (context.verb or context.label) and (has_password_noun or digits >= 6):
                # six digits nobody called a password are a one-time code ("bruk 553901")
                return "one_time_code" if digits == 6 and not has_password_noun else "password"
            if context.arrived and 6 <= sum(c.isdigit() for c in token.text) <= 8:
                return "one_time_code"  # "482913 just came in", "koden 48291307 kom nå"
            if context.received and sum(c.isdigit() for c in token.text) == 6:
                return "one_time_code"  # "I got 482913 on my phone"
            if context.received and context.given and len(token.text) >= 7:
                return "password"  # "jeg fikk 84736251 fra brukerstøtte"
            if context.password_before and len(token.text) >= 6:
                return "password"  # "passordet mitt er bare tall, 20406080"
            if lone and sum(c.isdigit() for c in token.text) == 6:
                return "one_time_code"  # a code pasted on its own
            return None
        if shape is Shape.MEDIUM:
            if (
                context.verb
                or context.pair
                or (context.near_password and not _SHORT_ID.match(token.text))
                or (
                    context.weak_verb
                    and (has_password_noun or _word_and_number(token.text, self.words))
                )
                or context.label
                or context.use_reverse  # "qwerty123456 is what I typed"
                or _password_shaped(token.text)
                or _words_and_number(token.text, self.words)
            ):
                return "password"
            if context.near_code:
                return "one_time_code"
            if lone and (_word_and_number(token.text, self.words) or _scrambled(token.text)):
                return "password"  # "sol123", "kx8vq2mz" pasted on their own
            return None
        if shape is Shape.IDENT:
            if self._ticket(token.text) and not (context.direct and context.copula):
                return None  # "nytt passord REQ0019923", "is SAK-88 about my password"
            if (
                _DOMAIN.match(token.text)
                and token.lower.split("/", 1)[0].rsplit(".", 1)[-1] in self.cues.top_level_domains
                and not (context.direct and context.copula)
            ):
                return None  # "go to portal.office.com for the password"
            if (
                token.text.isdigit() and _PHONE.match(token.text) or _SPACED_PHONE.match(token.text)
            ) and (context.typed or (context.near_code and context.named)):
                # eight digits shaped like a mobile number, but typed or named a code
                return "one_time_code" if context.near_code else named_kind
            # "koden til møterommet er B2-304" names a room; "koden er 93178956" or
            # "Your code: A7K2P9" a code
            if context.named and (context.kind == "password" or _CODE_LIKE.match(token.text)):
                return named_kind
            if (
                context.near_code
                and _CODE_LIKE.match(token.text)
                and not _ID_PREFIX.match(token.text)
                and not _PHONE.match(token.text)
            ):
                return "one_time_code"
            if (
                context.kind == "code"
                and (context.named or context.received or context.typed)
                and _GROUPED_CODE.match(token.text)
                and not self._ticket(token.text)
                and not near_label
            ):
                return "one_time_code"  # "login code: 7GX-4KQ", "koden AB4-K9Q": groups typed in
            if (
                (context.verb or context.near_password or context.received or context.pair)
                and token.text.count(".") >= 2
                and all(part.isalpha() and len(part) >= 2 for part in token.text.split("."))
                and token.lower.rsplit(".", 1)[-1] not in self.cues.top_level_domains
            ):
                return "password"  # "I tried sol.og.sommer": three words, not first.last
            letters = "".join(ch for ch in token.text if ch.isalpha())
            if (
                context.verb
                or context.near_password
                or (lone and not self._ticket(token.text) and not self.words.is_domain(letters))
            ) and _capital_word_and_digits(token.text, self.words):
                return "password"  # "I typed SOMMER2024", "ELG1982" alone
            if (context.verb or context.typed or context.named) and _words_and_number(
                token.text, self.words
            ):
                return "password"  # "it's Spring-Start-7", "det er Vår-Start-7"
            if (
                context.typed
                and not self._ticket(token.text)
                and any(ch.isdigit() for ch in token.text)
                and sum(ch.isalpha() for ch in token.text) >= 4
                and any(ch.islower() for ch in token.text)
                and not any(
                    p.lower() in self.words.products for p in re.split(r"[-_.]", token.text)
                )
                and not _DOMAIN.match(token.text)
            ):
                return "password"  # "I will change it to Quartz-Fox-11", "skrev inn Elg-Ku-42"
            if (
                context.verb
                and not self._ticket(token.text)
                and any(ch in "!$%&*?@+=~" for ch in token.text)
                or (context.verb and "#" in token.text.strip("#") and letters)
            ):
                return "password"  # "N1553#38 virker ikke": capitals, digits and a symbol
            if (
                context.near_code
                and sum(c.isalpha() for c in token.text) <= 2
                and re.search(r"\d{5}", token.text)
                and not _PHONE.match(token.text)
                and not _SPACED_PHONE.match(token.text)
            ):
                return "one_time_code"  # G-482913
            if (
                context.typed
                and len(token.text) >= 6
                and _CODE_LIKE.match(token.text)
                and sum(ch.isalpha() for ch in token.text) >= 2
                and not token.text.isdigit()
                and not _ID_PREFIX.match(token.text)
                and not self._ticket(token.text)
                and not near_label  # "I entered 5CG2291XYZ as the serial"
            ):
                # "enter F7KQ2MXRP at microsoft.com/devicelogin", "skriv inn HQ3MX7PKT":
                # letters and digits mixed at random, typed: a device or one-time code
                return "one_time_code"
            return None
        if shape in (Shape.ODD, Shape.COMPOUND):
            if context.inverted and context.determined:
                return None  # "is the password for THE staffroom still ...": a place asked about
            if not (context.named or context.pair) and any(
                token.lower.endswith(end) and token.lower[: -len(end)] in self.words.products
                for end in self.cues.definite_endings
            ):
                return None  # "yubikeyen", "zoomen": a product in its definite form
            if (
                context.failed
                and shape is Shape.COMPOUND
                and not has_password_noun
                and token.lower.endswith(self.cues.definite_endings)
                and not english  # "sunshinerocket stopped working": no Norwegian ending
                and not (context.named or context.pair)
            ):
                return None  # "innloggingssiden virker ikke": a thing, named
            if (context.after_preposition or context.determined) and not (
                context.named or context.pair or context.typed
            ):
                # "logget inn i timeføringssystemet til kunden", "sign in to the
                # timesheetportal": a place or a system
                return None
            if context.use_reverse and token.text.islower():
                return "password"
            if (
                context.chosen
                and token.text.islower()
                and (ends_clause or value_ends or context.typed)
            ):
                return "password"  # "stuck with copperkettle since ...", "landet på elvesving"
            if (
                context.given
                and (context.received or context.verb)
                and not self._definite_noun(token.lower)
            ):
                return "password"  # "jeg fikk blåbærsnø fra brukerstøtte"
            if (
                not (context.named or context.pair)
                and token.is_alpha
                and self._definite_noun(token.lower.rsplit("-", 1)[-1])
            ):
                return None  # "gi meg passordet til gjest-wifien": a thing, in its definite form
            if context.direct and not context.copula and len(token.text) < 5 and shape is Shape.ODD:
                return None  # "passord paa o365", "feil passord hver gang": a typo, not a value
            if (
                context.direct
                and not context.copula
                and not ends_clause
                and not value_ends
                and not context.verb
                and not context.pair
                and not user_named
            ):
                return None  # "password autofill fills ...": a compound noun, not "pw cactus"
            if (
                context.named
                or context.pair
                or (
                    (context.verb or context.label)
                    # "Orchid_River": words joined by a symbol are no name
                    and (has_password_noun or not token.text[:1].isupper() or not token.is_alpha)
                )
            ):
                return named_kind
            return None
        if (
            abbreviation_pair
            and token.text.islower()
            and token.lower not in self.cues.status_words
            and token.lower not in self.cues.compound_heads
            and token.lower not in self.cues.failure_verbs  # "pw tuller"
            and token.lower not in self.words.stop_words
            and token.lower not in self.words.products
            and not self.words.is_predicate(token.text)
            and not self.words.is_domain(token.text)
        ):
            return "password"  # "pw sommerfugl": an abbreviation and one word, nothing else
        # A dictionary word: only as the named value ("passordet er sommerfugl"), and not
        # when it begins a description ("passordet er navnet PÅ hunden", "bursdagen MIN").
        if context.inverted and not ends_clause:
            return None  # "is my password history kept?"
        if context.after_preposition and not (
            context.typed or context.use_reverse or (context.reverse and not token.colon_after)
        ):
            return None  # "passordet er i orden", "blir endret i morgen"
        # A plain word after "user /" is the password only when a password is spoken of or
        # the pair is all there is: "check ingrid.s / finance" names a department.
        plain_pair = context.pair and (has_password_noun or few_words or context.failed)
        if (
            (context.direct and context.copula or context.reverse or plain_pair)
            and context.kind == "password"
            and not describes
            and not self.words.is_domain(token.text)
        ):
            return "password"
        if (
            context.bracketed
            and context.kind == "password"
            and token.lower not in self.cues.status_words
            and token.lower not in self.cues.compound_heads
            and token.lower not in self.words.stop_words
            and not self.words.is_domain(token.text)
            and not self.words.is_domain(token.lower[:-1])  # "(admins)", "(apps)"
            and not self.words.is_misspelt_predicate(token.text)
        ):
            return "password"  # "my password (velvet) stopped working", "passordet (fløyel)"
        if (
            context.failed
            and context.adjacent
            and context.kind == "password"
            and not describes
            and token.lower not in self.cues.compound_heads
            and token.lower not in self.cues.failure_fillers
            and token.lower not in self.words.stop_words
            and not self.words.is_predicate(token.text)
            and not self.words.is_domain(token.text)
            and not self._definite_noun(token.lower)
        ):
            return "password"  # "new password tulip doesn't work", not "password manager"
        if (
            context.typed
            and (not describes or context.rare_value)
            and not context.determined
            and not self._definite_noun(token.lower)
            and not self.words.is_domain(token.text)
            and (has_password_noun or token.text.islower())
        ):
            return "password"  # "I typed Sunshine", "jeg skrev sommerfugl"
        if (
            context.use_reverse
            and token.text.islower()
            and not self.words.is_domain(token.text)
            and (has_password_noun or context.reverse or not describes)
        ):
            return "password"  # "sunflower is what I use", "det er X jeg bruker"
        if (
            user_named
            and context.direct
            and context.kind == "password"
            and ends_clause
            and not self.words.is_domain(token.text)
            and token.lower not in self.cues.status_words
        ):
            return "password"  # "username jdoe password octopus"
        if (
            context.object_of_use
            and (ends_clause or context.from_now_on or (context.chosen and value_ends))
            and token.text.islower()
            and not self.words.is_domain(token.text)
            and (not self.words.is_predicate(token.text) or self._value_word(token))
            and token.lower not in self.words.products
            and not self._definite_noun(token.lower)
        ):
            return "password"  # "I use kingfisher", "jeg prøvde sommerfugl."
        return None

    def _one_everywhere(self, tokens: List[Token], label: int) -> bool:
        """The words before a colon at ``label`` say one value is used everywhere ("the same
        for everything", "same for all my accounts", "one for every site", "det samme på
        alt")."""
        phrase = [t.lower for t in tokens[max(0, label - 6) : label + 1]]
        for n, word in enumerate(phrase[:-1]):
            if (word in self.cues.same_words or word in self.cues.one_words) and phrase[n + 1] in (
                "one",
                "for",
                "on",
                "på",
                "til",
                "i",
                "in",
            ):
                rest = phrase[n + 1 :]
                return any(w in self.cues.every_words for w in rest)
        return False

    def _old_one_before(self, tokens: List[Token], anaphor: int) -> int:
        """Where "the old one", "the previous one", "det gamle", "det forrige" stands a few
        words before ``anaphor`` (a password spoken of with no noun), or -1."""
        c = self.cues
        for n in range(anaphor - 1, max(0, anaphor - 8), -1):
            one = n + 1 < anaphor and tokens[n + 1].lower in ("one", "en", "et")
            norwegian = tokens[n].lower.endswith(("e", "t"))  # "det gamle", "det nåværende"
            if (
                tokens[n].lower in c.old_new_labels
                and tokens[n - 1].lower in c.determiners | c.possessives
                and (one or norwegian)
            ):
                return n
        return -1

    def _own_words_are(self, tokens: List[Token], kinds: List[str], i: int) -> bool:
        """ "my three words are X Y Z", "de tre ordene mine er X Y Z": one's own counted words,
        then a copula; token ``i`` opens the phrase."""
        own = self.cues.possessives | self.cues.plural_possessives
        if i < 3 or tokens[i - 1].lower not in ("are", "were", "er", "var") or kinds[i]:
            return False
        k = i - 2
        if tokens[k].lower in own:
            k -= 1  # "ordene MINE er"
        return (
            tokens[k].lower in ("words", "ord", "ordene")
            and tokens[k - 1].lower in self.words.number_words
            and any(t.lower in own for t in tokens[max(0, k - 2) : i - 1])
            and tokens[i].is_alpha
        )

    def _apposed_to_old_one(self, tokens: List[Token], i: int, text: str) -> bool:
        """ "signed in with the old faithful, X, and ...", "prøvde det gamle, X, ...": token
        ``i``, set off by commas, names the old, new or usual one that was typed or signed in
        with just before it, or that the message opens with as an answer ("the old one, X")."""
        c = self.cues
        if i < 2 or text[tokens[i - 1].end : tokens[i].start].strip() != ",":
            return False
        labels = c.old_new_labels | c.usual_words | c.same_words
        if text[tokens[i].end : tokens[i].end + 1] not in (",", ".", ";", ""):
            return False
        if self._handed_over_before(tokens, i):
            return True
        for start in range(i - 1, max(-1, i - 4), -1):
            if (
                tokens[start].lower in c.determiners or tokens[start].lower in c.possessives
            ) and tokens[start].lower not in c.same_words:  # "the SAME one": it opens before
                break
        else:
            return False
        phrase = tokens[start:i]
        if not (
            any(t.lower in labels for t in phrase)
            and all(t.is_alpha and t.lower not in c.prepositions for t in phrase)
        ):
            return False
        if (
            i + 1 == len(tokens)
            and start <= 2
            and all(t.lower in self.words.stop_words for t in tokens[:start])
        ):
            return True  # "the usual one, goldfinch", "ja, det vanlige, stillits": an answer
        verb = start - 1
        if verb < 0:
            return False
        if tokens[verb].lower in ("with", "med") and verb >= 2:
            return (
                tokens[verb - 1].lower in ("in", "inn", "on", "på")
                and tokens[verb - 2].lower in c.sign_in_verbs
            )
        return tokens[verb].lower in c.typing_verbs or tokens[verb].lower in c.use_verbs

    def _handed_over_before(self, tokens: List[Token], i: int) -> bool:
        """ "what they gave me last time, X, ...", "det de ga meg sist, X, ...": the clause
        before the comma at ``i`` opens with "what"/"det" and a person who handed it over."""
        c = self.cues
        for start in range(i - 2, max(-1, i - 8), -1):
            if tokens[start].lower in ("what", "hva", "det") and (
                tokens[start + 1].lower in c.person_subjects or tokens[start + 1].lower in c.givers
            ):
                return any(t.lower in c.handing_verbs for t in tokens[start + 2 : start + 4])
        return False

    def _inverted_phrase_ends(
        self, tokens: List[Token], kinds: List[str], i: int, text: str, context: _Context
    ) -> bool:
        """After an inverted copula and a phrase noun, a phrase of three or more words that
        ends the clause: "for ordens skyld er passfrasen min X Y Z"."""
        if not (context.inverted and context.direct and self._is_passphrase_cue(tokens, context)):
            return False
        end = self._passphrase_end(tokens, kinds, i)
        return end - i >= 2 and self._value_ends(tokens, end, text)

    def _fronted_adverbial(self, tokens: List[Token], i: int) -> bool:
        """Token ``i`` ends a phrase that opens the message with a preposition, before an
        inverted copula: "FOR ORDENS SKYLD er passordet mitt X", "etter oppdateringa er ..."."""
        return (
            1 <= i <= 3
            and i + 1 < len(tokens)
            # the verb comes second
            and tokens[i + 1].lower in self.cues.norwegian_copulas | {"is", "was"}
            and tokens[0].lower in self.cues.prepositions
            and all(t.is_alpha for t in tokens[1 : i + 1])
        )

    def _password_set_to(self, tokens: List[Token], i: int) -> bool:
        """ "set the shared mailbox password to X", "endret passordet på kioskkontoen til X":
        a password noun, named by up to two words before it and what it is for after it, is
        the object of a verb of setting, and token ``i`` follows its "to"."""
        c = self.cues
        if i < 3 or tokens[i - 1].lower not in ("to", "til"):
            return False
        for noun in range(i - 2, max(0, i - 7), -1):
            if self._noun_kind(tokens[noun]) == "password":
                break
        else:
            return False
        between = tokens[noun + 1 : i - 1]
        # what the password is for: nothing, or one preposition and up to three words
        if between and not (
            between[0].lower in c.phrase_prepositions
            and len(between) <= 4
            and all(
                t.is_alpha and t.lower not in c.verbs_needing_to and t.lower not in c.clause_starts
                for t in between[1:]
            )
        ):
            return False
        before = tokens[max(0, noun - 4) : noun]
        verbs = [k for k, t in enumerate(before) if t.lower in c.verbs_needing_to]
        return (
            bool(verbs)
            and all(t.is_alpha and t.lower not in c.prepositions for t in before[verbs[-1] + 1 :])
            and not any(self._reference_noun(t.lower) for t in tokens[noun : i - 1])
        )

    def _from_now_on(self, tokens: List[Token], i: int, text: str) -> bool:
        """ "bruke grønnkål HERETTER", "use X FROM NOW ON", "bruker X NÅ, ...", "use X these
        days.": a choice of password, said with when, and then the clause ends."""
        after = [t.lower for t in tokens[i + 1 : i + 3]]
        if bool(after) and (
            after[0] in ("heretter", "fremover", "framover", "onwards", "henceforth")
            or after in (["from", "now"], ["fra", "nå"])
        ):
            return True
        after = [t.lower for t in tokens[i + 1 : i + 4]]
        if not after or after[0] not in self.time_adverb_starts:
            return False
        for length in (1, 2, 3):
            when = " ".join(after[:length])
            last = i + length
            if (
                len(after) >= length
                and when in self.cues.time_adverbs
                and text[tokens[i].end : tokens[i + 1].start] == " "
                and (
                    last + 1 == len(tokens)
                    or text[tokens[last].end : tokens[last].end + 1] in ".,;!?"
                )
            ):
                return True
        return False

    def _value_ends(self, tokens: List[Token], i: int, text: str) -> bool:
        """The value ends where the clause does: "passordet er multe, men", not "is longer than",
        and is not the object of a preposition ("passordet er i orden")."""
        if self._after_preposition(tokens, i):
            return False
        end = tokens[i].end
        if i + 1 == len(tokens) or text[end : end + 1] in ("?", ".", "!", ",", ";", ")"):
            return True
        if text[end : end + 3] in (" - ", " – ", " — "):
            return True  # "password seashell - both correct"
        after = tokens[i + 1].lower
        return (
            after in self.cues.clause_starts
            or after in self.cues.clause_breaks
            or after in self.cues.failure_verbs
            or after in self.cues.value_enders
        )

    def _after_preposition(self, tokens: List[Token], i: int) -> bool:
        """ "passordet er I ORDEN", "endret I MORGEN"; but "satt TIL sommerfugl" names a value."""
        c = self.cues
        return (
            i >= 1
            and tokens[i - 1].lower in c.prepositions
            and not (
                i >= 2
                and tokens[i - 1].lower in ("to", "til")
                and tokens[i - 2].lower in c.verbs_needing_to
            )
            and not (
                # "tried with kattepus", "logget inn med sommerfugl"; not "prøvde med mobilen"
                tokens[i - 1].lower in ("with", "med")
                and (
                    any(t.lower in c.disclosure_verbs for t in tokens[max(0, i - 4) : i - 1])
                    # "fortsetter med X, det er lett å huske": a choice, if about a password
                    or (
                        i >= 2
                        and tokens[i - 2].lower in c.choice_verbs
                        and any(
                            t.lower in c.remembering_words or self._noun_kind(t) == "password"
                            for t in tokens
                        )
                    )
                )
                and not self._definite_noun(tokens[i].lower)
            )
        )

    def _message_facts(self, tokens: List[Token]) -> Tuple[bool, int]:
        """Whether the message says whose it is ("my", "mitt"), and where "I typed" first
        stands (len(tokens) if nowhere): once per message, so the detector stays linear."""
        c = self.cues
        own = any(t.lower in c.own_markers for t in tokens)
        first_typed = next(
            (
                k
                for k, t in enumerate(tokens)
                if t.lower in c.typing_verbs
                and k >= 1
                and tokens[k - 1].lower in c.use_subjects
                and not (k >= 2 and tokens[k - 2].lower in c.modal_verbs)
            ),
            len(tokens),
        )
        return own, first_typed

    def _hypothetical(
        self,
        tokens: List[Token],
        i: int,
        text: str,
        context: _Context,
        facts: Tuple[bool, int],
    ) -> bool:
        """ "Is a password LIKE Summer2024 allowed?", "for example 'Vinter2025!'": an example the
        writer doesn't say is theirs. Not when the message says whose it is ("my password is
        like X?"), names it ("password: X"), or says it was typed or tried."""
        c = self.cues
        if context.verb or context.typed or context.pair or context.label:
            return False
        if context.direct and not context.inverted:
            return False  # "the password is like X?" names it
        own, first_typed = facts
        if own:
            return False
        if first_typed < i:
            return False  # "I typed something like X?": what was typed, asked about
        before = [t.lower for t in tokens[max(0, i - 3) : i]]
        if any(b in c.example_markers for b in before) or (
            len(before) >= 2 and before[-2:] in (["for", "example"], ["for", "eksempel"])
        ):
            return True
        if not before or before[-1] not in c.hypothetical_markers:
            return False
        if before[-1] in ("as", "som") and not (
            # "a password such as X", "et passord som X", "noe sånt som X"
            len(before) >= 2
            and (before[-2] in c.example_heads or self._noun_kind(tokens[i - 2]) == "password")
        ):
            return False
        return "?" in text[tokens[i].start :]

    def _definite_noun(self, lower: str) -> bool:
        """A Norwegian noun with its definite ending: "mobilen", "appen", "nettleseren", long
        compounds of a system or a place ("selvbetjeningsportalen", "timeføringssystemet"), and
        a compound whose head is a noun in its definite form ("jobbtelefonen")."""
        return self._definite_head(lower) or any(
            lower.endswith(end)
            and len(lower) > len(end) + 2
            and (
                self.words.is_listed(lower[: -len(end)])
                or (
                    end in ("en", "et")
                    and len(lower) >= 16
                    and self.words.is_compound(lower[: -len(end)])
                )
            )
            and (end != "t" or lower[-2:-1] == "e")
            for end in ("en", "n", "et", "t", "a", "ene", "ne")  # "brukerne"
        )

    def _definite_head(self, lower: str) -> bool:
        if not lower.endswith(("en", "et")) or not 9 <= len(lower) <= _MAX_HEADED:
            return False
        return any(
            self.words.is_word(lower[:k])
            and self.words.is_noun(lower[k:-2])
            and self.words.is_listed(lower[k:])
            # a head of five letters or more: "tulipgarden" is no "tulip" + "gard-en"
            for k in range(3, len(lower) - 6)
        )

    def _ticket(self, text: str) -> bool:
        """A ticket, request or case reference ("INC0012345", "SAK-88", "PH-7K3QXA")."""
        prefixed = _ID_PREFIX.match(text)
        return bool(_REFERENCE.match(text) and (text.isupper() or text.islower())) or bool(
            prefixed
            and len(prefixed.group(1)) >= 2
            and prefixed.group(1).lower() in self.words.id_prefixes
        )

    def _value_word(self, token: Token) -> bool:
        """A noun that the word lists know as an adjective too ("avocado", "multe"): after
        "password is" it is the value, unless we know it describes a password."""
        lower = token.lower
        return (
            token.is_alpha
            and len(lower) >= 3
            and lower not in self.words.stop_words
            and lower not in self.cues.status_words
            and lower not in self.words.predicates
            and lower not in self.cues.failure_fillers
            and lower not in self.cues.value_enders
            and not self.words.is_domain(lower)
            and self.words.is_noun(lower)
        )

    def find(self, text: str) -> List[Span]:
        """Secret spans in ``text`` (tokens and quoted spans), each with its kind."""
        tokens = tokens_of(text)
        if not tokens:
            return []
        kinds = [self._noun_kind(token) for token in tokens]
        for n in range(1, len(tokens)):
            # "min bruker er pol123", "passord FOR bruker ahaugen": with a possessive or after
            # a preposition, "bruker" is a user, not "uses".
            if tokens[n].lower in self.cues.colon_username_nouns and (
                tokens[n - 1].lower in self.cues.possessives
                or tokens[n - 1].lower in ("for", "til", "av", "of")
            ):
                kinds[n] = "user"
            if tokens[n].lower in ("name", "names", "id") and tokens[n - 1].lower in (
                "login",
                "logon",
                "account",
                "display",
                "sign-in",
                "user",
            ):
                kinds[n] = kinds[n - 1] = "user"  # "my login name is tberg"
                continue
            # "koden kom på mail: 804117", "sent by mail:": how it came, not an address
            elif (
                kinds[n] == "user"
                and tokens[n].colon_after
                and tokens[n - 1].lower in ("på", "via", "by", "per", "on", "in", "i", "over")
                and tokens[n].lower not in self.cues.username_nouns
            ):
                kinds[n] = ""
            article = n - 1 - (n >= 2 and tokens[n - 1].lower in ("the", "an", "a", "that", "den"))
            if (
                kinds[n] == "user"
                and tokens[n].lower in self.cues.mail_nouns
                and tokens[article].lower in self.cues.message_prepositions
            ):
                kinds[n] = ""  # "the code IN THE EMAIL from IT was N": a message, not an address
            if (
                tokens[n].lower in ("word", "ord")
                and tokens[n - 1].lower == "pass"
                and text[tokens[n - 1].end : tokens[n].start] == " "
            ):
                kinds[n - 1] = kinds[n] = "password"  # "pass word lighthouse", "pass ord fyrtårn"
        for n in range(len(tokens) - 2):
            if (
                tokens[n].lower in ("login", "logon", "innlogging", "pålogging")
                and not kinds[n]
                or tokens[n].lower in ("creds", "credentials", "innlogg")
                and tokens[n].colon_after
            ) and tokens[n + 2].text in ("/", "|", ","):
                # "login ekarlsen / pw X", "creds: svc_print / X": a form, the user name first
                kinds[n] = "user"
            if (
                tokens[n].lower in self.cues.login_nouns
                and (tokens[n + 1].lower in self.cues.copulas or tokens[n].colon_after)
                and any(
                    kinds[m] == "password" and tokens[m].lower not in self.cues.login_nouns
                    for m in range(n + 2, len(tokens))
                )
            ):
                kinds[n] = "user"  # "login is hlarsen and the pass is X": the login is the user
            place = n + 3 if tokens[n + 2].lower in ("the", "a") else n + 2
            if (
                tokens[n].lower in self.cues.code_devices
                and tokens[n + 1].lower in ("på", "ved", "on", "at", "by")
                and place < len(tokens)
                and tokens[place].lower in self.cues.door_nouns
            ):
                kinds[n] = "code"  # "tastaturet på døra vil ha N", "the panel by the door"
        secret_nouns = [n for n, kind in enumerate(kinds) if kind in _SECRET_NOUNS]
        has_password_noun = any(kinds[n] == "password" for n in secret_nouns)
        has_pin_noun = any(
            kinds[n] == "code" and _PIN_NOUN.search(tokens[n].lower) for n in secret_nouns
        )
        # A user name is written: an address, or a user word with a value after it
        # ("username jdoe"), not "a user's password".
        user_named = any(
            _EMAIL.match(t.text) or (_USER_NAME.match(t.text) and t.text.islower()) for t in tokens
        ) or any(
            kind == "user"
            and n + 1 < len(tokens)
            and not kinds[n + 1]
            and tokens[n + 1].lower not in self.words.stop_words
            and tokens[n + 1].lower != "'s"
            for n, kind in enumerate(kinds)
        )
        facts = self._message_facts(tokens)
        sign_in_topic = (
            bool(secret_nouns)
            or any(t.lower.startswith(self.cues.sign_in_topic_stems) for t in tokens)
            or any(
                a.lower in self.cues.sign_in_verbs and b.lower in ("in", "inn", "on", "på")
                for a, b in zip(tokens, tokens[1:])
            )
            or any(
                a.lower in self.cues.sign_in_verbs | self.cues.letting_verbs and b.lower == "into"
                for a, b in zip(tokens, tokens[1:])
            )  # "he got into my mailbox"
            # "it got me in", "let me in", "da kom jeg inn", "slapp meg inn"
            or any(
                a.lower in self.cues.sign_in_verbs | self.cues.letting_verbs
                and b.lower in self.cues.person_subjects | self.cues.person_objects
                and c.lower in ("in", "inn")
                for a, b, c in zip(tokens, tokens[1:], tokens[2:])
            )
        )
        english = sum(t.lower in self.cues.english_function_words for t in tokens) > sum(
            t.lower in self.cues.norwegian_function_words for t in tokens
        )
        spans: List[Span] = []
        settings = self._harmless_settings(text)
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if settings and _inside(settings, token):
                i += 1  # "Data Source=x;Integrated Security=SSPI": a server, not a secret
                continue
            shape = Shape.HARMLESS if kinds[i] else shape_of(token, self.words)
            if (
                shape <= Shape.ODD
                and not kinds[i]
                and _quoted_with_mark(text, token)
                # what is typed or used, not a banner or button ('shows "Access-Denied!"')
                and any(
                    t.lower in self.cues.typing_verbs or t.lower in self.cues.use_verbs
                    for t in tokens[max(0, i - 3) : i + 6]
                )
            ):
                shape = Shape.MEDIUM  # '"Fjell-Sol!" is what I type': the "!" is the value's
            if (
                self._own_words_are(tokens, kinds, i)
                or i >= 1
                and tokens[i - 1].colon_after
                # "three words:", "fem ord denne gangen:" (the count, then when)
                and any(
                    t.lower in ("words", "word", "ord", "ordene", "ordet")
                    for t in tokens[max(0, i - 3) : i]
                )
                and (
                    has_password_noun
                    or any(t.lower in self.cues.anaphors for t in tokens[max(0, i - 8) : i - 1])
                )
                and token.is_alpha
                and not kinds[i]
                # what it is ("mine's 4 words:", "I set it to three words:", "made it five
                # words:"), not what it must be ("needs 3 words:")
                and any(
                    t.lower in self.cues.copulas
                    or t.lower in self.cues.verbs_needing_to
                    or t.lower in self.cues.making_verbs
                    for t in tokens[max(0, i - 8) : i - 1]
                )
                and not any(
                    t.lower in self.cues.modal_verbs or t.lower in self.cues.requiring_verbs
                    for t in tokens[max(0, i - 8) : i - 1]
                )
            ):
                phrase_end = self._loose_phrase_end(tokens, kinds, i)
                if phrase_end > i:
                    # "mine's just 4 words: cat tree moon soup", "mitt er fire ord: ..."
                    spans.append(Span(token.start, tokens[phrase_end].end, "password"))
                    i = phrase_end + 1
                    continue
            if (
                i >= 1
                and _CAPITAL_REFERENCE.match(token.text)
                and tokens[i - 1].lower.rstrip("s") == re.split(r"[-_#]", token.lower)[0]
            ):
                i += 1  # "backup job JOB-20231", "asset ASSET-00912": a word and its reference
                continue
            described_end = self._after_form_label(tokens, kinds, i, shape)
            if described_end >= i:
                # "all caps: LILLEHAMMER94", "inneholder mellomrom: blå hus ved sjøen"
                spans.append(Span(token.start, tokens[described_end].end, "password"))
                i = described_end + 1
                continue
            # "the channel is X", "kanalen er X": a copula between, when no secret noun
            # comes just before ("the PIN for the printer is 4410" names a PIN)
            labelled = int(
                i + 2 < len(tokens)
                and tokens[i + 1].lower in self.cues.copulas
                and not any(kind in _SECRET_NOUNS for kind in kinds[max(0, i - 5) : i])
                # "the code in the email from the sales TEAM was N": the label is in a phrase
                # after a secret noun, which is what the copula speaks of
                and not any(
                    kinds[n] in _SECRET_NOUNS
                    and any(t.lower in self.cues.prepositions for t in tokens[n + 1 : i])
                    for n in range(max(0, i - 9), i)
                )
            )
            if (
                (
                    token.lower in self.cues.field_labels
                    or token.lower.rsplit("-", 1)[-1] in self.cues.field_labels
                )
                and not kinds[i]
                and not token.colon_after
                and i + 1 + labelled < len(tokens)
                and not kinds[i + 1 + labelled]
                and any(ch.isdigit() for ch in tokens[i + 1 + labelled].text)
                and not any(ch in _ODD_SYMBOLS for ch in tokens[i + 1 + labelled].text)
                and (labelled or text[token.end : tokens[i + 1].start] == " ")
                # "PINs: phone 2580, laptop 147369": under a code noun's colon, what each is for
                and not any(
                    kinds[k] == "code" and tokens[k].colon_after for k in range(max(0, i - 8), i)
                )
            ):
                # "dept 4410", "room Saturn3", "Teams-kanalen Økonomi2025", "the channel is
                # Hiking2024": a label and the name or number of what it labels ("møte-ID
                # 845 2291 0043": every group)
                i += 2 + labelled
                while i < len(tokens) and tokens[i].text.replace(" ", "").isdigit():
                    i += 1
                continue
            if (
                shape is not Shape.HARMLESS
                and (
                    token.lower in self.cues.code_blockers
                    or token.lower in self.cues.reference_nouns
                )
                and i + 1 < len(tokens)
                and any(ch.isdigit() for ch in tokens[i + 1].text)
            ) or (
                token.lower in self.cues.field_labels
                and not kinds[i]
                and i >= 1
                and tokens[i - 1].text in ("/", "|", ",")
            ):
                # "gir meg feilkode caa70004": a label before its value; "/ dept finance": a
                # field of a form
                shape = Shape.HARMLESS
            if (
                shape is not Shape.HARMLESS
                and token.lower in self.cues.sign_in_verbs
                and i + 1 < len(tokens)
                and tokens[i + 1].lower in ("in", "inn", "on", "på", "out", "ut", "av", "off")
            ):
                shape = Shape.HARMLESS  # "prøvde 'logg inn'": the button, a verb and its particle
            if shape is not Shape.HARMLESS and (
                token.lower in self.cues.disclosure_verbs
                or token.lower in self.cues.status_words
                or token.lower in self.cues.form_words  # "skrev det med mellomrom"
            ):
                # "prøver og prøver": a verb of trying is never the value, nor "password: forgot"
                shape = Shape.HARMLESS
            if (
                i == 1
                and len(tokens) == 2
                and token.is_alpha
                and token.lower not in self.words.stop_words
                # "kari@firma.no locked"; but "kari@firma.no lavender" (a colour, too)
                and token.lower not in self.words.predicates
                and token.lower not in self.cues.status_words
                and (
                    _EMAIL.match(tokens[0].text)
                    or (_USER_NAME.match(tokens[0].text) and tokens[0].text.islower())
                )
            ):
                shape = max(shape, Shape.WORD)  # "hanne.taylor@firma.no lavender"
            if (
                shape is Shape.HARMLESS
                and i >= 1
                and tokens[i - 1].lower in self.cues.use_verbs
                and self._value_word(token)
                and (i + 1 == len(tokens) or text[token.end : token.end + 1] in ".!?,;")
            ):
                shape = Shape.WORD  # "I use purple": a noun the lists also know as a colour
            if (
                shape is Shape.HARMLESS
                and i >= 3
                and tokens[i - 1].lower in ("to", "til")
                and tokens[i - 2].lower in self.cues.anaphors
                and tokens[i - 3].lower in self.cues.verbs_needing_to
                and self._value_word(token)
                and self._value_ends(tokens, i, text)
            ):
                shape = Shape.WORD  # "changed it to violet yesterday", "byttet det til fiolett"
            if (
                shape is Shape.HARMLESS
                and self._value_word(token)
                and (self._password_set_to(tokens, i) or self._apposed_to_old_one(tokens, i, text))
                and self._value_ends(tokens, i, text)
            ):
                shape = Shape.WORD  # "set the kiosk password to violet", "det de ga meg, lykt,"
            if (
                token.is_alpha
                and token.text[:1].isupper()
                and i + 2 < len(tokens)
                and tokens[i + 1].text[:1].isupper()
                and i >= 1
                and not kinds[i]
                and "password" in kinds[max(0, i - 8) : i]
            ):
                context = self._context(tokens, kinds, i, secret_nouns, text)
                title_end = self._title_case_phrase_end(tokens, kinds, i, text, context)
                if title_end > i:
                    # "my new password will be Three Blue Cars Today 5": a passphrase in capitals
                    spans.append(Span(token.start, tokens[title_end].end, "password"))
                    i = title_end + 1
                    continue
            if (
                shape is Shape.HARMLESS
                and token.is_alpha
                and token.text.islower()
                and token.lower not in self.words.stop_words
                and all(self._value_part(part) for part in token.lower.split("-") if part)
                and self._after_relative_clause(tokens, kinds, i, text, Shape.WORD)
            ):
                shape = Shape.WORD  # "det jeg logger inn med er bare tjeld": a noun, too
            if (
                shape is Shape.HARMLESS
                and not self._may_start_passphrase(tokens, kinds, i)
                and not (
                    # "passfrasen min er jeg elsker fjellet": a phrase may start with any word
                    (token.is_alpha or token.text.isdigit())
                    and token.lower not in self.cues.status_words
                    and any(
                        kinds[k] == "password"
                        and any(stem in tokens[k].lower for stem in self.cues.phrase_stems)
                        for k in range(max(0, i - 4), i)
                    )
                )
                and not (
                    token.is_alpha
                    and token.text[:1].isupper()
                    and i + 1 < len(tokens)
                    and _YEAR.match(tokens[i + 1].text)
                )
            ):
                i += 1
                continue
            if (
                i >= 2
                and tokens[i - 1].lower in self.cues.copulas
                and tokens[i - 2].lower in (self.cues.person_subjects)
            ):
                i += 1  # "jeg er admin", "I'm new here": about a person, not a value
                continue
            if (
                token.is_alpha
                and token.text[:1].isupper()
                and i + 1 < len(tokens)
                and tokens[i + 1].lower in ("here", "her", "speaking")
            ):
                i += 1  # "Hi, it's Natalie here", "hei, det er Kari her": a name
                continue
            if (
                shape in (Shape.ODD, Shape.WORD, Shape.COMPOUND, Shape.IDENT)
                and i >= 1
                and i + 1 < len(tokens)
                and (
                    tokens[i - 1].lower in self.cues.possessives
                    or tokens[i - 1].lower in self.cues.determiners
                )
                and kinds[i + 1] == "password"
                and tokens[i].end + 1 == tokens[i + 1].start
            ):
                i += 1  # "my netflix password", "the wifi password": what the password is for
                continue
            if (
                i >= 2
                and tokens[i - 1].lower in ("i", "in", "into", "inn", "på", "on")
                and kinds[i - 2] == "password"
                and not tokens[i - 2].colon_after
                and shape in (Shape.WORD, Shape.COMPOUND)
                and (
                    self._definite_noun(token.lower)
                    or token.lower.endswith(self.cues.definite_endings)
                )
            ):
                i += 1  # "skrev passordet i søkefeltet", "typed my password in the box"
                continue
            if (
                shape in (Shape.WORD, Shape.COMPOUND, Shape.ODD)
                and i >= 2
                and (
                    # "det jeg skriver i chatten", "skrev på låseskjermen": where it was typed
                    (
                        tokens[i - 1].lower in ("i", "på")
                        and tokens[i - 2].lower in self.cues.typing_verbs
                        and token.lower.endswith(self.cues.definite_endings)
                        and len(token.text) > 5
                    )
                    # "hva jeg velger som nytt passord": the word after "jeg" is its verb
                    or (
                        tokens[i - 1].lower in self.cues.use_subjects
                        and tokens[i - 2].lower in self.cues.relative_heads | {"hva"}
                        and token.text.islower()
                    )
                )
            ):
                i += 1
                continue
            if (
                i >= 1
                and tokens[i - 1].lower in ("login", "user", "bruker", "account", "konto")
                and not kinds[i - 1]
                and _PLAIN_USER.match(token.text)
                and text[token.end : token.end + 1] == ","
                and (i == 1 or text[tokens[i - 2].end : tokens[i - 1].start].strip())
            ):
                i += 1  # "login jvik, department sales": a user name in a form-like list
                user_named = True
                continue
            if (
                shape in (Shape.WORD, Shape.COMPOUND)
                and i >= 1
                and kinds[i - 1] in _SECRET_NOUNS
                and _QUOTED_LABEL.match(text[tokens[i - 1].end : token.start])
            ):
                i += 1  # "after 'passord:' henger den": the field's label quoted, no value
                continue
            if (
                shape is Shape.DIGITS
                and i >= 2
                and tokens[i - 1].lower in ("in", "with", "på", "med")
                and tokens[i - 2].lower in self.cues.number_tails
                and not any(kind in _SECRET_NOUNS for kind in kinds[max(0, i - 6) : i - 2])
            ):
                i += 1  # "my number ended in 4471", "nummeret sluttet på 4471": its last digits
                continue
            if (
                shape is Shape.DIGITS
                and i >= 2
                and tokens[i - 1].lower in self.cues.number_tails
                and tokens[i - 2].lower in ("number", "nummer", "nummeret", "phone", "mobil")
            ):
                i += 1  # "my old number ending 0193": its last digits
                continue
            if (
                shape in (Shape.WORD, Shape.COMPOUND, Shape.ODD)
                and i >= 1
                and tokens[i - 1].lower in self.cues.attribute_nouns
                and not tokens[i - 1].colon_after
            ):
                i += 1  # "feltet displayName er feil": a field of a system, named
                continue
            context = self._context(tokens, kinds, i, secret_nouns, text, english)
            if (
                context.tensed_verb
                and sign_in_topic
                and not context.verb
                # a short non-word is an abbreviation or a typo ("acct", "msg"), not a value
                and (shape is not Shape.ODD or len(token.text) >= 6)
                # "ramset opp ansattnummeret": a thing in its definite form, not a value
                and not (
                    not english
                    and token.is_alpha
                    and token.lower.endswith(("en", "et", "ene"))
                    and self.words.is_word(token.lower.rsplit("e", 1)[0])
                )
            ):
                # a verb no list names, in a message about signing in: "hammered in X",
                # "recycled X from ...", "lærte meg X utenat"
                context.verb = True
                rare = token.text.islower() and self._rare_noun(token)
                context.typed = (
                    context.typed or rare or (token.text.islower() and shape >= Shape.COMPOUND)
                )
                # "hvisket skillingsbolle TIL kollegaen": to whom or from where, no description
                context.rare_value = (
                    rare
                    and i + 1 < len(tokens)
                    and (
                        tokens[i + 1].lower
                        in self.cues.to_prepositions | self.cues.from_prepositions
                    )
                )
            if self._not_a_value(tokens, kinds, i, text, shape, context, has_password_noun):
                i += 1
                continue
            if (
                shape in (Shape.DIGITS, Shape.IDENT, Shape.MEDIUM)
                and not context.named
                and self._reference_value(tokens, kinds, i)
            ):
                i += 1  # "the case number Microsoft gave us is 2403150040001234"
                continue
            if shape is Shape.HARMLESS:
                # "passphrase: purple mountain", "passordet er blå bil 22", "passordet er
                # multe", "passordet mitt er Vår 2025"
                value = (
                    context.direct
                    and context.kind == "password"
                    and (
                        context.copula
                        or context.typed
                        # "new password tulip doesn't work", "passord sommerfugl, feiler
                        # fortsatt"; not "password manager doesn't work"
                        or (
                            context.failed
                            and context.noun == i - 1
                            and token.lower not in self.cues.compound_heads
                            and not self.words.is_domain(token.lower)
                        )
                    )
                )
                if (
                    not (
                        context.direct
                        and (
                            self._is_passphrase_cue(tokens, context)
                            or (context.copula and self._passphrase_end(tokens, kinds, i) - i >= 2)
                        )
                    )
                    and not (
                        value and self._value_word(token) and self._value_ends(tokens, i, text)
                    )
                    and not (
                        value
                        and context.copula
                        and token.is_alpha
                        and token.text[:1].isupper()
                        and i + 1 < len(tokens)
                        and _YEAR.match(tokens[i + 1].text)
                    )
                ):
                    i += 1
                    continue
                shape = Shape.WORD
            if (
                shape in (Shape.IDENT, Shape.ODD, Shape.COMPOUND, Shape.WORD)
                and i + 2 < len(tokens)
                and kinds[i + 1] == "password"
                and not tokens[i + 1].colon_after
                and tokens[i].end + 1 == tokens[i + 1].start
            ):
                i += 1  # "login jhaugland pw cactus": a user name first
                user_named = user_named or (
                    shape in (Shape.ODD, Shape.IDENT)
                    and token.text.islower()
                    and token.text.isalnum()
                )
                continue
            # "navnet PÅ hunden" describes; "sommerfugl i går", "X på alt", "X fra IT" do not
            describes = (
                i + 1 < len(tokens)
                and tokens[i + 1].lower in self.cues.describers
                and tokens[i + 1].text != "I"  # "X I believe": the English pronoun, not "i"
                # "det er gåsunge, med å": after a comma the value is spelt out, not described
                and text[token.end : tokens[i + 1].start] == " "
                and not (
                    i + 2 < len(tokens)
                    and (
                        tokens[i + 2].lower in self.cues.not_described
                        # "X from my Gmail", "X fra Facebook": where it was used before
                        or (
                            tokens[i + 1].lower in ("from", "fra")
                            and self._product_named(tokens, i + 2)
                        )
                        # "fra I MORGEN", "from NEXT week"
                        or (
                            tokens[i + 2].lower in self.cues.prepositions | self.cues.determiners
                            and i + 3 < len(tokens)
                            and tokens[i + 3].lower in self.cues.not_described
                        )
                    )
                )
                # "passfrase: tur til fjellet": a phrase's words are not described
                and not self._phrase_named(tokens, context)
            )
            kind = self._decide(
                token,
                shape,
                context,
                has_password_noun=has_password_noun,
                has_secret_noun=bool(secret_nouns),
                has_pin_noun=has_pin_noun,
                describes=describes,
                lone=len(tokens) == 1,
                ends_clause=i + 1 == len(tokens)
                or text[token.end : token.end + 1] in ("?", ".", "!", ",", ";")
                or text[token.end : token.end + 3] in (" - ", " – ", " — ")
                or self._inverted_phrase_ends(tokens, kinds, i, text, context),
                user_named=user_named,
                value_ends=self._value_ends(tokens, i, text),
                english=english,
                abbreviation_pair=len(tokens) == 2
                and i == 1
                and tokens[0].lower in self.cues.password_abbreviations
                and not tokens[0].colon_after,
                near_label=any(
                    t.lower in self.cues.field_labels for t in tokens[max(0, i - 4) : i + 5]
                ),
                few_words=len(tokens) <= 4,
            )
            if (
                not kind
                and shape in (Shape.WORD, Shape.COMPOUND, Shape.ODD, Shape.DIGITS)
                and self._form_described(tokens, kinds, i, text, has_password_noun)
            ):
                kind = "password"  # "sunshine, all lowercase", "hyttetur, med små bokstaver"
            if (
                not kind
                and spans
                and (
                    shape >= Shape.COMPOUND
                    or (
                        # "tried Sommer2024 and kingfisher": a plain word ending the list
                        shape is Shape.WORD
                        and spans[-1].kind == "password"
                        and token.text.islower()
                        and not self.words.is_domain(token.text)
                        and not self.words.is_predicate(token.text)
                        and token.lower not in self.cues.failure_verbs
                        # a comma or a link word between ("X, Y", "X eller Y"), not "X works"
                        and text[spans[-1].end : token.start].strip()
                        and self._value_ends(tokens, i, text)
                    )
                )
                and self._listed_after(tokens, spans[-1], i)
            ):
                kind = spans[-1].kind  # "tried X, then X1", "1234 5678, 2345 6789"
            if (
                not kind
                and spans
                and token.text.isdigit()
                and text[spans[-1].start : spans[-1].end].isdigit()
                and len(token.text) == spans[-1].end - spans[-1].start
                and self._listed_after(tokens, spans[-1], i)
            ):
                kind = spans[-1].kind  # "koder: 55128834 og 90017726" (the second like a phone)
            if (
                not kind
                and token.text.isdigit()
                and len(token.text) >= 6
                and i >= 1
                and i + 1 < len(tokens)
                and tokens[i - 1].lower in ("is", "er", "was", "var", "be", "være")
                and (
                    tokens[i + 1].lower in self.cues.strength_adjectives
                    or (
                        tokens[i + 1].lower in self.cues.strength_words
                        and i + 2 < len(tokens)
                        and tokens[i + 2].lower in ("enough", "nok")
                    )
                )
            ):
                # "is 20452301 good enough for Outlook?": a value judged as a password (not
                # "is 91234567 ok to call?")
                kind = "password"
            if (
                not kind
                and shape is Shape.COMPOUND
                and not english
                and _CAMEL.match(token.text)
                and not (context.after_preposition or context.determined or context.name_given)
            ):
                # "altså fotballTassen": two words joined with a capital in a Norwegian
                # sentence (English writers also use camelCase for names: "displayName")
                kind = "password"
            if (
                not kind
                and shape >= Shape.MEDIUM
                and i >= 2
                and tokens[i - 1].lower in ("for", "with", "med")
                and tokens[i - 2].lower in self.cues.choice_verbs
                and not self._ticket(token.text)
            ):
                kind = "password"  # "I'll go with sunflower2", "jeg går for solsikke2"
            if not kind:
                kind = self._after_relative_clause(tokens, kinds, i, text, shape) or ""
            if not kind and self._changed_to(tokens, i, text, shape):
                kind = "password"  # "changed it over the phone with Lars to marzipan-heart"
            if (
                not kind
                and shape is Shape.DIGITS
                and token.text.isdigit()
                and i + 1 < len(tokens)
                and tokens[i + 1].text.isdigit()
                and len(tokens[i + 1].text) == len(token.text)
                and any(kind in ("code", "recovery") for kind in kinds[max(0, i - 4) : i])
            ):
                # "my remaining backup codes 81723 90211 44590": codes listed after their noun
                kind = "one_time_code"
            if not kind and self._judged_value(tokens, i, text, shape, has_password_noun):
                kind = "password"  # "is sunshine! allowed?", "er Elg#hund greit?"
            if (
                not kind
                and shape >= Shape.IDENT
                and not token.is_alpha
                and not self._ticket(token.text)
                and self._credential_pair(tokens, i)
            ):
                kind = "password"  # "logged in with kari.hansen and sommer22"
            phrase_end = -1
            if (
                not kind
                and context.label
                and (context.verb or has_password_noun)
                and shape in (Shape.WORD, Shape.COMPOUND, Shape.ODD)
            ):
                phrase_end = self._phrase_with_number(tokens, kinds, i, text)
                if phrase_end > i:
                    kind = "password"  # "try this one: harbour master 1971"
            if not kind and shape in (Shape.WORD, Shape.COMPOUND, Shape.ODD):
                phrase_end = self._described_phrase_end(tokens, kinds, i, text, has_password_noun)
                if phrase_end > i:
                    kind = "password"  # "it's pepper and salt, three words, with spaces"
            if (
                not kind
                and spans
                and spans[-1].kind == "password"
                and shape >= Shape.WORD
                and context.direct
                and context.noun == i - 1
                and context.kind == "password"
                and self._value_ends(tokens, i, text)
                and not self.words.is_domain(token.text)
            ):
                kind = "password"  # "gammelt passord Vinter2023, nytt passord sommerfugl"
            if not kind or self._hypothetical(tokens, i, text, context, facts):
                i += 1
                continue
            end = max(i, phrase_end)
            if context.direct and (self._is_passphrase_cue(tokens, context) or context.copula):
                loose = self._phrase_named(tokens, context)
                run_end = self._passphrase_end(tokens, kinds, i, loose=loose)
                if loose and run_end == i and shape_of(token, self.words) is Shape.HARMLESS:
                    i += 1  # "passfrasen min er for lang": no phrase follows after all
                    continue
                if self._is_passphrase_cue(tokens, context) or run_end - i >= 2:
                    end = run_end  # "passordet er blå bil 22"
            if (
                kind == "password"
                and end + 1 < len(tokens)
                and tokens[end].is_alpha
                and _CONTINUATION.match(tokens[end + 1].text)
                and tokens[end + 1].text not in ("-", "–", "—")  # a dash ends the value
                and text[tokens[end].end : tokens[end + 1].start] == " "
            ):
                end += 1  # "Sommer 2024", "Kaffe #1"
            spans.append(Span(token.start, tokens[end].end, kind))
            i = end + 1
        spans.extend(self._second_values(tokens, kinds, spans, text))
        spans.extend(self._recovery_codes(tokens, kinds, text))
        spans.extend(self._read_out(tokens, kinds, text))
        spans.extend(self._quoted(text, tokens, kinds))
        spans.extend(self._leading_passphrase(tokens, kinds, spans))
        spans.extend(self._phrase_after_clause_heading(tokens, kinds, text))
        spans.extend(self._variants(text, tokens, kinds, spans))
        return self._whole_quotes(text, spans)

    def _harmless_settings(self, text: str) -> List[Tuple[int, int]]:
        """Where a connection string's parts that hold no secret stand ("Server=x;", "Integrated
        Security=true"): a value with ";" in it looks random. formats.yml takes the secret parts."""
        if ";" not in text or "=" not in text:
            return []
        ranges = []
        for part in _SETTING.finditer(text):
            key = part.group(1)
            # the key's last words ("with Data Source=": "data source")
            for k in range(key.count(" ") + 1):
                tail = key.split(" ", k)[-1]
                if tail.lower() in self.cues.connection_settings:
                    end = part.end() + (text[part.end() : part.end() + 1] == ";")
                    ranges.append((part.end(1) - len(tail), end))
                    break
        return ranges

    def _not_a_value(
        self,
        tokens: List[Token],
        kinds: List[str],
        i: int,
        text: str,
        shape: Shape,
        context: _Context,
        has_password_noun: bool,
    ) -> bool:
        """Token ``i`` stands where a value could, but the sentence says it is none."""
        c = self.cues
        token = tokens[i]
        if (
            i >= 2
            and tokens[i - 1].lower in ("as", "som")
            and any(t.lower in c.name_showing_verbs for t in tokens[max(0, i - 5) : i - 1])
            and any(kinds[k] == "user" for k in range(max(0, i - 7), i - 1))
            and not any(kinds[k] in _SECRET_NOUNS for k in range(max(0, i - 7), i))
        ):
            return True  # "display name shows as NightOwl77", "kallenavnet vises som Ugla7"
        if (
            context.kind == "password"
            and context.direct
            and shape <= Shape.ODD
            and self._game_named(tokens, context.noun + 1, i)
        ):
            return True  # "the password for the quiz is X": the answer of a game
        if (
            i >= 2
            and tokens[i - 1].lower in ("me", "meg", "us", "oss")
            and tokens[i - 2].lower in c.request_verbs
            and shape <= Shape.ODD
            and not (context.named or context.typed or context.pair)
        ):
            return True  # "gi meg skrivetilgang", "give me admin rights": a request
        if shape <= Shape.WORD and token.lower in c.suiting_verbs:
            return True  # "does 61123958 WORK as a password": the verb, not the value
        subject = i - 2 if i >= 2 and tokens[i - 1].lower in c.copulas else i - 1
        if (subject >= 0 and _names_identifier(tokens[subject].lower)) or (
            context.direct
            and context.noun >= 2
            and tokens[context.noun - 1].lower in ("of", "for", "til", "på")
            and _names_identifier(tokens[context.noun - 2].lower)
        ):
            return True  # "recovery key identifier: X", "ID-en til nøkkelen er X": which key
        if (
            shape == Shape.WORD
            and i >= 2
            and tokens[i - 1].lower.endswith("ed")
            and tokens[i - 1].lower not in c.disclosure_verbs | c.prepositions | c.verb_particles
            and tokens[i - 2].lower in c.sign_in_method_heads
            and self.words.is_predicate(tokens[i - 1].lower)
            and text[tokens[i - 1].end : token.start] == " "
            and not context.named
        ):
            return True  # "signs in with managed identity": a method named by its participle
        if (
            shape is Shape.COMPOUND
            and context.failed
            and token.text.islower()
            and token.lower.endswith(c.process_noun_endings)
            and not context.named
        ):
            return True  # "autoskriving feiler": a process that fails, not a value
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            after is not None
            and after.lower == "'s"
            and i + 2 < len(tokens)
            and tokens[i + 2].text.islower()
            and self.words.is_noun(tokens[i + 2].lower)
            and tokens[i + 2].lower not in self.words.stop_words
            and tokens[i + 2].lower not in c.failure_verbs
            # "X's wrong", "X's expired": "'s" is "is" before a state
            and not (
                tokens[i + 2].lower in c.status_words
                and self.words.is_predicate(tokens[i + 2].lower)
                and tokens[i + 2].lower not in c.description_nouns | {"problem", "issue"}
            )
        ):
            return True  # "my password was Tuesday's problem": a genitive, not the value
        if (
            shape == Shape.WORD
            and after is not None
            and i >= 1
            and tokens[i - 1].lower in ("with", "med")
            and token.text.islower()
            and after.text.islower()
            and text[token.end : after.start] == " "
            and self.words.is_noun(after.lower)
            and not self.words.is_predicate(after.lower)
            and after.lower not in c.month_names | c.weekdays
            and self._noun_kind(after) != "password"
        ):
            return True  # "logs in with face recognition": a noun phrase, the way of signing in
        if (
            shape <= Shape.WORD
            and i + 1 < len(tokens)
            and tokens[i - 1].colon_after
            and context.adjacent
            and token.text.islower()
            and self.words.is_tensed_verb(token.lower)
            and not self.words.is_noun(token.lower)
        ):
            # "passord: glemte det", "pw: sendes på SMS": a verb opens a sentence about it
            return True
        if (
            shape <= Shape.ODD
            and token.text.islower()
            and 3 <= i < len(tokens) - 1
            and tokens[i - 1].lower in c.prepositions
            and self._stranded(tokens, kinds, i - 1)
        ):
            return True  # "ordet jeg logger inn med SKILLER mellom ...": the main verb
        if shape <= Shape.ODD and not context.typed:
            # "passcode: ask Anna", "PIN: spør Kari", "creds: svc_print / ask Lars": who to ask
            # for the value, not the value
            verb = i if token.lower in c.referral_verbs else i - 1
            # "check WITH Jonas", "sjekk MED brukerstøtte": the person after a preposition
            whom_at = verb + 1
            if whom_at < len(tokens) and tokens[whom_at].lower in ("with", "med", "hos"):
                whom_at += 1
            if 0 <= verb and whom_at < len(tokens) and tokens[verb].lower in c.referral_verbs:
                whom = tokens[whom_at]
                if whom.text[:1].isupper() or whom.lower in c.person_objects:
                    return True
        match = _WORD_YEAR.match(token.text)
        after_text = tokens[i + 1].text if i + 1 < len(tokens) else ""
        if (
            match
            and not has_password_noun
            and not any(kinds)
            and token.text[:1].isupper()
            and _YEAR.match(match.group(2))
            and self.words.is_word(match.group(1))
            and not (context.verb or context.typed or context.received or context.named)
            and not (context.pair or context.label or context.arrived)
            and i + 1 < len(tokens)
            and text[token.end : tokens[i + 1].start] == " "
        ):
            after = tokens[i + 1]
            return (
                after.text.islower()
                and after_text.replace("-", "").isalpha()
                and (
                    self.words.is_word(after.lower)
                    # "Vinter2025 kickoff-agendaen": a compound written with a hyphen
                    or ("-" in after_text and self.words.is_word(after_text.rsplit("-", 1)[-1]))
                    or shape_of(after, self.words) in (Shape.WORD, Shape.COMPOUND)
                )
                and after.lower not in c.failure_verbs
                and after.lower not in c.failure_fillers
                and after.lower not in c.status_words
                and after.lower not in c.reverse_links
                and after.lower not in c.disclosure_verbs
                and after.lower not in self.words.stop_words
                and not (
                    # "Spring2026 planning deck", "intern onboarding"; but "Summer2024
                    # working now?"
                    self.words.is_predicate(after.text)
                    and not (
                        i + 2 < len(tokens)
                        and tokens[i + 2].text.islower()
                        and tokens[i + 2].is_alpha
                        and tokens[i + 2].lower not in self.words.stop_words
                        and tokens[i + 2].lower not in c.status_words
                    )
                )
            )  # "Summer2024 offsite photos": an event named by season and year
        return False

    def _title_case_phrase_end(
        self, tokens: List[Token], kinds: List[str], i: int, text: str, context: _Context
    ) -> int:
        """Last token of three or more capitalised words (and a number) right after "password
        is" or "typed": a passphrase written in title case, or ``i``."""
        token = tokens[i]
        if not (
            context.direct
            and context.kind == "password"
            and (context.copula or context.typed)
            and not context.inverted
            and token.is_alpha
            and token.text[:1].isupper()
            and not kinds[i]
            # "My Password Is Not Working": a message in title case names no phrase
            and not tokens[i - 1].text[:1].isupper()
        ):
            return i
        end = i
        for k in range(i + 1, min(i + 8, len(tokens))):
            if text[tokens[k - 1].end : tokens[k].start] != " " or kinds[k]:
                break
            if tokens[k].is_alpha and tokens[k].text[:1].isupper():
                end = k
                continue
            if tokens[k].text.isdigit() and end - i >= 2:
                end = k
            break
        words = [t for t in tokens[i : end + 1] if t.is_alpha]
        if (
            len(words) < 3
            or all(t.lower in self.words.products for t in words)
            or any(t.lower in self.cues.status_words for t in words)
        ):
            return i
        return end

    def _credential_pair(self, tokens: List[Token], i: int) -> bool:
        """ "logget inn med ola.nordmann og X", "signed in with kari@firma.no and X": a user
        name after "with", then "and" and the password."""
        if i < 4:
            return False
        if tokens[i - 1].lower in ("with", "med", "using") and tokens[i - 3].lower in ("as", "som"):
            # "I sign in as mhansen with X", "logger på som mhansen med X"
            user = tokens[i - 2].text
            return bool(
                tokens[i - 2].is_alpha or _EMAIL.match(user) or _USER_NAME.match(user)
            ) and any(t.lower in self.cues.sign_in_verbs for t in tokens[max(0, i - 8) : i - 3])
        if tokens[i - 1].lower not in ("and", "og", "&", "+", "/"):
            return False
        user = tokens[i - 2].text
        if not (_EMAIL.match(user) or (_USER_NAME.match(user) and user.islower())):
            return False
        return tokens[i - 3].lower in ("with", "med", "using", "via") and any(
            t.lower in self.cues.sign_in_verbs for t in tokens[max(0, i - 7) : i - 3]
        )

    def _game_named(self, tokens: List[Token], start: int, end: int) -> bool:
        """A game, quiz or event is named among ``tokens[start:end]`` ("escape room-spillet")."""
        return any(
            t.lower in self.cues.game_things
            or t.lower.rsplit("-", 1)[-1] in self.cues.game_things
            or t.lower.endswith(self.cues.game_endings)  # "brettspillet", "pubquizen"
            for t in tokens[max(0, start) : end]
        )

    def _holds_password(self, tokens: List[Token], kinds: List[str], verb: int) -> bool:
        """Token ``verb`` is a verb of reading ("says", "sier") whose subject holds the password
        itself, not its field, page or reset e-mail: "the card with my password says", or a
        note such as a post-it: "the sticky on my screen says"."""
        c = self.cues
        if tokens[verb].lower not in c.reading_verbs:
            return False
        # where the note sits, in the same stretch of the message (a window keeps it linear)
        around = tokens[max(0, verb - 12) : verb + 12]
        on_a_computer = any(
            t.lower in c.note_places or t.lower.startswith(c.sign_in_topic_stems) for t in around
        )
        return any(
            (tokens[k].lower in c.note_nouns and on_a_computer)
            or kinds[k] == "password"
            # the noun itself, not "innloggingen" (the sign-in page) nor "passordfeltet"
            and any(
                stem in tokens[k].lower for stem in (*self.cues.password_stems, *c.phrase_stems)
            )
            and tokens[k].lower in self.cues.password_nouns | set(c.password_forms)
            and tokens[k + 1].lower not in self.cues.compound_heads
            for k in range(max(0, verb - 6), verb)
        )

    def _read_out(self, tokens: List[Token], kinds: List[str], text: str) -> List[Span]:
        """One word that ends the sentence after what the note holding the password says:
        "the sticky note with my password says chestnut", "lappen med passordet sier X"."""
        found = []
        for v in range(1, len(tokens) - 1):
            # "på lappen står DET FAKTISK X", "the sticky says LITERALLY X"
            w = v + 1
            while w + 1 < len(tokens) and (
                tokens[w].lower in self.cues.post_fillers or tokens[w].lower in ("det", "there")
            ):
                w += 1
            value = tokens[w]
            if (
                self._holds_password(tokens, kinds, v)
                and not kinds[w]
                and not self._definite_noun(value.lower)  # "..., sier sjekkeren": its subject
                # a note with no password noun: a rare word or none ("says cobblestone"), not
                # an errand ("the post-it on my screen says lunch")
                and (
                    "password" in kinds[max(0, v - 6) : v]
                    or self._rare_noun(value)
                    or shape_of(value, self.words) > Shape.WORD
                )
                # a note with no password noun: "the sticky on my screen says Tuesday"
                and not (
                    value.is_alpha
                    and value.text.istitle()
                    and "password" not in kinds[max(0, v - 6) : v]
                )
                and self._value_ends(tokens, w, text)
                and value.lower not in self.cues.failure_verbs
                and not self.words.is_domain(value.text)
                and (
                    # a noun the lists also know as an adjective: "chestnut", "lavender"
                    self._value_word(value)
                    or (
                        shape_of(value, self.words) not in (Shape.HARMLESS, Shape.IDENT)
                        and value.lower not in self.cues.status_words
                        and not self.words.is_predicate(value.text)
                    )
                )
            ):
                found.append(Span(value.start, value.end, "password"))
        return found

    def _recovery_noun(self, token: Token, kind: str) -> bool:
        """ "recovery", "backup", or a code or key noun made from them ("reservekodene",
        "recovery-codes", "bitlocker-key")."""
        lower = token.lower.rstrip(":=")
        return kind == "recovery" or (
            lower.startswith(self.cues.recovery_stems) and lower.endswith(self.cues.recovery_tails)
        )

    def _recovery_noun_at(self, tokens: List[Token], kinds: List[str], n: int) -> bool:
        """A recovery noun at ``n``, or a recovery word before a code noun ("emergency codes",
        "spare codes")."""
        return self._recovery_noun(tokens[n], kinds[n]) or (
            tokens[n].lower in self.cues.recovery_stems
            and n + 1 < len(tokens)
            and tokens[n + 1].lower.rstrip(":=") in self.cues.recovery_tails
        )

    def _after_short_phrase(self, tokens: List[Token], k: int) -> int:
        """Where a value may start after a short phrase without digits that ends in a copula or
        a colon ("on my list are", "fra Authenticator:"), or ``k`` when there is none."""
        for end in range(k, min(k + 4, len(tokens) - 1)):
            if any(ch.isdigit() for ch in tokens[end].text):
                break
            if tokens[end].colon_after or tokens[end].lower in self.cues.copulas:
                return end + 1
        return k

    def _recovery_codes(self, tokens: List[Token], kinds: List[str], text: str) -> List[Span]:
        """Every code in groups of letters and digits a few words after a recovery or backup
        noun ("recovery code HT7Q-2LMV-9XRP-K4DW", "backup codes: 7QX2 9LMP, 4KD8-W2RT"):
        each group of the run, not the first one only."""
        found: List[Span] = []
        n = 0
        while n < len(tokens):
            if not self._recovery_noun_at(tokens, kinds, n):
                n += 1
                continue
            k, between = n + 1, 0
            # only function words, copulas and other secret nouns between: "code is", "koder
            # mine:"; a noun of its own ends it ("recovery phone", "key ID")
            while (
                k < len(tokens)
                and between < 4
                and not _recovery_group(tokens[k])
                and (
                    kinds[k] in _SECRET_NOUNS
                    or tokens[k].lower in self.cues.copulas
                    or tokens[k].lower in self.cues.possessives
                    or tokens[k].lower in self.cues.articles
                    or tokens[k].lower in self.cues.old_new_labels
                    or tokens[k].lower in self.cues.post_fillers
                    or tokens[k].lower in self.cues.recovery_fillers
                )
                and tokens[k].lower not in self.cues.prepositions
            ):
                k, between = k + 1, between + 1
            if (k < len(tokens) and _names_identifier(tokens[k].lower)) or (
                n >= 2
                and tokens[n - 1].lower in ("of", "for", "til", "på", "for")
                and _names_identifier(tokens[n - 2].lower)
            ):
                n = k  # "recovery key ID is X", "ID-en til BitLocker-nøkkelen er X": which key
                continue
            if k < len(tokens) and not _recovery_group(tokens[k]):
                k = self._after_short_phrase(tokens, k)  # "codes on my list are X"
            run = []
            while k < len(tokens):
                if _recovery_group(tokens[k]):
                    run.append(tokens[k])
                elif not (run and tokens[k].lower in self.cues.list_links and k + 1 < len(tokens)):
                    break
                k += 1
            if sum(sum(ch.isalnum() for ch in t.text) for t in run) >= 8:
                for t in run:
                    if found and not text[found[-1].end : t.start].strip():
                        found[-1] = Span(found[-1].start, t.end, "recovery_key")  # "HT7Q 2LMV"
                    else:
                        found.append(Span(t.start, t.end, "recovery_key"))
            n = max(k, n + 1)
        return found

    def _second_values(
        self, tokens: List[Token], kinds: List[str], spans: List[Span], text: str
    ) -> List[Span]:
        """ "changed my PIN to 402291, but it wants the old one 118833": a value after "the
        old one" / "den gamle" takes the kind of a secret of the same shape found before."""
        if not spans:
            return []
        c = self.cues
        found: List[Span] = []
        for i in range(2, len(tokens)):
            token = tokens[i]
            j = i - 1
            if tokens[j].lower in c.copulas or tokens[j].lower in ("one", "en", "ett", "ene"):
                j -= 1
            if tokens[j].lower not in c.second_value_heads or (
                j == i - 1
                and tokens[j - 1].lower not in ("the", "den", "det", "de", "my", "min", "mitt")
            ):
                continue
            if any(span.start <= token.start < span.end for span in spans):
                continue
            if text[tokens[i - 1].end : token.start].strip(" (\"'«“‘") and token.is_alpha:
                continue  # "skrev det gamle, stemmer det?": a comma ends the reference
            earlier = [span for span in spans if span.end <= tokens[j].start]
            if not earlier:
                continue
            before = text[earlier[-1].start : earlier[-1].end]
            if (
                token.text.isdigit()
                and before.isdigit()
                and abs(len(token.text) - len(before)) <= 2
            ):
                found.append(Span(token.start, token.end, earlier[-1].kind))
            elif earlier[-1].kind == "password" and (
                shape_of(token, self.words) >= Shape.MEDIUM
                # "set to Coffee-Mug-Desk-7 ... the old one (Coffee-Mug-Desk-6)": the same
                # pattern with another number or letter is the other password
                or _one_edit(token.lower, before.lower())
            ):
                found.append(Span(token.start, token.end, "password"))
        return found

    def _whole_quotes(self, text: str, spans: List[Span]) -> List[Span]:
        """A secret found inside a short quotation is the whole quotation: "'Fr0zen Lake 2024'"
        is one passphrase, not "Fr0zen" and two harmless words."""
        if not spans:
            return spans
        for match in _QUOTED.finditer(text):
            inner_start, inner_end = match.start() + 1, match.end() - 1
            if len(match.group(0)[1:-1].split()) > 6:
                continue
            inside = [s for s in spans if inner_start <= s.start and s.end <= inner_end]
            if inside and any(s.end - s.start < inner_end - inner_start for s in inside):
                kind = inside[0].kind
                spans = [s for s in spans if s not in inside] + [Span(inner_start, inner_end, kind)]
        return spans

    def _variants(
        self, text: str, tokens: List[Token], kinds: List[str], spans: List[Span]
    ) -> List[Span]:
        """The same word written two ways is someone listing what they tried: "Rosebud1 or
        rosebud1", "tried Rosebud, ROSEBUD and rosebud"."""
        if (
            "user" in kinds
            and not any(kind in _SECRET_NOUNS for kind in kinds)
            and not any(
                t.lower in self.cues.disclosure_verbs or t.lower in self.cues.failure_verbs
                for t in tokens
            )
        ):
            return []  # "display name Berg2 instead of Berg": a name written two ways
        groups: Dict[str, List[int]] = {}
        for k, token in enumerate(tokens):
            letters = "".join(ch for ch in token.lower if ch.isalpha())
            if (
                len(letters) >= 3
                and not kinds[k]
                and letters not in self.words.stop_words
                and not self.words.is_domain(letters)
                and letters not in self.words.products
                and not self.words.is_predicate(letters)
                and letters not in self.cues.disclosure_verbs
                and not self._ticket(token.text)
                and not _host_like(token.text, self.words)
                and shape_of(token, self.words) is not Shape.HARMLESS
            ):
                groups.setdefault(letters, []).append(k)
        found = []
        taken = sorted((span.start, span.end) for span in spans)
        taken_starts = [start for start, _ in taken]
        for members in groups.values():
            forms = {tokens[k].text for k in members}
            if len({f.replace(".", "").replace("_", "").replace("-", "") for f in forms}) == 1:
                continue  # "tberg, not t.berg": a user name written with and without a dot
            if len(members) < 2 or len(forms) < 2:
                continue
            if any(_CAPITAL_REFERENCE.match(form) for form in forms) and all(
                _CAPITAL_REFERENCE.match(form) or (form.isalpha() and self.words.is_word(form))
                for form in forms
            ):
                continue  # "asset tag ASSET-00912": a word and the reference it labels
            # Case alone ("Users" and "users") is how ordinary words vary; digits or symbols,
            # three spellings or one in capitals are how passwords are tried.
            if not (
                any(not form.isalpha() for form in forms)
                or len(forms) >= 3
                or any(form.isupper() and len(form) >= 5 for form in forms)
                # "with a capital M (Moonlight) and without (moonlight)": each form set off
                or all(_set_off(text, tokens[k]) for k in members)
                # "it accepted tulip but not Tulip": written two ways where it was typed
                or any(t.lower in self.cues.accepting_verbs for t in tokens)
            ):
                continue
            for k in members:
                token = tokens[k]
                at = bisect.bisect_right(taken_starts, token.start) - 1
                inside = at >= 0 and taken[at][0] <= token.start < taken[at][1]
                if not inside and not (at >= 1 and token.start < taken[at - 1][1]):
                    found.append(Span(token.start, token.end, "password"))
        return found + self._spaced_variants(text, spans + found)

    def _spaced_variants(self, text: str, spans: List[Span]) -> List[Span]:
        """A quoted phrase that is a password found elsewhere written with spaces: "tried 'blue
        whale' and 'bluewhale1'", "prøvde «blå hval» og «blåhval»"."""
        found = [
            "".join(ch for ch in text[span.start : span.end].lower() if ch.isalpha())
            for span in spans
            if span.kind == "password"
        ]
        if not found:
            return []
        spaced = []
        for match in _QUOTED.finditer(text):
            inner_start, inner_end = match.start() + 1, match.end() - 1
            inner = text[inner_start:inner_end]
            letters = "".join(ch for ch in inner.lower() if ch.isalpha())
            if (
                2 <= len(inner.split()) <= 4
                and len(letters) >= 6
                and letters in found
                and not any(s.start < inner_end and inner_start < s.end for s in spans)
            ):
                spaced.append(Span(inner_start, inner_end, "password"))
        return spaced

    def _leading_passphrase(
        self, tokens: List[Token], kinds: List[str], spans: List[Span]
    ) -> List[Span]:
        """ "korrekt hest batteri stift er passfrasen min": the words before "is my passphrase"."""
        c = self.cues
        for k in range(2, min(len(tokens) - 1, 7)):
            if tokens[k].lower not in c.copulas:
                continue
            after = [n for n in range(k + 1, min(k + 4, len(tokens))) if kinds[n] == "password"]
            if not after or not any(stem in tokens[after[0]].lower for stem in ("phrase", "frase")):
                return []
            if (
                all(t.is_alpha or t.text.isdigit() for t in tokens[:k])
                and not any(kinds[:k])
                and not self._fronted_adverbial(tokens, k - 1)
                and not any(span.start < tokens[k].start for span in spans)
            ):
                return [Span(tokens[0].start, tokens[k - 1].end, "password")]
            return []
        return []

    def _phrase_after_clause_heading(
        self, tokens: List[Token], kinds: List[str], text: str
    ) -> List[Span]:
        """ "the passphrase we picked on Monday: four green owls sing", "passordet sjefen valgte:
        hunden min elsker snø": plain words, function words among them, after a password noun
        with a clause of its own before the colon. Not a question, nor a sentence with a copula,
        a modal or a status word ("the password I set last month: does it expire?")."""
        c = self.cues
        colon = next((h for h, t in enumerate(tokens) if t.colon_after), -1)
        if colon < 2 or text[tokens[colon].end : tokens[colon].end + 1] != ":":
            return []
        nouns = [n for n in range(max(0, colon - 8), colon - 1) if kinds[n] == "password"]
        if not nouns or any(
            text[tokens[k - 1].end : tokens[k].start] != " "
            for k in range(nouns[-1] + 1, colon + 1)
        ):
            return []
        subject = tokens[nouns[-1] + 1].lower
        if not (
            subject in c.person_subjects
            or subject in c.possessives
            or subject in c.determiners
            or self._definite_noun(subject)
        ):
            return []
        run = [colon + 1]
        while (
            run[-1] + 1 < len(tokens)
            and text[tokens[run[-1]].end : tokens[run[-1] + 1].start] == " "
        ):
            run.append(run[-1] + 1)
        words = [tokens[k] for k in run if k < len(tokens)]
        ending = text[words[-1].end : words[-1].end + 1] if words else "?"
        if not 3 <= len(words) <= 7 or ending == "?" or any(kinds[k] for k in run):
            return []
        closed = (
            c.copulas
            | c.auxiliaries
            | c.modal_verbs
            | c.status_words
            | c.failure_verbs
            | c.question_starters
            | c.person_subjects
            | c.anaphors
            | c.negations
        )
        # a possessive may be inside the phrase ("hunden MIN elsker snø"), "it" or "den" not
        if any(
            not t.is_alpha or (t.lower in closed and t.lower not in c.possessives) for t in words
        ):
            return []
        content = [t for t in words if t.lower not in self.words.stop_words]
        if len(content) < 2:
            return []
        return [Span(words[0].start, words[-1].end, "password")]

    def _listed_after(self, tokens: List[Token], previous: Span, i: int) -> bool:
        """Token ``i`` follows the secret ``previous`` in a list ("X, then Y", "X eller Y")."""
        gap = [t for t in tokens[max(0, i - 4) : i] if t.start >= previous.end]
        return (
            len(gap) <= 3
            and all(t.lower in self.cues.list_links for t in gap)
            and (tokens[i - len(gap) - 1].end <= previous.end)
        )

    def _may_start_passphrase(self, tokens: List[Token], kinds: List[str], i: int) -> bool:
        """A word such as "purple" right after "passphrase:" may begin the passphrase."""
        return (
            tokens[i].is_alpha
            and tokens[i].lower not in self.words.stop_words
            and tokens[i].lower not in self.cues.status_words
            and tokens[i].lower not in self.cues.disclosure_verbs
            and not (tokens[i].lower.endswith("ing") and self.words.is_predicate(tokens[i].lower))
            and any(kinds[k] == "password" for k in range(max(0, i - 6), i))
        )

    def _may_be_in_phrase(self, token: Token) -> bool:
        """A word that may continue a passphrase: not a function word, though numbers and
        nouns that a stop-word list happens to hold count ("rødt eple TRE 7", "hav BRIS")."""
        lower = token.lower
        return (
            token.is_alpha
            and lower not in self.cues.status_words
            and (
                lower not in self.words.stop_words
                or lower in self.words.number_words
                or (len(lower) >= 4 and self.words.is_noun(lower))
            )
        )

    def _is_passphrase_cue(self, tokens: List[Token], context: _Context) -> bool:
        noun = tokens[context.noun]
        return noun.colon_after or _names_phrase(noun.lower)

    def _passphrase_end(
        self, tokens: List[Token], kinds: List[str], i: int, *, loose: bool = False
    ) -> int:
        """Last token of a passphrase of words starting at ``i`` ("purple mountain winter").

        A run of three or more words counts only when at least two of them are not
        adjectives ("case sensitive right" describes a password, "blå bil 22" is one).
        ``loose`` (after "passphrase" or "setningen"): function words belong to the phrase
        too ("jeg elsker fjellet", "Kaffe og kake 2024"), up to punctuation or "but".
        """
        if loose:
            return self._loose_phrase_end(tokens, kinds, i)
        end, nouns = i, int(shape_of(tokens[i], self.words) is not Shape.HARMLESS)
        # (a number word counts as a word of the phrase: "rødt eple tre")
        for k in range(i + 1, min(i + 6, len(tokens))):
            shape = shape_of(tokens[k], self.words)
            if (
                kinds[k]
                or tokens[k - 1].end != tokens[k].start - 1
                or (
                    shape is Shape.HARMLESS
                    and not (tokens[k].text.isdigit() or self._may_be_in_phrase(tokens[k]))
                )
            ):
                break
            end = k
            nouns += (
                shape is not Shape.HARMLESS
                or tokens[k].text.isdigit()
                or tokens[k].lower in self.words.number_words
            )
        return end if nouns >= 2 else i

    def _after_relative_clause(
        self, tokens: List[Token], kinds: List[str], i: int, text: str, shape: Shape
    ) -> Optional[str]:
        """The kind of the value after a subject with a clause inside it: "the temp password
        that Jonas from IT read out to me was X", "the PIN my card uses for the canteen is N",
        "the thing I log in with is basically X", "det jeg logger inn med er bare X"."""
        c = self.cues
        k = i - 1
        while k > 0 and tokens[k].lower in c.post_fillers and tokens[k].lower not in c.copulas:
            k -= 1
        if k < 2 or tokens[k].lower not in c.relative_copulas:
            return None
        # "will be", "had been", "ended up being", "skal bli", "har vært": the copula's
        # auxiliaries belong to it
        while k > 2 and tokens[k - 1].lower in c.auxiliaries:
            k -= 1
        if not self._value_ends(tokens, i, text):
            return None
        if self._relative_of_other_noun(tokens, kinds, k):
            return None  # "passordet på en lapp SOM ER kastet": the copula is the note's
        subject = self._apposed_noun(tokens, kinds, k, text)
        for n in range(k - 1, max(-1, k - 11), -1):
            if subject >= 0:
                break
            if (
                text[tokens[n].end : tokens[n + 1].start] != " "
                # "I've BEEN using", "I WAS given": an auxiliary inside the clause
                or (tokens[n].lower in c.copulas and not self._verb(tokens[n + 1]))
                or (
                    (tokens[n].lower in c.clause_breaks or tokens[n].lower in c.clause_starts)
                    # the relative's own, or a clause inside it ("jeg husker AT jeg brukte")
                    and tokens[n].lower not in ("that", "which", "som", "at")
                )
                # "ticket" ends the subject, not "for the new phone" inside it
                or (
                    self._reference_noun(tokens[n].lower)
                    and not any(t.lower in c.prepositions for t in tokens[max(0, n - 3) : n])
                )
            ):
                break  # punctuation, another clause or a reference noun ends the subject
            if kinds[n] in ("password", "code"):
                # two words or more between, and a clause rather than "my" and a phrase
                # ("password is X", "passordet mit er", "innloggingen min til X er" are
                # judged elsewhere)
                plain = (
                    tokens[n + 1].lower in c.possessives
                    and tokens[n + 2].lower in c.prepositions
                    and k - n <= 5
                )
                subject = n if n < k - 2 and not plain else -1
                break
            if (
                (self._verb(tokens[n]) or tokens[n].lower in c.wanting_verbs)
                and any(
                    # "the one I picked", "what IT put in the email", "det IT skrev"
                    tokens[m].lower in c.relative_heads
                    and all(
                        t.lower in c.use_subjects
                        or t.lower in c.person_subjects  # "the one THEY gave me"
                        or t.lower in c.givers
                        or t.lower in c.copulas  # "the one I WAS given"
                        or t.lower in c.anaphors  # "the word IT wants", "ordet DEN vil ha"
                        or t.lower in c.auxiliaries
                        or t.text.isupper()
                        for t in tokens[m + 1 : n]
                    )
                    for m in range(max(0, n - 3), n - 1)
                )
            ):
                subject = n
                break
        if subject < 0:
            return None
        kind = _KIND_OF_NOUN.get(kinds[subject], "password")
        if shape is Shape.DIGITS:
            if kinds[subject] == "code" and self._blocked_code(tokens, subject, i, text):
                return None  # "the error code in the email from IT was 50126"
            return kind if kinds[subject] else None
        token = tokens[i]
        if self._ticket(token.text) or self.words.is_misspelt_predicate(token.text):
            return None
        if shape >= Shape.MEDIUM or (shape is Shape.IDENT and _password_shaped(token.text)):
            return "password"
        if (
            shape in (Shape.WORD, Shape.COMPOUND, Shape.ODD)
            and token.text.islower()
            # a noun ("kestrel", "havnelys-ni"), not "temporary", "expired"
            and (
                shape is Shape.ODD or all(self._value_part(p) for p in token.lower.split("-") if p)
            )
            and token.lower not in c.status_words
            and token.lower not in self.words.stop_words
            and not self.words.is_domain(token.text)
            and not self._definite_noun(token.lower)
        ):
            return "password"
        return None

    def _set_apart_value(self, tokens: List[Token], kinds: List[str], i: int, text: str) -> int:
        """Where the password or code noun stands when the value at ``i`` answers it or says it
        again across punctuation: "the password I chose? X", "password = the usual, i.e. X",
        "my password is my dog's name, X", "new password (as of today): X", "passordet er ordet
        X"; else -1."""
        c = self.cues
        if i < 2:
            return -1
        last = i + 1 == len(tokens)
        before = text[tokens[i - 1].end : tokens[i].start].strip()

        def noun_in(low: int, high: int) -> int:
            found = [n for n in range(max(0, low), high) if kinds[n] in ("password", "code")]
            return found[-1] if found else -1

        if before == "?" and last:
            # the question's own sentence, not a request ("how do I change my password? asap")
            start = i - 1
            while start > 0 and not text[tokens[start - 1].end : tokens[start].start].strip():
                start -= 1
            if i - start <= 8 and tokens[start].lower not in c.question_starters:
                return noun_in(start, i)
        if before in ("", ".") and tokens[i - 1].lower in c.reformulators:  # "i.e. X"
            noun = noun_in(i - 9, i - 1)
            if noun >= 0 and any(t.lower in c.copulas for t in tokens[noun + 1 : i - 1]):
                return noun
        if before == "," and last:
            for n in range(i - 1, max(0, i - 6), -1):
                if tokens[n].lower in c.description_nouns:
                    # the copula after the noun, not the "'s" of "my dog's name"
                    return next(
                        (
                            noun_in(k - 3, k)
                            for k in range(n - 1, max(0, n - 6), -1)
                            if tokens[k].lower in c.copulas and noun_in(k - 3, k) >= 0
                        ),
                        -1,
                    )
        if tokens[i - 1].colon_after and text[tokens[i - 1].end : tokens[i - 1].end + 1] == ")":
            for k in range(i - 1, max(0, i - 7), -1):
                if text[tokens[k - 1].end : tokens[k].start].strip() == "(":
                    return k - 1 if kinds[k - 1] in ("password", "code") else -1
        if tokens[i - 1].colon_after and before == ":":
            # "the password they told me over the phone: X": a relative clause before the colon
            for n in range(i - 2, max(-1, i - 10), -1):
                if text[tokens[n].end : tokens[n + 1].start].strip():
                    break
                subject = tokens[n + 1].lower
                if kinds[n] in ("password", "code") and (
                    subject in c.use_subjects or subject in c.person_subjects
                ):
                    return n
        if tokens[i - 1].lower in ("word", "ordet") and not before:
            k = i - 3 if tokens[i - 2].lower == "the" else i - 2
            if k >= 1 and tokens[k].lower in c.copulas:
                return noun_in(k - 3, k)
        return -1

    def _apposed_noun(self, tokens: List[Token], kinds: List[str], k: int, text: str) -> int:
        """Where the password or code noun stands when a clause set off by commas or brackets
        comes between it and the copula at ``k``: "my laptop password, the one I always forget,
        is X", "the password, if I remember right, is X", "passordet (det fra e-posten) er X";
        else -1."""
        closing = text[tokens[k - 1].end : tokens[k].start].strip()
        if closing not in (",", ")"):
            return -1
        opening = "," if closing == "," else "("
        for o in range(k - 1, max(0, k - 10), -1):
            if text[tokens[o - 1].end : tokens[o].start].strip():
                if text[tokens[o - 1].end : tokens[o].start].strip() != opening or not (
                    opening == "("  # "password (case-sensitive) is X"
                    or tokens[o].lower in self.cues.relative_heads
                    or tokens[o].lower in ("the", "which", "som", "that")
                    # "the password, if I remember right, is X", "passordet, tror jeg, er X"
                    or tokens[o].lower in self.cues.clause_starts
                    or tokens[o].lower in self.cues.use_subjects
                    or tokens[o].lower in self.cues.pre_fillers
                ):
                    return -1
                nouns = [n for n in range(max(0, o - 4), o) if kinds[n] in ("password", "code")]
                return nouns[-1] if nouns else -1
        return -1

    def _stranded(self, tokens: List[Token], kinds: List[str], p: int) -> bool:
        """The preposition at ``p`` ends a relative clause with no object of its own: "the
        word I log in WITH", "ordet (som) jeg logger inn MED": what follows is the main
        clause's verb, not a value."""
        c = self.cues
        for j in range(p - 1, max(0, p - 5), -1):
            if tokens[j].lower in c.use_subjects or tokens[j].lower in c.person_subjects:
                head = tokens[j - 1]
                return (
                    head.lower in c.relative_heads
                    or head.lower in ("som", "that", "which")
                    or kinds[j - 1] in ("password", "code")
                )
            if not self._verb(tokens[j]) and tokens[j].lower not in c.verb_fillers:
                return False
        return False

    def _verb(self, token: Token) -> bool:
        """A verb that an auxiliary may stand before: "been USING", "was GIVEN", "ble SATT"."""
        c, lower = self.cues, token.lower
        return (
            lower in c.disclosure_verbs
            or lower in c.use_verbs
            or lower in c.sign_in_verbs
            or lower in c.typing_verbs
        )

    def _changed_to(self, tokens: List[Token], i: int, text: str, shape: Shape) -> bool:
        """ "changed it <how, where, with whom> to X", "endret det ... til X": the new value,
        ending the clause, when a phrase stands between the pronoun and "to"."""
        c, token = self.cues, tokens[i]
        ends = (
            i + 1 == len(tokens)
            or text[token.end : token.end + 1] in tuple(".,;!?)")
            or tokens[i + 1].lower in c.clause_starts
            or tokens[i + 1].lower in c.clause_breaks
            or tokens[i + 1].lower in ("and", "og", "but", "men")
        )
        if i < 4 or tokens[i - 1].lower not in ("to", "til") or not ends:
            return False
        if shape in (Shape.HARMLESS, Shape.DIGITS) or self._ticket(token.text):
            return False
        if shape is Shape.IDENT and not _password_shaped(token.text):
            return False
        if shape in (Shape.WORD, Shape.COMPOUND, Shape.ODD) and not (
            token.text.islower()
            and all(self._value_part(p) for p in token.lower.split("-") if p)
            and not self.words.is_domain(token.text)
            and not self._definite_noun(token.lower)
            and token.lower not in c.setting_values
        ):
            return False
        # "set it to X" alone is judged elsewhere; "set the laptop one to X" is not
        start = i - 2 if tokens[i - 2].lower == "one" else i - 3
        for m in range(start, max(0, i - 10), -1):
            if text[tokens[m].end : tokens[m + 1].start] != " " or tokens[m].lower in (
                "and",
                "og",
                "but",
                "men",
                "so",
                "så",
            ):
                return False  # "satte et nytt i morges og det virket til lunsj": a new clause
            if tokens[m].lower in c.anaphors and any(
                # "set it ... to", "set the laptop one to"
                t.lower in c.verbs_needing_to
                for t in tokens[max(0, m - 3) : m]
            ):
                return True
        return False

    def _value_part(self, word: str) -> bool:
        """What a value may be made of: no adjective or adverb, or a noun ("kestrel", "tjeld"),
        a number word ("ni") or no word at all."""
        if word in self.words.number_words:
            return True
        if (
            word in self.words.stop_words
            or word in self.words.predicates  # ours: "tom" (empty), not the cat
            or word.endswith(self.cues.adjective_endings)
        ):
            return False  # "temporary", "midlertidig": the lists call some adjectives nouns
        return (
            not self.words.is_predicate(word)
            or self.words.is_noun(word)
            or self.words.is_noun(word[:-1])  # "lights"
            or not self.words.is_word(word)
        )

    def _judged_value(
        self, tokens: List[Token], i: int, text: str, shape: Shape, has_password_noun: bool
    ) -> bool:
        """A question that opens with "is X allowed/ok/strong enough?", "er X lov/greit?":
        the value asked about is the writer's own (digits are judged elsewhere: "is 91234567
        ok to call?" asks about a phone number)."""
        c, token = self.cues, tokens[i]
        if not (1 <= i < len(tokens) - 1 and tokens[i - 1].lower in ("is", "er")):
            return False
        opens = (
            i == 1
            or text[tokens[i - 2].end : tokens[i - 1].start].strip() in tuple(",.:;!?")
            # "... but is X ok for a password?", "..., men er X greit?"
            or tokens[i - 2].lower in ("but", "men", "so", "så", "and", "og", "then", "da")
        )
        judged = tokens[i + 1].lower in c.acceptance_words or (
            tokens[i + 1].lower in c.strength_words
            and i + 2 < len(tokens)
            and tokens[i + 2].lower in ("enough", "nok")
        )
        # a question, asked with "?" or without it when it names what is judged ("is X ok
        # for a password", "er X greit som passord")
        asked = "?" in text[token.end :] or any(
            self._noun_kind(t) == "password" for t in tokens[i + 2 : i + 6]
        )
        if not (opens and judged and asked) or self._ticket(token.text):
            return False
        if shape is Shape.IDENT:
            return _password_shaped(token.text)
        if shape not in (Shape.WORD, Shape.COMPOUND, Shape.ODD, Shape.MEDIUM, Shape.STRONG):
            return False
        # "sunshine!": a symbol kept inside the question; a plain word only when the
        # question is about a password ("is sunflower allowed as a password?")
        return not token.is_alpha or (
            has_password_noun
            and token.text.islower()
            and not self.words.is_predicate(token.text)
            and token.lower not in self.words.stop_words
            and not self.words.is_domain(token.text)
        )

    def _after_form_label(self, tokens: List[Token], kinds: List[str], i: int, shape: Shape) -> int:
        """The last token of a value after a description of its writing that ends in a colon
        ("all in capitals: X", "med store bokstaver: X", "it has spaces: w1 w2 w3"), or -1.

        A rule ("must have capitals: ...") or an example ("f.eks.") describes no value."""
        c = self.cues
        if i == 0 or not tokens[i - 1].colon_after or kinds[i]:
            return -1
        before = tokens[max(0, i - 5) : i]
        if (
            not any(t.lower in c.form_words for t in before)
            or any(
                t.lower in c.modal_verbs
                or t.lower in c.requiring_verbs
                or t.lower in c.example_markers
                or t.lower in c.rule_heads
                for t in before
            )
            or any(
                # "the folder name has a space: 'Team Docs'": the writing of a name
                t.lower.endswith(("name", "navn", "navnet")) or t.lower in c.field_labels
                for t in tokens[max(0, i - 10) : i]
            )
        ):
            return -1
        if any(t.lower in c.spacing_words for t in before) and _phrase_word(tokens[i]):
            end = self._loose_phrase_end(tokens, kinds, i)
            return end if end > i else -1
        if shape < Shape.WORD or (
            shape is Shape.WORD
            and (
                self.words.is_predicate(tokens[i].text)
                or tokens[i].lower in c.status_words
                or tokens[i].lower in c.form_exclusions
            )
        ):
            return -1
        return i

    def _loose_phrase_end(self, tokens: List[Token], kinds: List[str], i: int) -> int:
        c = self.cues
        end, content = i, 0
        for k in range(i, min(i + 7, len(tokens))):
            token = tokens[k]
            if k > i and tokens[k - 1].end != token.start - 1:
                break  # punctuation or a line break ends the phrase
            if (
                kinds[k]
                or token.lower in c.clause_breaks
                or token.lower in c.failure_verbs
                or token.lower in c.status_words
                or not (token.is_alpha or token.text.isdigit() or token.text[-1:] in "!?")
            ):
                break
            end = k
            content += (
                shape_of(token, self.words) is not Shape.HARMLESS
                or token.lower in self.words.number_words
                or token.text.isdigit()
                or (token.lower not in self.words.stop_words and self.words.is_noun(token.lower))
            )
        run = tokens[i : end + 1]
        # "passphrase = and then there were none": function words alone make a phrase too,
        # when there are four or more, none says "not", and the first is no determiner
        # ("passfrasen min er ikke den samme", "is the one I use" describe it)
        function_phrase = (
            len(run) >= 4
            and all(t.lower in self.words.stop_words for t in run)
            and not any(t.lower in c.negations for t in run)
            and run[0].lower not in c.determiners
            and run[0].lower not in c.possessives
            and run[0].lower not in c.anaphors
            and run[0].lower not in c.person_subjects
        )
        # "passphrase: it needs to be at least four words?", "må den være minst fire ord?":
        # what it must be, not what it is
        rule = (
            any(t.lower in c.modal_verbs or t.lower in c.requiring_verbs for t in run)
            and any(t.lower in ("be", "være", "vere", "bli") for t in run)
        ) or any(
            # "minst fire ord", "max 3 words": a bound of the rules; "three words with dashes",
            # "tre ord med bindestrek": its form described
            (
                a.lower in c.length_bounds
                and (b.lower in self.words.number_words or b.text.isdigit())
            )
            or (
                (a.lower in self.words.number_words or a.text.isdigit())
                and b.lower in c.counted_units
            )
            for a, b in zip(run, run[1:])
        )
        return end if (content >= 2 or function_phrase) and end > i and not rule else i

    def _phrase_named(self, tokens: List[Token], context: _Context) -> bool:
        """The value is named a passphrase or sentence, not just a password."""
        return context.direct and context.noun >= 0 and _names_phrase(tokens[context.noun].lower)

    def _shown(self, tokens: List[Token], k: int) -> bool:
        """ "appears", "pops up", "keeps popping up", "dukker opp", "vises": at ``k`` a verb
        that says something is shown on a screen."""
        if k < len(tokens) and tokens[k].lower in ("keeps", "kept", "fortsetter"):
            k += 1
        if k >= len(tokens):
            return False
        lower = tokens[k].lower
        up = k + 1 < len(tokens) and tokens[k + 1].lower in ("up", "opp")
        return lower in self.cues.showing_verbs or (
            up and lower in self.cues.showing_particle_verbs
        )

    def _quoted(self, text: str, tokens: List[Token], kinds: List[str]) -> List[Span]:
        """A quoted value named as a password or passphrase ("passordet er 'blå hest 7'")."""
        spans = []
        starts = {token.start: i for i, token in enumerate(tokens)}
        token_starts = [token.start for token in tokens]
        facts = self._message_facts(tokens)
        last_question = text.rfind("?")
        for match in _QUOTED.finditer(text):
            inner_start = match.start() + 1
            inner = match.group(0)[1:-1]
            if len(inner.strip()) < 3 or len(inner.split()) > 8:
                continue  # nothing, one or two characters (no secret), or a quoted sentence
            first = starts.get(match.start(), starts.get(inner_start))
            if first is None:
                continue
            inner_tokens = tokens_of(inner)
            if any(self._noun_kind(t) for t in inner_tokens):
                continue  # a quoted message about passwords, not one
            last = bisect.bisect_left(token_starts, match.end()) - 1
            context = self._context(tokens, kinds, first, [], text)
            context.reverse = (
                self._context(tokens, kinds, last, [], text).reverse
                or (
                    # 'Er "Snø og sol 2024" et godt passord?', 'is "X" a good password'
                    first >= 1
                    and tokens[first - 1].lower in self.cues.copulas
                    and any(
                        kinds[k] == "password" for k in range(last + 1, min(last + 5, len(tokens)))
                    )
                )
                or (
                    # "'three birds on a fence' as my passphrase": the quotation's last word may
                    # have its own article, so the link is read from the closing quote
                    last + 2 < len(tokens)
                    and tokens[last + 1].lower in self.cues.reverse_links
                    and any(
                        kinds[k] == "password"
                        and all(
                            t.lower in self.cues.possessives or t.lower in self.cues.articles
                            for t in tokens[last + 2 : k]
                        )
                        for k in range(last + 2, min(last + 4, len(tokens)))
                    )
                )
            )
            if (
                context.kind == "password"
                and context.noun >= 0
                and self._game_named(tokens, context.noun + 1, first)
            ):
                continue  # "the password in the quiz was 'X'": a game's answer
            if (
                context.noun >= 0
                and context.noun == first - 1
                and tokens[context.noun].lower in self.cues.phrase_nouns
                and self._shown(tokens, last + 1)
            ):
                continue  # "the phrase 'session expired' pops up": a message on the screen
            label = first >= 1 and tokens[first - 1].colon_after and any(kinds)
            shapes = [shape_of(t, self.words) for t in inner_tokens]
            if context.kind == "code" and len(shapes) >= 3 and max(shapes) < Shape.DIGITS:
                continue  # "the text: 'Your account was updated'": a message quoted, no code
            # After "typed" alone, a quoted user name or address is what was typed, not a secret.
            # Several plain words count only when a password is spoken of or the words failed:
            # 'skriv «snakk med et menneske»' quotes a phrase, not a passphrase.
            # (a clause may stand between: "'X' but the box shows it as wrong"), in the same
            # sentence: "typed 'X' with the exclamation mark and it failed"
            sentence_end = min(  # looked for near the quotation only: linear
                (
                    p
                    for p in (text.find(ch, match.end(), match.end() + 200) for ch in ".?!")
                    if p >= 0
                ),
                default=len(text),
            )
            failed = any(
                (t.lower in self.cues.failure_verbs or t.lower in self.cues.locked_words)
                and t.start < sentence_end
                for t in tokens[last + 1 : last + 10]
            )
            looks_secret = any(shape >= Shape.COMPOUND for shape in shapes) or (
                len(shapes) >= 2
                and Shape.IDENT not in shapes
                and "@" not in inner
                and (any(kind == "password" for kind in kinds) or failed)
            )
            # "is 'ilovemydog' secure enough?", "er 'elskerhunden' sikkert nok?", "it's 'X' - is
            # that too weak?", "thinking of 'X', er det for svakt?": a value judged as a password
            after = tokens[last + 1 : last + 7]
            following = [t.lower for t in after[1:]] + [""]
            judgement = last_question >= match.end() and any(
                t.lower in self.cues.weakness_words
                or (t.lower in self.cues.strength_words and then in ("enough", "nok"))
                for t, then in zip(after, following)
            )
            # "is 'X' long enough", "would 'X' be long enough", "kan «X» være lang nok"
            copula = first >= 1 and (
                tokens[first - 1].lower in self.cues.copulas
                or (
                    tokens[first - 1].lower in self.cues.modal_verbs
                    and bool(after)
                    and after[0].lower in self.cues.copulas
                )
            )
            judged = (
                bool(after)
                and (
                    (copula and (after[0].lower in self.cues.strength_words or judgement))
                    # the judgement's subject refers back to the quotation: "is THAT too weak?"
                    or (judgement and any(t.lower in self.cues.anaphors for t in after[:3]))
                )
            )
            if judged and len(shapes) >= 2 and last_question >= match.end():
                # several plain words judged: a passphrase ("'correct pony battery staple' - is
                # that too weak?"), not a product nor an option ("'Keep me signed in'")
                content = [
                    t for t in inner_tokens if t.is_alpha and t.lower not in self.words.stop_words
                ]
                looks_secret = looks_secret or (
                    (len(content) >= 3 or sum(shape >= Shape.WORD for shape in shapes) >= 2)
                    and Shape.IDENT not in shapes
                    and not any(
                        t.lower in self.words.products
                        or t.lower in self.cues.person_objects
                        or t.lower in self.cues.possessives
                        # an option's label: "'Remember this device'", "«Husk denne enheten»"
                        or t.lower in self.cues.demonstratives
                        for t in inner_tokens
                    )
                    and inner_tokens[0].lower not in self.cues.option_verbs
                )
            # "it's 'moonlight in june' with spaces", "det er 'X' med mellomrom"
            described = (
                len(shapes) >= 2
                and Shape.IDENT not in shapes
                and "@" not in inner
                and any(
                    t.lower in self.cues.form_words
                    # "I put a space in the middle of mine, 'X'": the description may stand
                    # a few words before the quotation
                    for t in tokens[last + 1 : last + 4] + tokens[max(0, first - 8) : first]
                )
                and (
                    any(kinds)
                    or any(t.lower in self.cues.anaphors for t in tokens[max(0, first - 3) : first])
                )
            )
            # "har byttet til «Lakris og te»", "changed it to 'apples in autumn'": a quoted value
            # something (the password or "it") was set to
            set_to = (
                context.typed
                and first >= 2
                and tokens[first - 1].lower in ("to", "til")
                and len(shapes) >= 2
                and Shape.IDENT not in shapes
                and "@" not in inner
                and (sum(shape >= Shape.WORD for shape in shapes) >= 1 or len(shapes) >= 3)
                and not any(t.lower in self.words.products for t in inner_tokens)
            )
            # "den avviser hele tiden 'bjørnebær'": one plain word quoted after a verb of
            # typing or refusing is what was typed (not "type 'yes'", "I typed 'reset'")
            quoted_word = (
                context.verb
                and shapes == [Shape.WORD]
                and inner.islower()
                and not self.words.is_predicate(inner)
            )
            # "the phrase on my card reads 'X'", "lappen med passordet sier «X»": what the
            # thing holding the password says, quoted
            read_out = (
                first >= 2 and self._holds_password(tokens, kinds, first - 1) and looks_secret
            )
            if (
                context.named
                or described
                or set_to
                or quoted_word
                or read_out
                or (label and (looks_secret or len(shapes) == 1))
                or ((context.verb or judged) and looks_secret)
            ) and not self._hypothetical(tokens, first, text, context, facts):
                spans.append(
                    Span(inner_start, match.end() - 1, _KIND_OF_NOUN.get(context.kind, "password"))
                )
        return spans


_DAY = re.compile(r"^(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th|\.)?$")


def _in_date(tokens: List[Token], i: int) -> bool:
    """The year of a date written with the month's name: "August 13, 2021", "13. august 2021",
    "13 Aug 2021", "mars 2024"."""
    if i == 0 or not _YEAR.match(tokens[i].text):
        return False
    before = [t.lower.rstrip(".,") for t in tokens[max(0, i - 2) : i]]
    if before[-1] in cues().month_names:
        return True  # "13. august 2021", "in March 2024"
    return (
        len(before) == 2
        and before[0] in cues().month_names
        and bool(_DAY.match(tokens[i - 1].text))
    )


def _plausible_date(text: str) -> bool:
    """ "14.03.2026", "2026-03-14", "03/14/26" could be dates; "58-21-09" (a code read out in
    pairs) could not: no day-month or month-day order fits."""
    parts = re.split(r"[./-]", text.split()[0].split("T")[0])
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return True
    first, middle = int(parts[0]), int(parts[1])
    return 1 <= middle <= 12 or (1 <= first <= 12 and 1 <= middle <= 31)


def _quoted_with_mark(text: str, token: Token) -> bool:
    """A single quoted word in capitals or parts with its "!" inside the quotes ('"Fjell-Sol!"',
    '"SolOgVind!"'): a value with a symbol, not a sentence's "!" (a banner has several words)."""
    word = token.text
    return (
        word.endswith("!")
        and 0 < token.start < token.end < len(text)
        and text[token.start - 1] in "\"'«“‘`"
        and text[token.end] in "\"'»”’`"
        and ("-" in word or any(ch.isupper() for ch in word[1:]))
    )


def _names_identifier(lower: str) -> bool:
    """ "ID", "identifier", "nøkkel-ID-en": what names a key, not the key."""
    lower = lower.rstrip(":")
    return lower in cues().identifier_nouns or lower.endswith(
        ("-id", "-id-en", "-iden", "-identifier")
    )


def _inside(ranges: List[Tuple[int, int]], token: Token) -> bool:
    """``token`` lies within the union of ``ranges`` (sorted by start, adjacent ones touching);
    found by bisection, so a message full of settings stays linear."""
    position = token.start
    k = bisect.bisect_right(ranges, (position, math.inf)) - 1
    while 0 <= k < len(ranges) and ranges[k][0] <= position < ranges[k][1]:
        position = ranges[k][1]
        if position >= token.end:
            return True
        k += 1
    return False


def _set_off(text: str, token: Token) -> bool:
    """``token`` stands alone in brackets or quotes: "(Moonlight)", "'moonlight'"."""
    before, after = text[token.start - 1 : token.start], text[token.end : token.end + 1]
    return bool(before) and before in "(['\"«“‘" and bool(after) and after in ")]'\"»”’"


def _phrase_word(token: Token) -> bool:
    """A word or number that may stand in a passphrase written out."""
    return token.is_alpha or token.text.isdigit()


def _words_and_number(text: str, words: Vocabulary) -> bool:
    """Capitalised words and a number joined by one kind of separator, the way helpdesks and
    people make passwords ("Spring-Start-7", "Vår-Start-7", "Mandag.Morgen.6",
    "Nynorsk.Er.Fint8"); not a product ("Windows-11-Pro") nor a host ("SRV.Oslo.01")."""
    separators = {c for c in text if c in "-._+*"}
    if len(separators) != 1:
        return False
    separator = separators.pop()
    parts = text.split(separator)
    stems = [p.rstrip("0123456789") for p in parts]
    titled = [s for s in stems if len(s) >= 2 and s.isalpha() and s[:1].isupper()]
    return (
        # two words are enough with an underscore ("Frost_Lykt3"), no room or host name
        (len(parts) >= 3 or (separator == "_" and len(parts) == 2))
        and len(titled) >= 2
        and parts[-1][-1:].isdigit()
        and not parts[-1][len(stems[-1]) :].startswith("0")  # "SRV.Oslo.01": a numbered host
        and not any(s.lower() in words.products for s in stems)
        and all(s.isalpha() or not s for s in stems)
        and all(p.isalpha() or p.isdigit() for p in parts[:-1])
    )


def _scrambled(text: str) -> bool:
    """Eight or more letters and digits with digits between letters ("kx8vq2mz"); a user or
    employee id keeps its digits at the end ("jdoe42", "kn1234")."""
    core = text.rstrip("0123456789")
    return (
        len(text) >= 8
        and text.isalnum()
        and sum(c.isdigit() for c in text) >= 2
        and any(c.isdigit() for c in core)
        and sum(c.isalpha() for c in text) >= 3
    )


def _random_case(text: str) -> bool:
    """Eight or more letters whose case changes three times or more ("LNaJrgBHufSB")."""
    return len(text) >= 8 and sum(a.islower() and b.isupper() for a, b in zip(text, text[1:])) >= 3


def _mixed_case_dotted(text: str) -> bool:
    """ "R3dPanda.sky", "Pa55word.Lisa": capitals inside a part, or digits standing for letters
    and a capitalised last part; digits, and no top-level domain we know. Host names are
    written in one case ("portal.office.com", "SRV01.contoso.local")."""
    ending = text.rsplit(".", 1)[-1]
    return (
        ending.lower() not in cues().top_level_domains
        and any(c.isdigit() for c in text)
        and (
            any(
                part[1:] != part[1:].lower() and part[1:] != part[1:].upper()
                for part in text.split(".")
            )
            or (
                ending[:1].isupper() and ending[1:].islower() and bool(_DIGITS_IN_WORD.search(text))
            )
        )
    )


def _word_and_number(text: str, words: Vocabulary) -> bool:
    """A word of the language and a number the way passwords are made ("fjellhund62")."""
    match = _WORD_NUMBER.match(text)
    if not match:
        return False
    # "fjellhund62"; with one digit only after a longer word ("lighthouse9", "spurv5")
    word, number = [group for group in match.groups() if group]
    return (
        not number.startswith("0")
        and words.is_word(word)
        and not words.is_domain(word)
        and word.lower() not in words.products
    )


def _capital_word_and_digits(text: str, words: Vocabulary) -> bool:
    letters = "".join(c for c in text if c.isalpha())
    return len(letters) >= 3 and sum(c.isdigit() for c in text) >= 2 and words.is_listed(letters)


def _recovery_group(token: Token) -> bool:
    """Letters and digits in groups the way recovery and backup codes are printed ("HT7Q",
    "HT7Q-2LMV-9XRP", "4829 1735", "a1b2c-3d4e5"): no word, year or reference."""
    text = token.text
    if not _RECOVERY_GROUPS.match(text) or _YEAR.match(text) or _GUID.match(text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    if not digits or _ID_PREFIX.match(text) or _CAPITAL_REFERENCE.match(text):
        return False
    # letters and digits mixed in some group, or digits alone
    return letters == 0 or any(
        any(ch.isalpha() for ch in group) and any(ch.isdigit() for ch in group)
        for group in re.split(r"[- ]", text)
    )


def _password_shaped(text: str) -> bool:
    """Made the way passwords are ("Shadow1980", "tiger#lily", "sommer2024"), even with no cue;
    not a user name ("jsmith42", "per.olsen2") nor a room ("Fjord-2")."""
    letters = sum(c.isalpha() for c in text)
    digits = sum(c.isdigit() for c in text)
    odd_symbol = any(not c.isalnum() and c not in "-._'" for c in text)
    if letters < 3:
        return False
    if text.lower() in _common_passwords():
        return True  # "qwerty123", "letmein", "hunter2"
    if odd_symbol or _LEET.search(text):
        return True  # "tiger#lily", "gr8tful"
    if digits < 2:
        return False
    return any(c.isupper() for c in text) or bool(_YEAR.match(text[-4:]))


@lru_cache(maxsize=1)
def _common_passwords() -> FrozenSet[str]:
    """Breach-list passwords (vocabulary.yml), loaded once."""
    return vocabulary().common_passwords


@lru_cache(maxsize=1)
def detector() -> Detector:
    return Detector(vocabulary(), cues())


def _kind_named_by_context(token: Token, context: _Context, named_kind: str) -> Optional[str]:
    """The kind a recovery, key or password word next to ``token`` names, or None."""
    if context.near_recovery:
        return "recovery_key"
    if context.near_key and len(token.text) >= 16:
        return "token"
    if context.named:
        return named_kind
    return None
