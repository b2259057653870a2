"""The signaleringsplan (crisis plan): versions, the client's agreement, the frame header,
the two PDFs, access (incl. a crisis worker of another team granted by the team lead) and
the audit of every read."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clients.constants import AssignmentRole
from clients.services import assignment_set
from herstelplan import services
from herstelplan.constants import PlanStatus
from herstelplan.models import SignalPlan, SignalPlanContact
from olteams.models import AuditEvent
from tests.factories.herstelplan import signal_plan_in_force

pytestmark = pytest.mark.django_db

CONTACTS = [{"name": "Crisisdienst", "role": "crisisdienst", "phone": "088 123 45 67"}]


def _draft(client, user, **texts):
    plan = services.signal_plan_create(actor=user, client=client)
    return services.signal_plan_update(
        actor=user,
        plan=plan,
        lock_version=plan.lock_version,
        contacts=CONTACTS,
        **{"red_signs": "Ik hoor stemmen.", **texts},
    )


# --- versions and agreement -------------------------------------------------------------


def test_a_draft_is_not_in_force_until_the_client_agrees(care_client, member):
    draft = _draft(care_client, member, green_signs="Ik sport twee keer per week.")
    assert (draft.version, draft.status, draft.agreed_on) == (1, PlanStatus.DRAFT, None)
    plan = services.signal_plan_agree(
        actor=member,
        plan=draft,
        lock_version=draft.lock_version,
        agreed_on=dt.date(2026, 3, 1),
        agreed_how="verbal",
    )
    plan.refresh_from_db()
    assert (plan.status, plan.agreed_on, plan.agreed_how, plan.agreed_recorded_by) == (
        PlanStatus.ACTIVE,
        dt.date(2026, 3, 1),
        "verbal",
        member,
    )


def test_a_new_version_copies_the_plan_in_force_and_replaces_it_on_agreement(care_client, member):
    first = signal_plan_in_force(care_client, member)
    second = services.signal_plan_create(actor=member, client=care_client)
    assert (second.version, second.status, second.copied_from) == (2, PlanStatus.DRAFT, first)
    assert second.red_signs == "Ik slaap niet meer."
    assert second.admission_care == "Mijn zus zorgt voor de kat."
    assert list(second.contacts.values_list("name", "phone")) == [
        ("Crisisdienst", "088 123 45 67"),
        ("Dokter Jansen", "020-1234567"),
    ]
    # the version in force is untouched while the draft is written
    second = services.signal_plan_update(
        actor=member, plan=second, lock_version=second.lock_version, red_signs="Ik eet niet."
    )
    first.refresh_from_db()
    assert (first.status, first.red_signs) == (PlanStatus.ACTIVE, "Ik slaap niet meer.")

    services.signal_plan_agree(
        actor=member,
        plan=second,
        lock_version=second.lock_version,
        agreed_on=dt.date(2026, 4, 1),
        agreed_how="digital",
    )
    first.refresh_from_db()
    assert first.status == PlanStatus.ARCHIVED
    assert first.archived_on is not None
    assert first.red_signs == "Ik slaap niet meer."  # older versions stay readable
    assert SignalPlanContact.objects.filter(plan=first).count() == 2
    assert list(SignalPlan.objects.filter(client=care_client).values_list("version", "status")) == [
        (2, "active"),
        (1, "archived"),
    ]


def test_only_one_draft_at_a_time(care_client, member):
    services.signal_plan_create(actor=member, client=care_client)
    with pytest.raises(ValidationError) as exc:
        services.signal_plan_create(actor=member, client=care_client)
    assert exc.value.messages == ["Er is al een concept van het signaleringsplan."]


def test_agreement_needs_red_signs_a_contact_a_date_and_a_way(care_client, member):
    draft = services.signal_plan_create(actor=member, client=care_client)
    with pytest.raises(ValidationError) as exc:
        services.signal_plan_agree(
            actor=member,
            plan=draft,
            lock_version=draft.lock_version,
            agreed_on=dt.date(2999, 1, 1),
            agreed_how="fax",
        )
    assert exc.value.message_dict == {
        "agreed_on": ["De datum van het akkoord mag niet in de toekomst liggen."],
        "agreed_how": ["Kies hoe de cliënt akkoord gaf."],
        "red_signs": ["Beschrijf eerst de signalen van een crisis (rood)."],
        "contacts": ["Vul eerst minstens één crisiscontact in."],
    }
    draft.refresh_from_db()
    assert (draft.status, draft.agreed_on) == (PlanStatus.DRAFT, None)


def test_a_stale_save_and_a_change_to_the_plan_in_force_are_refused(care_client, member):
    draft = _draft(care_client, member)
    with pytest.raises(ValidationError) as exc:
        services.signal_plan_update(
            actor=member, plan=draft, lock_version=draft.lock_version - 1, red_team="x"
        )
    assert "Iemand anders heeft dit signaleringsplan gewijzigd" in exc.value.messages[0]
    plan = services.signal_plan_agree(
        actor=member,
        plan=draft,
        lock_version=draft.lock_version,
        agreed_on=dt.date(2026, 3, 1),
        agreed_how="paper",
    )
    with pytest.raises(ValidationError) as exc:
        services.signal_plan_update(
            actor=member, plan=plan, lock_version=plan.lock_version, red_team="x"
        )
    assert exc.value.messages[0].startswith("Deze versie is geen concept meer")
    plan.refresh_from_db()
    assert plan.red_team == ""


def test_contacts_need_a_name_and_a_phone_number(care_client, member):
    draft = services.signal_plan_create(actor=member, client=care_client)
    with pytest.raises(ValidationError) as exc:
        services.signal_plan_update(
            actor=member,
            plan=draft,
            lock_version=draft.lock_version,
            contacts=[
                {"name": "", "role": "huisarts", "phone": "020 123"},
                {"name": "Zus", "role": "", "phone": "bel me"},
                {"name": "", "role": "", "phone": ""},  # an empty row is dropped
            ],
        )
    assert exc.value.message_dict == {
        "contacts": [
            "Contact 1: vul de naam in.",
            "Contact 2: het telefoonnummer bevat alleen cijfers, spaties, - en +.",
        ]
    }
    assert not draft.contacts.exists()


def test_a_worker_without_clinical_access_cannot_write(care_client, secretary, outsider):
    for actor in (secretary, outsider):
        with pytest.raises(PermissionDenied):
            services.signal_plan_create(actor=actor, client=care_client)
    assert not SignalPlan.objects.exists()


# --- the frame header ---------------------------------------------------------------------


def test_the_header_says_whether_a_signaleringsplan_is_in_force(care_client, member, login):
    http = login(member)
    url = reverse("herstelplan:client-overview", args=[care_client.pk])
    page = http.get(url)
    assert "geen signaleringsplan" in page.content.decode()
    signal_plan_in_force(care_client, member, agreed_on=dt.date(2026, 3, 2))
    html = http.get(url).content.decode()
    assert "signaleringsplan aanwezig (versie 1, 2 mrt 2026)" in html
    assert "geen signaleringsplan" not in html


def test_the_client_file_reads_the_plan_in_force_with_the_client(care_client, member, login):
    """The client file reads the version in force with the client's own row (no query of
    its own) and its header says what every other client page says: the version in force,
    not a newer draft, and nothing when there is none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    http = login(member)
    file_url = reverse("caseload:client-file", args=[care_client.pk])
    other_url = reverse("herstelplan:client-overview", args=[care_client.pk])
    assert "geen signaleringsplan" in http.get(file_url).content.decode()
    signal_plan_in_force(care_client, member, agreed_on=dt.date(2026, 3, 2))
    second = signal_plan_in_force(care_client, member, agreed_on=dt.date(2026, 4, 9))
    services.signal_plan_create(actor=member, client=care_client)  # version 3, a draft
    alert = "signaleringsplan aanwezig (versie 2, 9 apr 2026)"
    assert second.version == 2
    assert alert in http.get(other_url).content.decode()

    with CaptureQueriesContext(connection) as queries:
        html = http.get(file_url).content.decode()

    assert alert in html
    assert "geen signaleringsplan" not in html
    reads = [q["sql"] for q in queries if SignalPlan._meta.db_table in q["sql"]]
    assert len(reads) == 1
    assert 'FROM "clients_client"' in reads[0], "only the client's own query reads it"


