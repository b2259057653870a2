from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from herstelplan.models import Goal
from olteams.models import Notification
from tests.factories.olteams import MunicipalityRoleFactory, UserFactory
from tests.wmo.conftest import TODAY
from wmo import services
from wmo.constants import DecisionKind, RequestStatus
from wmo.models import Decision, Indication, IndicationRequest, RequestGoal
from wmo.services.rules import add_months, temporary_end, weekly_minutes

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _errors(exc: pytest.ExceptionInfo) -> dict:
    return {k: [str(m) for m in v] for k, v in exc.value.message_dict.items()}


def _submitted(member, wmo_client, request_data):
    request = services.request_create(actor=member, client=wmo_client, data=request_data)
    return services.request_submit(actor=member, request=request, now=NOW)


# --- rules --------------------------------------------------------------------------------


def test_add_months_clips_to_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 2) == dt.date(2027, 1, 15)
    assert temporary_end(dt.date(2026, 3, 9)) == dt.date(2026, 5, 8)


def test_weekly_minutes_per_frequency():
    kw = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 1, 14)}
    assert weekly_minutes(volume=2, unit="04", frequency="2", **kw) == 120
    assert weekly_minutes(volume=20, unit="01", frequency="1", **kw) == 140
    assert weekly_minutes(volume=4, unit="04", frequency="6", **kw) == 120
    assert weekly_minutes(volume=3, unit="16", frequency="2", **kw) is None


# --- create / update ----------------------------------------------------------------------


def test_create_makes_a_concept_with_goals_and_zrm(member, wmo_client, request_data, goals):
    request = services.request_create(actor=member, client=wmo_client, data=request_data)
    assert request.status == RequestStatus.CONCEPT
    assert request.municipality_id == wmo_client.municipality_id
    assert request.team_id == wmo_client.team_id
    assert request.deadline is None
    assert [g.text for g in request.goals.all()] == [g.text for g in goals]
    assert {s.domain: s.score for s in request.zrm_scores.all()} == {
        "financien": 2,
        "huisvesting": 3,
    }
    assert len(request.reference) == 16


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"volume": 0}, "volume", "De omvang moet een geheel getal groter dan 0 zijn."),
        ({"volume": -2}, "volume", "De omvang moet een geheel getal groter dan 0 zijn."),
        ({"end": dt.date(2026, 3, 1)}, "end", "De einddatum ligt vóór de ingangsdatum."),
        (
            {"product_code": "99X99"},
            "product_code",
            "Onbekende productcode 99X99 voor gemeente Testgemeente.",
        ),
        ({"unit": "77"}, "unit", "Kies een eenheid uit de iWmo-codelijst."),
        ({"result_areas": []}, "result_areas", "Kies minstens één resultaatgebied."),
        (
            {"motivation": " "},
            "motivation",
            "Onderbouw de aanvraag: wat heeft de cliënt nodig, en waarom?",
        ),
        (
            {"zrm_scores": {"financien": 6}},
            "zrm_scores",
            "Een ZRM-score is 1 tot en met 5, per domein van de ZRM.",
        ),
        (
            {"goal_ids": [999999]},
            "goal_ids",
            "Kies doelen uit het actieve herstelplan van de cliënt.",
        ),
    ],
)
def test_create_refuses_bad_input_and_saves_nothing(
    member, wmo_client, request_data, change, field, message
):
    with pytest.raises(ValidationError) as exc:
        services.request_create(actor=member, client=wmo_client, data=request_data | change)
    assert _errors(exc)[field] == [message]
    assert IndicationRequest.objects.count() == 0
    assert RequestGoal.objects.count() == 0


def test_temporary_request_over_two_hours_a_week_is_refused(member, wmo_client, request_data):
    data = request_data | {"is_temporary": True, "volume": 3, "end": dt.date(2026, 5, 8)}
    with pytest.raises(ValidationError) as exc:
        services.request_create(actor=member, client=wmo_client, data=data)
    assert _errors(exc) == {
        "volume": [
            "Een tijdelijke indicatie is hoogstens 2 uur per week; gevraagd is 3,0 uur per week."
        ]
    }


def test_temporary_request_longer_than_two_months_is_refused(member, wmo_client, request_data):
    data = request_data | {"is_temporary": True, "volume": 2, "end": dt.date(2026, 5, 9)}
    with pytest.raises(ValidationError) as exc:
        services.request_create(actor=member, client=wmo_client, data=data)
    assert _errors(exc) == {
        "end": [
            "Een tijdelijke indicatie duurt hoogstens 2 maanden: de einddatum is uiterlijk "
            "8 mei 2026."
        ]
    }


def test_second_open_request_for_same_product_and_period_is_refused(
    member, wmo_client, request_data
):
    services.request_create(actor=member, client=wmo_client, data=request_data)
    later = request_data | {"start": dt.date(2026, 9, 1), "end": None}
    with pytest.raises(ValidationError) as exc:
        services.request_create(actor=member, client=wmo_client, data=later)
    assert _errors(exc) == {
        "start": ["Er loopt al een aanvraag voor dit product in (een deel van) deze periode."]
    }
    # A period after the first one is fine.
    after = request_data | {"start": dt.date(2026, 9, 9), "end": None}
    services.request_create(actor=member, client=wmo_client, data=after)
    assert IndicationRequest.objects.count() == 2


