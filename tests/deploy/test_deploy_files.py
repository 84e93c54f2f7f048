"""docker-compose.yml, the Dockerfile and the Helm values agree with each other and the code.

No Docker engine or Kubernetes is needed: the files are parsed and compared with
what the code reads (passordhjelp/config.py, deploy/endpoints.postgres-redis.yml,
credentials.yml, the Makefile's install commands).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Dict, List, Set
from urllib.parse import urlsplit

import pytest
import yaml

from passordhjelp.config import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
DOCKERIGNORE = PROJECT_ROOT / ".dockerignore"
NGINX = PROJECT_ROOT / "deploy" / "nginx.conf"
ENDPOINTS = PROJECT_ROOT / "deploy" / "endpoints.postgres-redis.yml"
HELM_VALUES = PROJECT_ROOT / "deploy" / "helm" / "values.yml"
HELM_ACTION_VALUES = PROJECT_ROOT / "deploy" / "helm" / "action-server-values.yml"
CREDENTIALS = PROJECT_ROOT / "deploy" / "credentials.production.yml"

RASA_PORT, ACTION_PORT = 5005, 5055
SERVICES = {"rasa", "action-server", "postgres", "redis", "web"}
# Read by Rasa (and its web server, Sanic) rather than by passordhjelp/config.py.
RASA_VARIABLES = {"RASA_TELEMETRY_ENABLED", "SANIC_PROXIES_COUNT"}

ENV_REFERENCE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")
COMPOSE_INTERPOLATION = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?::?[-?][^}]*)?\}")


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def referenced(value) -> Set[str]:
    """The ${VAR}s in the values (not the comments) of a parsed YAML document."""
    if isinstance(value, dict):
        return set().union(*(referenced(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(referenced(v) for v in value)) if value else set()
    return set(ENV_REFERENCE.findall(value)) if isinstance(value, str) else set()


def endpoint_variables() -> Set[str]:
    return referenced(load(ENDPOINTS))


def config_variables() -> Set[str]:
    """Environment variables passordhjelp/config.py reads (its only reader)."""
    source = (PROJECT_ROOT / "passordhjelp" / "config.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env\.get\(\s*"([A-Z][A-Z0-9_]+)"', source))
    names |= set(re.findall(r'\(\s*env\s*,\s*"([A-Z][A-Z0-9_]+)"', source))
    assert {"DATABASE_URL", "ACTION_SERVER_TOKEN", "PASSORDHJELP_ENV"} <= names
    return names


def known_variables() -> Set[str]:
    return config_variables() | endpoint_variables() | RASA_VARIABLES


def interpolate(value: str, env: Dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} with ``env``."""
    def replace(match: re.Match) -> str:
        name = match.group(1)
        whole = match.group(0)
        if name in env:
            return env[name]
        if ":-" in whole:
            return whole.split(":-", 1)[1][:-1]
        return f"<{name}>"
    return COMPOSE_INTERPOLATION.sub(replace, value)


@pytest.fixture(scope="module")
def compose() -> Dict:
    return load(COMPOSE)


@pytest.fixture(scope="module")
def services(compose) -> Dict[str, Dict]:
    return compose["services"]


def environment(service: Dict) -> Dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


# --------------------------------------------------------------------------- compose

def test_compose_has_the_five_services(services):
    assert set(services) == SERVICES


def test_compose_sets_every_variable_the_endpoints_file_references(services):
    rasa_env = environment(services["rasa"])
    missing = endpoint_variables() - set(rasa_env)
    assert not missing, f"deploy/endpoints.postgres-redis.yml needs {missing} in compose's rasa"


def test_compose_sets_only_variables_the_code_reads(services):
    for name in ("rasa", "action-server"):
        unknown = set(environment(services[name])) - known_variables()
        assert not unknown, f"{name} sets variables nothing reads (typo?): {unknown}"


