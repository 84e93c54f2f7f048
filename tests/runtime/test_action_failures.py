"""Custom actions that fail are visible (runtime/action_failures.py), and a call that
succeeds gives what Rasa's own ``RemoteAction.run`` gives, run in the turn's own task (no
task of its own, whose start and end each wait behind every other conversation's work)."""

from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator, List

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from runtime import action_failures, kept_sessions

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ANSWER = {
    "events": [{"event": "slot", "name": "reset_wanted", "value": True, "timestamp": None}],
    "responses": [{"response": "utter_greet"}],
}


class ActionServer:
    """Answers each POST with ``answer`` (JSON) and ``status``; "hang" waits until closed."""

    def __init__(self) -> None:
        self.answer: Any = ANSWER
        self.status: Any = 200
        self.calls = 0
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server's naming
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.calls += 1
                if server.status == "hang":
                    server.release.wait(30)
                    return
                body = json.dumps(server.answer).encode()
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/webhook"
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self._httpd.shutdown()


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


@pytest.fixture
def server() -> Iterator[ActionServer]:
    running = ActionServer()
    yield running
    running.close()


def conversation(domain: Domain, language: str = "en") -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "ola",
        [SlotSet("language", language), ActionExecuted(ACTION_LISTEN_NAME),
         UserUttered("hi", {"name": "greet", "confidence": 0.9})],
        slots=domain.slots,
    )


async def run(run_call: Any, server: ActionServer, domain: Domain,
              tracker: DialogueStateTracker) -> List[Event]:
    endpoint = EndpointConfig(server.url)
    try:
        return await run_call(
            RemoteAction("action_file_reset_request", endpoint),
            CollectingOutputChannel(),
            TemplatedNaturalLanguageGenerator(domain.responses),
            tracker,
            domain,
        )
    finally:
        await kept_sessions.close_sessions(endpoint)


def failing_visibly(inner: Any = action_failures._ORIGINAL_RUN, seconds: float = 5) -> Any:
    return action_failures._failing_visibly(inner, lambda: seconds)


def without_timestamps(events: List[Event]) -> List[Any]:
    return [{k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in events]


async def test_action_failures_an_answer_gives_what_rasas_run_gives(server, domain):
    ours = await run(failing_visibly(), server, domain, conversation(domain))
    rasas = await run(action_failures._ORIGINAL_RUN, server, domain, conversation(domain))

    assert without_timestamps(ours) == without_timestamps(rasas)
    assert [type(e) for e in ours] == [BotUttered, SlotSet]
    assert server.calls == 2


async def test_action_failures_the_call_runs_in_the_turns_own_task(server, domain):
    tasks = []

    async def recording(*args: Any) -> List[Event]:
        tasks.append(asyncio.current_task())
        return await action_failures._ORIGINAL_RUN(*args)

    await run(failing_visibly(recording), server, domain, conversation(domain))

    assert tasks == [asyncio.current_task()]


@pytest.mark.parametrize("language", ["en", "nb"])
async def test_action_failures_a_frozen_action_server_is_told_after_the_timeout(
    server, domain, language
):
    server.status = "hang"
    tracker = conversation(domain, language)

    events = await asyncio.wait_for(
        run(failing_visibly(seconds=0.3), server, domain, tracker), timeout=10
    )

    assert len(events) == 1 and isinstance(events[0], BotUttered)
    assert events[0].metadata["utter_action"] == "utter_action_failed"
    variants = domain.responses["utter_action_failed"]
    expected = variants[0] if language == "nb" else variants[1]
    assert events[0].text == expected["text"]


async def test_action_failures_an_error_status_is_told(server, domain):
    server.status = 500

    events = await run(failing_visibly(), server, domain, conversation(domain))

    assert [e.metadata["utter_action"] for e in events] == ["utter_action_failed"]


async def test_action_failures_a_rejection_is_passed_on(server, domain):
    async def rejecting(self: RemoteAction, *_args: Any) -> List[Event]:
        raise ActionExecutionRejection(self.name())

    with pytest.raises(ActionExecutionRejection):
        await run(failing_visibly(rejecting), server, domain, conversation(domain))


async def test_action_failures_after_a_failure_the_turns_later_calls_are_not_tried(
    server, domain
):
    server.status = 500
    tracker = conversation(domain)
    for event in await run(failing_visibly(), server, domain, tracker):
        tracker.update(event)
    server.status = 200

    assert await run(failing_visibly(), server, domain, tracker) == []
    assert server.calls == 1
