"""Permission matrix of every browser view of the finance app (STYLE.md, "Access and audit").

Finance access is role-based, not team-based: controllers and functional administrators work
with the accounts, the financial data, the reports and the historical import; the stuurgroep,
controllers and functional administrators see the dashboard; team roles (member, lead,
secretariaat, a member of another team) and Wmo consultants are refused. So the "other team"
and "wrong role" of the house style are the team roles and the consultant here, and the
stuurgroep is the wrong role everywhere but the dashboard.

Each route in ``ROUTES`` is requested by every role in ``ROLES``. The expected outcome is:

- ``LOGIN``: a redirect to the sign-in page;
- ``403`` / ``404``: refused (an account never reveals that it exists: 404; the report and
  import pages refuse before they look the object up: 403 whatever the id);
- ``405``: a POST-only route asked with GET (signed-in users; nothing is revealed);
- ``OK``: a GET gives 200 with the data on the page; a valid POST is carried out (302) and
  changes the data. The checks page opens for a functional administrator too, but without
  the clients' names (no client data for functional administrators, ``olteams.access``).

Whatever is refused, a snapshot of every row of the finance app is the same afterwards; the
right role's POST with the same payload changes it, so every refusal is able to fail.

A closed account never changes: recompute, close and an adjustment against the closed month
are refused for every role, the right role with a Dutch error on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from finance.constants import ReportFormat, ReportStatus, TariffKind, TeamCostKind
from finance.models import AccountLine, CostRate, MonthlyAccount, ReportFile, ReportJob
from finance.services import account_close, account_compute
from finance.services.accounts import closed_message
from finance.services.history import history_import
from olteams.constants import Discipline
from olteams.models import Municipality, MunicipalityRole, User
from tests.factories.finance import (
    BusinessCaseFactory,
    SubsidyFactory,
    TariffFactory,
    TeamCostFactory,
    build_team_month,
    cost_rates_for_members,
)
from tests.factories.olteams import MunicipalityRoleFactory, UserFactory
from tests.factories.wmo import category
from tests.finance.conftest import TEST_REASON
from tests.permissions import (
    ANON,
    LOGIN,
    OK,
    PermissionTable,
    Route,
    frozen_at,
    http_for,
    models_of,
    outcome_table,
    rows_of,
    shared_world,
    text,
)
from tests.permissions import assert_login_redirect as _assert_login_redirect
from tests.permissions import body as _body
from wmo.models import Arrangement, MunicipalProduct

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC)
FEBRUARY, MARCH, APRIL = dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)

MEMBER, LEAD, SECRETARY = "member", "lead", "secretary"
CONSULTANT, OUTSIDER, STUURGROEP = "consultant", "outsider", "stuurgroep_user"
CONTROLLER, ADMIN = "controller", "admin_user"
# A Wmo consultant who is the functional administrator of the team's municipality.
MUNI_ADMIN = "municipality_admin"
ROLES = (
    ANON, MEMBER, LEAD, SECRETARY, CONSULTANT, OUTSIDER, STUURGROEP, CONTROLLER, ADMIN, MUNI_ADMIN
)  # fmt: skip
FINANCE_ROLES = (CONTROLLER, ADMIN)
# Team roles (own team and another team) and the Wmo consultants: never any finance page.
NO_FINANCE = (MEMBER, LEAD, SECRETARY, CONSULTANT, OUTSIDER, MUNI_ADMIN)
SIGNED_IN = tuple(r for r in ROLES if r != ANON)

HEADER = (
    "month,team,clients,fte,revenue_eur,expenses_eur,result_excl_subsidy_eur,"
    "result_incl_subsidy_eur\n"
)


def outcome(**by_outcome: tuple[str, ...]) -> dict[str, Any]:
    return outcome_table(ROLES, **by_outcome)


# Lists, forms and uploads of controllers and functional administrators.
FINANCE = outcome(ok=FINANCE_ROLES, e403=(*NO_FINANCE, STUURGROEP))
# One account: refused as if it did not exist.
ACCOUNT = outcome(ok=FINANCE_ROLES, e404=(*NO_FINANCE, STUURGROEP))
# The steering-group dashboard (aggregates only).
DASHBOARD = outcome(ok=(*FINANCE_ROLES, STUURGROEP), e403=NO_FINANCE)
# One team's dashboard: also its team lead (the lead of Team Noord), read-only.
NOT_LEAD = tuple(r for r in NO_FINANCE if r != LEAD)
DASHBOARD_TEAM = outcome(ok=(*FINANCE_ROLES, STUURGROEP, LEAD), e403=NOT_LEAD)
# One account to read: its team's lead too (read-only); the rest as if it did not exist.
ACCOUNT_READ = outcome(ok=(*FINANCE_ROLES, LEAD), e404=(*NOT_LEAD, STUURGROEP))
# The WMO323 download names clients (BSN): controllers only, not the functional administrator.
CONTROLLER_ONLY = outcome(ok=(CONTROLLER,), e403=(*NO_FINANCE, STUURGROEP, ADMIN))
# The municipality pages: the functional administrator (every municipality) and the
# municipality's own administrator; adding a municipality: the functional administrator only.
MANAGES = (ADMIN, MUNI_ADMIN)
NOT_MANAGING = tuple(r for r in SIGNED_IN if r not in MANAGES)
MUNICIPALITY = outcome(ok=MANAGES, e403=NOT_MANAGING)
ADD_MUNICIPALITY = outcome(ok=(ADMIN,), e403=(*NOT_MANAGING, MUNI_ADMIN))
# A POST-only route asked with GET.
POST_ONLY = outcome(e405=SIGNED_IN)


@dataclass
class World:
    """The data every request refers to; users by role."""

    team: Any
    other_team: Any
    february: Any  # closed team account
    march: Any  # closed team account (the month the adjustment corrects)
    april: Any  # open (draft) team account
    tariff: Any
    cost_rate: Any
    team_cost: Any
    subsidy: Any
    business_case: Any
    job: Any
    file: Any
    history: Any
    clients: list[Any]  # the team's clients in care (their names are on the checks page)
    users: dict[str, Any]
    orgs: dict[str, Any] = field(default_factory=dict)


_frozen = frozen_at(NOW)


@shared_world
def world(
    team,
    other_team,
    org_ggz,
    org_welzijn,
    municipality,
    other_municipality,
    member,
    lead,
    secretary,
    consultant,
    outsider,
    stuurgroep_user,
    controller,
    admin_user,
):
    team_month = build_team_month(
        team=team, month=MARCH, organisation=org_ggz, municipality=municipality
    )
    cost_rates_for_members(team)
    category("02")  # the product form's category (a transactional test's flush may remove it)
    february = account_close(
        actor=controller, account=account_compute(team=team, month=FEBRUARY), reason=TEST_REASON
    )
    march = account_close(
        actor=controller, account=account_compute(team=team, month=MARCH), reason=TEST_REASON
    )
    april = account_compute(team=team, month=APRIL)
    job = ReportJob.objects.create(
        month=MARCH,
        format=ReportFormat.PDF,
        team=team,
        requested_by=controller,
        status=ReportStatus.DONE,
        total=1,
        done=1,
    )
    file = ReportFile.objects.create(
        job=job,
        account=march,
        filename="verantwoording-noord-2026-03.pdf",
        content_type="application/pdf",
        content=b"%PDF-1.4 verantwoording Team Noord",
        was_draft=False,
    )
    history = history_import(
        actor=controller,
        filename="historie-noord.csv",
        content=(HEADER + "2020-01,Team Noord,10,1.5,1000,900,100,100\n").encode(),
    )
    users = {
        ANON: None,
        MEMBER: member,
        LEAD: lead,
        SECRETARY: secretary,
        CONSULTANT: consultant,
        OUTSIDER: outsider,
        STUURGROEP: stuurgroep_user,
        CONTROLLER: controller,
        ADMIN: admin_user,
        MUNI_ADMIN: MunicipalityRoleFactory(
            user=UserFactory(username="gemeentebeheer"), municipality=municipality, is_admin=True
        ).user,
    }
    return World(
        team=team,
        other_team=other_team,
        february=february,
        march=march,
        april=april,
        tariff=TariffFactory(kind=TariffKind.WLZ_HOUR, amount=Decimal("80.00")),
        cost_rate=CostRate.objects.get(organisation=org_ggz, discipline=Discipline.CASEMANAGER),
        team_cost=TeamCostFactory(team=team, kind=TeamCostKind.HOUSING),
        subsidy=SubsidyFactory(team=team, source="Gemeente — innovatiebudget"),
        business_case=BusinessCaseFactory(team=team, name="Businesscase Noord", lines={}),
        job=job,
        file=file,
        history=history,
        clients=team_month.clients,
        users=users,
        orgs={
            "ggz": org_ggz,
            "welzijn": org_welzijn,
            "other_municipality": other_municipality,
            "municipality": municipality,
            "product": MunicipalProduct.objects.filter(municipality=municipality).first(),
        },
    )


# --- the route table -------------------------------------------------------------------

Build = Callable[[World], Any]


def _open(w: World) -> dict[str, Any]:
    return {"account_id": w.april.pk}


def _municipality(w: World) -> dict[str, Any]:
    return {"municipality_id": w.orgs["municipality"].pk}


def _pk(attribute: str) -> Build:
    return lambda w: {"pk": getattr(w, attribute).pk}


def _history_csv(w: World) -> SimpleUploadedFile:
    text = HEADER + "2021-01,Team Noord,12,2.0,2000,1800,200,200\n"
    return SimpleUploadedFile("historie.csv", text.encode(), content_type="text/csv")


NOORD = text("Team Noord")

ROUTES = [
    # reports and historical import
    Route("report-list", FINANCE, shows=text("maart 2026")),
    Route("wmo323", CONTROLLER_ONLY, shows=text("Wmo-declaratie (WMO323)")),
    Route(
        "report-create",
        POST_ONLY,
        post=lambda w: {"month": "2026-03", "format": "pdf", "team": w.team.pk},
        post_expected=FINANCE,
    ),
    Route(
        "report-detail",
        FINANCE,
        lambda w: {"job_id": w.job.pk},
        shows=text("verantwoording-noord-2026-03.pdf"),
    ),
    Route(
        "report-download",
        FINANCE,
        lambda w: {"file_id": w.file.pk},
        shows=text("verantwoording Team Noord"),
    ),
    Route(
        "history-import",
        FINANCE,
        shows=text("historie-noord.csv"),
        post=lambda w: {"file": _history_csv(w)},
    ),
    Route(
        "history-detail",
        FINANCE,
        lambda w: {"import_id": w.history.pk},
        shows=NOORD,
    ),
    # dashboard
    Route("dashboard", DASHBOARD, shows=NOORD),
    Route("dashboard-team", DASHBOARD_TEAM, lambda w: {"team_id": w.team.pk}, shows=NOORD),
    # accounts and checks
    Route("account-list", FINANCE, shows=NOORD),
    Route(
        "month-compute",
        POST_ONLY,
        post=lambda w: {"maand": "2026-04"},
        post_expected=FINANCE,
    ),
    Route("account-detail", ACCOUNT_READ, _open, shows=text("Team Noord — april 2026")),
    Route("account-recompute", POST_ONLY, _open, post=lambda w: {}, post_expected=ACCOUNT),
    Route(
        "account-close",
        ACCOUNT,
        _open,
        shows=text("Ja, maand sluiten"),
        post=lambda w: {"reason": TEST_REASON},
    ),
    Route(
        "adjustment-create",
        ACCOUNT,
        _open,
        shows=text("03-2026"),
        post=lambda w: {
            "adjusts_month": "2026-03-01",
            "section": "kosten",
            "label": "Huur",
            "amount": "-80,00",
            "reason": "Huur maart te hoog",
        },
    ),
    Route(
        "checks",
        ACCOUNT,
        _open,
        shows=lambda w, r: escape(w.clients[0].last_name) in _body(r),  # "'t Hart"
        # A functional administrator sees no client data (olteams.access): the page opens
        # without the names of the team's clients.
        hidden_from=(ADMIN,),
    ),
    # financial data
    Route("tariff-list", FINANCE, shows=text("Wlz per uur")),
    Route(
        "tariff-create",
        FINANCE,
        post=lambda w: {
            "kind": TariffKind.WMO_HOUR,
            "municipality": w.orgs["other_municipality"].pk,
            "amount": "65,00",
            "valid_from": "2026-01-01",
        },
    ),
    Route(
        "tariff-update",
        FINANCE,
        _pk("tariff"),
        shows=text("80,00"),
        post=lambda w: {"kind": TariffKind.WLZ_HOUR, "amount": "85,00", "valid_from": "2020-01-01"},
    ),
    Route("costrate-list", FINANCE, shows=text("6.000,00")),
    Route(
        "costrate-create",
        FINANCE,
        post=lambda w: {
            "organisation": w.orgs["welzijn"].pk,
            "discipline": Discipline.WELZIJNSWERKER,
            "monthly_cost_per_fte": "5000,00",
            "valid_from": "2026-01-01",
        },
    ),
    Route(
        "costrate-update",
        FINANCE,
        _pk("cost_rate"),
        post=lambda w: {
            "organisation": w.orgs["ggz"].pk,
            "discipline": Discipline.CASEMANAGER,
            "monthly_cost_per_fte": "6500,00",
            "valid_from": "2020-01-01",
        },
    ),
    Route("teamcost-list", FINANCE, shows=NOORD),
    Route(
        "teamcost-create",
        FINANCE,
        post=lambda w: {
            "team": w.team.pk,
            "kind": TeamCostKind.OVERHEAD,
            "monthly_amount": "500,00",
            "valid_from": "2026-01-01",
        },
    ),
    Route(
        "teamcost-update",
        FINANCE,
        _pk("team_cost"),
        post=lambda w: {
            "team": w.team.pk,
            "kind": TeamCostKind.HOUSING,
            "monthly_amount": "1600,00",
            "valid_from": "2020-01-01",
        },
    ),
    Route("subsidy-list", FINANCE, shows=text("innovatiebudget")),
    Route(
        "subsidy-create",
        FINANCE,
        post=lambda w: {
            "team": w.other_team.pk,
            "source": "Provincie",
            "amount": "1000,00",
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-01",
        },
    ),
    Route(
        "subsidy-update",
        FINANCE,
        _pk("subsidy"),
        shows=text("innovatiebudget"),
        post=lambda w: {
            "team": w.team.pk,
            "source": "Gemeente — innovatiebudget",
            "amount": "13000,00",
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-01",
        },
    ),
    # municipalities: consultants, products, arrangements
    Route("municipality-list", MUNICIPALITY, shows=text("Testgemeente")),
    Route(
        "municipality-create",
        ADD_MUNICIPALITY,
        post=lambda w: {"name": "Voorschoten", "cbs_code": "0626"},
    ),
    Route("municipality-detail", MUNICIPALITY, _municipality, shows=text("CBS-code 9001")),
    Route(
        "consultant-create",
        MUNICIPALITY,
        _municipality,
        shows=text("Testgemeente"),
        post=lambda w: {
            "first_name": "Nina",
            "last_name": "Consulent",
            "email": "nina@gemeente.example",
            "username": "nina.consulent",
            "password": "Lang-en-sterk-2026!",
        },
    ),
    Route(
        "product-create",
        MUNICIPALITY,
        _municipality,
        post=lambda w: {
            "code": "02A09",
            "name": "Begeleiding licht",
            "category": "02",
            "unit": "04",
            "start": "2026-01-01",
        },
    ),
    Route(
        "arrangement-create",
        MUNICIPALITY,
        _municipality,
        post=lambda w: {
            "name": "Kort herstel",
            "product": w.orgs["product"].pk,
            "amount": "560,00",
            "start": "2026-01-01",
        },
    ),
    Route("businesscase-list", FINANCE, shows=text("Businesscase Noord")),
    Route(
        "businesscase-create",
        FINANCE,
        post=lambda w: {
            "team": w.other_team.pk,
            "name": "Businesscase Zuid",
            "target_clients": "40",
            "valid_from": "2026-01-01",
            "fte_casemanager": "2,0",
        },
    ),
    Route(
        "businesscase-update",
        FINANCE,
        _pk("business_case"),
        shows=text("Businesscase Noord"),
        post=lambda w: {
            "team": w.team.pk,
            "name": "Businesscase Noord",
            "target_clients": "70",
            "valid_from": "2020-01-01",
            "fte_casemanager": "1,5",
        },
    ),
]


# The stored steering figures are derived data: a dashboard read computes the months it
# shows that were never stored (finance.services.steering), for any role allowed to read.
DERIVED = {"finance.SteeringMonth", "finance.SteeringFigure"}


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model of the finance app (the audit log and the derived steering
    figures are not part of it)."""
    rows = rows_of(m for m in models_of("finance") if m._meta.label not in DERIVED)
    # The municipality pages write municipalities, consultants (users), products, arrangements.
    rows |= rows_of([Municipality, MunicipalityRole, MunicipalProduct, Arrangement])
    rows["usernames"] = list(User.objects.order_by("pk").values("username"))
    return rows


