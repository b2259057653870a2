"""Journey 6, the municipal route (the Voorschoten route), by clicks from the start page.

A man after a stroke, easily overstimulated, his partner overloaded: the consultant of a new
municipality registers the melding, holds the conversation with the partner at the table,
scores the ZRM, writes four goals with him and decides with an arrangement (day care five
mornings in a low-stimulus setting, GGZ support for depressive signs, review after two
months). The team sees the toewijzing, plans the intake, names a casusregisseur from another
partner organisation and the day-care provider in the network, writes a plan whose goals
link to the municipality's. Two months later the casusregisseur records goal attainment with
him; the consultant sees progress and satisfaction, never the plan or its notes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from caseload.models import Appointment
from clients.constants import AssignmentRole
from clients.models import Assignment, ExternalParty
from olteams.constants import Discipline, OrganisationKind, TeamRole
from tests.e2e.browser import serious_violations
from tests.factories.olteams import (
    TEST_PASSWORD,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalityRoleFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
    give_backup_code,
)
from tests.factories.wmo import MunicipalProductFactory, category
from wmo.models import Arrangement, GoalReview, Melding, PlanGoalLink

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

GOALS = (
    "Ik wil mijn dagen weer rustig kunnen vullen zonder dat het me te veel wordt.",
    "Ik wil dat Els weer tijd voor zichzelf heeft.",
    "Ik wil weer een stukje kunnen wandelen in de buurt.",
    "Ik wil me minder somber voelen.",
)
PLAN_GOALS = (
    "Ik ga vijf ochtenden naar de dagbesteding in een rustige groep.",
    "Ik praat elke twee weken met de POH-GGZ over hoe het gaat.",
)


def _sign_in(page: Page, base_url: str, user, code: str) -> None:  # type: ignore[no-untyped-def]
    give_backup_code(user, code)
    page.goto(f"{base_url}/aanmelden/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("textbox", name="Code", exact=True).fill(code)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(f"{base_url}/")


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")


def _menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name).click()


def _tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Onderdelen van het dossier").get_by_role(
        "link", name=name, exact=True
    ).click()


def _clean(page: Page) -> None:
    assert serious_violations(page) == [], page.url


def test_municipal_route_from_melding_to_goal_attainment(live_server, page, traffic):
    # --- a new municipality, its consultant, a team of three partner organisations ------
    municipality = MunicipalityFactory(name="Voorschoten", cbs_code="0626")
    consultant = MunicipalityRoleFactory(
        user=UserFactory(username="consulent.vs", first_name="Wendy", last_name="Consulent"),
        municipality=municipality,
    ).user
    team = TeamFactory(
        name="Team Voorschoten", slug="team-voorschoten", municipalities=[municipality]
    )
    ggz = OrganisationFactory(name="GGZ Rijnland", short_name="GGZR", kind=OrganisationKind.GGZ)
    welzijn = OrganisationFactory(
        name="Welzijn Voorschoten", short_name="WVS", kind=OrganisationKind.WELZIJN
    )
    lead = MembershipFactory(
        user=UserFactory(username="leider.vs", first_name="Lotte", last_name="Leider"),
        team=team,
        organisation=ggz,
        discipline=Discipline.PROJECTLEIDER,
        role=TeamRole.LEAD,
    ).user
    MembershipFactory(  # the GGZ casemanager at the intake
        user=UserFactory(username="cm.vs", first_name="Karin", last_name="Casemanager"),
        team=team,
        organisation=ggz,
        discipline=Discipline.CASEMANAGER,
    )
    regisseur = MembershipFactory(
        user=UserFactory(username="regie.vs", first_name="Mila", last_name="Regisseur"),
        team=team,
        organisation=welzijn,
        discipline=Discipline.WELZIJNSWERKER,
    ).user
    product = MunicipalProductFactory(
        municipality=municipality,
        code="07V01",
        name="Dagbesteding prikkelarm",
        category=category("07"),
        unit="16",
    )
    Arrangement.objects.create(
        municipality=municipality,
        code="herstel-groei-stabilisatie",
        name="Herstel, groei en stabilisatie",
        product=product,
        start=dt.date(2024, 1, 1),
    )
    today = timezone.localdate()

    # --- the consultant: melding, conversation, ZRM, goals, decision ---------------------
    _sign_in(page, live_server.url, consultant, "11111111")
    _menu(page, "Wmo-meldingen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wmo-meldingen")
    _clean(page)
    page.get_by_role("link", name="Nieuwe melding").click()
    _clean(page)
    page.get_by_role("button", name="Melding registreren").click()  # empty: Dutch messages
    expect(page.get_by_role("alert")).to_contain_text(
        "Schrijf de hulpvraag op in de woorden van de inwoner."
    )
    page.get_by_label("Roepnaam").fill("Kees")
    page.get_by_label("Tussenvoegsel").fill("de")
    page.get_by_label("Achternaam").fill("Wit")
    page.get_by_label("Geboortedatum").fill("1956-09-12")
    page.get_by_label("Team", exact=True).select_option(label="Team Voorschoten")
    page.get_by_label("Gemeld door").fill("Zijn partner Els")
    page.get_by_label("Hulpvraag in eigen woorden").fill(
        "Sinds mijn beroerte raak ik snel overprikkeld; Els doet alles en is op."
    )
    page.get_by_role("button", name="Melding registreren").click()
    expect(page.get_by_role("status")).to_contain_text("De melding is geregistreerd.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kees de Wit")
    expect(page.get_by_role("main")).to_contain_text("onderzoek uiterlijk")
    _clean(page)

    page.get_by_role("link", name="Gesprek en ZRM vastleggen").click()
    _clean(page)
    page.get_by_label("Aanwezig", exact=True).fill("Dhr. De Wit en zijn partner Els")
    page.get_by_label("Naam van de naaste aan tafel").fill("Els de Wit")
    page.get_by_label("Relatie tot de inwoner").fill("partner")
    page.get_by_label("Verslag van het gesprek").fill(
        "Overdag weinig structuur, snel overprikkeld; Els is overbelast; sombere signalen."
    )
    page.get_by_label("Tijdsbesteding").select_option("2")
    page.get_by_label("Huiselijke relaties").select_option("2")
    page.get_by_label("Geestelijke gezondheid").select_option("3")
    page.get_by_role("button", name="Gesprek opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het gesprek en de ZRM zijn vastgelegd.")
    expect(page.get_by_role("main")).to_contain_text("besluit uiterlijk")
    expect(page.get_by_role("main")).to_contain_text("Els de Wit (partner)")

    page.get_by_role("link", name="Doelen met de inwoner opschrijven").click()
    _clean(page)
    for number, goal in enumerate(GOALS, start=1):
        page.get_by_label(f"Doel {number}", exact=True).fill(goal)
    page.get_by_role("button", name="Doelen opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De ondersteuningsdoelen zijn opgeslagen.")

    page.get_by_role("link", name="Besluiten met een arrangement").click()
    _clean(page)
    page.get_by_label("Arrangement").select_option(label="Herstel, groei en stabilisatie (07V01)")
    page.get_by_label("Omvang").fill("5")
    page.get_by_label("Eenheid").select_option("16")
    page.get_by_label("Frequentie").select_option("2")
    page.get_by_label("Regie en structuur in het dagelijks leven").check()
    page.get_by_label("Zinvolle dagbesteding en werk").check()
    page.get_by_label("Ondersteuning van de mantelzorger").check()
    page.get_by_label("Toelichting bij het besluit").fill(
        "Dagbesteding vijf ochtenden in een prikkelarme setting; GGZ-ondersteuning bij "
        "sombere signalen; evaluatie na twee maanden."
    )
    page.get_by_role("button", name="Beschikking vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("De beschikking is vastgelegd")
    expect(page.get_by_role("main")).to_contain_text("Herstel, groei en stabilisatie")
    expect(page.get_by_role("main")).to_contain_text("5 dagdelen per week")
    _clean(page)
    melding = Melding.objects.get(client__last_name="Wit")
    assert melding.review_on == today + dt.timedelta(days=61)
    _sign_out(page)

    # --- the team: the toewijzing, the intake, the casusregisseur, the network -----------
    _sign_in(page, live_server.url, lead, "22222222")
    _menu(page, "Toewijzingen gemeente")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe toewijzingen van de gemeente")
    expect(page.get_by_role("main")).to_contain_text("intake uiterlijk")
    _clean(page)
    page.get_by_role("row", name="Kees de Wit").get_by_role("link", name="Intake plannen").click()
    _clean(page)
    page.get_by_label("Organisatie die de intake doet").select_option(label="Welzijn Voorschoten")
    page.get_by_label("Locatie").fill("Thuis bij dhr. De Wit")
    page.get_by_label("Karin Casemanager (GGZR)").check()
    page.get_by_label("Casusregisseur").select_option(label="Mila Regisseur (WVS)")
    page.get_by_role("button", name="Intake plannen").click()
    expect(page.get_by_role("status")).to_contain_text("de casusregisseur is benoemd")
    header = page.locator(".client-header")
    expect(header).to_contain_text("Casusregisseur")
    expect(header).to_contain_text("Mila Regisseur")
    _clean(page)

    _tab(page, "Netwerk")
    page.get_by_role("link", name="Andere betrokkene toevoegen").click()
    _clean(page)
    page.get_by_label("Naam", exact=True).fill("Dagcentrum De Linde")
    page.get_by_label("Soort").select_option("dagbesteding")
    page.get_by_label("Wat doen zij").fill("Vijf ochtenden dagbesteding in een prikkelarme groep")
    page.get_by_label("Telefoon").fill("071 555 0101")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("main")).to_contain_text("Dagcentrum De Linde")
    _clean(page)

    # The plan (the "how") against the municipality's goals (the "what").
    _tab(page, "Herstelplan")
    page.get_by_role("navigation", name="Herstel en herstelplan").get_by_role(
        "link", name="Herstelplan"
    ).click()
    page.get_by_role("button", name="Herstelplan starten").click()
    page.get_by_label("Wie ben ik").fill("Ik ben Kees, ik was timmerman.")
    page.get_by_role("button", name="Opslaan").click()
    for text in PLAN_GOALS:
        page.get_by_role("link", name="Doel toevoegen").click()
        page.get_by_label("Doel in de woorden van de cliënt").fill(text)
        page.get_by_role("button", name="Doel opslaan").click()
        expect(page.get_by_role("heading", name=text)).to_be_visible()
    page.get_by_role("link", name="Doelen van de gemeente koppelen").click()
    page.get_by_role("link", name="plandoelen koppelen").click()
    _clean(page)
    first = page.get_by_role("group", name=f"Plandoel (versie 1): {PLAN_GOALS[0]}")
    first.get_by_label(GOALS[0]).check()
    first.get_by_label(GOALS[1]).check()
    first.get_by_label(GOALS[2]).check()
    page.get_by_role("group", name=f"Plandoel (versie 1): {PLAN_GOALS[1]}").get_by_label(
        GOALS[3]
    ).check()
    page.get_by_role("button", name="Koppelingen opslaan").click()
    expect(page.get_by_role("status")).to_contain_text(
        "De doelen van het herstelplan zijn gekoppeld."
    )
    _sign_out(page)
    assert PlanGoalLink.objects.filter(support_goal__melding=melding).count() == 4
    assert (
        Assignment.objects.get(client=melding.client, role=AssignmentRole.CASUSREGISSEUR).worker
        == regisseur
    )
    assert ExternalParty.objects.filter(client=melding.client, kind="dagbesteding").exists()

    # --- the casusregisseur schedules the fortnightly call until the review ------------------
    _sign_in(page, live_server.url, regisseur, "55555555")
    _menu(page, "Cliënten")
    page.get_by_role("link", name="Kees de Wit").click()
    _tab(page, "Afspraken")
    page.get_by_role("link", name="Afspraak plannen").click()
    _clean(page)
    first_call = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_role("textbox", name="Datum", exact=True).fill(first_call.isoformat())
    page.get_by_label("Begintijd").fill("10:00")
    page.get_by_label("Eindtijd").fill("10:30")
    page.get_by_label("Soort contact").select_option(label="Telefonisch")
    page.locator("#id_place_kind").select_option(label="Telefonisch")
    page.get_by_label("Herhalen een aantal keer").check()
    page.get_by_label("Elke zoveel weken").fill("2")
    page.get_by_label("Aantal keer", exact=True).fill("5")
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_role("main")).to_contain_text("5 afspraken gepland.")
    _clean(page)
    _sign_out(page)
    calls = Appointment.objects.filter(client=melding.client).order_by("starts_at")
    assert [a.starts_at.date() - first_call for a in calls] == [
        dt.timedelta(weeks=2 * n) for n in range(5)
    ]

    # --- two months later: the evaluation with the client ---------------------------------
    later = timezone.now() + dt.timedelta(days=61)
    with time_machine.travel(later, tick=True):
        _sign_in(page, live_server.url, regisseur, "33333333")
        _menu(page, "Cliënten")
        page.get_by_role("link", name="Kees de Wit").click()
        _tab(page, "Wmo")
        page.get_by_role("link", name="doelen evalueren").click()
        _clean(page)
        results = (
            ("Behaald", ""),
            ("Deels behaald", "Els heeft twee vrije ochtenden per week."),
            ("Niet behaald", "Nog te moe na de dagbesteding."),
            ("Deels behaald", "Minder somber sinds de gesprekken."),
        )
        for goal, (result, reason) in zip(GOALS, results, strict=True):
            group = page.get_by_role("group", name=goal)
            group.get_by_label(result, exact=True).check()
            if reason:
                group.get_by_label("Korte toelichting").fill(reason)
        page.get_by_label("Hoe tevreden is de cliënt over de ondersteuning?").select_option("4")
        page.get_by_label("Toelichting van de cliënt (optioneel)").fill(
            "Fijn dat er één vast aanspreekpunt is."
        )
        page.get_by_role("button", name="Evaluatie opslaan").click()
        expect(page.get_by_role("status")).to_contain_text(
            "De evaluatie van de doelen is vastgelegd."
        )
        _sign_out(page)
        assert GoalReview.objects.get(melding=melding).attainments.count() == 4

        # --- the consultant sees progress and satisfaction, no clinical notes -------------
        _sign_in(page, live_server.url, consultant, "44444444")
        _menu(page, "Wmo-meldingen")
        page.get_by_role("link", name="Kees de Wit").click()
        main = page.get_by_role("main")
        expect(main).to_contain_text("Deels behaald")
        expect(main).to_contain_text("Nog te moe na de dagbesteding.")
        expect(main).to_contain_text("4 - tevreden")
        expect(main).to_contain_text("Fijn dat er één vast aanspreekpunt is.")
        expect(main).to_contain_text("Mila Regisseur")
        for clinical in (*PLAN_GOALS, "Ik ben Kees, ik was timmerman."):
            expect(page.locator("body")).not_to_contain_text(clinical)
        tabs = page.get_by_role("navigation", name="Onderdelen van het dossier")
        expect(tabs.get_by_role("link", name="Herstelplan")).to_have_count(0)
        _clean(page)
        _menu(page, "Wmo-meldingen")
        page.get_by_role("link", name="Doelrealisatie en tevredenheid").click()
        expect(page.get_by_role("main")).to_contain_text("Herstel, groei en stabilisatie")
        expect(page.get_by_role("main")).to_contain_text("<5")
        _clean(page)
    # The one refusal was ours: the empty melding form answered 400 with Dutch messages.
    unexpected = [
        p
        for p in traffic.problems
        if not (p.startswith("HTTP 400: ") and p.endswith("/wmo/meldingen/nieuw/"))
        and not (p.startswith("console error: ") and "400" in p)
    ]
    assert unexpected == []
    assert any(p.endswith("/wmo/meldingen/nieuw/") for p in traffic.problems)
