"""Actions that file requests and show their status: exact events and responses."""

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.reset_requests import ActionFileResetRequest, ActionShowRequestStatus
from trackers import make_tracker, nlu_entities, parsed_event, user_event
from passordhjelp.identity import Requester


# The request form's slots after a clear yes to the offer and to the confirmation.
CONFIRMED = {"reset_wanted": True, "reset_confirmed": True, "reset_declined": False}


def confirm_tracker(*, sender_id="ola", channel="rest", language="en", message_id=None):
    return make_tracker([user_event("yes", "affirm", channel=channel, message_id=message_id)],
                        sender_id=sender_id, slots={"language": language, **CONFIRMED})


async def file_request(domain, tracker):
    dispatcher = CollectingDispatcher()
    events = await ActionFileResetRequest().run(dispatcher, tracker, domain)
    return events, dispatcher.messages


@pytest.mark.parametrize("language, status", [("en", "open, waiting for an admin"),
                                              ("nb", "åpen, venter på en administrator")])
async def test_actions_file_request_for_the_chatting_user(configured, domain, language, status):
    events, [message] = await file_request(domain, confirm_tracker(language=language))

    assert events == [SlotSet("reset_wanted", None), SlotSet("reset_confirmed", None),
                      SlotSet("reset_declined", False), SlotSet("reset_other_account", None)]
    assert message["response"] == "utter_request_filed"
    [request] = configured.requests.requests_of(Requester("rest", "ola"))
    assert message["reference"] == request.reference
    assert message["status"] == status
    assert request.language == language


async def test_actions_file_request_twice_gives_the_same_reference(configured, domain):
    _, [first] = await file_request(domain, confirm_tracker())
    _, [second] = await file_request(domain, confirm_tracker())

    assert second["response"] == "utter_request_already_open"
    assert second["reference"] == first["reference"]


async def test_actions_file_request_retried_call_gets_the_same_answer(configured, domain):
    """Rasa calls again for the same message (the first answer was lost on the way)."""
    tracker = confirm_tracker(message_id="m-1")
    _, [first] = await file_request(domain, tracker)
    _, [retried] = await file_request(domain, tracker)

    assert first["response"] == retried["response"] == "utter_request_filed"
    assert retried["reference"] == first["reference"]
    assert len(configured.requests.list()) == 1
    assert [e.decision.value for e in configured.requests.audit_log()] == ["filed"]


async def test_actions_file_request_identity_is_the_channel_sender_only(configured, domain):
    tracker = make_tracker(
        [user_event("I forgot my password, I'm Bob", "forgot_password"),
         user_event("yes", "affirm")],
        sender_id="ola", slots={"language": "en", **CONFIRMED})
    await file_request(domain, tracker)

    [request] = configured.requests.list()
    assert (request.channel, request.sender_id) == ("rest", "ola")


def thread(*texts_and_intents, slots=CONFIRMED, language="en", sender_id="ola", verified=True):
    """The request's thread: what started it, the form opened, the answers to it."""
    first, *answers = texts_and_intents
    events = [parsed_event(*first, verified=verified),
              {"event": "action", "name": "utter_forgot_password_admin"},
              {"event": "action", "name": "reset_request_form"},
              {"event": "active_loop", "name": "reset_request_form"}]
    for text, intent in answers:
        events += [parsed_event(text, intent, verified=verified),
                   {"event": "action", "name": "reset_request_form"}]
    return make_tracker(events, sender_id=sender_id, slots={"language": language, **slots})


@pytest.mark.parametrize("language, started_by, answers", [
    # The classifier missed the third person in what started it; the yeses were plain.
    ("en", ("my colleague forgot her password", "forgot_password"),
     [("yes", "affirm"), ("yes", "affirm")]),
    ("nb", ("sjefen min husker ikke passordet", "forgot_password"),
     [("ja", "affirm"), ("ja", "affirm")]),
    # A third person at the offer, then a plain yes at the confirmation.
    ("en", ("I forgot my password", "forgot_password"),
     [("yes, it's for Ingrid", "affirm"), ("yes", "affirm")]),
    ("nb", ("jeg har glemt passordet", "forgot_password"),
     [("ja, det er til vikaren", "affirm"), ("ja", "affirm")]),
])
async def test_actions_file_request_a_third_person_anywhere_in_the_thread_files_nothing(
        configured, domain, language, started_by, answers):
    _, messages = await file_request(domain, thread(started_by, *answers, language=language))

    assert [m["response"] for m in messages] == ["utter_refuse_other_account"]
    assert configured.requests.list() == []
    assert [e.decision.value for e in configured.requests.audit_log()] == ["refused_other_target"]