TABLE = PermissionTable("finance", ROLES, ROUTES, snapshot)


def _http(world: World, role: str) -> Any:
    return http_for(world.users[role])


# --- the tests -------------------------------------------------------------------------


test_every_route_is_in_the_table, test_get, test_post = TABLE.tests()


# --- a closed account never changes ------------------------------------------------------

ALREADY_CLOSED = "Deze maand is al gesloten."

# (url name, form, the Dutch error the right role sees)
CLOSED_POSTS = {
    "account-recompute": (lambda w: {}, closed_message),
    "account-close": (lambda w: {"reason": TEST_REASON}, lambda: ALREADY_CLOSED),
    # A valid form (February is a closed, earlier month of the team): only the service's
    # "closed" rule stands in the way.
    "adjustment-create": (
        lambda w: {
            "adjusts_month": "2026-02-01",
            "section": "kosten",
            "label": "Huur",
            "amount": "-80,00",
            "reason": "Huur februari te hoog",
        },
        closed_message,
    ),
}
CLOSED_EXPECTED = outcome(ok=FINANCE_ROLES, e404=(*NO_FINANCE, STUURGROEP))


def _closed_rows(account: MonthlyAccount) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    return (
        MonthlyAccount.objects.filter(pk=account.pk).values().get(),
        list(AccountLine.objects.filter(account=account).order_by("pk").values()),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", list(CLOSED_POSTS))
def test_post_against_a_closed_account_changes_nothing(world, url_name, role):
    form, message = CLOSED_POSTS[url_name]
    expected = CLOSED_EXPECTED[role]
    url = reverse(f"finance:{url_name}", kwargs={"account_id": world.march.pk})
    before = snapshot()
    response = _http(world, role).post(url, form(world), follow=expected == OK)
    if expected == LOGIN:
        _assert_login_redirect(response)
    elif expected == OK:
        # Not refused as a role: the page says in Dutch why nothing happened.
        assert response.status_code in (200, 400)
        assert message() in _body(response)
    else:
        assert response.status_code == expected
    assert snapshot() == before
    world.march.refresh_from_db()
    assert world.march.is_closed


@pytest.mark.parametrize("role", FINANCE_ROLES)
def test_computing_the_month_of_a_closed_account_leaves_it_as_it_was(world, role):
    """'Maand herberekenen' on the closed month computes what is open (the consolidated
    account) but leaves the closed team account and its lines exactly as they were."""
    before = _closed_rows(world.march)
    response = _http(world, role).post(reverse("finance:month-compute"), {"maand": "2026-03"})
    assert response.status_code == 302
    assert _closed_rows(world.march) == before
    assert MonthlyAccount.objects.filter(team=None, month=MARCH).exists()
