"""Settings from the environment: the only module that reads environment variables."""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional, Tuple, TypedDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """A configuration variable is missing or malformed; the message names it."""


# The Bot Connector's global service URL, for proactive messages into a conversation whose
# regional service URL is not known (Microsoft's "proactive messages" guidance).
DEFAULT_TEAMS_SERVICE_URL = "https://smba.trafficmanager.net/teams/"


@dataclass(frozen=True)
class Settings:
    """Everything the services need to know about their environment."""

    data_dir: Path
    database_url: str
    reference_prefix: str
    max_requests_listed: int
    default_language: str
    environment: str
    max_message_length: int
    messages_per_minute: int
    messages_per_minute_per_address: int
    rate_limit_storage_url: str = field(repr=False)
    requests_per_day: int
    action_server_token: str
    action_timeout_seconds: int
    helpdesk_webhook_url: Optional[str]
    helpdesk_webhook_format: str
    rasa_url: str
    outbox_max_delay_seconds: int
    outbox_give_up_seconds: int
    self_service_reset: bool
    confirm_min_confidence: float
    credentials_file: Path
    rasa_api_token: Optional[str] = field(repr=False)
    bind_address: str
    rasa_port: int
    action_port: int
    webchat_jwt_secret: Optional[str] = field(repr=False)
    webchat_jwt_public_key: Optional[str] = field(repr=False)
    webchat_session_secret: Optional[str] = field(repr=False)
    webchat_jwt_audience: Optional[str]
    webchat_jwt_issuer: Optional[str]
    webchat_jwt_max_lifetime: int
    slack_bot_token: Optional[str]
    slack_signing_secret: Optional[str]
    slack_api_url: str
    slack_team_ids: Tuple[str, ...]
    teams_app_id: Optional[str]
    teams_app_password: Optional[str]
    teams_tenant_id: Optional[str]
    teams_openid_metadata_url: str
    teams_authority: str
    webchat_embed_origins: Tuple[str, ...] = ()
    helpdesk_language: str = "en"
    helpdesk_slack_channel: Optional[str] = None
    helpdesk_slack_members: Tuple[str, ...] = ()
    teams_helpdesk_admin_ids: Tuple[str, ...] = ()
    teams_helpdesk_conversation_id: Optional[str] = None
    teams_helpdesk_service_url: str = DEFAULT_TEAMS_SERVICE_URL
    channel_state_url: Optional[str] = field(default=None, repr=False)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def webchat_jwt(self) -> Optional[Tuple[str, str]]:
        """(key, algorithm) the web chat verifies sign-in tokens with, or None (anonymous)."""
        if self.webchat_jwt_public_key:
            return self.webchat_jwt_public_key, "RS256"
        if self.webchat_jwt_secret:
            return self.webchat_jwt_secret, "HS256"
        return None


