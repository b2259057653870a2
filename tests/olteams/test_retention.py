"""Retention (olteams.retention): the daily job finds what passed its term and removes
nothing; a functional administrator's confirmation anonymises or destroys exactly the batch;
audit events are kept their own term and the hash chain still verifies after a purge."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from caseload.models import Contact, Crisis, IntensityChange
from clients.models import CareEpisode, Client, Consent, Naaste
from clients.services.retention import destroy_client_file
from herstelplan.models import RecoveryPhase
from olteams.audit import audit_chain_verify, audit_record
from olteams.constants import (
    AuditEventType,
    RetentionBatchKind,
    RetentionBatchStatus,
    RetentionItemStatus,
)
from olteams.models import (
    AuditChainAnchor,
    AuditEvent,
    Notification,
    RetentionBatch,
    RetentionItem,
)
from olteams.services.retention import (
    audit_retention_years,
    retention_batch_confirm,
    retention_scan,
)
from olteams.tasks import retention_scan_task
from tests.conftest import verified_client
from tests.factories.caseload import ContactFactory, CrisisFactory, IntensityChangeFactory
from tests.factories.clients import ClientFactory, ConsentFactory, NaasteFactory
from tests.factories.herstelplan import RecoveryPhaseFactory, end_care, put_in_care
from tests.olteams.test_audit_chain import _owner_sql

pytestmark = pytest.mark.django_db

LAST_CARE = dt.date(2006, 12, 4)  # 20 years: the term passes on 4 Dec 2026
DUE = dt.date(2026, 12, 4)


def _at(day: dt.date):
    """Travel to 10:00 Amsterdam time on ``day`` (the job's ``today``)."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.UTC))


def closed_client(team, worker, *, last_care: dt.date = LAST_CARE, **fields) -> Client:
    """A client whose care ended on ``last_care``, with records in three apps."""
    client = ClientFactory(team=team, **fields)
    put_in_care(client, worker, on=last_care - dt.timedelta(days=700))
    ContactFactory(
        client=client,
        author=worker,
        starts_at=dt.datetime(2005, 3, 1, 10, tzinfo=dt.UTC),
        note="Gesprek over de schulden.",
    )
    CrisisFactory(client=client, by=worker, started_on=dt.date(2005, 6, 1))
    IntensityChangeFactory(client=client, by=worker, date=dt.date(2005, 1, 3))
    RecoveryPhaseFactory(client=client, recorded_by=worker, date=dt.date(2005, 1, 3))
    ConsentFactory(client=client, recorded_by=worker, given_on=dt.date(2005, 1, 3))
    NaasteFactory(client=client)
    end_care(client, worker, on=last_care)
    return client


def _items(batch: RetentionBatch | None) -> set[tuple[str, int]]:
    if batch is None:
        return set()
    return set(batch.items.values_list("kind", "object_id"))


CLIENT_KINDS = {
    "clients.identity",
    "clients.file",
    "caseload.clinical",
    "caseload.contacts",
    "herstelplan.clinical",
}


@pytest.mark.parametrize(
    ("day", "found"),
    [(DUE - dt.timedelta(days=1), False), (DUE, True), (DUE + dt.timedelta(days=1), True)],
    ids=["day-before", "on-the-day", "day-after"],
)
def test_the_medical_file_is_found_on_the_day_its_20_years_pass(team, member, day, found):
    client = closed_client(team, member)
    with _at(day):
        batch_id = retention_scan_task()
    batch = RetentionBatch.objects.filter(pk=batch_id).first()
    expected = {(kind, client.pk) for kind in CLIENT_KINDS} if found else set()
    assert _items(batch) == expected
    if found:
        assert set(batch.items.values_list("due_on", flat=True)) == {DUE}


def test_the_last_contact_after_the_episode_is_the_last_care(team, member):
    client = closed_client(team, member, last_care=dt.date(2006, 1, 2))
    ContactFactory(
        client=client, author=member, starts_at=dt.datetime(2006, 12, 4, 10, tzinfo=dt.UTC)
    )
    assert retention_scan(today=DUE - dt.timedelta(days=1)) is None
    assert ("clients.identity", client.pk) in _items(retention_scan(today=DUE))


def test_a_client_in_care_is_never_touched_however_old_the_records(team, member):
    client = ClientFactory(team=team)
    put_in_care(client, member, on=dt.date(1990, 1, 8))
    ContactFactory(client=client, author=member, starts_at=dt.datetime(1991, 1, 8, tzinfo=dt.UTC))
    CrisisFactory(client=client, by=member, started_on=dt.date(1991, 1, 8))
    with _at(dt.date(2035, 6, 1)):
        assert retention_scan_task() is None
    assert RetentionItem.objects.count() == 0


def test_the_scan_removes_nothing_and_a_second_run_finds_nothing_new(team, member, admin_user):
    client = closed_client(team, member, last_name="Jansen")
    with _at(DUE):
        first = retention_scan_task()
        second = retention_scan_task()
    assert first is not None and second is None
    assert RetentionBatch.objects.count() == 1
    # The functional administrators hear of it once, with a link to the review page.
    assert list(Notification.objects.filter(recipient=admin_user).values_list("title", "url")) == [
        (
            "Bewaartermijnen verstreken: bevestiging nodig",
            reverse("olteams:retention-detail", kwargs={"pk": first}),
        )
    ]
    client.refresh_from_db()
    assert client.last_name == "Jansen" and client.bsn and client.anonymised_on is None
    assert Crisis.objects.filter(client=client).count() == 1
    assert Contact.objects.get(client=client, note__startswith="Gesprek").duration_minutes == 45
    assert RetentionBatch.objects.get().status == RetentionBatchStatus.PENDING


def test_confirmation_removes_exactly_the_batch_and_keeps_the_statistics(team, member, admin_user):
    due = closed_client(team, member, last_name="Jansen")
    later = closed_client(team, member, last_care=dt.date(2010, 5, 1), last_name="Later")
    batch = retention_scan(today=DUE)
    assert {client for _kind, client in _items(batch)} == {due.pk}
    # Found after the batch was made, though due as well: not part of what was confirmed.
    after = closed_client(team, member, last_name="Daarna")
    events_of_client = AuditEvent.objects.filter(client_id=due.pk).count()
    audit_record(user=member, event_type=AuditEventType.READ, client_id=due.pk)

    with _at(DUE):
        retention_batch_confirm(actor=admin_user, batch_id=batch.pk, today=DUE)

    due.refresh_from_db()
    assert (due.bsn, due.first_name, due.last_name, due.date_of_birth, due.city) == (
        None,
        "Geanonimiseerd",
        "Geanonimiseerd",
        None,
        "",
    )
    assert due.anonymised_on == DUE and due.team_id == team.pk
    assert not Crisis.objects.filter(client=due).exists()
    assert not RecoveryPhase.objects.filter(client=due).exists()
    assert not Consent.objects.filter(client=due).exists()
    assert not Naaste.objects.filter(client=due).exists()
    # The accounts keep their minutes: the contact stays, its report goes.
    assert list(Contact.objects.filter(client=due).values_list("note", "duration_minutes")) == [
        ("", 45)
    ]
    assert IntensityChange.objects.get(client=due).reason == "—"
    assert CareEpisode.objects.get(client=due).ended_on == LAST_CARE
    for untouched, name in ((later, "Later"), (after, "Daarna")):
        untouched.refresh_from_db()
        assert untouched.last_name == name and untouched.anonymised_on is None
        assert Crisis.objects.filter(client=untouched).count() == 1
        assert Contact.objects.get(client=untouched).note == "Gesprek over de schulden."
    batch.refresh_from_db()
    assert (batch.status, batch.decided_by) == (RetentionBatchStatus.CONFIRMED, admin_user)
    assert set(batch.items.values_list("status", flat=True)) == {RetentionItemStatus.DONE}
    # The client's audit events are kept their own term; the confirmation is recorded.
    assert AuditEvent.objects.filter(client_id=due.pk).count() == events_of_client + 2
    assert AuditEvent.objects.filter(
        client_id=due.pk, event_type=AuditEventType.DELETE, object_type="olteams.retentionbatch"
    ).exists()
    # Nothing left to find for this client; the next run holds only the one made later.
    next_batch = retention_scan(today=DUE)
    assert {client for _kind, client in _items(next_batch)} == {after.pk}


def test_a_client_back_in_care_before_the_confirmation_is_skipped(team, member, admin_user):
    client = closed_client(team, member, last_name="Terug")
    batch = retention_scan(today=DUE)
    put_in_care(client, member, on=DUE)
    retention_batch_confirm(actor=admin_user, batch_id=batch.pk, today=DUE)
    client.refresh_from_db()
    assert client.last_name == "Terug" and Crisis.objects.filter(client=client).exists()
    assert set(batch.items.values_list("status", flat=True)) == {RetentionItemStatus.SKIPPED}


def test_only_a_functional_administrator_confirms_and_only_once(team, member, admin_user):
    closed_client(team, member)
    batch = retention_scan(today=DUE)
    with pytest.raises(PermissionDenied):
        retention_batch_confirm(actor=member, batch_id=batch.pk, today=DUE)
    assert batch.items.filter(status=RetentionItemStatus.PENDING).count() == len(CLIENT_KINDS)
    retention_batch_confirm(actor=admin_user, batch_id=batch.pk, today=DUE)
    with pytest.raises(ValidationError) as excinfo:
        retention_batch_confirm(actor=admin_user, batch_id=batch.pk, today=DUE)
    assert excinfo.value.message_dict == {"batch": ["Deze batch is al beoordeeld."]}


# --- a destruction request (AVG art. 17, Wgbo art. 7:455) --------------------------------


def test_a_destruction_request_ignores_the_term_but_still_needs_confirmation(
    team, member, admin_user
):
    client = closed_client(team, member, last_care=dt.date(2024, 3, 1), last_name="Verzoek")
    batch = destroy_client_file(
        client, reason="Cliënt vraagt om vernietiging", confirmed_by=member, privacy_request_id=7
    )
    assert (batch.kind, batch.privacy_request_id, batch.requested_by) == (
        RetentionBatchKind.REQUEST,
        7,
        member,
    )
    assert _items(batch) == {(kind, client.pk) for kind in CLIENT_KINDS}
    client.refresh_from_db()
    assert client.last_name == "Verzoek"  # nothing yet
    retention_batch_confirm(actor=admin_user, batch_id=batch.pk, today=timezone.localdate())
    client.refresh_from_db()
    assert client.last_name == "Geanonimiseerd"
    assert not Crisis.objects.filter(client=client).exists()


def test_a_destruction_request_for_a_client_in_care_is_refused(team, member):
    client = ClientFactory(team=team)
    put_in_care(client, member, on=dt.date(2024, 1, 8))
    with pytest.raises(ValidationError) as excinfo:
        destroy_client_file(client, reason="Verzoek", confirmed_by=member)
    assert "nog in zorg" in excinfo.value.messages[0]
    assert RetentionBatch.objects.count() == 0


# --- the audit log: its own term, and the chain after a purge ---------------------------


def _events(member, n: int) -> list[AuditEvent]:
    return [
        audit_record(user=member, event_type=AuditEventType.READ, client_id=i) for i in range(n)
    ]


def test_audit_events_are_kept_their_own_term_of_at_least_five_years(member):
    _events(member, 3)
    today = timezone.localdate()
    five_years = today.replace(year=today.year + 5)
    assert "olteams.audit" not in {k for k, _ in _items(retention_scan(today=five_years))}
    batch = retention_scan(today=five_years + dt.timedelta(days=1))
    item = batch.items.get(kind="olteams.audit")
    newest = AuditEvent.objects.order_by("-seq").first()
    assert (item.object_id, item.record_count) == (newest.seq - 1, AuditEvent.objects.count() - 1)


@override_settings(RETENTION_AUDIT_YEARS=2)
def test_a_term_below_five_years_counts_as_five(member):
    _events(member, 2)
    assert audit_retention_years() == 5
    today = timezone.localdate()
    assert retention_scan(today=today.replace(year=today.year + 3)) is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_confirmed_purge_keeps_the_chain_verifiable_and_tampering_still_shows(member, admin_user):
    _events(member, 4)
    today = timezone.localdate()
    later = today.replace(year=today.year + 5) + dt.timedelta(days=1)
    batch = retention_scan(today=later)
    upto = batch.items.get(kind="olteams.audit").object_id
    written_after_scan = _events(member, 2)  # not in the batch: they stay
    retention_batch_confirm(actor=admin_user, batch_id=batch.pk, today=later)

    assert not AuditEvent.objects.filter(seq__lte=upto).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in written_after_scan]).count() == 2
    anchor = AuditChainAnchor.objects.get()
    assert (anchor.last_seq, anchor.removed) == (upto, upto)
    total, broken = audit_chain_verify()
    assert broken is None and total == AuditEvent.objects.count()
    # A new event continues the chain after the purge.
    audit_record(user=member, event_type=AuditEventType.READ, client_id=99)
    assert audit_chain_verify()[1] is None

    middle = AuditEvent.objects.order_by("seq")[1]
    _owner_sql(
        "ALTER TABLE olteams_auditevent DISABLE TRIGGER olteams_auditevent_no_update_delete",
        f"UPDATE olteams_auditevent SET client_id = 12345 WHERE id = {middle.pk}",
        "ALTER TABLE olteams_auditevent ENABLE TRIGGER olteams_auditevent_no_update_delete",
    )
    _total, broken = audit_chain_verify()
    assert broken is not None and (broken.seq, broken.event_id) == (middle.seq, middle.pk)
    assert broken.reason == "de inhoud is gewijzigd (hash klopt niet)"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_runtime_role_cannot_purge_the_newest_event_or_delete_directly(member):
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    _events(member, 2)
    newest = AuditEvent.objects.order_by("-seq").first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT olteams_audit_purge(%s, NULL)", [newest.seq])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM olteams_auditevent WHERE seq = %s", [newest.seq - 1])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO olteams_auditchainanchor (last_seq, last_hash, removed)"
                       " VALUES (1, 'x', 1)")  # fmt: skip
    assert AuditEvent.objects.count() == 2 and audit_chain_verify()[1] is None


