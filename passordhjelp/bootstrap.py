"""Wiring: builds the services once per process from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from passordhjelp.config import Settings, load_settings
from passordhjelp.content import Content, load_content
from passordhjelp.message_guard import MessageGuard, RateLimiter
from passordhjelp.notifications import Notifier
from passordhjelp.outcomes import OutcomeCounter
from passordhjelp.repository import SqlOutbox, SqlOutcomeStore, SqlRequestStore, create_engine
from passordhjelp.reset_requests import ResetRequestService


@dataclass(frozen=True)
class Services:
    settings: Settings
    requests: ResetRequestService
    content: Content
    message_guard: MessageGuard
    notifier: Notifier
    outcomes: OutcomeCounter


def build_services(settings: Settings) -> Services:
    """Services for ``settings``; tests call this with their own database URL."""
    engine = create_engine(settings.database_url)
    store = SqlRequestStore(engine)
    notifier = Notifier(SqlOutbox(engine), webhook_url=settings.helpdesk_webhook_url,
                        webhook_format=settings.helpdesk_webhook_format,
                        rasa_url=settings.rasa_url, rasa_token=settings.rasa_api_token)
    return Services(
        settings=settings,
        requests=ResetRequestService(
            store, reference_prefix=settings.reference_prefix,
            listed_limit=settings.max_requests_listed,
            requests_per_day=settings.requests_per_day,
            on_filed=lambda request: notifier.request_filed(request, display_name=None),
            on_closed=notifier.request_closed,
        ),
        content=load_content(),
        message_guard=MessageGuard(
            max_length=settings.max_message_length,
            rate_limiter=RateLimiter(
                per_sender=settings.messages_per_minute,
                per_address=settings.messages_per_minute_per_address,
                storage_url=settings.rate_limit_storage_url),
        ),
        notifier=notifier,
        outcomes=OutcomeCounter(SqlOutcomeStore(engine)),
    )


@lru_cache(maxsize=1)
def services() -> Services:
    """The process-wide services, configured from the environment on first use."""
    return build_services(load_settings())
