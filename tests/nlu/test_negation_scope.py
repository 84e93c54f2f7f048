"""Negation scope and concept lemmas in the spaCy pipelines, the same cases in both languages."""

import pytest

from passordhjelp.nlp.pipelines import pipeline
from readings import lemmas


@pytest.mark.parametrize(
    "language, text, negated, plain",
    [
        (
            "en",
            "I haven't forgotten my password, I just want to change it",
            ["neg_forget"],
            ["change"],
        ),
        ("nb", "Jeg har ikke glemt passordet, men vil bytte det", ["minne_ok"], ["bytte"]),
        ("en", "I never forgot it but it doesn't work", ["neg_forget", "neg_work"], []),
        ("nb", "jeg glemte ikke passordet", ["minne_ok"], ["passord"]),
        ("nb", "nå glemte jeg ikke noe", ["minne_ok"], []),
        ("en", "no, I didnt forget my password", ["neg_forget"], ["password"]),
        ("nb", "nei, jeg har aldri glemt passordet mitt", ["minne_ok"], ["passord"]),
        ("en", "not because I forgot it, I want to change it", ["neg_forget"], ["change"]),
        ("nb", "det er ikke fordi jeg har glemt det, jeg vil bytte", ["minne_ok"], ["bytte"]),
        ("en", "my account is locked, not my colleague's", ["neg_colleague"], ["lock"]),
        ("nb", "kontoen min er låst, ikke sjefens", ["neg_kollega"], ["låse"]),
        ("nb", "sjefen kan ikke logge inn", [], ["kollega"]),
        ("nb", "Kari kan ikke logge inn", [], ["person_name"]),
    ],
)
def test_negation_marks_words_in_scope_until_clause_boundary(language, text, negated, plain):
    result = lemmas(language, text)
    for lemma in negated:
        assert lemma in result
    for lemma in plain:
        assert lemma in result and f"neg_{lemma}" not in result


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "I can't remember my password"),
        ("en", "I dont remember it"),
        ("en", "I no longer remember my pw"),
        ("nb", "husker ikke passordet"),
        ("nb", "jeg vet ikke hva passordet er"),
        # The verb first, then subject and object (Norwegian word order after "nå", "men").
        ("nb", "byttet det i går, men nå husker jeg det ikke"),
        ("nb", "veit eg det ikkje lenger"),
    ],
)
def test_negated_remembering_is_forgetting_not_a_negated_word(language, text):
    concept = {"en": "forget", "nb": "glemme"}[language]
    result = lemmas(language, text)
    assert concept in result
    assert not any(lemma.startswith("neg_") for lemma in result)


@pytest.mark.parametrize(
    "language, text, concept",
    [
        ("en", "I don't know how to change my password", "forget"),
        ("nb", "jeg vet ikke hvordan jeg bytter passord", "glemme"),
    ],
)
def test_not_knowing_how_is_not_forgetting(language, text, concept):
    result = lemmas(language, text)
    assert concept not in result
    assert not any(
        lemma.startswith("neg_") and lemma != "neg_know" and lemma != "neg_vet" for lemma in result
    )


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "no, I forgot it"),
        ("nb", "jeg har glemt det, men husker brukernavnet"),
    ],
)
def test_plain_statements_keep_their_lemmas(language, text):
    assert not any(lemma.startswith("neg_") for lemma in lemmas(language, text))


def test_negation_can_be_switched_off_for_measurement():
    assert "neg_forget" not in lemmas("en", "I haven't forgotten it", negation=False)


@pytest.mark.parametrize(
    "language, text, concept",
    [
        # Unsure what the password is: forgetting, still about the password (Norwegian
        # only: the English pattern cost English phrasings, session 6).
        ("nb", "er usikker på hva passordet er", "glemme"),
        ("nb", "ikke helt sikker på passordet", "glemme"),
        # A broken device is not a password that doesn't work.
        ("en", "my keyboard stopped working", "equipment"),
        ("nb", "musa virker ikke", "equipment"),
    ],
)
def test_concepts_of_unsure_and_equipment(language, text, concept):
    result = lemmas(language, text)
    assert concept in result
    assert "password" in result or "passord" in result or concept == "equipment"


@pytest.mark.parametrize(
    "text, lemma",
    [
        ("passordet jeg bruker i Teams", "bruke"),
        ("hvilket passord bruker jeg", "bruke"),
        ("brukeren min er låst", "bruker"),
        ("en bruker har glemt passordet", "bruker"),
    ],
)
def test_bruker_beside_a_pronoun_is_the_verb(text, lemma):
    assert lemma in lemmas("nb", text)
    assert {"bruke", "bruker"} - {lemma} & set(lemmas("nb", text)) == set()


@pytest.mark.parametrize(
    "text, colleague",
    [
        # Someone told of by where they sit, by a pronoun, Nynorsk "ho" too.
        ("ho på lageret er sperra ute", True),
        ("han som sitter ved vinduet har glemt passordet", True),
        # A manager's employee; an admin's "a user", "an employee" is not a colleague.
        ("min ansatt er låst ute", True),
        ("en av de ansatte har glemt passordet", True),
        ("hvordan nullstiller jeg passordet til en ansatt", False),
    ],
)
def test_a_colleague_without_a_role_word(text, colleague):
    assert ("kollega" in lemmas("nb", text)) is colleague


@pytest.mark.parametrize(
    "text, marked",
    [
        ("IT reset it when I forgot it, now I want to pick my own", True),
        ("the last time I forgot it you reset it, this time I only want a change", True),
        ("I used to forget it, these days I just rotate it", True),
        # No present told after it: the forgetting is the request.
        ("how can I get a new password when I forgot the old one", False),
    ],
)
def test_an_earlier_forgetting_is_settled_only_when_the_present_follows(text, marked):
    result = lemmas("en", text)
    assert ("settled_episode" in result) is marked
    assert ("forget" in result) is not marked


def test_a_feared_forgetting_shares_no_letters_with_forget():
    # Its character n-grams would otherwise pull towards forgot_password (session 10).
    result = lemmas("en", "I'm afraid I'll forget the new one, but I have to change it")
    assert "worry_ahead" in result
    assert not any("forget" in lemma for lemma in result)


@pytest.mark.parametrize(
    "text, negated",
    [
        ("I forgot nothing, I just want a fresh password", ["neg_forget"]),
        ("I've forgotten nothing", ["neg_forget"]),
        # The look-back stops at a comma: "in" is no content word, "log" keeps "can't"'s mark.
        ("I can't log in, nothing works", ["neg_log", "neg_work"]),
    ],
)
def test_nothing_after_its_verb_negates_the_verb(text, negated):
    result = lemmas("en", text)
    for lemma in negated:
        assert lemma in result


