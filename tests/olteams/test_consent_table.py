"""Consent governs every clinical record kind, on the pages and in the API that show it.

The table: every record kind by every organisation kind of the worker by every consent state.
Staff of GGZ and addiction organisations in the client's care scope see every kind; staff of
welfare and ambulatory-support organisations see a kind only while the client's consent for
its category (``RECORD_KIND_CATEGORY``), for their organisation and for care in the team, is
in force. What they may not see is absent, with the short Dutch explanation; never a 500.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from clients.constants import Phase
from clients.models import CareEpisode, Intake
from olteams.access import withheld_message
from olteams.constants import (
    RECORD_KIND_CATEGORY,
    ConsentPurpose,
    Discipline,
    OrganisationKind,
    RecordKind,
)
from tests.factories.caseload import CrisisFactory
from tests.factories.clients import ClientFactory, ConsentFactory
from tests.factories.herstelplan import make_honos, make_iroc, make_plan, signal_plan_in_force
from tests.factories.olteams import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)

ORGANISATION_KINDS = {
    OrganisationKind.GGZ: False,  # needs no consent within the care scope
    OrganisationKind.VERSLAVINGSZORG: False,
    OrganisationKind.BEGELEIDING: True,  # needs the client's consent
    OrganisationKind.WELZIJN: True,
}
# Consent states: the consent row (or none) and whether it counts today.
STATES: dict[str, tuple[dict[str, Any] | None, bool]] = {
    "none": (None, False),
    "given": ({"given_on": dt.date(2026, 1, 5)}, True),
    "withdrawn": ({"given_on": dt.date(2026, 1, 5), "withdrawn_on": dt.date(2026, 3, 1)}, False),
    "wrong_purpose": ({"purpose_kind": ConsentPurpose.WMO_REQUEST}, False),
    "future": ({"given_on": dt.date(2026, 3, 10)}, False),
}


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


# --- one record of each kind, and where it shows --------------------------------------------
# Each maker writes the record (as a GGZ casemanager) and returns the text that shows it.


def _honos(client: Any, author: Any) -> str:
    make_honos(client, author, date=dt.date(2026, 2, 2))
    return "2 feb. 2026"


def _iroc(client: Any, author: Any) -> str:
    make_iroc(client, author, date=dt.date(2026, 2, 3))
    return "3 feb. 2026"


def _plan(client: Any, author: Any) -> str:
    make_plan(client, author, goals=(("Ik wil weer gaan vissen", (6,)),), activate=True)
    return "Ik wil weer gaan vissen"


def _signal_plan(client: Any, author: Any) -> str:
    signal_plan_in_force(client, author, red_signs="Ik hoor stemmen.")
    return "Ik hoor stemmen."


def _crisis(client: Any, author: Any) -> str:
    CrisisFactory(client=client, by=author, reason="Onrust na een ruzie met de buren.")
    return "Onrust na een ruzie met de buren."


def _intake(client: Any, author: Any) -> str:
    episode = CareEpisode.objects.create(client=client, phase=Phase.INTAKE, started_on=TODAY)
    Intake.objects.create(
        episode=episode,
        planned_on=TODAY,
        planned_time=dt.time(10, 0),
        location="Kantoor",
        outcome_notes="Hulpvraag: rust in het hoofd.",
        planned_by=author,
    )
    return "Hulpvraag: rust in het hoofd."


def _page(name: str) -> Callable[[Any], str]:
    return lambda client: reverse(name, kwargs={"client_id": client.pk})


def _api(name: str) -> Callable[[Any], str]:
    return lambda client: reverse(f"api:{name}", kwargs={"client_id": client.pk})


# kind: (maker, pages that are only about this kind, API endpoints that are only about it,
#        pages that show it beside other things, API endpoints that null a field of it)
KINDS: dict[str, tuple[Callable, list, list, list, list]] = {
    RecordKind.HONOS: (
        _honos,
        [_page("herstelplan:honos-list"), _page("herstelplan:honos-create")],
        [_api("herstelplan-honos")],
        [_page("herstelplan:client-overview")],
        [],
    ),
    RecordKind.IROC: (
        _iroc,
        [_page("herstelplan:iroc-list"), _page("herstelplan:iroc-create")],
        [_api("herstelplan-iroc")],
        [_page("herstelplan:client-overview")],
        [],
    ),
    RecordKind.RECOVERY_PLAN: (
        _plan,
        [_page("herstelplan:plan-list")],
        [_api("herstelplan-plan-list")],
        [_page("caseload:client-file")],
        [],
    ),
    RecordKind.SIGNAL_PLAN: (
        _signal_plan,
        [_page("herstelplan:signal-plan-list")],
        [_api("herstelplan-signal-plan-list")],
        [],
        [],
    ),
    RecordKind.CRISIS_NOTE: (
        _crisis,
        [],
        [],
        [_page("caseload:client-file")],
        [(_api("caseload-crisis-list"), lambda body: body[0], "reason")],
    ),
    RecordKind.INTAKE: (
        _intake,
        [],
        [],
        [],
        [(_api("intake"), lambda body: body, "outcome_notes")],
    ),
}


@pytest.fixture
def author(team, org_ggz):
    return MembershipFactory(
        user=UserFactory(username="schrijver"),
        team=team,
        organisation=org_ggz,
        discipline=Discipline.CASEMANAGER,
    ).user


def _worker(team: Any, kind: str) -> tuple[Any, Any]:
    organisation = OrganisationFactory(kind=kind, short_name=f"ORG-{kind}")
    user = MembershipFactory(
        user=UserFactory(username=f"werker-{kind}"),
        team=team,
        organisation=organisation,
        discipline=Discipline.AMBULANT_BEGELEIDER,
    ).user
    return user, organisation


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("organisation_kind", list(ORGANISATION_KINDS))
@pytest.mark.parametrize("kind", list(KINDS))
def test_consent_governs_every_clinical_kind(kind, organisation_kind, state, team, author, login):
    client = ClientFactory(team=team, first_name="Iris")
    maker, own_pages, own_apis, mixed_pages, field_apis = KINDS[kind]
    shown_text = maker(client, author)
    worker, organisation = _worker(team, organisation_kind)
    consent, counts = STATES[state]
    if consent is not None:
        ConsentFactory(
            client=client,
            recipient_organisation=organisation,
            category=RECORD_KIND_CATEGORY[kind],
            **consent,
        )
    visible = counts or not ORGANISATION_KINDS[organisation_kind]
    message = withheld_message(kind)
    http = login(worker)

    for url in own_pages:
        response = http.get(url(client))
        page = response.content.decode()
        assert response.status_code == (200 if visible else 403), url(client)
        assert (message in page) is not visible
        if not visible:
            assert shown_text not in page
    for url in own_apis:
        response = http.get(url(client))
        assert response.status_code == (200 if visible else 403), url(client)
        if not visible:
            assert response.json() == {"detail": message}
    for url in mixed_pages:
        response = http.get(url(client))
        page = response.content.decode()
        assert response.status_code == 200, url(client)
        assert (message in page) is not visible, url(client)
        assert (shown_text in page) is visible or kind in (RecordKind.HONOS, RecordKind.IROC)
    for url, row, field in field_apis:
        response = http.get(url(client))
        assert response.status_code == 200
        body = row(response.json())
        assert body[field] == (shown_text if visible else None)
        assert body[f"{field}_withheld"] == (None if visible else message)


def test_the_plan_pdf_and_the_signal_plan_card_are_withheld_too(team, author, org_welzijn, login):
    client = ClientFactory(team=team)
    plan = make_plan(client, author, activate=True)
    signal = signal_plan_in_force(client, author)
    worker, _organisation = _worker(team, OrganisationKind.WELZIJN)
    http = login(worker)
    for name, kwargs, kind in (
        ("herstelplan:plan-pdf", {"plan_id": plan.pk}, RecordKind.RECOVERY_PLAN),
        ("herstelplan:signal-plan-pdf", {"signal_plan_id": signal.pk}, RecordKind.SIGNAL_PLAN),
        ("herstelplan:signal-plan-card", {"signal_plan_id": signal.pk}, RecordKind.SIGNAL_PLAN),
    ):
        response = http.get(reverse(name, kwargs={"client_id": client.pk, **kwargs}))
        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/html")
        assert withheld_message(kind) in response.content.decode()


def test_a_refused_write_changes_nothing(team, author, login):
    from herstelplan.models import HonosAssessment

    client = ClientFactory(team=team)
    worker, _organisation = _worker(team, OrganisationKind.BEGELEIDING)
    response = login(worker).post(
        reverse("herstelplan:honos-create", kwargs={"client_id": client.pk}),
        {"date": "2026-03-02", **{f"item_{n}": "1" for n in range(1, 13)}},
    )
    assert response.status_code == 403
    assert not HonosAssessment.objects.exists()
