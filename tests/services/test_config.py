"""Configuration errors name the variable."""

import pytest

from passordhjelp.config import ConfigError, load_settings


def test_config_defaults_to_sqlite_under_the_data_dir(tmp_path):
    settings = load_settings({"PASSORDHJELP_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'requests.db'}"
    assert settings.is_sqlite and settings.default_language == "en"


def test_config_database_url_is_taken_as_given():
    settings = load_settings({"DATABASE_URL": "postgresql://u@db/passordhjelp"})
    assert settings.database_url == "postgresql://u@db/passordhjelp"
    assert not settings.is_sqlite


@pytest.mark.parametrize("env, variable", [
    ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
    ({"PASSORDHJELP_DEFAULT_LANGUAGE": "de"}, "PASSORDHJELP_DEFAULT_LANGUAGE"),
    ({"PASSORDHJELP_REFERENCE_PREFIX": "P-H"}, "PASSORDHJELP_REFERENCE_PREFIX"),
    ({"PASSORDHJELP_MAX_REQUESTS_LISTED": "many"}, "PASSORDHJELP_MAX_REQUESTS_LISTED"),
    ({"PASSORDHJELP_MAX_REQUESTS_LISTED": "0"}, "PASSORDHJELP_MAX_REQUESTS_LISTED"),
    ({"PASSORDHJELP_CONFIRM_MIN_CONFIDENCE": "high"}, "PASSORDHJELP_CONFIRM_MIN_CONFIDENCE"),
    ({"PASSORDHJELP_CONFIRM_MIN_CONFIDENCE": "1.5"}, "PASSORDHJELP_CONFIRM_MIN_CONFIDENCE"),
    ({"PASSORDHJELP_CONFIRM_MIN_CONFIDENCE": "0"}, "PASSORDHJELP_CONFIRM_MIN_CONFIDENCE"),
    ({"HELPDESK_SLACK_CHANNEL": "#helpdesk"}, "HELPDESK_SLACK_CHANNEL must be a Slack channel id"),
    ({"HELPDESK_SLACK_MEMBERS": "U0ADA, ada"}, "HELPDESK_SLACK_MEMBERS must be Slack user ids"),
    ({"PASSORDHJELP_HELPDESK_LANGUAGE": "sv"}, "PASSORDHJELP_HELPDESK_LANGUAGE must be en or nb"),
    ({"CHANNEL_STATE_URL": "redis.internal:6379"}, "CHANNEL_STATE_URL must be memory://"),
])
def test_config_malformed_values_name_the_variable(env, variable):
    with pytest.raises(ConfigError, match=variable):
        load_settings(env)


@pytest.mark.parametrize("value, url", [
    ("", None), ("memory://", None),
    ("redis://:pw@redis:6379/3", "redis://:pw@redis:6379/3"),
    ("rediss://redis.internal:6380/0", "rediss://redis.internal:6380/0"),
])
def test_config_channel_state_is_per_process_unless_a_redis_url_is_given(value, url):
    settings = load_settings({"CHANNEL_STATE_URL": value})
    assert settings.channel_state_url == url
    assert "pw" not in repr(settings)
