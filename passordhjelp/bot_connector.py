"""The Bot Connector (Teams) from our side: tokens from MSAL, and who a member is.

Used by the Teams channel for replies and by the helpdesk to show a Teams requester's user
principal name and e-mail (``GET /v3/conversations/{id}/members/{userId}``).
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

    def __init__(self, app_id: str, app_password: str, *, authority: str,
                 timeout: float = 15.0) -> None:
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
                        self._app_id, client_credential=self._app_password,
                        authority=self.authority, instance_discovery=False,
                        timeout=self._timeout)
                except (ValueError, requests.RequestException) as error:
                    raise ConnectionError(f"the authority {self.authority} can't be used: "
                                          f"{type(error).__name__}") from None
            if renew:
                self._msal.remove_tokens_for_client()
            grant = self._msal.acquire_token_for_client(scopes=[BOT_FRAMEWORK_SCOPE])
        if "access_token" not in grant:
            raise ConnectionError(f"no Bot Connector token: {grant.get('error', 'unknown')}")
        return grant["access_token"]


def member_profile(token: BotConnectorToken, reply_to: Dict[str, Any], *,
                   timeout: float = 10.0) -> Tuple[Optional[str], Optional[str]]:
    """(name, e-mail or user principal name) of the user in a stored conversation reference."""
    service_url = str(reply_to.get("serviceUrl") or "").rstrip("/")
    conversation = str((reply_to.get("conversation") or {}).get("id") or "")
    user = str((reply_to.get("from") or {}).get("id") or "")
    if not (service_url and conversation and user):
        return None, None
    answer = requests.get(
        f"{service_url}/v3/conversations/{quote(conversation, safe='')}/members/"
        f"{quote(user, safe='')}", headers={"Authorization": f"Bearer {token.get()}"},
        timeout=timeout)
    answer.raise_for_status()
    member = answer.json()
    email = member.get("email") or member.get("userPrincipalName")
    return member.get("name") or None, email if isinstance(email, str) and "@" in email else None
