"""DigiD's URLs for the portal (django-digid-eherkenning), named as the library expects.

``digid:login`` starts the flow: the library's SAML request to DigiD, or (``DIGID_MODE``
"mock") its redirect to the mock identity provider ``digid-mock:*``, where a BSN is typed.
``digid:acs`` is ours: it maps the BSN to a portal account and calls ``portal_login``
(the library's own ACS would log a Django user in, which portal sessions never carry).
Mounted under /mijn/digid/ (the portal cookie's path); the mock provider, standing in for
DigiD's own site, under /digid-mock/.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override

from caseload.portal import views_sign_in


@login_not_required
@never_cache
def digid_login(request: HttpRequest) -> HttpResponse:
    """Start DigiD: a SAML AuthnRequest posted to DigiD, or the mock provider's page."""
    if settings.DIGID_MODE == "mock":
        from digid_eherkenning.mock.views.digid import DigiDLoginMockView

        return DigiDLoginMockView.as_view()(request)
    from digid_eherkenning.views.digid import DigiDLoginView

    return DigiDLoginView.as_view()(request)


digid_patterns: tuple[list[URLPattern], str] = (
    [
        path("login/", digid_login, name="login"),
        path("acs/", views_sign_in.digid_acs, name="acs"),
    ],
    "digid",
)


def _mock_page(view: Any) -> Any:
    """The mock DigiD's own pages (DigiD's look, with inline styles): a looser style policy
    than ours, on these development-only pages alone."""
    policy = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}
    return login_not_required(never_cache(csp_override(policy)(view)))


def mock_idp_patterns() -> tuple[list[URLPattern], str]:
    """The library's mock DigiD (only with ``DIGID_MODE`` "mock")."""
    from digid_eherkenning.mock.idp.views.digid import (
        DigiDMockIDPBSNLoginView,
        DigiDMockIDPLoginView,
    )

    return (
        [
            path("inloggen/", _mock_page(DigiDMockIDPLoginView.as_view()), name="login"),
            path("inloggen_bsn/", _mock_page(DigiDMockIDPBSNLoginView.as_view()), name="bsn"),
        ],
        "digid-mock",
    )
