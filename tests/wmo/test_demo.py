from __future__ import annotations

import datetime as dt
import random

import pytest

from olteams import demo as olteams_demo
from olteams.models import Notification
from wmo import demo, iwmo
from wmo.models import Indication, IndicationRequest, MunicipalProduct

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def test_demo_has_every_state_overdue_and_ending_indications_and_is_idempotent():
    olteams_demo.seed(today=TODAY, rng=random.Random(1))
    demo.seed(today=TODAY, rng=random.Random(2))
    statuses = set(IndicationRequest.objects.values_list("status", flat=True))
    assert statuses == {
        "concept",
        "ingediend",
        "in_behandeling",
        "toegekend",
        "gewijzigd",
        "afgewezen",
        "ingetrokken",
    }
    assert IndicationRequest.objects.filter(is_overdue=True).count() == 4  # one per team
    ending = Indication.objects.filter(end__gte=TODAY, end__lte=TODAY + dt.timedelta(days=42))
    assert ending.filter(is_temporary=False).count() == 4
    assert ending.filter(is_temporary=True).count() == 4
    assert MunicipalProduct.objects.count() == 5 * 4
    before = (
        IndicationRequest.objects.count(),
        Indication.objects.count(),
        Notification.objects.count(),
    )
    demo.seed(today=TODAY, rng=random.Random(2))
    assert (
        IndicationRequest.objects.count(),
        Indication.objects.count(),
        Notification.objects.count(),
    ) == before
    _messages_are_schema_valid()


def test_every_plan_the_demo_creates_opens_for_the_team(login):
    """The demo's agreed plans record who recorded the agreement, and every plan detail
    page of the seeded clients answers 200 to a member of the client's team."""
    from django.urls import reverse

    from herstelplan.models import Plan
    from olteams.constants import TeamRole
    from olteams.models import Membership

    olteams_demo.seed(today=TODAY, rng=random.Random(1))
    demo.seed(today=TODAY, rng=random.Random(2))
    plans = list(Plan.objects.select_related("client"))
    assert plans
    assert [p.pk for p in plans if p.agreed_on and p.agreed_recorded_by_id is None] == []
    browsers = {}
    for plan in plans:
        team_id = plan.client.team_id
        if team_id not in browsers:
            lead = Membership.objects.filter(team_id=team_id, role=TeamRole.LEAD).first()
            browsers[team_id] = login(lead.user)
        url = reverse("herstelplan:plan-detail", args=[plan.client_id, plan.pk])
        assert browsers[team_id].get(url).status_code == 200, url


def _messages_are_schema_valid() -> None:
    """WMO301, WMO305, WMO317 and WMO307 of one demo indication per kind (unit, frequency,
    temporary) whose client has a BSN validate against the official iWmo 3.2 schemas (the
    WMO323 is tested in finance)."""
    kinds: dict[tuple[str, str, bool], Indication] = {}
    for indication in (
        Indication.objects.exclude(client__bsn__isnull=True)
        .exclude(client__bsn="")
        .select_related("client", "product", "municipality", "decision__request")
        .order_by("pk")
    ):
        kinds.setdefault(
            (indication.unit, indication.frequency, indication.is_temporary), indication
        )
    assert len(kinds) >= 2
    for indication in kinds.values():
        assert iwmo.validate(iwmo.export_wmo301(indication.decision))[1] == []
        start = iwmo.wmo305_record(actor=None, indication=indication, start=indication.start)
        change = iwmo.wmo317_record(
            actor=None,
            indication=indication,
            start=indication.start,
            volume=indication.volume + 1,
            unit=indication.unit,
            frequency=indication.frequency,
        )
        stop = iwmo.wmo307_record(
            actor=None, indication=indication, end_date=indication.end or TODAY, reason="19"
        )
        for message in (start, change, stop):
            assert iwmo.validate(message.xml.encode()) == (message.message, [])


def test_demo_has_a_municipal_route_case_the_consultant_sees(login):
    """The demo consultant of Assen sees the stroke case: goals, arrangement, casusregisseur,
    the day-care provider in the network, a goal review; and a fresh melding in onderzoek."""
    from django.urls import reverse

    from clients.models import Assignment, ExternalParty
    from olteams.models import User
    from wmo.models import GoalReview, Melding, PlanGoalLink

    olteams_demo.seed(today=TODAY, rng=random.Random(1))
    demo.seed(today=TODAY, rng=random.Random(2))
    done = Melding.objects.get(
        status="besloten", client__last_name="Mulder", municipality__cbs_code="0106"
    )
    indication = done.request.decisions.get().indication
    assert indication.arrangement.name == "Herstel, groei en stabilisatie"
    assert done.goals.count() == 4 and done.accepted_at is not None
    assert Assignment.objects.filter(client=done.client, role="casusregisseur").exists()
    assert ExternalParty.objects.filter(client=done.client, kind="dagbesteding").exists()
    assert PlanGoalLink.objects.filter(support_goal__melding=done).count() == 4
    assert GoalReview.objects.filter(melding=done).count() == 1
    assert Melding.objects.filter(status="onderzoek", municipality__cbs_code="0106").exists()
    before = Melding.objects.count()
    demo.seed(today=TODAY, rng=random.Random(2))
    assert Melding.objects.count() == before
    http = login(User.objects.get(username="demo.consulent"))
    listing = http.get(reverse("wmo:melding-list")).content.decode()
    assert "Mulder" in listing and "Hoekstra" in listing
    page = http.get(
        reverse("wmo:melding-detail", kwargs={"client_id": done.client_id, "pk": done.pk})
    )
    body = page.content.decode()
    assert page.status_code == 200 and "Deels behaald" in body and "4 - tevreden" in body
    assert "POH-GGZ" not in body  # the plan's goals stay with the team
