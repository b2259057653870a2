"""Hardened input (issue 14): control characters refused on save, stripped from exports."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clients.models import Client, Naaste
from tests.factories.clients import ClientFactory

pytestmark = pytest.mark.django_db
MESSAGE = (
    "{} bevat een onzichtbaar stuurteken (bijvoorbeeld uit een kopie). "
    "Typ de tekst opnieuw zonder dat teken."
)


# (NUL is refused by DRF itself: "Null-tekens zijn niet toegestaan.")
@pytest.mark.parametrize("character", ["\x07", "\x1b", "\x7f"])
def test_a_control_character_in_a_name_is_a_dutch_400_and_nothing_is_stored(
    member, login, character
):
    response = login(member).post(
        reverse("api:client-list"),
        {"first_name": f"An{character}na", "last_name": "Boer"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"first_name": [MESSAGE.format("Roepnaam")]}
    assert Client.objects.count() == 0


def test_a_control_character_in_a_naaste_is_refused_too(member, login, team):
    file = ClientFactory(team=team)
    response = login(member).post(
        reverse("api:naaste-list", args=[file.pk]),
        {"name": "Piet\x08", "relation": "vader", "role": "familie"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    assert Naaste.objects.count() == 0


def test_line_breaks_and_tabs_stay_allowed_in_text(member, login, team):
    file = ClientFactory(team=team)
    response = login(member).post(
        reverse("api:naaste-list", args=[file.pk]),
        {"name": "Piet", "relation": "vader", "role": "familie", "share_note": "a\r\nb\tc"},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_an_old_row_with_a_control_character_no_longer_breaks_the_team_export(lead, login, team):
    file = ClientFactory(team=team, last_name="Boer")
    Client.objects.filter(pk=file.pk).update(last_name="Bo\x0ber")  # stored before the fix
    response = login(lead).get(reverse("clients:client-export", kwargs={"fmt": "xlsx"}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    names = [v for v in values if isinstance(v, str) and "Bo" in v and "er" in v]
    assert len(names) == 1 and "Boer" in names[0] and "\x0b" not in names[0]
    csv = login(lead).get(reverse("clients:client-export", kwargs={"fmt": "csv"}))
    assert "Bo\x0ber" not in b"".join(csv.streaming_content).decode()