def test_database_refuses_overlapping_open_requests_on_its_own(member, wmo_client, request_data):
    first = services.request_create(actor=member, client=wmo_client, data=request_data)
    first.pk = None
    first.reference = "OLDUPLICATE"
    with pytest.raises(IntegrityError), transaction.atomic():
        first.save()


def test_outsider_cannot_create_for_a_client_of_another_team(outsider, wmo_client, request_data):
    with pytest.raises(Http404):
        services.request_create(actor=outsider, client=wmo_client, data=request_data)
    assert IndicationRequest.objects.count() == 0


def test_update_only_while_concept(member, wmo_client, request_data):
    request = services.request_create(actor=member, client=wmo_client, data=request_data)
    services.request_update(actor=member, request=request, data=request_data | {"volume": 4})
    request.refresh_from_db()
    assert request.volume == 4
    services.request_submit(actor=member, request=request, now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.request_update(actor=member, request=request, data=request_data)
    assert exc.value.messages == ["Alleen een concept kan nog worden gewijzigd."]


# --- submit / withdraw --------------------------------------------------------------------


def test_submit_starts_the_clock_freezes_goals_and_tells_consultants(
    member, consultant, wmo_client, request_data, goals
):
    request = services.request_create(actor=member, client=wmo_client, data=request_data)
    Goal.objects.filter(pk=goals[0].pk).update(text="Ik wil mijn eigen post openen.")
    request = services.request_submit(actor=member, request=request, now=NOW)
    assert request.status == RequestStatus.INGEDIEND
    assert request.submitted_on == dt.date(2026, 3, 2)
    assert request.deadline == dt.date(2026, 3, 16)
    assert request.goals.first().text == "Ik wil mijn eigen post openen."
    # Later plan changes do not touch the request as it was sent.
    Goal.objects.filter(pk=goals[0].pk).update(text="Iets anders")
    assert request.goals.first().text == "Ik wil mijn eigen post openen."
    notice = Notification.objects.get(recipient=consultant)
    assert notice.title == f"Nieuwe Wmo-aanvraag {request.reference}"
    assert notice.due_on == dt.date(2026, 3, 16)


def test_submit_without_goals_is_refused(member, wmo_client, request_data):
    request = services.request_create(
        actor=member, client=wmo_client, data=request_data | {"goal_ids": []}
    )
    with pytest.raises(ValidationError) as exc:
        services.request_submit(actor=member, request=request, now=NOW)
    assert _errors(exc) == {"goal_ids": ["Kies minstens één doel uit het herstelplan."]}
    request.refresh_from_db()
    assert request.status == RequestStatus.CONCEPT


def test_withdraw_a_submitted_request(member, wmo_client, request_data):
    request = _submitted(member, wmo_client, request_data)
    services.request_withdraw(actor=member, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.INGETROKKEN
    # A withdrawn request no longer blocks a new one for the same period.
    services.request_create(actor=member, client=wmo_client, data=request_data)


# --- decide -------------------------------------------------------------------------------


def test_grant_as_asked_creates_indication_and_notifies_team(
    member, lead, consultant, wmo_client, request_data
):
    request = _submitted(member, wmo_client, request_data)
    decision = services.request_decide(
        actor=consultant, request=request, kind=DecisionKind.GRANTED, today=TODAY, now=NOW
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.TOEGEKEND
    indication = decision.indication
    assert (indication.volume, indication.unit, indication.frequency) == (3, "04", "2")
    assert (indication.start, indication.end) == (dt.date(2026, 3, 9), dt.date(2026, 9, 8))
    assert indication.toewijzing_number == "26000001"
    assert decision.beschikking_number == "90012026000001"
    titles = set(
        Notification.objects.filter(dedupe_key=f"wmo-decision:{decision.pk}").values_list(
            "recipient__username", "title"
        )
    )
    expected = f"Besluit op Wmo-aanvraag {request.reference}: Toegekend zoals gevraagd"
    assert titles == {("lid", expected), ("leider", expected)}


def test_temporary_indication_defaults_to_the_covenant(
    member, consultant, wmo_client, request_data
):
    request = _submitted(member, wmo_client, request_data)
    decision = services.request_decide(
        actor=consultant, request=request, kind=DecisionKind.TEMPORARY, today=TODAY, now=NOW
    )
    i = decision.indication
    assert (i.volume, i.unit, i.frequency, i.is_temporary) == (2, "04", "2", True)
    assert (i.start, i.end) == (dt.date(2026, 3, 9), dt.date(2026, 5, 8))


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        (
            {"volume": 3},
            "volume",
            "Een tijdelijke indicatie is hoogstens 2 uur per week; gevraagd is 3,0 uur per week.",
        ),
        (
            {"end": dt.date(2026, 6, 1)},
            "end",
            "Een tijdelijke indicatie duurt hoogstens 2 maanden: de einddatum is uiterlijk 8 mei 2026.",
        ),
    ],
)
def test_temporary_decision_over_the_limits_is_refused(
    member, consultant, wmo_client, request_data, given, field, message
):
    request = _submitted(member, wmo_client, request_data)
    with pytest.raises(ValidationError) as exc:
        services.request_decide(
            actor=consultant,
            request=request,
            kind=DecisionKind.TEMPORARY,
            today=TODAY,
            now=NOW,
            **given,
        )
    assert _errors(exc) == {field: [message]}
    assert Decision.objects.count() == 0
    assert Indication.objects.count() == 0


@pytest.mark.parametrize("kind", [DecisionKind.GRANTED_CHANGED, DecisionKind.REJECTED])
def test_change_and_reject_need_a_reason(member, consultant, wmo_client, request_data, kind):
    request = _submitted(member, wmo_client, request_data)
    with pytest.raises(ValidationError) as exc:
        services.request_decide(
            actor=consultant, request=request, kind=kind, reason="  ", today=TODAY, now=NOW
        )
    assert _errors(exc) == {
        "reason": ["Motiveer het besluit: de aanvraag van het team is een zwaarwegend advies."]
    }
    assert Decision.objects.count() == 0


def test_grant_changed_uses_the_changed_values(member, consultant, wmo_client, request_data):
    request = _submitted(member, wmo_client, request_data)
    decision = services.request_decide(
        actor=consultant,
        request=request,
        kind=DecisionKind.GRANTED_CHANGED,
        volume=2,
        end=dt.date(2026, 6, 30),
        reason="Eerst twee uur; na de evaluatie opnieuw bekijken.",
        today=TODAY,
        now=NOW,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.GEWIJZIGD
    assert (decision.indication.volume, decision.indication.end) == (2, dt.date(2026, 6, 30))


def test_reject_and_in_onderzoek_create_no_indication(member, consultant, wmo_client, request_data):
    request = _submitted(member, wmo_client, request_data)
    services.request_decide(
        actor=consultant, request=request, kind=DecisionKind.IN_ONDERZOEK, today=TODAY, now=NOW
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_BEHANDELING
    services.request_decide(
        actor=consultant,
        request=request,
        kind=DecisionKind.REJECTED,
        reason="Voorliggende voorziening: de wijkteamcoach.",
        today=TODAY,
        now=NOW,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.AFGEWEZEN
    assert Indication.objects.count() == 0
    assert list(request.decisions.values_list("kind", flat=True)) == ["rejected", "in_onderzoek"]


def test_decision_before_submission_is_refused(member, consultant, wmo_client, request_data):
    request = services.request_create(actor=member, client=wmo_client, data=request_data)
    with pytest.raises(ValidationError) as exc:
        services.request_decide(
            actor=consultant, request=request, kind=DecisionKind.GRANTED, today=TODAY, now=NOW
        )
    assert _errors(exc) == {
        "request": ["Een besluit kan pas worden genomen nadat de aanvraag is ingediend."]
    }


def test_decision_twice_is_refused(member, consultant, wmo_client, request_data):
    request = _submitted(member, wmo_client, request_data)
    services.request_decide(
        actor=consultant, request=request, kind=DecisionKind.GRANTED, today=TODAY, now=NOW
    )
    with pytest.raises(ValidationError) as exc:
        services.request_decide(
            actor=consultant, request=request, kind=DecisionKind.GRANTED, today=TODAY, now=NOW
        )
    assert _errors(exc) == {
        "request": ["Over deze aanvraag is al besloten, of zij is ingetrokken."]
    }
    assert Indication.objects.count() == 1


def test_consultant_of_another_municipality_cannot_decide(
    member, wmo_client, request_data, other_municipality
):
    request = _submitted(member, wmo_client, request_data)
    stranger = MunicipalityRoleFactory(
        user=UserFactory(username="anderconsulent"), municipality=other_municipality
    ).user
    with pytest.raises(ValidationError) as exc:
        services.request_decide(
            actor=stranger, request=request, kind=DecisionKind.GRANTED, today=TODAY, now=NOW
        )
    assert _errors(exc) == {"request": ["Deze aanvraag is niet aan uw gemeente gericht."]}
    assert Decision.objects.count() == 0


def test_team_member_cannot_decide(member, wmo_client, request_data):
    request = _submitted(member, wmo_client, request_data)
    with pytest.raises(ValidationError):
        services.request_decide(
            actor=member, request=request, kind=DecisionKind.GRANTED, today=TODAY, now=NOW
        )


def test_start_review(member, consultant, wmo_client, request_data):
    request = _submitted(member, wmo_client, request_data)
    services.request_start_review(actor=consultant, request=request, today=TODAY)
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_BEHANDELING


def test_the_request_records_the_clients_authorisation(member, wmo_client, request_data):
    given = services.request_create(actor=member, client=wmo_client, data=request_data)
    assert given.client_authorised is True
    data = request_data | {"client_authorised": False, "start": dt.date(2026, 10, 1), "end": None}
    not_given = services.request_create(actor=member, client=wmo_client, data=data)
    assert not_given.client_authorised is False
