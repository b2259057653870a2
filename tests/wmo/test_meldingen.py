"""The municipal route: melding → onderzoek (ZRM, goals) → beschikking with an arrangement →
the team's intake and casusregisseur → plan goals linked → goal attainment; the consultant's
view never shows clinical notes; the report suppresses small numbers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clients.constants import AssignmentRole, Phase
from clients.models import Assignment, Client, Intake, Naaste
from herstelplan.models import Evaluation
from olteams.access import ClientAction, can, clients_visible_to
from olteams.disclosure import suppressed_count, suppressed_share
from olteams.models import Notification
from tests.factories.clients import ClientFactory, make_bsn
from tests.factories.herstelplan import EvaluationFactory, active_plan
from tests.factories.olteams import MembershipFactory, MunicipalityRoleFactory, UserFactory
from tests.wmo.municipal import STROKE_GOALS, arrangement, decided, investigated, registered
from wmo import selectors, services
from wmo.constants import GoalResult, MeldingStatus, RequestStatus
from wmo.models import GoalReview, Indication, Melding, MunicipalRouteSettings, PlanGoalLink

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 16, 10, tzinfo=dt.UTC)  # a Monday, two weeks later


@pytest.fixture
def case(consultant, municipality, team):
    melding = registered(consultant=consultant, municipality=municipality, team=team, on=MONDAY)
    return investigated(melding, consultant, on=MONDAY + dt.timedelta(days=7))


@pytest.fixture
def welfare_worker(team, org_welzijn):
    return MembershipFactory(
        user=UserFactory(username="regisseur", first_name="Mila", last_name="Regisseur"),
        team=team,
        organisation=org_welzijn,
    ).user


# --- the consultant ------------------------------------------------------------------------


def test_registering_a_new_resident_makes_them_visible_to_the_consultant_only(
    consultant, municipality, team, other_municipality
):
    melding = registered(consultant=consultant, municipality=municipality, team=team, on=MONDAY)
    client = melding.client
    assert client.municipality == municipality and client.team == team
    assert not client.episodes.exists()  # care starts with the team's intake
    assert clients_visible_to(consultant, action=ClientAction.VIEW_WMO).filter(pk=client.pk)
    assert not can(consultant, client, ClientAction.VIEW)
    other = MunicipalityRoleFactory(user=UserFactory(), municipality=other_municipality).user
    assert not can(other, client, ClientAction.VIEW_WMO)
    clock = selectors.melding_clock(melding, MONDAY)
    assert clock.label == "onderzoek uiterlijk" and clock.deadline == MONDAY + dt.timedelta(42)


def test_a_known_bsn_links_the_melding_to_the_known_record(consultant, municipality, team):
    bsn = make_bsn(7)
    known = ClientFactory(team=team, bsn=bsn, last_name="Jansen")
    melding = registered(
        consultant=consultant, municipality=municipality, team=team, on=MONDAY, bsn=bsn
    )
    assert melding.client == known
    assert Client.objects.filter(bsn=bsn).count() == 1


def test_a_name_and_birth_date_match_asks_to_confirm(consultant, municipality, team):
    ClientFactory(team=team, last_name="Jansen", date_of_birth=dt.date(1958, 4, 2))
    with pytest.raises(ValidationError) as exc:
        registered(consultant=consultant, municipality=municipality, team=team, on=MONDAY)
    assert "last_name" in exc.value.message_dict
    assert not Melding.objects.exists()


def test_only_a_consultant_of_the_municipality_registers(
    member, municipality, team, other_municipality
):
    with pytest.raises(PermissionDenied):
        registered(consultant=member, municipality=municipality, team=team, on=MONDAY)
    elsewhere = MunicipalityRoleFactory(user=UserFactory(), municipality=other_municipality).user
    with pytest.raises(PermissionDenied):
        registered(consultant=elsewhere, municipality=municipality, team=team, on=MONDAY)
    assert not Client.objects.exists()


def test_the_team_must_work_in_the_municipality(consultant, municipality, other_team):
    with pytest.raises(ValidationError) as exc:
        registered(consultant=consultant, municipality=municipality, team=other_team, on=MONDAY)
    assert exc.value.message_dict["team"] == ["Dit team werkt niet in deze gemeente."]
    assert not Client.objects.exists()


def test_the_onderzoek_records_the_partner_as_naaste_and_the_zrm(case):
    naaste = Naaste.objects.get(client=case.client)
    assert (naaste.name, naaste.relation, naaste.role) == ("Ria Jansen", "partner", "mantelzorger")
    assert case.naaste == naaste
    assert case.status == MeldingStatus.ONDERZOEK
    assert {s.domain: s.score for s in case.zrm_scores.all()}["tijdsbesteding"] == 2
    assert [g.text for g in case.goals.all()] == list(STROKE_GOALS)
    assert case.decision_deadline == case.conversation_on + dt.timedelta(days=14)


def test_bad_onderzoek_input_is_refused_in_dutch_and_changes_nothing(case, consultant):
    with pytest.raises(ValidationError) as exc:
        services.melding_conversation(
            actor=consultant,
            melding=case,
            conversation_on=MONDAY - dt.timedelta(days=1),
            naaste_name="Piet",
            zrm_scores={"financien": 9},
            today=MONDAY + dt.timedelta(days=8),
        )
    errors = exc.value.message_dict
    assert "vóór de melding" in errors["conversation_on"][0]
    assert errors["zrm_financien"] == ["Een ZRM-score ligt tussen 1 en 5."]
    assert "naaste_relation" in errors
    assert Naaste.objects.filter(client=case.client).count() == 1
    with pytest.raises(ValidationError):
        services.melding_goals_set(actor=consultant, melding=case, texts=["", " "], today=MONDAY)
    assert case.goals.count() == 4


def test_the_decision_grants_the_arrangement_and_tells_the_team(case, consultant, lead, secretary):
    melding = decided(case, consultant, now=NOW)
    assert melding.status == MeldingStatus.BESLOTEN
    request = melding.request
    assert request.status == RequestStatus.TOEGEKEND
    assert request.submitted_on == melding.conversation_on  # the aanvraag
    indication = Indication.objects.get(client=melding.client)
    assert indication.arrangement.name == "Herstel, groei en stabilisatie"
    assert indication.product.code == "07D05"
    assert indication.omvang_display == "5 dagdelen per week"
    # 5 working days after Monday 16 March: Monday 23 March.
    assert melding.intake_due_on == dt.date(2026, 3, 23)
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {lead.username, secretary.username}
    assert melding.review_on == NOW.date() + dt.timedelta(days=61)


def test_the_municipality_sets_its_own_intake_term(case, consultant, municipality):
    MunicipalRouteSettings.objects.create(municipality=municipality, intake_working_days=3)
    melding = decided(case, consultant, now=NOW)
    assert melding.intake_due_on == dt.date(2026, 3, 19)


def test_a_decision_needs_the_onderzoek_the_goals_and_an_arrangement(
    consultant, municipality, team, other_municipality
):
    melding = registered(consultant=consultant, municipality=municipality, team=team, on=MONDAY)
    other = arrangement(other_municipality)
    with pytest.raises(ValidationError) as exc:
        services.melding_decide(
            actor=consultant,
            melding=melding,
            arrangement=other,
            volume=0,
            unit="16",
            frequency="2",
            start=NOW.date(),
            now=NOW,
        )
    errors = exc.value.message_dict
    assert set(errors) >= {"melding", "goals", "arrangement", "volume"}
    assert errors["arrangement"] == ["Kies een arrangement van deze gemeente."]
    melding.refresh_from_db()
    assert melding.status == MeldingStatus.GEMELD and melding.request is None


# --- the team ------------------------------------------------------------------------------


def _accept(melding, actor, worker, regisseur, org, *, day):
    return services.melding_accept(
        actor=actor,
        melding=melding,
        intake_organisation=org,
        planned_on=day + dt.timedelta(days=2),
        planned_time=dt.time(10, 0),
        location="Thuis bij dhr. Jansen",
        workers=[worker],
        casusregisseur=regisseur,
        today=day,
    )


def test_the_team_sees_the_toewijzing_and_takes_it_up(
    case, consultant, lead, member, welfare_worker, org_ggz, org_welzijn
):
    melding = decided(case, consultant, now=NOW)
    assert list(selectors.toewijzing_inbox(user=lead, today=NOW.date())) == [melding]
    _accept(melding, lead, member, welfare_worker, org_welzijn, day=NOW.date())
    melding.refresh_from_db()
    assert melding.accepted_at is not None and melding.intake_organisation == org_welzijn
    episode = melding.client.episodes.get()
    assert episode.phase == Phase.INTAKE
    assert episode.intake.naaste_invited  # the partner from the onderzoek
    regisseur = Assignment.objects.get(client=melding.client, role=AssignmentRole.CASUSREGISSEUR)
    assert regisseur.worker == welfare_worker
    assert not list(selectors.toewijzing_inbox(user=lead, today=NOW.date()))
    with pytest.raises(ValidationError):
        _accept(melding, lead, member, welfare_worker, org_ggz, day=NOW.date())


def test_one_casusregisseur_at_a_time(case, consultant, lead, member, welfare_worker, org_welzijn):
    melding = decided(case, consultant, now=NOW)
    _accept(melding, lead, member, welfare_worker, org_welzijn, day=NOW.date())
    from clients import services as client_services

    client_services.assignment_set(
        actor=lead,
        client=melding.client,
        worker=member,
        role=AssignmentRole.CASUSREGISSEUR,
        start_date=NOW.date() + dt.timedelta(days=5),
        today=NOW.date() + dt.timedelta(days=5),
    )
    open_rows = Assignment.objects.filter(
        client=melding.client, role=AssignmentRole.CASUSREGISSEUR, end_date__isnull=True
    )
    assert [a.worker for a in open_rows] == [member]


def test_a_consultant_cannot_take_up_the_toewijzing(case, consultant, member, org_ggz):
    melding = decided(case, consultant, now=NOW)
    with pytest.raises(PermissionDenied):
        _accept(melding, consultant, member, member, org_ggz, day=NOW.date())


def test_intake_needs_an_organisation_of_the_team_and_a_team_worker(
    case, consultant, lead, member, outsider
):
    from tests.factories.olteams import OrganisationFactory

    melding = decided(case, consultant, now=NOW)
    with pytest.raises(ValidationError) as exc:
        _accept(melding, lead, member, outsider, OrganisationFactory(), day=NOW.date())
    assert set(exc.value.message_dict) == {"intake_organisation", "casusregisseur"}
    assert not melding.client.episodes.exists()


# --- links and goal attainment -------------------------------------------------------------


@pytest.fixture
def in_care(case, consultant, lead, member, welfare_worker, org_welzijn):
    melding = decided(case, consultant, now=NOW)
    _accept(melding, lead, member, welfare_worker, org_welzijn, day=NOW.date())
    goals = active_plan(
        melding.client,
        member,
        goals=("Ik ga vijf ochtenden naar de dagbesteding.", "Ik praat met de POH-GGZ."),
    )
    return melding, goals


def test_plan_goals_link_to_the_municipal_goals(in_care, member, consultant):
    melding, plan_goals = in_care
    support = list(melding.goals.all())
    count = services.plan_goal_links_set(
        actor=member,
        melding=melding,
        links={plan_goals[0].pk: [support[0].pk, support[1].pk], plan_goals[1].pk: [support[3].pk]},
    )
    assert count == 3
    services.plan_goal_links_set(
        actor=member, melding=melding, links={plan_goals[0].pk: [support[0].pk]}
    )
    assert PlanGoalLink.objects.filter(support_goal__melding=melding).count() == 2
    with pytest.raises(PermissionDenied):
        services.plan_goal_links_set(
            actor=consultant, melding=melding, links={plan_goals[0].pk: [support[2].pk]}
        )
    other = Melding.objects.exclude(pk=melding.pk).first()
    assert other is None
    with pytest.raises(ValidationError):
        services.plan_goal_links_set(actor=member, melding=melding, links={plan_goals[0].pk: [0]})


def _results(melding, reason_missing: bool = False):
    goals = list(melding.goals.all())
    return {
        goals[0].pk: (GoalResult.BEHAALD, ""),
        goals[1].pk: (GoalResult.DEELS, "" if reason_missing else "Ria heeft twee vrije middagen."),
        goals[2].pk: (GoalResult.NIET, "Nog te moe na de dagbesteding."),
        goals[3].pk: (GoalResult.DEELS, "Minder somber sinds de POH-gesprekken."),
    }


def test_goal_attainment_is_recorded_per_goal_with_satisfaction(in_care, welfare_worker):
    melding, _goals = in_care
    day = NOW.date() + dt.timedelta(days=61)
    review = services.goal_review_record(
        actor=welfare_worker,
        melding=melding,
        reviewed_on=day,
        satisfaction=4,
        satisfaction_comment="Fijn dat er één aanspreekpunt is.",
        results=_results(melding),
        today=day,
    )
    assert review.attainments.count() == 4
    progress, reviews = selectors.goal_progress(melding=melding)
    assert [p.latest.result for p in progress] == ["behaald", "deels", "niet", "deels"]
    assert reviews == [review]


def test_goal_attainment_refuses_incomplete_input(in_care, welfare_worker, consultant):
    melding, _goals = in_care
    day = NOW.date() + dt.timedelta(days=61)
    results = _results(melding, reason_missing=True)
    results.pop(next(iter(results)))
    with pytest.raises(ValidationError) as exc:
        services.goal_review_record(
            actor=welfare_worker,
            melding=melding,
            reviewed_on=day + dt.timedelta(days=1),
            satisfaction=None,
            results=results,
            today=day,
        )
    errors = exc.value.message_dict
    assert errors["reviewed_on"] == ["De evaluatie ligt in de toekomst."]
    assert "satisfaction" in errors
    assert len([k for k in errors if k.startswith(("goal_", "reason_"))]) == 2
    with pytest.raises(PermissionDenied):
        services.goal_review_record(
            actor=consultant,
            melding=melding,
            reviewed_on=day,
            satisfaction=4,
            results=_results(melding),
            today=day,
        )
    assert not GoalReview.objects.exists()


# --- what the consultant sees --------------------------------------------------------------

CLINICAL = (
    "Ik ga vijf ochtenden naar de dagbesteding.",  # plan goal text
    "Somberheid besproken; PHQ-9 afgenomen",  # evaluation text
)


def test_the_consultant_sees_progress_and_satisfaction_never_clinical_notes(
    in_care, consultant, welfare_worker, member, login
):
    melding, plan_goals = in_care
    services.plan_goal_links_set(
        actor=member, melding=melding, links={plan_goals[0].pk: [melding.goals.first().pk]}
    )
    EvaluationFactory(
        plan=plan_goals[1].plan, goal=plan_goals[1], text="Somberheid besproken; PHQ-9 afgenomen"
    )
    day = NOW.date() + dt.timedelta(days=61)
    services.goal_review_record(
        actor=welfare_worker,
        melding=melding,
        reviewed_on=day,
        satisfaction=4,
        satisfaction_comment="Fijn dat er één aanspreekpunt is.",
        results=_results(melding),
        today=day,
    )
    assert Evaluation.objects.filter(text__contains="PHQ-9").exists()
    with time_machine.travel(dt.datetime(2026, 5, 20, 10, tzinfo=dt.UTC)):
        http = login(consultant)
        url = reverse(
            "wmo:melding-detail", kwargs={"client_id": melding.client_id, "pk": melding.pk}
        )
        body = http.get(url).content.decode()
        for page in (
            url,
            reverse("wmo:client-overview", kwargs={"client_id": melding.client_id}),
        ):
            text = http.get(page).content.decode()
            assert not [c for c in CLINICAL if c in text], page
        assert "Deels behaald" in body and "Niet behaald" in body
        assert "Nog te moe na de dagbesteding." in body
        assert "4 - tevreden" in body and "Fijn dat er één aanspreekpunt is." in body
        assert "Mila Regisseur" in body  # the one contact
        for name in ("herstelplan:client-overview", "caseload:client-file", "clients:network"):
            assert (
                http.get(reverse(name, kwargs={"client_id": melding.client_id})).status_code == 404
            )


# --- the report ----------------------------------------------------------------------------


def test_suppression_helpers():
    assert [suppressed_count(n) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]
    assert suppressed_share(3, 10) == "<5"
    assert suppressed_share(6, 4) == "<5"
    assert suppressed_share(5, 10) == "50%"
    assert suppressed_share(0, 0) == "—"


def _reviewed_cases(
    n, *, offset=0, consultant, municipality, team, welfare_worker, lead, member, org
):
    for i in range(n):
        melding = registered(
            consultant=consultant,
            municipality=municipality,
            team=team,
            on=MONDAY,
            last_name=f"Inwoner{offset + i}",
            bsn=make_bsn(100 + offset + i),
        )
        investigated(melding, consultant, on=MONDAY + dt.timedelta(days=7))
        decided(melding, consultant, now=NOW)
        _accept(melding, lead, member, welfare_worker, org, day=NOW.date())
        day = NOW.date() + dt.timedelta(days=61)
        services.goal_review_record(
            actor=welfare_worker,
            melding=melding,
            reviewed_on=day,
            satisfaction=4 if i % 2 == 0 else 2,
            results=_results(melding),
            today=day,
        )


def test_the_report_suppresses_small_numbers(
    consultant, municipality, team, welfare_worker, lead, member, org_welzijn, login
):
    args = {
        "consultant": consultant,
        "municipality": municipality,
        "team": team,
        "welfare_worker": welfare_worker,
        "lead": lead,
        "member": member,
        "org": org_welzijn,
    }
    _reviewed_cases(3, **args)
    period = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}
    [row] = selectors.goal_report(municipality_ids=[municipality.pk], **period)
    assert (row.clients, row.goals, row.behaald, row.deels, row.niet) == (
        "<5",
        "12",
        "<5",
        "6",
        "<5",
    )
    assert row.behaald_share == "<5" and row.satisfied_share == "<5"
    _reviewed_cases(3, offset=3, **args)
    [row] = selectors.goal_report(municipality_ids=[municipality.pk], **period)
    assert (row.clients, row.goals, row.behaald, row.deels, row.niet) == ("6", "24", "6", "12", "6")
    assert row.behaald_share == "25%" and row.satisfied_share == "<5"  # 3 of 6 satisfied
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC)):
        http = login(consultant)
        page = http.get(reverse("wmo:goal-report"), {"start": "2026-01-01", "end": "2026-12-31"})
        assert page.status_code == 200 and "Herstel, groei en stabilisatie" in page.content.decode()
        assert "Inwoner" not in page.content.decode()  # aggregated: no names
        pdf = http.get(reverse("wmo:goal-report-pdf"), {"start": "2026-01-01"})
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        xlsx = http.get(reverse("wmo:goal-report-xlsx"), {"start": "2026-01-01"})
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        bad = http.get(reverse("wmo:goal-report"), {"start": "2026-12-01", "end": "2026-01-01"})
        assert (
            bad.status_code == 400
            and "De einddatum ligt vóór de begindatum." in bad.content.decode()
        )


def test_a_client_already_in_care_gets_a_casusregisseur_without_a_new_intake(
    consultant, municipality, team, lead, member, welfare_worker, org_welzijn
):
    from tests.factories.herstelplan import put_in_care

    bsn = make_bsn(11)
    known = ClientFactory(team=team, municipality=municipality, bsn=bsn, last_name="Bos")
    put_in_care(known, member, on=dt.date(2026, 1, 5))
    melding = registered(
        consultant=consultant, municipality=municipality, team=team, on=MONDAY, bsn=bsn
    )
    assert melding.client == known
    melding = decided(investigated(melding, consultant, on=MONDAY), consultant, now=NOW)
    _accept(melding, lead, member, welfare_worker, org_welzijn, day=NOW.date())
    episode = known.episodes.get()
    assert episode.phase == Phase.IN_CARE
    assert not Intake.objects.filter(episode=episode).exists()
    assert Assignment.objects.get(client=known, role=AssignmentRole.CASUSREGISSEUR).worker == (
        welfare_worker
    )
