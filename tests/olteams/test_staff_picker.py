"""The staff picker (issue 11): a team of 22 reads as the care team first, each worker labelled
with discipline and organisation; the rest is found by typing, from the user's own teams only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from clients.constants import AssignmentRole
from clients.forms import AssignmentForm, IntakeCompleteForm
from clients.selectors import client_staff_choices, client_staff_scope
from olteams.constants import Discipline, TeamRole
from olteams.models import User
from olteams.selectors import StaffScope, staff_annotate, staff_label
from tests.factories.clients import AssignmentFactory, ClientFactory
from tests.factories.olteams import (
    ControllerRoleFactory,
    MembershipFactory,
    MunicipalityRoleFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SEARCH = "olteams:staff-search"


@pytest.fixture
def team_of_22():
    """Team Assen with 22 workers: "Werker 01 Aa" … "Werker 22 Av" (last names sort the same
    way), the two psychiaters of GGZ, the rest casemanagers of VNN; plus a leaver and a
    worker of another team."""
    team = TeamFactory(name="Assen", slug="assen")
    ggz = OrganisationFactory(name="GGZ Drenthe", short_name="GGZ")
    vnn = OrganisationFactory(name="Verslavingszorg Noord", short_name="VNN")
    workers = []
    for n in range(1, 23):
        user = UserFactory(
            username=f"werker{n:02}", first_name=f"Werker {n:02}", last_name=f"A{chr(96 + n)}"
        )
        MembershipFactory(
            user=user,
            team=team,
            organisation=ggz if n <= 2 else vnn,
            discipline=Discipline.PSYCHIATER if n <= 2 else Discipline.CASEMANAGER,
            role=TeamRole.SECRETARIAAT if n == 22 else TeamRole.MEMBER,
        )
        workers.append(user)
    leaver = UserFactory(username="vertrokken", first_name="Vera", last_name="Vertrokken")
    MembershipFactory(user=leaver, team=team, valid_to=dt.date(2021, 1, 1))
    other_team = TeamFactory(name="Emmen", slug="emmen")
    elsewhere = UserFactory(username="emmen1", first_name="Werker", last_name="Emmen")
    MembershipFactory(user=elsewhere, team=other_team, organisation=ggz)
    return team, workers, leaver, elsewhere


@pytest.fixture
def client_with_care_team(team_of_22):
    team, workers, _, _ = team_of_22
    client = ClientFactory(team=team, first_name="Anna", last_name="de Boer")
    AssignmentFactory(client=client, worker=workers[14], role=AssignmentRole.CASEMANAGER)
    AssignmentFactory(client=client, worker=workers[1], role=AssignmentRole.REGIEBEHANDELAAR)
    AssignmentFactory(  # ended: no longer first
        client=client, worker=workers[9], end_date=dt.date(2021, 6, 30)
    )
    return client


def _labels(field):
    return [label for value, label in field.choices if value != ""]


def test_choices_put_the_care_team_first_and_label_discipline_and_organisation(
    client_with_care_team, team_of_22
):
    form = AssignmentForm(workers=client_staff_scope(client=client_with_care_team))
    labels = _labels(form.fields["worker"])
    assert len(labels) == 22  # the leaver and the other team's worker are not offered
    assert labels[:3] == [
        "Werker 02 Ab · Psychiater, GGZ",
        "Werker 15 Ao · Casemanager, VNN",
        "Werker 01 Aa · Psychiater, GGZ",
    ]
    assert labels[-1] == "Werker 22 Av · Casemanager, VNN"
    assert "Vera Vertrokken" not in " ".join(labels)
    assert "Werker Emmen" not in " ".join(labels)


def test_a_care_team_member_of_another_team_is_offered_with_that_teams_label(
    client_with_care_team, team_of_22
):
    _, _, _, elsewhere = team_of_22
    AssignmentFactory(client=client_with_care_team, worker=elsewhere)
    form = AssignmentForm(workers=client_staff_scope(client=client_with_care_team))
    labels = _labels(form.fields["worker"])
    assert labels[:3] == [
        "Werker 02 Ab · Psychiater, GGZ",
        "Werker 15 Ao · Casemanager, VNN",
        "Werker Emmen · Casemanager, GGZ",
    ]
    assert len(labels) == 23


def test_the_label_prefers_the_membership_in_the_clients_team(team_of_22):
    team, workers, _, _ = team_of_22
    MembershipFactory(
        user=workers[0],
        team=TeamFactory(name="Emmen", slug="emmen"),
        discipline=Discipline.IPS,
        valid_from=dt.date(2019, 1, 1),
    )
    here = staff_annotate(User.objects.filter(pk=workers[0].pk), team_id=team.pk).get()
    assert staff_label(here) == "Werker 01 Aa · Psychiater, GGZ"
    unscoped = staff_annotate(User.objects.filter(pk=workers[0].pk), team_id=None).get()
    assert staff_label(unscoped).startswith("Werker 01 Aa · IPS-trajectbegeleider")


def test_the_widget_shows_the_care_team_and_a_search_box_not_22_buttons(client_with_care_team):
    form = AssignmentForm(workers=client_staff_scope(client=client_with_care_team))
    html = str(form["worker"])
    radios = re.findall(r'<input type="radio" name="worker" value="(\d+)"', html)
    assert len(radios) == 2
    assert 'type="search"' in html
    assert f'hx-get="{reverse(SEARCH)}"' in html
    assert "Iemand anders zoeken" in html
    # Without JavaScript the other 20 are one plain select list.
    noscript = html[html.index("<noscript>") : html.index("</noscript>")]
    assert noscript.count("<option ") == 21  # "— Kies —" and the 20 others
    assert "— Kies —" in noscript


def test_a_chosen_worker_outside_the_care_team_is_shown_checked(client_with_care_team, team_of_22):
    _, workers, _, _ = team_of_22
    form = AssignmentForm(
        initial={"worker": workers[4]}, workers=client_staff_scope(client=client_with_care_team)
    )
    html = str(form["worker"])
    assert re.search(rf'value="{workers[4].pk}" id="id_worker_\d" checked', html)
    assert len(re.findall(r'<input type="radio" name="worker"', html)) == 3


def test_an_optional_single_choice_offers_niemand(client_with_care_team):
    form = IntakeCompleteForm(
        workers=client_staff_scope(client=client_with_care_team),
        naasten=client_with_care_team.naasten.none(),
    )
    html = str(form["regiebehandelaar"])
    assert (
        '<input type="radio" name="regiebehandelaar" value="" id="id_regiebehandelaar_niemand" checked>'
        in html
    )


def test_the_checked_radio_wins_over_the_empty_fallback_select(client_with_care_team, team_of_22):
    _, workers, _, _ = team_of_22
    scope = client_staff_scope(client=client_with_care_team)
    data = QueryDict(mutable=True)
    data.setlist("worker", [str(workers[1].pk), ""])
    data.update({"role": AssignmentRole.BEGELEIDER, "start_date": "2026-01-05"})
    form = AssignmentForm(data, workers=scope)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["worker"] == workers[1]
    # A worker found by searching (not in the care team) is accepted too.
    data.setlist("worker", ["", str(workers[19].pk)])
    form = AssignmentForm(data, workers=scope)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["worker"] == workers[19]


def test_a_worker_outside_the_scope_is_refused(client_with_care_team, team_of_22):
    _, _, leaver, elsewhere = team_of_22
    scope = client_staff_scope(client=client_with_care_team)
    for outsider in (leaver, elsewhere):
        data = {"worker": str(outsider.pk), "role": "begeleider", "start_date": "2026-01-05"}
        form = AssignmentForm(data, workers=scope)
        assert not form.is_valid()
        assert list(form.errors) == ["worker"]


def test_a_bare_queryset_still_works_without_a_care_team(team_of_22):
    _, workers, _, _ = team_of_22

    form = AssignmentForm(workers=User.objects.filter(pk__in=[w.pk for w in workers[:3]]))
    assert _labels(form.fields["worker"]) == [
        "Werker 01 Aa · Psychiater, GGZ",
        "Werker 02 Ab · Psychiater, GGZ",
        "Werker 03 Ac · Casemanager, VNN",
    ]
    assert isinstance(form.fields["worker"].widget.scope, StaffScope)


def test_the_assignment_page_renders_the_picker(client_with_care_team, team_of_22, login):
    _, workers, _, _ = team_of_22
    url = reverse("clients:assignment-create", kwargs={"client_id": client_with_care_team.pk})
    response = login(workers[0]).get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Werker 15 Ao · Casemanager, VNN" in body
    assert len(re.findall(r'<input type="radio" name="worker"', body)) == 2
    assert '<legend>Medewerker <span class="required" aria-hidden="true">*</span>' in body


# --- the search endpoint -------------------------------------------------------------------


def _search(http, **params):
    params = {"name": "workers", "type": "checkbox", **params}
    return http.get(reverse(SEARCH), params)


def _found(response):
    return re.findall(
        r'value="(\d+)" id="workers_zoek_\d+"> <label[^>]*>([^<]+)</label>',
        response.content.decode(),
    )


def test_search_matches_every_word_within_the_users_teams(team_of_22, login):
    _, workers, _, _ = team_of_22
    http = login(workers[0])
    response = _search(http, q="werker 1")
    assert response.status_code == 200
    labels = [label for _, label in _found(response)]
    assert labels == [
        "Werker 01 Aa · Psychiater, GGZ",
        *(f"Werker {n} A{chr(96 + n)} · Casemanager, VNN" for n in range(10, 20)),
        "Werker 21 Au · Casemanager, VNN",
    ]
    # The worker of Emmen matches "werker" but is not staff of the user's team.
    assert "Werker Emmen" not in response.content.decode()
    assert len(_found(_search(http, q="werker"))) == 15  # the limit


def test_search_leaves_out_shown_workers_roles_and_foreign_teams(team_of_22, login):
    team, workers, _, _ = team_of_22
    http = login(workers[0])
    response = _search(http, q="werker 2", exclude=f"{workers[19].pk},{workers[20].pk}")
    assert [label for _, label in _found(response)] == [
        "Werker 02 Ab · Psychiater, GGZ",
        "Werker 12 Al · Casemanager, VNN",
        "Werker 22 Av · Casemanager, VNN",
    ]
    response = _search(http, q="werker 2", zonder="secretariaat", team=str(team.pk))
    assert [v for v, _ in _found(response)] == [str(workers[n - 1].pk) for n in (2, 12, 20, 21)]
    other = TeamFactory(name="Emmen", slug="emmen")
    assert _found(_search(http, q="werker", team=str(other.pk))) == []


def test_search_needs_two_letters_and_a_sane_field_name(team_of_22, login):
    _, workers, _, _ = team_of_22
    http = login(workers[0])
    response = _search(http, q="w")
    assert response.status_code == 200
    assert "Typ minstens twee letters." in response.content.decode()
    assert "Geen medewerker gevonden." in _search(http, q="zzz").content.decode()
    assert _search(http, q="werker", name='x"><script>').status_code == 400
    assert _search(http, q="werker", type="text").status_code == 400
    radio = _search(http, q="werker 03", type="radio", name="worker").content.decode()
    assert f'<input type="radio" name="worker" value="{workers[2].pk}"' in radio


@pytest.mark.parametrize("role", ["consultant", "controller", "stuurgroep", "admin", "nobody"])
def test_search_is_refused_to_roles_without_staff_access(team_of_22, login, role):
    user = UserFactory(username=f"zonder-{role}")
    if role == "consultant":
        MunicipalityRoleFactory(user=user)
    elif role == "controller":
        ControllerRoleFactory(user=user)
    elif role == "stuurgroep":
        user.is_stuurgroep = True
        user.save()
    elif role == "admin":
        user.is_functional_admin = True
        user.save()
    response = _search(login(user), q="werker")
    assert response.status_code == 403
    assert "Werker" not in response.content.decode()


def test_search_asks_anonymous_users_to_sign_in(client, team_of_22):
    response = client.get(reverse(SEARCH), {"q": "werker", "name": "workers"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("olteams:login"))


def test_a_small_team_is_listed_whole_care_team_first(team_of_22):
    _, workers, _, _ = team_of_22
    client = ClientFactory(team=workers[0].memberships.get().team)
    AssignmentFactory(client=client, worker=workers[6], role=AssignmentRole.CASEMANAGER)
    small = StaffScope(
        queryset=User.objects.filter(pk__in=[w.pk for w in workers[:8]]),
        team_id=client.team_id,
        first_ids=frozenset({workers[6].pk}),
    )
    html = str(AssignmentForm(workers=small)["worker"])
    values = re.findall(r'<input type="radio" name="worker" value="(\d+)"', html)
    assert values == [str(workers[6].pk), *(str(w.pk) for w in workers[:6]), str(workers[7].pk)]
    assert 'type="search"' not in html
    assert "<noscript>" not in html


def test_the_client_file_filter_lists_the_care_team_first_with_labels(client_with_care_team):
    from caseload.views.pages import TimelineFilterForm

    form = TimelineFilterForm(workers=client_staff_choices(client=client_with_care_team))
    labels = [label for _value, label in form.fields["medewerker"].choices]
    assert labels[:4] == [
        "Iedereen",
        "Werker 02 Ab · Psychiater, GGZ",
        "Werker 15 Ao · Casemanager, VNN",
        "Werker 01 Aa · Psychiater, GGZ",
    ]
    assert len(labels) == 23


def test_the_client_files_staff_read_with_the_client_is_the_choices_own_read(
    client_with_care_team, team_of_22, django_assert_num_queries
):
    """The client file reads its filter's staff with the client (``client_staff_annotation``):
    the same workers, labels and order as ``client_staff_choices``'s own statement, on each
    day (a leaver, an ended assignment, a care-team worker of another team, an inactive
    one), and no statement of its own; for another day than the read's, its own read."""
    from caseload.selectors.facts import client_file_presence
    from clients.models import Client
    from olteams.access import access_client

    team, workers, leaver, elsewhere = team_of_22
    AssignmentFactory(
        client=client_with_care_team, worker=elsewhere, start_date=dt.date(2022, 1, 1)
    )
    inactive = UserFactory(username="inactief", is_active=False)
    AssignmentFactory(client=client_with_care_team, worker=inactive)
    MembershipFactory(user=workers[3], team=team, valid_from=dt.date(2023, 1, 1))
    days = [dt.date(2020, 6, 1), dt.date(2021, 6, 30), dt.date(2021, 7, 1), dt.date(2022, 1, 1)]
    for day in days:
        expected = client_staff_choices(client=client_with_care_team, today=day)
        read = Client.objects.annotate(**client_file_presence(day)).get(pk=client_with_care_team.pk)
        read.read_day = day
        with django_assert_num_queries(0):
            assert client_staff_choices(client=read, today=day) == expected, day
    assert len(expected) == 23 and expected[2][1] == "Werker Emmen · Casemanager, GGZ"
    assert leaver.pk not in {pk for pk, _ in expected} and inactive.pk not in dict(expected)

    lead = MembershipFactory(team=team, role=TeamRole.LEAD).user
    found = access_client(lead, client_with_care_team.pk, annotate=client_file_presence)
    today = found.read_day
    with django_assert_num_queries(0):
        from_read = client_staff_choices(client=found, today=today)
    assert from_read == client_staff_choices(client=client_with_care_team, today=today)
    with django_assert_num_queries(1):  # another day: read on its own
        client_staff_choices(client=found, today=today - dt.timedelta(days=1))


def test_plain_dict_data_works_for_one_and_several_workers(client_with_care_team, team_of_22):
    from caseload.forms import ContactForm

    _, workers, _, _ = team_of_22
    data = {
        "date": "2026-01-05",
        "time": "10:00",
        "duration_minutes": "30",
        "kind": ContactForm.base_fields["kind"].choices[0][0],
        "funding_stream": ContactForm.base_fields["funding_stream"].choices[0][0],
        "travel_minutes": "0",
        "workers": [str(workers[1].pk), str(workers[19].pk)],
    }
    scope = StaffScope(
        queryset=User.objects.filter(pk__in=[w.pk for w in workers]),
        team_id=client_with_care_team.team_id,
    )
    form = ContactForm(data, workers=scope, goals=User.objects.none())
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["workers"]) == [workers[1], workers[19]]
    single = AssignmentForm(
        {"worker": str(workers[3].pk), "role": "begeleider", "start_date": "2026-01-05"},
        workers=scope,
    )
    assert single.is_valid(), single.errors
    assert single.cleaned_data["worker"] == workers[3]
