"""Demo data of the organisational backbone (synthetic people, real-shaped teams).

``seed`` is idempotent: every row is found by its natural key before it is created, so a
second run creates nothing. Staff formations follow ``demo_data/business_case_fte.csv``
(the teams' own business case and March 2020 actuals); people and addresses are made up.
Staff accounts get no usable password: only the demo logins below can sign in, with the
demo password and a printed static backup code as the second factor.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import math
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from faker import Faker

from olteams.constants import Discipline, OrganisationKind, Role, TeamRole
from olteams.models import (
    ControllerRole,
    EmergencyAccess,
    Membership,
    Municipality,
    MunicipalityRole,
    Organisation,
    Team,
    User,
)
from olteams.services.privacy import emergency_access_request

DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105 — demo data only, printed by seed_demo
FTE_CSV = Path(__file__).resolve().parent / "demo_data" / "business_case_fte.csv"
MAX_PERSON_FTE = Decimal("0.90")  # formations are split into part-time posts of at most this

ORGANISATIONS = [  # short name (natural key), full name, kind, AGB code (synthetic)
    ("GGZ Drenthe", "GGZ Drenthe", OrganisationKind.GGZ, "73730001"),
    ("VNN", "Verslavingszorg Noord Nederland", OrganisationKind.VERSLAVINGSZORG, "73730002"),
    ("Cosis", "Cosis", OrganisationKind.BEGELEIDING, "98980003"),
    ("Sedna", "Sedna", OrganisationKind.BEGELEIDING, "98980004"),
    ("SWWH", "Stichting Welzijn Westerveld/Hoogeveen", OrganisationKind.WELZIJN, "98980005"),
]
MUNICIPALITIES = [
    ("0106", "Assen"),
    ("0114", "Emmen"),
    ("0118", "Hoogeveen"),
    ("1690", "De Wolden"),
    ("1731", "Midden-Drenthe"),
]


@dataclass(frozen=True)
class TeamSpec:
    slug: str
    name: str
    prefix: str  # of staff usernames: assen.cm1
    cbs_codes: tuple[str, ...]
    address: str
    postcode: str
    city: str
    phone: str
    started_on: dt.date
    neighbourhoods: tuple[str, ...]
    support_org: str  # who delivers ambulant support in this region
    target_fte: Decimal | None = None  # None: the team's own March 2020 actuals


TEAMS = [
    TeamSpec(
        "assen",
        "Assen",
        "assen",
        ("0106",),
        "Stationsstraat 12",
        "9401 KV",
        "Assen",
        "0592 700 110",
        dt.date(2018, 9, 1),
        ("Assen-Oost", "Kloosterveen", "Pittelo", "Noorderpark", "Lariks"),
        "Cosis",
    ),
    TeamSpec(
        "emmen",
        "Emmen",
        "emmen",
        ("0114",),
        "Hoofdstraat 80",
        "7811 EP",
        "Emmen",
        "0591 700 120",
        dt.date(2018, 11, 1),
        ("Emmerhout", "Bargeres", "Angelslo", "Emmermeer"),
        "Cosis",
    ),
    TeamSpec(
        "de-wolden-hoogeveen",
        "De Wolden/Hoogeveen",
        "hoogeveen",
        ("0118", "1690"),
        "Raadhuisplein 5",
        "7901 BP",
        "Hoogeveen",
        "0528 700 130",
        dt.date(2019, 3, 1),
        ("Hoogeveen-Centrum", "Krakeel", "Erflanden", "Zuidwolde", "Ruinen"),
        "Sedna",
        Decimal("17"),
    ),
    TeamSpec(
        "midden-drenthe",
        "Midden-Drenthe",
        "beilen",
        ("1731",),
        "Brinkstraat 3",
        "9411 KL",
        "Beilen",
        "0593 700 140",
        dt.date(2020, 1, 1),
        ("Beilen", "Westerbork", "Smilde", "Hooghalen"),
        "Sedna",
        Decimal("6"),
    ),
]

# CSV discipline → (discipline, organisation or None for the region's support organisation,
# team role, username abbreviation).
DISCIPLINES = {
    "Regionale projectleider": (Discipline.PROJECTLEIDER, "GGZ Drenthe", TeamRole.LEAD, "pl"),
    "Psychiater": (Discipline.PSYCHIATER, "GGZ Drenthe", TeamRole.MEMBER, "psy"),
    "(basis) GZ Psycholoog": (Discipline.GZ_PSYCHOLOOG, "GGZ Drenthe", TeamRole.MEMBER, "gz"),
    "Verslavingsarts": (Discipline.VERSLAVINGSARTS, "VNN", TeamRole.MEMBER, "va"),
    "SPV'er": (Discipline.SPV, "GGZ Drenthe", TeamRole.MEMBER, "spv"),
    "Medewerker VNN": (Discipline.VERSLAVINGSZORG_MEDEWERKER, "VNN", TeamRole.MEMBER, "vnn"),
    "Casemanager Fact": (Discipline.CASEMANAGER, "GGZ Drenthe", TeamRole.MEMBER, "cm"),
    "Maatschappelijk werker": (Discipline.MAATSCHAPPELIJK_WERKER, "SWWH", TeamRole.MEMBER, "mw"),
    "Maatschappelijk werk/buurtwerker": (
        Discipline.MAATSCHAPPELIJK_WERKER,
        "SWWH",
        TeamRole.MEMBER,
        "mw",
    ),
    "Verpleegkundig specialist": (
        Discipline.VERPLEEGKUNDIG_SPECIALIST,
        "GGZ Drenthe",
        TeamRole.MEMBER,
        "vs",
    ),
    "Ambulante begeleiders (Cosis)": (Discipline.AMBULANT_BEGELEIDER, None, TeamRole.MEMBER, "ab"),
    "Ervaringsdeskundigen": (Discipline.ERVARINGSDESKUNDIGE, "GGZ Drenthe", TeamRole.MEMBER, "ed"),
    "IPS arbeidsdeskundige/trajectbegeleider": (
        Discipline.IPS,
        "GGZ Drenthe",
        TeamRole.MEMBER,
        "ips",
    ),
    "Zorgsecretariaat": (Discipline.SECRETARIAAT, "GGZ Drenthe", TeamRole.SECRETARIAAT, "sec"),
}

# Demo logins that take a post in the Assen formation instead of a generated person.
STAFF_DEMO_LOGINS = {
    "assen.pl1": "demo.teamleider",
    "assen.cm1": "demo.teamlid",
    "assen.sec1": "demo.secretariaat",
}
DEMO_LOGINS: list[tuple[str, str]] = [
    ("demo.teamlid", Role.TEAM_MEMBER),
    ("demo.teamleider", Role.TEAM_LEAD),
    ("demo.secretariaat", Role.SECRETARIAAT),
    ("demo.consulent", Role.WMO_CONSULTANT),
    ("demo.consulentlead", Role.WMO_LEAD),
    ("demo.controller", Role.CONTROLLER),
    ("demo.stuurgroep", Role.STUURGROEP),
    ("demo.beheer", Role.FUNCTIONAL_ADMIN),
    ("demo.privacy", Role.PRIVACY_OFFICER),
]
# The demo's break-the-glass: the team member of Assen opened a file of another team.
DEMO_EMERGENCY_USER = "demo.teamlid"
DEMO_EMERGENCY_REASON = (
    "Cliënt meldde zich in crisis bij de huisartsenpost in Assen; de dienstdoende psychiater "
    "vroeg naar de actuele medicatie en het signaleringsplan."
)


def backup_code_for(username: str) -> str:
    """The demo user's static backup code: 8 digits, the same on every machine."""
    digest = hashlib.sha256(f"optimaal-leven-demo:{username}".encode()).hexdigest()
    return f"{int(digest, 16) % 10**8:08d}"


