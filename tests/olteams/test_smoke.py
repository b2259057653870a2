import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_sign_in_page_renders_in_dutch(client):
    response = client.get(reverse("olteams:login"))
    assert response.status_code == 200
    assert "Aanmelden" in response.content.decode()


@pytest.mark.django_db
def test_verified_member_sees_team_start_page(member, login):
    response = login(member).get(reverse("olteams:home"))
    assert response.status_code == 200
    assert "Startpagina voor het team" in response.content.decode()
