"""Signing a portal principal in for tests whose subject is not the sign-in flow itself
(that runs through the identity provider in its own tests): the portal's ``force_login``."""

from __future__ import annotations

import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.test import Client as HttpClient


def portal_browser(account: Any, *, method: str = "digid") -> HttpClient:
    """A browser with a portal session for ``account`` (a ``clients.PortalAccount``)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["portal_account_id"] = account.pk
    store["portal_method"] = method
    store["portal_seen"] = int(time.time())
    store.set_expiry(settings.PORTAL_IDLE_SECONDS)
    store.save()
    http = HttpClient(REMOTE_ADDR="127.0.0.1")
    http.cookies[settings.PORTAL_SESSION_COOKIE_NAME] = store.session_key
    http.cookies[settings.PORTAL_SESSION_COOKIE_NAME]["path"] = "/mijn/"
    return http