# --- the pages -----------------------------------------------------------------------------


def test_the_review_page_shows_what_how_many_and_why_and_bad_input_removes_nothing(
    team, member, admin_user
):
    client = closed_client(team, member, last_name="Pagina")
    batch = retention_scan(today=DUE)
    http = verified_client(admin_user)
    url = reverse("olteams:retention-detail", kwargs={"pk": batch.pk})
    page = http.get(url).content.decode()
    assert "20 jaar na de laatste zorg (Wgbo art. 7:454)" in page
    assert "Cliëntgegevens (naam, BSN, adres, geboortedatum, contactgegevens)" in page
    assert "Pagina" not in page and client.bsn not in page

    response = http.post(url, {"action": "confirm", "confirm-note": "x" * 501})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Vink aan dat u de lijst hebt gecontroleerd; er is niets verwijderd." in text
    assert "De toelichting is te lang (hooguit 500 tekens)." in text
    response = http.post(url, {"action": "reject", "reject-note": "  "})
    assert response.status_code == 400
    assert "Geef aan waarom u deze batch afwijst." in response.content.decode()
    client.refresh_from_db()
    batch.refresh_from_db()
    assert client.last_name == "Pagina" and batch.status == RetentionBatchStatus.PENDING

    with _at(DUE):
        response = http.post(url, {"action": "confirm", "confirm-checked": "on"})
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.last_name == "Geanonimiseerd"


