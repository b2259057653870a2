"""Browser views: wiring, permissions, audit events, Dutch errors with typed values kept."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from clients import services
from clients.constants import Phase
from clients.models import CareEpisode, Client, Naaste, ReferralDecision
from clients.pdf import intake_letter_html
from olteams.constants import AuditEventType
from olteams.models import AuditEvent
from tests.clients.conftest import VALID_BSN
from tests.factories.clients import ClientFactory

pytestmark = pytest.mark.django_db


def _events(event_type, client_id=None):
    qs = AuditEvent.objects.filter(event_type=event_type)
    return qs.filter(client_id=client_id) if client_id else qs


# --- lists ---------------------------------------------------------------------------


def test_client_list_shows_masked_bsn_and_records_search(registered, member, login):
    response = login(member).get(reverse("clients:client-list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Anna de Boer" in body
    assert "*****6782" in body
    assert VALID_BSN not in body
    assert "1 cliënt gevonden" in body
    event = _events(AuditEventType.SEARCH).get()
    assert (event.client_id, event.object_type, event.username) == (None, "clients.client", "lid")


def test_client_list_filters_and_htmx_swaps_only_the_table(registered, member, team, login):
    ClientFactory(team=team, first_name="Cees", last_name="Zwart")
    http = login(member)
    body = http.get(reverse("clients:client-list"), {"q": "zwart"}).content.decode()
    assert "Cees Zwart" in body and "Anna de Boer" not in body
    partial = http.get(
        reverse("clients:client-list"), {"phase": "aangemeld"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert partial.lstrip().startswith('<div id="client-table">')
    assert "Anna de Boer" in partial and "Cees Zwart" not in partial
    assert "<h1>" not in partial


def test_client_list_search_by_full_bsn(registered, member, team, login):
    ClientFactory(team=team, last_name="Ander")
    body = login(member).get(reverse("clients:client-list"), {"q": "1234 56 782"}).content.decode()
    assert "1 cliënt gevonden" in body


def test_client_list_sorts_by_column(member, team, login):
    ClientFactory(team=team, first_name="A", last_name="Aalbers", date_of_birth=dt.date(1990, 1, 1))
    ClientFactory(team=team, first_name="Z", last_name="Zeeman", date_of_birth=dt.date(1950, 1, 1))
    body = login(member).get(reverse("clients:client-list"), {"sorteer": "-naam"}).content.decode()
    assert body.index("Zeeman") < body.index("Aalbers")
    assert 'aria-sort="descending"' in body


def test_other_team_sees_nothing(registered, outsider, login):
    body = login(outsider).get(reverse("clients:client-list")).content.decode()
    assert "Anna" not in body
    response = login(outsider).get(reverse("clients:client-detail", args=[registered.pk]))
    assert response.status_code == 404


def test_export_only_for_lead_and_secretariaat_and_audited(registered, member, secretary, login):
    assert (
        "Exporteren (CSV)" not in login(member).get(reverse("clients:client-list")).content.decode()
    )
    assert login(member).get(reverse("clients:client-export", args=["csv"])).status_code == 403
    response = login(secretary).get(reverse("clients:client-export", args=["csv"]))
    content = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert "Anna de Boer" in content and "*****6782" in content and VALID_BSN not in content
    xlsx = login(secretary).get(reverse("clients:client-export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=2).value == "Anna de Boer"
    assert _events(AuditEventType.EXPORT).count() == 2


def test_waiting_list_shows_days_waited_and_voorzorg(waiting, member, login):
    services.episode_voorzorg_contact(
        actor=member, episode=waiting, on=dt.date(2020, 1, 10), today=dt.date(2020, 1, 10)
    )
    with time_machine.travel(dt.datetime(2020, 3, 2, 12, tzinfo=dt.UTC)):
        body = login(member).get(reverse("clients:waiting-list")).content.decode()
    assert "Anna de Boer" in body
    assert '<td class="num">56</td>' in body  # 6 January → 2 March 2020
    assert ">ja</span>" in body
    assert _events(AuditEventType.SEARCH).filter(detail="wachtlijst").count() == 1


def test_waiting_list_filters_by_urgency(waiting, member, login):
    body = (
        login(member).get(reverse("clients:waiting-list"), {"urgency": "normaal"}).content.decode()
    )
    assert "Anna de Boer" not in body
    body = login(member).get(reverse("clients:waiting-list"), {"urgency": "hoog"}).content.decode()
    assert "Anna de Boer" in body


def test_unfunded_list_for_lead_only(in_care, lead, member, login):
    assert login(member).get(reverse("clients:unfunded-list")).status_code == 403
    body = login(lead).get(reverse("clients:unfunded-list")).content.decode()
    assert "Anna de Boer" in body


# --- register ------------------------------------------------------------------------


def test_register_client_and_audit(member, login):
    response = login(member).post(
        reverse("clients:client-register"),
        {
            "first_name": "Kees",
            "last_name": "Mulder",
            "date_of_birth": "1975-06-01",
            "bsn": "111222333",
        },
    )
    client = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:client-detail", args=[client.pk])
    assert _events(AuditEventType.CREATE, client.pk).count() == 1
    assert "111222333" not in response["Location"]


def test_register_invalid_bsn_gives_dutch_error_and_keeps_values(member, login):
    response = login(member).post(
        reverse("clients:client-register"),
        {
            "first_name": "Kees",
            "last_name": "Mulder",
            "date_of_birth": "2999-01-01",
            "bsn": "123456789",
            "city": "Assen",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Dit BSN is niet geldig (de elfproef klopt niet)." in body
    assert "De geboortedatum ligt in de toekomst." in body
    assert 'value="Mulder"' in body and 'value="Assen"' in body and 'value="123456789"' in body
    assert Client.objects.count() == 0


def test_register_duplicate_shows_existing_client(registered, member, login):
    response = login(member).post(
        reverse("clients:client-register"),
        {"first_name": "Anne", "last_name": "Boer", "date_of_birth": "1985-04-12"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Mogelijk is deze cliënt al geregistreerd" in body
    assert reverse("caseload:client-file", args=[registered.pk]) in body  # the frame's landing
    assert "Dit is een andere persoon" in body
    assert Client.objects.count() == 1


def test_register_duplicate_bsn_of_other_team_reveals_no_details(registered, outsider, login):
    response = login(outsider).post(
        reverse("clients:client-register"), {"first_name": "X", "last_name": "Y", "bsn": VALID_BSN}
    )
    body = response.content.decode()
    assert "Deze cliënt is al geregistreerd" in body
    # Neither the name nor the link to the existing record may leak to another team.
    assert registered.full_name not in body
    assert reverse("clients:client-detail", kwargs={"client_id": registered.pk}) not in body


def test_register_from_referral(referral, member, login):
    url = reverse("clients:client-register") + f"?aanmelding={referral.pk}"
    response = login(member).post(url, {"first_name": "Anna", "last_name": "Boer"})
    assert response.status_code == 302
    assert CareEpisode.objects.get().phase == Phase.REFERRED


# --- referrals -----------------------------------------------------------------------


def test_referral_create_and_lead_decides(member, lead, login):
    response = login(member).post(
        reverse("clients:referral-create"),
        {
            "person_name": "Piet Post",
            "referred_on": "2020-02-01",
            "source": "politie",
            "urgency": "spoed",
            "question": "Hij slaapt niet meer.",
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    assert "Besluit nemen" not in login(member).get(detail).content.decode()
    assert login(member).post(detail, {"kind": "consultatie"}).status_code == 403
    response = login(lead).post(detail, {"kind": "doorverwijzen", "destination": ""})
    assert response.status_code == 400
    assert "Vul in waarheen de persoon is doorverwezen." in response.content.decode()
    response = login(lead).post(detail, {"kind": "doorverwijzen", "destination": "Wijkteam"})
    assert response.status_code == 302
    assert ReferralDecision.objects.get().destination == "Wijkteam"


def test_referral_bad_input_keeps_values(member, login):
    response = login(member).post(
        reverse("clients:referral-create"),
        {
            "person_name": "Piet Post",
            "referred_on": "2999-02-01",
            "source": "politie",
            "urgency": "normaal",
            "question": "",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "De datum van aanmelding ligt in de toekomst." in body
    assert 'value="Piet Post"' in body


def test_referral_of_other_team_is_404(referral, outsider, login):
    response = login(outsider).get(reverse("clients:referral-detail", args=[referral.pk]))
    assert response.status_code == 404


# --- client detail and episode actions ----------------------------------------------


def test_client_detail_records_read(in_care, member, login):
    client = in_care.client
    response = login(member).get(reverse("clients:client-detail", args=[client.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Anna de Boer" in body and "In zorg" in body and "Uitstroom vastleggen" in body
    assert _events(AuditEventType.READ, client.pk).count() == 1


def test_intake_plan_letter_and_complete_via_views(waiting, member, psychiatrist, login):
    client = waiting.client
    http = login(member)
    with time_machine.travel(dt.datetime(2020, 1, 10, 9, tzinfo=dt.UTC)):
        response = http.post(
            reverse("clients:intake-plan", args=[client.pk]),
            {
                "planned_on": "2020-01-02",
                "planned_time": "10:30",
                "location": "Kantoor",
                "workers": [member.pk],
            },
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "De intake ligt vóór de datum van aanmelding (6 januari 2020)." in body
        assert 'value="Kantoor"' in body
        response = http.post(
            reverse("clients:intake-plan", args=[client.pk]),
            {
                "planned_on": "2020-01-20",
                "planned_time": "10:30",
                "location": "Kantoor",
                "workers": [member.pk, psychiatrist.pk],
            },
        )
        assert response.status_code == 302
    http = login(member)  # the session slid to travelled time: idle since 2020 now
    pdf = http.get(reverse("clients:intake-letter", args=[client.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert _events(AuditEventType.PRINT, client.pk).count() == 1
    response = http.post(
        reverse("clients:intake-complete", args=[client.pk]),
        {
            "completed_on": "2020-01-20",
            "outcome_notes": "Goed gesprek.",
            "casemanager": member.pk,
            "regiebehandelaar": psychiatrist.pk,
        },
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.phase == Phase.IN_CARE


def test_intake_letter_text(waiting, member, psychiatrist):
    intake = services.intake_plan(
        actor=member,
        episode=waiting,
        planned_on=dt.date(2020, 1, 20),
        planned_time=dt.time(14, 0),
        location="Stationsstraat 1",
        workers=[psychiatrist],
        today=dt.date(2020, 1, 10),
    )
    html = intake_letter_html(intake)
    for text in (
        "Stationsstraat 1",
        "0592 123 456",
        "maandag 20 januari 2020",
        "14:00",
        "Neem uw identiteitsbewijs mee",
        "U mag altijd een naaste meenemen",
        "Petra Bakker",
    ):
        assert text in html


def test_outflow_without_reason_then_with_reason_then_reentry(in_care, member, login):
    client = in_care.client
    http = login(member)
    response = http.post(
        reverse("caseload:outflow", args=[client.pk]),
        {"on": "2020-02-01", "reason": "", "destination": "Huisarts"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Kies een reden van uitstroom." in body and 'value="Huisarts"' in body
    response = http.post(
        reverse("caseload:outflow", args=[client.pk]),
        {"on": "2020-02-01", "reason": "poh_huisarts", "destination": "Huisarts"},
    )
    assert response.status_code == 302
    response = http.post(
        reverse("clients:episode-reenter", args=[client.pk]),
        {"on": "2020-02-15", "casemanager": member.pk},
    )
    assert response.status_code == 302
    episode = client.episodes.get(ended_on__isnull=True)
    assert (episode.phase, episode.plan_review_required) == (Phase.IN_CARE, True)


def test_phase_jump_via_view_gives_dutch_message(registered, member, login):
    response = login(member).post(
        reverse("clients:episode-transition", args=[registered.pk]),
        {"to_phase": "in_zorg", "on": "2020-01-10"},
    )
    assert response.status_code == 400
    assert "er worden stappen overgeslagen" in response.content.decode()


def test_naaste_without_relation_via_view(registered, member, login):
    response = login(member).post(
        reverse("clients:naaste-create", args=[registered.pk]),
        {"name": "Piet", "relation": "", "role": "familie", "share_scope": "niets"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Vul de relatie tot de cliënt in" in body and 'value="Piet"' in body
    assert Naaste.objects.count() == 0
    response = login(member).post(
        reverse("clients:naaste-create", args=[registered.pk]),
        {
            "name": "Piet",
            "relation": "vader",
            "role": "familie",
            "share_scope": "niets",
            "zag_due_on": "2021-01-01",
        },
    )
    assert response.status_code == 302
    assert _events(AuditEventType.UPDATE, registered.pk).count() == 2


def test_consent_give_and_withdraw_via_views(registered, member, org_welzijn, login):
    http = login(member)
    response = http.post(
        reverse("clients:consent-create", args=[registered.pk]),
        {
            "recipient_organisation": org_welzijn.pk,
            "category": "ggz_treatment",
            "purpose_kind": "care",
            "purpose": "Afstemming",
            "given_on": "2020-02-01",
        },
    )
    assert response.status_code == 302
    consent = registered.consents.get()
    assert consent.purpose_kind == "care"
    response = http.post(
        reverse("clients:consent-withdraw", args=[registered.pk, consent.pk]),
        {"withdrawn_on": "2020-02-10"},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == dt.date(2020, 2, 10)


def test_merge_page_for_lead_only(registered, member, lead, team, login):
    other = ClientFactory(team=team, first_name="Anna", last_name="Boer-Dubbel", bsn=None)
    url = reverse("clients:client-merge", args=[registered.pk])
    assert login(member).get(url).status_code == 404
    response = login(lead).post(url, {"merged": other.pk, "confirm": "on"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.merged_into == registered
    assert _events(AuditEventType.MERGE, other.pk).count() == 1


def test_intake_plan_form_pre_ticks_nobody_and_the_letter_prints_the_chosen(
    waiting, secretary, psychiatrist, login
):
    """The secretary who plans the intake was pre-ticked and printed under "U spreekt met"."""
    from clients.pdf import intake_letter_html

    client = waiting.client
    http = login(secretary)
    form = http.get(reverse("clients:intake-plan", args=[client.pk])).context["form"]
    assert form.initial.get("workers") is None
    assert "checked" not in str(form["workers"])
    with time_machine.travel(dt.datetime(2020, 1, 10, 9, tzinfo=dt.UTC)):
        response = http.post(
            reverse("clients:intake-plan", args=[client.pk]),
            {
                "planned_on": "2020-01-20",
                "planned_time": "10:30",
                "location": "Kantoor",
                "workers": [psychiatrist.pk],
            },
        )
    assert response.status_code == 302
    html = intake_letter_html(waiting.intake.__class__.objects.get(episode=waiting))
    spoken = html.split("U spreekt met")[1].split("</tr>")[0]
    assert "Petra Bakker" in spoken
    assert secretary.get_full_name() not in spoken and secretary.username not in spoken
