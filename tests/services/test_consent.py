"""Which answers to the filing confirmation count as a clear yes (both languages)."""

import re
from pathlib import Path

import pytest

from passordhjelp import consent
from passordhjelp.nlu_evaluation import load_examples
from passordhjelp.consent import (REOPENED, Answer, Owner, WayOut, about_someone_else,
                                  account_owner, after_decline, declines_waiting_for_someone,
                                  read_answer, read_way_out, starts_with_no, still_about_them,
                                  withdraws)
from trackers import nlu_entities


def parse(text, intent="affirm", confidence=0.95, entities=None):
    """Rasa's parse, with the entities the NLU's rules give the text unless given."""
    return {"text": text, "intent": {"name": intent, "confidence": confidence},
            "entities": nlu_entities(text) if entities is None else list(entities)}


@pytest.mark.parametrize("text, intent, confidence, expected", [
    ("yes, file it", "affirm", 0.95, Answer.YES),
    ("ja, send den", "affirm", 0.95, Answer.YES),
    ("yes please, for my own account", "affirm", 0.9, Answer.YES),
    ("ja takk, for kontoen min", "affirm", 0.9, Answer.YES),
    ("/affirm", "affirm", 1.0, Answer.YES),
    ("actually yes, file it", "affirm", 0.95, Answer.YES),
    ("jo forresten, send den likevel", "affirm", 0.9, Answer.YES),
    ("Yes!", "affirm", 0.9, Answer.YES),
    ("ja takk", "thank", 0.76, Answer.YES),
    ("yes, thanks", "thank", 0.8, Answer.YES),
    ("takk", "thank", 0.98, Answer.THANKS),
    ("ok thanks", "thank", 0.98, Answer.THANKS),
    ("ja takk, for Kari", "thank", 0.9, Answer.OTHER_ACCOUNT),
    ("no", "deny", 0.5, Answer.NO),
    ("nei, glem det", "deny", 0.5, Answer.NO),
    ("cancel it", "cancel_request", 0.6, Answer.NO),
    # A first clause that is only a no declines, whatever the reason after it reads as.
    ("nei, jeg avventer og logger på en gang til fredag", "forgot_password", 0.5, Answer.NO),
    ("nope, will give it another go after lunch", "remembered_password", 0.4, Answer.NO),
    ("nei takk, ikke nå", "nlu_fallback", 1.0, Answer.NO),
    # A no with more in its clause is not a plain no: asked again.
    ("nei vent, send den", "affirm", 0.9, Answer.UNCLEAR),
    ("not sure, what happens then", "ask_process", 0.8, Answer.UNCLEAR),
    ("trekk den tilbake", "cancel_request", 0.6, Answer.NO),
    # Nothing but a yes is a yes, however unsure the classifier ("y" may be unclear to it).
    ("yes", "affirm", 0.5, Answer.YES),
    ("ja", "affirm", 0.5, Answer.YES),
    ("y", "nlu_fallback", 1.0, Answer.YES),
    ("j", "nlu_fallback", 1.0, Answer.YES),
    ("👍", "feedback_positive", 0.6, Answer.YES),
    ("ja 👍", "greet", 0.4, Answer.YES),
    ("yes, sure.", "out_of_scope", 0.4, Answer.YES),
    ("jepp!", "nlu_fallback", 1.0, Answer.YES),
    ("okay", "affirm", 0.5, Answer.YES),
    # A longer yes with an unsure classifier is asked again.
    ("yes that is fine I suppose", "affirm", 0.5, Answer.UNCLEAR),
    ("ja det er vel greit", "affirm", 0.5, Answer.UNCLEAR),
    ("😀", "affirm", 0.95, Answer.YES),
    # Session 17: a one-word yes read unsurely ("absolutt" at 0.48) is a yes all the same.
    ("absolutt", "affirm", 0.48, Answer.YES),
    ("Absolutely!", "affirm", 0.42, Answer.YES),
    ("😀", "nlu_fallback", 1.0, Answer.UNCLEAR),
    # Words around a yes that neither hedge, ask nor point at someone: still a yes.
    ("yes please go right ahead with it", "affirm", 0.95, Answer.YES),
    ("ja, gjør det", "affirm", 0.95, Answer.YES),
    ("oh sorry, yes, go on and send it", "affirm", 0.95, Answer.YES),
    ("ok då, ja, be admin ordne det", "affirm", 0.95, Answer.YES),
    ("fine, yes", "affirm", 0.95, Answer.YES),
    ("ja, bekreftet", "affirm", 0.95, Answer.YES),
    ("hold on, yes... go for it", "affirm", 0.95, Answer.UNCLEAR),
    # A contrast, a condition, a negation, hesitation or a pronoun: asked again.
    ("yes, but not until tomorrow", "affirm", 0.95, Answer.UNCLEAR),
    ("ja, men vent til i morgen", "affirm", 0.95, Answer.UNCLEAR),
    ("yes if that's needed", "affirm", 0.95, Answer.UNCLEAR),
    ("ja hvis det må til", "affirm", 0.95, Answer.UNCLEAR),
    ("yes, don't send it yet", "affirm", 0.95, Answer.UNCLEAR),
    ("ja, ikke send den ennå", "affirm", 0.95, Answer.UNCLEAR),
    ("I guess so", "affirm", 0.95, Answer.UNCLEAR),
    ("kanskje det", "affirm", 0.95, Answer.UNCLEAR),
    # The other person as the one who needs it: someone else's account, refused.
    ("yes, she needs it", "affirm", 0.95, Answer.OTHER_ACCOUNT),
    ("ja, han trenger det", "affirm", 0.95, Answer.OTHER_ACCOUNT),
    ("yes, I'll call IT instead", "affirm", 0.95, Answer.UNCLEAR),
    ("ja, jeg ringer heller IT", "affirm", 0.95, Answer.UNCLEAR),
    ("yes?", "affirm", 0.95, Answer.UNCLEAR),
    ("ja?", "affirm", 0.95, Answer.UNCLEAR),
    ("yes, for Ola in accounting", "affirm", 0.95, Answer.OTHER_ACCOUNT),
    ("ja, det er for Kari", "affirm", 0.95, Answer.OTHER_ACCOUNT),
    ("yes, I really need it today", "affirm", 0.95, Answer.YES),
    ("ja, jeg trenger det i dag", "affirm", 0.95, Answer.YES),
    ("yes, but I need it today", "affirm", 0.95, Answer.UNCLEAR),
    ("ja, men jeg trenger det i dag", "affirm", 0.95, Answer.UNCLEAR),
    ("how long does it take", "ask_process", 0.95, Answer.UNCLEAR),
    ("hvor lenge tar det", "ask_process", 0.95, Answer.UNCLEAR),
    ("yes my password is [secret removed]", "affirm", 0.95, Answer.SECRET),
    ("ja passordet er [secret removed]", "affirm", 0.95, Answer.SECRET),
])
def test_consent_confirmation_reads(text, intent, confidence, expected):
    assert read_answer(parse(text, intent, confidence), min_confidence=0.7,
                       plain_only=True) is expected