def test_no_alert_for_a_client_not_in_care(team, member, login):
    from clients.models import Client

    client = Client.objects.create(team=team, first_name="Piet", last_name="Wachter")
    page = login(member).get(reverse("clients:client-detail", args=[client.pk]))
    assert page.status_code == 200
    assert "signaleringsplan" not in page.content.decode()


# --- pages, PDFs and audit ------------------------------------------------------------------


def _pdf_page_sizes(content: bytes) -> list[tuple[float, float]]:
    """Page sizes in points, read with pdfinfo when present, else from the MediaBox."""
    if shutil.which("pdfinfo"):
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(content)
            f.flush()
            out = subprocess.run(  # noqa: S603
                ["pdfinfo", "-f", "1", "-l", "99", f.name],  # noqa: S607
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        return [
            (float(w), float(h))
            for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)
        ]
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", content)
    return [(float(w), float(h)) for w, h in boxes]


def test_the_pdf_is_one_a4_page_and_the_card_is_credit_card_sized(care_client, member, login):
    plan = signal_plan_in_force(care_client, member)
    http = login(member)
    response = http.get(reverse("herstelplan:signal-plan-pdf", args=[care_client.pk, plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        'attachment; filename="signaleringsplan-versie-1.pdf"'
    )
    sizes = _pdf_page_sizes(response.content)
    assert len(sizes) == 1
    assert sizes[0] == pytest.approx((595.28, 841.89), abs=1)

    card = http.get(reverse("herstelplan:signal-plan-card", args=[care_client.pk, plan.pk]))
    assert card.status_code == 200
    assert card.content.startswith(b"%PDF")
    sizes = _pdf_page_sizes(card.content)
    assert len(sizes) == 2  # the contacts, then the red stage
    # 85.6 by 54 mm is 242.65 by 153.07 points
    assert all(s == pytest.approx((242.65, 153.07), abs=0.5) for s in sizes)
    events = AuditEvent.objects.filter(client_id=care_client.pk, event_type="print")
    assert events.count() == 2
    assert {e.user_id for e in events} == {member.pk}


def test_every_read_is_audited(care_client, member, login):
    plan = signal_plan_in_force(care_client, member)
    http = login(member)
    for url in (
        reverse("herstelplan:signal-plan-list", args=[care_client.pk]),
        reverse("herstelplan:signal-plan-detail", args=[care_client.pk, plan.pk]),
    ):
        before = AuditEvent.objects.filter(client_id=care_client.pk, event_type="read").count()
        page = http.get(url)
        assert page.status_code == 200
        assert "Ik slaap niet meer." in page.content.decode()
        after = AuditEvent.objects.filter(client_id=care_client.pk, event_type="read").count()
        assert after == before + 1


def test_the_casemanager_writes_and_records_agreement_through_the_pages(care_client, member, login):
    http = login(member)
    response = http.post(reverse("herstelplan:signal-plan-create", args=[care_client.pk]))
    draft = SignalPlan.objects.get(client=care_client)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "herstelplan:signal-plan-edit", args=[care_client.pk, draft.pk]
    )
    edit = reverse("herstelplan:signal-plan-edit", args=[care_client.pk, draft.pk])
    data = {
        "lock_version": draft.lock_version,
        "red_signs": "Ik kom mijn huis niet meer uit.",
        "contact-TOTAL_FORMS": "2",
        "contact-INITIAL_FORMS": "0",
        "contact-0-name": "Zus",
        "contact-0-role": "naaste",
        "contact-0-phone": "geen nummer",
        "contact-1-name": "",
    }
    bad = http.post(edit, data)
    assert bad.status_code == 400
    assert "Contact 1: het telefoonnummer bevat alleen cijfers" in bad.content.decode()
    assert "Ik kom mijn huis niet meer uit." in bad.content.decode()  # typed values kept
    draft.refresh_from_db()
    assert (draft.red_signs, draft.contacts.count()) == ("", 0)

    good = http.post(edit, {**data, "contact-0-phone": "06 12345678"})
    assert good.status_code == 302
    draft.refresh_from_db()
    assert draft.red_signs == "Ik kom mijn huis niet meer uit."
    assert list(draft.contacts.values_list("name", "phone")) == [("Zus", "06 12345678")]

    agree = http.post(
        reverse("herstelplan:signal-plan-agree", args=[care_client.pk, draft.pk]),
        {"lock_version": draft.lock_version, "agreed_on": "2026-03-02", "agreed_how": "paper"},
    )
    assert agree.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.agreed_recorded_by) == (PlanStatus.ACTIVE, member)


