"""The logging pages: defaults, happy paths, Dutch errors that save nothing, permissions, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from caseload.constants import ContactFunding, ContactKind, CrisisSetting, NonClientCode
from caseload.models import Consultation, Contact, Crisis, IntensityChange, NonClientTime
from clients.constants import Phase
from olteams.constants import AuditEventType
from olteams.models import AuditEvent
from tests.caseload.conftest import TODAY
from tests.factories.caseload import ContactFactory, CrisisFactory, NonClientTimeFactory
from tests.factories.clients import CareEpisodeFactory
from tests.factories.wmo import active_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def contact_url(client) -> str:
    return reverse("caseload:contact-create", kwargs={"client_id": client.pk})


def contact_post(**overrides):
    data = {
        "date": "2026-03-02",
        "time": "10:15",
        "duration_minutes": "45",
        "kind": ContactKind.PHONE,
        "funding_stream": ContactFunding.LIJNTJE_HOUDEN,
        "travel_minutes": "0",
        "note": "Gebeld over de afspraak bij de huisarts.",
    }
    return data | overrides


def file_url(client) -> str:
    try:
        return reverse("caseload:client-file", kwargs={"client_id": client.pk})
    except Exception:
        return reverse("clients:client-detail", kwargs={"client_id": client.pk})


# --- contacts ----------------------------------------------------------------------------


def test_the_contact_form_has_quick_defaults(member, welfare_member, care_client, login):
    goals = active_plan(care_client, member)
    ContactFactory(client=care_client, author=member, kind=ContactKind.VIDEO)
    CareEpisodeFactory(client=care_client, phase=Phase.IN_CARE, started_on=dt.date(2025, 1, 1))

    response = login(member).get(contact_url(care_client))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["date"] == TODAY
    assert form.initial["time"] == dt.time(14, 30)
    assert form.initial["duration_minutes"] == 45
    assert form.initial["kind"] == ContactKind.VIDEO  # the last kind the user logged
    assert form.initial["workers"] == [member.pk]
    assert form.initial["funding_stream"] == ContactFunding.ZVW  # casemanager, in care
    html = response.content.decode()
    assert 'type="date"' in html and 'type="time"' in html
    assert "autofocus" in html
    assert 'value="2026-03-02"' in html and 'value="14:30"' in html
    assert set(form.fields["workers"].queryset) == {member, welfare_member}
    assert list(form.fields["goals"].queryset) == goals
    assert "Aanwezige medewerkers" in html and "Doelen uit het herstelplan" in html


def test_logging_a_contact_redirects_to_the_client_file(member, care_client, login):
    http = login(member)

    response = http.post(contact_url(care_client), contact_post())

    assert response.status_code == 302
    assert response["Location"] == file_url(care_client)
    contact = Contact.objects.get()
    assert (contact.kind, contact.duration_minutes, contact.date) == ("telefoon", 45, TODAY)
    assert list(contact.workers.all()) == [member]
    assert AuditEvent.objects.filter(
        client_id=care_client.pk, event_type=AuditEventType.CREATE, user=member
    ).exists()


def test_a_safe_next_url_is_followed_an_unsafe_one_not(member, care_client, login):
    http = login(member)

    safe = http.post(contact_url(care_client) + "?next=/caseload/tijd/", contact_post())
    unsafe = http.post(contact_url(care_client), contact_post(next="https://evil.example/"))

    assert safe["Location"] == "/caseload/tijd/"
    assert unsafe["Location"] == file_url(care_client)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"duration_minutes": "-5"}, "De duur moet tussen 1 en 1440 minuten (24 uur) liggen."),
        ({"duration_minutes": "1500"}, "De duur moet tussen 1 en 1440 minuten (24 uur) liggen."),
        ({"date": "2026-03-03"}, "Het contact ligt in de toekomst."),
        ({"duration_minutes": "veel"}, "Voer een geheel getal in."),
        ({"date": ""}, "Dit veld is vereist."),
    ],
)
def test_bad_contact_input_shows_dutch_errors_and_saves_nothing(
    member, care_client, login, overrides, message
):
    response = login(member).post(contact_url(care_client), contact_post(**overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert Contact.objects.count() == 0
    # every typed value is kept
    assert "Gebeld over de afspraak bij de huisarts." in response.content.decode()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("consultant", 404),
        ("stuurgroep_user", 404),
        ("controller", 404),
        ("secretary", 200),
        ("lead", 200),
        ("member", 200),
    ],
)
def test_contact_form_permissions(who, expected, request, care_client, client, login):
    http = client if who == "anonymous" else login(request.getfixturevalue(who))

    get = http.get(contact_url(care_client))
    post = http.post(contact_url(care_client), contact_post())

    assert get.status_code == expected
    if who == "anonymous":
        assert "/aanmelden/" in get["Location"]
    assert post.status_code == (302 if expected == 200 else expected)
    assert Contact.objects.count() == (1 if expected == 200 else 0)
    if expected == 404:
        assert AuditEvent.objects.filter(client_id=care_client.pk, outcome="denied").count() == 2


def test_reading_the_contact_form_is_audited(member, care_client, login):
    login(member).get(contact_url(care_client))

    event = AuditEvent.objects.get(client_id=care_client.pk)
    assert (event.event_type, event.user, event.outcome) == ("read", member, "success")


def test_correcting_a_contact(member, care_client, login):
    contact = ContactFactory(
        client=care_client, author=member, starts_at=dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    )
    url = reverse(
        "caseload:contact-update", kwargs={"client_id": contact.client_id, "contact_id": contact.pk}
    )
    http = login(member)

    page = http.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["date"] == dt.date(2026, 3, 1)
    assert page.context["form"].initial["time"] == dt.time(10, 0)  # local time
    response = http.post(url, contact_post(duration_minutes="30"))

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.duration_minutes, contact.kind) == (30, ContactKind.PHONE)
    assert AuditEvent.objects.filter(
        client_id=care_client.pk, event_type="update", object_id=str(contact.pk)
    ).exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("outsider", 404), ("consultant", 404), ("welfare_member", 403), ("lead", 200)],
)
def test_contact_correction_permissions(who, expected, request, member, care_client, login):
    contact = ContactFactory(client=care_client, author=member)
    url = reverse(
        "caseload:contact-update", kwargs={"client_id": contact.client_id, "contact_id": contact.pk}
    )
    http = login(request.getfixturevalue(who))

    assert http.get(url).status_code == expected
    http.post(url, contact_post(duration_minutes="10"))

    contact.refresh_from_db()
    assert contact.duration_minutes == (10 if expected == 200 else 45)


# --- non-client time ---------------------------------------------------------------------


def test_non_client_time_page_lists_own_time_with_the_form(member, welfare_member, team, login):
    NonClientTimeFactory(worker=member, team=team, minutes=75)
    NonClientTimeFactory(worker=welfare_member, team=team, minutes=33)

    response = login(member).get(reverse("caseload:nonclient-list"))

    assert response.status_code == 200
    assert [r.minutes for r in response.context["page"]] == [75]
    assert response.context["form"].initial["date"] == TODAY
    assert "worker" not in response.context["form"].fields


def test_a_lead_sees_the_teams_time_and_may_log_for_a_worker(lead, member, team, login):
    NonClientTimeFactory(worker=member, team=team)
    http = login(lead)

    page = http.get(reverse("caseload:nonclient-list"))
    assert len(page.context["page"]) == 1
    assert "worker" in page.context["form"].fields

    response = http.post(
        reverse("caseload:nonclient-create"),
        {"team": team.pk, "worker": member.pk, "date": "2026-03-02", "minutes": "60", "code": "2"},
    )
    assert response.status_code == 302
    assert NonClientTime.objects.filter(worker=member, created_by=lead, code="2").exists()


def test_logging_non_client_time(member, team, login):
    response = login(member).post(
        reverse("caseload:nonclient-create"),
        {"team": team.pk, "date": "2026-03-02", "minutes": "90", "code": "1", "target": "huisarts"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("caseload:nonclient-list")
    assert NonClientTime.objects.get().minutes == 90


def test_code_7_without_explanation_is_a_dutch_field_error(member, team, login):
    response = login(member).post(
        reverse("caseload:nonclient-create"),
        {"team": team.pk, "date": "2026-03-02", "minutes": "30", "code": NonClientCode.OTHER},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["explanation"] == [
        "Geef een toelichting bij code 7 (overig)."
    ]
    assert NonClientTime.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("consultant", 403), ("stuurgroep_user", 403), ("member", 200)],
)
@pytest.mark.parametrize("name", ["caseload:nonclient-list", "caseload:nonclient-create"])
def test_non_client_time_permissions(who, expected, name, request, team, client, login):
    http = client if who == "anonymous" else login(request.getfixturevalue(who))

    assert http.get(reverse(name)).status_code == expected
    http.post(
        reverse("caseload:nonclient-create"),
        {"team": team.pk, "date": "2026-03-02", "minutes": "90", "code": "2"},
    )
    assert NonClientTime.objects.count() == (1 if expected == 200 else 0)


# --- intensity and crises ----------------------------------------------------------------


def test_scaling_up_with_a_reason(member, care_client, login):
    url = reverse("caseload:intensity-create", kwargs={"client_id": care_client.pk})
    http = login(member)

    assert http.get(url).context["form"].initial["date"] == TODAY
    response = http.post(url, {"date": "2026-03-01", "level": "4", "reason": "Meer onrust."})

    assert response.status_code == 302
    assert IntensityChange.objects.get().level == 4


def test_scaling_without_a_reason_is_refused(member, care_client, login):
    url = reverse("caseload:intensity-create", kwargs={"client_id": care_client.pk})

    response = login(member).post(url, {"date": "2026-03-01", "level": "4", "reason": ""})

    assert response.status_code == 400
    assert "Geef de reden van het op- of afschalen." in response.content.decode()
    assert IntensityChange.objects.count() == 0


def test_recording_and_ending_a_crisis(member, care_client, login):
    http = login(member)
    create = reverse("caseload:crisis-create", kwargs={"client_id": care_client.pk})

    response = http.post(
        create,
        {"started_on": "2026-02-25", "setting": CrisisSetting.HIC, "reason": "Suïcidaal."},
    )
    assert response.status_code == 302
    crisis = Crisis.objects.get()

    end = reverse(
        "caseload:crisis-update", kwargs={"client_id": care_client.pk, "crisis_id": crisis.pk}
    )
    assert http.get(end).status_code == 200
    assert http.post(end, {"ended_on": "2026-03-01"}).status_code == 302
    crisis.refresh_from_db()
    assert crisis.ended_on == dt.date(2026, 3, 1)


def test_a_crisis_with_other_setting_needs_the_setting_named(member, care_client, login):
    create = reverse("caseload:crisis-create", kwargs={"client_id": care_client.pk})

    response = login(member).post(
        create, {"started_on": "2026-02-25", "setting": "overig", "reason": "Onrust."}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["setting_other"] == [
        "Beschrijf waar de cliënt is opgenomen."
    ]
    assert Crisis.objects.count() == 0


def test_a_crisis_of_another_client_is_not_found_through_this_client(
    member, care_client, team, login
):
    from tests.factories.clients import ClientFactory

    other = CrisisFactory(client=ClientFactory(team=team))
    url = reverse(
        "caseload:crisis-update", kwargs={"client_id": care_client.pk, "crisis_id": other.pk}
    )

    assert login(member).post(url, {"ended_on": "2026-03-01"}).status_code == 404
    other.refresh_from_db()
    assert other.ended_on is None


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("consultant", 404),
        ("stuurgroep_user", 404),
        ("member", 200),
    ],
)
@pytest.mark.parametrize("name", ["caseload:intensity-create", "caseload:crisis-create"])
def test_event_form_permissions(who, expected, name, request, care_client, client, login):
    http = client if who == "anonymous" else login(request.getfixturevalue(who))
    url = reverse(name, kwargs={"client_id": care_client.pk})

    assert http.get(url).status_code == expected
    http.post(
        url,
        {
            "date": "2026-03-01",
            "level": "2",
            "reason": "Stabiel.",
            "started_on": "2026-03-01",
            "setting": "geen",
        },
    )
    assert IntensityChange.objects.count() + Crisis.objects.count() == (1 if expected == 200 else 0)


# --- consultations -----------------------------------------------------------------------


def test_logging_a_consultation_and_seeing_it_in_the_list(member, team, care_client, login):
    http = login(member)

    form = http.get(reverse("caseload:consultation-create"))
    assert list(form.context["form"].fields["client"].queryset) == [care_client]
    response = http.post(
        reverse("caseload:consultation-create"),
        {
            "team": team.pk,
            "date": "2026-03-02",
            "requester_kind": "huisarts",
            "about": "man, 40 jaar",
            "minutes": "20",
        },
    )
    assert response.status_code == 302
    listing = http.get(reverse("caseload:consultation-list"))
    assert [c.minutes for c in listing.context["page"]] == [20]
    assert "man, 40 jaar" in listing.content.decode()
    assert AuditEvent.objects.filter(user=member, event_type="search").exists()


def test_a_consultation_about_nobody_is_refused_in_dutch(member, team, login):
    response = login(member).post(
        reverse("caseload:consultation-create"),
        {"team": team.pk, "date": "2026-03-02", "requester_kind": "huisarts", "minutes": "20"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["about"] == [
        "Beschrijf over wie de vraag ging (zonder naam), of kies een cliënt."
    ]
    assert Consultation.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("consultant", 403), ("stuurgroep_user", 403), ("member", 200)],
)
@pytest.mark.parametrize("name", ["caseload:consultation-list", "caseload:consultation-create"])
def test_consultation_permissions(who, expected, name, request, client, login):
    http = client if who == "anonymous" else login(request.getfixturevalue(who))

    assert http.get(reverse(name)).status_code == expected
