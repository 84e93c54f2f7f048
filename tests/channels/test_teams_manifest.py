"""The Teams app manifest (deploy/teams/): what personal chats and the helpdesk team need."""

from __future__ import annotations

import json
import struct

import yaml

from passordhjelp.config import PROJECT_ROOT

TEAMS = PROJECT_ROOT / "deploy" / "teams"
APP_ID = "2f0c8e0a-5d1e-4a57-9a0e-6f1d2b3c4d5e"


def manifest() -> dict:
    """The template filled in as deploy/teams/README.md does it."""
    text = (TEAMS / "manifest.template.json").read_text(encoding="utf-8")
    return json.loads(
        text.replace("{{TEAMS_APP_ID}}", APP_ID).replace("{{HOST}}", "bot.example.com")
    )


def test_teams_manifest_has_the_bot_in_personal_chats_and_teams():
    app = manifest()
    [bot] = app["bots"]
    assert app["id"] == bot["botId"] == APP_ID
    # "team": the app is added to the helpdesk team, whose channel gets the request cards
    # (the install tells the bot where) and whose admins click them
    assert {"personal", "team"} <= set(bot["scopes"])
    assert bot["isNotificationOnly"] is False
    assert app["validDomains"] == ["bot.example.com"]
    assert "{{" not in json.dumps(app)


def test_teams_manifest_icons_have_the_sizes_teams_requires():
    app = manifest()
    for name, size in ((app["icons"]["color"], 192), (app["icons"]["outline"], 32)):
        header = (TEAMS / name).read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n", name
        assert struct.unpack(">II", header[16:24]) == (size, size), name


def test_teams_helpdesk_settings_reach_both_processes_in_compose_and_helm():
    """Rasa takes the clicks, the action server posts the cards: both need the app and the
    admin ids, or a card row queued by one is never delivered by the other."""
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    needed = {"TEAMS_APP_ID", "TEAMS_APP_PASSWORD", "TEAMS_TENANT_ID", "TEAMS_HELPDESK_ADMIN_IDS"}
    for service in ("rasa", "action-server"):
        assert needed <= set(compose["services"][service]["environment"]), service
    for values in ("values.yml", "action-server-values.yml"):
        helm = yaml.safe_load((PROJECT_ROOT / "deploy" / "helm" / values).read_text("utf-8"))
        assert needed <= {item["name"] for item in helm["extraEnv"]}, values
