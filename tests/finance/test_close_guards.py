"""A month close that cannot go wrong: not before the month is over, not before the cost
rates are in, not silently with no costs (or revenue, or hours far from the formation); the
checks and the steering figures measure the open month up to today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from caseload.constants import NonClientCode
from clients.constants import Phase
from clients.models import CareEpisode, PhaseTransition
from finance.models import MonthlyAccount, SteeringFigure, SteeringMonth
from finance.pdf import render_account_pdf
from finance.selectors import mismatches
from finance.services import account_close, account_compute
from finance.services.steering import steering_month_compute
from tests.factories.clients import ClientFactory
from tests.factories.finance import (
    CostRateFactory,
    arrangement,
    episode_in_care,
    indication,
    non_client_time,
)
from tests.factories.olteams import MembershipFactory
from tests.finance.conftest import MARCH, TEST_REASON
from tests.finance.report_helpers import pdf_text

pytestmark = pytest.mark.django_db
AMS = dt.timezone(dt.timedelta(hours=1))


def _at(day: dt.date, hour: int = 12):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=AMS), tick=False)


def test_a_month_that_has_not_ended_is_refused(team_month, controller):
    with _at(dt.date(2026, 3, 31)):
        account = account_compute(team=team_month.team, month=MARCH)
        with pytest.raises(ValidationError) as exc:
            account_close(actor=controller, account=account, reason=TEST_REASON)
        assert exc.value.messages == [
            "Deze maand is nog niet voorbij: u kunt hem sluiten vanaf 1 april 2026, als alle "
            "uren van de maand geregistreerd kunnen zijn."
        ]
        account.refresh_from_db()
        assert not account.is_closed
    with _at(dt.date(2026, 4, 1), hour=8):
        closed = account_close(actor=controller, account=account, reason=TEST_REASON)
    assert closed.is_closed


def test_the_close_page_shows_why_a_running_month_cannot_close(login, team_month, controller):
    with _at(dt.date(2026, 3, 20)):
        account = account_compute(team=team_month.team, month=MARCH)
        http = login(controller)
        url = reverse("finance:account-close", kwargs={"account_id": account.pk})
        page = http.get(url).content.decode()
        assert "Deze maand kan nog niet worden gesloten." in page
        assert "Ja, maand sluiten" not in page
        response = http.post(url, {"reason": TEST_REASON}, follow=True)
        assert "Deze maand is nog niet voorbij" in response.content.decode()
    account.refresh_from_db()
    assert not account.is_closed


def test_missing_cost_rates_refuse_the_close_until_they_are_in(team_month, controller):
    MembershipFactory(
        team=team_month.team,
        organisation=team_month.organisation,
        discipline="ervaringsdeskundige",
        valid_from=dt.date(2026, 3, 1),
    )
    account = account_compute(team=team_month.team, month=MARCH)
    with pytest.raises(ValidationError) as exc:
        account_close(actor=controller, account=account, reason=TEST_REASON)
    assert exc.value.messages == [
        "De cijfers van deze maand zijn nog niet compleet: er geldt geen kostentarief voor "
        "GGZ Testregio (Ervaringsdeskundige). Vul ze in bij Financiële gegevens → "
        "Kostentarieven."
    ]
    # A rate that ended before the month does not count; one valid in the month does.
    CostRateFactory(
        organisation=team_month.organisation,
        discipline="ervaringsdeskundige",
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2026, 2, 28),
    )
    with pytest.raises(ValidationError):
        account_close(actor=controller, account=account, reason=TEST_REASON)
    CostRateFactory(
        organisation=team_month.organisation,
        discipline="ervaringsdeskundige",
        valid_from=dt.date(2026, 3, 1),
    )
    assert account_close(actor=controller, account=account, reason=TEST_REASON).is_closed


@pytest.fixture
def zero_cost_month(team, org_ggz, municipality, controller):
    """A team without members in March (no costs) whose one client holds an arrangement."""
    by = MembershipFactory(team=team, organisation=org_ggz, valid_from=dt.date(2026, 5, 1)).user
    client = ClientFactory(team=team, municipality=municipality, registering_organisation=org_ggz)
    episode_in_care(client, since=dt.date(2025, 1, 1), by=by)
    indication(
        client,
        municipality=municipality,
        start=dt.date(2026, 1, 1),
        by=by,
        arrangement=arrangement(municipality),
    )
    CostRateFactory(organisation=org_ggz)
    return account_compute(team=team, month=MARCH)


def test_a_zero_cost_close_needs_a_reason_which_is_stored_and_shown(
    login, zero_cost_month, controller
):
    account = zero_cost_month
    with pytest.raises(ValidationError) as exc:
        account_close(actor=controller, account=account, reason="  ")
    assert exc.value.message_dict == {
        "reason": ["Licht toe waarom u deze maand toch sluit: Deze maand heeft geen kosten (€ 0)."]
    }
    account.refresh_from_db()
    assert not account.is_closed
    http = login(controller)
    url = reverse("finance:account-close", kwargs={"account_id": account.pk})
    assert "Deze maand heeft geen kosten (€ 0)." in http.get(url).content.decode()
    response = http.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Licht toe waarom u deze maand toch sluit" in response.content.decode()
    reason = "Het team startte in mei; de kosten van maart liggen bij de gemeente."
    response = http.post(url, {"reason": reason}, follow=True)
    assert "De maand is gesloten." in response.content.decode()
    closed = MonthlyAccount.objects.get(pk=account.pk)
    assert closed.is_closed
    assert closed.close_reason == reason
    assert closed.close_findings == ["Deze maand heeft geen kosten (€ 0)."]
    page = http.get(reverse("finance:account-detail", args=[account.pk])).content.decode()
    assert "Toelichting bij het sluiten" in page
    assert reason in page
    text = pdf_text(render_account_pdf(closed, now=timezone.now()))
    assert "Toelichting bij het sluiten" in text
    assert "Het team startte in mei" in text


def test_a_normal_month_closes_without_a_reason(team, org_ggz, municipality, controller):
    worker = MembershipFactory(
        team=team, organisation=org_ggz, fte=Decimal("0.20"), valid_from=dt.date(2020, 1, 1)
    )
    CostRateFactory(organisation=org_ggz, discipline=worker.discipline)
    client = ClientFactory(team=team, municipality=municipality, registering_organisation=org_ggz)
    episode_in_care(client, since=dt.date(2025, 1, 1), by=worker.user)
    indication(
        client,
        municipality=municipality,
        start=dt.date(2026, 1, 1),
        by=worker.user,
        arrangement=arrangement(municipality),
    )
    # 0.2 fte x 36 h x 31/7 weeks = 31.89 expected hours; 30 registered.
    for day in range(2, 7):
        non_client_time(worker, date=dt.date(2026, 3, day), minutes=360)
    account = account_compute(team=team, month=MARCH)
    closed = account_close(actor=controller, account=account)
    assert (closed.close_reason, closed.close_findings) == ("", [])


def test_expected_hours_are_pro_rated_in_the_open_month(login, team, org_ggz, controller):
    worker = MembershipFactory(
        team=team, organisation=org_ggz, fte=Decimal("1.00"), valid_from=dt.date(2020, 1, 1)
    )
    # 40 hours registered by 10 March.
    for day in range(2, 7):
        non_client_time(
            worker, date=dt.date(2026, 3, day), minutes=480, code=NonClientCode.LEARNING
        )
    on_the_tenth = mismatches(user=controller, team=team, month=MARCH, today=dt.date(2026, 3, 10))
    # Up to 10 March: 1.0 x 36 x 10/7 = 51.43 hours expected, 40 registered (78%): in range.
    assert on_the_tenth.workers_off_fte == []
    after = mismatches(user=controller, team=team, month=MARCH, today=dt.date(2026, 4, 5))
    [row] = after.workers_off_fte
    assert (row.expected_hours, row.registered_hours, row.percentage) == (
        Decimal("159.43"),
        Decimal("40.00"),
        25,
    )
    # The page says the open month counts up to today.
    account = account_compute(team=team, month=MARCH)
    with _at(dt.date(2026, 3, 10)):
        page = login(controller).get(reverse("finance:checks", args=[account.pk])).content.decode()
    assert "Lopende maand: de verwachte uren tellen t/m 10 maart 2026." in page
    assert "159,43" not in page


def _waiting_client(team, by, since: dt.date) -> None:
    client = ClientFactory(team=team)
    episode = CareEpisode.objects.create(client=client, phase=Phase.WAITING, started_on=since)
    PhaseTransition.objects.create(episode=episode, to_phase=Phase.WAITING, on=since, by=by)


def test_the_open_month_is_marked_and_measured_up_to_today(login, team, org_ggz, admin_user):
    by = MembershipFactory(team=team, organisation=org_ggz).user
    for _ in range(5):
        _waiting_client(team, by, dt.date(2026, 3, 1))
    with _at(dt.date(2026, 3, 10)):
        state = steering_month_compute(month=MARCH)
        assert state.measured_until == dt.date(2026, 3, 10)
        assert state.is_open
        waiting = SteeringFigure.objects.get(month=state, team=None, key="waiting_days_avg")
        assert waiting.value == Decimal("9.0")  # 1 .. 10 March, not to 31 March
        html = login(admin_user).get(reverse("finance:dashboard"), {"end": "2026-03"})
        page = html.content.decode()
        assert "maart 2026 (lopende maand, t/m 10 maart 2026)" in page
        assert "Onvolledig" in page
    # The next day the running month is measured again, up to that day.
    with _at(dt.date(2026, 3, 11)):
        login(admin_user).get(reverse("finance:dashboard"), {"end": "2026-03"})
        state = SteeringMonth.objects.get(month=MARCH)
        assert state.measured_until == dt.date(2026, 3, 11)
        waiting = SteeringFigure.objects.get(month=state, team=None, key="waiting_days_avg")
        assert waiting.value == Decimal("10.0")
    # A month that is over is measured at its last day and not marked.
    with _at(dt.date(2026, 4, 2)):
        state = steering_month_compute(month=MARCH)
        assert (state.measured_until, state.is_open) == (dt.date(2026, 3, 31), False)
        waiting = SteeringFigure.objects.get(month=state, team=None, key="waiting_days_avg")
        assert waiting.value == Decimal("30.0")
        page = login(admin_user).get(reverse("finance:dashboard"), {"end": "2026-03"})
        assert "lopende maand" not in page.content.decode()
