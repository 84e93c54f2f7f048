"""`make run`'s launcher: what it starts Rasa with."""

import pytest

from passordhjelp.config import ConfigError, load_settings
from passordhjelp.serve import rasa_server_command


def options(env):
    arguments = rasa_server_command(load_settings(env))
    return dict(zip(arguments, arguments[1:])), arguments


def test_serve_binds_rasa_to_this_machine_unless_asked():
    assert options({})[0]["--interface"] == "127.0.0.1"
    assert options({"PASSORDHJELP_BIND_ADDRESS": "0.0.0.0"})[0]["--interface"] == "0.0.0.0"
    with pytest.raises(ConfigError, match="PASSORDHJELP_BIND_ADDRESS"):
        load_settings({"PASSORDHJELP_BIND_ADDRESS": "everywhere"})


def test_serve_turns_the_api_on_with_a_jwt_secret_never_a_url_token():
    secret = "s" * 40
    found, arguments = options({"RASA_API_TOKEN": secret})
    assert "--enable-api" in arguments and "--auth-token" not in arguments
    assert (found["--jwt-secret"], found["--jwt-method"]) == (secret, "HS256")
    assert "--enable-api" not in options({})[1]
    with pytest.raises(ConfigError, match="RASA_API_TOKEN must be at least 32"):
        load_settings({"RASA_API_TOKEN": "short"})
