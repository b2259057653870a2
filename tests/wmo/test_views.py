from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from olteams.models import AuditEvent
from tests.factories.olteams import MunicipalityRoleFactory, UserFactory
from wmo import services
from wmo.constants import DecisionKind, RequestStatus
from wmo.models import Decision, IndicationRequest

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    """The pages compute the clock from today: fix today at the day of submission."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def submitted(member, wmo_client, request_data):
    request = services.request_create(actor=member, client=wmo_client, data=request_data)
    return services.request_submit(actor=member, request=request, now=NOW)


def _detail(request):
    return reverse("wmo:request-detail", kwargs={"client_id": request.client_id, "pk": request.pk})


def _form_post(request_data, **change):
    data = request_data | change
    post = {
        k: v
        for k, v in data.items()
        if k not in ("zrm_scores", "goal_ids", "result_areas", "is_temporary")
    }
    post |= {
        "goal_ids": [str(g) for g in data["goal_ids"]],
        "result_areas": [str(a) for a in data["result_areas"]],
        "start": data["start"].isoformat(),
        "end": data["end"].isoformat(),
    }
    post |= {f"zrm_{k}": str(v) for k, v in data["zrm_scores"].items()}
    return post


def test_team_member_drafts_and_submits_through_the_browser(
    member, wmo_client, request_data, login
):
    http = login(member)
    url = reverse("wmo:request-create", kwargs={"client_id": wmo_client.pk})
    page = http.get(url)
    assert page.status_code == 200
    assert "Ik wil mijn post zelf bijhouden." in page.content.decode()
    response = http.post(url, _form_post(request_data))
    request = IndicationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(request)
    assert request.zrm_scores.count() == 2
    response = http.post(
        reverse("wmo:request-submit", kwargs={"client_id": wmo_client.pk, "pk": request.pk})
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.INGEDIEND
    page = http.get(_detail(request)).content.decode()
    assert "nog 14 dagen" in page


def test_bad_request_form_keeps_values_and_shows_dutch_errors(
    member, wmo_client, request_data, login
):
    url = reverse("wmo:request-create", kwargs={"client_id": wmo_client.pk})
    response = login(member).post(
        url, _form_post(request_data, volume="0", end=dt.date(2026, 3, 1))
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "De omvang moet een geheel getal groter dan 0 zijn." in body
    assert "De einddatum ligt vóór de ingangsdatum." in body
    assert 'value="Sanne raakt' not in body  # textarea keeps the typed value as content
    assert "Sanne raakt het overzicht" in body
    assert IndicationRequest.objects.count() == 0


def test_inbox_sorted_overdue_first_marked_and_audited(
    member, consultant, wmo_client, request_data, login
):
    first = services.request_submit(
        actor=member,
        now=NOW,
        request=services.request_create(actor=member, client=wmo_client, data=request_data),
    )
    later = request_data | {"start": dt.date(2027, 1, 1), "end": dt.date(2027, 6, 30)}
    second = services.request_submit(
        actor=member,
        now=NOW - dt.timedelta(days=20),
        request=services.request_create(actor=member, client=wmo_client, data=later),
    )
    services.deadline_sweep(today=dt.date(2026, 3, 2))
    http = login(consultant)
    with CaptureQueriesContext(connection) as two_rows:
        response = http.get(reverse("wmo:inbox"))
    # One more row costs no extra query (the count also holds the shared page chrome).
    services.request_submit(
        actor=member,
        now=NOW,
        request=services.request_create(
            actor=member,
            client=wmo_client,
            data=request_data | {"start": dt.date(2028, 1, 1), "end": None},
        ),
    )
    with CaptureQueriesContext(connection) as three_rows:
        http.get(reverse("wmo:inbox"))
    assert len(three_rows) == len(two_rows) <= 25
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(_detail(second)) < body.index(_detail(first))
    assert "te laat" in body
    assert "6 dagen over de termijn" in body
    assert "nog 14 dagen" in body
    assert list(
        AuditEvent.objects.filter(user=consultant, event_type="search").values_list(
            "detail", flat=True
        )
    ) == ["Wmo-inbox", "Wmo-inbox"]


def test_inbox_filters_by_status_and_product(
    member, consultant, wmo_client, submitted, login, day_product
):
    http = login(consultant)
    assert (
        _detail(submitted)
        in http.get(reverse("wmo:inbox"), {"status": "ingediend"}).content.decode()
    )
    assert (
        _detail(submitted)
        not in http.get(reverse("wmo:inbox"), {"status": "toegekend"}).content.decode()
    )
    assert (
        _detail(submitted)
        not in http.get(reverse("wmo:inbox"), {"product": day_product.pk}).content.decode()
    )
    htmx = http.get(reverse("wmo:inbox"), headers={"HX-Request": "true"}).content.decode()
    assert htmx.lstrip().startswith('<div id="inbox-table">')


def test_consultant_sees_only_what_the_decision_needs(consultant, wmo_client, submitted, login):
    body = login(consultant).get(_detail(submitted)).content.decode()
    assert "Sanne Visser" in body
    assert "Kerkstraat 12" in body
    assert "Ik wil mijn post zelf bijhouden." in body
    assert "Financiën" in body  # ZRM
    for secret in (
        "0612345678",
        "sanne.visser@example.invalid",
        "De Linde",
        "dr. Bakker",
        "I.ROC",
        "HoNOS",
    ):
        assert secret not in body
    assert "Besluit nemen" in body
    assert "Indienen bij de gemeente" not in body


def _client_pages(patterns, prefix=""):
    """Every (name, kwarg names) of the herstelplan app whose route takes a client_id."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _client_pages(pattern.url_patterns, route)
        elif pattern.name and "<int:client_id>" in route:
            yield pattern.name, re.findall(r"<int:(\w+)>", route)