def test_rasa_runs_the_endpoints_file_credentials_and_model_on_5005(services):
    command = services["rasa"]["command"]
    options = dict(zip(command, command[1:]))
    assert command[0] == "run"
    assert options["--port"] == str(RASA_PORT)
    assert (PROJECT_ROOT / options["--endpoints"]).resolve() == ENDPOINTS
    assert (PROJECT_ROOT / options["--credentials"]).resolve() == CREDENTIALS
    assert options["--model"] == "models/passordhjelp.tar.gz"
    assert str(RASA_PORT) in [str(p) for p in services["rasa"]["expose"]]
    # The action server reaches Rasa's API with tokens signed with Rasa's JWT secret, in a
    # header; no --auth-token, whose token would travel in URLs.
    assert "--enable-api" in command and "--auth-token" not in command
    assert options["--jwt-method"] == "HS256"
    assert options["--jwt-secret"] == environment(services["action-server"])["RASA_API_TOKEN"]


def test_the_action_endpoint_is_the_action_server_on_5055(services):
    url = urlsplit(environment(services["rasa"])["ACTION_ENDPOINT_URL"])
    action = services["action-server"]
    assert (url.hostname, url.port, url.path) == ("action-server", ACTION_PORT, "/webhook")
    assert action["entrypoint"] == ["python", "-m", "runtime.action_server"]
    options = dict(zip(action["command"], action["command"][1:]))
    assert options["--port"] == str(ACTION_PORT)
    assert options["--host"] == "0.0.0.0"
    assert str(ACTION_PORT) in [str(p) for p in action["expose"]]
    assert environment(services["rasa"])["ACTION_SERVER_TOKEN"] == \
        environment(action)["ACTION_SERVER_TOKEN"]


def test_the_action_server_has_the_request_database_on_postgres(services):
    postgres = environment(services["postgres"])
    env = environment(services["action-server"])
    assert "DATABASE_URL" in env
    url = urlsplit(interpolate(env["DATABASE_URL"], {"POSTGRES_PASSWORD": "pw"}))
    assert url.scheme.startswith("postgresql")
    assert (url.hostname, url.port, url.path.lstrip("/")) == (
        "postgres", 5432, postgres["POSTGRES_DB"])
    assert (url.username, url.password) == (
        postgres["POSTGRES_USER"], interpolate(postgres["POSTGRES_PASSWORD"],
                                               {"POSTGRES_PASSWORD": "pw"}))


def test_tracker_and_lock_store_point_at_the_compose_services(services):
    env = environment(services["rasa"])
    postgres, redis = environment(services["postgres"]), environment(services["redis"])
    assert env["TRACKER_DB_HOST"] == "postgres" and env["TRACKER_DB_PORT"] == "5432"
    assert env["TRACKER_DB_NAME"] == postgres["POSTGRES_DB"]
    assert env["TRACKER_DB_USER"] == postgres["POSTGRES_USER"]
    assert env["TRACKER_DB_PASSWORD"] == postgres["POSTGRES_PASSWORD"]
    assert env["LOCK_STORE_HOST"] == "redis" and env["LOCK_STORE_PORT"] == "6379"
    assert env["LOCK_STORE_DB"].isdigit()
    assert env["LOCK_STORE_KEY_PREFIX"].isalnum()
    assert env["LOCK_STORE_PASSWORD"] == redis["REDIS_PASSWORD"]
    assert "--requirepass" in services["redis"]["command"]


def test_compose_and_helm_pass_the_secrets_of_the_production_channels(services):
    channels = " ".join(load(CREDENTIALS))
    helm_env = {item["name"] for item in load(HELM_VALUES)["extraEnv"]}
    needed = {"slack": {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_TEAM_IDS"},
              "teams": {"TEAMS_APP_ID", "TEAMS_APP_PASSWORD", "TEAMS_TENANT_ID"}}
    for channel, names in needed.items():
        if f"channels.{channel}." in channels:
            assert names <= set(environment(services["rasa"])), channel
            assert names <= helm_env, channel


def test_compose_shares_rate_limits_channel_state_and_sessions_among_rasa_servers(services):
    env = environment(services["rasa"])
    databases = {f"/{env['LOCK_STORE_DB']}"}
    for name in ("RATE_LIMIT_STORAGE_URL", "CHANNEL_STATE_URL"):
        url = urlsplit(interpolate(env[name], {"REDIS_PASSWORD": "pw"}))
        assert (url.scheme, url.hostname, url.port, url.password) == (
            "redis", "redis", 6379, "pw"), name
        assert url.path not in databases, name   # a database of its own
        databases.add(url.path)
    assert env["SANIC_PROXIES_COUNT"] == "1"          # nginx in front
    assert "WEBCHAT_SESSION_SECRET" in env


def test_production_settings_for_both_processes(services):
    for name in ("rasa", "action-server"):
        env = environment(services[name])
        assert env["RASA_TELEMETRY_ENABLED"] == "false"
        assert env["PASSORDHJELP_ENV"] == "production"
        assert env["DATABASE_URL"] == environment(services["action-server"])["DATABASE_URL"]


def test_only_the_web_proxy_is_published(services):
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"web"}
    assert services["web"]["ports"] == ["8080:8080"]
    mounts = services["web"]["volumes"]
    assert "./web:/usr/share/nginx/html:ro" in mounts
    assert any(m.startswith("./deploy/nginx.conf:") for m in mounts)