def _fraction(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number between 0 and 1, got {raw!r}") from None
    if not 0.0 < value <= 1.0:
        raise ConfigError(f"{name} must be greater than 0 and at most 1, got {value}")
    return value


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be greater than zero, got {value}")
    return value


# How sure the classifier must be of a typed yes before a request is filed
# (a button always counts); measured on tests/conversation/dev_conversations.yml.
DEFAULT_CONFIRM_MIN_CONFIDENCE = 0.7

# HS256 keys shorter than the hash (32 bytes) are guessable offline from one token.
MIN_JWT_SECRET_LENGTH = 32


def _webchat_jwt_keys(env: Mapping[str, str]) -> Tuple[Optional[str], Optional[str]]:
    """WEBCHAT_JWT_SECRET (HS256) or WEBCHAT_JWT_PUBLIC_KEY (RS256, PEM text or a PEM file)."""
    secret = (env.get("WEBCHAT_JWT_SECRET") or "").strip() or None
    public_key = (env.get("WEBCHAT_JWT_PUBLIC_KEY") or "").strip() or None
    if secret and public_key:
        raise ConfigError("WEBCHAT_JWT_SECRET and WEBCHAT_JWT_PUBLIC_KEY are alternatives; set one")
    if secret and len(secret) < MIN_JWT_SECRET_LENGTH:
        raise ConfigError(
            f"WEBCHAT_JWT_SECRET must be at least {MIN_JWT_SECRET_LENGTH} characters, "
            f"got {len(secret)}"
        )
    if public_key and not public_key.startswith("-----BEGIN"):
        try:
            public_key = Path(public_key).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(
                "WEBCHAT_JWT_PUBLIC_KEY must be a PEM public key or the path of "
                f"a PEM file, got {public_key!r} ({error})"
            ) from None
    if public_key:
        from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        try:
            loaded = load_pem_public_key(public_key.encode("utf-8"))
        except ValueError:
            loaded = None
        if not isinstance(loaded, RSAPublicKey):
            raise ConfigError(
                "WEBCHAT_JWT_PUBLIC_KEY must be an RSA public key in PEM form "
                "(-----BEGIN PUBLIC KEY-----)"
            )
    return secret, public_key


_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$")


def _origins(env: Mapping[str, str], name: str) -> Tuple[str, ...]:
    """Space- or comma-separated web origins (``https://intranet.contoso.no``)."""
    origins = tuple(o for o in re.split(r"[\s,]+", (env.get(name) or "").strip().lower()) if o)
    for origin in origins:
        if not _ORIGIN.match(origin):
            raise ConfigError(
                f"{name} must list origins such as https://intranet.example.com "
                f"(scheme, host, optional port; no path), got {origin!r}"
            )
    return origins


def _existing_file(env: Mapping[str, str], name: str, default: str) -> Path:
    path = Path((env.get(name) or default).strip())
    path = path if path.is_absolute() else PROJECT_ROOT / path
    if not path.is_file():
        raise ConfigError(f"{name} names {path}, which is not a file")
    return path


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = (env.get(name) or "false").strip().lower()
    if raw not in ("true", "false", "1", "0", "yes", "no"):
        raise ConfigError(f"{name} must be true or false, got {raw!r}")
    return raw in ("true", "1", "yes")


_GUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


def _http_url(env: Mapping[str, str], name: str, default: str) -> str:
    url = (env.get(name) or "").strip() or default
    if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
        raise ConfigError(f"{name} must be an http(s) URL, got {url!r}")
    return url


def _guid(env: Mapping[str, str], name: str, what: str) -> Optional[str]:
    value = (env.get(name) or "").strip() or None
    if value and not _GUID.match(value):
        raise ConfigError(
            f"{name} must be {what}, a GUID such as "
            f"00000000-0000-0000-0000-000000000000, got {value!r}"
        )
    return value.lower() if value else None


def _slack_settings(env: Mapping[str, str]) -> Tuple[Optional[str], Optional[str], str]:
    """SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (the Slack channel requires them), SLACK_API_URL.

    Secrets are never echoed in error messages.
    """
    token = (env.get("SLACK_BOT_TOKEN") or "").strip() or None
    if token and not re.fullmatch(r"xoxb-[A-Za-z0-9-]+", token):
        raise ConfigError(
            "SLACK_BOT_TOKEN must be the app's Bot User OAuth Token, which starts "
            "with xoxb- (Slack app settings > OAuth & Permissions)"
        )
    secret = (env.get("SLACK_SIGNING_SECRET") or "").strip() or None
    if secret and not re.fullmatch(r"[0-9a-f]{32,}", secret):
        raise ConfigError(
            "SLACK_SIGNING_SECRET must be the app's Signing Secret, 32 hexadecimal "
            "characters (Slack app settings > Basic Information > App Credentials)"
        )
    api_url = _http_url(env, "SLACK_API_URL", "https://slack.com/api/")
    return token, secret, api_url if api_url.endswith("/") else api_url + "/"


def _slack_team_ids(env: Mapping[str, str]) -> Tuple[str, ...]:
    """SLACK_TEAM_IDS: the workspaces (T…) or Enterprise Grid organisations (E…) whose
    people the Slack channel answers, comma-separated."""
    raw = (env.get("SLACK_TEAM_IDS") or "").replace(" ", "")
    ids = tuple(dict.fromkeys(i for i in raw.split(",") if i))
    bad = [i for i in ids if not re.fullmatch(r"[TE][A-Z0-9]{2,}", i)]
    if bad:
        raise ConfigError(
            "SLACK_TEAM_IDS must be Slack team ids such as T0123ABCD, separated "
            f"by commas, got {', '.join(bad)!r}"
        )
    return ids


def _teams_settings(
    env: Mapping[str, str],
) -> Tuple[Optional[str], Optional[str], Optional[str], str, str]:
    """TEAMS_APP_ID, TEAMS_APP_PASSWORD, TEAMS_TENANT_ID (the Teams channel requires them),
    TEAMS_OPENID_METADATA_URL and TEAMS_AUTHORITY (defaults: Microsoft's endpoints)."""
    app_id = _guid(env, "TEAMS_APP_ID", "the Azure Bot's Microsoft App ID")
    password = (env.get("TEAMS_APP_PASSWORD") or "").strip() or None
    if password and any(c.isspace() for c in password):
        raise ConfigError(
            "TEAMS_APP_PASSWORD must be the app registration's client secret value, without spaces"
        )
    tenant_id = _guid(env, "TEAMS_TENANT_ID", "your Microsoft Entra tenant ID")
    metadata_url = _http_url(
        env,
        "TEAMS_OPENID_METADATA_URL",
        "https://login.botframework.com/v1/.well-known/openidconfiguration",
    )
    authority = _http_url(
        env,
        "TEAMS_AUTHORITY",
        f"https://login.microsoftonline.com/{tenant_id or 'botframework.com'}",
    ).rstrip("/")
    return app_id, password, tenant_id, metadata_url, authority


class _HelpdeskSettings(TypedDict):
    helpdesk_language: str
    helpdesk_slack_channel: Optional[str]
    helpdesk_slack_members: Tuple[str, ...]
    teams_helpdesk_admin_ids: Tuple[str, ...]
    teams_helpdesk_conversation_id: Optional[str]
    teams_helpdesk_service_url: str


def _helpdesk_settings(env: Mapping[str, str]) -> _HelpdeskSettings:
    """The interactive helpdesk: its language, its Slack channel and who may work requests."""
    language = (env.get("PASSORDHJELP_HELPDESK_LANGUAGE") or "en").strip().lower()
    if language not in ("en", "nb"):
        raise ConfigError(f"PASSORDHJELP_HELPDESK_LANGUAGE must be en or nb, got {language!r}")
    channel = (env.get("HELPDESK_SLACK_CHANNEL") or "").strip() or None
    if channel and not re.fullmatch(r"[CG][A-Z0-9]{2,}", channel):
        raise ConfigError(
            "HELPDESK_SLACK_CHANNEL must be a Slack channel id such as C0123ABCD "
            f"(channel details > About), got {channel!r}"
        )
    members = tuple(m for m in re.split(r"[,\s]+", env.get("HELPDESK_SLACK_MEMBERS") or "") if m)
    bad = [m for m in members if not re.fullmatch(r"[UW][A-Z0-9]{2,}", m)]
    if bad:
        raise ConfigError(
            "HELPDESK_SLACK_MEMBERS must be Slack user ids (U0123ABCD) separated "
            f"by commas, got {', '.join(bad)}"
        )
    admin_ids, conversation_id, service_url = _teams_helpdesk_settings(env)
    return _HelpdeskSettings(
        helpdesk_language=language,
        helpdesk_slack_channel=channel,
        helpdesk_slack_members=members,
        teams_helpdesk_admin_ids=admin_ids,
        teams_helpdesk_conversation_id=conversation_id,
        teams_helpdesk_service_url=service_url,
    )


def _teams_helpdesk_settings(env: Mapping[str, str]) -> Tuple[Tuple[str, ...], Optional[str], str]:
    """TEAMS_HELPDESK_ADMIN_IDS (Entra object ids who may work requests from the Teams card;
    setting it turns the Teams helpdesk on), TEAMS_HELPDESK_CONVERSATION_ID and
    TEAMS_HELPDESK_SERVICE_URL (where the cards go, unless the app's install in the helpdesk
    team tells)."""
    raw = re.split(r"[,\s]+", env.get("TEAMS_HELPDESK_ADMIN_IDS") or "")
    ids = tuple(dict.fromkeys(i.lower() for i in raw if i))
    bad = [i for i in ids if not _GUID.match(i)]
    if bad:
        raise ConfigError(
            "TEAMS_HELPDESK_ADMIN_IDS must be Microsoft Entra object ids (GUIDs "
            "such as 00000000-0000-0000-0000-000000000000, Entra admin center > "
            f"Users > the user > Object ID) separated by commas, got "
            f"{', '.join(repr(b) for b in bad)}"
        )
    conversation = (env.get("TEAMS_HELPDESK_CONVERSATION_ID") or "").strip() or None
    if conversation and not re.fullmatch(r"19:[^\s/?#]+", conversation):
        raise ConfigError(
            "TEAMS_HELPDESK_CONVERSATION_ID must be the id of a Teams channel, "
            "19:...@thread.tacv2 (the channel's link, Get link to channel, holds "
            f"it URL-encoded), got {conversation!r}"
        )
    if conversation and not ids:
        raise ConfigError(
            "TEAMS_HELPDESK_CONVERSATION_ID is set, but TEAMS_HELPDESK_ADMIN_IDS "
            "is not: set the Entra object ids of the people who may work requests"
        )
    service_url = _http_url(env, "TEAMS_HELPDESK_SERVICE_URL", DEFAULT_TEAMS_SERVICE_URL)
    return ids, conversation, service_url


def _signing_secret(env: Mapping[str, str], name: str, purpose: str) -> Optional[str]:
    """An HS256 signing secret (``purpose`` says what it signs), unset or long enough."""
    secret = (env.get(name) or "").strip() or None
    if secret and len(secret) < MIN_JWT_SECRET_LENGTH:
        raise ConfigError(
            f"{name} must be at least {MIN_JWT_SECRET_LENGTH} characters "
            f"({purpose}), got {len(secret)}"
        )
    return secret


def _ports(env: Mapping[str, str]) -> Tuple[int, int]:
    """PASSORDHJELP_PORT and PASSORDHJELP_ACTION_PORT: where `make run` serves Rasa and the
    action server, so two checkouts can run side by side on one machine."""
    ports = []
    for name, default in (("PASSORDHJELP_PORT", 5005), ("PASSORDHJELP_ACTION_PORT", 5055)):
        port = _positive_int(env, name, default)
        if port > 65535:
            raise ConfigError(f"{name} must be a port number from 1 to 65535, got {port}")
        ports.append(port)
    if ports[0] == ports[1]:
        raise ConfigError(
            f"PASSORDHJELP_PORT and PASSORDHJELP_ACTION_PORT must differ, both are {ports[0]}"
        )
    return ports[0], ports[1]


def _bind_address(env: Mapping[str, str]) -> str:
    """PASSORDHJELP_BIND_ADDRESS: where `make run` serves Rasa; only this machine by default."""
    raw = (env.get("PASSORDHJELP_BIND_ADDRESS") or "").strip() or "127.0.0.1"
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        raise ConfigError(
            "PASSORDHJELP_BIND_ADDRESS must be an IP address such as 127.0.0.1 "
            f"(or 0.0.0.0 for every interface), got {raw!r}"
        ) from None


def _rate_limit_storage_url(env: Mapping[str, str]) -> str:
    """RATE_LIMIT_STORAGE_URL: memory:// (per process) or a Redis URL (shared); never echoed,
    it may hold a password."""
    url = (env.get("RATE_LIMIT_STORAGE_URL") or "").strip() or "memory://"
    if not url.startswith(("memory://", "redis://", "rediss://", "redis+unix://")):
        raise ConfigError(
            "RATE_LIMIT_STORAGE_URL must be memory:// or a Redis URL such as "
            "redis://:password@redis:6379/2"
        )
    return url


def _channel_state_url(env: Mapping[str, str]) -> Optional[str]:
    """CHANNEL_STATE_URL: None (memory://, the default: each Rasa process keeps its own) or
    the Redis URL every Rasa process shares the channels' recent state through; never
    echoed, it may hold a password."""
    url = (env.get("CHANNEL_STATE_URL") or "").strip() or "memory://"
    if url == "memory://":
        return None
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(
            "CHANNEL_STATE_URL must be memory:// or a Redis URL such as "
            "redis://:password@redis:6379/3"
        )
    return url


def load_settings(env: Optional[Mapping[str, str]] = None) -> Settings:
    """Read settings from ``env`` (default: the process environment).

    Raises:
        ConfigError: a variable is set to something unusable.
    """
    env = os.environ if env is None else env
    data_dir = Path(env.get("PASSORDHJELP_DATA_DIR") or PROJECT_ROOT / "var")
    database_url = (env.get("DATABASE_URL") or "").strip()
    if not database_url:
        database_url = f"sqlite:///{data_dir / 'requests.db'}"
    elif "://" not in database_url:
        raise ConfigError(
            "DATABASE_URL must be a SQLAlchemy URL such as "
            "postgresql://user@host/db or sqlite:///path/requests.db"
        )
    prefix = (env.get("PASSORDHJELP_REFERENCE_PREFIX") or "PH").strip().upper()
    if not prefix.isalnum() or len(prefix) > 6:
        raise ConfigError(
            f"PASSORDHJELP_REFERENCE_PREFIX must be 1-6 letters or digits, got {prefix!r}"
        )
    default_language = (env.get("PASSORDHJELP_DEFAULT_LANGUAGE") or "en").strip().lower()
    if default_language not in ("en", "nb"):
        raise ConfigError(
            f"PASSORDHJELP_DEFAULT_LANGUAGE must be en or nb, got {default_language!r}"
        )
    environment = (env.get("PASSORDHJELP_ENV") or "development").strip().lower()
    if environment not in ("development", "production"):
        raise ConfigError(
            f"PASSORDHJELP_ENV must be development or production, got {environment!r}"
        )
    webhook_url = (env.get("HELPDESK_WEBHOOK_URL") or "").strip() or None
    if webhook_url and not webhook_url.startswith(("https://", "http://")):
        raise ConfigError(f"HELPDESK_WEBHOOK_URL must be an http(s) URL, got {webhook_url!r}")
    webhook_format = (env.get("HELPDESK_WEBHOOK_FORMAT") or "slack").strip().lower()
    if webhook_format not in ("slack", "teams"):
        raise ConfigError(f"HELPDESK_WEBHOOK_FORMAT must be slack or teams, got {webhook_format!r}")
    jwt_secret, jwt_public_key = _webchat_jwt_keys(env)
    slack_token, slack_secret, slack_api_url = _slack_settings(env)
    rasa_port, action_port = _ports(env)
    teams_app_id, teams_password, teams_tenant, teams_metadata_url, teams_authority = (
        _teams_settings(env)
    )
    return Settings(
        **_helpdesk_settings(env),
        slack_bot_token=slack_token,
        slack_signing_secret=slack_secret,
        slack_api_url=slack_api_url,
        slack_team_ids=_slack_team_ids(env),
        teams_app_id=teams_app_id,
        teams_app_password=teams_password,
        teams_tenant_id=teams_tenant,
        teams_openid_metadata_url=teams_metadata_url,
        teams_authority=teams_authority,
        data_dir=data_dir,
        database_url=database_url,
        reference_prefix=prefix,
        max_requests_listed=_positive_int(env, "PASSORDHJELP_MAX_REQUESTS_LISTED", 5),
        default_language=default_language,
        environment=environment,
        max_message_length=_positive_int(env, "PASSORDHJELP_MAX_MESSAGE_LENGTH", 2000),
        messages_per_minute=_positive_int(env, "PASSORDHJELP_MESSAGES_PER_MINUTE", 30),
        messages_per_minute_per_address=_positive_int(
            env, "PASSORDHJELP_MESSAGES_PER_MINUTE_PER_ADDRESS", 120
        ),
        rate_limit_storage_url=_rate_limit_storage_url(env),
        channel_state_url=_channel_state_url(env),
        requests_per_day=_positive_int(env, "PASSORDHJELP_REQUESTS_PER_DAY", 3),
        action_server_token=(env.get("ACTION_SERVER_TOKEN") or "").strip(),
        action_timeout_seconds=_positive_int(env, "ACTION_TIMEOUT_SECONDS", 5),
        helpdesk_webhook_url=webhook_url,
        helpdesk_webhook_format=webhook_format,
        outbox_max_delay_seconds=_positive_int(env, "OUTBOX_MAX_RETRY_DELAY_SECONDS", 3600),
        outbox_give_up_seconds=_positive_int(env, "OUTBOX_GIVE_UP_AFTER_SECONDS", 86400),
        self_service_reset=_flag(env, "PASSORDHJELP_SELF_SERVICE_RESET"),
        confirm_min_confidence=_fraction(
            env, "PASSORDHJELP_CONFIRM_MIN_CONFIDENCE", DEFAULT_CONFIRM_MIN_CONFIDENCE
        ),
        credentials_file=_existing_file(env, "PASSORDHJELP_CREDENTIALS", "credentials.yml"),
        rasa_url=(env.get("RASA_URL") or f"http://localhost:{rasa_port}").strip(),
        rasa_api_token=_signing_secret(
            env, "RASA_API_TOKEN", "it signs the tokens Rasa's HTTP API accepts"
        ),
        bind_address=_bind_address(env),
        rasa_port=rasa_port,
        action_port=action_port,
        webchat_jwt_secret=jwt_secret,
        webchat_jwt_public_key=jwt_public_key,
        # Unset: each Rasa process makes its own (sessions last as long as the process).
        webchat_session_secret=_signing_secret(
            env, "WEBCHAT_SESSION_SECRET", "it signs anonymous web chat sessions"
        ),
        webchat_jwt_audience=(env.get("WEBCHAT_JWT_AUDIENCE") or "").strip() or None,
        webchat_jwt_issuer=(env.get("WEBCHAT_JWT_ISSUER") or "").strip() or None,
        webchat_jwt_max_lifetime=_positive_int(env, "WEBCHAT_JWT_MAX_LIFETIME", 3600),
        webchat_embed_origins=_origins(env, "WEBCHAT_EMBED_ORIGINS"),
    )
