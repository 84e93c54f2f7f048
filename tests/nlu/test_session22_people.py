"""Session 22, third-person helper ("people"): whose password trouble it is. The writer denying the
trouble and handing it to another, a third person (a role, a number of the writer's people, a
person placed by where they work) as the subject of the trouble, and the writer's own trouble
with someone only in passing; each with neighbours that must stay as they were
(tests/nlu/README.md "Session 22, third-person helper")."""

import pytest

from components.someone_else_guard import SomeoneElseGuard
from guarded import classified_by
from passordhjelp.nlp.someone_else import mentions_anyone_else, tells_own_trouble
from passordhjelp.nlp.third_person import find_third_person, states_not_admin


def guarded(text, ranking, entities=()):
    return classified_by(SomeoneElseGuard(), text, ranking, entities)["name"]


def ranked(*pairs):
    return [{"name": name, "confidence": share} for name, share in pairs]


def entity(kind, text, part):
    start = text.index(part)
    return [{"entity": kind, "start": start, "end": start + len(part), "value": part}]


# 1. The writer denies the trouble and gives it to someone else.
DENIED_AND_GIVEN = [
    "I haven't forgotten my password, it's my deskmate who has",
    "it's not me who is locked out, it's my supervisor",
    "det er ikke jeg som er sperret ute, det er sjefen min",
    "jeg har ikke glemt mitt, det er arbeidskollegaen min som har glemt sitt",
    "Jeg har ingen problemer med kontoen min, men praktikanten har glemt passordet",
]
# ... and a denial with nobody to give it to, or one's own trouble after all.
DENIED_NOT_GIVEN = [
    "I haven't forgotten my password, I just want a new one",
    "det er ikke jeg som har glemt det, det er bare at det er utløpt",
    "jeg har ikke glemt passordet, men vil bytte det",
]


@pytest.mark.parametrize("text", DENIED_AND_GIVEN)
def test_a_denied_trouble_given_to_another_is_theirs(text):
    assert find_third_person(text) is not None
    assert not tells_own_trouble(text)


@pytest.mark.parametrize("text", DENIED_NOT_GIVEN)
def test_a_denial_alone_names_no_one(text):
    assert find_third_person(text) is None


def test_other_person_read_below_the_fallback_is_pooled_when_the_trouble_is_given_away():
    text = "I haven't forgotten my password, it's my deskmate who has"
    ranking = ranked(("other_person_password", 0.3), ("change_password", 0.28), ("forgot_password", 0.2), ("greet", 0.22))
    ents = entity("other_account", text, "it's my deskmate")
    assert classified_by(SomeoneElseGuard(), text, ranking, ents)["confidence"] > 0.7


# 2. A third person as the subject of the trouble: a role, a number of the writer's people, a
#    person placed by where they work, a second clause, the reflexive "sitt"/"sin".
THIRD_PERSON_SUBJECT = [
    "two of our apprentices are locked out since this morning",
    "one of my reports can't sign in anymore",
    "someone on my team has forgotten their password",
    "one of our staff needs a new password",
    "Ingrid from the Bergen office is locked out",
    "Tone in payroll has forgotten it again",
    "how do my interns reset their passwords?",
    "he got back from leave and forgot it",
    "my assistant reset it on Friday and now can't remember it",
    "ei på avdelingen min er låst ute",
    "tre i gruppa vår har glemt passordet",
    "Kari på lageret har glemt passordet sitt",
    "lærlingen som startet i august husker ikke kontoen sin",
    "hvordan kan sjefen min endre passordet?",
    "hvordan får hun nytt?",
    "hun kom fra ferien og har glemt det",
    "vikaren min endret passord på fredag og vet det ikke lenger",
    "kan du låse opp henne?",
]
NOT_THIRD_PERSON_SUBJECT = [
    "one of my passwords is locked",
    "my team told me to change mine",
    "hvor endrer man passordet sitt?",
    "må alle bytte passordet sitt nå?",
    "sjefen min sa jeg måtte bytte passord og nå husker jeg det ikke",
    "I changed it yesterday and can't remember it",
    "jeg byttet passord i går og husker det ikke",
    "how do I reset my password?",
    "hvordan kan jeg bytte passord?",
]


@pytest.mark.parametrize("text", THIRD_PERSON_SUBJECT)
def test_a_third_person_as_subject_is_someone_elses_account(text):
    assert find_third_person(text) is not None


