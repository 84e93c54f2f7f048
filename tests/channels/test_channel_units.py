"""Slack and Teams channel pieces without servers: configuration, text, identities, retries."""

from __future__ import annotations

import json
import os
import subprocess
from types import SimpleNamespace

import pytest
from rasa.shared.core.events import UserUttered
from slack_sdk.web.async_client import AsyncWebClient

from channels.common import ChannelConfigError, RecentKeys
from channels.guard import TryAgain
from channels.slack import (GuardedSlackInput, Profile, Profiles, delivery_from, plain_text,
                            to_mrkdwn)
from channels.teams import GuardedBotFrameworkInput, Refused, activity_tenant, activity_text
from passordhjelp.config import PROJECT_ROOT, ConfigError
from runtime.launcher import MODEL, RASA, free_port

SLACK_ENV = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "a" * 32}
TENANT = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
TEAMS_ENV = {"TEAMS_APP_ID": "2f0c8e0a-5d1e-4a57-9a0e-6f1d2b3c4d5e",
             "TEAMS_APP_PASSWORD": "secret~value", "TEAMS_TENANT_ID": TENANT}
CHANNEL_VARIABLES = [*SLACK_ENV, "SLACK_API_URL", "SLACK_TEAM_IDS", "PASSORDHJELP_ENV",
                     *TEAMS_ENV, "TEAMS_OPENID_METADATA_URL", "TEAMS_AUTHORITY"]


