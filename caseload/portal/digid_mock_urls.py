"""The library's mock DigiD (django-digid-eherkenning) at /digid-mock/, answering only with
``DIGID_MODE`` "mock" (development, demo, tests; else 404): it stands in for DigiD's own site, where
the person chooses "Met burgerservicenummer" and types a BSN, and sends them back to our
``digid:acs``."""

from __future__ import annotations

import functools
from typing import Any

from digid_eherkenning.mock.idp.views.digid import DigiDMockIDPBSNLoginView, DigiDMockIDPLoginView
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest
from django.urls import URLPattern, path
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override


def _mock_page(view: Any) -> Any:
    """The mock DigiD's own pages (DigiD's look, with inline styles): a looser style policy
    than ours, on these development-only pages alone."""
    policy: Any = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}
    styled = csp_override(policy)(view)

    @functools.wraps(view)
    def only_in_mock_mode(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if settings.DIGID_MODE != "mock":
            raise Http404
        return styled(request, *args, **kwargs)

    return login_not_required(never_cache(only_in_mock_mode))


app_name = "digid-mock"

urlpatterns: list[URLPattern] = [
    path("inloggen/", _mock_page(DigiDMockIDPLoginView.as_view()), name="login"),
    path("inloggen_bsn/", _mock_page(DigiDMockIDPBSNLoginView.as_view()), name="bsn"),
]
