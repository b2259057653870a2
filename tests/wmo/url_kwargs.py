"""URL kwargs of the Wmo routes for the URL-audit walker (tests/olteams/test_url_audit.py).

``pk`` is a request on some routes and a decision on others, so every entry is keyed by URL
name. The request is a concept drafted by ``user`` through the services; the decision grants a
second, submitted request (another product, so the two never overlap) and is made by a
consultant of the client's municipality."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max

from clients.models import Consent
from herstelplan.constants import PlanStatus
from herstelplan.models import Goal, Plan
from tests.factories.olteams import MunicipalityFactory, MunicipalityRoleFactory, UserFactory
from tests.factories.wmo import MunicipalProductFactory, category, wmo_consent
from wmo import services
from wmo.constants import DecisionKind, MessageDirection
from wmo.models import Decision, Indication, IndicationRequest, IwmoMessage

START = dt.date(2026, 3, 9)


def _goal(client: Any, user: Any) -> Goal:
    """A running goal of the client's active plan (created next to any draft plan)."""
    goal = services.active_plan_goals(client=client).first()
    if goal is not None:
        return goal
    version = Plan.objects.filter(client=client).aggregate(v=Max("version"))["v"] or 0
    plan = Plan.objects.create(
        client=client,
        version=version + 1,
        status=PlanStatus.ACTIVE,
        valid_from=dt.date(2026, 1, 1),
        agreed_on=dt.date(2026, 1, 1),
        agreed_how="paper",
        created_by=user,
        updated_by=user,
    )
    return Goal.objects.create(plan=plan, text="Ik wil mijn post zelf bijhouden.", priority=1)


def _draft(*, client: Any, user: Any, product_code: str) -> IndicationRequest:
    if client.municipality_id is None:
        client.municipality = MunicipalityFactory()
        client.save(update_fields=["municipality"])
    MunicipalProductFactory(
        municipality=client.municipality,
        code=product_code,
        category=category(product_code[:2]),
        unit="04",
    )
    if not Consent.objects.filter(
        client=client, recipient_municipality=client.municipality, purpose_kind="wmo_request"
    ).exists():
        wmo_consent(client, recorded_by=user)
    return services.request_create(
        actor=user,
        client=client,
        data={
            "product_code": product_code,
            "volume": 3,
            "unit": "04",
            "frequency": "2",
            "start": START,
            "end": START + dt.timedelta(days=180),
            "result_areas": [1],
            "motivation": "Overzicht over post en afspraken.",
            "goal_ids": [_goal(client, user).pk],
            "zrm_scores": {"financien": 2},
        },
    )


def _request(*, client: Any, user: Any) -> int:
    """The client's concept (or, once a route submitted it, that same request)."""
    existing = IndicationRequest.objects.filter(client=client, product__code="02B01").first()
    return (existing or _draft(client=client, user=user, product_code="02B01")).pk


def _decision(*, client: Any, user: Any) -> int:
    existing = Decision.objects.filter(request__client=client).first()
    if existing is not None:
        return existing.pk
    request = services.request_submit(
        actor=user, request=_draft(client=client, user=user, product_code="07D01")
    )
    consultant = MunicipalityRoleFactory(user=UserFactory(), municipality=client.municipality).user
    return services.request_decide(actor=consultant, request=request, kind=DecisionKind.GRANTED).pk


_REQUEST_ROUTES = (
    "wmo:request-detail",
    "wmo:request-update",
    "wmo:request-submit",
    "wmo:request-withdraw",
    "wmo:request-delete",
    "wmo:request-review",
    "wmo:decision-create",
    "wmo:request-xml",
    "wmo:decision-import",
    "api:wmo-request-detail",
    "api:wmo-request-submit",
    "api:wmo-request-withdraw",
    "api:wmo-request-review",
)

KWARG_FACTORIES = {
    **{name: {"pk": _request} for name in _REQUEST_ROUTES},
    "wmo:decision-letter": {"pk": _decision},
    "wmo:decision-xml": {"pk": _decision},
}


def _indication(*, client: Any, user: Any) -> int:
    return Decision.objects.get(pk=_decision(client=client, user=user)).indication.pk


def _message(*, client: Any, user: Any) -> int:
    """A recorded message of the client's indication (its XML is not what the walker tests)."""
    indication = Indication.objects.get(pk=_indication(client=client, user=user))
    message = IwmoMessage.objects.filter(indication=indication).first() or (
        IwmoMessage.objects.create(
            message="WMO305",
            direction=MessageDirection.OUT,
            identification=f"305{indication.pk:09d}",
            municipality=indication.municipality,
            client=client,
            indication=indication,
            xml="<Bericht/>",
        )
    )
    return message.pk


KWARG_FACTORIES |= {
    "wmo:indication-change": {"pk": _indication},
    "wmo:message-xml": {"pk": _message},
}


def _melding(*, client: Any, user: Any) -> int:
    """A melding of the client at its municipality's Wmo desk (in onderzoek, with a goal)."""
    from wmo.models import Melding, SupportGoal

    existing = Melding.objects.filter(client=client).first()
    if existing is not None:
        return existing.pk
    if client.municipality_id is None:
        client.municipality = MunicipalityFactory()
        client.save(update_fields=["municipality"])
    melding = Melding.objects.create(
        client=client,
        municipality=client.municipality,
        team=client.team,
        reported_on=START,
        question="Ik red het niet meer alleen.",
        registered_by=user,
        status="onderzoek",
        conversation_on=START,
    )
    SupportGoal.objects.create(melding=melding, text="Ik wil weer rust in mijn dagen.")
    return melding.pk


KWARG_FACTORIES |= {
    f"wmo:{name}": {"pk": _melding}
    for name in (
        "melding-detail",
        "melding-conversation",
        "melding-goals",
        "melding-decide",
        "melding-accept",
        "melding-links",
        "melding-review",
    )
}
