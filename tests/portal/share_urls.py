"""The product's URLs plus one portal page guarded by the plan share, so the naaste's
refusal after a withdrawal is tested end to end before the plan page itself exists here."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import path

from clients.constants import PortalShare
from olteams.portal import portal_view
from olteams.urls import urlpatterns as product_urlpatterns

PROBE = "/mijn/proef/plan/"


@portal_view(share=PortalShare.PLAN)
def plan_probe(request: Any, principal: Any, client: Any) -> HttpResponse:
    return HttpResponse(f"Het plan van {client.first_name}")


urlpatterns = [path(PROBE.lstrip("/"), plan_probe), *product_urlpatterns]
