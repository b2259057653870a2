"""Mijn plan and Mijn I.ROC: the client reads the plan in force and earlier versions,
comments on a draft and gives their agreement themselves (with exactly the lifecycle effect
of a worker's recorded agreement), and fills in the I.ROC at home beside the team's."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats

from herstelplan import services
from herstelplan.constants import AgreementMethod, PlanStatus
from herstelplan.models import (
    IrocAnswer,
    IrocAssessment,
    IrocSelfAssessment,
    Plan,
    PlanChange,
    PlanComment,
)
from olteams.constants import AuditEventType
from olteams.models import AuditEvent
from tests.conftest import verified_client
from tests.factories.clients import ClientFactory, ClientPortalAccountFactory, make_bsn
from tests.factories.herstelplan import (
    make_iroc,
    make_plan,
    make_self_iroc,
    put_in_care,
)
from tests.portal.browser import portal_browser

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)  # 10:30 in Amsterdam


@pytest.fixture(autouse=True)
def _iroc_items(db):
    """The I.ROC wording comes from a data migration; a transactional test elsewhere may
    have flushed it."""
    services.iroc_items_ensure()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client(team, member):
    client = ClientFactory(team=team, bsn=make_bsn(7), first_name="Sanne")
    put_in_care(client, member, on=dt.date(2025, 1, 1))
    return client


@pytest.fixture
def account(client):
    return ClientPortalAccountFactory(client=client)


@pytest.fixture
def draft(client, member):
    return make_plan(client, member, goals=[("Ik wil weer werken", [6])])


@pytest.fixture
def current(client, member):
    return make_plan(
        client,
        member,
        goals=[("Ik wil elke week sporten", [5])],
        activate=True,
        now=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC),
    )


def _short(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _agree_url(plan: Plan) -> str:
    return reverse("portal:plan-agree", kwargs={"plan_id": plan.pk})


def _comment_url(plan: Plan) -> str:
    return reverse("portal:plan-comment", kwargs={"plan_id": plan.pk})


def _fields(plan: Plan) -> tuple:
    plan.refresh_from_db()
    return (
        plan.status,
        plan.agreed_on,
        plan.agreed_how,
        plan.agreed_recorded_by_id,
        plan.agreed_in_portal_at,
        plan.lock_version,
    )


# --- agreement --------------------------------------------------------------------------


def test_the_client_agrees_in_the_portal_and_it_is_recorded_as_given_by_the_client(account, draft):
    http = portal_browser(account)
    page = http.get(_agree_url(draft)).content.decode()
    assert "Ik wil weer werken" in page
    response = http.post(_agree_url(draft), {"lock_version": draft.lock_version})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:plan-version", kwargs={"plan_id": draft.pk})
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT  # the team puts it in force, as before
    assert draft.agreed_on == dt.date(2026, 3, 2)
    assert draft.agreed_how == AgreementMethod.DIGITAL
    assert draft.agreed_recorded_by is None
    assert draft.agreed_in_portal_at == NOW
    assert draft.agreed_portal_account == account
    assert draft.agreed_sign_in == "digid"
    assert draft.agreed_in_portal_label == "cliënt, via portaal (DigiD)"
    changes = PlanChange.objects.filter(plan=draft, field__startswith="agreed")
    assert {c.field for c in changes} == {"agreed_on", "agreed_how", "agreed_in_portal_at"}
    assert {(c.changed_by_id, c.changed_by_name) for c in changes} == {
        (None, "cliënt, via portaal (DigiD)")
    }
    event = AuditEvent.objects.get(event_type=AuditEventType.UPDATE, object_id=str(draft.pk))
    assert (event.username, event.object_type, event.client_id) == (
        f"portaal:client:{account.pk}",
        "herstelplan.plan",
        account.client_id,
    )


def test_the_portal_agreement_lets_the_team_put_the_plan_in_force(account, draft, member):
    portal_browser(account).post(_agree_url(draft), {"lock_version": draft.lock_version})
    draft.refresh_from_db()
    services.plan_activate(actor=member, plan=draft, lock_version=draft.lock_version)
    draft.refresh_from_db()
    assert (draft.status, draft.valid_from, draft.agreed_in_portal_at) == (
        PlanStatus.ACTIVE,
        dt.date(2026, 3, 2),
        NOW,
    )


def test_a_change_after_the_portal_agreement_lapses_it_like_a_recorded_one(account, draft, member):
    portal_browser(account).post(_agree_url(draft), {"lock_version": draft.lock_version})
    draft.refresh_from_db()
    services.goal_create(
        actor=member, plan=draft, lock_version=draft.lock_version, text="Nog een doel"
    )
    draft.refresh_from_db()
    assert (
        draft.agreed_on,
        draft.agreed_how,
        draft.agreed_in_portal_at,
        draft.agreed_portal_account,
        draft.agreed_sign_in,
    ) == (None, "", None, None, "")
    with pytest.raises(Exception, match="akkoord"):
        services.plan_activate(actor=member, plan=draft, lock_version=draft.lock_version)


def test_the_staff_plan_page_shows_the_portal_agreement_instead_of_the_form(account, draft, member):
    staff = verified_client(member)
    staff_url = reverse("herstelplan:plan-detail", args=[draft.client_id, draft.pk])
    staff_agree = reverse("herstelplan:plan-agree", args=[draft.client_id, draft.pk])
    before = staff.get(staff_url).content.decode()
    assert staff_agree in before
    assert "kan ook zelf akkoord geven in Mijn Optimaal Leven" in before
    portal_browser(account).post(_agree_url(draft), {"lock_version": draft.lock_version})
    page = staff.get(staff_url).content.decode()
    assert staff_agree not in page
    assert "De cliënt heeft zelf akkoord gegeven (cliënt, via portaal (DigiD))" in page
    assert "Zelf akkoord gegeven door de cliënt, via portaal (DigiD)" in page
    assert reverse("herstelplan:plan-activate", args=[draft.client_id, draft.pk]) in page


def test_staff_cannot_overwrite_the_clients_own_agreement(account, draft, member):
    portal_browser(account).post(_agree_url(draft), {"lock_version": draft.lock_version})
    before = _fields(draft)
    response = verified_client(member).post(
        reverse("herstelplan:plan-agree", args=[draft.client_id, draft.pk]),
        {"lock_version": draft.lock_version, "agreed_on": "2026-03-01", "agreed_how": "paper"},
        follow=True,
    )
    assert "De cliënt heeft zelf al akkoord gegeven in Mijn Optimaal Leven." in (
        response.content.decode()
    )
    assert _fields(draft) == before


def test_agreeing_twice_records_it_once(account, draft):
    http = portal_browser(account)
    http.post(_agree_url(draft), {"lock_version": draft.lock_version})
    after_first = _fields(draft)
    response = http.post(_agree_url(draft), {"lock_version": draft.lock_version})
    assert response.status_code == 400
    assert (
        f"Uw akkoord op dit plan staat al vast ({_short(dt.date(2026, 3, 2))})."
        in response.content.decode()
    )
    assert _fields(draft) == after_first


def test_agreeing_to_a_plan_that_is_no_longer_a_draft_changes_nothing(account, current):
    before = _fields(current)
    response = portal_browser(account).post(
        _agree_url(current), {"lock_version": current.lock_version}
    )
    assert response.status_code == 400
    assert "Dit plan is geen concept meer." in response.content.decode()
    assert _fields(current) == before


def test_agreeing_to_a_draft_the_team_changed_meanwhile_changes_nothing(account, draft, member):
    read = draft.lock_version
    services.plan_update(actor=member, plan=draft, lock_version=read, wishes="Een hond")
    before = _fields(draft)
    response = portal_browser(account).post(_agree_url(draft), {"lock_version": read})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Uw team heeft het plan veranderd nadat u het opende." in page
    assert f'name="lock_version" value="{before[-1]}"' in page  # the next try reads anew
    assert _fields(draft) == before


def test_agreeing_to_a_draft_without_goals_or_with_a_broken_form_changes_nothing(
    account, client, member
):
    empty = services.plan_create(actor=member, client=client)
    before = _fields(empty)
    http = portal_browser(account)
    response = http.post(_agree_url(empty), {"lock_version": empty.lock_version})
    assert response.status_code == 400
    assert "Dit plan heeft nog geen doelen." in response.content.decode()
    response = http.post(_agree_url(empty), {"lock_version": "abc"})
    assert response.status_code == 400
    assert "Er ging iets mis." in response.content.decode()
    assert _fields(empty) == before


# --- comments ---------------------------------------------------------------------------


def test_the_client_comments_on_a_draft_and_the_team_sees_it_marked(account, draft, member):
    http = portal_browser(account)
    response = http.post(_comment_url(draft), {"text": "  Liever op dinsdag.  "})
    assert response.status_code == 302
    comment = PlanComment.objects.get(plan=draft)
    assert (comment.text, comment.written_at, comment.portal_account, comment.sign_in) == (
        "Liever op dinsdag.",
        NOW,
        account,
        "digid",
    )
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.CREATE,
        object_type="herstelplan.plancomment",
        object_id=str(comment.pk),
        username=f"portaal:client:{account.pk}",
    ).exists()
    own = http.get(reverse("portal:plan-version", kwargs={"plan_id": draft.pk})).content.decode()
    assert "Liever op dinsdag." in own
    staff = verified_client(member).get(
        reverse("herstelplan:plan-detail", args=[draft.client_id, draft.pk])
    )
    page = staff.content.decode()
    assert "Liever op dinsdag." in page
    assert "van de cliënt via Mijn Optimaal Leven" in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Schrijf eerst uw opmerking."),
        ("x" * 2001, "Uw opmerking is te lang. Gebruik minder dan 2000 tekens."),
    ],
)
def test_a_bad_comment_is_refused_with_a_dutch_message(account, draft, text, message):
    response = portal_browser(account).post(_comment_url(draft), {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PlanComment.objects.exists()


def test_the_same_comment_sent_twice_is_saved_once(account, draft):
    http = portal_browser(account)
    assert http.post(_comment_url(draft), {"text": "Graag vaker bellen"}).status_code == 302
    response = http.post(_comment_url(draft), {"text": "Graag vaker bellen"})
    assert response.status_code == 400
    assert "Deze opmerking heeft u al gestuurd." in response.content.decode()
    assert "Graag vaker bellen" in response.content.decode()  # the typed text stays
    assert PlanComment.objects.count() == 1


def test_no_comment_on_a_plan_in_force(account, current):
    response = portal_browser(account).post(_comment_url(current), {"text": "Een vraag"})
    assert response.status_code == 400
    assert "U kunt alleen reageren op een plan dat nog niet klaar is" in (response.content.decode())
    assert not PlanComment.objects.exists()


# --- reading the plan -------------------------------------------------------------------


def test_the_plan_page_shows_the_plan_in_force_with_who_does_what(account, current, member):
    goal = current.goals.get()
    # the plan in force is not edited through the services; add the row directly
    goal.actions.create(
        description="Samen naar de sportschool",
        performer="worker",
        worker=member,
        frequency="elke dinsdag",
    )
    http = portal_browser(account)
    page = http.get(reverse("portal:plan")).content.decode()
    assert "Ik wil elke week sporten" in page
    assert "Samen naar de sportschool" in page
    assert member.get_full_name() in page
    assert "elke dinsdag" in page
    assert reverse("portal:plan-pdf", kwargs={"plan_id": current.pk}) in page
    assert "<table" not in page  # stacked for a phone


def test_the_plan_page_query_count_does_not_grow_with_the_goals(account, client, member):
    def plan_with(goals: int) -> None:
        Plan.objects.filter(client=client).delete()
        make_plan(
            client,
            member,
            goals=[(f"Doel {n}", [n]) for n in range(1, goals + 1)],
            activate=True,
        )

    http = portal_browser(account)
    url = reverse("portal:plan")
    counts = []
    for goals in (1, 6):
        plan_with(goals)
        with CaptureQueriesContext(connection) as captured:
            assert http.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_plan_page_needs_few_queries(account, current, draft, django_assert_max_num_queries):
    http = portal_browser(account)
    with django_assert_max_num_queries(15):
        response = http.get(reverse("portal:plan"))
    assert response.status_code == 200
    assert reverse("portal:plan-version", kwargs={"plan_id": draft.pk}) in (
        response.content.decode()
    )


def test_earlier_versions_and_their_pdf(account, current, member):
    draft = services.plan_new_version(actor=member, plan=current)
    services.plan_agreement_record(
        actor=member,
        plan=draft,
        lock_version=draft.lock_version,
        agreed_on=dt.date(2026, 3, 1),
        agreed_how=AgreementMethod.VERBAL,
    )
    draft.refresh_from_db()
    services.plan_activate(actor=member, plan=draft, lock_version=draft.lock_version)
    http = portal_browser(account)
    versions = http.get(reverse("portal:plan-versions")).content.decode()
    old_url = reverse("portal:plan-version", kwargs={"plan_id": current.pk})
    assert old_url in versions
    assert "oude versie" in versions
    old = http.get(old_url).content.decode()
    assert "Dit plan gold van 5 januari 2026 tot 2 maart 2026." in old
    pdf = http.get(reverse("portal:plan-pdf", kwargs={"plan_id": current.pk}))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.PRINT, object_type="herstelplan.plan", object_id=str(current.pk)
    ).exists()


# --- Mijn I.ROC -------------------------------------------------------------------------


def _iroc_form(scores: list[int]) -> dict[str, object]:
    return {f"score_{n}": s for n, s in enumerate(scores, start=1)}


def test_the_self_assessment_never_changes_the_workers_iroc(account, client, member):
    team_iroc = make_iroc(client, member, date=dt.date(2026, 2, 1), scores=3)
    before = list(IrocAnswer.objects.order_by("pk").values_list("pk", "indicator", "score"))
    response = portal_browser(account).post(reverse("portal:iroc-new"), _iroc_form([6] * 12))
    assert response.status_code == 302
    own = IrocSelfAssessment.objects.get()
    assert (own.client, own.date, own.created_at, own.portal_account) == (
        client,
        dt.date(2026, 3, 2),
        NOW,
        account,
    )
    assert sorted(own.answers.values_list("indicator", "score")) == [(n, 6) for n in range(1, 13)]
    assert list(IrocAssessment.objects.all()) == [team_iroc]
    assert list(IrocAnswer.objects.order_by("pk").values_list("pk", "indicator", "score")) == before


def test_a_self_assessment_with_a_question_left_open_is_refused(account):
    scores = _iroc_form([4] * 12)
    del scores["score_7"]
    response = portal_browser(account).post(reverse("portal:iroc-new"), scores)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Kies bij deze vraag een antwoord." in page
    assert re.search(r'<input[^>]*name="score_1"[^>]*value="4"[^>]*checked', page)
    assert not IrocSelfAssessment.objects.exists()


def test_the_same_answers_sent_twice_are_saved_once(account):
    http = portal_browser(account)
    assert http.post(reverse("portal:iroc-new"), _iroc_form([2] * 12)).status_code == 302
    response = http.post(reverse("portal:iroc-new"), _iroc_form([2] * 12))
    assert response.status_code == 400
    assert "U heeft deze antwoorden vandaag al opgeslagen." in response.content.decode()
    assert IrocSelfAssessment.objects.count() == 1


def test_the_radar_of_both_on_the_portal_and_the_staff_page(account, client, member):
    make_iroc(client, member, date=dt.date(2026, 2, 1), scores=3)
    make_self_iroc(account, scores=[5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 5, 4])
    portal = portal_browser(account).get(reverse("portal:iroc")).content.decode()
    staff = (
        verified_client(member)
        .get(reverse("herstelplan:iroc-list", args=[client.pk]))
        .content.decode()
    )
    for page in (portal, staff):
        assert "<svg" in page
        assert f"Zelf ingevuld ({_short(dt.date(2026, 3, 2))})" in page
        assert f"Met het team ({_short(dt.date(2026, 2, 1))})" in page
    assert "totaal 54 van de 72 punten" in portal
    assert "van de cliënt via Mijn Optimaal Leven" in staff


def test_the_self_assessment_history_lists_every_one(account):
    with time_machine.travel(dt.datetime(2026, 1, 2, 9, tzinfo=dt.UTC), tick=False):
        make_self_iroc(account, scores=2)
    make_self_iroc(account, scores=3)
    page = portal_browser(account).get(reverse("portal:iroc")).content.decode()
    assert page.index("2 maart 2026") < page.index("2 januari 2026")
    assert "totaal 36 van de 72 punten" in page
    assert "totaal 24 van de 72 punten" in page