def test_nginx_proxies_socketio_and_webhooks_to_rasa():
    conf = NGINX.read_text(encoding="utf-8")
    assert re.search(rf"upstream rasa \{{[^}}]*server rasa:{RASA_PORT};", conf)
    assert "listen 8080;" in conf
    for prefix in ("/socket.io/", "/webhooks/"):
        block = re.search(rf"location {re.escape(prefix)} \{{([^}}]*)\}}", conf)
        assert block and "proxy_pass http://rasa;" in block.group(1), prefix


def test_the_endpoints_file_loads_in_rasa_with_the_compose_values(services, monkeypatch):
    from rasa.core.utils import AvailableEndpoints
    from rasa.shared.utils.common import class_from_module_path

    for name, value in environment(services["rasa"]).items():
        monkeypatch.setenv(name, interpolate(value, {}))
    endpoints = AvailableEndpoints.read_endpoints(str(ENDPOINTS))
    from rasa.core.tracker_store import SQLTrackerStore
    assert issubclass(class_from_module_path(endpoints.tracker_store.type), SQLTrackerStore)
    assert endpoints.tracker_store.kwargs["dialect"] == "postgresql"
    assert endpoints.tracker_store.url == "postgres"
    assert endpoints.lock_store.url == "redis"
    from rasa.core.lock_store import RedisLockStore
    assert issubclass(class_from_module_path(endpoints.lock_store.type), RedisLockStore)
    assert endpoints.action.url == "http://action-server:5055/webhook"
    assert set(endpoints.action.headers) == {"X-Action-Token"}


# --------------------------------------------------------------------------- Dockerfile

def dockerfile_instructions() -> List[tuple]:
    """(INSTRUCTION, arguments) with continuation lines joined, comments dropped."""
    instructions, current = [], ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if current and stripped.startswith("#"):
            continue
        current += " " + stripped.rstrip("\\").strip() if current else stripped.rstrip("\\")
        if not stripped.endswith("\\"):
            keyword, _, rest = current.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
            current = ""
    assert not current, "unterminated continuation line"
    return instructions


def pip_installs(text: str) -> List[List[str]]:
    """Every `pip install ...` command (arguments after `install`) in ``text``; in the Makefile
    a command may be the argument of a `$(call ...)`, whose closing parenthesis ends it."""
    commands = []
    for match in re.finditer(r"pip install ([^&\n)]+)", text):
        args = [a for a in shlex.split(match.group(1).replace("\\", " "))
                if a not in ("--quiet", "-q")]
        commands.append(args)
    return commands


def test_dockerfile_parses_and_uses_python_311_with_workdir_app():
    instructions = dockerfile_instructions()
    keywords = {k for k, _ in instructions}
    assert keywords <= {"FROM", "WORKDIR", "COPY", "RUN", "ENV", "USER", "EXPOSE",
                        "ENTRYPOINT", "CMD", "ARG", "LABEL"}
    final_stage = [args for k, args in instructions if k == "FROM"][-1]
    assert final_stage.startswith("python:3.11")
    # Rasa's Helm chart mounts /app/endpoints.yml and /app/credentials.yml.
    assert ("WORKDIR", "/app") in instructions