@pytest.mark.parametrize(
    "text, concept",
    [
        # Forgetting by word order and idiom.
        ("husker det virkelig ikke", "glemme"),
        ("null peiling på passordet", "glemme"),
        ("det nye passordet gikk ut av hodet", "glemme"),
        ("hodet er helt tomt når det gjelder passordet", "glemme"),
        # "Gå ut" of a password is expiring.
        ("passordet går ut på fredag", "utløpe"),
        ("passordet er i ferd med å utløpe", "utløpe"),
        # A thing's code and a home mail address are out of scope.
        ("glemt koden til kopimaskinen", "device_code"),
        ("hva er dørkoden", "device_code"),
        ("min private outlook.com-konto", "private_service"),
        # A spoken ending glued on ("printer'n") is the written one.
        ("printer'n funker ikke", "equipment"),
        # Someone else told by a compound role, a group or a user name.
        ("teamkollegaen min er låst ute", "kollega"),
        ("en av mine har glemt passordet", "kollega"),
        ("en på lageret kommer ikke inn", "kollega"),
        ("Per har glemt passordet", "person_name"),
        ("Kan du gi Per Hansen nytt passord", "person_name"),
        ("nytt passord til ola.nordmann", "person_name"),
    ],
)
def test_norwegian_concepts_of_session_10(text, concept):
    assert concept in lemmas("nb", text)


@pytest.mark.parametrize(
    "text, not_concept",
    [
        # Asking the bot to act is no lapse of memory; "gått ut av hodet" is no expiry.
        ("kan ikke du bare fikse det?", "glemme"),
        ("passordet har gått ut av hodet", "utløpe"),
        # "Per" as a preposition, a web address, and the new password stay what they are.
        ("Per i dag er jeg låst ute", "person_name"),
        ("sendt fra outlook.com", "person_name"),
        ("husker ikke den nye i det hele tatt", "kollega"),
    ],
)
def test_norwegian_lookalikes_of_session_10_concepts(text, not_concept):
    assert not_concept not in lemmas("nb", text)


@pytest.mark.parametrize(
    "language, text, reading",
    [
        ("en", "I was so sure I'd remember it, but I didn't", "forget"),
        ("en", "thought I knew it, turns out I don't", "forget"),
        ("en", "I used to know it but I don't anymore", "forget"),
        ("en", "I thought I'd remember it, but no", "forget"),
        # Forgetting denied: remembered after all.
        ("en", "I thought I'd forgotten it but I didn't", "neg_forget"),
        ("nb", "trodde jeg husket det, men nei", "glemme"),
        ("nb", "jeg trodde jeg visste passordet, men det gjorde jeg ikke", "glemme"),
        ("nb", "jeg trodde jeg hadde glemt det, men det hadde jeg ikke", "minne_ok"),
    ],
)
def test_an_empty_negation_takes_the_reading_of_the_verb_it_points_back_to(language, text, reading):
    result = lemmas(language, text)
    assert result.count(reading) >= 2
    for verb in ("remember", "know", "huske", "vite"):
        assert verb not in result


@pytest.mark.parametrize(
    "language, text",
    [
        # Not empty: the negation has its own verb.
        ("en", "I know my password but it doesn't work"),
        ("en", "I remember it, but I didn't change it"),
        # Empty, but nothing to point back to.
        ("en", "I tried to log in but it didn't"),
    ],
)
def test_a_negation_with_its_own_verb_or_no_antecedent_is_no_ellipsis(language, text):
    assert "forget" not in lemmas(language, text)


@pytest.mark.parametrize(
    "language, text, blocked",
    [
        ("en", "I'd like to change my password but I've forgotten the current one", True),
        ("en", "want to update it but can't recall the old one", True),
        ("en", "tried to change it, but it asks for the current one which I don't remember", True),
        ("nb", "jeg ville bytte passord, men husker ikke det gamle", True),
        ("nb", "prøvde å endre det, men det gamle har jeg glemt", True),
        # A feared forgetting, a settled one, a denied one, a how-to: no block.
        ("en", "I want to change it because I'm afraid I'll forget it", False),
        ("en", "I want to change it, but I'm afraid I'll forget the new one", False),
        (
            "en",
            "I forgot it last month, IT reset it, now I want to change the temporary one",
            False,
        ),
        ("en", "I want to change it but I haven't forgotten it", False),
        ("en", "I want to change my password but I don't know how", False),
        ("nb", "jeg vil bytte passord, men jeg har ikke glemt det", False),
        # The forgetting before the change: "change" keeps its lemma.
        ("en", "I forgot it, but now I know it again and want to change it", False),
    ],
)
def test_a_change_blocked_by_forgetting_reads_as_forgetting(language, text, blocked):
    reading = {"en": "forgot_current", "nb": "glemt_gjeldende"}[language]
    assert (reading in lemmas(language, text)) is blocked


@pytest.mark.parametrize(
    "text",
    [
        "It's not that I can't remember it, I just think it's too weak",
        "it isn't that I don't know it, I'd like a stronger one",
        "not like I can't recall it, I want a new one",
    ],
)
def test_a_denied_inability_to_remember_is_no_forgetting(text):
    result = lemmas("en", text)
    assert "neg_forget" in result and "forget" not in result


@pytest.mark.parametrize(
    "language, text, denied",
    [
        # A bridge ("not that", "ikke det at") denies the forgetting behind it.
        ("en", "It's not that I can't remember it, I just want a stronger one", "neg_forget"),
        ("nb", "det er ikke det at jeg ikke husker det, jeg vil ha et sterkere", "minne_ok"),
        ("nb", "det er ikke sånn at jeg har null peiling, jeg vil bare bytte", "minne_ok"),
        # A concept that is the first thing the negator governs.
        ("nb", "det er ikke borte fra hodet, jeg vil bare bytte", "minne_ok"),
        # Finding it again, denied, is forgetting.
        ("nb", "har ikke funnet lappen med passordet", "glemme"),
    ],
)
def test_a_negator_denies_the_concept_it_governs(language, text, denied):
    result = lemmas(language, text)
    assert denied in result
    assert {"forget", "glemme", "huske_igjen"} - {denied} & set(result) == set()


def test_a_concept_further_in_an_unpunctuated_scope_keeps_its_reading():
    result = lemmas("nb", "jeg har ikke vært inne på lenge husker ikke passordet")
    assert "glemme" in result and "minne_ok" not in result


