"""The helpers every app shares from olteams: the service-error mapper, the date/time/month
inputs, paging and query strings, and the two access guards (require_client, can_export)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.test import RequestFactory

from olteams.access import ClientAction, can_export, require_client
from olteams.forms import DateInput, MonthInput, TimeInput, add_service_errors
from olteams.pagination import paginate, query_without, sort_links
from tests.factories.clients import ClientFactory


class _ContactForm(forms.Form):
    service_field_aliases = {"starts_at": "date"}

    date = forms.DateField(widget=DateInput())
    time = forms.TimeField(widget=TimeInput())
    note = forms.CharField(required=False)


def _bound() -> _ContactForm:
    form = _ContactForm({"date": "2026-03-01", "time": "09:30", "note": "x"})
    assert form.is_valid()
    return form


def test_service_field_errors_land_beside_their_field_and_the_rest_in_the_summary():
    form = _bound()
    add_service_errors(
        form,
        ValidationError(
            {
                "note": ValidationError("Te lang: %(n)s tekens.", params={"n": 501}),
                "worker": "Kies een medewerker.",
                "__all__": "Het contact overlapt.",
            }
        ),
    )
    assert form.errors["note"] == ["Te lang: 501 tekens."]
    assert form.non_field_errors() == ["Kies een medewerker.", "Het contact overlapt."]
    assert "note" not in form.cleaned_data


def test_a_service_field_with_another_name_in_the_form_goes_to_its_alias():
    form = _bound()
    add_service_errors(form, ValidationError({"starts_at": "Het contact ligt in de toekomst."}))
    assert form.errors == {"date": ["Het contact ligt in de toekomst."]}


def test_an_error_without_fields_goes_to_the_summary():
    form = _bound()
    add_service_errors(form, ValidationError(["Eerste.", "Tweede."]))
    assert form.non_field_errors() == ["Eerste.", "Tweede."]
    assert set(form.errors) == {"__all__"}


def test_the_inputs_render_the_browser_pickers_with_iso_values():
    assert DateInput().render("d", dt.date(2026, 3, 1)) == (
        '<input type="date" name="d" value="2026-03-01">'
    )
    assert TimeInput().render("t", dt.time(9, 5)) == '<input type="time" name="t" value="09:05">'
    assert MonthInput(attrs={"id": "m"}).render("m", dt.date(2026, 3, 1)) == (
        '<input type="month" name="m" value="2026-03" id="m">'
    )


@pytest.mark.parametrize(
    ("query", "expected_number"),
    [("", 1), ("pagina=2", 2), ("pagina=99", 3), ("pagina=x", 1)],
)
def test_paginate_reads_the_page_parameter_and_never_fails(query, expected_number):
    request = RequestFactory().get(f"/lijst/?{query}")
    page = paginate(request, list(range(5)), per_page=2)
    assert page.number == expected_number
    assert list(page) == [[0, 1], [2, 3], [4]][expected_number - 1]


def test_query_without_drops_the_page_unless_other_names_are_given():
    params = QueryDict("q=de+Vries&pagina=3&team=4&team=5")
    assert query_without(params) == "q=de+Vries&team=4&team=5"
    assert query_without(params, "team", "q") == "pagina=3"


def test_sort_links_toggle_the_direction_and_restart_at_the_first_page():
    links = sort_links(
        QueryDict("sorteer=naam&pagina=2&fase=zorg"), [("naam", "Naam"), ("team", "Team")]
    )
    assert links == [
        {"label": "Naam", "query": "sorteer=-naam&fase=zorg", "aria_sort": "ascending"},
        {"label": "Team", "query": "sorteer=team&fase=zorg", "aria_sort": "none"},
    ]
    assert sort_links(QueryDict("sorteer=-naam"), [("naam", "Naam")])[0] == {
        "label": "Naam",
        "query": "sorteer=naam",
        "aria_sort": "descending",
    }


@pytest.mark.django_db
def test_require_client_refuses_without_the_action_and_passes_with_it(team, member, outsider):
    client = ClientFactory(team=team)
    require_client(member, client)
    require_client(member, client, ClientAction.VIEW_CLINICAL)
    with pytest.raises(PermissionDenied, match=r"^U hebt geen toegang tot deze cliënt\.$"):
        require_client(outsider, client)
    with pytest.raises(PermissionDenied):
        require_client(member, client, ClientAction.EXPORT)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [
        ("lead", True),
        ("secretary", True),
        ("member", False),
        ("consultant", False),
        ("controller", False),
        ("stuurgroep_user", False),
    ],
)
def test_can_export_is_the_lead_and_the_secretariaat(request, user_fixture, expected):
    assert can_export(request.getfixturevalue(user_fixture)) is expected
