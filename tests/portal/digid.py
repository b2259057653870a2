"""Signing in to the portal through the DigiD identity-provider flow, as a person would:
the portal's sign-in page, "Inloggen met DigiD", the mock DigiD's own pages (choose
"Inloggen" with a BSN, type the BSN) and back to our ACS. Nothing is patched.

``digid_sign_in(http, bsn)`` runs it with Django's test client and returns the last
response (after every redirect); ``digid_browser(bsn)`` gives a fresh browser signed in.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from django.test import Client as HttpClient
from django.urls import reverse

_HREF = re.compile(r"href=['\"]([^'\"]*inloggen_bsn[^'\"]*)['\"]")


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def digid_sign_in(http: HttpClient, bsn: str, *, next_url: str = "") -> object:
    """Run the mock DigiD flow for ``bsn`` in ``http``; the last response after redirects."""
    login_page = http.get(reverse("portal:login") + (f"?next={next_url}" if next_url else ""))
    assert login_page.status_code == 200
    start = re.search(r'href="(/mijn/digid/login/[^"]*)"', login_page.content.decode())
    assert start is not None, "no 'Inloggen met DigiD' link on the sign-in page"
    idp = http.get(html.unescape(start.group(1)))
    assert idp.status_code == 302 and "/digid-mock/inloggen/" in idp["Location"]
    choice = http.get(_path(idp["Location"]))
    assert choice.status_code == 200
    bsn_link = _HREF.search(choice.content.decode())
    assert bsn_link is not None, "the mock DigiD shows no BSN sign-in"
    bsn_url = html.unescape(bsn_link.group(1))
    assert http.get(bsn_url).status_code == 200
    back = http.post(bsn_url, {"auth_bsn": bsn})
    assert back.status_code == 302, back.content.decode()[:500]
    return http.get(_path(back["Location"]), follow=True)


def digid_browser(bsn: str, *, next_url: str = "") -> HttpClient:
    """A new browser signed in to the portal by DigiD with ``bsn`` (one account)."""
    http = HttpClient(REMOTE_ADDR="127.0.0.1")
    response = digid_sign_in(http, bsn, next_url=next_url)
    assert response.status_code == 200
    return http