@pytest.mark.parametrize(
    "text, concept",
    [
        ("I haven't found it anywhere", "still_lost"),
        ("it's not coming back to me", "still_lost"),
        ("found it in my notebook", "recovered"),
        ("my wife reminded me what it was", "recovered"),
        # No recovery: a present search, a verdict on the password, a reply that came back.
        ("where can I find it?", "find"),
        ("I found it hard to remember, so I want an easier one", "find"),
        ("it came back with an error", "come"),
        # A how-to keeps its reading: no forgetting, nothing recovered.
        ("I can't login, don't remember my password", "forget"),
        # "remember it now" recovers only with its subject right before it.
        ("I used to know it but I can't remember it now", "forget"),
    ],
)
def test_recovery_is_a_concept_that_a_negator_denies(text, concept):
    assert concept in lemmas("en", text)


@pytest.mark.parametrize(
    "text, settled",
    [
        ("I had forgotten it but found it", True),
        ("couldn't remember it, then my colleague reminded me of it", True),
        ("it slipped my mind for a second but I have it again", True),
        ("I forgot it and can't find it in my notes", False),
        ("I forgot my password and found the reset page but it fails", False),
        ("found it once, but now I've forgotten it again", False),
    ],
)
def test_forgetting_that_a_later_recovery_ends_is_settled(text, settled):
    result = lemmas("en", text)
    assert ("lapse_over" in result) is settled
    assert ("forget" in result) is not settled


@pytest.mark.parametrize(
    "text, dismissed",
    [
        ("Forget it, I managed to recall the password", True),
        ("oh forget what I said, it came back to me", True),
        ("actually, forget my last message", True),
        ("I always forget it, can you reset it", False),
        ("I forget it every time I change it", False),
    ],
)
def test_forget_it_at_a_clause_start_dismisses_the_message(text, dismissed):
    assert ("dismissal" in lemmas("en", text)) is dismissed


@pytest.mark.parametrize(
    "text, supposed",
    [
        ("If I forget my password some day, what's the procedure?", True),
        ("who do I ask if I ever forget mine?", True),
        ("in case I forget it later, how does the reset work?", True),
        ("I forgot my password, what's the procedure?", False),
    ],
)
def test_a_supposed_forgetting_is_no_lapse(text, supposed):
    assert ("what_if" in lemmas("en", text)) is supposed


@pytest.mark.parametrize(
    "text, concept",
    [
        # Remembered after all: found it, was reminded, it came to mind.
        ("fant lappen med passordet", "huske_igjen"),
        ("kona minnet meg på hva det var", "huske_igjen"),
        ("det dukket opp i hodet nå", "huske_igjen"),
        ("vent, det falt meg inn", "huske_igjen"),
        # No answer to an earlier request.
        ("la inn en sak i forrige uke men har ikke fått svar", "uten_svar"),
        ("hørte aldri noe mer om resetten", "uten_svar"),
        # Memory failing; a verb between the object and the negator.
        ("hukommelsen svikter", "glemme"),
        ("jeg husker det rett og slett ikke", "glemme"),
        # An e-mail address is someone's account.
        ("resett passordet til mari.olsen@firma.no", "person_name"),
    ],
)
def test_norwegian_concepts_of_session_11(text, concept):
    assert concept in lemmas("nb", text)


@pytest.mark.parametrize(
    "text, not_concept",
    [
        ("fant ut at jeg hadde glemt det", "huske_igjen"),
        ("kollegaen minnet meg på å bytte passordet", "huske_igjen"),
        ("påminnelsen om passordbytte dukket opp igjen", "huske_igjen"),
        # A new hire never given a password is not waiting for an answer.
        ("har ikke fått noe passord, begynte i dag", "uten_svar"),
    ],
)
def test_norwegian_lookalikes_of_session_11_concepts(text, not_concept):
    assert not_concept not in lemmas("nb", text)


@pytest.mark.parametrize(
    "language, text, concept, present",
    [
        # A forgetting supposed in the past or of anyone, with a question after it.
        ("en", "if I had forgotten my password, how would I get a new one?", "what_if_past", True),
        ("en", "when a password is forgotten, what happens next?", "what_if_past", True),
        ("nb", "hvis jeg har glemt passordet, hvordan foregår det?", "what_if_past", True),
        ("nb", "om man har glemt passordet sitt, hva gjør man?", "what_if_past", True),
        # Nothing asked after it: help now, and "lurer på om" is whether, not if.
        ("en", "what do I do if I forgot my password?", "what_if_past", False),
        ("nb", "lurer på om jeg har glemt passordet", "what_if_past", False),
        # Coming in person.
        ("en", "do I have to come into the office for a reset?", "in_person", True),
        ("nb", "må jeg være på kontoret for å få nytt passord?", "in_person", True),
        ("en", "I'm not in the office today and forgot my password", "in_person", False),
        # The work account set against a private one; "my work account" keeps its words.
        ("en", "I know my facebook password but not the one for work", "work_account", True),
        ("nb", "husker facebook-passordet, men ikke det til jobben", "work_account", True),
        ("en", "a new password for my work account", "work_account", False),
    ],
)
def test_concepts_of_session_11b(language, text, concept, present):
    assert (concept in lemmas(language, text)) is present


@pytest.mark.parametrize(
    "language, text, introduces_self",
    [
        ("en", "new starter here, never got a password", True),
        ("en", "new hire, nobody gave me my login", True),
        ("nb", "ny ansatt, har aldri fått passord", True),
        ("en", "we have a new starter who never got a password", False),
        ("nb", "vi har en ny ansatt som ikke har fått passord", False),
    ],
)
def test_a_role_with_no_article_introduces_the_writer(language, text, introduces_self):
    found = lemmas(language, text)
    assert ("chatter" in found and "colleague" not in found) is introduces_self


@pytest.mark.parametrize(
    "text, lemma",
    [
        ("er reset-requesten min godkjent?", "forespørsel"),
        ("passordet til 365-kontoen", "konto"),
        ("e-posten min er låst", "e-posten"),
    ],
)
def test_a_hyphenated_norwegian_compound_takes_its_last_parts_lemma(text, lemma):
    assert lemma in lemmas("nb", text)


# Session 12, Norwegian: contrast and story-shaped statements (issue 15).
@pytest.mark.parametrize(
    "text, forgotten",
    [
        # "Husker X, men ikke Y": the negator after "men" reads as forgetting Y.
        ("Husker det gamle passordet, men ikke det nye", True),
        ("vet at jeg endret det, men ikke hva jeg endret det til", True),
        ("husker brukernavnet men ikke passordet", True),
        # Not before a question of how, not across a sentence, not for "kan" (can).
        ("Jeg husker passordet, men ikke hvordan jeg bytter det", False),
        ("Jeg vet passordet. Men ikke brukernavnet", False),
        ("kan passordet, men ikke logge inn", False),
    ],
)
def test_a_contrasted_negation_denies_an_earlier_remembering(text, forgotten):
    assert ("glemme" in lemmas("nb", text)) is forgotten


