"""Session 20, third-person helper ("people"): the writer's own password trouble told in a story
with another person, every other password known but the work one, and an administrator's how-to
question, each with the someone-else's neighbour that must stay as it was (tests/nlu/README.md
"Session 20, third-person helper")."""

import pytest

from components.shape_readings import ShapeReadings
from components.someone_else_guard import SomeoneElseGuard
from guarded import classified_by
from passordhjelp.nlp.forgotten_told import all_but_one_known
from passordhjelp.nlp.other_account import find_other_account
from passordhjelp.nlp.someone_else import change_after_others_trouble, mentions_anyone_else
from passordhjelp.nlp.third_person import find_third_person, states_own_change, states_own_lapse
from readings import lemmas


def guarded(text, ranking, entities=()):
    return classified_by(SomeoneElseGuard(), text, ranking, entities)["name"]


def shaped(text, ranking, entities=()):
    return classified_by(ShapeReadings(), text, ranking, entities)["name"]


def first(intent, *rest):
    """A ranking with ``intent`` first (0.6) and ``rest`` after it."""
    names = (intent, *rest)
    shares = [0.6] + [0.4 / len(rest)] * len(rest) if rest else [1.0]
    return [{"name": name, "confidence": share} for name, share in zip(names, shares)]


def entity(kind, text, part):
    start = text.index(part)
    return [{"entity": kind, "start": start, "end": start + len(part), "value": part}]


OTHER_FIRST = first("other_person_password", "change_password", "forgot_password")

# 1. Another person's trouble or habit told first, then the writer's own.
OWN_CHANGE_AFTER_OTHERS = [
    "my team lead forgot his on Monday, so I'd like to change mine before the same happens",
    "my colleague got locked out yesterday, it made me want to reset my own password",
    "kollegaen min glemte sitt i går, så nå vil jeg bytte mitt",
    "sjefen ble sperret ute forrige uke, jeg vil endre passordet mitt mens jeg husker det",
]
NOT_OWN_CHANGE = [
    "can you change my colleague's password",
    "please reset my colleague password",
    "kan du bytte passordet hennes",
    "vil bytte passordet til kollegaen min",
    "my boss wants me to change his password",
]


@pytest.mark.parametrize("text", OWN_CHANGE_AFTER_OTHERS)
def test_the_chatters_own_change_after_anothers_trouble_is_read(text):
    assert states_own_change(text)
    assert find_third_person(text) is None


@pytest.mark.parametrize("text", NOT_OWN_CHANGE)
def test_a_change_of_someone_elses_password_is_no_own_change(text):
    assert not states_own_change(text)


@pytest.mark.parametrize("text", OWN_CHANGE_AFTER_OTHERS)
def test_other_person_read_beside_an_own_change_is_change(text):
    assert guarded(text, OTHER_FIRST) == "change_password"


def test_forgot_read_where_only_the_other_forgot_is_change():
    text = "kollegaen min glemte sitt i går, så nå vil jeg bytte mitt"
    assert change_after_others_trouble(text)
    assert guarded(text, first("forgot_password", "change_password")) == "change_password"


@pytest.mark.parametrize("text", [
    "I want to change mine but I forgot the old one, like my boss did",
    "my boss forgot his and I've forgotten mine, I need to reset my password",
    "I want to change my password",
])
def test_a_change_with_the_chatters_own_forgetting_or_no_other_is_not_settled(text):
    assert not change_after_others_trouble(text)


OWN_LAPSE_IN_A_STORY = [
    "my neighbour and I both got the notice, and I'd forgotten my password by the afternoon",
    "Mum told me to write it down. I didn't. Forgot mine.",
    "working from my assistant's PC today and I can't remember my own password",
    "låner sidemannen sin maskin, og nå husker jeg ikke mitt eget passord",
    "kona sa jeg burde skrive det ned, hun hadde rett, husker ikke mitt",
]


@pytest.mark.parametrize("text", OWN_LAPSE_IN_A_STORY)
def test_the_chatters_own_lapse_in_a_story_is_forgot(text):
    assert states_own_lapse(text)
    assert guarded(text, OTHER_FIRST) == "forgot_password"


@pytest.mark.parametrize("text", [
    "I haven't forgotten mine, my colleague has",
    "she forgot mine, not hers",
    "husker mitt fint, det er hun som har glemt sitt",
])
def test_no_own_lapse_where_the_chatter_knows_theirs(text):
    assert not states_own_lapse(text)


def test_an_own_lockout_with_the_possessive_first_takes_other_person_back():
    text = "Teamet mitt logger på, men min konto er sperret"
    ranking = first("other_person_password", "account_locked")
    assert guarded(text, ranking) == "account_locked"


def test_the_chatter_alone_left_out_takes_other_person_back():
    text = "alle de andre i teamet fikk nytt passord i dag, men ikke jeg"
    assert guarded(text, first("other_person_password", "forgot_password")) == "forgot_password"


def test_others_in_trouble_except_the_chatter_stay_someone_elses():
    text = "all my colleagues are locked out except me"
    assert guarded(text, OTHER_FIRST) == "other_person_password"


