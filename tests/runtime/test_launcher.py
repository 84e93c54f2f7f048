"""The launcher: ready detection, restart of a dead child with back-off, giving up, no zombies."""

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from runtime.launcher import Backoff, LaunchError, Launcher, free_port

FAST = Backoff(first=0.1, longest=0.4, stable_after=60, give_up_after=2)


def http_server(port):
    return [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]


def zombies_of(pid):
    """Our child processes that exited and were never waited for."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] == "Z" and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def launcher(tmp_path):
    launcher = Launcher(cwd=tmp_path, logs=tmp_path)
    yield launcher
    launcher.stop()


def test_launcher_restarts_a_killed_child_and_leaves_no_zombie(launcher, caplog):
    port = free_port()
    child = launcher.start("web", http_server(port), ready_url=f"http://127.0.0.1:{port}/")
    launcher.wait_until_ready(timeout=20)
    supervisor = threading.Thread(target=launcher.supervise,
                                  kwargs={"backoff": FAST, "poll_seconds": 0.05})
    supervisor.start()
    first_pid = child.pid

    child.signal(signal.SIGKILL)
    deadline = time.monotonic() + 20
    while (child.pid == first_pid or not child.is_ready()) and time.monotonic() < deadline:
        time.sleep(0.05)

    assert child.pid != first_pid and requests.get(f"http://127.0.0.1:{port}/").ok
    assert "web exited with code -9; restarting in 0.1 s" in caplog.text
    launcher.stop()
    supervisor.join(timeout=10)
    assert not supervisor.is_alive() and child.exit_code() is not None
    assert zombies_of(os.getpid()) == []


def test_launcher_gives_up_on_a_child_that_keeps_dying(launcher, caplog):
    launcher.start("broken", [sys.executable, "-c", "raise SystemExit(3)"], ready_url="")

    assert launcher.supervise(backoff=FAST, poll_seconds=0.05) == 1
    assert "broken exited with code 3 3 times in a row; giving up" in caplog.text
    assert zombies_of(os.getpid()) == []


def test_launcher_reports_a_child_that_exits_while_starting(launcher, tmp_path):
    launcher.start("broken", [sys.executable, "-c", "print('no model here'); raise SystemExit(2)"],
                   ready_url="http://127.0.0.1:9/")
    with pytest.raises(LaunchError, match="broken exited with code 2 while starting") as error:
        launcher.wait_until_ready(timeout=20)
    assert "no model here" in str(error.value)
