"""Settings from the environment: the only module that reads environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """A configuration variable is missing or malformed; the message names it."""


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
    requests_per_day: int
    action_server_token: str
    helpdesk_webhook_url: Optional[str]
    helpdesk_webhook_format: str
    webchat_jwt_secret: Optional[str]
    webchat_jwt_public_key: Optional[str]

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
            f"got {len(secret)}")
    if public_key and not public_key.startswith("-----BEGIN"):
        try:
            public_key = Path(public_key).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError("WEBCHAT_JWT_PUBLIC_KEY must be a PEM public key or the path of "
                              f"a PEM file, got {public_key!r} ({error})") from None
    if public_key:
        from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
        from cryptography.hazmat.primitives.serialization import load_pem_public_key
        try:
            loaded = load_pem_public_key(public_key.encode("utf-8"))
        except ValueError:
            loaded = None
        if not isinstance(loaded, RSAPublicKey):
            raise ConfigError("WEBCHAT_JWT_PUBLIC_KEY must be an RSA public key in PEM form "
                              "(-----BEGIN PUBLIC KEY-----)")
    return secret, public_key


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
            "PASSORDHJELP_REFERENCE_PREFIX must be 1-6 letters or digits, "
            f"got {prefix!r}"
        )
    default_language = (env.get("PASSORDHJELP_DEFAULT_LANGUAGE") or "en").strip().lower()
    if default_language not in ("en", "nb"):
        raise ConfigError(
            f"PASSORDHJELP_DEFAULT_LANGUAGE must be en or nb, got {default_language!r}"
        )
    environment = (env.get("PASSORDHJELP_ENV") or "development").strip().lower()
    if environment not in ("development", "production"):
        raise ConfigError(f"PASSORDHJELP_ENV must be development or production, got {environment!r}")
    webhook_url = (env.get("HELPDESK_WEBHOOK_URL") or "").strip() or None
    if webhook_url and not webhook_url.startswith(("https://", "http://")):
        raise ConfigError(f"HELPDESK_WEBHOOK_URL must be an http(s) URL, got {webhook_url!r}")
    webhook_format = (env.get("HELPDESK_WEBHOOK_FORMAT") or "slack").strip().lower()
    if webhook_format not in ("slack", "teams"):
        raise ConfigError(f"HELPDESK_WEBHOOK_FORMAT must be slack or teams, got {webhook_format!r}")
    jwt_secret, jwt_public_key = _webchat_jwt_keys(env)
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        reference_prefix=prefix,
        max_requests_listed=_positive_int(env, "PASSORDHJELP_MAX_REQUESTS_LISTED", 5),
        default_language=default_language,
        environment=environment,
        max_message_length=_positive_int(env, "PASSORDHJELP_MAX_MESSAGE_LENGTH", 2000),
        messages_per_minute=_positive_int(env, "PASSORDHJELP_MESSAGES_PER_MINUTE", 30),
        requests_per_day=_positive_int(env, "PASSORDHJELP_REQUESTS_PER_DAY", 3),
        action_server_token=(env.get("ACTION_SERVER_TOKEN") or "").strip(),
        helpdesk_webhook_url=webhook_url,
        helpdesk_webhook_format=webhook_format,
        webchat_jwt_secret=jwt_secret,
        webchat_jwt_public_key=jwt_public_key,
    )
