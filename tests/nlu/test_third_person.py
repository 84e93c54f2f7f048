"""A third person whose account a message is about, in both languages; passing mentions are not."""

import pytest

from passordhjelp.nlp.other_account import find_other_account
from passordhjelp.nlp.third_person import find_third_person, first_names

# Someone else's account wherever it is said: refused at once (other_account).
STRONG = [
    "my colleague forgot her password",
    "our new hire can't log in",
    "my boss can't remember his password",
    "the intern doesn't remember the password",
    "Kari is locked out",
    "Ingrid has forgotten it again",
    "he's locked out",
    "can you reset it for him",
    "a coworker of mine is stuck",
    "sjefen min husker ikke passordet sitt",
    "vikaren kommer ikke inn",
    "den nyansatte har glemt passordet",
    "lærlingen vår er låst ute",
    "hun kommer ikke inn",
    "Ola har glemt passordet",
    "passordet hennes virker ikke",
    "kan du nullstille det for henne",
    # Nynorsk and dialect pronouns read as the Bokmål ones.
    "ho kjem seg ikkje inn",
    "passordet hennar verkar ikkje",
    # Told by where they sit, and a manager's employee.
    "hun i kassa er låst ute",
    "min ansatt kommer seg ikke inn",
    "en av de ansatte mine trenger nytt passord",
    # Family, compound roles, and someone who wants a new password rather than lost one.
    "pappa husker ikke passordet sitt",
    "butikksjefen er låst ute",
    "prosjektlederen vår vil bytte passord",
    "hun trenger å endre passordet",
    "my boss wants to change his password",
    # A hyphenated role is one word to the patterns, as written without the hyphen.
    "my co-worker can't sign in",
    "our team-mate's login is blocked",
    # Any one colleague, not only mine.
    "a coworker can't sign in since the update",
    "another intern forgot the password",
]

# Only at the offer or the confirmation: another person named, a role, a pronoun.
LOOSE_ONLY = [
    # Whom it is for, beside the one who asked for it (session 12).
    "ja, for Per i regnskap, han ba meg ordne det",
    "yes, for Sarah in accounts, she asked me to sort it out",
    # The account a role uses or has.
    "sure, it's the account which the new temp has",
    "ja, det er innloggingen som vikaren vår bruker",
    "yes, for Kari",
    "yes for ingrid",
    "ja, det er for sjefen min",
    "actually it's for the new intern",
    "det er egentlig til vikaren",
    "not mine, it's for someone else",
    "det er ikke min konto",
    "ja, det er til praktikanten",
    # With an adverb between ("actually", "egentlig").
    "sure, it's actually for our temp",
    "ja, men det er egentlig vikaren som skal bruke den",
    "it's really for the new intern",
    "ja, det gjelder faktisk den nye praktikanten",
    "yes, it's the intern's",
    # The other person as the one who needs it, by a pronoun only.
    "wait, it's really him that needs it",
    "they're the ones who lost it",
    "hun er den som er sperret",
    "det gjelder egentlig dem som",
]

# The chatter's own account: a person in passing, the chatter introducing
# themself, an admin's how-to question, or no person at all.
NEITHER = [
    # Someone to be told about the chatter's own request (session 12).
    "yes, if my manager doesn't get notified? does she?",
    "yes, but does my team lead get an email about this?",
    "ja, hvis lederen min ikke blir varslet? blir hun det?",
    "ja, men får teamlederen min vite om dette?",
    "yes, the password my manager gave me last week",
    "ja, passordet sjefen ga meg i fjor",
    "my colleague told me to change mine",
    "my manager said I need to reset my password",
    "sjefen sa jeg måtte bytte mitt",
    "kollegaen min tipset meg om denne chatten, jeg har glemt passordet",
    "I'm the new intern and I forgot my password",
    "Hi, Kari here, I forgot my password",
    "Hei, det er Kari, jeg har glemt passordet",
    "jeg heter Kari og har glemt passordet",
    "jeg er nyansatt og husker ikke passordet",
    "jeg er ansatt her og har glemt passordet",
    "I forgot my password",
    "passordet mitt virker ikke",
    "yes please",
    "ja takk, send den",
    "yes please, my boss is waiting for me",
    "ja takk, sjefen venter på meg",
    "yes, she is waiting",
    "yes please, she needs me back at my desk",
    "it's me who needs it",
    "det er jeg som trenger det",
    "how do I reset a user's password",
    "hvordan tilbakestiller jeg passordet til en ansatt",
    # Sent here by someone: the chatter's own trouble.
    "lederen min ba meg skrive hit, jeg har glemt passordet",
    "my manager asked me to contact you, I forgot my password",
    # Where the person works, between them and what they said.
    "Nadia from payroll said to message you, my password is gone",
    "my supervisor over at the warehouse told me to try here, I'm locked out",
    "sjefen min vil at jeg skal bytte passord",
    # "Don't remember my password", not "not my password".
    "husker ikke passordet mitt, trenger et nytt",
    "vet ikke passordet mitt",
]