# --- access: a crisis worker of another team, granted by the team lead --------------------


def test_a_granted_crisis_worker_of_another_team_reads_the_plan_and_others_do_not(
    care_client, member, lead, outsider, login
):
    plan = signal_plan_in_force(care_client, member)
    urls = [
        reverse("herstelplan:signal-plan-list", args=[care_client.pk]),
        reverse("herstelplan:signal-plan-detail", args=[care_client.pk, plan.pk]),
        reverse("herstelplan:signal-plan-card", args=[care_client.pk, plan.pk]),
    ]
    crisis_worker = login(outsider)
    for url in urls:
        assert crisis_worker.get(url).status_code == 404
    denied = AuditEvent.objects.filter(client_id=care_client.pk, user=outsider, outcome="denied")
    assert denied.count() == 3

    assignment_set(
        actor=lead,
        client=care_client,
        worker=outsider,
        role=AssignmentRole.OTHER,
        start_date=dt.date(2026, 1, 1),
        reason="Crisisdienst tijdens het weekend",
    )
    for url in urls:
        assert crisis_worker.get(url).status_code == 200
    reads = AuditEvent.objects.filter(
        client_id=care_client.pk, user=outsider, outcome="success"
    ).exclude(object_type="clients.assignment")
    assert reads.count() == 3


