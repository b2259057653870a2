"""WMO323 from delivered care within the indication, per organisation, municipality, month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from lxml import etree

from finance.constants import TariffKind
from finance.services import wmo323_declaration, wmo323_lines
from olteams.constants import AuditEventType
from olteams.models import AuditEvent
from tests.factories.clients import ClientFactory
from tests.factories.finance import TariffFactory, contact, indication
from tests.factories.olteams import ControllerRoleFactory, MembershipFactory, UserFactory
from tests.finance.conftest import MARCH
from wmo import iwmo

pytestmark = pytest.mark.django_db


def test_wmo323_declares_the_counted_hours_and_is_schema_valid(
    team, org_ggz, org_welzijn, municipality
):
    worker = MembershipFactory(team=team, organisation=org_ggz)
    other = MembershipFactory(team=team, organisation=org_welzijn)
    client = ClientFactory(team=team, municipality=municipality)
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=Decimal("60.00"))
    granted = indication(
        client, municipality=municipality, start=dt.date(2026, 1, 1), by=worker.user, volume=2
    )
    for day, minutes, who in ((9, 120, worker), (10, 60, worker), (17, 60, other)):
        contact(
            client=client,
            team=team,
            date=dt.date(2026, 3, day),
            minutes=minutes,
            workers=[who],
            funding="wmo",
        )
    [line] = wmo323_lines(organisation=org_ggz, municipality=municipality, month=MARCH)
    # 3 hours delivered in the week of 9 March, 2 granted: 2 hours declared.
    assert (line.volume, line.unit, line.tariff_cents, line.amount_cents) == (2, "04", 6000, 12000)
    assert line.toewijzing_number == granted.toewijzing_number
    xml = wmo323_declaration(
        organisation=org_ggz, municipality=municipality, month=MARCH, today=dt.date(2026, 4, 2)
    )
    root = etree.fromstring(xml)
    assert iwmo.schema_errors(root, "WMO323") == []
    assert root.findtext("{*}Header/{*}Afzender") == "12345678"
    assert (
        root.findtext(f"{{*}}Declaratie/{{*}}TotaalIngediendBedrag/{{{iwmo.NS_BASIS}}}TotaalBedrag")
        == "12000"
    )
    # The welfare organisation has no AGB code configured: a Dutch error, no message.
    with pytest.raises(ValidationError) as exc:
        wmo323_declaration(organisation=org_welzijn, municipality=municipality, month=MARCH)
    assert exc.value.messages == ["Leg eerst de AGB-code van Welzijn Testregio vast."]


def test_nothing_to_declare_without_an_indication(team, org_ggz, municipality):
    worker = MembershipFactory(team=team, organisation=org_ggz)
    client = ClientFactory(team=team, municipality=municipality)
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=Decimal("60.00"))
    contact(
        client=client,
        team=team,
        date=dt.date(2026, 3, 9),
        minutes=60,
        workers=[worker],
        funding="wmo",
    )
    assert wmo323_lines(organisation=org_ggz, municipality=municipality, month=MARCH) == []
    with pytest.raises(ValidationError) as exc:
        wmo323_declaration(organisation=org_ggz, municipality=municipality, month=MARCH)
    assert exc.value.messages == ["Er is geen geleverde ondersteuning om te declareren."]


def _declared_month(team, org_ggz, municipality, *, bsn="123456782"):
    worker = MembershipFactory(team=team, organisation=org_ggz)
    client = ClientFactory(team=team, municipality=municipality, bsn=bsn)
    TariffFactory(kind=TariffKind.WMO_HOUR, municipality=municipality, amount=Decimal("60.00"))
    indication(client, municipality=municipality, start=dt.date(2026, 1, 1), by=worker.user)
    contact(
        client=client,
        team=team,
        date=dt.date(2026, 3, 9),
        minutes=60,
        workers=[worker],
        funding="wmo",
    )
    return client


def _page(http, **params):
    return http.get(reverse("finance:wmo323"), params)


def test_controller_downloads_a_valid_wmo323_and_each_client_is_audited(
    login, controller, team, org_ggz, municipality
):
    client = _declared_month(team, org_ggz, municipality)
    http = login(controller)
    start = http.get(reverse("olteams:home")).content.decode()
    assert reverse("finance:wmo323") in start
    form = _page(http)
    assert form.status_code == 200 and "Wmo-declaratie (WMO323)" in form.content.decode()
    response = _page(http, organisation=org_ggz.pk, municipality=municipality.pk, month="2026-03")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="wmo323-9001-2026-03.xml"'
    assert iwmo.validate(response.content) == ("WMO323", [])
    [event] = AuditEvent.objects.filter(object_type="finance.wmo323")
    assert (event.event_type, event.client_id, event.user_id) == (
        AuditEventType.EXPORT,
        client.pk,
        controller.pk,
    )


@pytest.mark.parametrize(
    ("setup", "params", "message"),
    [
        ("none", {"month": "2026-03"}, "Er is geen geleverde ondersteuning om te declareren."),
        ("no_cbs", {"month": "2026-03"}, "Leg eerst de CBS-code van Testgemeente vast."),
        ("no_bsn", {"month": "2026-03"}, "Niet elke cliënt in deze declaratie heeft een BSN."),
        ("data", {"month": "maart"}, "Vul een maand in als JJJJ-MM."),
        ("data", {"month": "2999-01"}, "Declareer een maand die al begonnen is."),
    ],
)
def test_nothing_to_declare_or_a_missing_code_is_a_dutch_message(
    login, controller, team, org_ggz, municipality, setup, params, message
):
    if setup != "none":
        _declared_month(team, org_ggz, municipality, bsn=None if setup == "no_bsn" else "123456782")
    if setup == "no_cbs":
        municipality.cbs_code = ""
        municipality.save(update_fields=["cbs_code"])
    query = {"organisation": org_ggz.pk, "municipality": municipality.pk, **params}
    response = _page(login(controller), **query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(object_type="finance.wmo323").exists()


def test_controller_of_another_organisation_cannot_choose_it(
    login, team, org_ggz, org_welzijn, municipality
):
    _declared_month(team, org_ggz, municipality)
    other = ControllerRoleFactory(user=UserFactory(), organisation=org_welzijn).user
    response = _page(
        login(other), organisation=org_ggz.pk, municipality=municipality.pk, month="2026-03"
    )
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(object_type="finance.wmo323").exists()


def test_the_accounts_menu_offers_the_declaration_only_to_who_may_make_it(
    login, controller, admin_user
):
    """The functional administrator reads the accounts but may not download BSNs: no link."""
    url = reverse("finance:wmo323")
    assert url in login(controller).get(reverse("finance:account-list")).content.decode()
    admin_page = login(admin_user).get(reverse("finance:account-list"))
    assert admin_page.status_code == 200
    assert url not in admin_page.content.decode()
    assert login(admin_user).get(url).status_code == 403