def test_the_report_and_its_csv_name_kinds_and_counts_never_the_destroyed_data(
    team, member, admin_user
):
    client = closed_client(team, member, last_name="Zwaantje")
    bsn = client.bsn
    batch = retention_scan(today=DUE)
    retention_batch_confirm(actor=admin_user, batch_id=batch.pk, today=DUE, note="Jaarlijks")
    http = verified_client(admin_user)
    home = http.get(reverse("olteams:home")).content.decode()
    assert reverse("olteams:retention-list") in home  # in the administrator's menu
    page = http.get(reverse("olteams:retention-list")).content.decode()
    assert reverse("olteams:retention-detail", kwargs={"pk": batch.pk}) in page
    assert "Jaarlijks" in page
    response = http.get(reverse("olteams:retention-export"))
    csv_text = response.content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("batch;gevonden_op;aanleiding;status;soort_gegevens;regel")
    assert len(lines) == 1 + len(CLIENT_KINDS)
    identity = next(line for line in lines if line.startswith(f"{batch.pk};") and "BSN" in line)
    assert ";Anonimiseren;1;1;1;0;0;beheerder;" in identity
    assert "Zwaantje" not in csv_text and bsn not in csv_text


def test_a_record_still_referenced_stops_the_whole_batch_with_a_dutch_message(
    team, member, admin_user, monkeypatch
):
    from django.db.models import ProtectedError

    from olteams import retention

    client = closed_client(team, member, last_name="Verwezen")
    batch = retention_scan(today=DUE)
    identity = retention.kind("clients.identity")

    def blocked(ids: list[int]) -> int:
        raise ProtectedError("verwijst", set())

    monkeypatch.setitem(
        retention._KINDS, "clients.identity", dataclasses.replace(identity, apply=blocked)
    )
    http = verified_client(admin_user)
    url = reverse("olteams:retention-detail", kwargs={"pk": batch.pk})
    response = http.post(url, {"action": "confirm", "confirm-checked": "on"})
    assert response.status_code == 400
    assert (
        "kon niet worden verwijderd: andere gegevens verwijzen er nog naar. Er is niets "
        "verwijderd." in response.content.decode()
    )
    # The kinds applied before it were rolled back with it.
    assert Crisis.objects.filter(client=client).count() == 1
    assert RecoveryPhase.objects.filter(client=client).count() == 1
    batch.refresh_from_db()
    assert batch.status == RetentionBatchStatus.PENDING
    assert set(batch.items.values_list("status", flat=True)) == {RetentionItemStatus.PENDING}