@pytest.mark.parametrize("text, intent", [("yes, for Maria", "affirm"), ("ja, for Kari", "affirm"),
                                          ("no, Maria's", "deny"), ("nei, Kari sitt", "deny")])
def test_consent_someone_elses_account_is_never_yes_nor_no(text, intent):
    other = [{"entity": "other_account", "value": "x", "start": 0, "end": 1}]
    assert read_answer(parse(text, intent, entities=other), min_confidence=0.0,
                       plain_only=False) is Answer.OTHER_ACCOUNT


def test_consent_the_offer_takes_any_confident_enough_yes():
    assert read_answer(parse("yes, I really need it before my meeting", confidence=0.6),
                       min_confidence=0.0, plain_only=False) is Answer.YES


# At the offer and the confirmation any other person named, a role or a pronoun
# means someone else's account, whatever the classifier made of the message;
# a person mentioned in passing, or the chatter introducing themself, does not.
SOMEONE_ELSE = [
    ("yes, for Kari", "affirm"), ("yes for ingrid", "affirm"),
    ("ja, det er for sjefen min", "affirm"), ("ja, det gjelder kollegaen min", "affirm"),
    ("it's my colleague's account actually", "out_of_scope"),
    ("actually it's for the new intern", "nlu_fallback"),
    ("det er egentlig til vikaren vår", "nlu_fallback"),
    ("yes, Ola's password", "affirm"), ("ja, passordet til Ola", "affirm"),
    ("ja, hennes passord", "affirm"), ("yes, it's his account", "affirm"),
    ("not mine, someone else's", "deny"), ("det er ikke min konto", "deny"),
    ("yes please, it's for her", "affirm"), ("ja, det er til ham", "affirm"),
]
OWN = [
    ("yes, my colleague told me to file one", "affirm"),
    ("ja, sjefen sa jeg måtte ordne det", "affirm"),
    ("yes, I'm the new intern", "affirm"), ("ja, jeg er nyansatt", "affirm"),
    ("yes, for my own account", "affirm"), ("ja, for kontoen min", "affirm"),
    ("yes", "affirm"), ("ja takk", "thank"), ("/affirm", "affirm"),
    ("yes please, my boss is waiting for me", "affirm"),
    ("ja takk, sjefen venter på meg", "thank"),
]


@pytest.mark.parametrize("text, intent", SOMEONE_ELSE)
def test_consent_any_third_person_at_the_offer_is_someone_elses_account(text, intent):
    message = parse(text, intent)
    assert about_someone_else(message)
    assert read_answer(message, min_confidence=0.0, plain_only=False) is Answer.OTHER_ACCOUNT


@pytest.mark.parametrize("text, intent", OWN)
def test_consent_a_person_in_passing_or_the_chatter_is_not_someone_else(text, intent):
    assert not about_someone_else(parse(text, intent))


def answer_at_the_offer(text):
    """A typed yes read as at the offer: plain words only, dismissals and own reasons allowed."""
    return read_answer(parse(text, intent="affirm"), min_confidence=0.0, plain_only=True,
                       dismissals_plain=True)


@pytest.mark.parametrize("text", ["ok never mind that, yes", "nevermind, yes please",
                                  "glem det, ja", "ok, uansett, ja takk"])
def test_consent_a_yes_waving_a_digression_away_is_a_yes_at_the_offer(text):
    assert answer_at_the_offer(text) is Answer.YES


def test_consent_a_dismissal_with_a_hedge_word_is_never_plain_at_the_confirmation():
    # "never" hedges: at the confirmation only a plain yes files.
    assert read_answer(parse("ok never mind that, yes"), min_confidence=0.0,
                       plain_only=True) is Answer.UNCLEAR


@pytest.mark.parametrize("text", ["never mind, yes but not today", "glem det, ja, men ikke nå",
                                  "never mind, yes for her"])
def test_consent_a_dismissal_does_not_hide_a_hedge_at_the_offer(text):
    assert answer_at_the_offer(text) in (Answer.UNCLEAR, Answer.OTHER_ACCOUNT)


@pytest.mark.parametrize("text", ["Yes, that would be great, I can't do anything without it",
                                  "yes please because I don't remember it at all",
                                  "ja takk, jeg kommer ikke inn i noe",
                                  "ja, fordi jeg husker det ikke"])
def test_consent_a_negation_in_the_chatters_own_reason_is_a_yes_at_the_offer(text):
    assert answer_at_the_offer(text) is Answer.YES


@pytest.mark.parametrize("text", ["yes, I can't do it now, later", "yes, don't send it",
                                  "ja, men jeg vil ikke ennå", "yes, I don't know, maybe"])
