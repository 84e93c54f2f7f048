"""The Bot Connector (Teams) from our side: tokens from MSAL, who a member is, and messages
sent and updated outside a turn.

Used by the Teams channel for replies, by the helpdesk to show a Teams requester's user
principal name and e-mail (``GET /v3/conversations/{id}/members/{userId}``), and by the
Teams helpdesk to post its cards (``POST /v3/conversations/{id}/activities``) and keep them
up to date (``PUT /v3/conversations/{id}/activities/{activityId}``).
"""

from __future__ import annotations

import threading
from typing import Any, Dict, Optional, Tuple
from urllib.parse import quote

import msal
import requests

BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"


class BotConnectorToken:
    """Client-credentials tokens for the Bot Connector, cached and renewed by MSAL."""

    def __init__(
        self, app_id: str, app_password: str, *, authority: str, timeout: float = 15.0
    ) -> None:
        self._app_id = app_id
        self._app_password = app_password
        self.authority = authority
        self._timeout = timeout
        self._msal: Optional[msal.ConfidentialClientApplication] = None
        self._lock = threading.Lock()

    def get(self, *, renew: bool = False) -> str:
        """A token (blocking: call it from a thread in async code); ``renew`` after a 401."""
        with self._lock:
            if self._msal is None:
                try:
                    # Built on first use: MSAL reads the authority's OpenID configuration.
                    self._msal = msal.ConfidentialClientApplication(
                        self._app_id,
                        client_credential=self._app_password,
                        authority=self.authority,
                        instance_discovery=False,
                        timeout=self._timeout,
                    )
                except (ValueError, requests.RequestException) as error:
                    raise ConnectionError(
                        f"the authority {self.authority} can't be used: {type(error).__name__}"
                    ) from None
            if renew:
                self._msal.remove_tokens_for_client()
            grant = self._msal.acquire_token_for_client(scopes=[BOT_FRAMEWORK_SCOPE])
        if "access_token" not in grant:
            raise ConnectionError(f"no Bot Connector token: {grant.get('error', 'unknown')}")
        return grant["access_token"]


def conversation_url(service_url: str, conversation_id: str, *parts: str) -> str:
    """``{serviceUrl}/v3/conversations/{id}/...``, every id one encoded path segment (Teams
    ids hold ``:``, ``@`` and ``;``)."""
    return "/".join(
        [service_url.rstrip("/"), "v3", "conversations", quote(conversation_id, safe="")]
        + [quote(p, safe="") for p in parts]
    )


def _call(
    token: BotConnectorToken,
    method: str,
    url: str,
    *,
    timeout: float,
    body: Optional[Dict[str, Any]] = None,
) -> requests.Response:
    """One Bot Connector call with a token; once more with a new token after a 401.

    Raises ``requests.RequestException`` (``HTTPError`` for an answer of 300 or more).
    """
    for renew in (False, True):
        answer = requests.request(
            method,
            url,
            json=body,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token.get(renew=renew)}"},
        )
        if answer.status_code == 401 and not renew:
            continue
        answer.raise_for_status()
        break
    return answer


def send_activity(
    token: BotConnectorToken,
    service_url: str,
    conversation_id: str,
    activity: Dict[str, Any],
    *,
    timeout: float = 10.0,
) -> str:
    """Posts ``activity`` into the conversation (a new thread in a channel); its id."""
    answer = _call(
        token,
        "POST",
        conversation_url(service_url, conversation_id, "activities"),
        body=activity,
        timeout=timeout,
    )
    activity_id = (answer.json() or {}).get("id")
    if not isinstance(activity_id, str) or not activity_id:
        raise ValueError("the Bot Connector answered without the activity's id")
    return activity_id


def update_activity(
    token: BotConnectorToken,
    service_url: str,
    conversation_id: str,
    activity_id: str,
    activity: Dict[str, Any],
    *,
    timeout: float = 10.0,
) -> None:
    """Replaces the activity ``activity_id`` for everyone in the conversation."""
    _call(
        token,
        "PUT",
        conversation_url(service_url, conversation_id, "activities", activity_id),
        body={**activity, "id": activity_id},
        timeout=timeout,
    )


def member(
    token: BotConnectorToken,
    service_url: str,
    conversation_id: str,
    user_id: str,
    *,
    timeout: float = 10.0,
) -> Tuple[Optional[str], Optional[str]]:
    """(name, e-mail or user principal name) of ``user_id`` (``29:...``) in the conversation."""
    answer = _call(
        token,
        "GET",
        conversation_url(service_url, conversation_id, "members", user_id),
        timeout=timeout,
    )
    found = answer.json() or {}
    email = found.get("email") or found.get("userPrincipalName")
    return found.get("name") or None, email if isinstance(email, str) and "@" in email else None


def member_profile(
    token: BotConnectorToken, reply_to: Dict[str, Any], *, timeout: float = 10.0
) -> Tuple[Optional[str], Optional[str]]:
    """(name, e-mail or user principal name) of the user in a stored conversation reference."""
    service_url = str(reply_to.get("serviceUrl") or "").rstrip("/")
    conversation = str((reply_to.get("conversation") or {}).get("id") or "")
    user = str((reply_to.get("from") or {}).get("id") or "")
    if not (service_url and conversation and user):
        return None, None
    return member(token, service_url, conversation, user, timeout=timeout)
