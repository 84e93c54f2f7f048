"""Wiring: builds the services once per process from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from passordhjelp.config import Settings, load_settings
from passordhjelp.content import Content, load_content
from passordhjelp.notifications import Notifier
from passordhjelp.outbox import RetryPolicy
from passordhjelp.outcomes import OutcomeCounter
from passordhjelp.repository import SqlOutbox, SqlOutcomeStore, SqlRequestStore, create_engine
from passordhjelp.reset_requests import ResetRequestService

if TYPE_CHECKING:
    from passordhjelp.message_guard import MessageGuard


@dataclass(frozen=True)
class Services:
    settings: Settings
    requests: ResetRequestService
    content: Content
    notifier: Notifier
    outcomes: OutcomeCounter

    @cached_property
    def message_guard(self) -> MessageGuard:
        """The channels' guard, built on first use: only the Rasa process uses it, and
        importing it loads spaCy's word lists, which the action server has no use for."""
        from passordhjelp.message_guard import MessageGuard, RateLimiter

        return MessageGuard(
            max_length=self.settings.max_message_length,
            rate_limiter=RateLimiter(
                per_sender=self.settings.messages_per_minute,
                per_address=self.settings.messages_per_minute_per_address,
                storage_url=self.settings.rate_limit_storage_url),
        )


def build_services(settings: Settings) -> Services:
    """Services for ``settings``; tests call this with their own database URL."""
    engine = create_engine(settings.database_url)
    store = SqlRequestStore(engine)
    notifier = Notifier(SqlOutbox(engine), webhook_url=settings.helpdesk_webhook_url,
                        webhook_format=settings.helpdesk_webhook_format,
                        rasa_url=settings.rasa_url, rasa_token=settings.rasa_api_token,
                        retry=RetryPolicy(
                            max_delay=timedelta(seconds=settings.outbox_max_delay_seconds),
                            give_up_after=timedelta(seconds=settings.outbox_give_up_seconds)))
    return Services(
        settings=settings,
        requests=ResetRequestService(
            store, reference_prefix=settings.reference_prefix,
            listed_limit=settings.max_requests_listed,
            requests_per_day=settings.requests_per_day,
            notices_when_filed=notifier.filed_notices,
            notices_when_closed=notifier.closed_notices,
            notices_when_withdrawn=notifier.withdrawn_notices,
        ),
        content=load_content(),
        notifier=notifier,
        outcomes=OutcomeCounter(SqlOutcomeStore(engine)),
    )


@lru_cache(maxsize=1)
def services() -> Services:
    """The process-wide services, configured from the environment on first use."""
    return build_services(load_settings())