def test_consent_a_reason_does_not_hide_a_hedge_at_the_offer(text):
    assert answer_at_the_offer(text) is Answer.UNCLEAR


def test_consent_a_negation_in_a_reason_still_hedges_at_the_confirmation():
    assert read_answer(parse("yes, I can't do anything without it", intent="affirm"),
                       min_confidence=0.0, plain_only=True) is Answer.UNCLEAR


@pytest.mark.parametrize("text", ["perhaps...", "hmm, I'm not really sure", "I don't know",
                                  "tja, mulig", "jeg er litt usikker", "vet ikke helt"])
@pytest.mark.parametrize("plain_only", [True, False])
def test_consent_a_doubt_alone_is_asked_again_even_when_read_as_a_no(text, plain_only):
    assert read_answer(parse(text, "deny", 0.99), min_confidence=0.0,
                       plain_only=plain_only) is Answer.UNCLEAR


@pytest.mark.parametrize("text, intent, expected", [
    ("perhaps later", "deny", Answer.NO), ("nei, kanskje ikke", "deny", Answer.NO),
    ("sure", "affirm", Answer.YES), ("ja, helt sikker", "affirm", Answer.YES),
    ("yes, I'm certain", "affirm", Answer.YES)])
def test_consent_a_doubt_with_more_in_it_or_a_certain_yes_is_read_as_before(text, intent,
                                                                              expected):
    assert read_answer(parse(text, intent), min_confidence=0.7, plain_only=True) is expected


OWN_NAMES = frozenset({"kari.nordmann@contoso.no", "kari.nordmann"})


@pytest.mark.parametrize("text, intent, own, expected", [
    # The verified chatter's own address or user name is their own ...
    ("I forgot the password for kari.nordmann@contoso.no", "forgot_password", OWN_NAMES,
     Owner.OWN),
    ("har glemt passordet til brukeren kari.nordmann", "forgot_password", OWN_NAMES, Owner.OWN),
    # ... whatever the classifier made of it, when no one else is mentioned ...
    ("har glemt passordet til brukeren kari.nordmann.", "other_person_password", OWN_NAMES,
     Owner.OWN),
    ("the password of kari.nordmann@contoso.no, I forgot it", "other_person_password",
     OWN_NAMES, Owner.OWN),
    ("kollegaen min har glemt passordet til kari.nordmann", "other_person_password",
     OWN_NAMES, Owner.OTHER),
    # ... anyone else's, or any address in an unverified chat, is not ...
    ("I forgot the password for ola.hansen@contoso.no", "forgot_password", OWN_NAMES,
     Owner.OTHER),
    ("glemt passordet til lise.berg@contoso.no", "forgot_password", OWN_NAMES, Owner.OTHER),
    ("I forgot the password for kari.nordmann@contoso.no", "forgot_password", frozenset(),
     Owner.OTHER),
    ("my colleague forgot her password", "other_person_password", OWN_NAMES, Owner.OTHER),
    ("kollegaen min har glemt passordet sitt", "other_person_password", OWN_NAMES, Owner.OTHER),
    # ... and the chatter beside someone else is both.
    ("both me and my colleague forgot our passwords", "other_person_password", OWN_NAMES,
     Owner.BOTH),
    ("både jeg og kollegaen min har glemt passordene våre", "other_person_password", OWN_NAMES,
     Owner.BOTH),
    ("både jeg og kollegaen min er låst ute", "account_locked", OWN_NAMES, Owner.BOTH),
    ("my colleague forgot hers and I want to help", "other_person_password", OWN_NAMES,
     Owner.OTHER),
    ("kollegaen min har glemt passordet og jeg vil hjelpe", "other_person_password", OWN_NAMES,
     Owner.OTHER),
])
def test_consent_whose_account_a_request_speaks_of(text, intent, own, expected):
    assert account_owner(parse(text, intent), own) is expected


@pytest.mark.parametrize("text, reopened", [
    # how a search went, negated, is a report; a negated take-back is not one
    ("fant det ikke, send den likevel", True),
    ("couldn't find it, send it after all", True),
    ("fant det ikke, men ikke send den likevel", False),
    ("changed my mind, don't send it", False),
    ("changed my mind, send it after all", True),
    ("ombestemte meg, send den likevel", True),
    # a negation in the chatter's own reason after it is a reason, not a hedge ...
    ("ombestemte meg, ja send forespørselen likevel, kommer meg ikke inn", True),
    ("changed my mind, file it anyway, I can't get in", True),
    # ... but a hedge is still a hedge, and so is a negation of the take-back itself
    ("changed my mind, send it, but not today", False),
    ("ombestemte meg, men ikke send den ennå", False),
    ("actually, don't send it", False),
    ("ombestemte meg, kanskje senere?", False),
])
def test_consent_a_declined_offer_taken_back(text, reopened):
    assert (after_decline(parse(text, "cancel_request", entities=[])) == REOPENED) is reopened