@pytest.mark.parametrize("text", STRONG)
def test_third_person_strong_wherever_said(text):
    found = find_third_person(text)
    assert found is not None and found.strong
    assert text[found.start : found.end] == found.text
    assert find_other_account(text) is not None


@pytest.mark.parametrize("text", LOOSE_ONLY)
def test_third_person_loose_only_at_the_offer(text):
    assert find_third_person(text) is None
    assert find_third_person(text, loose=True) is not None


@pytest.mark.parametrize("text", NEITHER)
def test_third_person_not_in_passing_nor_the_chatter(text):
    assert find_third_person(text, loose=True) is None


@pytest.mark.parametrize(
    "text",
    [
        "an employee forgot her password, how do I reset it in the admin center",
        "hvordan tilbakestiller jeg passordet hennes som admin",
        "kan jeg sette at hun må bytte ved neste pålogging?",
        "can I force her to change it at the next sign-in?",
    ],
)
def test_third_person_admin_how_to_is_not_refused_at_once(text):
    assert find_third_person(text) is None


def test_third_person_first_names_are_data_of_both_countries():
    names = first_names()
    assert len(names) > 400
    assert {"kari", "ola", "ingrid", "olivia", "james"} <= names
    # Ordinary words are left out ("May I", "Else"), and so is "hans" (his).
    assert not {"may", "else", "hans", "june"} & names


@pytest.mark.parametrize(
    "language, text, lemmas",
    [
        # One feature for every first name and every colleague's role...
        ("en", "Ingrid forgot her password", {"Ingrid": "person_name"}),
        ("nb", "Ola har glemt passordet", {"Ola": "person_name"}),
        ("en", "our new hire is locked out", {"new": "colleague", "hire": "colleague"}),
        ("nb", "vikaren er låst ute", {"vikaren": "kollega"}),
        # ... and another for a person who only told the chatter something.
        ("en", "my manager told me to ask you", {"manager": "informant"}),
        ("nb", "sjefen sa jeg måtte bytte mitt", {"sjefen": "informant"}),
        # Asking the chatter to do something may well be about the asker's account.
        ("en", "a coworker asked me to reset his password", {"coworker": "colleague"}),
        ("nb", "sjefen ba meg ordne kontoen hans", {"sjefen": "kollega"}),
        # Asked to come here: a passing mention.
        ("nb", "sjefen ba meg ta kontakt med dere", {"sjefen": "informant"}),
        ("en", "my boss asked me to message you", {"boss": "informant"}),
        # A name no list knows, told by where it stands; products are not people.
        ("nb", "nytt passord til Priyanka", {"Priyanka": "person_name"}),
        ("nb", "resette passordet for Jules", {"Jules": "person_name"}),
        ("nb", "glemt passordet til Outlook", {"Outlook": "Outlook"}),
        # Names of Norway's younger people and immigrant groups, English short forms.
        ("nb", "Ahmed har glemt passordet", {"Ahmed": "person_name"}),
        ("en", "Bob is locked out", {"Bob": "person_name"}),
        ("en", "my co-worker's login expired", {"co-worker": "colleague", "'s": "possessive"}),
        ("en", "Fatima in payroll told me about you", {"Fatima": "informant"}),
        # The person in a passing mention need not open it: where they sit, a relative
        # clause, a tip as a noun, "according to".
        ("nb", "naboen på lageret sa jeg skulle skrive hit", {"naboen": "informant"}),
        ("nb", "det var sjefen som tipset meg om chatten", {"sjefen": "informant"}),
        ("nb", "fikk beskjed fra lederen min om å bruke chatten", {"lederen": "informant"}),
        ("en", "a teammate who showed me this chat", {"teammate": "informant"}),
        ("en", "according to my manager I should write here", {"manager": "informant"}),
        ("en", "got the link from my supervisor", {"supervisor": "informant"}),
    ],
)
def test_third_person_lemmas_the_classifier_sees(language, text, lemmas):
    from passordhjelp.nlp.pipelines import pipeline

    doc = pipeline(language)(text)
    assert {t.text: t.lemma_ for t in doc if t.text in lemmas} == lemmas


