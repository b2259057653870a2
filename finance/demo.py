"""Demo data of the integrated accounts: dated financial data and two years of closed months.

Health insurers (each demo client gets one). Tariffs (Zvw prestaties of the
zorgprestatiemodel: consults per NZa beroep, type and duration class, group consults, MDO and
the travel supplement, general and per insurer for two insurers; Wmo per hour for every
demo municipality, a fixed amount per client per 4 weeks in Midden-Drenthe and a lump sum per
month from Hoogeveen and De Wolden for their team; Wlz per hour), cost rates per organisation
and discipline, housing and overhead per team, subsidies per team and the business cases of
``olteams/demo_data/business_case_fte.csv`` (the teams' own figures; a team without rows gets
the 140-client case of the closest team). Amounts are synthetic but of the order of the
reference accounts (shared/reference: revenue €30-135k per team-month).

Then the accounts: every month from 24 months ago up to last month is computed from the work
that ``caseload.demo`` registered and closed by the demo controller (teams first, then the
consolidated account); the current month stays a draft. Idempotent: each kind of financial
data is seeded once, and a month that already has accounts is left alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from clients.models import Client
from finance.constants import (
    ZVW_DURATION_CLASSES,
    NzaBeroep,
    TariffKind,
    TariffUnit,
    TeamCostKind,
    ZvwPrestatie,
)
from finance.models import (
    BusinessCase,
    BusinessCaseLine,
    CostRate,
    MonthlyAccount,
    Subsidy,
    Tariff,
    TeamCost,
)
from finance.selectors.accounts import account_totals
from finance.selectors.close import close_findings
from finance.services.accounts import account_close, accounts_compute_month
from olteams import demo as olteams_demo
from olteams.constants import Discipline, OrganisationKind
from olteams.models import Membership, Municipality, Organisation, Team, User
from wmo.models import Arrangement, Indication, MunicipalProduct, ProductCategory

HISTORY_MONTHS = 24
CONTROLLER = "demo.controller"
YEARLY_INDEXATION = Decimal("1.03")  # tariffs and cost rates rise each 1 January
CENT = Decimal("0.01")

# Zvw (zorgprestatiemodel): the consult behandeling of the 30-minute class per NZa beroep;
# the other duration classes (ZVW_DURATION_CLASSES) scale with ZVW_FACTOR, a diagnostiek
# consult costs ZVW_DIAGNOSTIEK times as much. Scaled so that the demo teams' months land in
# the range of the reference accounts (revenue EUR 30-135k per team-month): the demo registers
# more consults per FTE than the teams did in 2019, so these are lower than the NZa tariffs.
ZVW_BASE: dict[str, Decimal] = {
    NzaBeroep.PSYCHIATER: Decimal("78.00"),
    NzaBeroep.VERSLAVINGSARTS: Decimal("75.00"),
    NzaBeroep.GZ_PSYCHOLOOG: Decimal("60.00"),
    NzaBeroep.VERPLEEGKUNDIG_SPECIALIST: Decimal("55.00"),
    NzaBeroep.VERPLEEGKUNDIGE: Decimal("45.00"),
    NzaBeroep.OVERIG: Decimal("40.00"),
}
ZVW_FACTOR = [Decimal(f) for f in ("0.33", "0.63", "1", "1.31", "1.63", "1.94", "2.42", "3.10")]
ZVW_DIAGNOSTIEK = Decimal("1.06")
# A group consult per participant (any beroep) per class, an MDO per worker present, and the
# travel supplement per outreach consult.
ZVW_GROUP_BASE = Decimal("22.00")
ZVW_MDO = Decimal("38.00")
ZVW_TRAVEL = Decimal("24.00")
# Health insurers (synthetic AGB-like codes). Two have contracted tariffs of their own (a share
# of the general tariff); clients of the others are paid at the general tariff.
INSURERS = [
    ("Zilveren Kruis", "Zilveren Kruis Zorgverzekeringen", "01010001"),
    ("Menzis", "Menzis Zorgverzekeraar", "01010002"),
    ("CZ", "CZ Zorgverzekeringen", "01010003"),
    ("VGZ", "Coöperatie VGZ", "01010004"),
]
INSURER_FACTOR = {"Zilveren Kruis": Decimal("0.97"), "Menzis": Decimal("0.95")}
# Which insurer a demo client has: by client id modulo 20 (Zilveren Kruis is the largest in
# Drenthe).
INSURER_SHARE = ["Zilveren Kruis"] * 9 + ["Menzis"] * 5 + ["CZ"] * 3 + ["VGZ"] * 3
# Wmo begeleiding per hour per municipality (CBS code). One payment variant per municipality
# and product (a constraint): Midden-Drenthe pays a fixed amount per 4 weeks and Hoogeveen and
# De Wolden a lump sum, so they have no hourly tariff.
WMO_HOUR = {
    "0106": Decimal("64.80"),  # Assen
    "0114": Decimal("66.20"),  # Emmen
}
WMO_FIXED = {"1731": Decimal("485.00")}  # per client with an indication per 4 weeks
# Assen's arrangements (code, name, iWmo product, amount per 4 weeks): paid per four weeks
# whatever the intensity inside; the first Assen indications are granted as one of them.
ARRANGEMENT_MUNICIPALITY = "0106"
ARRANGEMENTS = (
    ("kort-herstel", "Kort herstel", "02A01", Decimal("420.00")),
    ("een-resultaatgebied", "Eén resultaatgebied", "02A02", Decimal("610.00")),
    ("herstel-groei-stabilisatie", "Herstel/groei/stabilisatie", "02A03", Decimal("890.00")),
)
ARRANGEMENT_INDICATIONS = 3
# Lump sum per month for a team from a municipality: (team slug, CBS code) → amount.
WMO_LUMP_SUM = {
    ("de-wolden-hoogeveen", "0118"): Decimal("9500.00"),
    ("de-wolden-hoogeveen", "1690"): Decimal("4200.00"),
}
WLZ_HOUR = Decimal("71.50")

# Monthly cost per FTE including employer's charges (GGZ Drenthe; others by their factor).
COST_PER_FTE: dict[str, Decimal] = {
    Discipline.PROJECTLEIDER: Decimal("7800"),
    Discipline.PSYCHIATER: Decimal("14000"),
    Discipline.GZ_PSYCHOLOOG: Decimal("8500"),
    Discipline.VERSLAVINGSARTS: Decimal("13200"),
    Discipline.SPV: Decimal("7100"),
    Discipline.VERSLAVINGSZORG_MEDEWERKER: Decimal("6300"),
    Discipline.CASEMANAGER: Decimal("6500"),
    Discipline.MAATSCHAPPELIJK_WERKER: Decimal("5900"),
    Discipline.VERPLEEGKUNDIG_SPECIALIST: Decimal("8800"),
    Discipline.VERPLEEGKUNDIGE: Decimal("6100"),
    Discipline.AMBULANT_BEGELEIDER: Decimal("5400"),
    Discipline.ERVARINGSDESKUNDIGE: Decimal("4800"),
    Discipline.WELZIJNSWERKER: Decimal("5100"),
    Discipline.IPS: Decimal("5800"),
    Discipline.SECRETARIAAT: Decimal("4600"),
}
ORGANISATION_FACTOR = {
    "GGZ Drenthe": Decimal("1.00"),
    "VNN": Decimal("0.98"),
    "Cosis": Decimal("0.96"),
    "Sedna": Decimal("0.95"),
    "SWWH": Decimal("0.92"),
}
# Housing and overhead per team per month.
TEAM_COSTS = {
    "assen": (Decimal("4200"), Decimal("7400")),
    "emmen": (Decimal("3600"), Decimal("6100")),
    "de-wolden-hoogeveen": (Decimal("5100"), Decimal("9600")),
    "midden-drenthe": (Decimal("2300"), Decimal("3400")),
}
DEFAULT_TEAM_COSTS = (Decimal("3500"), Decimal("6000"))
# Subsidies per team: (source, amount per month, first month offset, number of months); the
# offsets count from the first month of the history.
SUBSIDIES: dict[str, list[tuple[str, Decimal, int, int]]] = {
    "assen": [
        ("Transformatiebudget gemeente Assen", Decimal("5400"), 0, 12),
        ("Transformatiebudget gemeente Assen", Decimal("4800"), 12, 13),
    ],
    "emmen": [
        ("Transformatiebudget gemeente Emmen", Decimal("6500"), 0, 25),
        ("Projectsubsidie zorgverzekeraar (Zilveren Kruis)", Decimal("2000"), 6, 12),
    ],
    "de-wolden-hoogeveen": [
        ("Transformatiebudget gemeenten Hoogeveen en De Wolden", Decimal("7500"), 0, 25),
        ("Projectsubsidie zorgverzekeraar (Zilveren Kruis)", Decimal("1500"), 12, 13),
    ],
    "midden-drenthe": [
        ("Transformatiebudget gemeente Midden-Drenthe", Decimal("3500"), 0, 25),
    ],
}
# Teams without business case rows in the CSV take the 140-client case of the closest team.
CLOSEST_TEAM = {"de-wolden-hoogeveen": "Assen", "midden-drenthe": "Emmen"}
CLIENTS_ROW = "Aantal cliënten"


DEMO_CLOSE_REASON = (
    "Demomaand: de demo registreert maar een deel van de uren van een echt team; de cijfers "
    "zijn gecontroleerd en zo vastgesteld."
)


def add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _year_periods(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date | None, int]]:
    """(valid_from, valid_to, years since the first) per calendar year; the last is open."""
    periods: list[tuple[dt.date, dt.date | None, int]] = []
    for number, year in enumerate(range(first.year, last.year + 1)):
        start = first if year == first.year else dt.date(year, 1, 1)
        end = None if year == last.year else dt.date(year, 12, 31)
        periods.append((start, end, number))
    return periods


def _indexed(amount: Decimal, years: int) -> Decimal:
    return (amount * YEARLY_INDEXATION**years).quantize(CENT, ROUND_HALF_UP)


def _seed_insurers() -> dict[str, Organisation]:
    """The insurers, and one for every demo client that has none yet (by id)."""
    insurers = {
        short: Organisation.objects.get_or_create(
            short_name=short,
            defaults={"name": name, "kind": OrganisationKind.ZORGVERZEKERAAR, "agb_code": agb},
        )[0]
        for short, name, agb in INSURERS
    }
    clients = list(Client.objects.filter(insurer=None).only("pk"))
    for client in clients:
        client.insurer = insurers[INSURER_SHARE[client.pk % len(INSURER_SHARE)]]
    Client.objects.bulk_update(clients, ["insurer"], batch_size=1000)
    return insurers


def _zvw_tariffs(
    insurer: Organisation | None, factor: Decimal, years: int, period: dict[str, Any]
) -> list[Tariff]:
    """One insurer's (None: the general) Zvw tariffs of one period: consults per beroep,
    type and duration class, group consults per class, the MDO and the travel supplement."""
    common = {
        "kind": TariffKind.ZVW_CONSULT,
        "funding_stream": "zvw",
        "unit": TariffUnit.CONSULT,
        "insurer": insurer,
        **period,
    }
    tariffs = []
    for low, class_factor in zip(ZVW_DURATION_CLASSES, ZVW_FACTOR, strict=True):
        for beroep, base in ZVW_BASE.items():
            for prestatie, type_factor in (
                (ZvwPrestatie.CONSULT_DIAGNOSTIEK, ZVW_DIAGNOSTIEK),
                (ZvwPrestatie.CONSULT_BEHANDELING, Decimal("1")),
            ):
                amount = base * class_factor * type_factor * factor
                tariffs.append(
                    Tariff(
                        prestatie=prestatie,
                        beroep=beroep,
                        min_minutes=low,
                        amount=_indexed(amount, years),
                        note=f"{ZvwPrestatie(prestatie).label} vanaf {low} min",
                        **common,
                    )
                )
        tariffs.append(
            Tariff(
                prestatie=ZvwPrestatie.GROUP_CONSULT,
                min_minutes=low,
                amount=_indexed(ZVW_GROUP_BASE * class_factor * factor, years),
                note=f"Groepsconsult vanaf {low} min, per deelnemer",
                **common,
            )
        )
    for prestatie, amount, note in (
        (ZvwPrestatie.MDO, ZVW_MDO, "MDO, per aanwezige zorgverlener"),
        (ZvwPrestatie.TRAVEL, ZVW_TRAVEL, "Toeslag reistijd bij outreachend consult"),
    ):
        tariffs.append(
            Tariff(
                prestatie=prestatie, amount=_indexed(amount * factor, years), note=note, **common
            )
        )
    return tariffs


def _seed_tariffs(first: dt.date, today: dt.date) -> None:
    if Tariff.objects.exists():
        return
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    teams = {t.slug: t for t in Team.objects.all()}
    insurers = _seed_insurers()
    tariffs: list[Tariff] = []
    for valid_from, valid_to, years in _year_periods(first, today):
        period = {"valid_from": valid_from, "valid_to": valid_to}
        for insurer in [None, *(insurers[name] for name in INSURER_FACTOR)]:
            factor = INSURER_FACTOR[insurer.short_name] if insurer else Decimal("1")
            tariffs += _zvw_tariffs(insurer, factor, years, period)
        for code, amount in WMO_HOUR.items():
            if code in municipalities:
                tariffs.append(
                    Tariff(
                        kind=TariffKind.WMO_HOUR,
                        funding_stream="wmo",
                        unit=TariffUnit.HOUR,
                        municipality=municipalities[code],
                        amount=_indexed(amount, years),
                        note="Begeleiding individueel",
                        **period,
                    )
                )
        for code, amount in WMO_FIXED.items():
            if code in municipalities:
                tariffs.append(
                    Tariff(
                        kind=TariffKind.WMO_FIXED,
                        funding_stream="wmo",
                        unit=TariffUnit.FOUR_WEEKS,
                        municipality=municipalities[code],
                        amount=_indexed(amount, years),
                        note="Begeleiding, vast bedrag per cliënt per 4 weken",
                        **period,
                    )
                )
        for (slug, code), amount in WMO_LUMP_SUM.items():
            if slug in teams and code in municipalities:
                tariffs.append(
                    Tariff(
                        kind=TariffKind.WMO_LUMP_SUM,
                        funding_stream="wmo",
                        unit=TariffUnit.MONTH,
                        municipality=municipalities[code],
                        team=teams[slug],
                        amount=_indexed(amount, years),
                        note="Taakgerichte bekostiging begeleiding",
                        **period,
                    )
                )
        tariffs.append(
            Tariff(
                kind=TariffKind.WLZ_HOUR,
                funding_stream="wlz",
                unit=TariffUnit.HOUR,
                amount=_indexed(WLZ_HOUR, years),
                note="GGZ-Wonen, begeleiding per uur",
                **period,
            )
        )
    Tariff.objects.bulk_create(tariffs)


def _seed_arrangements(first: dt.date, today: dt.date) -> None:
    """Assen's arrangements, dated tariffs per four weeks for every arrangement without one
    (the Wmo demo's municipal route seeds arrangements for every municipality), and a few
    Assen indications granted as an arrangement. Idempotent."""
    municipality = Municipality.objects.filter(cbs_code=ARRANGEMENT_MUNICIPALITY).first()
    if municipality is None:
        return
    category = ProductCategory.objects.get(code="02")
    amounts = {code: amount for code, _name, _product, amount in ARRANGEMENTS}
    assen = []
    for code, name, product_code, _amount in ARRANGEMENTS:
        arrangement = Arrangement.objects.filter(municipality=municipality, code=code).first()
        if arrangement is None:
            product, _created = MunicipalProduct.objects.get_or_create(
                municipality=municipality,
                code=product_code,
                defaults={"name": f"Arrangement {name}", "category": category, "unit": "82",
                          "start": first},
            )  # fmt: skip
            arrangement = Arrangement.objects.create(
                municipality=municipality, code=code, name=name, product=product, start=first,
                description=f"{name}: één bedrag per 4 weken, de intensiteit erbinnen is vrij.",
            )  # fmt: skip
        assen.append(arrangement)
    unpriced = Arrangement.objects.filter(tariffs__isnull=True).select_related("municipality")
    for arrangement in unpriced:
        amount = amounts.get(arrangement.code, ARRANGEMENTS[0][3])
        Tariff.objects.bulk_create(
            Tariff(
                kind=TariffKind.WMO_FIXED,
                funding_stream="wmo",
                unit=TariffUnit.FOUR_WEEKS,
                municipality=arrangement.municipality,
                arrangement=arrangement,
                amount=_indexed(amount, years),
                note=f"Arrangement {arrangement.name} per 4 weken",
                valid_from=valid_from,
                valid_to=valid_to,
            )
            for valid_from, valid_to, years in _year_periods(max(first, arrangement.start), today)
        )
    if Indication.objects.filter(municipality=municipality, arrangement__isnull=False).exists():
        return
    granted = Indication.objects.filter(municipality=municipality, arrangement=None).order_by("pk")
    for n, indication in enumerate(granted[:ARRANGEMENT_INDICATIONS]):
        Indication.objects.filter(pk=indication.pk).update(arrangement=assen[n % len(assen)])


def _seed_cost_rates(first: dt.date, today: dt.date) -> None:
    if CostRate.objects.exists():
        return
    organisations = {o.pk: o for o in Organisation.objects.all()}
    pairs = set(Membership.objects.values_list("organisation_id", "discipline"))
    rates = [
        CostRate(
            organisation=organisations[org_id],
            discipline=discipline,
            monthly_cost_per_fte=(
                _indexed(COST_PER_FTE[discipline], years)
                * ORGANISATION_FACTOR.get(organisations[org_id].short_name, Decimal("1"))
            ).quantize(Decimal("1"), ROUND_HALF_UP),
            valid_from=valid_from,
            valid_to=valid_to,
        )
        for org_id, discipline in sorted(pairs)
        if discipline in COST_PER_FTE
        for valid_from, valid_to, years in _year_periods(first, today)
    ]
    CostRate.objects.bulk_create(rates)


def _seed_team_costs(teams: Iterable[Team], first: dt.date) -> None:
    if TeamCost.objects.exists():
        return
    rows = []
    for team in teams:
        housing, overhead = TEAM_COSTS.get(team.slug, DEFAULT_TEAM_COSTS)
        rows += [
            TeamCost(
                team=team, kind=TeamCostKind.HOUSING, monthly_amount=housing, valid_from=first
            ),
            TeamCost(
                team=team, kind=TeamCostKind.OVERHEAD, monthly_amount=overhead, valid_from=first
            ),
        ]
    TeamCost.objects.bulk_create(rows)


def _seed_subsidies(teams: Iterable[Team], first: dt.date) -> None:
    if Subsidy.objects.exists():
        return
    rows = [
        Subsidy(
            team=team,
            source=source,
            amount=monthly * months,
            valid_from=add_months(first, offset),
            valid_to=add_months(first, offset + months - 1),
            note=f"€ {monthly} per maand",
        )
        for team in teams
        for source, monthly, offset, months in SUBSIDIES.get(team.slug, [])
    ]
    Subsidy.objects.bulk_create(rows)


def business_case_rows() -> dict[str, dict[str, tuple[Decimal, Decimal]]]:
    """Per CSV team: CSV discipline → (FTE at 140 clients, FTE at 200 clients)."""
    with olteams_demo.FTE_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cases: dict[str, dict[str, tuple[Decimal, Decimal]]] = {}
    for row in rows:
        cases.setdefault(row["team"], {})[row["discipline"]] = (
            Decimal(row["business_case_140_clients"] or "0"),
            Decimal(row["business_case_200_clients"] or "0"),
        )
    return cases


def _case_lines(rows: dict[str, tuple[Decimal, Decimal]], column: int) -> dict[str, Decimal]:
    lines: dict[str, Decimal] = {}
    for label, values in rows.items():
        if label == CLIENTS_ROW or label not in olteams_demo.DISCIPLINES:
            continue
        discipline = olteams_demo.DISCIPLINES[label][0]
        lines[discipline] = lines.get(discipline, Decimal("0")) + values[column]
    return lines


def _seed_business_cases(teams: Iterable[Team], first: dt.date) -> None:
    cases = business_case_rows()
    for team in teams:
        if BusinessCase.objects.filter(team=team).exists():
            continue
        own = team.name in cases
        source = cases.get(team.name) or cases.get(CLOSEST_TEAM.get(team.slug, "Assen"))
        if not source:
            continue
        # (name, column, valid_from, valid_to); Assen grew past 140 clients in the second year.
        periods: list[tuple[str, int, dt.date, dt.date | None]]
        if team.slug == "assen":
            switch = add_months(first, 12)
            periods = [
                ("Businesscase 140 cliënten", 0, first, switch - dt.timedelta(days=1)),
                ("Businesscase 200 cliënten", 1, switch, None),
            ]
        else:
            name = "Businesscase 140 cliënten"
            if not own:
                name += f" (naar team {CLOSEST_TEAM.get(team.slug, 'Assen')})"
            periods = [(name, 0, first, None)]
        for name, column, valid_from, valid_to in periods:
            case = BusinessCase.objects.create(
                team=team,
                name=name,
                target_clients=int(source[CLIENTS_ROW][column]),
                valid_from=valid_from,
                valid_to=valid_to,
            )
            BusinessCaseLine.objects.bulk_create(
                BusinessCaseLine(business_case=case, discipline=discipline, target_fte=fte)
                for discipline, fte in sorted(_case_lines(source, column).items())
            )


def _seed_accounts(first: dt.date, current: dt.date, controller: User) -> None:
    """Compute and close every past month without accounts; compute the current draft."""
    month = first
    while month < current:
        if not MonthlyAccount.objects.filter(month=month).exists():
            accounts = accounts_compute_month(month=month)
            for account in sorted(accounts, key=lambda a: a.team_id is None):
                # A demo month that looks wrong (the demo seeds a fraction of the hours a
                # real team makes) is closed with the controller's reason, as in the product.
                findings = close_findings(account=account, totals=account_totals(account))
                reason = DEMO_CLOSE_REASON if findings else ""
                account_close(actor=controller, account=account, reason=reason)
        month = add_months(month, 1)
    if not MonthlyAccount.objects.filter(month=current).exists():
        accounts_compute_month(month=current)


def seed(*, today: dt.date, rng: random.Random, scale: float = 1.0) -> None:
    """Financial data and 24 closed months plus the open one, for every demo team.

    ``rng`` and ``scale`` are accepted for ``seed_demo``; the amounts are fixed and the
    accounts follow from the work that the other apps seeded at that scale.
    """
    del rng, scale
    current = today.replace(day=1)
    first = add_months(current, -HISTORY_MONTHS)
    teams = list(Team.objects.order_by("slug"))
    _seed_tariffs(first, today)
    _seed_arrangements(first, today)
    _seed_cost_rates(first, today)
    _seed_team_costs(teams, first)
    _seed_subsidies(teams, first)
    _seed_business_cases(teams, first)
    controller = User.objects.get(username=CONTROLLER)
    _seed_accounts(first, current, controller)