def test_a_contrasted_remembering_reads_as_forgetting_in_english_too():
    # Session 17: the rule in English as well (negation.yml, en: contrasted), not before "how".
    assert "forget" in lemmas("en", "I remember the old one, but not the new one")
    assert "forget" not in lemmas("en", "I know it but not how to change it")


@pytest.mark.parametrize(
    "text, partial",
    [
        ("husker bare at det begynte med S", True),
        ("jeg husker kun de to første bokstavene", True),
        ("husker halvparten av passordet", True),
        ("jeg vet bare at jeg må bytte passord", False),
        ("jeg husker passordet godt", False),
    ],
)
def test_partial_memory_is_forgetting(text, partial):
    assert ("glemme" in lemmas("nb", text)) is partial


def test_forgetting_to_do_something_is_not_forgetting_the_password():
    result = lemmas("nb", "glemte å oppdatere passordet på telefonen")
    assert "unnlate" in result and "glemme" not in result


@pytest.mark.parametrize(
    "text, locked_after",
    [
        ("Byttet passord i går, men iPaden brukte det gamle og nå er kontoen låst", True),
        ("endret passordet, glemte å oppdatere mobilen og nå er jeg sperret ute", True),
        # A lockout denied, or told before the change, is no back-story of one.
        ("vil bytte passord uten å bli låst ute", False),
        ("kontoen var låst, så jeg byttet passord", False),
        ("jeg vil bytte passordet mitt", False),
    ],
)
def test_a_change_a_lockout_followed_is_the_lockouts_back_story(text, locked_after):
    result = lemmas("nb", text)
    assert ("låst_etterpå" in result) is locked_after
    assert ("bytte" in result or "endre" in result) is not locked_after


@pytest.mark.parametrize(
    "text, settled",
    [
        ("Jeg trodde jeg hadde glemt det, men så kom jeg på det", True),
        ("var helt borte, men så dukket det opp i hodet igjen", True),
        ("har glemt passordet og finner det ikke", False),
    ],
)
def test_norwegian_forgetting_that_a_later_recovery_ends_is_settled(text, settled):
    assert ("lapse_over" in lemmas("nb", text)) is settled


@pytest.mark.parametrize(
    "text, forgetting",
    [
        ("aner ikke hva som har skjedd med passordet", False),
        ("vet ikke hva jeg har gjort feil", False),
        ("aner ikke hva passordet er", True),
    ],
)
def test_not_knowing_what_happened_is_no_lapse_of_memory(text, forgetting):
    assert ("glemme" in lemmas("nb", text)) is forgetting


def test_not_the_chatter_who_forgot_denies_the_forgetting():
    result = lemmas("nb", "det er ikke jeg som har glemt det, det er kollegaen min")
    assert "minne_ok" in result and "glemme" not in result


@pytest.mark.parametrize("word", ["ne", "niks"])
def test_colloquial_no_reads_as_no(word):
    assert lemmas("nb", word) == ["nei"]


def test_a_closed_account_is_locked():
    assert "låse" in lemmas("nb", "kontoen er stengt")


@pytest.mark.parametrize(
    "text, forgotten",
    [
        # Only part of the password known: the knowing is forgetting (rule partial_memory).
        ("I know it starts with S but that's all I remember", True),
        ("I remember the first few letters and nothing more", True),
        ("I know it has a 7 in it, that's all", True),
        ("I remember the start and nothing else", True),
        # Knowing all of it stays knowing.
        ("I know my password, I just want a new one", False),
        ("I remember it, that's all good", False),
    ],
)
def test_knowing_only_a_fragment_is_forgetting(text, forgotten):
    result = lemmas("en", text)
    assert ("forget" in result) is forgotten
    # (Session 20: "I know my password, I just ..." is knows_well, a knowing too.)
    assert bool({"know", "remember", "knows_well"} & set(result)) is not forgotten


@pytest.mark.parametrize(
    "text, reading",
    [
        # A remembered change, then the new password lost: forgetting, no knowing.
        ("I remember changing it, not what to", "forget"),
        ("I know I changed it, but not what I set it to", "forget"),
        ("I changed it but wrote the new one down and can't find it", "forgot_current"),
        ("lost my password, need someone to reset it", "forget"),
        ("tried all morning but it's gone", "forget"),
        # Written down and found again: recovered.
        ("found the note with it, all good", "recovered"),
        ("I thought I'd forgotten it but I remember it now", "lapse_over"),
        # Recovery told before a question word is still recovery.
        ("I was sure I'd forgotten it, but it came to me when I tried once more", "lapse_over"),
    ],
)
def test_a_change_then_a_lost_password_reads_as_forgetting(text, reading):
    result = lemmas("en", text)
    assert reading in result
    assert "remember" not in result and "know" not in result


@pytest.mark.parametrize(
    "text, elsewhere",
    [
        # The chatter's password fine, or the trouble someone else's: the forgetting is
        # not of the chatter's M365 password (rule lapse_elsewhere).
        ("my M365 password is fine, it's the printer code I can't remember", True),
        ("nothing wrong with my Microsoft password, I just forgot the door PIN", True),
        ("I know my Office password, it's my bank PIN I forgot", True),
        ("it isn't me who forgot it, it's my colleague", True),
        ("I'm not the one who forgot it, it's my teammate", True),
        # A denied knowing, an old password, forgetting before the fine one: forgetting.
        ("I don't remember my work password, what do I do", False),
        ("my old password works but I forgot the new one", False),
        ("I forgot my password, the old one was fine", False),
    ],
)
def test_forgetting_after_a_fine_password_or_not_me_is_elsewhere(text, elsewhere):
    result = lemmas("en", text)
    assert ("other_gap" in result) is elsewhere
    assert ("forget" in result) is not elsewhere


@pytest.mark.parametrize(
    "text, reported",
    [
        # Forgetting told as the reason for a request already made (rule reported_lapse).
        ("I forgot my password and asked for a new one, has anything happened?", True),
        ("I requested a reset since I couldn't remember my password, any news?", True),
        ("forgot it yesterday and sent in a request, what's the status?", True),
        # No request made yet: forgetting.
        ("I forgot my password, can I request a reset?", False),
        ("I forgot my password, please ask IT to reset it", False),
    ],
)
def test_forgetting_beside_an_earlier_request_is_reported(text, reported):
    result = lemmas("en", text)
    assert ("reported_gap" in result) is reported
    assert ("forget" in result) is not reported