# Session 10: remembering or changing while the offer or the confirmation waits.
@pytest.mark.parametrize("text, intent, confidence, expected", [
    # Said outright: the change steps.
    ("oh wait, I remember it now", "remembered_password", 0.95, WayOut.LEAVE),
    ("å ja, nå husker jeg det", "remembered_password", 0.95, WayOut.LEAVE),
    ("I'd rather change it myself", "change_password", 0.9, WayOut.LEAVE),
    ("jeg vil heller bytte det selv", "change_password", 0.9, WayOut.LEAVE),
    ("never mind, found it", "remembered_password", 0.9, WayOut.LEAVE),
    ("can I just change it myself then?", "change_password", 0.8, WayOut.LEAVE),
    # Doubt: nobody remembered anything, whatever the confidence.
    ("wait a sec, I might have it written in my notebook", "remembered_password", 0.97,
     WayOut.DECLINE),
    ("hold on, maybe it's saved in my browser", "remembered_password", 0.9, WayOut.DECLINE),
    ("vent, kanskje jeg har det lagret i nettleseren", "remembered_password", 0.65,
     WayOut.DECLINE),
    ("det står muligens i notatboka mi", "remembered_password", 0.9, WayOut.DECLINE),
    # Holding off, read unsurely.
    ("Don't do anything yet, please. I'd like to try once more from my home PC first.",
     "change_password", 0.44, WayOut.DECLINE),
    ("actually never mind, I'll ask Per tomorrow", "remembered_password", 0.41,
     WayOut.DECLINE),
    ("ikke gjør noe ennå, jeg prøver hjemmefra først", "change_password", 0.45, WayOut.DECLINE),
    ("vent med det, jeg spør kollegaen i morgen", "remembered_password", 0.4, WayOut.DECLINE),
    # The same hold-off words read surely as remembering: remembered.
    ("no wait, I remember it now, don't file it", "remembered_password", 0.95, WayOut.LEAVE),
    # Session 15: "no" and "wait" in an interjection first hold nothing off, even unsurely.
    ("å nei vent, jeg husker det nye nå", "remembered_password", 0.55, WayOut.LEAVE),
    ("oh no wait, I remember the new one now", "remembered_password", 0.55, WayOut.LEAVE),
    ("nei vent, jeg prøver hjemmefra først", "remembered_password", 0.55, WayOut.DECLINE),
    ("oh wait, don't file it yet", "change_password", 0.5, WayOut.DECLINE),
    # A doubtful question or a pasted guess is no answer.
    ("is it [secret removed] maybe?", "remembered_password", 0.55, WayOut.ASK_AGAIN),
    ("er det [secret removed] kanskje?", "remembered_password", 0.55, WayOut.ASK_AGAIN),
    ("could it be [secret removed]?", "remembered_password", 0.6, WayOut.ASK_AGAIN),
    ("[secret removed] is what it was I think", "remembered_password", 0.8, WayOut.ASK_AGAIN),
    ("det gamle var [secret removed], det funker ikke", "change_password", 0.9,
     WayOut.ASK_AGAIN),
    # A no first, read as a digression: declined; a question, or no no, is the digression.
    ("nei vent, jeg sjekker passordlappen først", "reset_request_status", 0.39,
     WayOut.DECLINE),
    ("no wait, I'll check my notes first", "ask_process", 0.5, WayOut.DECLINE),
    ("nope, not today", "out_of_scope", 0.6, WayOut.DECLINE),
    ("nei, ikke nå", "nlu_fallback", 0.3, WayOut.DECLINE),
    ("no, how long does it take?", "ask_process", 0.9, WayOut.LEAVE),
    ("nei, hva er status på den andre?", "reset_request_status", 0.9, WayOut.LEAVE),
    ("what's the status of my request", "reset_request_status", 0.95, WayOut.LEAVE),
    ("hvor lang tid tar det", "ask_process", 0.95, WayOut.LEAVE),
    # A no after a first word, or a word that asks to wait, read as a digression: declined.
    ("ugh sorry, no. don't do anything yet, I want to try once more after lunch",
     "nlu_fallback", 0.35, WayOut.DECLINE),
    ("oh. ok no then, I'll sort it out tomorrow", "ask_process", 0.53, WayOut.DECLINE),
    ("ikke gjør noe ennå, jeg skal sjekke en lapp hjemme først", "out_of_scope", 0.53,
     WayOut.DECLINE),
    ("wait, let me look for my password first", "reset_request_status", 0.6, WayOut.DECLINE),
    ("hold an litt, ikke bestill noe enda", "reset_request_status", 0.5, WayOut.DECLINE),
    ("wait, how long does it take?", "ask_process", 0.9, WayOut.LEAVE),
    ("adressen min er kari.nilsen@firma.no", "out_of_scope", 0.8, WayOut.LEAVE),
    # Nothing but hesitation read as a digression: asked again.
    ("kanskje", "out_of_scope", 0.84, WayOut.ASK_AGAIN),
    ("hmm, not sure", "nlu_fallback", 0.3, WayOut.ASK_AGAIN),
    # Holding off while looking for it, read surely as remembering or changing: declined.
    ("hold off for now, I want to try to find my password first", "change_password", 0.93,
     WayOut.DECLINE),
    ("vent, la meg lete etter passordet først", "remembered_password", 0.9, WayOut.DECLINE),
    # Password trouble told again: held off with a word that asks to wait, else the form's.
    ("not yet, let me search my email for the password first", "forgot_password", 0.84,
     WayOut.DECLINE),
    ("wait, I forgot to check my password manager, give me a minute", "forgot_password", 0.9,
     WayOut.DECLINE),
    ("vent litt", "forgot_password", 0.5, WayOut.DECLINE),
    ("vent, jeg glemte å sjekke passordhåndtereren, et øyeblikk", "forgot_password", 0.8,
     WayOut.DECLINE),
    ("I really can't get in, I forgot it", "forgot_password", 0.99, WayOut.LEAVE),
    ("jeg er fortsatt låst ute", "account_locked", 0.9, WayOut.LEAVE),
    ("wait, why is my account locked?", "account_locked", 0.7, WayOut.LEAVE),
    # Other intents are not this reading's business.
    ("maybe later", "deny", 0.9, WayOut.LEAVE),
])
def test_consent_way_out_reads(text, intent, confidence, expected):
    assert read_way_out(parse(text, intent, confidence, entities=())) is expected


@pytest.mark.parametrize("text", ["kan noen andre se det nye passordet mitt?",
                                  "får noen andre se passordet mitt?",
                                  "can someone else see my password?"])
