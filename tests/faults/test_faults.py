"""Faults on the production-shaped stack: nothing acknowledged is lost, every failure is
visible to the user, in their language.

Each test breaks one thing (PostgreSQL stopped, Redis stopped, the action server
killed or frozen), checks what users are told and what is stored, and repairs
it in a ``finally`` so the next test starts whole.
"""

import signal
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
import yaml

from faults.conftest import say, user_texts
from passordhjelp.config import PROJECT_ROOT

pytestmark = pytest.mark.slow

LABELS = yaml.safe_load((PROJECT_ROOT / "passordhjelp/content/labels.yml").read_text("utf-8"))
TRY_AGAIN = LABELS["notices"]["try_again"]
DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text("utf-8"))
ACTION_FAILED = {"nb": DOMAIN["responses"]["utter_action_failed"][0]["text"],
                 "en": DOMAIN["responses"]["utter_action_failed"][1]["text"]}

FORGOT = {"en": "I forgot my password", "nb": "jeg har glemt passordet mitt"}
# The buttons of the offer and the confirmation: the same in both languages, and the
# fault tests are about what breaks, not about how a yes is phrased.
YES = CONFIRM = {"en": "/affirm", "nb": "/affirm"}
FILED = {"en": "Your reset request is filed", "nb": "Forespørselen er sendt"}


def sender() -> str:
    return f"faults-{uuid.uuid4().hex[:8]}"


def texts(response):
    return [message.get("text", "") for message in response.json()]


def requests_of(database_url, sender_id):
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            references = connection.execute(sa.text(
                "select reference from reset_requests where sender_id = :s"),
                {"s": sender_id}).scalars().all()
            decisions = connection.execute(sa.text(
                "select decision from request_decisions where sender_id = :s"),
                {"s": sender_id}).scalars().all()
        return references, decisions
    finally:
        engine.dispose()


@pytest.mark.parametrize("language", ["en", "nb"])
def test_faults_postgres_down_means_try_again_and_nothing_half_kept(fault_stack, postgres,
                                                                   language):
    user = sender()
    assert say(fault_stack, user, FORGOT[language]).ok
    postgres.stop()
    try:
        down = say(fault_stack, user, FORGOT[language])
    finally:
        postgres.start()
    assert down.status_code == 503 and down.headers["Retry-After"]
    assert texts(down) == [TRY_AGAIN[language]]

    # The pool's broken connections are replaced; the conversation goes on where it was.
    assert say(fault_stack, user, YES[language]).ok
    filed = say(fault_stack, user, CONFIRM[language])
    assert filed.ok and FILED[language] in texts(filed)[0]
    assert user_texts(fault_stack.database_url, user) == [
        FORGOT[language], YES[language], CONFIRM[language]]
    references, decisions = requests_of(fault_stack.database_url, user)
    assert len(references) == 1 and references[0] in texts(filed)[0]
    assert decisions == ["filed"]


def test_faults_redis_down_means_try_again_then_back_to_normal(fault_stack, redis_server):
    user = sender()
    redis_server.stop()
    try:
        down = say(fault_stack, user, FORGOT["nb"])
    finally:
        redis_server.start()
    assert down.status_code == 503 and texts(down) == [TRY_AGAIN["nb"]]
    assert say(fault_stack, user, FORGOT["nb"]).ok
    assert user_texts(fault_stack.database_url, user) == [FORGOT["nb"]]


@pytest.mark.parametrize("fault, language", [(signal.SIGKILL, "nb"), (signal.SIGSTOP, "en")])
def test_faults_action_server_killed_or_frozen_is_told_in_the_users_language(
        fault_stack, fault, language):
    """Killed: the call fails at once; frozen: after ACTION_TIMEOUT_SECONDS (2 s here)."""
    user = sender()
    assert say(fault_stack, user, FORGOT[language]).ok
    assert say(fault_stack, user, YES[language]).ok
    actions = fault_stack.launcher.children["actions"]
    actions.signal(fault)
    try:
        broken = say(fault_stack, user, CONFIRM[language])
    finally:
        actions.signal(signal.SIGCONT)
        fault_stack.launcher.restart("actions", timeout=120)
    assert broken.ok and texts(broken) == [ACTION_FAILED[language]]

    # Asking again files it (or, had the first call filed it, says so with the reference).
    for message in (FORGOT[language], YES[language]):
        assert say(fault_stack, user, message).ok
    again = say(fault_stack, user, CONFIRM[language])
    references, _ = requests_of(fault_stack.database_url, user)
    assert len(references) == 1 and references[0] in texts(again)[0], texts(again)


def test_faults_queued_messages_to_one_conversation_are_all_answered(fault_stack):
    user = sender()
    assert say(fault_stack, user, "hi").ok
    with ThreadPoolExecutor(max_workers=10) as pool:
        replies = list(pool.map(lambda _: say(fault_stack, user, "thanks"), range(10)))
    assert [r.status_code for r in replies] == [200] * 10
    assert all(texts(r) for r in replies)
    assert user_texts(fault_stack.database_url, user) == ["hi"] + ["thanks"] * 10


def test_faults_helpdesk_is_told_of_each_filed_request_once(fault_stack, helpdesk):
    user = sender()
    for message in (FORGOT["en"], YES["en"], CONFIRM["en"]):
        assert say(fault_stack, user, message).ok
    [reference], _ = requests_of(fault_stack.database_url, user)

    def posted():
        return sum(reference in str(p["body"]) for p in helpdesk.received)

    deadline = time.monotonic() + 20
    while not posted() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(2)                       # two more delivery rounds: nothing is posted again
    assert posted() == 1