@pytest.fixture
def env(monkeypatch):
    for name in CHANNEL_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def set_env(values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
    return set_env


# -- configuration -------------------------------------------------------------------------

def test_channels_are_configured_from_the_environment_with_defaults(env):
    env({**SLACK_ENV, **TEAMS_ENV})
    slack = GuardedSlackInput.from_credentials(None)
    teams = GuardedBotFrameworkInput.from_credentials({})  # no network at start-up

    assert (slack.slack_token, slack.api_url) == ("xoxb-1-2-abc", "https://slack.com/api/")
    assert slack.use_threads and slack.conversation_granularity == "sender"
    assert teams.openid_metadata_url == \
        "https://login.botframework.com/v1/.well-known/openidconfiguration"
    assert teams.authority == f"https://login.microsoftonline.com/{TENANT}"
    assert teams.jwt_keys == {}


def test_channel_values_in_credentials_yml_are_checked_like_the_variables(env):
    env(SLACK_ENV)
    slack = GuardedSlackInput.from_credentials({"slack_api_url": "http://127.0.0.1:9/api"})
    assert slack.api_url == "http://127.0.0.1:9/api/"
    with pytest.raises(ChannelConfigError, match="SLACK_BOT_TOKEN"):
        GuardedSlackInput.from_credentials({"slack_token": "xoxp-user-token"})
    with pytest.raises(ChannelConfigError, match="does not take use_threads"):
        GuardedSlackInput.from_credentials({"use_threads": False})


@pytest.mark.parametrize("values, variable", [
    ({"SLACK_SIGNING_SECRET": "a" * 32}, "SLACK_BOT_TOKEN must be set"),
    ({"SLACK_BOT_TOKEN": "xoxb-1-2-abc"}, "SLACK_SIGNING_SECRET must be set"),
    ({**SLACK_ENV, "SLACK_BOT_TOKEN": "xoxp-1-2-abc"}, "SLACK_BOT_TOKEN .*xoxb-"),
    ({**SLACK_ENV, "SLACK_SIGNING_SECRET": "not-the-secret"}, "SLACK_SIGNING_SECRET must be"),
    ({**SLACK_ENV, "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL must be an http"),
])
def test_slack_configuration_errors_name_the_variable(env, values, variable):
    env(values)
    with pytest.raises(ConfigError, match=variable) as error:
        GuardedSlackInput.from_credentials(None)
    assert "xoxp-1-2-abc" not in str(error.value)  # secrets are never echoed


def test_slack_team_ids_are_required_in_production(env):
    env({**SLACK_ENV, "PASSORDHJELP_ENV": "production"})
    with pytest.raises(ChannelConfigError, match="SLACK_TEAM_IDS must be set in production"):
        GuardedSlackInput.from_credentials(None)
    env({"SLACK_TEAM_IDS": "T0ACME, E0ACMEORG"})
    assert GuardedSlackInput.from_credentials(None).team_ids == {"T0ACME", "E0ACMEORG"}
    env({"SLACK_TEAM_IDS": "T0ACME,acme.slack.com"})
    with pytest.raises(ConfigError, match="SLACK_TEAM_IDS must be Slack team ids"):
        GuardedSlackInput.from_credentials(None)


@pytest.mark.parametrize("values, variable", [
    ({k: v for k, v in TEAMS_ENV.items() if k != "TEAMS_APP_ID"}, "TEAMS_APP_ID must be set"),
    ({**TEAMS_ENV, "TEAMS_APP_ID": "passordhjelp-bot"}, "TEAMS_APP_ID must be .* GUID"),
    ({k: v for k, v in TEAMS_ENV.items() if k != "TEAMS_APP_PASSWORD"},
     "TEAMS_APP_PASSWORD must be set"),
    ({k: v for k, v in TEAMS_ENV.items() if k != "TEAMS_TENANT_ID"}, "TEAMS_TENANT_ID must be set"),
    ({**TEAMS_ENV, "TEAMS_TENANT_ID": "contoso.onmicrosoft.com"}, "TEAMS_TENANT_ID must be"),
    ({**TEAMS_ENV, "TEAMS_AUTHORITY": "login.microsoftonline.com"}, "TEAMS_AUTHORITY must be"),
    ({**TEAMS_ENV, "TEAMS_OPENID_METADATA_URL": "ftp://x"}, "TEAMS_OPENID_METADATA_URL must be"),
])
def test_teams_configuration_errors_name_the_variable(env, values, variable):
    env(values)
    with pytest.raises(ConfigError, match=variable):
        GuardedBotFrameworkInput.from_credentials(None)


@pytest.mark.slow
def test_rasa_run_stops_with_the_variable_named_and_no_stack_trace(tmp_path):
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("channels.slack.GuardedSlackInput:\n", encoding="utf-8")
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text('action_endpoint:\n  url: "http://127.0.0.1:9/webhook"\n',
                         encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in CHANNEL_VARIABLES}
    result = subprocess.run(
        [RASA, "run", "--credentials", str(credentials),
         "--endpoints", str(endpoints), "--port", "0", "--model", str(MODEL)],
        cwd=PROJECT_ROOT, env={**env, "RASA_TELEMETRY_ENABLED": "false"}, capture_output=True,
        text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "ChannelConfigError: SLACK_BOT_TOKEN must be set" in output
    assert "Traceback" not in output


# -- Slack text ----------------------------------------------------------------------------

@pytest.mark.parametrize("raw, plain", [
    ("<@U0BOT> I forgot my password", "I forgot my password"),
    ("<@U0BOT|passordhjelp> jeg har glemt passordet mitt", "jeg har glemt passordet mitt"),
    ("hei <@U0BOT>, glemt passord", "hei , glemt passord"),
    ("<@U0BOT> reset <@U0BOB>'s password", "reset Person's password"),
    ("<@U0BOT> passordet til <@W0KARI>", "passordet til Person"),
    ("<!here> <#C0IT|it-help> see <https://aka.ms/sspr|the portal>", "#it-help see the portal"),
    ("mail <mailto:it@firma.no|it@firma.no> &lt;now&gt; &amp; then",
     "mail it@firma.no <now> & then"),
])
def test_slack_markup_and_mentions_become_plain_text(raw, plain):
    assert plain_text(raw, {"U0BOT"}) == plain


def test_slack_replies_use_mrkdwn_and_escape_what_slack_asks():
    assert to_mrkdwn("**Users** > **Active users** & [Reset](https://x.example/a)") == \
        "*Users* &gt; *Active users* &amp; <https://x.example/a|Reset>"


def event_body(event, team_id="T0ACME"):
    return {"type": "event_callback", "team_id": team_id, "event": event}


@pytest.mark.parametrize("event, sender, thread", [
    ({"user": "U0KARI", "channel": "C0IT", "ts": "1.1"}, "T0ACME:U0KARI", "1.1"),
    ({"user": "U0KARI", "channel": "C0IT", "ts": "1.2", "thread_ts": "1.0"},
     "T0ACME:U0KARI", "1.0"),
    ({"user": "U0KARI", "channel": "D0KARI", "ts": "1.3"}, "T0ACME:U0KARI", None),
    ({"user": "U0KARI", "channel": "C0IT", "ts": "1.4", "user_team": "T0GUEST"},
     "T0GUEST:U0KARI", "1.4"),  # Slack Connect: the user's own workspace
    ({"user": "ceo", "channel": "C0IT", "ts": "1.5"}, None, None),
    ({"channel": "C0IT", "ts": "1.6"}, None, None),
])
def test_slack_identity_is_team_and_user_and_threads_only_outside_dms(event, sender, thread):
    delivery = delivery_from(event_body(event), interactive=False)
    if sender is None:
        assert delivery is None
    else:
        assert (delivery.sender_id, delivery.thread_ts) == (sender, thread)


# -- Slack retries handled by another server -----------------------------------------------

def slack_request(*, retry: bool, tracker_message_ids=()):
    tracker = SimpleNamespace(events=[UserUttered("hello", message_id=m)
                                      for m in tracker_message_ids])

    async def retrieve(sender_id):
        assert sender_id == "T0ACME:U0KARI"
        return tracker

    body = {"type": "event_callback", "team_id": "T0ACME", "authorizations": [
        {"user_id": "U0BOT"}], "event": {"type": "message", "channel_type": "im",
                                         "channel": "D0KARI", "user": "U0KARI",
                                         "text": "<@U0BOT> hello", "ts": "1700000000.000100"}}
    headers = {"content-type": "application/json"}
    if retry:
        headers.update({"x-slack-retry-num": "1", "x-slack-retry-reason": "http_error"})
    agent = SimpleNamespace(tracker_store=SimpleNamespace(retrieve=retrieve))
    return SimpleNamespace(headers=headers, app=SimpleNamespace(ctx=SimpleNamespace(agent=agent))
                           ), {"body": body, "interactive": False}


def slack_input() -> GuardedSlackInput:
    """The Slack channel with its Web API at a local port nothing listens on: the chatter's
    profile (users.info) can't be looked up, and messages go on without it."""
    return GuardedSlackInput("xoxb-1-2-abc", "a" * 32, api_url=f"http://127.0.0.1:{free_port()}/")


async def test_slack_profile_lookup_failure_is_an_unknown_profile_not_kept():
    profiles = Profiles(AsyncWebClient(token="xoxb-1-2-abc",
                                       base_url=f"http://127.0.0.1:{free_port()}/"),
                        language="nb")

    assert await profiles.of("U0KARI") == Profile(None, None, "nb")


@pytest.mark.parametrize("answered_elsewhere", [True, False])
async def test_slack_retry_is_answered_only_if_no_server_has_answered_it(answered_elsewhere):
    channel = slack_input()
    received = []

    async def on_new_message(message):
        received.append(message)

    request, parsed = slack_request(retry=True, tracker_message_ids=[
        "D0KARI:1700000000.000100"] if answered_elsewhere else [])
    answer = await channel.process_message(request, on_new_message, "", None, parsed)
    again = await channel.process_message(request, on_new_message, "", None, parsed)
    for task in list(channel._background_tasks):
        await task

    assert again.headers.get("X-Slack-No-Retry") == "1"
    if answered_elsewhere:
        assert answer.headers.get("X-Slack-No-Retry") == "1" and received == []
    else:
        [message] = received
        assert (message.text, message.sender_id, message.input_channel, message.message_id) == (
            "hello", "T0ACME:U0KARI", "slack", "D0KARI:1700000000.000100")
        assert message.output_channel.thread_id is None  # a DM: no thread


async def test_slack_message_not_handled_is_answered_503_and_taken_again():
    """The conversation store was down: Slack gets 503 (it will retry), the retry is handled."""
    channel = slack_input()
    handled = []

    async def on_new_message(message):
        if not handled:
            handled.append("failed")
            raise TryAgain("try again")
        handled.append(message.text)

    request, parsed = slack_request(retry=False)
    first = await channel.process_message(request, on_new_message, "", None, parsed)
    retry, parsed = slack_request(retry=True)
    again = await channel.process_message(retry, on_new_message, "", None, parsed)
    for task in list(channel._background_tasks):
        await task

    assert first.status == 503 and "X-Slack-No-Retry" not in first.headers
    assert again.status == 200 and handled == ["failed", "hello"]


async def test_slack_retry_is_deferred_when_the_tracker_cannot_be_read():
    channel = slack_input()
    request, parsed = slack_request(retry=True)

    async def unreadable(sender_id):
        raise ConnectionError("database down")

    request.app.ctx.agent.tracker_store.retrieve = unreadable
    received = []

    async def on_new_message(message):
        received.append(message)

    answer = await channel.process_message(request, on_new_message, "", None, parsed)
    assert answer.status == 503 and received == []


async def test_recent_keys_forget_after_their_time():
    now = [0.0]
    keys = RecentKeys(ttl=10, clock=lambda: now[0])
    assert await keys.add("a") and not await keys.add("a")
    now[0] = 11
    assert await keys.add("a")


# -- Teams text and tenant -----------------------------------------------------------------

BOT = {"id": "28:bot", "name": "Passordhjelp"}


@pytest.mark.parametrize("activity, text", [
    ({"text": "<at>Passordhjelp</at> I forgot my password", "recipient": BOT,
      "entities": [{"type": "mention", "text": "<at>Passordhjelp</at>", "mentioned": BOT}]},
     "I forgot my password"),
    ({"text": "<at>Passordhjelp</at>&nbsp;glemt passord", "recipient": BOT}, "glemt passord"),
    ({"text": "<at>Passordhjelp</at> reset <at>Kari Nordmann</at>'s password", "recipient": BOT,
      "entities": [{"type": "mention", "text": "<at>Passordhjelp</at>", "mentioned": BOT},
                   {"type": "mention", "text": "<at>Kari Nordmann</at>",
                    "mentioned": {"id": "29:kari"}}]}, "reset Kari Nordmann's password"),
    ({"value": {"payload": "/affirm"}, "recipient": BOT}, "/affirm"),
    ({"text": "/affirm", "value": {"payload": "/deny"}, "recipient": BOT}, "/deny"),
    ({"value": {"payload": 5}, "recipient": BOT}, ""),
    ({"value": "x", "recipient": BOT}, ""),
])
def test_teams_mentions_are_removed_and_button_values_become_payloads(activity, text):
    assert activity_text(activity) == text


def test_channel_text_longer_than_the_limit_is_left_for_the_guard_to_refuse():
    long_text = "<at>Passordhjelp</at> " + "<@U1|x> " * 300
    assert activity_text({"text": long_text, "recipient": BOT}, max_length=100) == long_text
    assert plain_text(long_text, max_length=100) == long_text
    assert plain_text("<@U1|kari> hi", max_length=100) == "Person hi"


@pytest.mark.parametrize("activity, tenant", [
    ({"conversation": {"tenantId": TENANT.upper()}, "channelData": {"tenant": {"id": TENANT}}},
     TENANT),
    ({"conversation": {"tenantId": TENANT}}, TENANT),
    ({"conversation": {"tenantId": TENANT}, "channelData": {"tenant": {"id": "other"}}}, None),
    ({"conversation": {}}, None),
])
def test_teams_activity_tenant_must_be_one_and_unambiguous(activity, tenant):
    assert activity_tenant(activity) == tenant


SERVICE_URL = "https://smba.trafficmanager.net/emea/"
SHARED_KEY = {"kid": "k", "endorsements": ["msteams", "webchat", "directline", "emulator"]}


@pytest.mark.parametrize("channel_id", ["webchat", "directline", "emulator", None, "MSTEAMS"])
@pytest.mark.parametrize("key", [SHARED_KEY, {"kid": "k"}], ids=["endorsed", "no endorsements"])
def test_teams_activities_from_other_bot_framework_channels_are_refused(env, channel_id, key):
    """A Direct Line or Web Chat client controls ``from`` and ``channelData``: only Teams
    (whose tenant and Entra object id Microsoft fills in) may name the requester."""
    env(TEAMS_ENV)
    teams = GuardedBotFrameworkInput.from_credentials(None)
    activity = {"channelId": channel_id, "serviceUrl": SERVICE_URL,
                "conversation": {"tenantId": TENANT}, "channelData": {"tenant": {"id": TENANT}},
                "from": {"id": "dl_x", "aadObjectId": "00000000-0000-0000-0000-000000000001"}}
    with pytest.raises(Refused) as refused:
        teams.check_activity(activity, {"serviceurl": SERVICE_URL}, key)
    assert refused.value.status in (401, 403)
    assert teams.check_activity({**activity, "channelId": "msteams"},
                                {"serviceurl": SERVICE_URL}, key) == TENANT


# -- Teams app manifest --------------------------------------------------------------------

def test_teams_manifest_template_has_a_bot_for_personal_and_team_scope():
    text = (PROJECT_ROOT / "deploy" / "teams" / "manifest.template.json").read_text("utf-8")
    manifest = json.loads(text.replace("{{TEAMS_APP_ID}}", TEAMS_ENV["TEAMS_APP_ID"])
                          .replace("{{HOST}}", "bot.example.com"))
    [bot] = manifest["bots"]
    assert manifest["id"] == bot["botId"] == TEAMS_ENV["TEAMS_APP_ID"]
    assert set(bot["scopes"]) == {"personal", "team"}
    assert "{{" not in json.dumps(manifest)