# --- the REST API -------------------------------------------------------------------------


def _api(name, *args):
    return reverse(f"api:herstelplan-signal-plan-{name}", args=args)


def test_the_api_writes_a_draft_and_records_the_agreement(care_client, member, login):
    http = login(member)
    created = http.post(_api("list", care_client.pk))
    assert created.status_code == 201
    plan = created.json()
    assert (plan["version"], plan["status"], plan["contacts"]) == (1, "draft", [])

    bad = http.patch(
        _api("detail", care_client.pk, plan["id"]),
        {
            "lock_version": plan["lock_version"],
            "red_signs": "Ik bel niemand meer terug.",
            "contacts": [{"name": "Zus", "role": "naaste", "phone": "onbekend"}],
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "contacts": ["Contact 1: het telefoonnummer bevat alleen cijfers, spaties, - en +."]
    }
    assert SignalPlan.objects.get(pk=plan["id"]).red_signs == ""  # nothing half-saved

    early = http.post(
        _api("agree", care_client.pk, plan["id"]),
        {"lock_version": plan["lock_version"], "agreed_on": "2026-03-01", "agreed_how": "paper"},
        content_type="application/json",
    )
    assert early.status_code == 400
    assert early.json() == {
        "red_signs": ["Beschrijf eerst de signalen van een crisis (rood)."],
        "contacts": ["Vul eerst minstens één crisiscontact in."],
    }

    saved = http.patch(
        _api("detail", care_client.pk, plan["id"]),
        {
            "lock_version": plan["lock_version"],
            "red_signs": "Ik bel niemand meer terug.",
            "contacts": [{"name": "Zus", "role": "naaste", "phone": "06 12345678"}],
        },
        content_type="application/json",
    )
    assert saved.status_code == 200
    assert saved.json()["contacts"] == [{"name": "Zus", "role": "naaste", "phone": "06 12345678"}]
    agreed = http.post(
        _api("agree", care_client.pk, plan["id"]),
        {
            "lock_version": saved.json()["lock_version"],
            "agreed_on": "2026-03-01",
            "agreed_how": "paper",
        },
        content_type="application/json",
    )
    assert agreed.status_code == 200
    assert (agreed.json()["status"], agreed.json()["agreed_recorded_by"]) == ("active", member.pk)
    listing = http.get(_api("list", care_client.pk)).json()
    assert [(p["version"], p["status"]) for p in listing] == [(1, "active")]


def test_the_api_refuses_a_worker_of_another_team_without_a_grant(
    care_client, member, outsider, login
):
    plan = signal_plan_in_force(care_client, member)
    http = login(outsider)
    assert http.get(_api("list", care_client.pk)).status_code == 404
    assert http.get(_api("detail", care_client.pk, plan.pk)).status_code == 404
    assert http.post(_api("list", care_client.pk)).status_code == 404
    assert SignalPlan.objects.count() == 1


def test_a_stale_form_keeps_the_typed_text_and_says_why_at_the_top(care_client, member, login):
    draft = _draft(care_client, member)
    services.signal_plan_update(
        actor=member, plan=draft, lock_version=draft.lock_version, red_team="Eerst bellen."
    )
    response = login(member).post(
        reverse("herstelplan:signal-plan-edit", args=[care_client.pk, draft.pk]),
        {
            "lock_version": draft.lock_version,  # the version the form was opened on
            "red_team": "Direct langskomen.",
            "contact-TOTAL_FORMS": "0",
            "contact-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Iemand anders heeft dit signaleringsplan gewijzigd nadat u het opende. "
        "Uw wijziging is niet opgeslagen. Open het plan opnieuw."
    ]
    assert "Direct langskomen." in response.content.decode()
    draft.refresh_from_db()
    assert draft.red_team == "Eerst bellen."
