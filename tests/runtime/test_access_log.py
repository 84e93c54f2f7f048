"""Sanic's access-log record of a response is made only when the access logger keeps it
(runtime/rasa_speedups.py): Rasa sets that logger to warnings, so it is made for none."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from sanic.http import Http
from sanic.log import access_logger

from runtime import rasa_speedups


@pytest.fixture(autouse=True)
def installed(monkeypatch):
    for owner, name, _ in rasa_speedups.REPLACEMENTS:
        monkeypatch.setattr(owner, name, owner.__dict__.get(name), raising=False)
    rasa_speedups.install()
    monkeypatch.setattr(access_logger, "level", access_logger.level)


class Request:
    """A request whose URL counts how often it was formatted."""

    method, remote_addr, ip, port = "POST", "10.0.0.7", "10.0.0.7", 41000
    urls_built = 0

    @property
    def url(self) -> str:
        Request.urls_built += 1
        return "http://localhost:5005/webhooks/rest/webhook"


def response_sent() -> SimpleNamespace:
    Request.urls_built = 0
    return SimpleNamespace(request=Request(), response=SimpleNamespace(status=200),
                           response_bytes_left=0)


def test_no_record_is_made_when_the_level_drops_it(caplog):
    access_logger.setLevel(logging.WARNING)
    http = response_sent()
    with caplog.at_level(logging.WARNING, logger=access_logger.name):
        Http.log_response(http)  # type: ignore[arg-type]
    assert Request.urls_built == 0 and not caplog.records


def test_the_same_record_as_sanic_when_the_level_keeps_it(caplog):
    access_logger.setLevel(logging.INFO)
    http = response_sent()
    with caplog.at_level(logging.INFO, logger=access_logger.name):
        Http.log_response(http)  # type: ignore[arg-type]
    (record,) = caplog.records
    assert (record.status, record.host, record.request) == (  # type: ignore[attr-defined]
        200, "10.0.0.7:41000", "POST http://localhost:5005/webhooks/rest/webhook")
