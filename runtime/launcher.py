"""Starts, watches and stops the server processes: the one way `make run`, the tests and the
benchmark run the action server and Rasa.

Each child runs in its own session (process group), so stopping it also stops
whatever it started, and every child is waited for, so none is left a zombie.
``Launcher.supervise`` restarts a child that dies, after a back-off that doubles
while it keeps dying, and gives up with a clear message (non-zero exit) when a
child dies too often in a row.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Dict, List, Optional, Sequence

import requests

from passordhjelp.config import PROJECT_ROOT

logger = logging.getLogger(__name__)

RASA = str(Path(sys.executable).with_name("rasa"))
# The one Rasa server entry point: the `rasa` command with our speed-up installed
# and third-party deprecation warnings silenced (runtime/rasa_server.py).
RASA_SERVER = [sys.executable, "-m", "runtime.rasa_server"]
# The trained model `make train` writes and every server loads.
MODEL = PROJECT_ROOT / "models" / "passordhjelp.tar.gz"
STOP_TIMEOUT_SECONDS = 20.0


class LaunchError(RuntimeError):
    """A child exited or did not become ready; the message says which and where its log is."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def action_server_command(port: int, *, host: str = "127.0.0.1") -> List[str]:
    """Our token-checking action server (runtime/action_server.py)."""
    return [sys.executable, "-m", "runtime.action_server", "--host", host, "--port", str(port)]


def rasa_command(
    port: int,
    *,
    endpoints: Path,
    credentials: Path,
    model: Path = MODEL,
    host: str = "127.0.0.1",
    args: Sequence[str] = (),
) -> List[str]:
    return [
        *RASA_SERVER,
        "run",
        "--model",
        str(model),
        "--interface",
        host,
        "--port",
        str(port),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(credentials),
        *args,
    ]


def tail(path: Optional[Path], lines: int = 25) -> str:
    if path is None:
        return "(output went to the terminal)"
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class Child:
    """One server process: how to start it, where it says it is ready, its log."""

    name: str
    command: List[str]
    ready_url: str
    cwd: Path
    env: Dict[str, str]
    log: Optional[Path] = None
    process: Optional[subprocess.Popen] = None
    started_at: float = 0.0
    restarts: int = 0
    _log_file: Optional[IO] = field(default=None, repr=False)

    def start(self) -> None:
        output = None
        if self.log is not None:
            self._log_file = open(self.log, "a", encoding="utf-8")
            output = self._log_file
        self.process = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            start_new_session=True,
        )
        self.started_at = time.monotonic()

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} was not started"
        return self.process.pid

    def exit_code(self) -> Optional[int]:
        return None if self.process is None else self.process.poll()

    def is_ready(self) -> bool:
        try:
            return requests.get(self.ready_url, timeout=2).ok
        except requests.RequestException:
            return False

    def signal(self, signum: int) -> None:
        """Send ``signum`` to the child's process group (tests use SIGKILL, SIGSTOP, SIGCONT)."""
        try:
            os.killpg(self.pid, signum)
        except ProcessLookupError:
            pass

    def stop(self, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
        """SIGTERM, then SIGKILL after ``timeout``; always reaped."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.signal(signal.SIGCONT)  # a frozen child cannot handle SIGTERM
            self.signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.signal(signal.SIGKILL)
                self.process.wait()
        else:
            # Its children may outlive it; they are in its group.
            self.signal(signal.SIGKILL)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


@dataclass(frozen=True)
class Backoff:
    """Waits before restarting a child that died: doubling from ``first`` to ``longest``;
    a child that stayed up ``stable_after`` seconds starts again from ``first``."""

    first: float = 1.0
    longest: float = 30.0
    stable_after: float = 60.0
    give_up_after: int = 5  # deaths in a row

    def delay(self, restarts: int) -> float:
        return min(self.first * 2**restarts, self.longest)


class Launcher:
    """The children of one deployment on this machine."""

    def __init__(
        self,
        *,
        cwd: Path = PROJECT_ROOT,
        env: Optional[Dict[str, str]] = None,
        logs: Optional[Path] = None,
    ) -> None:
        """``logs``: a folder for one ``<name>.log`` per child; None: the terminal."""
        self.cwd = cwd
        self.env = dict(os.environ if env is None else env)
        self.logs = logs
        self.children: Dict[str, Child] = {}
        self._stopping = threading.Event()

    def start(
        self, name: str, command: List[str], *, ready_url: str, env: Optional[Dict[str, str]] = None
    ) -> Child:
        log = self.logs / f"{name}.log" if self.logs is not None else None
        child = Child(name, command, ready_url, self.cwd, dict(self.env, **(env or {})), log)
        child.start()
        self.children[name] = child
        return child

    def wait_until_ready(
        self, *, timeout: float, names: Optional[Sequence[str]] = None, poll_seconds: float = 0.2
    ) -> float:
        """Seconds until every child (or ``names``) answers its ready URL.

        Raises:
            LaunchError: a child exited or the timeout passed; with the log's tail.
        """
        waiting = [self.children[n] for n in (names or list(self.children))]
        start = time.monotonic()
        while waiting:
            for child in waiting:
                code = child.exit_code()
                if code is not None:
                    raise LaunchError(
                        f"{child.name} exited with code {code} while starting; "
                        f"its log ({child.log}) ends:\n{tail(child.log)}"
                    )
            waiting = [child for child in waiting if not child.is_ready()]
            if waiting and time.monotonic() - start > timeout:
                raise LaunchError(
                    f"not ready after {timeout:.0f} s: "
                    f"{', '.join(c.name for c in waiting)} (logs in {self.logs})"
                )
            if waiting:
                time.sleep(poll_seconds)
        return time.monotonic() - start

    def restart(self, name: str, *, timeout: float) -> float:
        """Stop ``name`` (if it runs), start it again, wait until it is ready."""
        child = self.children[name]
        child.stop()
        child.start()
        return self.wait_until_ready(timeout=timeout, names=[name])

    def supervise(self, *, backoff: Backoff = Backoff(), poll_seconds: float = 0.5) -> int:
        """Watch the children until ``stop``; restart one that dies.

        Returns 0 after ``stop``, 1 when a child died ``backoff.give_up_after``
        times in a row (the others are stopped first).
        """
        while not self._stopping.wait(poll_seconds):
            for child in self.children.values():
                code = child.exit_code()
                if code is None:
                    if (
                        child.restarts
                        and time.monotonic() - child.started_at > backoff.stable_after
                    ):
                        child.restarts = 0
                    continue
                child.stop()  # reap it and its group
                if child.restarts >= backoff.give_up_after:
                    logger.error(
                        "%s exited with code %s %d times in a row; giving up",
                        child.name,
                        code,
                        child.restarts + 1,
                    )
                    self.stop()
                    return 1
                delay = backoff.delay(child.restarts)
                logger.warning(
                    "%s exited with code %s; restarting in %.1f s", child.name, code, delay
                )
                if self._stopping.wait(delay):
                    break
                child.restarts += 1
                child.start()
        return 0

    def stop(self) -> None:
        """Stop every child (all at once, then wait for each)."""
        self._stopping.set()
        for child in self.children.values():
            if child.exit_code() is None:
                child.signal(signal.SIGCONT)
                child.signal(signal.SIGTERM)
        for child in self.children.values():
            child.stop()