async def test_actions_file_request_the_form_said_someone_else_files_nothing(configured, domain):
    tracker = thread(("I forgot my password", "forgot_password"), ("yes", "affirm"),
                     slots={"reset_wanted": False, "reset_confirmed": False,
                            "reset_declined": False, "reset_other_account": True})

    _, messages = await file_request(domain, tracker)

    assert [m["response"] for m in messages] == ["utter_refuse_other_account"]
    assert configured.requests.list() == []


@pytest.mark.parametrize("started_by", [("my manager told me to reset mine, I forgot it",
                                         "forgot_password"),
                                        ("sjefen sa jeg måtte ordne det, jeg har glemt passordet",
                                         "forgot_password")])
async def test_actions_file_request_a_person_in_passing_still_files(configured, domain,
                                                                    started_by):
    _, [message] = await file_request(domain, thread(started_by, ("yes", "affirm"),
                                                     ("yes", "affirm")))

    assert message["response"] == "utter_request_filed"


@pytest.mark.parametrize("language, answer", [
    ("en", ("yes, my username is kari.n", "nlu_fallback")),
    ("nb", ("ja, e-posten min er Kari.N@contoso.no", "out_of_scope")),
])
async def test_actions_file_request_the_verified_chatters_own_address_files(
        configured, domain, language, answer):
    """The signed-in web chat's verified ``sub``: the chatter's own address or user name
    typed at the confirmation is theirs; the request carries nothing of what was typed."""
    tracker = thread(("I forgot my password", "forgot_password"), ("yes", "affirm"), answer,
                     language=language, sender_id="kari.n@contoso.no")

    _, [message] = await file_request(domain, tracker)

    assert message["response"] == "utter_request_filed"
    [request] = configured.requests.list()
    assert (request.channel, request.sender_id) == ("rest", "kari.n@contoso.no")


@pytest.mark.parametrize("started_by", [
    # The chatter's own verified address in what started it, or the chatter beside a colleague.
    ("I forgot the password for kari.n@contoso.no", "forgot_password"),
    ("kontoen kari.n er låst", "account_locked"),
    ("both me and my colleague forgot our passwords", "other_person_password"),
    ("både jeg og kollegaen min har glemt passordene våre", "other_person_password"),
])
async def test_actions_file_request_started_by_the_chatters_own_account_files(
        configured, domain, started_by):
    tracker = thread(started_by, ("yes", "affirm"), ("yes", "affirm"),
                     sender_id="kari.n@contoso.no")

    _, [message] = await file_request(domain, tracker)

    assert message["response"] == "utter_request_filed"
    [request] = configured.requests.list()
    assert request.sender_id == "kari.n@contoso.no"


@pytest.mark.parametrize("text, intent, sender_id, owner, audited", [
    ("I forgot the password for kari.n@contoso.no", "forgot_password", "kari.n@contoso.no",
     "own", []),
    ("glemt passordet til brukeren kari.n", "forgot_password", "kari.n@contoso.no", "own", []),
    ("glemt passordet til brukeren kari.n", "other_person_password", "kari.n@contoso.no",
     "own", []),
    ("I forgot the password for per.olsen@contoso.no", "forgot_password", "kari.n@contoso.no",
     "other", []),
    ("both me and my colleague forgot our passwords", "other_person_password", "ola", "both",
     ["refused_other_target"]),
    ("både jeg og kollegaen min har glemt passordene våre", "other_person_password", "ola",
     "both", ["refused_other_target"]),
])
async def test_actions_whose_account_a_request_names(configured, domain, text, intent,
                                                     sender_id, owner, audited):
    """The chatter's own typed account goes on, anyone else's is refused (by the next
    action, which audits it), the chatter beside someone else is both (audited here)."""
    from actions.reset_requests import ActionCheckAccountOwner
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([parsed_event(text, intent)], sender_id=sender_id)

    events = await ActionCheckAccountOwner().run(dispatcher, tracker, domain)

    assert events == [SlotSet("account_owner", owner)]
    assert dispatcher.messages == []
    assert [e.decision.value for e in configured.requests.audit_log()] == audited