def test_the_new_rules_leave_norwegian_alone():
    # reported_lapse has no Norwegian settings: "glemme" keeps its lemma beside a request.
    result = lemmas("nb", "jeg glemte passordet og ba om et nytt, har det skjedd noe?")
    assert "glemme" in result


@pytest.mark.parametrize(
    "text, concept",
    [
        # The password known, said outright (knows_well), or signing in said to work
        # (login_fine): a change's reason, no recovery.
        ("I know my password perfectly well, it's just too short", "knows_well"),
        ("of course I remember it, I want a new one anyway", "knows_well"),
        ("no trouble remembering it, I just want another", "knows_well"),
        ("I remember my password, I just want a different one", "knows_well"),
        ("logging in works fine, I'd just like a new password", "login_fine"),
        ("no problems signing in, where do I change it", "login_fine"),
        ("I can log in fine but want to update my password", "login_fine"),
    ],
)
def test_a_password_known_or_a_working_sign_in_is_said_outright(text, concept):
    result = lemmas("en", text)
    assert concept in result
    assert "recovered" not in result and "remember" not in result


@pytest.mark.parametrize(
    "text",
    [
        "I don't remember it well",
        "I can't say I know it well",
        "I can't log in fine anymore",
        "I remember my password, sorry for the bother",
    ],
)
def test_a_denied_knowing_or_a_plain_remembering_is_no_known_password(text):
    result = lemmas("en", text)
    assert "knows_well" not in result and "login_fine" not in result


@pytest.mark.parametrize(
    "text",
    [
        # A scare or a lapse, then the recovery as a story: the lapse is over.
        "I had a small panic, but it popped back into my head",
        "I was convinced I'd forgotten it, but I remember it after all",
        "thought it was gone, turns out I still know it",
        "I had a panic, but I know it perfectly well",
        "I forgot it, but my brother reminded me where I had stored it",
        "had a brain freeze, then I recalled it",
        "I had no clue what it was, but now I remember",
        "it slipped my mind, but it just came back",
    ],
)
def test_a_scare_or_a_lapse_settled_by_a_recovery_story(text):
    result = lemmas("en", text)
    assert "recovered" in result and "lapse_over" in result
    assert "forget" not in result and "scare" not in result


@pytest.mark.parametrize(
    "text, lemma",
    [
        # A scare with nothing recovered stays a scare; a forgetting stays forgetting.
        ("I panicked, I can't remember my password", "forget"),
        ("I had a brain freeze and it's still gone", "scare"),
        # Another password known beside a forgotten one is plain remembering, no change.
        ("forgot my work password, my bank one I remember fine", "remember"),
        # Someone telling where to change it is no recovery.
        ("IT told me where to change it", "change"),
    ],
)
def test_no_recovery_without_one_told(text, lemma):
    result = lemmas("en", text)
    assert lemma in result
    assert "recovered" not in result and "knows_well" not in result


def test_the_known_password_rules_leave_norwegian_alone():
    # knows_well, login_fine, scare and their rules have no Norwegian settings.
    result = lemmas("nb", "jeg husker passordet godt, men vil bytte det")
    assert "knows_well" not in result and "recovered" not in result


# Session 13 (English): the reason after a negated modal, supposed forgetting, a denied change
# beside forgetting, a recovery before a change, memory that refuses or has no clue.
@pytest.mark.parametrize(
    "text, present, absent",
    [
        # A reason after a negated modal stands: not denied.
        (
            "told to change it but I can't because I've forgotten it",
            ["forgot_current", "forget"],
            ["neg_forget"],
        ),
        ("I couldn't since I don't remember it", ["forget"], ["neg_forget"]),
        # ... while "not because" still denies it.
        ("it's not because I forgot it, I want a new one", ["neg_forget"], []),
        # Supposed forgetting with a contrast after it; without one it stays forgetting.
        ("I thought I'd forgotten it, but I got in", ["lapse_supposed"], ["forget"]),
        ("I thought I forgot it and I was right", ["forget"], ["lapse_supposed"]),
        # A denied change beside forgetting.
        ("I don't want to change it, I forgot it", ["forgot_current", "forget"], ["neg_change"]),
        ("I don't want to change it, I know it", ["neg_change"], ["forgot_current"]),
        # A recovery before a wish to change; a plain recovery stays one.
        ("it came back to me, now I want to change it", ["knows_well", "change"], ["recovered"]),
        ("it came back to me, thanks", ["recovered"], ["knows_well"]),
        # Memory refusing, no clue, an unmet condition; memory working again.
        ("my brain refuses to remember it", ["forget"], []),
        ("I don't have a clue what it was", ["forget"], []),
        ("I'd change it if I could remember the old one", ["forgot_current", "forget"], []),
        ("forgot it, then my memory kicked in", ["lapse_over", "recovered"], []),
        # "Update" as news; the verb of a change stays one.
        ("any update on my reset?", ["news_asked"], ["update"]),
        ("I want to update my password", ["update"], ["news_asked"]),
        ("what would happen if I forgot my password?", ["what_if"], ["forget"]),
    ],
)
def test_session13_english_readings(text, present, absent):
    result = lemmas("en", text)
    for lemma in present:
        assert lemma in result, (text, result)
    for lemma in absent:
        assert lemma not in result, (text, result)


def test_session13_english_rules_leave_norwegian_alone():
    result = lemmas("nb", "jeg trodde jeg hadde glemt det, men jeg kom inn")
    assert "lapse_supposed" not in result


@pytest.mark.parametrize(
    "text, denied, kept",
    [
        # A cleft "det er ikke X som ...": the relative clause is denied, the chatter's
        # own lapse after it stays (negation.yml, cleft).
        (
            "Det er ikke systemet som tuller, det er jeg som har glemt passordet",
            ["neg_tuller"],
            ["glemme"],
        ),
        (
            "det var ikke IT som rotet det til, det var jeg som glemte det",
            ["neg_rotet"],
            ["glemme"],
        ),
        ("det er ikke kollegaen min som har glemt det", ["minne_ok", "neg_kollega"], []),
        # No copula before the negator, or a clause boundary before "som": no cleft.
        ("jeg har ikke noe passord, som jeg sa", [], []),
        ("systemet tuller ikke, det er jeg som har glemt det", [], ["glemme"]),
    ],
)
def test_a_denied_cleft_denies_its_relative_clause(text, denied, kept):
    result = lemmas("nb", text)
    for lemma in denied:
        assert lemma in result
    for lemma in kept:
        assert lemma in result and f"neg_{lemma}" not in result


def test_a_cleft_leaves_english_alone():
    assert "neg_acting" not in lemmas("en", "it is not the system that is acting up")


