"""``manage.py seed_demo`` and ``olteams.demo``: idempotent, shaped like the reference data,
and every demo login can sign in with its printed backup code."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.machinery
import io
import random
import sys
import types
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.test import Client as HttpClient
from django_otp.plugins.otp_static.models import StaticToken

from herstelplan.models import IrocAnswer, IrocAnswerLabel, IrocIndicator
from olteams import demo
from olteams.access import roles_of
from olteams.constants import AuditEventType, Discipline, OrganisationKind, Role, TeamRole
from olteams.models import (
    AuditEvent,
    EmergencyAccess,
    Membership,
    Notification,
    Organisation,
    Team,
    User,
)

pytestmark = pytest.mark.django_db

TODAY = "2026-11-24"


# A twentieth of the reference clients: the full demo takes minutes; what is tested here
# (staff, logins, idempotency) does not depend on the number of clients.
SCALE = "0.05"


def seed_demo(*extra: str) -> str:
    out = io.StringIO()
    call_command(
        "seed_demo",
        "--today",
        TODAY,
        "--allow-without-debug",
        "--scale",
        SCALE,
        *extra,
        stdout=out,
    )
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_running_twice_creates_nothing_new():
    seed_demo()
    first = row_counts()
    assert first["olteams.Membership"] > 50
    seed_demo()
    assert row_counts() == first


def test_the_same_seed_gives_the_same_people():
    demo.seed(today=dt.date(2026, 11, 24), rng=random.Random(1))
    names = dict(User.objects.values_list("username", "last_name"))
    User.objects.filter(username__startswith="assen.").update(last_name="Anders")
    demo.seed(today=dt.date(2026, 11, 24), rng=random.Random(1))
    assert User.objects.get(username="assen.cm2").last_name == "Anders"  # existing rows kept
    assert len(names) == User.objects.count()


def test_organisations_municipalities_and_teams():
    seed_demo()
    assert dict(Organisation.objects.values_list("short_name", "kind")) == {
        "GGZ Drenthe": OrganisationKind.GGZ,
        "VNN": OrganisationKind.VERSLAVINGSZORG,
        "Cosis": OrganisationKind.BEGELEIDING,
        "Sedna": OrganisationKind.BEGELEIDING,
        "SWWH": OrganisationKind.WELZIJN,
        "CZ": OrganisationKind.ZORGVERZEKERAAR,
        "Menzis": OrganisationKind.ZORGVERZEKERAAR,
        "VGZ": OrganisationKind.ZORGVERZEKERAAR,
        "Zilveren Kruis": OrganisationKind.ZORGVERZEKERAAR,
    }
    teams = {t.slug: t for t in Team.objects.prefetch_related("municipalities")}
    assert {
        slug: sorted(m.cbs_code for m in t.municipalities.all()) for slug, t in teams.items()
    } == {
        "assen": ["0106"],
        "emmen": ["0114"],
        "de-wolden-hoogeveen": ["0118", "1690"],
        "midden-drenthe": ["1731"],
    }
    assert teams["midden-drenthe"].city == "Beilen"
    assert all(t.phone and t.address and t.postcode for t in teams.values())


def _csv_actuals(team: str) -> Decimal:
    with demo.FTE_CSV.open(encoding="utf-8") as handle:
        return sum(
            Decimal(r["actual_2020_03"])
            for r in csv.DictReader(handle)
            if r["team"] == team and r["discipline"] != "Aantal cliënten"
        )


def test_formations_follow_the_reference_figures():
    seed_demo()
    totals = dict(
        Membership.objects.values("team__slug")
        .annotate(total=Sum("fte"))
        .values_list("team__slug", "total")
    )
    assert totals == {
        "assen": _csv_actuals("Assen"),
        "emmen": _csv_actuals("Emmen"),
        "de-wolden-hoogeveen": Decimal("17.00"),
        "midden-drenthe": Decimal("6.00"),
    }
    assert totals["assen"] == Decimal("13.60")
    assert not Membership.objects.filter(fte__gt=1).exists()
    assert not Membership.objects.filter(fte__lte=0).exists()


def test_each_discipline_comes_from_its_mother_organisation():
    seed_demo()
    pairs = set(
        Membership.objects.values_list("team__slug", "discipline", "organisation__short_name")
    )
    assert ("assen", Discipline.CASEMANAGER, "GGZ Drenthe") in pairs
    assert ("assen", Discipline.VERSLAVINGSZORG_MEDEWERKER, "VNN") in pairs
    assert ("assen", Discipline.AMBULANT_BEGELEIDER, "Cosis") in pairs
    assert ("de-wolden-hoogeveen", Discipline.AMBULANT_BEGELEIDER, "Sedna") in pairs
    assert ("midden-drenthe", Discipline.AMBULANT_BEGELEIDER, "Sedna") in pairs
    assert ("emmen", Discipline.MAATSCHAPPELIJK_WERKER, "SWWH") in pairs
    assert ("assen", Discipline.IPS, "GGZ Drenthe") in pairs
    # Emmen had no SPV'er in March 2020.
    assert not Membership.objects.filter(team__slug="emmen", discipline=Discipline.SPV).exists()
    assert Membership.objects.filter(role=TeamRole.LEAD).count() == 4


def test_staff_usernames_and_no_usable_password_for_staff():
    seed_demo()
    staff = User.objects.get(username="assen.cm2")
    assert staff.first_name and staff.last_name
    assert not staff.has_usable_password()
    assert User.objects.filter(username="hoogeveen.cm1").exists()
    assert not User.objects.filter(username="assen.cm1").exists()  # that post is demo.teamlid


EXPECTED_FIRST_ROLE = {
    "demo.teamlid": Role.TEAM_MEMBER,
    "demo.teamleider": Role.TEAM_LEAD,
    "demo.secretariaat": Role.SECRETARIAAT,
    "demo.consulent": Role.WMO_CONSULTANT,
    "demo.consulentlead": Role.WMO_LEAD,
    "demo.controller": Role.CONTROLLER,
    "demo.stuurgroep": Role.STUURGROEP,
    "demo.beheer": Role.FUNCTIONAL_ADMIN,
    "demo.privacy": Role.PRIVACY_OFFICER,
}


def test_one_demo_login_per_role():
    seed_demo()
    assert {u: roles_of(User.objects.get(username=u))[0] for u in EXPECTED_FIRST_ROLE} == (
        EXPECTED_FIRST_ROLE
    )
    teamlid = Membership.objects.get(user__username="demo.teamlid")
    assert (teamlid.team.slug, teamlid.discipline, teamlid.organisation.short_name) == (
        "assen",
        Discipline.CASEMANAGER,
        "GGZ Drenthe",
    )
    beheer = User.objects.get(username="demo.beheer")
    assert (beheer.is_staff, beheer.is_superuser, beheer.is_functional_admin) == (True, False, True)


def test_backup_codes_are_deterministic_eight_digits():
    codes = {u: demo.backup_code_for(u) for u in EXPECTED_FIRST_ROLE}
    assert all(len(c) == 8 and c.isdigit() for c in codes.values())
    assert len(set(codes.values())) == len(codes)
    assert demo.backup_code_for("demo.teamlid") == codes["demo.teamlid"]


@pytest.mark.parametrize("username", list(EXPECTED_FIRST_ROLE))
def test_every_demo_login_signs_in_with_password_and_backup_code(username):
    seed_demo()
    http = HttpClient()
    response = http.post("/aanmelden/", {"username": username, "password": "demo-wachtwoord"})
    assert response["Location"] == "/aanmelden/verificatie/"
    response = http.post("/aanmelden/verificatie/", {"token": demo.backup_code_for(username)})
    assert response["Location"] == "/"
    assert http.get("/").status_code == 200


def test_a_used_backup_code_is_restored_by_the_next_run():
    seed_demo()
    http = HttpClient()
    http.post("/aanmelden/", {"username": "demo.teamlid", "password": "demo-wachtwoord"})
    http.post("/aanmelden/verificatie/", {"token": demo.backup_code_for("demo.teamlid")})
    assert not StaticToken.objects.filter(device__user__username="demo.teamlid").exists()
    seed_demo()
    assert list(
        StaticToken.objects.filter(device__user__username="demo.teamlid").values_list(
            "token", flat=True
        )
    ) == [demo.backup_code_for("demo.teamlid")]


def test_the_command_prints_the_address_and_every_login():
    output = seed_demo()
    assert "http://127.0.0.1:8000" in output
    assert "Gebruikersnaam" in output
    assert "Reservecode" in output
    for username in EXPECTED_FIRST_ROLE:
        line = next(line for line in output.splitlines() if line.startswith(username + " "))
        assert "demo-wachtwoord" in line
        assert line.endswith(demo.backup_code_for(username))


def test_the_command_runs_the_demo_of_each_app_that_has_one(monkeypatch):
    calls = []
    fake = types.ModuleType("finance.demo")
    fake.__spec__ = importlib.machinery.ModuleSpec("finance.demo", None)
    fake.seed = lambda *, today, rng: calls.append((today, rng.random()))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "finance.demo", fake)
    output = seed_demo("--seed", "7")
    assert "demodata geladen: finance" in output
    assert calls == [(dt.date(2026, 11, 24), random.Random("7:finance").random())]


def test_the_command_refuses_without_debug_unless_allowed(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()


def test_the_command_rejects_a_malformed_date():
    with pytest.raises(CommandError, match="JJJJ-MM-DD"):
        call_command("seed_demo", "--today", "24-11-2026", "--allow-without-debug")


@pytest.mark.parametrize("scale", ["0", "-1", "veel"])
def test_the_command_rejects_a_scale_that_is_not_a_positive_number(scale):
    with pytest.raises(CommandError, match="groter dan 0"):
        call_command("seed_demo", "--scale", scale, "--allow-without-debug")
    assert not User.objects.exists()


def test_the_seed_restores_the_iroc_wording_a_flush_removed():
    IrocIndicator.objects.all().delete()
    IrocAnswerLabel.objects.all().delete()
    seed_demo()
    assert list(IrocIndicator.objects.values_list("number", flat=True)) == list(range(1, 13))
    assert IrocAnswerLabel.objects.count() == 6
    assert IrocAnswer.objects.exists()


def test_the_demo_has_an_emergency_access_for_the_privacy_officer_to_review():
    seed_demo()
    access = EmergencyAccess.objects.get()
    assert access.user.username == "demo.teamlid" and access.reason
    assert access.reviewed_at is None
    officer = User.objects.get(username="demo.privacy")
    assert officer.is_privacy_officer
    assert Notification.objects.filter(recipient=officer, client_id=access.client_id).exists()
    assert AuditEvent.objects.filter(
        emergency_access=access, event_type=AuditEventType.EMERGENCY
    ).exists()
