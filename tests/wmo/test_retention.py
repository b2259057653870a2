"""Retention of the Wmo records (wmo.retention): the municipality's term after the
indication ended; while it runs, the client's name and BSN stay, even on a destruction
request, and the kept records are listed with the reason."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from clients.constants import Phase
from clients.models import CareEpisode, Client
from clients.services.retention import destroy_client_file
from herstelplan.models import Plan
from olteams.constants import RetentionItemStatus
from olteams.models import RetentionBatch
from olteams.services.retention import retention_batch_confirm, retention_scan
from tests.wmo.conftest import TODAY
from wmo import services
from wmo.constants import DecisionKind
from wmo.models import Decision, Indication, IndicationRequest

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
INDICATION_END = dt.date(2026, 9, 8)


@pytest.fixture
def granted(member, consultant, wmo_client, request_data):
    """An indication from 9 Mar to 8 Sep 2026, all written on 2 Mar 2026."""
    with time_machine.travel(NOW, tick=False):
        request = services.request_create(actor=member, client=wmo_client, data=request_data)
        services.request_submit(actor=member, request=request, now=NOW)
        decision = services.request_decide(
            actor=consultant, request=request, kind=DecisionKind.GRANTED, today=TODAY, now=NOW
        )
    assert decision.indication.end == INDICATION_END
    return decision.indication


def scan_on(day: dt.date) -> RetentionBatch | None:
    """The daily job as it runs on ``day`` (the clock travels there)."""
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 2, 30, tzinfo=dt.UTC)):
        return retention_scan(today=day)


def _kinds(batch: RetentionBatch | None) -> set[str]:
    return set() if batch is None else set(batch.items.values_list("kind", flat=True))


@pytest.mark.parametrize(("years", "due"), [(15, dt.date(2041, 9, 8)), (7, dt.date(2033, 9, 8))])
def test_the_wmo_records_go_after_the_municipalitys_term(
    granted, municipality, wmo_client, admin_user, years, due
):
    municipality.wmo_retention_years = years
    municipality.save()
    assert scan_on(due - dt.timedelta(days=1)) is None
    batch = scan_on(due)
    item = batch.items.get(kind="wmo.records")
    assert (item.object_id, item.due_on) == (wmo_client.pk, due)
    assert "clients.identity" not in _kinds(batch)  # the medical file runs 20 years

    with time_machine.travel(dt.datetime(due.year, due.month, due.day, 9, tzinfo=dt.UTC)):
        retention_batch_confirm(actor=admin_user, batch_id=batch.pk, today=due)
    assert not Indication.objects.filter(client=wmo_client).exists()
    assert not Decision.objects.filter(request__client=wmo_client).exists()
    assert not IndicationRequest.objects.filter(client=wmo_client).exists()
    wmo_client.refresh_from_db()
    assert wmo_client.last_name == "Visser"


def test_an_indication_without_an_end_and_a_client_in_care_keep_everything(
    granted, wmo_client, member
):
    Indication.objects.filter(pk=granted.pk).update(end=None)
    assert "wmo.records" not in _kinds(scan_on(dt.date(2060, 1, 1)))
    Indication.objects.filter(pk=granted.pk).update(end=INDICATION_END)
    CareEpisode.objects.create(
        client=wmo_client, phase=Phase.IN_CARE, started_on=dt.date(2027, 1, 4)
    )
    assert scan_on(dt.date(2060, 1, 1)) is None


def test_the_identity_stays_while_the_municipality_keeps_the_wmo_records(
    granted, municipality, wmo_client
):
    municipality.wmo_retention_years = 30  # the medical file's 20 years pass first
    municipality.save()
    # Registered on the day of the request: the last care, whatever day the suite runs.
    Client.objects.filter(pk=wmo_client.pk).update(created_at=NOW)
    batch = scan_on(dt.date(2046, 12, 4))
    # The plan, and the consent recorded before the request was sent, are past their term.
    assert _kinds(batch) == {"herstelplan.clinical", "clients.file"}


def test_a_destruction_request_lists_what_the_law_keeps_with_the_reason(
    granted, wmo_client, member, admin_user
):
    batch = destroy_client_file(wmo_client, reason="AVG art. 17", confirmed_by=member)
    kept = dict(
        batch.items.filter(status=RetentionItemStatus.KEPT).values_list("kind", "kept_reason")
    )
    assert set(kept) == {"wmo.records", "clients.identity"}
    assert kept["wmo.records"].startswith("De gemeente moet de Wmo-aanvragen, besluiten")
    assert kept["clients.identity"].endswith("Naam en BSN blijven daarom bij die gegevens bewaard.")
    assert batch.items.get(kind="herstelplan.clinical").status == RetentionItemStatus.PENDING

    retention_batch_confirm(actor=admin_user, batch_id=batch.pk, today=dt.date(2026, 12, 4))
    assert not Plan.objects.filter(client=wmo_client).exists()
    assert Indication.objects.filter(client=wmo_client).count() == 1
    wmo_client.refresh_from_db()
    assert wmo_client.last_name == "Visser" and wmo_client.anonymised_on is None
    assert set(batch.items.values_list("kind", "status")) == {
        ("herstelplan.clinical", RetentionItemStatus.DONE),
        ("clients.file", RetentionItemStatus.DONE),
        ("wmo.records", RetentionItemStatus.KEPT),
        ("clients.identity", RetentionItemStatus.KEPT),
    }