def test_consent_who_may_see_ones_own_password_is_not_someone_elses_account(text):
    entities = [{"entity": "third_person", "value": "noen andre" if "noen" in text
                 else "someone else"}]
    assert not about_someone_else(parse(text, "ask_process", entities=entities))


@pytest.mark.parametrize("text, value", [
    ("it's for someone else", "someone else"),          # not a question
    ("det er for noen andre", "noen andre"),
    ("is it for someone else, not my account?", "Kari"),  # a name, not indefinite
    ("kan du ordne det for noen andre?", "noen andre"),  # no own possessive
])
def test_consent_someone_else_stays_someone_else_outside_such_a_question(text, value):
    entities = [{"entity": "third_person", "value": value}]
    assert about_someone_else(parse(text, "affirm", entities=entities))


@pytest.mark.parametrize("text, intent, expected", [
    ("ok I'll pass it on. cheers", "ask_process", True),
    ("ok, jeg gir beskjed videre", "ask_process", True),
    ("how long does it take for me?", "ask_process", False),
    ("hvor lang tid tar det for meg?", "ask_process", False),
    # Session 15: telling that person to contact IT, read as asking for a person.
    ("Alright, I'll tell him to contact IT", "human_handoff", True),
    ("greit, jeg sier til henne at hun må ringe IT selv", "human_handoff", True),
    ("can I talk to a person?", "human_handoff", False),
    ("kan jeg få snakke med et menneske?", "human_handoff", False),
])
def test_consent_passing_a_refusal_on_is_still_about_them(text, intent, expected):
    assert still_about_them(parse(text, intent, entities=())) is expected


@pytest.mark.parametrize("text, intent, expected", [
    ("can you at least file the request in my name then?", "cancel_request", True),
    ("kan ikke du bare sende forespørselen fra meg da?", "cancel_request", True),
    ("just file it under my name, I'll pass the new one on", "forgot_password", True),
    ("I forgot mine too, can you file one for me?", "forgot_password", False),
    ("jeg har også glemt mitt, kan du sende en for meg?", "forgot_password", False),
])
def test_consent_filing_in_the_chatters_name_after_a_refusal_is_still_about_them(
        text, intent, expected):
    assert still_about_them(parse(text, intent, entities=())) is expected


# Session 11, second batch: the never-file promise by category, both languages.
@pytest.mark.parametrize("text, intent", [
    # someone else by a generic noun, a colloquial pronoun or a description, not a name
    ("yes, it's for the guy in accounts", "affirm"), ("ja, det er til fyren på lageret", "affirm"),
    ("sure, the new lady at reception", "affirm"), ("ok, det gjelder dama i kantina", "affirm"),
    ("yes, for someone on my team", "affirm"), ("ja, for ei som sitter ved siden av meg", "affirm"),
    ("ja, han nye", "affirm"), ("ja, det er hun i resepsjonen", "affirm"),
    ("the new one who started today", "nlu_fallback"),
    # the whole answer is a person
    ("the intern", "human_handoff"), ("min sjef", "reset_request_status"),
    ("yes, my manager", "affirm"), ("ja, kollegaen min", "affirm"),
])
def test_consent_someone_named_only_by_a_noun_or_pronoun_is_someone_else(text, intent):
    assert read_answer(parse(text, intent), min_confidence=0.0,
                       plain_only=True) is Answer.OTHER_ACCOUNT


@pytest.mark.parametrize("text", [
    "yes, for me", "ja, det er til meg", "yes it's my own account", "ja, det er min egen konto",
    "yes, I'm the new guy", "ja, jeg er den nye jenta på lageret",
    "yes please, my manager is waiting", "ja, sjefen min venter på meg",
    "yes, the guy at the service desk told me to", "ja, dama i resepsjonen sa jeg skulle spørre",
    "oh man, yes please", "ja takk, gjerne",
])
def test_consent_the_chatter_or_a_person_in_passing_stays_a_yes(text):
    assert read_answer(parse(text), min_confidence=0.7, plain_only=True) is Answer.YES


@pytest.mark.parametrize("text, intent", [
    # withdrawals, whatever they were read as
    ("scratch that", "thank"), ("nah, forget about it", "affirm"),
    ("don't bother, I'll handle it myself", "nlu_fallback"), ("cancel that", "affirm"),
    ("dropp hele greia", "affirm"), ("bare glem det", "thank"),
    ("ok, jeg fikser det selv", "affirm"), ("trengs ikke likevel", "affirm"),
    ("yes - no, scratch that", "affirm"),
    # the trouble went away
    ("oh it's working again", "affirm"), ("got in, thanks", "thank"),
    ("det ordnet seg", "affirm"), ("nå fikk jeg logget på", "goodbye"),
    # emoji
    ("👎", "affirm"), ("❌", "nlu_fallback"),
])
@pytest.mark.parametrize("at_offer", [True, False])
def test_consent_a_withdrawal_in_any_words_declines(text, intent, at_offer):
    assert read_answer(parse(text, intent, entities=()), min_confidence=0.0 if at_offer else 0.7,
                       plain_only=True, dismissals_plain=at_offer) is Answer.NO


@pytest.mark.parametrize("text", [
    "ok never mind that, yes", "glem det, ja takk",  # a yes after the dismissal (offer)
    "it still doesn't work", "det gikk ikke", "fikk ikke logget inn",  # no report of getting in
])
def test_consent_a_yes_after_a_dismissal_or_a_negated_report_is_no_withdrawal(text):
    assert read_answer(parse(text, entities=()), min_confidence=0.0, plain_only=True,
                       dismissals_plain=True) is not Answer.NO


@pytest.mark.parametrize("text", ["glem det, ja", "never mind, yes", "nvm, yes please"])
def test_consent_a_withdrawal_anywhere_is_no_clear_yes_at_the_confirmation(text):
    assert read_answer(parse(text, entities=()), min_confidence=0.7,
                       plain_only=True) is Answer.UNCLEAR


