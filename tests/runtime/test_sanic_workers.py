"""SANIC_WORKERS > 1: connections that stay open are spread over the workers, not all on one."""

from __future__ import annotations

import http.client
import subprocess
import sys
import textwrap
import time

import requests

from passordhjelp.config import PROJECT_ROOT
from runtime.launcher import free_port

SERVER = textwrap.dedent(
    """
    import os, sys
    from sanic import Sanic
    from sanic.response import text
    from runtime import sanic_workers

    sanic_workers.install()
    app = Sanic("workers_test")

    @app.get("/")
    async def pid(_request):
        return text(str(os.getpid()))

    app.run(host="127.0.0.1", port=int(sys.argv[1]), workers=2, access_log=False)
    """
)


def test_two_workers_both_serve_clients_that_keep_their_connections():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url, timeout=1)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        # 16 clients that connect at once, as a proxy's or the bench's users, and each keep
        # their connection for three requests.
        clients = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(16)]
        for client in clients:
            client.connect()
        served_by = []
        for client in clients:
            pids = set()
            for _ in range(3):
                client.request("GET", "/")
                pids.add(client.getresponse().read().decode())
            served_by.append(pids)
            client.close()
        # A connection stays with its worker; the connections are spread over both.
        assert all(len(pids) == 1 for pids in served_by)
        assert len(set().union(*served_by)) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)
