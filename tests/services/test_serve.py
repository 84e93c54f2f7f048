"""`make run`'s launcher: what it starts Rasa with."""

from pathlib import Path

import pytest
import yaml

from passordhjelp.config import PROJECT_ROOT, ConfigError, load_settings
from passordhjelp.serve import endpoints_file, rasa_server_command


def options(env, endpoints=Path("endpoints.yml")):
    arguments = rasa_server_command(load_settings(env), endpoints)
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


def test_serve_takes_its_ports_from_the_configuration_so_two_checkouts_can_run(tmp_path):
    env = {"PASSORDHJELP_PORT": "6105", "PASSORDHJELP_ACTION_PORT": "6155",
           "PASSORDHJELP_DATA_DIR": str(tmp_path)}
    written = endpoints_file(load_settings(env))
    assert written.parent == tmp_path
    found, _ = options(env, written)
    assert found["--port"] == "6105"
    endpoints = yaml.safe_load(Path(found["--endpoints"]).read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"]["url"] == "http://localhost:6155/webhook"
    # The rest of the shipped file is kept: the token header and the tracker store.
    shipped = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["tracker_store"] == shipped["tracker_store"]
    assert endpoints["action_endpoint"]["headers"] == shipped["action_endpoint"]["headers"]
    assert load_settings(env).rasa_url == "http://localhost:6105"
    assert options({"PASSORDHJELP_DATA_DIR": str(tmp_path)})[0]["--port"] == "5005"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"PASSORDHJELP_PORT": "http"}, "PASSORDHJELP_PORT must be a whole number"),
        ({"PASSORDHJELP_ACTION_PORT": "70000"}, "PASSORDHJELP_ACTION_PORT must be a port"),
        ({"PASSORDHJELP_PORT": "5055"}, "must differ, both are 5055"),
    ],
)
def test_serve_refuses_unusable_ports_by_name(env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(env)