@pytest.mark.parametrize(
    "text, someone_else",
    [
        ("yes, it's for Per in sales", True),
        ("ja, det er til Per", True),
        # "Per" also begins "Per nå" (as of now): a name only after for/til.
        ("Per nå kommer jeg ikke inn", False),
        ("Per i dag er jeg låst ute", False),
    ],
)
def test_third_person_per_is_a_name_only_after_a_preposition(text, someone_else):
    assert (find_third_person(text, loose=True) is not None) is someone_else


@pytest.mark.parametrize(
    "text, someone_else",
    [
        ("our accountant's login is locked since yesterday", True),
        ("the new guy's password expired", True),
        ("kontoen til regnskapsføreren vår er låst", True),
        # A thing's password is the chatter's own; an admin's question is not refused.
        ("my laptop's password doesn't work", False),
        ("the company's password policy", False),
        ("how do I reset an employee's password", False),
    ],
)
def test_third_person_someones_account_by_any_role(text, someone_else):
    assert (find_other_account(text) is not None) is someone_else


@pytest.mark.parametrize(
    "text",
    [
        # Filing is only ever for the chatter's own account: their own trouble stated
        # outright beside another person's is not someone else's request...
        "my colleague reset her password yesterday, now I forgot mine too",
        "I'm covering for Anna this week and I forgot my password",
        "jeg deler kontor med Ola og har glemt passordet mitt",
        "kollegaen min er også låst ute, men jeg har glemt passordet mitt",
    ],
)
def test_third_person_the_chatters_own_trouble_beside_anothers_is_theirs(text):
    assert find_third_person(text) is None
    assert find_other_account(text) is None


def test_third_person_naming_another_account_outright_still_counts():
    # ... unless the other account is named outright.
    assert find_other_account("reset Bob's password, I forgot mine") is not None


@pytest.mark.parametrize("text", [
    "kan du vise meg hvor jeg bytter passord? er det under Vis konto?",
    "glemt passordet til Vipps",
    "I forgot my password for Netflix",
])
def test_third_person_menu_items_and_private_services_are_no_ones_account(text):
    assert find_other_account(text) is None


@pytest.mark.parametrize("text", ["hun må bytte passord", "can I reset my colleague's password for her?"])
def test_third_person_acting_on_someone_else_is_not_an_admin_setting(text):
    assert find_third_person(text) is not None


@pytest.mark.parametrize("text", ["this is for Tom in accounting, he asked me to do it",
                                  "it's actually for Sanjay", "det er for Kari på lønn",
                                  "dette gjelder egentlig Ola"])
def test_third_person_saying_whose_name_it_is_for_is_someone_else(text):
    assert find_third_person(text) is not None


@pytest.mark.parametrize("text", ["It is for Outlook", "it's for my account", "det er til meg",
                                  "this is Tom from finance, I forgot my password", "jeg er Kari",
                                  "Hei, dette er Kari, jeg har glemt passordet", "Det gjelder Teams"])
def test_third_person_a_thing_or_the_chatter_after_is_for_is_no_one_else(text):
    assert find_third_person(text) is None
