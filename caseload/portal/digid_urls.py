"""DigiD's URLs for the portal (django-digid-eherkenning), named as the library expects.

``digid:login`` starts the flow: the library's SAML request to DigiD, or (``DIGID_MODE``
"mock") its redirect to the mock identity provider ``digid-mock:*``, where a BSN is typed.
``digid:acs`` is ours: it maps the BSN to a portal account and calls ``portal_login``
(the library's own ACS would log a Django user in, which portal sessions never carry).
Mounted under /mijn/digid/ (the portal cookie's path); the mock provider, standing in for
DigiD's own site, under /digid-mock/.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache

from caseload.portal import views_sign_in


@login_not_required
@never_cache
def digid_login(request: HttpRequest) -> HttpResponseBase:
    """Start DigiD: a SAML AuthnRequest posted to DigiD, or the mock provider's page."""
    if settings.DIGID_MODE == "mock":
        from digid_eherkenning.mock.views.digid import DigiDLoginMockView

        return DigiDLoginMockView.as_view()(request)
    from digid_eherkenning.views.digid import DigiDLoginView

    return DigiDLoginView.as_view()(request)


app_name = "digid"

urlpatterns: list[URLPattern] = [
    path("login/", digid_login, name="login"),
    path("acs/", views_sign_in.digid_acs, name="acs"),
]
