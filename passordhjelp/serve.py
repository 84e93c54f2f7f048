"""Starts the action server and the Rasa server together, keeps them running, and says
where to chat.

Used by `make run`; a server that dies is restarted after a back-off (and
`make run` exits with a message if it keeps dying); Ctrl-C stops both.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import sys
from pathlib import Path
from typing import List

import yaml

from passordhjelp.config import PROJECT_ROOT, ConfigError, Settings, load_settings
from runtime.launcher import (
    MODEL,
    LaunchError,
    Launcher,
    action_server_command,
    rasa_command,
)

READY_TIMEOUT_SECONDS = 180
# The chat page, served by the socket.io channel (channels/socketio.py).
WEBCHAT_PATH = "/webhooks/socketio/chat/"


def rasa_server_command(settings: Settings, endpoints: Path) -> List[str]:
    """The Rasa server: on the configured interface (this machine unless
    PASSORDHJELP_BIND_ADDRESS says otherwise), with the channels and the API, and the
    endpoints file ``endpoints`` (``endpoints_file``)."""
    return rasa_command(
        settings.rasa_port,
        endpoints=endpoints,
        credentials=settings.credentials_file,
        host=settings.bind_address,
        args=_api_arguments(settings),
    )


def endpoints_file(settings: Settings) -> Path:
    """endpoints.yml with the action server's URL on the configured port, written to the data
    directory: the file in the project stays as shipped, whatever port this checkout uses."""
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints["action_endpoint"]["url"] = f"http://localhost:{settings.action_port}/webhook"
    written = settings.data_dir / "endpoints.yml"
    written.parent.mkdir(parents=True, exist_ok=True)
    written.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return written


def _api_arguments(settings) -> List[str]:
    """Rasa's HTTP API is on only with a secret: admins' updates reach users through it.

    Callers send a token signed with the secret in the Authorization header
    (``notifications.rasa_api_authorization``); no ``--auth-token``, whose token would
    travel in URLs.
    """
    if not settings.rasa_api_token:
        return []
    return ["--enable-api", "--jwt-secret", settings.rasa_api_token, "--jwt-method", "HS256"]


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="make run: %(message)s")
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    if not MODEL.exists():
        print(f"No trained model at {MODEL}; run `make train` first.", file=sys.stderr)
        return 2
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Both processes share the secret the action server demands of its caller.
    env = dict(
        os.environ, ACTION_SERVER_TOKEN=settings.action_server_token or secrets.token_urlsafe(32)
    )
    launcher = Launcher(env=env)
    signal.signal(signal.SIGTERM, lambda *_: launcher.stop())
    try:
        launcher.start(
            "action server",
            action_server_command(settings.action_port),
            ready_url=f"http://127.0.0.1:{settings.action_port}/health",
        )
        launcher.start(
            "rasa",
            rasa_server_command(settings, endpoints_file(settings)),
            ready_url=f"http://127.0.0.1:{settings.rasa_port}/",
        )
        launcher.wait_until_ready(timeout=READY_TIMEOUT_SECONDS)
        print(
            "\nPassordhjelp is ready.\n"
            f"  REST:      POST http://localhost:{settings.rasa_port}/webhooks/rest/webhook "
            '{"sender": "me", "message": "I forgot my password"}\n'
            f"  web chat:  http://localhost:{settings.rasa_port}{WEBCHAT_PATH}  "
            f"({'sign-in token required' if settings.webchat_jwt else 'anonymous'})\n"
            f"  socket.io: http://localhost:{settings.rasa_port}/socket.io\n"
            f"  requests:  {settings.database_url}  (admin: python -m passordhjelp.admin list)\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        code = launcher.supervise()
        if code:
            print("A server kept exiting (see the lines above); stopped.", file=sys.stderr)
        return code
    except LaunchError as error:
        print(str(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        launcher.stop()


if __name__ == "__main__":
    sys.exit(main())
