"""The Wmo message cycle wired to the work: the first Wmo contact within an indication
records its WMO305 once, op- en afschalen records a WMO317, both are schema-valid, shown on
the Wmo tab and downloadable (audited, for the client's team and municipality only); the
indication register shows the volume used against the volume granted so far."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from caseload.services import contact_log, contact_update
from olteams.constants import AuditEventType
from olteams.models import AuditEvent
from tests.factories.finance import contact, indication
from tests.factories.olteams import MembershipFactory
from wmo import iwmo, selectors, services
from wmo.constants import DecisionKind
from wmo.models import IwmoMessage

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def granted(member, consultant, wmo_client, request_data):
    request = services.request_create(actor=member, client=wmo_client, data=request_data)
    services.request_submit(actor=member, request=request, now=NOW)
    decision = services.request_decide(
        actor=consultant, request=request, kind=DecisionKind.GRANTED, today=dt.date(2026, 3, 3)
    )
    return decision.indication  # 3 hours a week, 9 Mar 2026 to 8 Sep 2026


def _log(member, client, day: int, funding: str = "wmo"):
    starts = dt.datetime(2026, 3, day, 10, 0, tzinfo=dt.UTC)
    return contact_log(
        actor=member,
        client=client,
        starts_at=starts,
        duration_minutes=60,
        kind="huisbezoek",
        funding_stream=funding,
        now=starts + dt.timedelta(hours=2),
    )


def _valid(message: IwmoMessage, name: str) -> None:
    assert iwmo.validate(message.xml.encode()) == (name, [])


def test_first_wmo_contact_records_one_valid_wmo305(member, wmo_client, granted):
    _log(member, wmo_client, 5)  # before the indication starts: no start of support yet
    _log(member, wmo_client, 10, funding="zvw")  # treatment, not Wmo support
    assert not IwmoMessage.objects.filter(message="WMO305").exists()
    _log(member, wmo_client, 11)
    later = _log(member, wmo_client, 12)
    contact_update(
        actor=member,
        contact=later,
        starts_at=later.starts_at,
        duration_minutes=90,
        kind="huisbezoek",
        funding_stream="wmo",
        now=NOW + dt.timedelta(days=20),
    )
    [message] = IwmoMessage.objects.filter(message="WMO305")
    _valid(message, "WMO305")
    assert (message.indication_id, message.client_id) == (granted.pk, wmo_client.pk)
    assert iwmo._start_in(message) == dt.date(2026, 3, 11)


def test_wmo305_without_bsn_does_not_block_the_contact(member, wmo_client, granted):
    wmo_client.bsn = None
    wmo_client.save(update_fields=["bsn"])
    logged = _log(member, wmo_client, 11)
    assert logged.pk is not None
    assert not IwmoMessage.objects.filter(message="WMO305").exists()


def test_change_request_records_a_valid_wmo317(member, granted):
    message = services.indication_change_request(
        actor=member,
        indication=granted,
        start=dt.date(2026, 4, 1),
        volume=5,
        frequency="2",
        reason="1",
        today=dt.date(2026, 3, 20),
    )
    _valid(message, "WMO317")
    assert (message.message, message.indication_id, message.reason_code) == (
        "WMO317",
        granted.pk,
        "1",
    )
    granted.refresh_from_db()
    assert granted.volume == 3  # unchanged until the municipality answers


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        (
            {"start": dt.date(2026, 10, 1), "volume": 5},
            {"start": ["De gewenste ingangsdatum valt buiten de periode van de indicatie."]},
        ),
        ({"volume": 0}, {"volume": ["De omvang moet een geheel getal groter dan 0 zijn."]}),
        ({"volume": 3}, {"volume": ["Dit is de omvang die al is toegekend."]}),
        (
            {"volume": 5, "reason": "9", "frequency": "x"},
            {
                "frequency": ["Kies een geldige frequentie."],
                "reason": ["Kies een geldige reden van het verzoek."],
            },
        ),
    ],
)
def test_change_request_refusals_record_nothing(member, granted, kwargs, errors):
    data = {"start": dt.date(2026, 4, 1), "frequency": "2", "reason": "2", **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.indication_change_request(
            actor=member, indication=granted, today=dt.date(2026, 3, 20), **data
        )
    assert {k: [str(m) for m in v] for k, v in exc.value.message_dict.items()} == errors
    assert not IwmoMessage.objects.filter(message="WMO317").exists()


def test_change_request_by_another_team_is_not_found(outsider, granted):
    with pytest.raises(Http404):
        services.indication_change_request(
            actor=outsider,
            indication=granted,
            start=dt.date(2026, 4, 1),
            volume=5,
            frequency="2",
            reason="2",
        )


def test_change_page_records_and_the_wmo_tab_offers_the_download(
    login, member, outsider, consultant, wmo_client, granted
):
    http = login(member)
    url = reverse("wmo:indication-change", args=[wmo_client.pk, granted.pk])
    bad = http.post(url, {"volume": "", "frequency": "2", "reason": "2", "start": "2026-04-01"})
    assert bad.status_code == 400
    assert "De omvang moet een geheel getal groter dan 0 zijn." in bad.content.decode()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    granted.end = None
    granted.save(update_fields=["end"])
    ok = http.post(url, {"volume": "5", "frequency": "2", "reason": "2", "start": tomorrow})
    assert ok.status_code == 302
    message = IwmoMessage.objects.get(message="WMO317")
    download = reverse("wmo:message-xml", args=[wmo_client.pk, message.pk])
    tab = http.get(reverse("wmo:client-overview", args=[wmo_client.pk])).content.decode()
    assert download in tab and url in tab

    before = AuditEvent.objects.filter(event_type=AuditEventType.EXPORT).count()
    response = http.get(download)
    assert response.status_code == 200
    assert response.content.decode() == message.xml
    export = AuditEvent.objects.filter(event_type=AuditEventType.EXPORT)
    assert export.count() == before + 1
    assert export.latest("id").client_id == wmo_client.pk
    assert login(consultant).get(download).status_code == 200  # the client's municipality
    assert login(outsider).get(download).status_code == 404
    assert login(outsider).get(url).status_code == 404


def test_consultant_of_another_municipality_cannot_download(
    login, other_municipality, wmo_client, granted
):
    from tests.factories.olteams import MunicipalityRoleFactory, UserFactory

    message = iwmo.wmo305_record(actor=None, indication=granted, start=dt.date(2026, 3, 10))
    stranger = MunicipalityRoleFactory(user=UserFactory(), municipality=other_municipality).user
    url = reverse("wmo:message-xml", args=[wmo_client.pk, message.pk])
    assert login(stranger).get(url).status_code == 404


def test_register_shows_hours_over_the_granted_volume(team, municipality, member, wmo_client):
    worker = MembershipFactory(team=team, user=member)  # an extra membership: any works
    granted = indication(
        wmo_client, municipality=municipality, start=dt.date(2026, 3, 2), by=member, volume=2
    )  # 2 hours a week from Monday 2 March
    for day, minutes in ((2, 120), (4, 120), (9, 90), (20, 600)):
        contact(
            client=wmo_client,
            team=team,
            date=dt.date(2026, 3, day),
            minutes=minutes,
            workers=[worker],
            funding="wmo",
        )
    contact(  # not Wmo: not counted
        client=wmo_client, team=team, date=dt.date(2026, 3, 3), minutes=300, workers=[worker]
    )
    today = dt.date(2026, 3, 15)  # 14 days: 4 hours granted so far; 5.5 hours used
    [row] = selectors.indication_overview(user=member, today=today, team_id=team.pk)
    assert row.indication.pk == granted.pk
    assert (row.usage.used, row.usage.granted, row.usage.is_over) == (5.5, 4, True)


def test_register_usage_costs_one_query_for_many_rows(
    team, municipality, member, wmo_client, django_assert_num_queries
):
    rows = [
        indication(wmo_client, municipality=municipality, start=dt.date(2026, 3, d), by=member)
        for d in (2, 3, 4)
    ]
    from caseload.selectors.wmo_usage import indication_usage

    with django_assert_num_queries(1):
        usage = indication_usage(rows, dt.date(2026, 3, 15))
    assert sorted(usage) == sorted(r.pk for r in rows)
