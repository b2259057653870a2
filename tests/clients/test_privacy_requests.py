"""The privacy request register (issue 12): the statutory term, extension, decision and
withdrawal, the database's invariants, the notices and the daily reminders."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from clients.constants import AssignmentRole, PrivacyRequestStatus
from clients.models import PrivacyRequest
from clients.selectors.privacy_requests import open_disputes, privacy_clock, privacy_request_list
from clients.services import privacy_requests as svc
from clients.tasks import privacy_request_reminders_task
from olteams.models import AuditEvent, Notification
from tests.factories.clients import AssignmentFactory, ClientFactory
from tests.factories.olteams import UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def officer(db):
    return UserFactory(
        username="privacy", first_name="Pia", last_name="Privacy", is_privacy_officer=True
    )


@pytest.fixture
def client_(team, member):
    c = ClientFactory(team=team, first_name="Bram", last_name="Betwist")
    AssignmentFactory(
        client=c, worker=member, role=AssignmentRole.CASEMANAGER, start_date=dt.date(2025, 1, 1)
    )
    return c


def _file(client, *, by, received_on=dt.date(2026, 2, 20), kind="correctie", **extra):
    data = {
        "kind": kind,
        "description": "Mijn diagnose in het contactverslag van 3 februari klopt niet.",
        "disputed": "contactverslagen",
        "received_on": received_on,
        "filed_via": "brief",
        **extra,
    }
    return svc.file_request(client, filed_by=by, today=TODAY, **data)


# --- the term --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2026, 1, 15), dt.date(2026, 2, 15)),
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),  # no 31 February: its last day
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2026, 3, 31), dt.date(2026, 4, 30)),
        (dt.date(2026, 12, 15), dt.date(2027, 1, 15)),
    ],
)
def test_the_term_is_one_calendar_month_after_receipt(received, due):
    assert svc.term_due_on(received) == due


def test_filing_sets_the_term_records_and_notifies(client_, lead, member, officer):
    pr = _file(client_, by=lead, received_on=dt.date(2026, 1, 31))
    assert (pr.due_on, pr.deadline, pr.status) == (
        dt.date(2026, 2, 28),
        dt.date(2026, 2, 28),
        "open",
    )
    assert pr.filed_by == lead and pr.filed_by_label == lead.get_full_name()
    event = AuditEvent.objects.get(object_type="clients.privacyrequest", event_type="create")
    assert (event.client_id, event.object_id) == (client_.pk, str(pr.pk))
    # The privacy officer and the casemanager hear of it (not the filer).
    notified = set(
        Notification.objects.filter(client_id=client_.pk).values_list("recipient", flat=True)
    )
    assert notified == {officer.pk, member.pk}


def test_the_portal_files_without_a_staff_user(client_):
    pr = svc.file_request(
        client_,
        kind="inzage",
        description="Ik wil mijn hele dossier zien.",
        disputed="hele_dossier",
        received_on=TODAY,
        filed_via="portaal",
        filed_by_label="cliënt via het portaal",
        today=TODAY,
    )
    assert pr.filed_by is None and pr.filed_by_label == "cliënt via het portaal"
    assert AuditEvent.objects.filter(client_id=client_.pk, username="anoniem").count() == 1


def test_bad_input_gives_field_errors_and_saves_nothing(client_, lead):
    with pytest.raises(ValidationError) as exc:
        svc.file_request(
            client_,
            kind="iets",
            description="  ",
            disputed="overig",
            received_on=dt.date(2026, 3, 3),
            filed_via="duif",
            filed_by=lead,
            today=TODAY,
        )
    assert set(exc.value.message_dict) == {
        "kind",
        "description",
        "disputed_other",
        "received_on",
        "filed_via",
    }
    assert exc.value.message_dict["received_on"] == ["De datum van ontvangst ligt in de toekomst."]
    assert not PrivacyRequest.objects.exists()


def test_someone_outside_the_team_may_not_file(client_, outsider):
    with pytest.raises(PermissionDenied):
        _file(client_, by=outsider)
    assert not PrivacyRequest.objects.exists()


def test_a_privacy_officer_files_for_any_client(client_, officer):
    assert _file(client_, by=officer).filed_by == officer


# --- extension ---------------------------------------------------------------------------


def test_extension_by_at_most_two_months_with_a_reason(client_, lead):
    pr = _file(client_, by=lead, received_on=dt.date(2026, 1, 31))  # due 28 Feb
    with pytest.raises(ValidationError) as exc:
        svc.extend(
            pr, actor=lead, months=3, reason="kort", client_told_on=dt.date(2026, 3, 1), today=TODAY
        )
    assert set(exc.value.message_dict) == {"months", "reason", "client_told_on"}
    pr = svc.extend(
        pr,
        actor=lead,
        months=1,
        reason="Het dossier is groot en verspreid over drie organisaties.",
        client_told_on=dt.date(2026, 2, 20),
        today=TODAY,
    )
    assert (pr.extended_until, pr.deadline) == (dt.date(2026, 3, 28), dt.date(2026, 3, 28))
    pr = svc.extend(
        pr,
        actor=lead,
        months=2,
        reason="Een tweede organisatie levert later aan.",
        client_told_on=dt.date(2026, 2, 25),
        today=TODAY,
    )
    assert pr.extended_until == dt.date(2026, 4, 28)
    with pytest.raises(ValidationError) as exc:  # a shorter second extension
        svc.extend(
            pr,
            actor=lead,
            months=1,
            reason="Nog een keer verlengen.",
            client_told_on=dt.date(2026, 2, 25),
            today=TODAY,
        )
    assert "months" in exc.value.message_dict


def test_the_client_must_be_told_within_the_first_month(client_, lead):
    pr = _file(client_, by=lead, received_on=dt.date(2026, 1, 20))  # due 20 Feb
    with pytest.raises(ValidationError) as exc:
        svc.extend(
            pr,
            actor=lead,
            months=1,
            reason="Het dossier is groot.",
            client_told_on=dt.date(2026, 2, 21),
            today=TODAY,
        )
    assert "uiterlijk 20 februari 2026" in exc.value.message_dict["client_told_on"][0]
    pr.refresh_from_db()
    assert pr.extended_until is None


def test_a_team_member_may_not_extend_or_decide(client_, member, lead):
    pr = _file(client_, by=lead)
    with pytest.raises(PermissionDenied):
        svc.extend(
            pr,
            actor=member,
            months=1,
            reason="Het dossier is groot.",
            client_told_on=TODAY,
            today=TODAY,
        )
    with pytest.raises(PermissionDenied):
        svc.decide(pr, actor=member, decision="toegewezen", reason="De diagnose is aangepast.")
    pr.refresh_from_db()
    assert (pr.status, pr.extended_until) == ("open", None)


# --- decision and withdrawal ---------------------------------------------------------------


def test_decide_needs_a_reason_and_closes_the_request(client_, lead, officer, member):
    pr = _file(client_, by=lead)
    with pytest.raises(ValidationError) as exc:
        svc.decide(pr, actor=officer, decision="", reason="")
    assert set(exc.value.message_dict) == {"decision", "reason"}
    now = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    pr = svc.decide(
        pr,
        actor=officer,
        decision="deels",
        reason="De diagnose blijft, de datum is gecorrigeerd.",
        now=now,
    )
    assert (pr.status, pr.decision, pr.decided_by, pr.decided_at) == (
        "besloten",
        "deels",
        officer,
        now,
    )
    assert AuditEvent.objects.filter(
        client_id=client_.pk, detail="privacyverzoek besloten: deels"
    ).exists()
    # The filing task is closed for everyone; the decision is new news for the casemanager.
    assert not Notification.objects.filter(
        dedupe_key=f"privacy:{pr.pk}:filed", read_at__isnull=True
    ).exists()
    assert Notification.objects.filter(
        recipient=member, title__contains="deels toegewezen"
    ).exists()
    with pytest.raises(ValidationError):
        svc.decide(pr, actor=officer, decision="afgewezen", reason="Toch maar niet doen.")


def test_withdraw_by_staff_or_portal(client_, lead, member):
    first = _file(client_, by=lead)
    first = svc.withdraw(first, actor=member, note="De cliënt belde.")
    assert (first.status, first.withdrawn_by_label) == ("ingetrokken", member.get_full_name())
    second = _file(client_, by=lead)
    second = svc.withdraw(second, actor_label="cliënt via het portaal")
    assert second.status == "ingetrokken"
    with pytest.raises(ValidationError):
        svc.withdraw(second, actor=member)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "besloten"},  # no decision, reason or time
        {
            "status": "besloten",
            "decision": "toegewezen",
            "decided_at": dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        },  # no reason
        {"decision": "toegewezen"},  # a decision on an open request
        {"extended_until": dt.date(2026, 5, 1)},  # no reason, not told
        {
            "extended_until": dt.date(2026, 6, 1),
            "extension_reason": "Groot dossier",
            "extension_told_on": TODAY,
        },  # > 2 months
        {"due_on": dt.date(2026, 2, 20)},  # not after receipt
        {"status": "ingetrokken"},  # no date
        {"description": ""},
        {"disputed_part": "overig"},
        {"filed_by": None, "filed_by_label": ""},
    ],
)
def test_the_database_holds_the_invariants(client_, lead, changes):
    pr = _file(client_, by=lead)
    with pytest.raises(IntegrityError), transaction.atomic():
        PrivacyRequest.objects.filter(pk=pr.pk).update(**changes)


# --- the clock, the register and the disputes ------------------------------------------------


def test_clock_and_overdue_filter_follow_the_day(client_, lead, officer):
    pr = _file(client_, by=lead, received_on=dt.date(2026, 1, 31))  # due 28 Feb 2026
    assert privacy_clock(pr, dt.date(2026, 2, 21)) == privacy_clock.__globals__["Clock"](
        "running", 7, pr.due_on
    )
    assert privacy_clock(pr, dt.date(2026, 2, 28)).state == "last_day"
    late = privacy_clock(pr, dt.date(2026, 3, 2))
    assert (late.state, late.days, late.is_late) == ("late", 2, True)
    with time_machine.travel(dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC), tick=False):
        assert (
            list(privacy_request_list(user=officer, today=dt.date(2026, 2, 28), overdue=True)) == []
        )
    assert list(privacy_request_list(user=officer, today=dt.date(2026, 3, 1), overdue=True)) == [pr]
    assert list(privacy_request_list(user=lead, today=dt.date(2026, 3, 1), overdue=True)) == [pr]


def test_only_open_correction_removal_or_objection_marks_the_file(client_, lead, officer):
    _file(client_, by=lead, kind="inzage", disputed="hele_dossier")
    _file(client_, by=lead, kind="aanvulling", disputed="herstelplan")
    assert open_disputes(client=client_) == []
    objection = _file(client_, by=lead, kind="bezwaar", disputed="wmo")
    (dispute,) = open_disputes(client=client_)
    assert (dispute.part, dispute.tab, dispute.deadline) == ("Wmo", "wmo", objection.due_on)
    svc.decide(
        objection, actor=officer, decision="afgewezen", reason="Het gebruik is wettelijk verplicht."
    )
    assert open_disputes(client=client_) == []


# --- the daily reminders --------------------------------------------------------------------


def test_reminders_once_per_state_and_after_an_extension_afresh(client_, lead, member, officer):
    pr = _file(client_, by=lead, received_on=dt.date(2026, 1, 31))  # due 28 Feb
    Notification.objects.all().delete()
    with time_machine.travel(dt.datetime(2026, 2, 20, 5, tzinfo=dt.UTC), tick=False):
        assert privacy_request_reminders_task() == 0  # 8 days left: nothing yet
    with time_machine.travel(dt.datetime(2026, 2, 21, 5, tzinfo=dt.UTC), tick=False):
        assert privacy_request_reminders_task() == 2  # 7 days left: officer + casemanager
        assert privacy_request_reminders_task() == 0  # run twice: nothing twice
    with time_machine.travel(dt.datetime(2026, 2, 28, 5, tzinfo=dt.UTC), tick=False):
        assert privacy_request_reminders_task() == 0  # the deadline day: still "due soon"
    with time_machine.travel(dt.datetime(2026, 3, 1, 5, tzinfo=dt.UTC), tick=False):
        assert privacy_request_reminders_task() == 2  # overdue
        assert privacy_request_reminders_task("2026-03-01") == 0
    kinds = sorted(Notification.objects.filter(recipient=member).values_list("kind", flat=True))
    assert kinds == ["escalation", "reminder"]
    assert Notification.objects.filter(recipient=officer, title__contains="te laat").count() == 1
    # Decided: no more reminders, ever.
    svc.decide(pr, actor=officer, decision="toegewezen", reason="Het verslag is gecorrigeerd.")
    with time_machine.travel(dt.datetime(2026, 3, 5, 5, tzinfo=dt.UTC), tick=False):
        assert privacy_request_reminders_task() == 0


def test_an_extended_request_is_reminded_against_its_new_deadline(client_, lead):
    pr = _file(client_, by=lead, received_on=dt.date(2026, 1, 31))
    svc.extend(
        pr,
        actor=lead,
        months=1,
        reason="Het dossier is groot.",
        client_told_on=dt.date(2026, 2, 20),
        today=TODAY,
    )
    Notification.objects.all().delete()
    assert svc.send_reminders(today=dt.date(2026, 3, 1)) == 0  # not overdue: extended to 28 Mar
    assert svc.send_reminders(today=dt.date(2026, 3, 21)) == 1  # the casemanager (no officer)
    assert svc.send_reminders(today=dt.date(2026, 3, 29)) == 1
    assert PrivacyRequest.objects.get().status == PrivacyRequestStatus.OPEN