def _fte(value: str) -> Decimal:
    return Decimal(value or "0")


def formation(spec: TeamSpec, rows: list[dict[str, str]]) -> list[tuple[str, Decimal]]:
    """(CSV discipline, FTE) of a team: its own actuals, or the Assen business case scaled."""
    if spec.target_fte is None:
        own = [(r["discipline"], _fte(r["actual_2020_03"])) for r in rows if r["team"] == spec.name]
        return [(d, f) for d, f in own if d in DISCIPLINES and f > 0]
    shape = [
        (r["discipline"], _fte(r["business_case_140_clients"]))
        for r in rows
        if r["team"] == "Assen" and r["discipline"] in DISCIPLINES
    ]
    factor = spec.target_fte / sum(f for _, f in shape)
    return [
        (d, max(Decimal("0.05"), (f * factor).quantize(Decimal("0.01"), ROUND_HALF_UP)))
        for d, f in shape
    ]


def split_fte(total: Decimal, largest: Decimal = MAX_PERSON_FTE) -> list[Decimal]:
    """Part-time posts of equal size (≤ ``largest``) that add up to ``total`` exactly."""
    count = max(1, math.ceil(total / largest))
    share = (total / count).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return [share] * (count - 1) + [total - share * (count - 1)]


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)  # hashed once: the slow part of seeding


def _user(username: str, fake: Faker, *, demo: bool = False, **flags: bool) -> User:
    first, last = fake.first_name(), fake.last_name()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@optimaalleven.invalid",
            **flags,
        },
    )
    if created:
        user.password = _demo_password_hash() if demo else make_password(None)
        user.save(update_fields=["password"])
    if demo:
        _ensure_backup_code(user)
    return user


