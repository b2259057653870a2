"""Browser views of the backbone: sign-in with two factors, start pages, notifications,
health, the audit log viewer and the admin gate."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client as HttpClient
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from olteams.constants import AuditEventType, AuditOutcome, NotificationKind
from olteams.models import AuditEvent, Notification
from olteams.services import notification_create
from olteams.tasks import BEAT_TICK_KEY
from tests.factories.olteams import TEST_PASSWORD, UserFactory, give_backup_code

pytestmark = pytest.mark.django_db

LOGIN = "/aanmelden/"
VERIFY = "/aanmelden/verificatie/"
ENROL = "/aanmelden/koppelen/"


def sign_in(http: HttpClient, user, password: str = TEST_PASSWORD):
    return http.post(LOGIN, {"username": user.username, "password": password})


def totp_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def signed_in_user_id(http: HttpClient) -> str | None:
    return http.session.get("_auth_user_id")


# --- sign-in ---------------------------------------------------------------------------


def test_wrong_password_shows_a_dutch_error_and_starts_no_session(client, member):
    response = sign_in(client, member, "verkeerd-wachtwoord")
    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord klopt niet." in response.content.decode()
    assert signed_in_user_id(client) is None


def test_right_password_without_a_device_leads_to_enrolment(client, member):
    response = sign_in(client, member)
    assert response.status_code == 302
    assert response["Location"] == ENROL
    assert signed_in_user_id(client) == str(member.pk)
    event = AuditEvent.objects.get(user=member, event_type=AuditEventType.LOGIN)
    assert (event.action, event.outcome, event.detail) == ("E", AuditOutcome.SUCCESS, "wachtwoord")


def test_right_password_with_a_confirmed_authenticator_leads_to_verification(client, member):
    TOTPDevice.objects.create(user=member, name="telefoon", confirmed=True)
    response = sign_in(client, member)
    assert (response.status_code, response["Location"]) == (302, VERIFY)


def test_the_next_page_survives_both_steps(client, member):
    device = TOTPDevice.objects.create(user=member, name="telefoon", confirmed=True)
    response = client.post(
        LOGIN, {"username": "lid", "password": TEST_PASSWORD, "next": "/meldingen/"}
    )
    assert response["Location"] == f"{VERIFY}?next=%2Fmeldingen%2F"
    response = client.post(
        response["Location"], {"token": totp_token(device), "next": "/meldingen/"}
    )
    assert response["Location"] == "/meldingen/"


def test_an_offsite_next_is_ignored(client, member):
    device = TOTPDevice.objects.create(user=member, name="telefoon", confirmed=True)
    sign_in(client, member)
    response = client.post(VERIFY, {"token": totp_token(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_valid_totp_code_verifies_and_opens_the_start_page(client, member):
    device = TOTPDevice.objects.create(user=member, name="telefoon", confirmed=True)
    sign_in(client, member)
    response = client.post(VERIFY, {"token": totp_token(device)})
    assert (response.status_code, response["Location"]) == (302, "/")
    home = client.get("/")
    assert home.status_code == 200
    assert "Startpagina voor het team · Teamlid" in home.content.decode()


def test_a_wrong_totp_code_shows_a_dutch_error(client, member):
    device = TOTPDevice.objects.create(user=member, name="telefoon", confirmed=True)
    sign_in(client, member)
    wrong = f"{(int(totp_token(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet of is verlopen." in response.content.decode()
    assert client.get("/")["Location"] == f"{VERIFY}?next=/"


def test_a_static_backup_code_works_once_only(client, member):
    give_backup_code(member, "12345678")
    assert sign_in(client, member)["Location"] == VERIFY
    assert client.post(VERIFY, {"token": "1234 5678"})["Location"] == "/"
    client.post(reverse("olteams:logout"))
    assert signed_in_user_id(client) is None
    sign_in(client, member)
    response = client.post(VERIFY, {"token": "12345678"})
    assert response.status_code == 200
    assert "Deze code klopt niet of is verlopen." in response.content.decode()


def test_enrolment_shows_a_qr_code_and_confirms_the_device_with_one_code(client, member):
    sign_in(client, member)
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        wrong = f"{(int(totp_token(device)) + 1) % 1_000_000:06d}"
        response = client.post(ENROL, {"token": wrong})
        assert "Deze code klopt niet. Controleer de tijd op uw telefoon." in (
            response.content.decode()
        )
        traveller.shift(dt.timedelta(seconds=5))  # django-otp throttles right after a failure
        device.refresh_from_db()
        response = client.post(ENROL, {"token": totp_token(device)})
    assert (response.status_code, response["Location"]) == (302, "/")
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/").status_code == 200
    assert client.get(ENROL)["Location"] == VERIFY  # a confirmed device: nothing to enrol


def test_verification_without_signing_in_goes_back_to_the_sign_in_page(client):
    assert client.get(VERIFY)["Location"] == LOGIN
    assert client.get(ENROL)["Location"] == LOGIN


# --- the two-factor gate ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/meldingen/", "/admin/", "/beheer/auditlog/"])
def test_an_unverified_user_is_sent_to_verification(client, admin_user, path):
    client.force_login(admin_user)
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (302, f"{VERIFY}?next={path}")


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/meldingen/"])
def test_an_unverified_session_gets_403_from_the_api(client, member, path):
    client.force_login(member)
    response = client.get(path)
    assert response.status_code == 403
    assert response.json() == {"detail": "Tweestapsverificatie is vereist."}


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/meldingen/")
    assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next=/meldingen/")


def test_axes_locks_out_after_five_failures_with_a_dutch_page(client, member):
    for _ in range(5):
        sign_in(client, member, "verkeerd-wachtwoord")
    response = sign_in(client, member)
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_four_failures_do_not_lock_out(client, member):
    for _ in range(4):
        sign_in(client, member, "verkeerd-wachtwoord")
    assert sign_in(client, member).status_code == 302


# --- idle session expiry -------------------------------------------------------------------


def test_session_settings_give_a_sliding_thirty_minute_idle_expiry():
    assert settings.SESSION_COOKIE_AGE == 1800
    # Sliding without a write per request: IdleSessionMiddleware refreshes once a minute.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_TOUCH_SECONDS == 60
    # In the database only: a Redis outage must not sign everybody out or answer 500.
    # (olteams.sessions is Django's database store with its read compiled once.)
    from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

    from olteams.sessions import SessionStore

    assert settings.SESSION_ENGINE == "olteams.sessions"
    assert issubclass(SessionStore, DatabaseSessionStore)
    assert "load" not in SessionStore.__dict__ and "save" not in SessionStore.__dict__
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_a_session_expires_after_thirty_idle_minutes_and_slides_with_activity(member, login):
    start = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        http = login(member)
        assert http.get("/").status_code == 200
        session = Session.objects.get(session_key=http.session.session_key)
        assert session.expire_date == start + dt.timedelta(seconds=1800)
        for _ in range(2):  # two requests 29 minutes apart keep the session alive
            traveller.shift(dt.timedelta(minutes=29))
            assert http.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = http.get("/")
        assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next=/")


def test_a_page_view_within_a_minute_writes_no_session(member, login):
    start = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        http = login(member)
        assert http.get("/").status_code == 200
        traveller.shift(dt.timedelta(seconds=30))
        with CaptureQueriesContext(connection) as ctx:
            assert http.get("/").status_code == 200
        writes = ("UPDATE", "INSERT", "DELETE")
        session_writes = [
            q
            for q in ctx.captured_queries
            if "django_session" in q["sql"] and q["sql"].lstrip().startswith(writes)
        ]
        assert not session_writes  # it reads the session (database sessions), never writes
        traveller.shift(dt.timedelta(seconds=31))  # a minute since the last refresh
        with CaptureQueriesContext(connection) as ctx:
            assert http.get("/").status_code == 200
        writes = [q for q in ctx.captured_queries if "django_session" in q["sql"]]
        assert any(q["sql"].startswith(("UPDATE", "INSERT")) for q in writes), writes


# --- start page per role -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_fixture", "heading"),
    [
        ("member", "Startpagina voor het team · Teamlid"),
        ("lead", "Startpagina voor het team · Teamleider"),
        ("secretary", "Startpagina voor het team · Zorgsecretariaat"),
        ("consultant", "<h1>Wmo-consulent: startpagina</h1>"),
        ("consultant_lead", "<h1>Teamleider Wmo-consulenten: startpagina</h1>"),
        ("controller", "<h1>Controller: startpagina</h1>"),
        ("stuurgroep_user", "<h1>Stuurgroep: startpagina</h1>"),
        ("admin_user", "<h1>Functioneel beheer: startpagina</h1>"),
    ],
)
def test_each_role_sees_its_own_start_page(request, login, user_fixture, heading):
    response = login(request.getfixturevalue(user_fixture)).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert heading in html
    assert html.count("<h1") == 1


def test_team_start_page_lists_the_users_memberships(member, login, team):
    html = login(member).get("/").content.decode()
    assert "<td>Team Noord</td><td>GGZ-T</td><td>Casemanager</td><td>Teamlid</td>" in html


def test_a_user_without_a_role_is_told_so(login):
    response = login(UserFactory(username="zonderrol")).get("/")
    assert "<h1>Geen rol toegekend</h1>" in response.content.decode()


def test_navigation_shows_only_the_roles_items(admin_user, member, login):
    admin_html = login(admin_user).get("/").content.decode()
    member_html = login(member).get("/").content.decode()
    assert 'href="/beheer/auditlog/"' in admin_html
    assert 'href="/beheer/auditlog/"' not in member_html


# --- notifications ---------------------------------------------------------------------------


def test_notification_list_shows_only_own_notifications_and_the_unread_badge(member, lead, login):
    notification_create(recipients=[member], title="Intake morgen", kind=NotificationKind.TASK)
    notification_create(recipients=[lead], title="Voor de teamleider")
    html = login(member).get("/meldingen/").content.decode()
    assert "Intake morgen" in html
    assert "Voor de teamleider" not in html
    assert 'aria-label="1 ongelezen">1</span>' in html


def test_notification_list_query_count_does_not_grow_with_rows(
    member, login, django_assert_max_num_queries
):
    http = login(member)
    notification_create(recipients=[member], title="Eerste")
    # 13: one more than before issue 11, the access scope that names the clients (once)
    with django_assert_max_num_queries(13) as few:
        http.get("/meldingen/")
    for i in range(10):
        notification_create(recipients=[member], title=f"Melding {i}", client_id=1000 + i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        http.get("/meldingen/")


def test_mark_read_marks_the_given_own_notifications(member, lead, login):
    notification_create(recipients=[member, lead], title="A", dedupe_key="a")
    notification_create(recipients=[member], title="B", dedupe_key="b")
    mine_a = Notification.objects.get(recipient=member, dedupe_key="a")
    lead_a = Notification.objects.get(recipient=lead, dedupe_key="a")
    http = login(member)
    response = http.post("/meldingen/gelezen/", {"id": [str(mine_a.pk), str(lead_a.pk), "x"]})
    assert response["Location"] == "/meldingen/"
    assert set(Notification.objects.filter(read_at__isnull=False)) == {mine_a}
    response = http.post("/meldingen/gelezen/", follow=True)
    assert "1 melding(en) gemarkeerd als gelezen." in response.content.decode()
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=lead_a.pk).read_at is None


def test_mark_read_refuses_get(member, login):
    assert login(member).get("/meldingen/gelezen/").status_code == 405


# --- health ---------------------------------------------------------------------------------


def test_healthz_is_public_json_and_ok(client):
    cache.set(BEAT_TICK_KEY, timezone.now().isoformat(), timeout=None)
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert {k: data[k] for k in ("database", "redis", "beat", "status")} == {
        "database": "ok",
        "redis": "ok",
        "beat": "ok",
        "status": "ok",
    }
    assert data["beat_last_tick"] == cache.get(BEAT_TICK_KEY)


def test_healthz_without_any_beat_tick_yet_is_unknown_but_up(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()["beat"]) == (200, "unknown")


def test_healthz_is_503_when_the_beat_tick_is_stale(client):
    cache.set(BEAT_TICK_KEY, (timezone.now() - dt.timedelta(minutes=10)).isoformat(), timeout=None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert (response.json()["beat"], response.json()["status"]) == ("stale", "down")


def test_healthz_is_503_when_redis_is_down(client):
    closed_port = {"default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=closed_port):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert {k: response.json()[k] for k in ("database", "redis", "status")} == {
        "database": "ok",
        "redis": "down",
        "status": "down",
    }


# --- audit log viewer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "user_fixture", ["member", "lead", "secretary", "consultant", "controller", "stuurgroep_user"]
)
@pytest.mark.parametrize("path", ["/beheer/auditlog/", "/beheer/auditlog/export.csv"])
def test_audit_log_is_for_the_functional_admin_only(request, login, user_fixture, path):
    response = login(request.getfixturevalue(user_fixture)).get(path)
    assert response.status_code == 403


@pytest.fixture
def audit_rows(member, lead):
    from olteams.audit import audit_record

    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)):
        audit_record(user=member, event_type=AuditEventType.READ, client_id=101)
    with time_machine.travel(dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)):
        audit_record(user=lead, event_type=AuditEventType.UPDATE, client_id=101)
        audit_record(user=lead, event_type=AuditEventType.READ, client_id=202)


def _rows(html: str) -> int:
    return html.count("<tr><td>")


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("", 3),
        ("?client_id=101", 2),
        ("?username=leider", 2),
        ("?action=U", 1),
        # The database stamps the time (a travelled clock cannot back-date): all are today.
        ("?start={today}&end={today}", 3),
        ("?end={yesterday}", 0),
        ("?client_id=101&username=lid", 1),
    ],
)
def test_audit_log_filters(admin_user, login, audit_rows, query, count):
    today = timezone.localdate()
    query = query.format(today=today, yesterday=today - dt.timedelta(days=1))
    response = login(admin_user).get(f"/beheer/auditlog/{query}")
    assert response.status_code == 200
    assert _rows(response.content.decode()) == count


def test_audit_log_search_is_itself_logged(admin_user, login, audit_rows):
    login(admin_user).get("/beheer/auditlog/?client_id=101")
    event = AuditEvent.objects.get(user=admin_user, event_type=AuditEventType.SEARCH)
    assert (event.action, event.client_id) == ("E", 101)


def test_audit_log_rejects_an_inverted_period_in_dutch(admin_user, login, audit_rows):
    response = login(admin_user).get("/beheer/auditlog/?start=2026-05-31&end=2026-04-01")
    assert response.status_code == 200
    html = response.content.decode()
    assert "De einddatum ligt vóór de begindatum." in html
    assert _rows(html) == 0
    export = login(admin_user).get("/beheer/auditlog/export.csv?start=2026-05-31&end=2026-04-01")
    assert export.status_code == 400


def test_audit_log_rejects_a_malformed_date_in_dutch(admin_user, login):
    response = login(admin_user).get("/beheer/auditlog/?start=gisteren")
    assert response.status_code == 200
    assert "Voer een geldige datum in." in response.content.decode()


def test_audit_export_contains_the_filtered_rows_and_logs_itself(admin_user, login, audit_rows):
    response = login(admin_user).get("/beheer/auditlog/export.csv?client_id=101")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="auditlog.csv"'
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode()), delimiter=";")
    )
    assert rows[0][:5] == ["tijdstip", "actie", "soort", "uitkomst", "gebruiker"]
    # Newest first; the export's own event is written before the rows are read.
    assert [(r[1], r[4], r[9]) for r in rows[1:]] == [
        ("E", "beheerder", "101"),
        ("U", "leider", "101"),
        ("R", "lid", "101"),
    ]
    export = AuditEvent.objects.get(user=admin_user, event_type=AuditEventType.EXPORT)
    assert (export.action, export.client_id, export.detail) == (
        "E",
        101,
        "auditlog geëxporteerd (CSV)",
    )


# --- admin ------------------------------------------------------------------------------------


def test_admin_opens_for_a_verified_staff_user(admin_user, login):
    assert login(admin_user).get("/admin/").status_code == 200
    assert login(admin_user).get("/admin/olteams/team/").status_code == 200


def test_admin_refuses_a_verified_user_without_staff_status(member, login):
    response = login(member).get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")


def test_admin_refuses_a_staff_user_who_has_not_passed_the_second_factor(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=/admin/"