def test_dockerfile_installs_like_the_makefile():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    run_lines = " && ".join(args for k, args in dockerfile_instructions() if k == "RUN")
    # The development tools (requirements-dev.txt) stay out of the image.
    make_installs = [c for c in pip_installs(makefile)
                     if "--upgrade" not in c and "requirements-dev.txt" not in c]
    docker_installs = [c for c in pip_installs(run_lines) if "--upgrade" not in c]
    assert make_installs == docker_installs
    assert ["--no-deps", "--ignore-requires-python"] == make_installs[0][:2]
    assert make_installs[1] == ["-r", "requirements.txt", "-c", "constraints.txt"]


def test_dockerfile_exposes_both_ports_and_runs_rasa_with_the_endpoints_file():
    instructions = dockerfile_instructions()
    exposed = {p for k, args in instructions if k == "EXPOSE" for p in args.split()}
    assert exposed == {str(RASA_PORT), str(ACTION_PORT)}
    import json
    entrypoint = json.loads([a for k, a in instructions if k == "ENTRYPOINT"][-1])
    cmd = json.loads([a for k, a in instructions if k == "CMD"][-1])
    assert entrypoint == ["python", "-m", "runtime.rasa_server"]
    assert "deploy/endpoints.postgres-redis.yml" in cmd and str(RASA_PORT) in cmd
    env = " ".join(a for k, a in instructions if k == "ENV")
    assert "RASA_TELEMETRY_ENABLED=false" in env
    runs = " ".join(a for k, a in instructions if k == "RUN")
    assert "rasa train --fixed-model-name passordhjelp --out models" in runs
    assert "npm ci" in runs
    assert any(k == "USER" and a != "root" and a != "0" for k, a in instructions)


def test_the_image_defaults_to_production_and_its_channels():
    """Development (REST with unverified sender ids) has to be asked for."""
    import json
    instructions = dockerfile_instructions()
    env = dict(item.split("=", 1) for k, args in instructions if k == "ENV"
               for item in shlex.split(args))
    assert env["PASSORDHJELP_ENV"] == "production"
    assert env["PASSORDHJELP_CREDENTIALS"] == "deploy/credentials.production.yml"
    cmd = json.loads([a for k, a in instructions if k == "CMD"][-1])
    options = dict(zip(cmd, cmd[1:]))
    assert (PROJECT_ROOT / options["--credentials"]).resolve() == CREDENTIALS
    assert not any(name.startswith("channels.rest") for name in load(CREDENTIALS))


