"""Sanic workers that share the load: one listening socket each, the kernel spreading connections.

Sanic 21.12 (Rasa 3.6's) serves ``SANIC_WORKERS`` > 1 by forking workers that all
accept on one inherited listening socket. Whichever worker wakes first accepts every
connection that is waiting, and a client that keeps its connections open (a reverse
proxy, a channel's webhook client, the bench's load generator) then sends everything
to that worker for as long as the connections live: in the bench's production shape
one worker served all 8 users' messages and the other none (CPU seconds 5.5 and 0.0
over 10 s), so two workers were no faster than one.

``serve_multiple`` here is Sanic's, except that every worker gets a socket of its own,
bound to the same address with ``SO_REUSEPORT`` before the fork, so Linux hands each
new connection to one of the workers by a hash of its addresses. A Unix socket or a
socket given to Sanic is served as Sanic serves it. ``install`` (called by
``runtime/rasa_server.py``) puts it in place of Sanic's.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import socket
from signal import SIGINT, SIGTERM, Signals
from signal import signal as signal_func
from typing import Any, Dict, List

import sanic.app
from sanic.server import runners

logger = logging.getLogger(__name__)

_SANICS = runners.serve_multiple


def bind_reusable(host: str, port: int, backlog: int) -> socket.socket:
    """A listening socket on host:port that other sockets may listen on too (SO_REUSEPORT)."""
    family, _type, _proto, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def _serve_own_socket(own: int, sockets: List[socket.socket], settings: Dict[str, Any]) -> None:
    """A worker: close the other workers' sockets, serve on its own."""
    for index, sock in enumerate(sockets):
        if index != own:
            sock.close()
    runners.serve(**{**settings, "sock": sockets[own]})


def serve_multiple(server_settings: Dict[str, Any], workers: int) -> None:
    """Sanic's ``serve_multiple`` with a ``SO_REUSEPORT`` socket per worker."""
    if server_settings.get("unix") or server_settings.get("sock") is not None:
        return _SANICS(server_settings, workers)
    server_settings["reuse_port"] = True
    server_settings["run_multiple"] = True
    main_start = server_settings.pop("main_start", None)
    main_stop = server_settings.pop("main_stop", None)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    runners.trigger_events(main_start, loop)

    # Bound one after the other: port 0 becomes the first socket's port for all.
    sockets = [
        bind_reusable(server_settings["host"], server_settings["port"], server_settings["backlog"])
    ]
    host, port = sockets[0].getsockname()[:2]
    sockets += [bind_reusable(host, port, server_settings["backlog"]) for _ in range(workers - 1)]
    settings = {**server_settings, "host": None, "port": None}
    processes: List[Any] = []

    def stop(signum: int, _frame: Any) -> None:
        logger.info("Received signal %s. Shutting down.", Signals(signum).name)
        for process in processes:
            if process.pid is not None:
                os.kill(process.pid, SIGTERM)

    signal_func(SIGINT, stop)
    signal_func(SIGTERM, stop)
    context = multiprocessing.get_context("fork")
    for own in range(workers):
        process = context.Process(target=_serve_own_socket, args=(own, sockets, settings))
        process.daemon = True
        process.start()
        processes.append(process)
    for process in processes:
        process.join()
    for process in processes:
        process.terminate()
    runners.trigger_events(main_stop, loop)
    for sock in sockets:
        sock.close()
    loop.close()


def install() -> None:
    """Let ``Sanic.run`` with several workers use ``serve_multiple`` above (idempotent)."""
    sanic.app.serve_multiple = serve_multiple