@pytest.mark.parametrize(
    "text",
    [
        "glemte helt å bytte passordet før fristen",
        "jeg glemte rett og slett å endre det",
        "eg gløymde heilt å byte passordet",
    ],
)
def test_forgetting_to_change_with_an_adverb_between_is_no_lapse(text):
    result = lemmas("nb", text)
    assert "unnlate" in result and "glemme" not in result


@pytest.mark.parametrize(
    "text, elsewhere",
    [
        # The chatter's own password fine, then someone else's lapse (rule lapse_elsewhere).
        ("jeg husker mitt eget passord fint, det er Per som har glemt sitt", True),
        ("passordet mitt virker fint, men sjefen har glemt sitt", True),
        ("jeg kommer inn helt fint selv, men vikaren har glemt passordet", True),
        # An old password known, a password that does not work, no fine one: forgetting.
        ("jeg husker mitt gamle passord, men har glemt det nye", False),
        ("passordet mitt virker ikke, jeg har glemt det", False),
        ("jeg har glemt passordet mitt", False),
    ],
)
def test_norwegian_forgetting_after_the_chatters_fine_password_is_elsewhere(text, elsewhere):
    result = lemmas("nb", text)
    assert ("annens_hull" in result) is elsewhere
    assert ("glemme" in result) is not elsewhere


def test_per_before_a_relative_clause_is_a_name():
    assert "person_name" in lemmas("nb", "det er Per som har glemt sitt")


@pytest.mark.parametrize(
    "text, reading",
    [
        # Remembering beside a change is knowing the current password (known_for_change).
        ("Må bytte det, husker det jo", True),
        ("husker det godt, men vil endre passordet", True),
        ("jeg har det i hodet, men vil bytte", True),
        # No change: a recovery keeps its lemma; a denied change is none.
        ("å, nå husker jeg det", False),
        ("husker det nå, trenger ikke bytte likevel", False),
    ],
)
def test_remembering_beside_a_change_is_knowing_the_current_password(text, reading):
    assert ("kan_gjeldende" in lemmas("nb", text)) is reading


@pytest.mark.parametrize(
    "text, on_behalf",
    [
        ("sjefen vil ha byttet passordet og ba meg ordne det", True),
        ("lederen ba meg ta meg av det", True),
        ("kollegaen ba meg hjelpe ham med det", True),
        # Someone who only told the chatter to change their own.
        ("sjefen ba meg bytte passordet mitt", False),
    ],
)
def test_asked_to_see_to_someone_elses_password(text, on_behalf):
    assert ("ordne_for_andre" in lemmas("nb", text)) is on_behalf


@pytest.mark.parametrize(
    "text, lemma",
    [
        ("korleis byter eg passord", "bytte"),
        ("kvar endrar eg passordet", "endre"),
        ("eg vil byte passord", "bytte"),
        ("når eg veit kva det noverande er", "nåværende"),
    ],
)
def test_nynorsk_change_words_read_as_bokmal(text, lemma):
    assert lemma in lemmas("nb", text)


# Session 13 (Norwegian): general readings of negation, contrast and belief.
@pytest.mark.parametrize(
    "text, present, absent",
    [
        # An empty negation begins a clause: "liker det ikke" negates liking, not remembering.
        ("det gamle husker jeg, men liker det ikke", ["huske"], ["glemme"]),
        ("husket det før, men gjør det ikke lenger", ["glemme"], []),
        # Not knowing what is wrong, with a filler word between, is no lapse.
        ("vet ikke helt hva som skjer med passordet", [], ["glemme"]),
        ("aner egentlig ikke hvorfor det ikke virker", [], ["glemme"]),
        # Not knowing which password holds is forgetting.
        ("aner ikke hvilket som gjelder nå", ["glemme"], []),
        # A change declined beside a forgetting.
        ("jeg vil ikke bytte det, vil bare inn, har glemt det", ["glemt_gjeldende"], ["neg_bytte"]),
        # A past belief taken back by a contrast.
        ("trodde jeg hadde glemt det, men så logget jeg inn", ["lapse_over"], ["glemme"]),
        ("tenkte jeg visste det, men det stemmer ikke", ["glemme"], []),
        ("jeg tror jeg har glemt passordet", ["glemme"], ["lapse_over"]),
        # The forgetting shifted to the password by a contrast.
        ("har ikke glemt brukernavnet, bare passordet", ["minne_ok", "glemme"], []),
        ("har ikke glemt det, bare vil bytte", ["minne_ok"], ["glemme"]),
    ],
)
def test_session13_norwegian_readings(text, present, absent):
    result = lemmas("nb", text)
    for lemma in present:
        assert lemma in result
    for lemma in absent:
        assert lemma not in result


@pytest.mark.parametrize(
    "language, text, reading, not_reading",
    [
        # A question the writer answers "no" denies its verb.
        ("en", "forgotten it? no, I just fancy a new one", "neg_forget", "forget"),
        ("en", "do I remember it? honestly no", "forget", "remember"),
        ("en", "lost it? not at all, I want to swap it", "neg_forget", "lose"),
        ("nb", "glemt det? nei da, vil bare bytte", "minne_ok", "glemme"),
        ("nb", "husker jeg det? ikke i det hele tatt", "glemme", "huske"),
        # Never told, never learned: never known.
        ("en", "I was never told what it is", "never_known", "neg_tell"),
        ("en", "never got a password when I started, how do I log in", "never_known", "neg_get"),
        ("nb", "fikk aldri vite passordet", "never_known", "neg_vite"),
        ("nb", "lærte det aldri utenat", "never_known", "neg_lærte"),
        # Knowing it doubted.
        ("en", "I doubt I still know my password", "forget", "know"),
        ("en", "not sure I remember it anymore", "forget", "neg_remember"),
        ("nb", "tviler på at jeg kan det fortsatt", "glemme", "kan"),
        ("nb", "usikker på om jeg husker det", "glemme", "huske"),
        # A habit of remembering, broken this time.
        ("en", "I never forget passwords, but this time I did", "forget", "neg_forget"),
        ("nb", "glemmer aldri passord, men denne gangen har jeg gjort det", "glemme", "minne_ok"),
        # A recovery before a change (Norwegian) and the password known outright.
        (
            "nb",
            "glemte det, men fant det igjen, nå vil jeg endre det",
            "kan_gjeldende",
            "huske_igjen",
        ),
        ("nb", "kan passordet mitt utenat, men vil bytte", "kan_gjeldende", "kan"),
    ],
)
def test_session15_readings(language, text, reading, not_reading):
    result = lemmas(language, text)
    assert reading in result
    assert not_reading not in result


