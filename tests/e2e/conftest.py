"""The real action server and Rasa server (REST and web chat channels) on free ports."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests

from passordhjelp.config import PROJECT_ROOT
from stack import Stack, require_model
from webhook_server import WebhookServer


class RasaStack(Stack):
    """One Rasa server with the project's credentials.yml and its HTTP API behind a token;
    ``say`` talks to it over REST."""

    def __init__(self, workdir: Path, *, extra_env: Dict[str, str]) -> None:
        self.api_token = uuid.uuid4().hex
        super().__init__(workdir, env=extra_env)
        self.start_action_server()
        self.start_rasa("rasa", credentials=PROJECT_ROOT / "credentials.yml",
                        args=["--enable-api", "--jwt-secret", self.api_token,
                              "--jwt-method", "HS256"])
        self.env.update(RASA_URL=self.url, RASA_API_TOKEN=self.api_token)
        self.wait_until_ready()

    def say(self, sender: str, message: str) -> List[Dict]:
        response = requests.post(f"{self.url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": message}, timeout=30)
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def helpdesk_webhook() -> Iterator[WebhookServer]:
    server = WebhookServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def rasa_stack(tmp_path_factory, helpdesk_webhook) -> Iterator[RasaStack]:
    require_model()
    stack = None
    try:
        stack = RasaStack(tmp_path_factory.mktemp("stack"),
                          extra_env={"HELPDESK_WEBHOOK_URL": helpdesk_webhook.url})
        yield stack
    finally:
        if stack:
            stack.stop()
