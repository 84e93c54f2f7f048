"""Throw-away PostgreSQL and Redis servers that fault tests and `bench/faults.py` may stop
and start without touching the machine's shared services.

The database is an ``initdb`` in a temporary folder served by the installed
binaries on a free port; Redis a ``redis-server`` on a free port without
persistence.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

import redis

from runtime.launcher import free_port

PG_BIN = Path(os.environ.get("PASSORDHJELP_TEST_PG_BIN", "/usr/local/bin"))


def _postgres_user() -> Optional[pwd.struct_passwd]:
    """PostgreSQL refuses to run as root: as root, run it as the `postgres` user."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        return None


class PostgresServer:
    """A throw-away PostgreSQL cluster (trust authentication, no fsync)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.user = _postgres_user()
        self.folder = Path(tempfile.mkdtemp(prefix="passordhjelp-faults-pg-"))
        if self.user:
            os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self._run(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                  "--no-sync", "-E", "UTF8")
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command) -> None:
        kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid} if self.user else {}
        subprocess.run([str(c) for c in command], check=True, capture_output=True, timeout=60,
                       cwd=self.folder, **kwargs)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")
        self._run(PG_BIN / "pg_ctl", "start", "-w", "-D", self.data, "-l", self.log,
                  "-o", options)

    def stop(self) -> None:
        self._run(PG_BIN / "pg_ctl", "stop", "-w", "-m", "fast", "-D", self.data)

    def close(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


class RedisServer:
    """A redis-server on a free port, no persistence; ``stop`` kills it, ``start`` starts anew."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: Optional[subprocess.Popen] = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def binaries_present() -> bool:
    return all((PG_BIN / name).exists() for name in ("initdb", "pg_ctl", "postgres")) and \
        shutil.which("redis-server") is not None and \
        (os.geteuid() != 0 or _postgres_user() is not None)