@pytest.mark.parametrize(
    "language, text, kept",
    [
        # Told actively, a question not answered by the writer, a habit kept, a doubt of how.
        ("en", "I never told anyone my password but I want to change it", "neg_tell"),
        ("en", "I didn't forget it, but this time I have to change it", "neg_forget"),
        ("en", "I'm not sure I remember how to change it", "neg_remember"),
        ("nb", "har ikke glemt det, men nå har jeg lyst på et nytt", "minne_ok"),
        ("nb", "husker det ikke godt", "glemme"),
        ("nb", "Husker passordet, så det er ikke det.", "huske"),
    ],
)
def test_session15_readings_leave_lookalikes_alone(language, text, kept):
    assert kept in lemmas(language, text)


@pytest.mark.parametrize(
    "language, text, absent, present",
    [
        # "kan" with an action after it is "can": the "nei" answers that, not a knowing.
        ("nb", "kan jeg bytte passordet selv? nei, det får jeg ikke til", "glemme", "bytte"),
        ("nb", "kan jeg logge inn? nei, sier feil passord", "glemme", "logge"),
        ("nb", "trodde jeg kunne bytte det selv, men det kunne jeg ikke", "glemme", "bytte"),
    ],
)
def test_session15_modal_kan_is_not_knowing(language, text, absent, present):
    result = lemmas(language, text)
    assert absent not in result and present in result


@pytest.mark.parametrize(
    "text",
    [
        "kan jeg passordet? nei",
        "kan jeg det gamle? ærlig talt nei",
        "trodde jeg kunne det, men nei",
    ],
)
def test_session15_knowing_kan_answered_no_is_forgetting(text):
    assert "glemme" in lemmas("nb", text)


@pytest.mark.parametrize(
    "language, text",
    [
        # A change asked for with the forgetting as its reason is a forgetting.
        ("en", "could you update my password since I can't remember it"),
        ("en", "change it please, cause I forgot it"),
        ("en", "need to replace my password as I've forgotten it completely"),
        ("nb", "vil ha det endret fordi jeg ikke aner hva det er"),
        ("nb", "vil bytte passord ettersom jeg ikke husker det"),
        ("nb", "bytt det for meg, for jeg husker det ikke"),
    ],
)
def test_session15_change_for_a_forgetting_reads_as_forgetting(language, text):
    reading = {"en": "forgot_current", "nb": "glemt_gjeldende"}[language]
    assert reading in lemmas(language, text)


@pytest.mark.parametrize(
    "language, text, change",
    [
        # Another reason, a fear of forgetting or a forgetting denied blocks no change.
        ("en", "I'd like to change my password because I'm afraid I'll forget it", "change"),
        ("en", "I want to change it because I haven't forgotten it but it is weak", "change"),
        ("nb", "vil bytte det fordi jeg er redd for å glemme det", "bytte"),
        ("nb", "vil bytte fordi jeg ikke har glemt det men det er svakt", "bytte"),
    ],
)
def test_session15_change_for_another_reason_stays_a_change(language, text, change):
    assert change in lemmas(language, text)


@pytest.mark.parametrize(
    "text",
    [
        "jeg har ingen anelse om hva passordet er",
        "grunnen er at jeg ikke har noen anelse om hva det er",
        "da jeg ikke har den minste anelse",
    ],
)
def test_session15_no_idea_in_norwegian_is_forgetting(text):
    assert "glemme" in lemmas("nb", text)


@pytest.mark.parametrize(
    "language, text, reading",
    [
        # The old password known as the condition of a change: the password is known.
        ("en", "can I set a different password if I remember my old one?", "knows_well"),
        ("en", "is it possible to swap passwords as long as I know the old one?", "knows_well"),
        ("nb", "får jeg lov til å velge nytt passord hvis jeg kan det gamle?", "kan_gjeldende"),
        ("nb", "går det an å endre så lenge jeg vet det gamle?", "kan_gjeldende"),
        # Denied, it is a forgetting.
        ("en", "can I get a new one if I don't know the old one?", "forget"),
        ("nb", "kan jeg få nytt hvis jeg ikke kan det gamle?", "glemme"),
    ],
)
def test_session15_conditional_knowing(language, text, reading):
    assert reading in lemmas(language, text)


@pytest.mark.parametrize(
    "language, text, kept",
    [
        ("en", "if I remember correctly I set it in May, but now it doesn't work", "remember"),
        ("en", "I don't know if I remember the old one, can I still change it?", "remember"),
        ("nb", "jeg ikke kan logge inn", "kan"),
        # The password known (not the old one) may be an unlock's condition.
        ("en", "can I unlock my account if I know the password?", "know"),
        ("nb", "kan dere låse opp kontoen hvis jeg vet passordet?", "vet"),
    ],
)
def test_session15_conditional_knowing_leaves_lookalikes_alone(language, text, kept):
    assert kept in lemmas(language, text)


@pytest.mark.parametrize(
    "language, text, reading",
    [
        # A wish to remember is a forgetting; "if I could change it" is no wish to remember.
        ("en", "I would change it myself if only I remembered the old one", "forget"),
        ("en", "if I just knew what it was", "forget"),
        ("nb", "jeg hadde byttet det selv om jeg bare husket det gamle", "glemme"),
    ],
)
def test_session15_wish_to_remember_is_forgetting(language, text, reading):
    assert reading in lemmas(language, text)


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "if I could change it myself that would be great"),
        ("nb", "hvis jeg bare kunne bytte det selv"),
    ],
)
def test_session15_wish_to_act_is_no_forgetting(language, text):
    assert not {"forget", "glemme"} & set(lemmas(language, text))