@pytest.mark.parametrize("answer", [("yes, my username is per.olsen", "affirm"),
                                    ("ja, adressen er per.olsen@contoso.no", "affirm")])
async def test_actions_file_request_someone_elses_address_is_refused(configured, domain, answer):
    tracker = thread(("I forgot my password", "forgot_password"), ("yes", "affirm"), answer,
                     sender_id="kari.n@contoso.no")

    _, [message] = await file_request(domain, tracker)

    assert message["response"] == "utter_refuse_other_account"
    assert configured.requests.list() == []


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_actions_file_request_an_address_in_an_anonymous_chat_is_explained(
        configured, domain, language):
    """Nobody verified (anonymous web chat): no address typed is anyone's own; the reply
    says why, in the conversation's language, and never echoes the address."""
    tracker = thread(("I forgot my password", "forgot_password"),
                     ("ja, e-posten min er kari.n@contoso.no", "out_of_scope"),
                     slots={"reset_wanted": False, "reset_confirmed": False,
                            "reset_declined": False, "reset_other_account": True},
                     language=language, sender_id="kari.n@contoso.no", verified=False)

    _, [message] = await file_request(domain, tracker)

    assert message["response"] == "utter_typed_account_unverified"
    assert configured.requests.list() == []
    [variation] = [r for r in domain["responses"]["utter_typed_account_unverified"]
                   if (r.get("condition") or [{}])[0].get("value", "en") == language]
    assert "kari" not in variation["text"]


async def test_actions_file_request_without_identity_files_nothing(configured, domain):
    tracker = make_tracker([{"event": "user", "text": "yes", "input_channel": None,
                             "parse_data": {"intent": {"name": "affirm"}}}], slots=CONFIRMED)
    _, [message] = await file_request(domain, tracker)

    assert message["response"] == "utter_request_needs_identity"
    assert configured.requests.list() == []


async def test_actions_file_request_database_down_is_said_plainly(monkeypatch, domain):
    from passordhjelp import bootstrap
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    bootstrap.services.cache_clear()
    try:
        _, [message] = await file_request(domain, confirm_tracker())
        assert message["response"] == "utter_request_store_unavailable"
        dispatcher = CollectingDispatcher()
        await ActionShowRequestStatus().run(dispatcher, confirm_tracker(), domain)
        assert dispatcher.messages[0]["response"] == "utter_request_store_unavailable"
    finally:
        bootstrap.services.cache_clear()


async def test_actions_status_lists_only_the_requesters_own(configured, domain):
    mine = configured.requests.file(Requester("rest", "ola"), language="nb").request
    configured.requests.file(Requester("rest", "kari"), language="nb")
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("status?", "reset_request_status")],
                           slots={"language": "nb"})

    events = await ActionShowRequestStatus().run(dispatcher, tracker, domain)

    assert events == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_request_status_item"
    assert message["reference"] == mine.reference
    assert message["status"] == "åpen, venter på en administrator"
    assert message["age"] == "0 min"


async def test_actions_status_without_requests(configured, domain):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("status?", "reset_request_status")])
    await ActionShowRequestStatus().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_no_requests"]


def test_actions_every_response_used_exists_in_both_languages(domain):
    from actions.reset_requests import RESPONSE_FOR_OUTCOME, RESPONSE_FOR_WITHDRAWAL
    used = set(RESPONSE_FOR_OUTCOME.values()) | set(RESPONSE_FOR_WITHDRAWAL.values()) | {
        "utter_request_status_item", "utter_no_requests", "utter_suggest_topics",
        "utter_offer_human", "utter_request_not_filed", "utter_pending_request_cancelled",
        "utter_confirm_needs_clear_yes", "utter_start_over", "utter_ask_reset_wanted",
        "utter_ask_reset_confirmed", "utter_remembered_password"}
    for name in used:
        variations = domain["responses"][name]
        conditions = [v.get("condition") for v in variations]
        assert [{"type": "slot", "name": "language", "value": "nb"}] in conditions, name
        assert None in conditions, name


async def test_actions_unverified_channel_identity_files_nothing(configured, domain):
    tracker = make_tracker([user_event("yes", "affirm", channel="socketio", verified=False)],
                           sender_id="browser-chosen-id", slots=CONFIRMED)
    _, [message] = await file_request(domain, tracker)

    assert message["response"] == "utter_request_needs_identity"
    assert configured.requests.list() == []
    assert configured.requests.audit_log()[0].decision.value == "anonymous"