def test_herstelplan_pages_are_not_found_for_a_consultant(
    consultant, wmo_client, submitted, login, goals
):
    from herstelplan import urls as plan_urls

    http = login(consultant)
    plan_id = goals[0].plan_id
    ids = {"client_id": wmo_client.pk, "plan_id": plan_id, "goal_id": goals[0].pk}
    pages = list(_client_pages(plan_urls.urlpatterns))
    if not pages:
        pytest.skip("the herstelplan app has no client pages yet")
    for name, kwargs in pages:
        url = reverse(f"herstelplan:{name}", kwargs={k: ids.get(k, 1) for k in kwargs})
        assert http.get(url).status_code == 404, url
    assert len(pages) >= 8


def test_consultant_decides_temporary_and_downloads_the_letter(
    member, consultant, wmo_client, submitted, login
):
    http = login(consultant)
    url = reverse("wmo:decision-create", kwargs={"client_id": wmo_client.pk, "pk": submitted.pk})
    assert http.get(url).status_code == 200
    response = http.post(url, {"kind": DecisionKind.TEMPORARY})
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.indication.is_temporary is True
    letter = http.get(
        reverse("wmo:decision-letter", kwargs={"client_id": wmo_client.pk, "pk": decision.pk})
    )
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    assert (
        AuditEvent.objects.filter(
            user=consultant, event_type="print", client_id=wmo_client.pk
        ).count()
        == 1
    )
    register = (
        login(member)
        .get(reverse("wmo:indication-list", kwargs={"client_id": wmo_client.pk}))
        .content.decode()
    )
    assert decision.indication.toewijzing_number in register
    assert "tijdelijk" in register


def test_decision_letter_text_has_the_right_to_object(member, consultant, submitted):
    from django.template.loader import render_to_string

    from wmo.pdf import decision_letter_context

    decision = services.request_decide(
        actor=consultant, request=submitted, kind=DecisionKind.GRANTED, today=dt.date(2026, 3, 3)
    )
    html = render_to_string("wmo/pdf/decision_letter.html", decision_letter_context(decision))
    assert "bezwaar maken binnen zes weken" in html
    assert "Beschikking maatwerkvoorziening Wmo 2015" in html
    assert decision.beschikking_number in html
    # The provider organisation asked, not the team; PGB and the CAK are explained.
    assert "heeft GGZ Testregio (zorgaanbieder, " in html
    assert "persoonsgebonden budget (pgb)" in html
    assert "ten hoogste € 21,00 per maand per huishouden" in html
    assert "Beschikkingsnummer" in html and "Toewijzingsnummer" in html
    assert "Beschikkingnummer" not in html and "Toewijzingnummer" not in html