@pytest.mark.parametrize("text", [
    "ok as long as I get it back today", "yes, provided it's done by noon",
    "sure, assuming nobody sees my files", "ja, så lenge det går fort",
    "ja, forutsatt at jeg får det i dag", "ja, om det går raskt",
    "🤔", "🤷‍♀️", "🤔?",
])
@pytest.mark.parametrize("at_offer", [True, False])
def test_consent_a_yes_on_a_condition_or_a_thinking_face_is_asked_again(text, at_offer):
    assert read_answer(parse(text, "affirm", 0.95, entities=()),
                       min_confidence=0.0 if at_offer else 0.7, plain_only=True,
                       dismissals_plain=at_offer) is Answer.UNCLEAR


@pytest.mark.parametrize("text, intent", [
    ("scratch that, I'll deal with it later", "nlu_fallback"),
    ("dropp det, jeg ordner det selv", "out_of_scope"),
    ("never mind, I'll sort it myself", "forgot_password"),
    ("glem det, jeg fikser det selv", "account_locked"),
    ("👎", "nlu_fallback"),
])
def test_consent_a_withdrawal_read_as_a_digression_or_trouble_declines(text, intent):
    assert read_way_out(parse(text, intent, 0.5, entities=())) is WayOut.DECLINE


@pytest.mark.parametrize("text", ["it worked after all", "det gikk likevel",
                                  "changed my mind, never mind, got in", "fikk logget inn likevel"])
def test_consent_getting_in_after_all_takes_no_decline_back(text):
    assert after_decline(parse(text, "affirm", entities=[])) != REOPENED


# Session 13: a hedge at the offer or the confirmation is neither a yes nor a decisive no.
@pytest.mark.parametrize("text, intent", [
    ("hmm, not really sure", "deny"),
    ("maybe, let me think about it", "deny"),
    ("maybe, let me think about it", "affirm"),
    ("vet ikke helt", "deny"),
    ("tja", "cancel_request"),
    ("kanskje, må tenke litt på det", "deny"),
    ("ok, but I need to sleep on it", "affirm"),
])
def test_consent_a_hedge_is_asked_again(text, intent):
    for plain_only in (True, False):
        assert read_answer(parse(text, intent), min_confidence=0.0,
                           plain_only=plain_only) is Answer.UNCLEAR


@pytest.mark.parametrize("text, intent, expected", [
    ("no thanks, maybe later", "deny", Answer.NO),
    ("nei, vet ikke", "deny", Answer.NO),
    ("nei takk", "deny", Answer.NO),
    ("ja, takk for hjelpen, ha det", "affirm", Answer.YES),
])
def test_consent_a_no_or_a_yes_around_hesitation_words_stays(text, intent, expected):
    assert read_answer(parse(text, intent), min_confidence=0.0, plain_only=True) is expected


@pytest.mark.parametrize("text, intent, expected", [
    ("maybe, let me think", "ask_process", WayOut.ASK_AGAIN),
    ("kanskje, må tenke litt på det", "ask_process", WayOut.ASK_AGAIN),
    ("hmm not sure", "remembered_password", WayOut.ASK_AGAIN),
    ("ja, takk for hjelpen, ha det", "nlu_fallback", WayOut.ASK_AGAIN),
])
def test_consent_a_hedge_read_as_a_way_out_is_asked_again(text, intent, expected):
    assert read_way_out(parse(text, intent, 0.7, entities=())) is expected


def test_consent_a_no_naming_whom_the_chatter_waits_for_is_a_no():
    person = [{"entity": "third_person", "value": "Per", "start": 24, "end": 27}]
    assert read_answer(parse("nei takk, jeg venter til Per er tilbake", "deny",
                             entities=person), min_confidence=0.0,
                       plain_only=True) is Answer.NO
    person = [{"entity": "third_person", "value": "Jonas", "start": 27, "end": 32}]
    assert read_answer(parse("no thanks, I'll wait until Jonas is in", "deny", entities=person),
                       min_confidence=0.0, plain_only=True) is Answer.NO
    # Whose account it is, named before the wait: still someone else's.
    person = [{"entity": "third_person", "value": "til Per", "start": 12, "end": 19}]
    assert read_answer(parse("nei, det er til Per, han venter", "deny", entities=person),
                       min_confidence=0.0, plain_only=True) is Answer.OTHER_ACCOUNT


@pytest.mark.parametrize("text, reopened", [
    ("ombestemte meg, kan du sende den likevel?", True),
    ("actually, could you file it anyway?", True),
    ("actually, why did you not file it anyway?", False),
    ("hmm, maybe file it anyway?", False),
])
def test_consent_a_take_back_asked_as_a_question_to_send(text, reopened):
    assert (after_decline(parse(text, "cancel_request", entities=())) == REOPENED) is reopened


def _person(text, value):
    start = text.index(value)
    return [{"entity": "third_person", "value": value, "start": start, "end": start + len(value)}]


# Session 15: a no after a filler, or a withdrawal, that says whom the chatter waits for or
# turns to declines; a person named otherwise is still someone else's account.
@pytest.mark.parametrize("text, person, intent", [
    ("hmm actually no, forget it, I'll ask Maria at the front desk tomorrow", "Maria",
     "human_handoff"),
    ("hm, egentlig nei, glem det, jeg spør Kari i resepsjonen i morgen", "Kari",
     "forgot_password"),
    ("egentlig nei, jeg venter til Per er tilbake i morgen", "til Per", "other_person_password"),
    ("never mind, I'll call Jonas in IT later", "Jonas", "other_person_password"),
    ("hmm actually no, never mind, I'll ask Per tomorrow when he's back", None,
     "other_person_password"),
])
def test_consent_a_no_after_a_filler_naming_whom_the_chatter_turns_to_declines(
        text, person, intent):
    message = parse(text, intent, entities=_person(text, person) if person else [])
    assert starts_with_no(text) or withdraws(text)
    assert declines_waiting_for_someone(message)
    assert not about_someone_else(message)