async def test_actions_refusing_another_account_is_fixed_and_audited(configured, domain):
    from actions.reset_requests import ActionRefuseOtherAccount
    replies = []
    for target in ("reset Bob's password", "reset the CEO's password"):
        dispatcher = CollectingDispatcher()
        tracker = make_tracker([user_event(target, "forgot_password")])
        assert await ActionRefuseOtherAccount().run(dispatcher, tracker, domain) == [
            SlotSet("other_person_topic", True)]
        replies.append(dispatcher.messages)

    assert replies[0] == replies[1] == [{**replies[0][0], "response": "utter_refuse_other_account"}]
    assert configured.requests.list() == []
    assert [(e.decision.value, e.sender_id) for e in configured.requests.audit_log()] == [
        ("refused_other_target", "ola"), ("refused_other_target", "ola")]


# After a refusal: still about that person (a pronoun, a role, a name), or the
# chatter's own question.
FOLLOW_UPS = [
    ("so what is she supposed to do now?", "ask_process", True),
    ("hva må han gjøre da?", "ask_process", True),
    ("could you not just sort it out for him", "out_of_scope", True),
    ("kan du ikke bare fikse det for henne", "out_of_scope", True),
    ("can't I just order one for her then", "forgot_password", True),
    ("kan ikke jeg bare bestille for dem?", "forgot_password", True),
    ("my boss's account is locked too", "account_locked", True),
    ("sjefen min er også låst ute", "account_locked", True),
    ("how long does a reset usually take?", "ask_process", False),
    ("hvor lang tid tar det vanligvis?", "ask_process", False),
    ("I forgot my own password as well", "forgot_password", False),
    ("jeg har også glemt mitt eget passord", "forgot_password", False),
    # A reset or unlock asked for without saying whose: still that person's.
    ("could you unlock it for now", "account_locked", True),
    ("går det an å nullstille det fra din side?", "forgot_password", True),
    ("can't I just get it reset?", "forgot_password", True),
    ("would you be able to unlock it from there?", "ask_process", True),
    ("går det ikke an å tilbakestille det derfra?", "out_of_scope", True),
    ("I'm locked out as well", "account_locked", False),
    ("nå er jeg også sperret ute", "account_locked", False),
]


def refused_then(*texts_and_intents, language="en"):
    """A refusal for someone else, then a request form answered with two yeses."""
    events = [parsed_event("my teammate can't sign in", "other_person_password"),
              {"event": "action", "name": "action_refuse_other_account"}]
    for text, intent in texts_and_intents:
        events += [parsed_event(text, intent), {"event": "action", "name": "reset_request_form"},
                   {"event": "active_loop", "name": "reset_request_form"}]
    return make_tracker(events, sender_id="ola", slots={"language": language, **CONFIRMED})


@pytest.mark.parametrize("language, started_by, owned", [
    ("en", ("just reset it from your end then", "forgot_password"), False),
    ("nb", ("tilbakestill det du da", "forgot_password"), False),
    ("en", ("actually I forgot mine as well", "forgot_password"), True),
    ("nb", ("jeg har glemt mitt også", "forgot_password"), True),
])
async def test_actions_file_request_after_a_refusal_only_once_it_is_said_to_be_ones_own(
        configured, domain, language, started_by, owned):
    yes = "yes" if language == "en" else "ja"
    tracker = refused_then(started_by, (yes, "affirm"), (yes, "affirm"), language=language)

    _, [message] = await file_request(domain, tracker)

    assert message["response"] == ("utter_request_filed" if owned else "utter_refuse_other_account")
    assert len(configured.requests.list()) == int(owned)


@pytest.mark.parametrize("text, intent, still", FOLLOW_UPS)
async def test_actions_after_a_refusal_a_follow_up_about_them_is_told_apart(
        configured, domain, text, intent, still):
    from actions.reset_requests import ActionCheckOtherPersonFollowUp
    message = user_event(text, intent, entities=nlu_entities(text))
    dispatcher = CollectingDispatcher()

    events = await ActionCheckOtherPersonFollowUp().run(dispatcher, make_tracker([message]),
                                                        domain)

    assert events == [SlotSet("other_person_topic", still), SlotSet("follow_up", "none")]
    assert dispatcher.messages == []


