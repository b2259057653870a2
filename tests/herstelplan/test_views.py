from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from herstelplan import services
from herstelplan.constants import PlanStatus
from herstelplan.models import HonosAssessment, IrocAssessment, Plan, RecoveryPhase
from olteams.models import AuditEvent
from tests.factories.herstelplan import make_honos, make_iroc, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(care_client, member):
    make_iroc(care_client, member, date=dt.date(2025, 9, 1), scores=2)
    make_iroc(
        care_client, member, date=dt.date(2025, 12, 1), scores=[3, 4, 2, 5, 3, 4, 2, 3, 4, 5, 3, 4]
    )
    make_honos(care_client, member, date=dt.date(2025, 9, 1), scores=2)
    make_honos(
        care_client, member, date=dt.date(2025, 12, 1), scores=[1, 0, 9, 1, 2, 1, 2, 1, 1, 9, 0, 1]
    )
    return care_client


def page_urls(client_id: int, plan_id: int, goal_id: int) -> list[str]:
    return [
        reverse("herstelplan:client-overview", args=[client_id]),
        reverse("herstelplan:iroc-list", args=[client_id]),
        reverse("herstelplan:iroc-create", args=[client_id]),
        reverse("herstelplan:honos-list", args=[client_id]),
        reverse("herstelplan:honos-create", args=[client_id]),
        reverse("herstelplan:phase-list", args=[client_id]),
        reverse("herstelplan:plan-list", args=[client_id]),
        reverse("herstelplan:plan-detail", args=[client_id, plan_id]),
        reverse("herstelplan:plan-edit", args=[client_id, plan_id]),
        reverse("herstelplan:plan-history", args=[client_id, plan_id]),
        reverse("herstelplan:goal-create", args=[client_id, plan_id]),
        reverse("herstelplan:goal-edit", args=[client_id, plan_id, goal_id]),
        reverse("herstelplan:action-create", args=[client_id, plan_id, goal_id]),
    ]


def test_every_page_renders_for_the_casemanager(login, member, filled):
    plan = make_plan(filled, member, goals=[("Weer werken", [6]), ("Vrienden", [7, 8])])
    http = login(member)
    for url in page_urls(filled.pk, plan.pk, plan.goals.first().pk):
        response = http.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


@pytest.fixture
def plan(filled, member):
    return make_plan(filled, member, goals=[("Weer werken", [6]), ("Vrienden", [7, 8])])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("consultant", 404),
        ("secretary", 404),
        ("controller", 404),
        ("stuurgroep_user", 404),
        ("member", 200),
        ("lead", 200),
    ],
)
def test_read_permissions(request, login, client, plan, who, expected):
    http = client if who == "anonymous" else login(request.getfixturevalue(who))
    for url in [
        *page_urls(plan.client_id, plan.pk, plan.goals.first().pk),
        reverse("herstelplan:plan-pdf", args=[plan.client_id, plan.pk]),
    ]:
        response = http.get(url)
        assert response.status_code == expected, url