@pytest.mark.parametrize(
    "language, text, reading, not_reading",
    [
        # A habit broken with an adverb of emphasis before the verb.
        ("en", "I never lose track of passwords, but this time I genuinely have", "habit_broken",
         "neg_forget"),
        ("nb", "glemmer aldri passord, men denne gangen har jeg ærlig talt gjort det",
         "habit_broken", "minne_ok"),
        # "ingen anelse om" closing its clause is forgetting, not a question.
        ("nb", "det nye passordet har jeg ingen anelse om", "glemme", "neg_anelse"),
        # "komme på" after a modal is remembering: denied, it is forgetting.
        ("nb", "greier ikke å komme på koden min", "glemme", "neg_greier"),
        # A change blocked by a forgetting, with "set" or "lage".
        ("en", "I'd like to set a new one since I forgot my current password", "forgot_current",
         "set"),
        ("nb", "må lage nytt passord fordi jeg husker ikke det gamle", "glemt_gjeldende", "lage"),
        # "kan ... ikke" before a change verb is "can't", no lapse of memory.
        ("nb", "hvorfor kan man ikke endre passordet selv", "neg_endre", "glemme"),
        # A hypothetical forgetting asks how it goes, with the question before it.
        ("nb", "hva skjer hvis jeg skulle glemme passordet", "what_if_past", "glemme"),
        # Being told is not never being told.
        ("nb", "har fått beskjed om at passordet må byttes", "beskjed", "never_known"),
        ("nb", "jeg har aldri fått beskjed om passordet", "never_known", "beskjed"),
        # Nynorsk roles are colleagues; "en ny i teamet mitt" is someone else.
        ("nb", "leiaren min har gløymt passordet sitt", "kollega", "leiaren"),
        ("nb", "en ny i teamet mitt har ikke fått passord", "kollega", "neg_min"),
        # A new employee introducing themself is the chatter.
        ("nb", "ny ansatt her, har aldri fått passord", "chatter", "ansatt"),
        # The writer's own password set against someone else's lapse.
        ("nb", "jeg husker mitt fint, det er kollegaen som har glemt sitt", "annens_hull",
         "kan_gjeldende"),
        # (Session 20: "current" keeps its word inside the concept, as "password" does.)
        ("en", "the current one is fine, I just want a new password", "password_fine", "fine"),
        # Wi-Fi split by the tokenizer, and Norwegian network compounds.
        ("en", "what's the guest Wi-Fi password?", "network", "wi"),
        ("nb", "hva er wifi-passordet for besøkende", "network", "passord"),
    ],
)
def test_session16_readings(language, text, reading, not_reading):
    result = lemmas(language, text)
    assert reading in result
    assert not_reading not in result


@pytest.mark.parametrize(
    "language, text, kept",
    [
        # "nå har jeg glemt det" breaks no habit; "kan ikke logge inn" keeps its reading.
        ("nb", "byttet passord og nå har jeg helt glemt det", "glemme"),
        ("nb", "jeg kan ikke logge inn", "glemme"),
        # A generic "man" after "når" is a forgetting, not a supposition.
        ("nb", "hva gjør man når man har glemt passordet", "glemme"),
        # "kan passordet mitt utenat" is still known.
        ("nb", "jeg kan passordet mitt utenat", "kan_gjeldende"),
        # "vi har en ny ansatt" is someone else: no chatter.
        ("nb", "vi har en ny ansatt her", "ansatt"),
    ],
)
def test_session16_readings_leave_lookalikes_alone(language, text, kept):
    assert kept in lemmas(language, text)


@pytest.mark.parametrize(
    "text, reading, not_reading",
    [
        # Session 17: a forgetting told as an earlier episode, with the present after it.
        ("glemte passordet i fjor og fikk det resatt, nå vil jeg bytte det", "forrige_episode",
         "glemme"),
        ("gløymde det ein gong før, no vil eg byte det", "forrige_episode", "glemme"),
        ("sist jeg glemte det måtte jeg ringe, i dag vil jeg bytte det", "forrige_episode",
         "glemme"),
        # ... that has happened again: a forgetting now.
        ("IT nullstilte det sist jeg glemte det. Nå har det skjedd igjen", "glemme",
         "forrige_episode"),
        # Knowing told in the past, gone after a contrast ("jul." a word, not "juli").
        ("Jeg kunne det før jul. Nå er det bare tomt", "kjent_før", "kunne"),
        ("visste det godt før ferien, men nå husker jeg ingenting", "kjent_før", "viss"),
        # Knowing again.
        ("Det løsnet plutselig – jeg vet hva passordet er igjen", "huske_igjen", "vet"),
        ("husket det ikke i morges, men nå kan jeg det igjen", "lapse_over", "glemme"),
        ("glem det, jeg fant ut av passordet", "huske_igjen", "fant"),
        # "ikke X, bare Y": the denied states read as a denial, the state after "bare" holds.
        ("Ikke glemt passordet, bare låst ute", "avkreftet", "minne_ok"),
        ("ikkje sperra, ikkje utløpt – berre gløymt", "avkreftet", "neg_låse"),
        # A lockout after a change told as a noun.
        ("Låst ute igjen etter passordbyttet", "låst_etterpå", "passordbytte"),
        ("passordendringen i går, og nå er jeg sperret", "låst_etterpå", "passordbytte"),
        # An account unlocked is no lockout.
        ("kontoen er låst opp igjen, nå vil jeg bytte passordet", "opplåst", "låse"),
        # A device's own lock.
        ("Telefonen sier feil PIN og er nå låst", "device_code", "telefonen"),
        ("nettbrettet er låst etter feil kode", "device_code", "låse"),
    ],
)
def test_session17_time_frame_and_contrast_readings(text, reading, not_reading):
    result = lemmas("nb", text)
    assert reading in result
    assert not_reading not in result


@pytest.mark.parametrize(
    "text, kept",
    [
        # A forgetting yesterday is no earlier episode; a future worry is no repetition.
        ("jeg glemte passordet i går og kommer ikke inn nå", "glemme"),
        ("glemte det i fjor, nå vil jeg bytte det før det skjer igjen", "bytte"),
        # A wish after "bare" is no state: the denied forgetting stays (a change).
        ("ikke glemt, vil bare bytte det", "minne_ok"),
        # Knowing with a change wanted stays known; a denial before "hva" stays a forgetting.
        ("husker det, men vil bytte det", "kan_gjeldende"),
        ("jeg vet ikke hva passordet er igjen", "glemme"),
        # Asking to unlock is a lockout; the account locked on a device is the account.
        ("kan du låse opp kontoen min", "låse"),
        ("Outlook på mobilen er låst", "låse"),
    ],
)
def test_session17_readings_leave_lookalikes_alone(text, kept):
    assert kept in lemmas("nb", text)


def test_session17_jul_is_a_word_before_a_full_stop():
    # spaCy's Bokmål exceptions read "jul." as "juli": the full stop ending the clause was lost.
    words = [t.text for t in pipeline("nb")("Jeg kunne det før jul. Nå er det tomt")]
    assert words[4:6] == ["jul", "."]


@pytest.mark.parametrize(
    "text, feared",
    [
        # Session 17 (writers' batch): the forgetting feared as the consequence of a change is no
        # forgetting now; "da glemte jeg det" (past) and a plain "jeg glemmer det" stay forgetting.
        ("tør nesten ikke bytte, for da glemmer jeg det sikkert", True),
        ("orker ikke bytte, så glemmer eg det nye nok", True),
        ("da glemte jeg det og måtte ringe IT", False),
        ("jeg glemmer det hele tiden", False),
    ],
)
def test_a_forgetting_feared_on_changing_is_a_worry(text, feared):
    assert ("uro_framover" in lemmas("nb", text)) is feared