# Session 17: a no that turns to a person in general asks for one (the handoff follows); one
# that names whom the chatter waits for only declines.
@pytest.mark.parametrize("text, asks_for_a_person", [
    ("no, I'd rather talk to someone in IT", True),
    ("nei, jeg vil heller prate med noen på IT", True),
    ("nei, kan jeg få snakke med et menneske i stedet", True),
    ("no thanks, I'll call the helpdesk myself", True),
    ("nei takk, venter til Per er tilbake", False),
    ("no, I'll wait until Jonas is in", False),
])
def test_consent_a_no_asking_for_a_person_is_no_waiting_for_someone(text, asks_for_a_person):
    message = parse(text, "human_handoff")
    assert declines_waiting_for_someone(message) is not asks_for_a_person


@pytest.mark.parametrize("text", ["oh no, I forgot it again", "å nei, nå er jeg låst ute igjen"])
def test_consent_dismay_is_no_no(text):
    assert not starts_with_no(text)


@pytest.mark.parametrize("text, person", [
    ("actually no, it's for Per", "Per"),
    ("egentlig nei, det gjelder Kari", "Kari"),
])
def test_consent_a_no_after_a_filler_naming_whose_it_is_is_someone_else(text, person):
    message = parse(text, "deny", entities=_person(text, person))
    assert not declines_waiting_for_someone(message)
    assert read_answer(message, min_confidence=0.0, plain_only=True) is Answer.OTHER_ACCOUNT


@pytest.mark.parametrize("text, intent", [
    # Nobody waited for or turned to: left to whatever the classifier read.
    ("no, this is for someone else", "other_person_password"),
    # A wait that names no one, read as no person: remembering it is no such decline.
    ("oh wait, never mind, I remember it now!", "remembered_password"),
    ("å vent, glem det, jeg husker det nå", "remembered_password"),
])
def test_consent_a_no_without_a_person_waited_for_is_no_such_decline(text, intent):
    assert not declines_waiting_for_someone(parse(text, intent, entities=[]))



# Session 17: a decline that carries a reason or a plan of the chatter's own, at the offer or the
# confirmation, read as remembering or changing the password: declined (nothing filed, no change
# steps, the offer can be taken back) unless it tells something remembered, changed or got in.
@pytest.mark.parametrize("text, intent, expected", [
    ("no actually, forget it. I'll sort it out myself tomorrow", "remembered_password",
     WayOut.DECLINE),
    ("forget it, I'll sort it myself", "remembered_password", WayOut.DECLINE),
    ("glem det, jeg ordner det selv i morgen", "remembered_password", WayOut.DECLINE),
    ("nei, jeg får ordne det selv", "change_password", WayOut.DECLINE),
    ("I'll ask my colleague instead", "remembered_password", WayOut.DECLINE),
    ("jeg spør heller IT-kontakten vår", "change_password", WayOut.DECLINE),
    # Something remembered, changed or got in: left as before.
    ("oh never mind, I remember it now", "remembered_password", WayOut.LEAVE),
    ("å glem det, jeg husker det nå", "remembered_password", WayOut.LEAVE),
    ("nei, jeg bytter det selv", "change_password", WayOut.LEAVE),
    ("no, I'll just change it myself", "change_password", WayOut.LEAVE),
    ("never mind, got in", "remembered_password", WayOut.LEAVE),
    # A withdrawal with no plan of one's own, read surely as remembering: remembered.
    ("never mind, it just came back to me", "remembered_password", WayOut.LEAVE),
    ("oh wait, never mind, it was on a sticky note", "remembered_password", WayOut.LEAVE),
    ("å glem det, det kom tilbake til meg", "remembered_password", WayOut.LEAVE),
    # A later word is a plan too.
    ("no, forget it, I'll try again tomorrow", "remembered_password", WayOut.DECLINE),
    ("nei, glem det, jeg prøver igjen i morgen", "change_password", WayOut.DECLINE),
    # "you know what" and "vet du hva" tell nothing remembered.
    ("you know what, no. I'll sort it out myself", "remembered_password", WayOut.DECLINE),
    ("nei vet du hva, jeg ordner det selv", "remembered_password", WayOut.DECLINE),
])
def test_consent_a_no_with_a_plan_read_as_remembering_declines(text, intent, expected):
    assert read_way_out(parse(text, intent, 0.9, entities=())) is expected


@pytest.mark.parametrize("text, intent", [
    ("I'll ask my colleague instead", "ask_process"),
    ("jeg spør heller IT-kontakten vår", "ask_process"),
    ("I think I'll check with my manager first", "out_of_scope"),
    ("jeg venter til i morgen", "nlu_fallback"),
])
def test_consent_a_plan_of_ones_own_read_as_a_digression_declines(text, intent):
    assert read_way_out(parse(text, intent, 0.5, entities=())) is WayOut.DECLINE


@pytest.mark.parametrize("text, intent", [
    # No marker of "instead" or "later" and nobody named: the digression it was read as.
    ("I'll look at the email then", "ask_process"),
    ("jeg ser på e-posten da", "ask_process"),
    # A question is a question.
    ("should I ask my colleague instead?", "ask_process"),
    ("bør jeg spørre kollegaen min i stedet?", "ask_process"),
])
def test_consent_no_plan_instead_is_left_to_the_digression(text, intent):
    assert read_way_out(parse(text, intent, 0.5, entities=())) is WayOut.LEAVE