def test_dockerignore_keeps_what_the_image_needs():
    ignored = {line.strip().rstrip("/") for line in DOCKERIGNORE.read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    needed = {"actions", "channels", "components", "data", "deploy", "passordhjelp",
              "runtime", "web", "config.yml", "domain.yml", "credentials.yml",
              "requirements.txt", "constraints.txt"}
    assert not needed & ignored
    assert {".venv", "models", "var", ".git"} <= ignored


# --------------------------------------------------------------------------- Helm

@pytest.fixture(scope="module")
def helm() -> Dict:
    return load(HELM_VALUES)


@pytest.fixture(scope="module")
def helm_actions() -> Dict:
    return load(HELM_ACTION_VALUES)


def extra_env(values: Dict) -> Dict[str, Dict]:
    return {item["name"]: item for item in values.get("extraEnv", [])}


def without_enabled(section: Dict) -> Dict:
    return {k: v for k, v in section.items() if k != "enabled"}


def normalised(section: Dict) -> Dict:
    return {k: (v.lower() if k == "type" and isinstance(v, str) and "." not in v else v)
            for k, v in section.items()}


def test_helm_endpoints_are_the_endpoints_file(helm):
    endpoints_file = load(ENDPOINTS)
    endpoints = helm["applicationSettings"]["endpoints"]
    assert endpoints["trackerStore"]["enabled"] and endpoints["lockStore"]["enabled"]
    assert normalised(without_enabled(endpoints["trackerStore"])) == \
        normalised(endpoints_file["tracker_store"])
    assert normalised(without_enabled(endpoints["lockStore"])) == \
        normalised(endpoints_file["lock_store"])
    assert endpoints["additionalEndpoints"]["action_endpoint"] == endpoints_file["action_endpoint"]
    # The chart would render its own, header-less action_endpoint next to ours.
    assert helm["rasa-action-server"]["install"] is False
    assert helm["rasa-action-server"]["external"]["enabled"] is False


def test_helm_sets_every_variable_its_endpoints_reference(helm):
    used = referenced(helm["applicationSettings"]["endpoints"])
    assert used == endpoint_variables()
    assert not used - set(extra_env(helm))


def test_helm_sets_only_variables_the_code_reads(helm, helm_actions):
    for values in (helm, helm_actions):
        unknown = set(extra_env(values)) - known_variables()
        assert not unknown, unknown


def test_helm_and_compose_configure_rasa_with_the_same_variables(helm, services):
    compose_names = set(environment(services["rasa"]))
    helm_names = set(extra_env(helm)) | {"RASA_TELEMETRY_ENABLED"}   # the chart sets it
    assert endpoint_variables() <= compose_names & helm_names
    assert {"DATABASE_URL", "PASSORDHJELP_ENV", "RATE_LIMIT_STORAGE_URL",
            "CHANNEL_STATE_URL"} <= compose_names & helm_names


def test_helm_rasa_image_ports_and_channels(helm):
    settings = helm["applicationSettings"]
    assert helm["image"]["repository"] and helm["image"]["tag"]
    assert settings["port"] == RASA_PORT and helm["service"]["port"] == RASA_PORT
    assert settings["enableAPI"] is True
    assert settings["telemetry"]["enabled"] is False
    assert settings["initialModel"] == "" and settings["trainInitialModel"] is False
    channels = settings["credentials"]["additionalChannelCredentials"]
    assert channels == load(CREDENTIALS)
    assert not any(name.startswith("channels.rest") for name in channels)
    assert helm["postgresql"]["install"] is False and helm["redis"]["install"] is False
    assert extra_env(helm)["PASSORDHJELP_ENV"]["value"] == "production"


# What RasaHQ's `rasa` chart (templates/deployment.yaml, secret.yaml,
# _containers-env.yaml) gives the Rasa container when `args` is not set, and the
# secrets behind the variables it references: "UNSET" unless set in the values.
CHART_DEFAULT_ARGS = ["run", "--port", "5005", "--cors", "", "--jwt-method", "HS256",
                      "--jwt-secret", "$(JWT_SECRET)", "--auth-token", "$(RASA_TOKEN)"]
# Paths of Rasa's own HTTP API (rasa/server.py); none may be reachable from outside.
RASA_API_PATHS = ["/", "/version", "/status", "/conversations/x/tracker",
                  "/conversations/x/execute", "/model", "/model/parse", "/domain"]


def chart_container(values: Dict) -> tuple:
    """The Rasa container's arguments and environment as the chart renders them."""
    settings = values.get("applicationSettings", {})
    env: Dict[str, object] = {
        "RASA_TOKEN": settings.get("token") or "UNSET",
        "JWT_SECRET": (settings.get("rasaX") or {}).get("jwtSecret") or "UNSET"}
    for item in values.get("extraEnv", []):
        env[item["name"]] = item.get("value", item.get("valueFrom"))
    return list(values.get("args") or CHART_DEFAULT_ARGS), env


def test_helm_api_takes_no_known_or_placeholder_secret(helm):
    """The chart's defaults let anyone sign an admin token with the secret "UNSET"."""
    args, env = chart_container(helm)
    resolved = [re.sub(r"\$\(([A-Z_]+)\)", lambda m: str(env.get(m.group(1))), a)
                for a in args]
    assert "UNSET" not in resolved
    assert "--auth-token" not in args          # a token in URLs; none at all
    options = dict(zip(args, args[1:]))
    assert args[0] == "run" and "--enable-api" in args
    assert options["--jwt-method"] == "HS256"
    # The API's secret comes from our Kubernetes secret, required at install.
    secret = env[re.fullmatch(r"\$\(([A-Z_]+)\)", options["--jwt-secret"]).group(1)]
    assert secret == {"secretKeyRef": {"name": "passordhjelp-secrets", "key": "rasa-api-token"}}
    assert "token" not in helm["applicationSettings"]
    assert "rasaX" not in helm["applicationSettings"] or \
        not helm["applicationSettings"]["rasaX"].get("jwtSecret")
    assert options["--port"] == str(RASA_PORT)
    assert "--debug" not in args               # debug logs print message texts


def test_helm_api_secret_is_the_one_the_action_server_signs_with(helm, helm_actions):
    assert extra_env(helm)["RASA_API_TOKEN"]["valueFrom"] == \
        extra_env(helm_actions)["RASA_API_TOKEN"]["valueFrom"]


# Settings both processes read: Rasa runs the request form's checks (and the offer while
# self-service is off) in its own process, the action server the rest of the flow.
SHARED_FLOW_SETTINGS = ("PASSORDHJELP_SELF_SERVICE_RESET", "PASSORDHJELP_CONFIRM_MIN_CONFIDENCE")


def test_helm_sets_the_flow_settings_alike_on_rasa_and_the_action_server(helm, helm_actions):
    for name in SHARED_FLOW_SETTINGS:
        assert name in extra_env(helm) and extra_env(helm)[name] == extra_env(helm_actions)[name]


def test_helm_ingress_routes_only_the_chat_channels(helm):
    ingress = helm["ingress"]
    paths = [ingress["path"]] + [p["path"] for p in ingress.get("extraPaths", [])]
    assert "/" not in paths and all(p.endswith("/") for p in paths)
    assert set(paths) == {"/webhooks/socketio/", "/socket.io/", "/webhooks/slack/",
                          "/webhooks/botframework/"}
    for api_path in RASA_API_PATHS:
        assert not any(api_path.startswith(p) for p in paths), api_path
    for extra in ingress["extraPaths"]:
        assert extra["backend"] == {"service": {"name": helm["fullnameOverride"],
                                                "port": {"name": "http"}}}
    assert load(HELM_ACTION_VALUES)["ingress"]["enabled"] is False


def test_helm_action_server_matches_the_action_endpoint(helm, helm_actions):
    url = urlsplit(extra_env(helm)["ACTION_ENDPOINT_URL"]["value"])
    assert (url.hostname, url.port, url.path) == (
        helm_actions["fullnameOverride"], ACTION_PORT, "/webhook")
    assert helm_actions["applicationSettings"]["port"] == ACTION_PORT
    assert helm_actions["service"]["port"] == ACTION_PORT
    assert helm_actions["command"] == ["python", "-m", "runtime.action_server"]
    args = dict(zip(helm_actions["args"], helm_actions["args"][1:]))
    assert args["--port"] == str(ACTION_PORT)
    assert helm_actions["image"] == helm["image"]
    env = extra_env(helm_actions)
    assert {"DATABASE_URL", "ACTION_SERVER_TOKEN", "RASA_API_TOKEN"} <= set(env)
    for name in ("DATABASE_URL", "ACTION_SERVER_TOKEN"):
        assert env[name]["valueFrom"] == extra_env(helm)[name]["valueFrom"], name
    rasa_url = urlsplit(env["RASA_URL"]["value"])
    assert (rasa_url.hostname, rasa_url.port) == (helm["fullnameOverride"], RASA_PORT)


def test_every_server_is_restarted_and_probed_on_its_health_endpoint(services, helm,
                                                                     helm_actions):
    """Compose restarts a process that exits; Kubernetes also one that stops answering."""
    for name, path in (("rasa", "/"), ("action-server", "/health")):
        service = services[name]
        assert service["restart"] == "unless-stopped", name
        port = RASA_PORT if name == "rasa" else ACTION_PORT
        assert f"http://localhost:{port}{path}'" in " ".join(service["healthcheck"]["test"])
    assert services["rasa"]["depends_on"]["action-server"]["condition"] == "service_healthy"
    for values, path in ((helm, "/"), (helm_actions, "/health")):
        for probe in ("livenessProbe", "readinessProbe"):
            assert values[probe]["httpGet"]["path"] == path
            assert values[probe]["periodSeconds"] * values[probe]["failureThreshold"] <= 30
