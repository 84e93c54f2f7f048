"""Settings from the environment: the only module that reads environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

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

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


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
    )
