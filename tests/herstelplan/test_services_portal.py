"""The client's own writes from the portal (herstelplan.services.portal) and the selectors
the portal and the inzage export read them with."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from herstelplan import selectors, services
from herstelplan.models import IrocSelfAssessment, PlanComment
from tests.factories.clients import ClientPortalAccountFactory, NaastePortalAccountFactory
from tests.factories.herstelplan import (
    iroc_answers,
    make_iroc,
    make_plan,
    make_self_iroc,
    portal_principal_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(care_client):
    return ClientPortalAccountFactory(client=care_client)


@pytest.fixture
def draft(care_client, member):
    return make_plan(care_client, member, goals=[("Weer werken", [6])])


def test_a_naaste_never_comments_or_agrees(care_client, draft):
    naaste = portal_principal_of(NaastePortalAccountFactory(naaste__client=care_client))
    with pytest.raises(PermissionDenied):
        services.plan_comment_create(principal=naaste, plan=draft, text="Hallo")
    with pytest.raises(PermissionDenied):
        services.plan_agree_by_client(principal=naaste, plan=draft, lock_version=draft.lock_version)
    draft.refresh_from_db()
    assert draft.agreed_on is None
    assert not PlanComment.objects.exists()


def test_another_clients_principal_is_refused(account, draft):
    other = dataclasses.replace(portal_principal_of(account), client_id=draft.client_id + 1)
    with pytest.raises(PermissionDenied):
        services.plan_agree_by_client(principal=other, plan=draft, lock_version=1)
    with pytest.raises(PermissionDenied):
        services.iroc_self_assessment_create(
            principal=other, client=account.client, answers=iroc_answers(3)
        )


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (iroc_answers(3)[:11], "Beantwoord alle 12 vragen; er zijn er nu 11 ingevuld."),
        (iroc_answers([3] * 11 + [7]), "De score bij indicator 12 moet 1 tot en met 6 zijn."),
    ],
)
def test_a_self_assessment_needs_twelve_answers_from_one_to_six(account, answers, message):
    with pytest.raises(ValidationError) as exc:
        services.iroc_self_assessment_create(
            principal=portal_principal_of(account), client=account.client, answers=answers
        )
    assert message in exc.value.message_dict["answers"]
    assert not IrocSelfAssessment.objects.exists()


def test_selectors_for_the_portal_and_the_inzage_export(account, care_client, member):
    current = make_plan(care_client, member, goals=[("Sporten", [5])], activate=True)
    draft = services.plan_new_version(actor=member, plan=current)
    assert list(selectors.plan_versions(client=care_client)) == [current]
    services.plan_comment_create(
        principal=portal_principal_of(account), plan=draft, text="Een vraag"
    )
    assert [(c.plan, c.text) for c in selectors.plan_comments_of_client(client=care_client)] == [
        (draft, "Een vraag")
    ]
    make_iroc(care_client, member, date=dt.date(2025, 12, 1), scores=2)
    make_self_iroc(account, scores=5)
    assert [view.total for view in selectors.iroc_self_history(client=care_client)] == [60]
    assert [view.total for view in selectors.iroc_history(client=care_client)] == [24]