@pytest.mark.parametrize("text, intent", [
    ("ok how do I reset it then?", "ask_process"),
    ("right, so how do I unlock it then", "forgot_password"),
    ("ok, hvordan nullstiller jeg det da?", "ask_process"),
    ("hvordan tilbakestiller jeg det for henne?", "ask_process"),
])
async def test_actions_after_a_refusal_how_to_reset_it_is_theirs_and_gets_the_admin_steps(
        configured, domain, text, intent):
    from actions.reset_requests import ActionCheckOtherPersonFollowUp
    message = user_event(text, intent, entities=nlu_entities(text))

    events = await ActionCheckOtherPersonFollowUp().run(CollectingDispatcher(),
                                                        make_tracker([message]), domain)

    assert events == [SlotSet("other_person_topic", True), SlotSet("follow_up", "admin_steps")]


@pytest.mark.parametrize("text", ["how do I reset my own password then?",
                                  "hvordan bytter jeg mitt eget passord?"])
async def test_actions_after_a_refusal_how_to_reset_ones_own_is_not_theirs(
        configured, domain, text):
    from actions.reset_requests import ActionCheckOtherPersonFollowUp
    message = user_event(text, "change_password", entities=nlu_entities(text))

    events = await ActionCheckOtherPersonFollowUp().run(CollectingDispatcher(),
                                                        make_tracker([message]), domain)

    assert SlotSet("follow_up", "none") in events


@pytest.mark.parametrize("slots, response", [
    ({"reset_wanted": True, "reset_confirmed": False, "reset_declined": True},
     "utter_request_not_filed"),
    ({"reset_wanted": False, "reset_confirmed": False, "reset_declined": True},
     "utter_request_not_filed"),
    # Ended by a refusal (someone else's account): no invitation to change one's mind.
    ({"reset_wanted": False, "reset_confirmed": False, "reset_declined": False},
     "utter_pending_request_cancelled"),
    ({"reset_wanted": True, "reset_confirmed": None, "reset_declined": False},
     "utter_pending_request_cancelled"),
])
async def test_actions_file_request_only_after_a_clear_yes_to_both(configured, domain, slots,
                                                                   response):
    tracker = make_tracker([user_event("no", "deny")], slots={"language": "nb", **slots})

    events, [message] = await file_request(domain, tracker)

    assert message["response"] == response
    assert configured.requests.list() == []
    assert events == [SlotSet("reset_wanted", None), SlotSet("reset_confirmed", None),
                      SlotSet("reset_declined", slots["reset_declined"]),
                      SlotSet("reset_other_account", None)]


async def withdraw(domain, language="en"):
    from actions.reset_requests import ActionWithdrawRequest
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("cancel my request", "cancel_request")],
                           slots={"language": language})
    events = await ActionWithdrawRequest().run(dispatcher, tracker, domain)
    return events, dispatcher.messages


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_actions_withdraw_the_requesters_own_request_and_tell_the_helpdesk(
        monkeypatch, sqlite_url, domain, language):
    from passordhjelp import bootstrap
    from passordhjelp.outbox import DeliveryStatus
    from passordhjelp.repository import SqlOutbox, create_engine
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("HELPDESK_WEBHOOK_URL", "http://127.0.0.1:9/unused")
    bootstrap.services.cache_clear()
    try:
        app = bootstrap.services()
        mine = app.requests.file(Requester("rest", "ola"), language=language).request
        theirs = app.requests.file(Requester("rest", "kari"), language=language).request

        events, [message] = await withdraw(domain, language)

        assert events == []
        assert (message["response"], message["reference"]) == (
            "utter_request_withdrawn", mine.reference)
        assert app.requests.get(mine.reference).status.value == "withdrawn"
        assert app.requests.get(theirs.reference).status.value == "open"
        outbox = SqlOutbox(create_engine(sqlite_url)).by_status(DeliveryStatus.PENDING)
        assert [(n.kind, n.payload["reference"]) for n in outbox][-1] == (
            "request_withdrawn", mine.reference)
    finally:
        bootstrap.services.cache_clear()


async def test_actions_withdraw_with_nothing_filed(configured, domain):
    _, [message] = await withdraw(domain)

    assert message["response"] == "utter_no_request_to_withdraw"
    assert configured.requests.audit_log() == []