def test_worker_of_another_team_assigned_to_the_client_may_edit(login, plan, outsider):
    from clients.models import Assignment

    Assignment.objects.create(
        client=plan.client, worker=outsider, role="ips", start_date=dt.date(2025, 1, 1)
    )
    response = login(outsider).post(
        reverse("herstelplan:plan-edit", args=[plan.client_id, plan.pk]),
        {"lock_version": plan.lock_version, "who_i_am": "Ik werk graag buiten"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.who_i_am == "Ik werk graag buiten"


@pytest.mark.parametrize("who", ["outsider", "consultant", "secretary"])
def test_denied_writes_change_nothing(request, login, plan, who):
    http = login(request.getfixturevalue(who))
    before = (
        IrocAssessment.objects.count(),
        HonosAssessment.objects.count(),
        RecoveryPhase.objects.count(),
        plan.lock_version,
    )
    posts = [
        (reverse("herstelplan:iroc-create", args=[plan.client_id]), iroc_post()),
        (
            reverse("herstelplan:phase-list", args=[plan.client_id]),
            {"phase": 2, "date": "2026-01-01", "set_with": "X"},
        ),
        (
            reverse("herstelplan:plan-edit", args=[plan.client_id, plan.pk]),
            {"lock_version": plan.lock_version, "who_i_am": "Gehackt"},
        ),
        (
            reverse("herstelplan:plan-activate", args=[plan.client_id, plan.pk]),
            {"lock_version": plan.lock_version},
        ),
    ]
    for url, data in posts:
        assert http.post(url, data).status_code == 404, url
    plan.refresh_from_db()
    assert (
        IrocAssessment.objects.count(),
        HonosAssessment.objects.count(),
        RecoveryPhase.objects.count(),
        plan.lock_version,
    ) == before
    assert plan.who_i_am == ""


def iroc_post(scores=None, **extra) -> dict:
    scores = scores or [4] * 12
    data = {"date": "2026-01-10", "filled_in_with": "Cliënt en casemanager"}
    for n, s in enumerate(scores, start=1):
        if s is not None:
            data[f"score_{n}"] = s
        data[f"note_{n}"] = ""
    return {**data, **extra}


def test_iroc_create_through_the_form_and_audit(login, member, care_client):
    http = login(member)
    response = http.post(
        reverse("herstelplan:iroc-create", args=[care_client.pk]), iroc_post(note_3="Fijn huis")
    )
    assert response.status_code == 302
    assessment = IrocAssessment.objects.get()
    assert assessment.total == 48
    assert assessment.answers.get(indicator_id=3).note == "Fijn huis"
    event = AuditEvent.objects.filter(client_id=care_client.pk).latest("pk")
    assert (event.event_type, event.user_id) == ("create", member.pk)
    page = http.get(reverse("herstelplan:iroc-list", args=[care_client.pk])).content.decode()
    assert "<svg" in page and "I.ROC: scores per indicator" in page
    assert AuditEvent.objects.filter(client_id=care_client.pk, event_type="read").count() == 1


def test_iroc_with_a_missing_answer_keeps_typed_values(login, member, care_client):
    scores = [4] * 12
    scores[10] = None
    response = login(member).post(
        reverse("herstelplan:iroc-create", args=[care_client.pk]),
        iroc_post(scores, note_2="Mijn toelichting"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies een antwoord van 1 tot en met 6." in html
    assert "Mijn toelichting" in html
    assert IrocAssessment.objects.count() == 0


def test_honos_form_and_threshold_badges(login, member, care_client):
    data = {"date": "2026-01-10", "item_8_problem_type": "B", "notes": ""}
    data.update({f"item_{n}": 2 for n in range(1, 13)})
    http = login(member)
    response = http.post(reverse("herstelplan:honos-create", args=[care_client.pk]), data)
    assert response.status_code == 302
    html = http.get(reverse("herstelplan:honos-list", args=[care_client.pk])).content.decode()
    assert html.count("boven drempel") == 4  # total 24 is above 10, 11, 12 and 13
    assert "geen diagnose" in html


def test_honos_problem_type_error_is_shown_beside_the_field(login, member, care_client):
    data = {"date": "2026-01-10", "item_8_problem_type": "", "notes": ""}
    data.update({f"item_{n}": 0 for n in range(1, 13)})
    data["item_8"] = 3
    response = login(member).post(reverse("herstelplan:honos-create", args=[care_client.pk]), data)
    assert response.status_code == 400
    assert "Geef bij item 8 aan om welk soort probleem het gaat." in response.content.decode()


def test_phase_timeline_post(login, member, care_client):
    http = login(member)
    response = http.post(
        reverse("herstelplan:phase-list", args=[care_client.pk]),
        {"phase": 3, "date": "2026-01-10", "set_with": "Cliënt", "note": ""},
    )
    assert response.status_code == 302
    html = http.get(reverse("herstelplan:phase-list", args=[care_client.pk])).content.decode()
    assert "Leven met de aandoening" in html


def test_stale_plan_save_shows_conflict_and_keeps_the_users_text(
    login, member, plan, assigned_colleague
):
    url = reverse("herstelplan:plan-edit", args=[plan.client_id, plan.pk])
    stale = plan.lock_version
    assert (
        login(assigned_colleague)
        .post(url, {"lock_version": stale, "dreams": "Naar zee"})
        .status_code
        == 302
    )
    response = login(member).post(url, {"lock_version": stale, "dreams": "Een moestuin"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Iemand anders heeft dit plan intussen gewijzigd" in html
    assert 'Karin Mulder wijzigde "mijn dromen"' in html.replace("&quot;", '"')
    assert "Een moestuin" in html  # the user's text is kept in the form
    assert "Naar zee" in html  # and the other's saved text is shown
    plan.refresh_from_db()
    assert plan.dreams == "Naar zee"
    assert f'name="lock_version" value="{plan.lock_version}"' in html


def test_agree_activate_and_pdf_with_print_audit(login, member, plan):
    http = login(member)
    base = [plan.client_id, plan.pk]
    response = http.post(
        reverse("herstelplan:plan-activate", args=base), {"lock_version": plan.lock_version}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT  # not agreed yet: refused
    http.post(
        reverse("herstelplan:plan-agree", args=base),
        {"lock_version": plan.lock_version, "agreed_on": "2026-01-05", "agreed_how": "paper"},
    )
    plan.refresh_from_db()
    http.post(reverse("herstelplan:plan-activate", args=base), {"lock_version": plan.lock_version})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    response = http.get(reverse("herstelplan:plan-pdf", args=base))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.filter(client_id=plan.client_id).latest("pk")
    assert (event.event_type, event.action) == ("print", "E")


def test_evaluation_before_start_shows_dutch_error(login, member, filled):
    plan = make_plan(filled, member, activate=True)
    response = login(member).post(
        reverse("herstelplan:evaluation-create", args=[filled.pk, plan.pk]),
        {
            "date": (plan.valid_from - dt.timedelta(days=1)).isoformat(),
            "text": "Te vroeg",
            "outcome": "continue",
        },
    )
    assert response.status_code == 400
    assert "De evaluatie ligt vóór de start van het plan" in response.content.decode()


def test_plan_page_query_count_does_not_grow_with_goals(login, member, filled):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from herstelplan import services

    plan = make_plan(filled, member, goals=[("Een", [1]), ("Twee", [2, 3])])
    http = login(member)
    url = reverse("herstelplan:plan-detail", args=[filled.pk, plan.pk])
    http.get(url)
    with CaptureQueriesContext(connection) as few:
        assert http.get(url).status_code == 200
    plan.refresh_from_db()
    for i in range(5):
        goal = services.goal_create(
            actor=member,
            plan=plan,
            lock_version=plan.lock_version,
            text=f"Doel {i}",
            indicators=[4, 5],
        )
        services.goal_action_create(
            actor=member,
            goal=goal,
            lock_version=plan.lock_version + 1,
            description="Samen",
            performer="worker",
            worker=member,
        )
        plan.refresh_from_db()
    http.get(url)
    with CaptureQueriesContext(connection) as many:
        assert http.get(url).status_code == 200
    first = [q["sql"] for q in few.captured_queries]
    second = [q["sql"] for q in many.captured_queries]
    assert len(second) == len(first), "\n".join(sorted(set(second) ^ set(first)))
    assert len(first) <= 40  # the page (30) and the client frame's header and tabs (10)


def test_new_version_from_active_plan(login, member, filled):
    plan = make_plan(filled, member, activate=True)
    response = login(member).post(
        reverse("herstelplan:plan-new-version", args=[filled.pk, plan.pk])
    )
    draft = Plan.objects.get(client=filled, status=PlanStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == reverse("herstelplan:plan-edit", args=[filled.pk, draft.pk])


def test_editing_an_archived_version_redirects_with_message(login, member, filled):
    plan = make_plan(filled, member, activate=True)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ARCHIVED)
    http = login(member)
    response = http.post(
        reverse("herstelplan:plan-edit", args=[filled.pk, plan.pk]),
        {"lock_version": plan.lock_version, "who_i_am": "Nieuw"},
        follow=True,
    )
    assert "geen concept meer" in response.content.decode()
    plan.refresh_from_db()
    assert plan.who_i_am == ""


def test_team_settings_only_for_the_lead(login, lead, member, team):
    url = reverse("herstelplan:team-settings", args=[team.pk])
    assert login(member).get(url).status_code == 404
    http = login(lead)
    assert http.get(url).status_code == 200
    response = http.post(
        url,
        {
            "iroc_interval_months": 4,
            "honos_threshold_outpatient": 10,
            "honos_threshold_residential": 11,
            "honos_threshold_admission": 12,
            "honos_threshold_act": 14,
        },
    )
    assert response.status_code == 302
    team.instrument_settings.refresh_from_db()
    assert team.instrument_settings.iroc_interval_months == 4


def test_plan_detail_without_recorder_or_editor_answers_200(login, member, plan):
    """Plans imported or seeded without ``agreed_recorded_by`` still open."""
    Plan.objects.filter(pk=plan.pk).update(
        agreed_on=dt.date(2026, 1, 5), agreed_how="paper", agreed_recorded_by=None
    )
    response = login(member).get(reverse("herstelplan:plan-detail", args=[plan.client_id, plan.pk]))
    assert response.status_code == 200
    agreement = response.content.decode().split('id="agreement">')[1].split("</dd>")[0]
    assert "vastgelegd door" not in agreement
    assert agreement.startswith("Op papier")


def test_activation_mentions_an_archived_plan_only_when_there_was_one(login, member, filled):
    http = login(member)
    first = make_plan(filled, member, agreed_on=dt.date(2026, 1, 5))
    response = http.post(
        reverse("herstelplan:plan-activate", args=[filled.pk, first.pk]),
        {"lock_version": first.lock_version},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert texts == ["Het herstelplan is nu actief."]
    second = services.plan_new_version(actor=member, plan=Plan.objects.get(pk=first.pk))
    second = services.plan_agreement_record(
        actor=member,
        plan=second,
        lock_version=second.lock_version,
        agreed_on=dt.date(2026, 2, 1),
        agreed_how="paper",
    )
    response = http.post(
        reverse("herstelplan:plan-activate", args=[filled.pk, second.pk]),
        {"lock_version": second.lock_version},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert texts == ["Het herstelplan is nu actief. Een eerder plan is gearchiveerd."]
    assert Plan.objects.get(pk=first.pk).status == PlanStatus.ARCHIVED


def test_plan_archive_takes_the_plan_out_of_force_with_history(member, filled):
    from django.core.exceptions import ValidationError

    plan = make_plan(filled, member, activate=True)
    archived = services.plan_archive(
        actor=member, plan=plan, on=dt.date(2026, 3, 1), note="Overleden"
    )
    assert (archived.status, archived.archived_on) == (PlanStatus.ARCHIVED, dt.date(2026, 3, 1))
    fields = list(archived.changes.order_by("id").values_list("field", "new_value"))[-3:]
    assert [f for f, _v in fields] == ["status", "archived_on", "archive_note"]
    with pytest.raises(ValidationError) as exc:
        services.plan_archive(actor=member, plan=plan, on=dt.date(2026, 3, 1))
    assert exc.value.message_dict == {
        "plan": ["Alleen het plan dat in werking is, wordt gearchiveerd."]
    }
