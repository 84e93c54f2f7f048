"""A local HTTP server that plays an incoming webhook (Slack or Teams) and records what it gets."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List


class WebhookServer:
    """Answers each POST with the next scripted status (``status`` when the script is
    empty, 200 unless set), after ``delay`` seconds; "hang" never answers until
    ``release`` is set."""

    def __init__(self) -> None:
        self.received: List[Dict] = []
        self.script: List = []
        self.release = threading.Event()
        self.delay = 0.0
        self.status = 200
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = server.script.pop(0) if server.script else server.status
                server.received.append({"body": json.loads(body or b"null"),
                                        "headers": dict(self.headers), "status": status,
                                        "path": self.path})
                time.sleep(server.delay)
                if status == "hang":
                    server.release.wait(30)
                    status = 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/hook"
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def wait_for(self, count: int, timeout: float = 10.0) -> List[Dict]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received

    def close(self) -> None:
        self.release.set()
        self._httpd.shutdown()
