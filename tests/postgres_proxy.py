"""A TCP proxy in front of PostgreSQL that records every statement the server receives.

A cursor recording what Python passes to the driver misses what psycopg2 sends on its own
(``SET default_transaction_isolation`` when SQLAlchemy hands it an isolation level, BEGIN,
COMMIT); the proxy reads the wire: the text of each simple query ('Q') and each statement
parsed for the extended protocol ('P').
"""

from __future__ import annotations

import socket
import struct
import threading
from typing import List, Tuple

# Requests a client may send before its startup message, without a type byte.
_SSL_REQUEST, _GSSENC_REQUEST = 80877103, 80877104


class RecordingProxy:
    """Forwards connections on ``port`` to PostgreSQL at ``host``:``target_port`` and keeps
    ``statements``, in the order the server received them."""

    def __init__(self, host: str, target_port: int) -> None:
        self._target = (host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.statements: List[str] = []
        self._sockets: List[socket.socket] = [self._listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def __enter__(self) -> "RecordingProxy":
        return self

    def __exit__(self, *_exc: object) -> None:
        for sock in self._sockets:
            sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self._target)
            self._sockets += [client, server]
            threading.Thread(target=self._forward, args=(client, server, True), daemon=True).start()
            threading.Thread(
                target=self._forward, args=(server, client, False), daemon=True
            ).start()

    def _forward(self, source: socket.socket, sink: socket.socket, from_client: bool) -> None:
        pending, started = b"", False
        try:
            while data := source.recv(65536):
                if from_client:
                    # Recorded before the server can answer, so before the client goes on.
                    pending, started = self._record(pending + data, started)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _record(self, pending: bytes, started: bool) -> Tuple[bytes, bool]:
        """Record the complete messages in ``pending``; what is left and whether the startup
        message was seen (the messages before it have no type byte)."""
        while True:
            if not started:
                if len(pending) < 8:
                    return pending, started
                length, code = struct.unpack("!ii", pending[:8])
                if len(pending) < length:
                    return pending, started
                started = code not in (_SSL_REQUEST, _GSSENC_REQUEST)
                pending = pending[length:]
                continue
            if len(pending) < 5:
                return pending, started
            kind, length = pending[:1], struct.unpack("!i", pending[1:5])[0]
            if len(pending) < 1 + length:
                return pending, started
            body = pending[5 : 1 + length]
            if kind == b"Q":
                self.statements.append(body.rstrip(b"\0").decode())
            elif kind == b"P":  # Parse: statement name, then its text
                self.statements.append(body.split(b"\0")[1].decode())
            pending = pending[1 + length :]