@pytest.mark.parametrize("text", NOT_THIRD_PERSON_SUBJECT)
def test_own_or_generic_subjects_are_nobody_elses(text):
    assert find_third_person(text) is None


def test_a_role_of_mine_is_no_trouble_of_mine():
    # "my" of "my colleague" is not the chatter's own trouble.
    assert not tells_own_trouble("help my supervisor please, his account got blocked")
    assert tells_own_trouble("my account got blocked, my supervisor told me to ask here")


@pytest.mark.parametrize(
    "intent", ["forgot_password", "account_locked", "change_password", "other_person_password"]
)
def test_the_guard_gives_a_third_persons_trouble_to_them(intent):
    text = "two of our apprentices are locked out since this morning"
    rest = [n for n in ("forgot_password", "account_locked", "other_person_password") if n != intent]
    ranking = ranked((intent, 0.5), (rest[0], 0.3), (rest[1], 0.2))
    ents = entity("other_account", text, "two of our apprentices are locked")
    assert guarded(text, ranking, ents) == "other_person_password"


# 3. The writer's own trouble with someone in passing: not someone else's.
OWN_WITH_PASSING = [
    "nyansatt her, har ikke fått noe passord ennå",
    "sitter på sjefens maskin nå, har glemt passordet mitt",
    "can't log in, typing this on my son's tablet",
]


@pytest.mark.parametrize("text", OWN_WITH_PASSING)
def test_a_person_in_passing_is_no_one_else(text):
    assert find_third_person(text) is None
    assert not mentions_anyone_else(text)


@pytest.mark.parametrize("text", OWN_WITH_PASSING)
def test_other_person_read_beside_a_passing_mention_is_taken_back(text):
    ranking = ranked(("other_person_password", 0.6), ("forgot_password", 0.3), ("greet", 0.1))
    assert guarded(text, ranking) == "forgot_password"


# An admin's how-to where the writer says they are no admin and names someone: their trouble.
NOT_ADMIN = [
    "how can I help my coworker who is locked out? I'm not an admin",
    "kan dere nullstille passordet til en kollega? jeg er ikke admin",
]


@pytest.mark.parametrize("text", NOT_ADMIN)
def test_no_admin_asking_for_someone_is_someone_elses(text):
    assert states_not_admin(text)
    ranking = ranked(("admin_reset_user_password", 0.6), ("other_person_password", 0.4))
    assert guarded(text, ranking) == "other_person_password"


def test_no_admin_about_own_password_stays():
    text = "I'm not an admin, how do I reset my own password?"
    ranking = ranked(("admin_reset_user_password", 0.6), ("forgot_password", 0.4))
    assert guarded(text, ranking) != "other_person_password"


def test_a_self_introduction_is_no_place_of_another():
    # "konsulent på prosjektet" is the writer; the place ends before "og".
    assert find_third_person("jeg er vikar på lageret og har glemt passordet") is None
    assert find_third_person("I'm a contractor on the project and forgot my password") is None


def test_a_person_in_passing_counts_when_the_writer_is_not_in_the_message():
    # Only the manager is there: whose account it is stays open to the classifier.
    assert mentions_anyone_else("lederen får e-post om at kontoen er sperret")
    assert not mentions_anyone_else("jeg er sperret ute, lederen min får e-post om det")


@pytest.mark.parametrize("text", [
    "is it possible to order a reset for somebody else?",
    "could you set up a password for another colleague as well",
    "kan dere lage nytt passord for noen andre enn meg?",
    "jeg vil sende en sak for en annen kollega",
])
def test_for_someone_else_is_someone_elses(text):
    assert find_third_person(text) is not None


@pytest.mark.parametrize("text", [
    "how do I reset the password for another user",
    "hvordan setter jeg passord for en annen bruker i adminsenteret",
    "kan jeg vente en annen gang",
    "not mine, it's for someone else",
])
def test_for_another_user_or_time_is_not(text):
    assert find_third_person(text) is None


def test_not_knowing_what_ones_own_is_beside_another_who_knows():
    text = "begge fikk nytt passord, hun husker passordet sitt, men jeg aner ikke hva mitt er"
    assert find_third_person(text) is None


def test_a_group_of_mine_is_no_trouble_of_mine():
    text = "ei dame på avdelinga mi har vært sperret ute i hele dag"
    assert find_third_person(text) is not None
    assert not tells_own_trouble(text)
    assert tells_own_trouble("jeg har vært sperret ute, laget mitt venter på meg")