def test_units_are_shown_in_the_plural(member, consultant, wmo_client, day_product, goals):
    from wmo.constants import unit_label

    assert [unit_label("16", n) for n in (1, 5)] == ["dagdeel", "dagdelen"]
    assert [unit_label("01", n) for n in (1, 30)] == ["minuut", "minuten"]
    assert unit_label("04", 3) == "uur"


def test_bad_decision_form_shows_the_reason_error(consultant, wmo_client, submitted, login):
    url = reverse("wmo:decision-create", kwargs={"client_id": wmo_client.pk, "pk": submitted.pk})
    response = login(consultant).post(url, {"kind": DecisionKind.REJECTED})
    assert response.status_code == 400
    assert "Motiveer het besluit" in response.content.decode()
    assert Decision.objects.count() == 0


@pytest.mark.parametrize(
    "who", ["anonymous", "outsider", "other_consultant", "member", "consultant"]
)
def test_decision_page_permissions(
    who, member, outsider, consultant, wmo_client, submitted, login, client, other_municipality
):
    url = reverse("wmo:decision-create", kwargs={"client_id": wmo_client.pk, "pk": submitted.pk})
    users = {
        "outsider": outsider,
        "member": member,
        "consultant": consultant,
        "other_consultant": MunicipalityRoleFactory(
            user=UserFactory(username="anderconsulent"), municipality=other_municipality
        ).user,
    }
    http = client if who == "anonymous" else login(users[who])
    response = http.post(url, {"kind": DecisionKind.GRANTED})
    expected = {
        "anonymous": 302,
        "outsider": 404,
        "other_consultant": 404,
        "member": 404,
        "consultant": 302,
    }[who]
    assert response.status_code == expected
    assert Decision.objects.count() == (1 if who == "consultant" else 0)


@pytest.mark.parametrize("who", ["outsider", "consultant"])
def test_team_pages_refuse_others(who, outsider, consultant, wmo_client, submitted, login):
    http = login({"outsider": outsider, "consultant": consultant}[who])
    create = reverse("wmo:request-create", kwargs={"client_id": wmo_client.pk})
    withdraw = reverse(
        "wmo:request-withdraw", kwargs={"client_id": wmo_client.pk, "pk": submitted.pk}
    )
    assert http.get(create).status_code == 404
    assert http.post(withdraw).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.INGEDIEND
    assert AuditEvent.objects.filter(user=users_of(http), outcome="denied").count() == 2


def users_of(http):
    from django.contrib.auth import get_user

    return get_user(http)


def test_concept_is_invisible_to_the_consultant(
    member, consultant, wmo_client, request_data, login
):
    request = services.request_create(actor=member, client=wmo_client, data=request_data)
    assert login(consultant).get(_detail(request)).status_code == 404


def test_request_list_for_the_team(member, wmo_client, submitted, login):
    response = login(member).get(reverse("wmo:request-list"))
    assert response.status_code == 200
    assert _detail(submitted) in response.content.decode()
    assert AuditEvent.objects.filter(user=member, event_type="search").count() == 1


def test_every_wmo_client_view_is_audited():
    from wmo import urls

    client_scoped = [p for p in urls.urlpatterns if "client_id" in str(p.pattern)]
    assert len(client_scoped) == 23  # 16 of the team route, 7 of the municipal route
    for p in client_scoped:
        view = getattr(p.callback, "view_class", p.callback)
        assert getattr(view, "audit_scope", None) == "client", p.name


def test_indication_register_across_clients_by_team_and_municipality(
    member, consultant, outsider, submitted, login, team
):
    import time_machine

    decision = services.request_decide(
        actor=consultant, request=submitted, kind=DecisionKind.GRANTED, today=dt.date(2026, 3, 3)
    )
    number = decision.indication.toewijzing_number
    url = reverse("wmo:indication-overview")
    with time_machine.travel(dt.datetime(2026, 8, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        for who in (member, consultant):
            page = login(who).get(url).content.decode()
            assert number in page
            assert "Loopt binnenkort af" in page  # ends 8 September: within 6 weeks
            assert "3 uur per week" in page
        assert number in login(member).get(url, {"team": team.pk}).content.decode()
        assert number not in login(member).get(url, {"team": 999999}).content.decode()
        assert number not in login(outsider).get(url).content.decode()
    with time_machine.travel(dt.datetime(2026, 9, 9, 10, 0, tzinfo=dt.UTC), tick=False):
        assert number not in login(member).get(url).content.decode()  # ended
