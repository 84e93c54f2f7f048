"""rasa-sdk action server that answers only the Rasa server (shared-secret header).

    python -m runtime.action_server --port 5055

The Rasa server sends the header from ``endpoints.yml`` (``X-Action-Token:
${ACTION_SERVER_TOKEN}``); any other caller gets 401.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import sys

from sanic import Sanic, response
from sanic.request import Request

from passordhjelp.bootstrap import services
from passordhjelp.config import ConfigError
from passordhjelp.notifications import start_delivery_worker
from runtime import gc_tuning
from runtime.quiet import silence_third_party_warnings

TOKEN_HEADER = "X-Action-Token"
logger = logging.getLogger(__name__)


def create_action_app(token: str) -> Sanic:
    """The rasa-sdk app for ``actions/`` behind a shared-secret check."""
    # Imported here, after main() silenced the deprecation notices its import prints.
    from rasa_sdk.endpoint import create_app

    app = create_app("actions", cors_origins=None)

    expected = token.encode("utf-8")

    async def require_token(request: Request):
        if request.path == "/health":
            return None
        # Compared as bytes: compare_digest refuses non-ASCII str (a 500 otherwise).
        given = request.headers.get(TOKEN_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, expected):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    app.register_middleware(require_token, "request")
    return app


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m runtime.action_server")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    silence_third_party_warnings()
    logging.basicConfig(level=logging.INFO)
    # One line per registered action and sanic's banner say nothing a person needs.
    for noisy in ("rasa_sdk.executor", "sanic.root"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        app = services()
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    settings = app.settings
    if not settings.action_server_token:
        print(
            "Configuration error: ACTION_SERVER_TOKEN must be set (the Rasa server sends it "
            "to the action server; `make run` generates one)",
            file=sys.stderr,
        )
        return 2
    if app.notifier.delivers:
        start_delivery_worker(app.notifier)
    action_app = create_action_app(settings.action_server_token)
    # Everything loaded is kept out of later collections (one Sanic worker: this process).
    gc_tuning.freeze()
    action_app.run(args.host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
