"""Starts the action server and the Rasa server together, and says where to chat.

Used by `make run`; Ctrl-C stops both.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import List

from passordhjelp.config import PROJECT_ROOT, ConfigError, Settings, load_settings

RASA = str(Path(sys.executable).with_name("rasa"))
MODEL = PROJECT_ROOT / "models" / "passordhjelp.tar.gz"
RASA_PORT = 5005
ACTION_PORT = 5055
READY_TIMEOUT_SECONDS = 180
# The chat page, served by the socket.io channel (channels/socketio.py).
WEBCHAT_PATH = "/webhooks/socketio/chat/"


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait_until_ready(processes: List[subprocess.Popen], urls: List[str]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while not all(_ready(url) for url in urls):
        for process in processes:
            if process.poll() is not None:
                raise SystemExit(f"{process.args[1:3]} exited with code {process.returncode}")
        if time.monotonic() > deadline:
            raise SystemExit(f"not ready after {READY_TIMEOUT_SECONDS} s: {urls}")
        time.sleep(1)


def rasa_arguments(settings: Settings) -> List[str]:
    """``rasa run``'s options: the configured interface (this machine unless
    PASSORDHJELP_BIND_ADDRESS says otherwise), the channels and the API."""
    return ["--interface", settings.bind_address, "--port", str(RASA_PORT),
            "--endpoints", "endpoints.yml", "--credentials", str(settings.credentials_file),
            *_api_arguments(settings)]


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
    env = dict(os.environ,
               ACTION_SERVER_TOKEN=settings.action_server_token or secrets.token_urlsafe(32))
    processes = [
        subprocess.Popen([sys.executable, "-m", "runtime.action_server",
                          "--port", str(ACTION_PORT)], cwd=PROJECT_ROOT, env=env),
        subprocess.Popen([RASA, "run", "--model", str(MODEL), *rasa_arguments(settings)],
                         cwd=PROJECT_ROOT, env=env),
    ]

    def stop(*_args) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        _wait_until_ready(processes, [f"http://localhost:{ACTION_PORT}/health",
                                      f"http://localhost:{RASA_PORT}/"])
        print(
            "\nPassordhjelp is ready.\n"
            f"  REST:      POST http://localhost:{RASA_PORT}/webhooks/rest/webhook "
            '{"sender": "me", "message": "I forgot my password"}\n'
            f"  web chat:  http://localhost:{RASA_PORT}{WEBCHAT_PATH}  "
            f"({'sign-in token required' if settings.webchat_jwt else 'anonymous'})\n"
            f"  socket.io: http://localhost:{RASA_PORT}/socket.io\n"
            f"  requests:  {settings.database_url}  (admin: python -m passordhjelp.admin list)\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        for process in processes:
            process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for process in processes:
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