def test_the_portal_doors_and_what_came_through_them_go_with_the_file(team, member, admin_user):
    """The client's and naasten's portal accounts, the naaste's grants, the client's own
    I.ROC self-assessments and privacy requests are part of the file they belong to."""
    from clients.constants import DisputedPart, FiledVia, PortalShare, PrivacyRequestKind
    from clients.models import NaasteGrant, PortalAccount, PrivacyRequest
    from clients.services.privacy_requests import file_request
    from herstelplan.models import IrocSelfAssessment
    from herstelplan.services import iroc_items_ensure
    from tests.factories.clients import (
        ClientPortalAccountFactory,
        NaasteGrantFactory,
        NaastePortalAccountFactory,
    )
    from tests.factories.herstelplan import make_self_iroc

    iroc_items_ensure()
    due = closed_client(team, member, last_name="Portaal")
    account = ClientPortalAccountFactory(client=due)
    naaste_account = NaastePortalAccountFactory(naaste=NaasteFactory(client=due))
    NaasteGrantFactory(naaste=naaste_account.naaste, category=PortalShare.PLAN)
    make_self_iroc(account)
    file_request(
        due,
        kind=PrivacyRequestKind.CORRECTION,
        description="Mijn adres klopt niet.",
        disputed=DisputedPart.PERSONALIA,
        received_on=dt.date(2006, 12, 1),
        filed_via=FiledVia.PORTAL,
        filed_by_label="cliënt, via Mijn Optimaal Leven (DigiD)",
        today=dt.date(2006, 12, 1),
    )
    batch = retention_scan(today=DUE)
    with _at(DUE):
        retention_batch_confirm(actor=admin_user, batch_id=batch.pk, today=DUE)
    for model in (PortalAccount, NaasteGrant, IrocSelfAssessment, PrivacyRequest):
        assert not model.objects.filter(client=due).exists(), model