def _ensure_backup_code(user: User) -> None:
    """A used static token is deleted by django-otp; a new run puts it back."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    StaticToken.objects.get_or_create(device=device, token=backup_code_for(user.username))


def _seed_places(today: dt.date) -> tuple[dict[str, Organisation], dict[str, Team]]:
    organisations = {
        short: Organisation.objects.get_or_create(
            short_name=short, defaults={"name": name, "kind": kind, "agb_code": agb}
        )[0]
        for short, name, kind, agb in ORGANISATIONS
    }
    municipalities = {
        code: Municipality.objects.get_or_create(cbs_code=code, defaults={"name": name})[0]
        for code, name in MUNICIPALITIES
    }
    teams = {}
    for spec in TEAMS:
        team, created = Team.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "address": spec.address,
                "postcode": spec.postcode,
                "city": spec.city,
                "phone": spec.phone,
                # Synthetic: the demo's own opening hours and an invented crisis line.
                "opening_hours": "Maandag tot en met vrijdag 8.30 tot 17.00 uur",
                "crisis_phone": "0800 123 4567",
                "started_on": spec.started_on,
                "email": f"team.{spec.prefix}@optimaalleven.invalid",
                "neighbourhoods": "\n".join(spec.neighbourhoods),
                "cost_centre": f"OL-{spec.cbs_codes[0]}",
            },
        )
        if created:
            team.municipalities.set([municipalities[c] for c in spec.cbs_codes])
        teams[spec.slug] = team
    return organisations, teams


def _seed_staff(
    spec: TeamSpec,
    team: Team,
    organisations: dict[str, Organisation],
    rows: list[dict[str, str]],
    fake: Faker,
    today: dt.date,
) -> None:
    valid_from = min(spec.started_on, today)
    for csv_discipline, total in formation(spec, rows):
        discipline, org_name, role, abbreviation = DISCIPLINES[csv_discipline]
        organisation = organisations[org_name or spec.support_org]
        # A team has one lead, who may work up to full time.
        largest = Decimal("1.00") if role == TeamRole.LEAD else MAX_PERSON_FTE
        for number, fte in enumerate(split_fte(total, largest), start=1):
            staff_name = f"{spec.prefix}.{abbreviation}{number}"
            username = STAFF_DEMO_LOGINS.get(staff_name, staff_name)
            user = _user(username, fake, demo=username != staff_name)
            Membership.objects.get_or_create(
                user=user,
                team=team,
                discipline=discipline,
                defaults={
                    "organisation": organisation,
                    "role": role,
                    "fte": fte,
                    "valid_from": valid_from,
                },
            )


def _seed_other_demo_logins(fake: Faker, today: dt.date) -> None:
    assen = Municipality.objects.get(cbs_code="0106")
    since = min(dt.date(2019, 1, 1), today)
    for username, is_lead in (("demo.consulent", False), ("demo.consulentlead", True)):
        MunicipalityRole.objects.get_or_create(
            user=_user(username, fake, demo=True),
            municipality=assen,
            defaults={"is_lead": is_lead, "valid_from": since},
        )
    ControllerRole.objects.get_or_create(
        user=_user("demo.controller", fake, demo=True), organisation=None
    )
    _user("demo.stuurgroep", fake, demo=True, is_stuurgroep=True)
    _user(
        "demo.beheer", fake, demo=True, is_functional_admin=True, is_staff=True, is_superuser=False
    )
    _user("demo.privacy", fake, demo=True, is_privacy_officer=True)


def seed_emergency_access() -> EmergencyAccess | None:
    """One emergency access for the privacy officer to review: the Assen team member broke
    the glass for a client of another team (through the service: audited, notified). Runs
    after every app's demo (it needs clients); idempotent: once there is one, nothing."""
    if EmergencyAccess.objects.exists():
        return None
    worker = User.objects.filter(username=DEMO_EMERGENCY_USER).first()
    if worker is None:
        return None
    own_teams = Membership.objects.filter(user=worker).values("team_id")
    client_model = apps.get_model("clients", "Client")
    bsn = (
        client_model.objects.exclude(team_id__in=own_teams)
        .filter(bsn__isnull=False, merged_into__isnull=True)
        .order_by("team__slug", "pk")
        .values_list("bsn", flat=True)
        .first()
    )
    if bsn is None:
        return None
    return emergency_access_request(actor=worker, query=bsn, reason=DEMO_EMERGENCY_REASON)


def seed(*, today: dt.date, rng: random.Random) -> None:
    """Organisations, municipalities, the four teams with their staff, one login per role."""
    fake = Faker("nl_NL")
    fake.seed_instance(rng.randrange(2**32))
    with FTE_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    organisations, teams = _seed_places(today)
    for spec in TEAMS:
        _seed_staff(spec, teams[spec.slug], organisations, rows, fake, today)
    _seed_other_demo_logins(fake, today)