@pytest.mark.parametrize("text, person, intent", [
    # A plan with no no first that names whom the chatter waits for or turns to.
    ("jeg venter til Per kommer", "til Per", "other_person_password"),
    ("I'll just wait for Per to get back", "for Per", "ask_process"),
    ("I'd rather ask Jonas in IT", "Jonas", "human_handoff"),
    ("jeg hører heller med Kari i IT", "Kari", "human_handoff"),
    # A hedge with such a plan ("not sure" is no yes).
    ("hmm, not sure, I might just wait for Jonas", "for Jonas", "other_person_password"),
    ("hm, usikker, kanskje jeg bare venter på Kari", "Kari", "other_person_password"),
    # A no beside "vet du hva" / "you know what", and a role before the name.
    ("Nei vet du hva, jeg venter til Per er tilbake i morgen, han pleier å hjelpe meg med sånt",
     "til Per", "nlu_fallback"),
    ("you know what, no. I'll wait until my manager Jonas is back", "Jonas",
     "other_person_password"),
    ("nei takk, jeg venter til sjefen min Per er tilbake", "Per", "other_person_password"),
])
def test_consent_a_plan_naming_whom_the_chatter_turns_to_declines(text, person, intent):
    message = parse(text, intent, entities=_person(text, person))
    assert not about_someone_else(message)
    if intent != "ask_process" and intent != "nlu_fallback":
        assert declines_waiting_for_someone(message)


@pytest.mark.parametrize("text, person, intent", [
    # Read as a yes: the person named may be whose it is.
    ("go ahead, I'll wait for Per", "for Per", "affirm"),
    ("ja, jeg venter på Kari", "Kari", "affirm"),
    # The person in another clause than the wait names whose it is.
    ("no, I'll wait, it's Per's", "Per", "other_person_password"),
    ("vent, Per skal ha det", "Per", "other_person_password"),
    # Whose trouble it is, told after the wait.
    ("it's for Per, he's waiting", "Per", "other_person_password"),
])
def test_consent_a_person_not_turned_to_stays_someone_else(text, person, intent):
    message = parse(text, intent, entities=_person(text, person))
    assert about_someone_else(message)
    assert not declines_waiting_for_someone(message)


def test_consent_asking_for_a_person_with_no_one_named_is_no_decline():
    assert not declines_waiting_for_someone(
        parse("maybe I should just talk to a person", "human_handoff", entities=[]))
    assert not declines_waiting_for_someone(
        parse("jeg vil heller snakke med et menneske", "human_handoff", entities=[]))


@pytest.mark.parametrize("text, intent", [
    ("I'll ask my colleague instead", "affirm"),
    ("jeg spør heller IT-kontakten vår", "affirm"),
    ("I'd rather wait until tomorrow", "thank"),
    ("jeg venter heller til i morgen", "deny"),
])
@pytest.mark.parametrize("at_offer", [True, False])
def test_consent_a_plan_instead_is_a_no_whatever_it_was_read_as(text, intent, at_offer):
    assert read_answer(parse(text, intent, entities=()), min_confidence=0.0 if at_offer else 0.7,
                       plain_only=True, dismissals_plain=at_offer) is Answer.NO


@pytest.mark.parametrize("text", [
    "Nei vet du hva, jeg venter til Per er tilbake",
    "vet du hva, nei. jeg venter til sjefen er tilbake",
    "you know what, no. I'll wait",
    "no, you know what, I'll sort it out tomorrow",
])
def test_consent_a_no_beside_you_know_what_is_a_no(text):
    assert starts_with_no(text)


@pytest.mark.parametrize("text", ["you know what, yes", "vet du hva, ja takk",
                                  "vet du hva som skjer nå?"])
def test_consent_you_know_what_alone_is_no_no(text):
    assert not starts_with_no(text)

# Blind evaluation material (this round's and any later one) is never read (bench/nlu_cpu.py).
_BLIND = re.compile(r"^independent_2026-11[n-z]")
_PROJECT = Path(__file__).resolve().parents[2]


def _nlu_texts():
    seen = {}
    for folder in (_PROJECT / "data" / "nlu", _PROJECT / "tests" / "nlu"):
        for path in sorted(folder.rglob("*.yml")):
            if not _BLIND.match(path.name) and path.name != "thresholds.yml":
                for example in load_examples(path):
                    seen.setdefault(example.text, None)
    return list(seen)


def _every_phrase_searched(text, phrases):
    """What consent.py found before its patterns were compiled once and phrases not in the
    words skipped: each phrase searched for in the words on its own."""
    words = " ".join(re.findall(r"\w+", text.lower()))
    return [m.end() for p in phrases for m in re.finditer(rf"\b{re.escape(p)}\b", words)]


def _every_dismissal_removed(text):
    rest = " ".join(re.findall(r"\w+", text.lower()))
    for phrase in consent._words()["dismissals"]:
        rest = re.sub(rf"\b{re.escape(phrase)}\b", " ", rest)
    return rest


@pytest.mark.slow
def test_consent_phrases_are_found_as_when_each_was_searched_for_on_every_nlu_text():
    lists = [consent._words()[name] for name in
             ("hedges", "conditions", "withdrawals", "got_in", "in_my_name")]
    texts = _nlu_texts() + ["ok never mind, yes", "glem det, ja", "yes, as long as it's mine"]
    assert len(texts) > 10_000
    for text in texts:
        for phrases in lists:
            assert consent._phrase_positions(text, phrases) == _every_phrase_searched(text, phrases)
        assert consent.without_dismissals(text) == _every_dismissal_removed(text)


@pytest.mark.parametrize("text, value", [
    ("Nei, vet du hva, jeg tar det med Kari i morgen. Ikke send noe.", "Kari"),
    ("no, I'll take it up with Jonas on Monday", "Jonas"),
])
def test_consent_a_no_naming_whom_the_chatter_takes_it_up_with_is_a_no(text, value):
    # Session 23: taking it up with someone is turning to them, not their account.
    assert read_answer(parse(text, "deny", entities=_person(text, value)), min_confidence=0.0,
                       plain_only=True) is Answer.NO
