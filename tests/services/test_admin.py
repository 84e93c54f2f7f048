"""The admin command lists, shows and closes requests in the real database."""

import pytest

from passordhjelp.admin import run
from passordhjelp.identity import Requester


@pytest.fixture
def filed(configured):
    return configured.requests.file(Requester("rest", "ola"), language="nb").request


def test_admin_list_shows_open_requests(configured, filed, capsys):
    assert run(["list"], configured) == 0
    out = capsys.readouterr().out
    assert filed.reference in out and "open" in out and "rest:ola" in out


def test_admin_show_gives_the_article_steps(configured, filed, capsys):
    assert run(["show", filed.reference.lower()], configured) == 0
    out = capsys.readouterr().out
    assert f"Reference:  {filed.reference}" in out
    assert "Users > Active users, select the user, Reset password" in out


def test_admin_resolve_closes_and_hides_from_default_list(configured, filed, capsys):
    assert run(["take", filed.reference], configured) == 0
    assert run(["resolve", filed.reference], configured) == 0
    assert configured.requests.get(filed.reference).status.value == "done"
    capsys.readouterr()
    run(["list"], configured)
    assert capsys.readouterr().out.strip() == "No requests."
    run(["list", "--status", "done"], configured)
    assert filed.reference in capsys.readouterr().out


def test_admin_reject_keeps_the_reason(configured, filed):
    assert run(["reject", filed.reference, "--reason", "duplicate of a phone call"], configured) == 0
    assert configured.requests.get(filed.reference).admin_note == "duplicate of a phone call"


def test_admin_unknown_reference_is_a_clear_error(configured, capsys):
    assert run(["resolve", "PH-NOSUCH"], configured) == 1
    assert "No request with reference PH-NOSUCH" in capsys.readouterr().err


def test_admin_closed_request_cannot_be_reopened_by_resolve(configured, filed, capsys):
    run(["reject", filed.reference, "--reason", "x"], configured)
    assert run(["resolve", filed.reference], configured) == 1
    assert "rejected" in capsys.readouterr().err


def test_admin_bad_age_filter_is_refused(configured, capsys):
    with pytest.raises(SystemExit):
        run(["list", "--older-than", "soon"], configured)
    assert "30m, 2h, 1d" in capsys.readouterr().err


def test_admin_stats_prints_counts_and_writes_a_chart(configured, tmp_path, capsys):
    from passordhjelp.outcomes import Outcome
    configured.outcomes.count(Outcome.CHANGE_STEPS_SHOWN)
    configured.outcomes.count(Outcome.FEEDBACK_UP)
    chart = tmp_path / "outcomes.png"

    assert run(["stats", "--chart", str(chart)], configured) == 0
    out = capsys.readouterr().out
    assert "change_steps_shown" in out.splitlines()[0]
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_admin_output_shows_no_terminal_escapes_from_identities(configured, capsys):
    request = configured.requests.file(Requester("socketio", "kari\x1b]0;owned\x07\u202e"),
                                       language="en").request
    for command in (["list"], ["show", request.reference], ["audit"]):
        assert run(command, configured) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
