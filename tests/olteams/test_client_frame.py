"""The client frame: every client page of every app renders one header (the client's name as
the page's h1) and the tabs; the tabs follow the access policy; old URLs redirect.

The page enumeration walks the URL patterns (the same walker as the audit enumeration), so a
new client page that forgets the frame fails here without anyone listing it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import get_resolver, reverse
from django.utils.html import escape

from clients.constants import AssignmentRole, Phase
from olteams.access import ClientAction, can, client_actions
from olteams.client_frame import TABS, active_tab_key, client_age
from olteams.constants import TeamRole
from tests.conftest import verified_client
from tests.factories.clients import AssignmentFactory, CareEpisodeFactory, ClientFactory
from tests.factories.olteams import ControllerRoleFactory, MembershipFactory, UserFactory
from tests.olteams.test_url_audit import (
    _factory_for,
    _url_for,
    collected_kwarg_factories,
    is_client_scoped,
    walk,
)

pytestmark = pytest.mark.django_db

_CLIENT_APPS = ("clients:", "herstelplan:", "wmo:", "caseload:")
# Pages that must render the frame for the probe (a team lead): the heart of each tab.
_CORE_PAGES = {
    "caseload:client-file",
    "caseload:contact-create",
    "caseload:intensity-create",
    "caseload:crisis-create",
    "caseload:outflow",
    "clients:client-detail",
    "clients:network",
    "clients:client-update",
    "clients:assignment-create",
    "clients:naaste-create",
    "clients:consent-create",
    "herstelplan:client-overview",
    "herstelplan:iroc-list",
    "herstelplan:iroc-create",
    "herstelplan:honos-list",
    "herstelplan:plan-list",
    "wmo:client-overview",
    "wmo:indication-list",
    "wmo:request-create",
}


@pytest.fixture
def probe(team, org_ggz):
    user = MembershipFactory(
        user=UserFactory(username="frameprobe"),
        team=team,
        organisation=org_ggz,
        role=TeamRole.LEAD,
    ).user
    ControllerRoleFactory(user=user, organisation=None)
    client = ClientFactory(team=team, first_name="Zwaantje", last_name="Frame-Proefpersoon")
    CareEpisodeFactory(client=client, phase=Phase.IN_CARE)
    return user, client, verified_client(user)


def _client_pages() -> list:
    return [
        p
        for p in walk(get_resolver().url_patterns)
        if p.name and p.name.startswith(_CLIENT_APPS) and is_client_scoped(p)
    ]


def test_every_client_page_of_every_app_renders_the_frame_with_the_clients_name(probe):
    user, client, http = probe
    factories = collected_kwarg_factories()
    framed, problems = set(), []
    for p in _client_pages():
        kwargs = {"client_id": client.pk}
        for name in p.kwarg_names:
            if name == "client_id":
                continue
            factory = _factory_for(p, name, factories)
            assert factory is not None, f"{p.name}: no KWARG_FACTORIES entry for {name}"
            kwargs[name] = factory(client=client, user=user)
        response = http.get(_url_for(p, kwargs))
        assert response.status_code < 500, f"{p.name}: {response.status_code}"
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue  # a download, a POST-only action or a page for another role
        page = response.content.decode()
        if 'id="client-naam"' not in page or escape(client.full_name) not in page:
            problems.append(p.name)
            continue
        assert page.count("<h1") == 1, f"{p.name}: one h1 per page (the client's name)"
        assert 'class="client-tabs"' in page, p.name
        framed.add(p.name)
    assert problems == []
    assert framed >= _CORE_PAGES, sorted(_CORE_PAGES - framed)


def test_the_header_shows_the_client_at_a_glance(probe, member):
    _user, client, http = probe
    AssignmentFactory(client=client, worker=member, role=AssignmentRole.CASEMANAGER)
    response = http.get(reverse("caseload:client-file", kwargs={"client_id": client.pk}))
    page = response.content.decode()
    header = page[page.index('class="client-header"') : page.index('class="client-frame-body"')]
    assert escape(client.full_name) in header
    assert client.masked_bsn in header if client.bsn else "onbekend" in header
    assert "cliëntnummer" in header and str(client.pk) in header
    assert "In zorg" in header  # the phase
    assert member.get_full_name() in header  # the casemanager
    assert "toestemming ontbreekt" in header  # in care without any consent on record
    tabs = header[header.index('class="client-tabs"') :]
    for label in ("Dossier", "Gegevens", "Herstelplan", "Wmo", "Netwerk"):
        assert f">{label}</a>" in tabs
    assert 'aria-current="page">Dossier' in tabs


def test_a_secretary_gets_no_herstelplan_tab(team, org_ggz):
    secretary = MembershipFactory(
        user=UserFactory(username="secr"),
        team=team,
        organisation=org_ggz,
        role=TeamRole.SECRETARIAAT,
    ).user
    client = ClientFactory(team=team)
    page = (
        verified_client(secretary)
        .get(reverse("clients:client-detail", kwargs={"client_id": client.pk}))
        .content.decode()
    )
    tabs = page[page.index('class="client-tabs"') :]
    assert ">Gegevens</a>" in tabs
    assert ">Herstelplan</a>" not in tabs


def test_client_actions_answers_as_can_for_every_action(team, other_team, org_ggz, member):
    client = ClientFactory(team=team)
    outsider = MembershipFactory(team=other_team, organisation=org_ggz).user
    assigned = MembershipFactory(team=other_team, organisation=org_ggz).user
    AssignmentFactory(client=client, worker=assigned, role=AssignmentRole.OTHER)
    secretary = MembershipFactory(team=team, organisation=org_ggz, role=TeamRole.SECRETARIAAT).user
    lead = MembershipFactory(team=team, organisation=org_ggz, role=TeamRole.LEAD).user
    controller = UserFactory()
    ControllerRoleFactory(user=controller, organisation=None)
    actions = list(ClientAction.values)
    for user in (member, outsider, assigned, secretary, lead, controller, UserFactory()):
        expected = {a for a in actions if can(user, client, a)}
        assert client_actions(user, client, actions=actions) == expected, user.username


def test_every_tab_names_an_installed_page_or_a_later_issue():
    installed = {t.url_name for t in TABS if t.owns}
    for name in installed:
        assert reverse(name, kwargs={"client_id": 1}).startswith("/clienten/1/")


def test_pages_sit_under_their_tab():
    assert active_tab_key("herstelplan:plan-detail") == "herstelplan"
    assert active_tab_key("caseload:contact-update") == "dossier"
    assert active_tab_key("clients:naaste-update") == "netwerk"
    assert active_tab_key("clients:client-update") == "gegevens"
    assert active_tab_key("wmo:request-detail") == "wmo"
    # The longest owner wins: Afspraken owns a part of the caseload pages.
    assert active_tab_key("caseload:appointment-update") == "afspraken"
    assert active_tab_key("caseload:client-file") == "dossier"


def test_age_counts_birthdays():
    assert client_age(dt.date(1990, 6, 15), dt.date(2026, 6, 14)) == 35
    assert client_age(dt.date(1990, 6, 15), dt.date(2026, 6, 15)) == 36
    assert client_age(None, dt.date(2026, 6, 15)) is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/herstelplan/clienten/7/plan/", "/clienten/7/herstelplan/plan/"),
        ("/wmo/clienten/7/indicaties/", "/clienten/7/wmo/indicaties/"),
        ("/caseload/clienten/7/dossier/?soort=contact", "/clienten/7/?soort=contact"),
        ("/caseload/clienten/7/contact/nieuw/", "/clienten/7/contact/nieuw/"),
    ],
)
def test_old_client_urls_redirect_into_the_frame(probe, old, new):
    _user, _client, http = probe
    response = http.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