# The neighbours: the other person's trouble is the point, the writer asks for them.
@pytest.mark.parametrize("text, part", [
    ("my colleague forgot hers, can you reset it for her?", "my colleague forgot"),
    ("kollegaen min har glemt sitt, kan dere nullstille det for henne?", "kollegaen min har glemt"),
    ("my manager forgot her password, could you reset hers and not mine", "my manager forgot"),
])
def test_anothers_trouble_asked_for_stays_someone_elses(text, part):
    assert find_third_person(text) is not None
    assert guarded(text, OTHER_FIRST, entity("other_account", text, part)) == (
        "other_person_password"
    )


# A thing of another person's is no account of theirs.
@pytest.mark.parametrize("text", [
    "I'm on my colleague's laptop and can't remember my password",
    "sitting at my boss's desk, forgot my password",
])
def test_another_persons_thing_is_no_other_account(text):
    assert find_other_account(text) is None


@pytest.mark.parametrize("text", [
    "it's my colleague's",
    "can you reset my colleague's password",
    "my assistant's account is locked",
    "Karis passord er utløpt",
])
def test_another_persons_account_still_is(text):
    assert find_other_account(text) is not None


def test_a_verb_in_s_opening_the_message_is_no_possessive():
    assert find_other_account("Synes passordet mitt er for gammelt, vil bytte det") is None


@pytest.mark.parametrize("text, anyone", [
    ("passordet virker ikke av en eller annen grunn", False),
    ("alle de passordene husker jeg, bare ikke jobbpassordet", False),
    ("de sa jeg måtte bytte passord", True),
    ("kan jeg få nytt passord for noen andre?", True),
    ("de andre kommer inn", True),
])
def test_idioms_and_articles_bring_in_no_person(text, anyone):
    assert mentions_anyone_else(text) is anyone


# 2. Every other password known, only the work one not.
ALL_BUT_ONE = [
    "Gmail, the bank, the gym app - I know them all, just not the work one",
    "all my home passwords are fine except the office one",
    "Vipps og nettbanken husker jeg godt, bare ikke det til jobben",
    "alle passordene privat sitter, unntatt jobbpassordet",
]


@pytest.mark.parametrize("text", ALL_BUT_ONE)
def test_every_password_known_but_the_work_one_is_forgotten(text):
    assert all_but_one_known(text)
    for read_as in ("change_password", "password_help", "out_of_scope"):
        assert shaped(text, first(read_as, "forgot_password", "other_person_password")) == (
            "forgot_password"
        )


@pytest.mark.parametrize("text", [
    "I know the work one fine, I just want to change it",
    "my Netflix password is fine but I can't log in to Netflix",
    "husker jobbpassordet fint, vil bare bytte det",
    "jeg husker passordet, men ikke brukernavnet",
])
def test_a_known_password_with_no_exception_is_no_forgetting(text):
    assert not all_but_one_known(text)


def test_all_but_one_about_someone_elses_account_is_left_alone():
    text = "my colleague knows all her passwords, just not the work one"
    ranking = first("other_person_password", "forgot_password")
    entities = entity("other_account", text, "my colleague")
    assert shaped(text, ranking, entities) == "other_person_password"


# 3. An administrator as the one who resets.
@pytest.mark.parametrize("text", [
    "how would an administrator reset a password for someone on the team?",
    "what's the easiest way for an admin to reset somebody's password",
    "hvordan nullstiller en administrator passordet til en medarbeider?",
    "kan en admin tilbakestille passordet for en bruker?",
])
def test_how_an_administrator_resets_is_the_admin_question(text):
    assert guarded(text, first("other_person_password", "admin_reset_user_password")) == (
        "admin_reset_user_password"
    )


@pytest.mark.parametrize("text, kind, part", [
    ("Kari forgot her password, can an admin reset it?", "other_account", "Kari forgot"),
    ("can an admin reset it for Kari?", "third_person", "for Kari"),
    ("kan en admin nullstille det for henne?", "third_person", "for henne"),
])
def test_an_admin_asked_to_act_for_a_named_person_stays_someone_elses(text, kind, part):
    ranking = first("other_person_password", "admin_reset_user_password")
    assert guarded(text, ranking, entity(kind, text, part)) == "other_person_password"


@pytest.mark.parametrize("text, forgotten", [
    ("satte nytt passord i går og våknet uten peiling", True),
    ("uten den minste peiling på passordet", True),
    ("byttet passord uten problemer", False),
])
def test_without_a_clue_is_forgetting(text, forgotten):
    assert ("glemme" in lemmas("nb", text)) is forgotten


@pytest.mark.parametrize("text", [
    "Can an admin reset my password? I've forgotten it",
    "kan en administrator nullstille mitt? har glemt det totalt",
])
def test_an_admin_asked_for_the_chatters_own_password_is_no_admin_question(text):
    assert guarded(text, first("other_person_password", "forgot_password")) == "forgot_password"


@pytest.mark.parametrize("text", [
    "står feil passord, men jeg er sikker på at det er riktig",
    "my colleague got in, but I can't",
])
def test_a_plain_but_i_is_no_exception_of_the_chatter(text):
    from passordhjelp.nlp.third_person import states_own_exception

    assert not states_own_exception(text)
