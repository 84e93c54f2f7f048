"""Filing and working admin reset requests on a real database (SQLite and PostgreSQL)."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from passordhjelp.identity import Requester, requester_from_conversation
from passordhjelp.repository import SqlRequestStore, create_engine, reset_requests
from passordhjelp.reset_requests import (
    FileOutcome,
    InvalidTransition,
    RequestNotFound,
    ResetRequestService,
    Status,
    WithdrawOutcome,
)

OLA = Requester("rest", "ola")
KARI = Requester("slack", "T01:U02")


@pytest.fixture
def engine(database_url):
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def service(engine):
    return ResetRequestService(SqlRequestStore(engine), reference_prefix="PH")


def rows(engine):
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(sa.select(reset_requests))]


def test_reset_requests_filing_stores_identity_language_and_status(service, engine):
    result = service.file(OLA, language="nb")

    assert result.outcome is FileOutcome.FILED
    assert result.request.reference.startswith("PH-") and len(result.request.reference) == 9
    [row] = rows(engine)
    assert (row["channel"], row["sender_id"], row["language"], row["status"]) == (
        "rest", "ola", "nb", "open")
    assert row["reference"] == result.request.reference


def test_reset_requests_row_has_no_column_for_message_text(service, engine):
    service.file(OLA, language="en")
    [row] = rows(engine)
    assert set(row) == {"id", "reference", "channel", "sender_id", "language", "status",
                        "created_at", "updated_at", "admin_note", "filed_by_message"}


def test_reset_requests_filing_twice_returns_the_same_reference(service, engine):
    first = service.file(OLA, language="en")
    second = service.file(OLA, language="en")

    assert second.outcome is FileOutcome.ALREADY_OPEN
    assert second.request.reference == first.request.reference
    assert len(rows(engine)) == 1


def test_reset_requests_the_same_message_files_once_and_gets_filed_again(service, engine):
    first = service.file(OLA, language="en", message_id="m-1")
    again = service.file(OLA, language="en", message_id="m-1")
    later = service.file(OLA, language="en", message_id="m-2")

    assert (first.outcome, again.outcome, later.outcome) == (
        FileOutcome.FILED, FileOutcome.FILED, FileOutcome.ALREADY_OPEN)
    assert first.request.reference == again.request.reference == later.request.reference
    assert len(rows(engine)) == 1


def test_reset_requests_one_active_request_is_enforced_by_the_database(service, engine):
    service.file(OLA, language="en")
    with pytest.raises(sa.exc.IntegrityError):
        with engine.begin() as connection:
            connection.execute(reset_requests.insert().values(
                reference="PH-DUPLIC", channel="rest", sender_id="ola", language="en",
                status="open", created_at=datetime.utcnow(), updated_at=datetime.utcnow()))


def test_reset_requests_each_requester_has_their_own(service):
    ola = service.file(OLA, language="en").request
    kari = service.file(KARI, language="nb").request

    assert ola.reference != kari.reference
    assert [r.reference for r in service.requests_of(OLA)] == [ola.reference]
    assert [r.reference for r in service.requests_of(KARI)] == [kari.reference]


def test_reset_requests_anonymous_files_nothing(service):
    assert service.file(None, language="en").outcome is FileOutcome.ANONYMOUS
    assert service.requests_of(None) == []
    assert service.list() == []


def test_reset_requests_new_request_allowed_after_the_last_is_closed(service):
    first = service.file(OLA, language="en").request
    service.change_status(first.reference, Status.DONE)

    second = service.file(OLA, language="en")

    assert second.outcome is FileOutcome.FILED
    assert second.request.reference != first.reference


def test_reset_requests_admin_workflow(service):
    reference = service.file(OLA, language="en").request.reference

    assert service.change_status(reference.lower(), Status.IN_PROGRESS).status is Status.IN_PROGRESS
    rejected = service.change_status(reference, Status.REJECTED, admin_note="not our tenant")
    assert (rejected.status, rejected.admin_note) == (Status.REJECTED, "not our tenant")
    with pytest.raises(InvalidTransition):
        service.change_status(reference, Status.DONE)
    with pytest.raises(RequestNotFound):
        service.get("PH-NOSUCH")


def test_reset_requests_list_filters_by_status_and_age(service, engine):
    old = service.file(OLA, language="en").request
    with engine.begin() as connection:
        connection.execute(reset_requests.update().values(
            created_at=datetime.utcnow() - timedelta(hours=5)))
    new = service.file(KARI, language="nb").request

    assert [r.reference for r in service.list()] == [old.reference, new.reference]
    assert [r.reference for r in service.list(older_than_seconds=3600)] == [old.reference]
    service.change_status(new.reference, Status.DONE)
    assert [r.reference for r in service.list(statuses=[Status.DONE])] == [new.reference]


def test_reset_requests_database_down_reports_unavailable():
    store = SqlRequestStore(create_engine("postgresql://nobody@127.0.0.1:1/none"))
    service = ResetRequestService(store, reference_prefix="PH")

    assert service.file(OLA, language="en").outcome is FileOutcome.UNAVAILABLE


def test_reset_requests_sqlite_file_and_folder_created_on_first_use(tmp_path):
    path = tmp_path / "new" / "folder" / "requests.db"
    service = ResetRequestService(SqlRequestStore(create_engine(f"sqlite:///{path}")),
                                  reference_prefix="PH")
    service.file(OLA, language="en")
    assert path.exists()


def test_reset_requests_sqlite_file_commits_through_the_log_and_waits_for_the_disk(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'requests.db'}")
    ResetRequestService(SqlRequestStore(engine), reference_prefix="PH").file(OLA, language="en")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        # FULL (2): every commit is on disk before it returns, as with the rollback journal.
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    engine.dispose()


@pytest.mark.parametrize("channel, sender", [(None, "ola"), ("rest", None), ("rest", "  "),
                                             ("rest", "x" * 256)])
def test_identity_missing_or_implausible_ids_are_anonymous(channel, sender):
    assert requester_from_conversation(channel, sender) is None


def test_identity_is_channel_and_sender():
    assert requester_from_conversation("slack", "T1:U2") == Requester("slack", "T1:U2")


def test_reset_requests_at_most_three_a_day(engine):
    service = ResetRequestService(SqlRequestStore(engine), reference_prefix="PH",
                                  requests_per_day=3)
    for _ in range(3):
        filed = service.file(OLA, language="en")
        assert filed.outcome is FileOutcome.FILED
        service.change_status(filed.request.reference, Status.DONE)

    assert service.file(OLA, language="en").outcome is FileOutcome.RATE_LIMITED
    assert service.file(KARI, language="en").outcome is FileOutcome.FILED


def test_reset_requests_every_decision_is_audited_without_text(service, engine):
    filed = service.file(OLA, language="en").request
    service.file(OLA, language="en")
    service.file(None, language="en")
    service.refuse_other_target(KARI)

    log = service.audit_log()
    assert [(e.decision.value, e.channel, e.sender_id, e.reference) for e in reversed(log)] == [
        ("filed", "rest", "ola", filed.reference),
        ("duplicate", "rest", "ola", filed.reference),
        ("anonymous", None, None, None),
        ("refused_other_target", "slack", "T01:U02", None),
    ]
    with engine.connect() as connection:
        columns = connection.execute(sa.text("select * from request_decisions")).keys()
    assert set(columns) == {"id", "at", "channel", "sender_id", "decision", "reference"}


def test_reset_requests_requester_withdraws_their_active_request(engine):
    told = []
    service = ResetRequestService(SqlRequestStore(engine), reference_prefix="PH",
                                  notices_when_withdrawn=lambda r: told.append(r) or [])
    filed = service.file(OLA, language="nb").request
    service.file(KARI, language="en")

    result = service.withdraw(OLA)

    assert result.outcome is WithdrawOutcome.WITHDRAWN
    assert result.request.reference == filed.reference
    assert {(r["sender_id"], r["status"]) for r in rows(engine)} == {
        ("ola", "withdrawn"), ("T01:U02", "open")}
    assert [r.reference for r in told] == [filed.reference]
    assert [(e.decision.value, e.sender_id, e.reference) for e in service.audit_log(limit=1)] == [
        ("withdrawn", "ola", filed.reference)]


def test_reset_requests_withdraw_in_progress_request_then_file_anew(service):
    first = service.file(OLA, language="en").request
    service.change_status(first.reference, Status.IN_PROGRESS)

    assert service.withdraw(OLA).outcome is WithdrawOutcome.WITHDRAWN
    assert service.withdraw(OLA).outcome is WithdrawOutcome.NOTHING_ACTIVE
    second = service.file(OLA, language="en")
    assert second.outcome is FileOutcome.FILED and second.request.reference != first.reference


def test_reset_requests_withdrawn_is_closed_for_admins_and_not_told_to_the_user(service):
    reference = service.file(OLA, language="en").request.reference
    service.withdraw(OLA)

    for status in (Status.IN_PROGRESS, Status.DONE, Status.REJECTED, Status.OPEN):
        with pytest.raises(InvalidTransition):
            service.change_status(reference, status)
    assert service.latest_closed_of(OLA) is None


def test_reset_requests_only_the_requester_can_withdraw_and_admins_cannot(service):
    reference = service.file(OLA, language="en").request.reference

    assert service.withdraw(KARI).outcome is WithdrawOutcome.NOTHING_ACTIVE
    assert service.withdraw(None).outcome is WithdrawOutcome.ANONYMOUS
    with pytest.raises(InvalidTransition):
        service.change_status(reference, Status.WITHDRAWN)
    assert service.get(reference).status is Status.OPEN


def test_reset_requests_withdraw_with_database_down_reports_unavailable():
    store = SqlRequestStore(create_engine("postgresql://nobody@127.0.0.1:1/none"))
    service = ResetRequestService(store, reference_prefix="PH")

    assert service.withdraw(OLA).outcome is WithdrawOutcome.UNAVAILABLE
