"""Wiring: builds the services once per process from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Dict, Optional

from passordhjelp.config import Settings, load_settings
from passordhjelp.content import Content, load_content
from passordhjelp.helpdesk import HelpdeskService
from passordhjelp.notifications import HelpdeskChannel, Notifier
from passordhjelp.outbox import RetryPolicy
from passordhjelp.outcomes import OutcomeCounter
from passordhjelp.repository import (
    SqlHelpdeskStore,
    SqlOutbox,
    SqlOutcomeStore,
    SqlRequestStore,
    create_engine,
)
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
    # Optional only for tests that build Services by hand; build_services always sets it.
    helpdesk: Optional[HelpdeskService] = None

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
                storage_url=self.settings.rate_limit_storage_url,
            ),
        )


def build_services(settings: Settings) -> Services:
    """Services for ``settings``; tests call this with their own database URL."""
    engine = create_engine(settings.database_url)
    store = SqlRequestStore(engine)
    helpdesk_store = SqlHelpdeskStore(engine)
    # The interactive helpdesk channels render requests from the request service, which
    # queues their messages through the notifier: built in that order, tied by lambdas.
    requests = ResetRequestService(
        store,
        reference_prefix=settings.reference_prefix,
        listed_limit=settings.max_requests_listed,
        requests_per_day=settings.requests_per_day,
        notices_when_filed=lambda request: notifier.filed_notices(request),
        notices_when_closed=lambda request: notifier.closed_notices(request),
        notices_when_withdrawn=lambda request: notifier.withdrawn_notices(request),
        notices_when_changed=lambda request: notifier.changed_notices(request),
    )
    notifier = Notifier(
        SqlOutbox(engine),
        webhook_url=settings.helpdesk_webhook_url,
        webhook_format=settings.helpdesk_webhook_format,
        rasa_url=settings.rasa_url,
        rasa_token=settings.rasa_api_token,
        helpdesk_channels=_helpdesk_channels(settings, requests, helpdesk_store),
        retry=RetryPolicy(
            max_delay=timedelta(seconds=settings.outbox_max_delay_seconds),
            give_up_after=timedelta(seconds=settings.outbox_give_up_seconds),
        ),
    )
    return Services(
        settings=settings,
        requests=requests,
        helpdesk=HelpdeskService(requests, helpdesk_store, notifier),
        content=load_content(),
        notifier=notifier,
        outcomes=OutcomeCounter(SqlOutcomeStore(engine)),
    )


def _helpdesk_channels(
    settings: Settings, requests: ResetRequestService, store: SqlHelpdeskStore
) -> Dict[str, HelpdeskChannel]:
    """The interactive helpdesk channels configured (Slack, Teams)."""
    channels: Dict[str, HelpdeskChannel] = {}
    if settings.helpdesk_slack_channel and settings.slack_bot_token:
        from slack_sdk import WebClient

        from passordhjelp import helpdesk_slack

        teams_token = None
        if settings.teams_app_id and settings.teams_app_password:
            from passordhjelp.bot_connector import BotConnectorToken

            # Teams requesters' e-mails come from the Bot Connector.
            teams_token = BotConnectorToken(
                settings.teams_app_id,
                settings.teams_app_password,
                authority=settings.teams_authority,
            )
        channels[helpdesk_slack.TARGET] = helpdesk_slack.SlackHelpdesk(
            WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10),
            settings.helpdesk_slack_channel,
            requests_service=requests,
            store=store,
            language=settings.helpdesk_language,
            teams_token=teams_token,
        )
    if settings.teams_helpdesk_admin_ids and settings.teams_app_id and settings.teams_app_password:
        from passordhjelp import helpdesk_teams
        from passordhjelp.bot_connector import BotConnectorToken

        channels[helpdesk_teams.TARGET] = helpdesk_teams.TeamsHelpdesk(
            BotConnectorToken(
                settings.teams_app_id,
                settings.teams_app_password,
                authority=settings.teams_authority,
            ),
            requests_service=requests,
            store=store,
            language=settings.helpdesk_language,
            conversation_id=settings.teams_helpdesk_conversation_id,
            service_url=settings.teams_helpdesk_service_url,
        )
    return channels


@lru_cache(maxsize=1)
def services() -> Services:
    """The process-wide services, configured from the environment on first use."""
    return build_services(load_settings())
