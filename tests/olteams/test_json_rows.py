"""Rows read along with the client as JSON (olteams.json_rows) are the ORM's own rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import models
from django.utils import timezone

from clients.constants import AssignmentRole, Phase
from clients.models import Client
from clients.selectors.facts import (
    ASSIGNMENTS_ANNOTATION,
    EPISODES_ANNOTATION,
    _care_team,
    _episodes,
    client_care_team,
    client_episodes,
    episodes_and_care_team_annotations,
)
from olteams import request_cache
from olteams.json_rows import JsonRows
from tests.factories.clients import AssignmentFactory, CareEpisodeFactory, ClientFactory
from tests.factories.olteams import UserFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def _fields(obj: models.Model) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _annotated(client: Client) -> Client:
    return Client.objects.annotate(**episodes_and_care_team_annotations()).get(pk=client.pk)


@pytest.fixture
def client_with_history(team):
    client = ClientFactory(team=team)
    first = CareEpisodeFactory(
        client=client,
        phase=Phase.OUTFLOW,
        started_on=dt.date(2024, 1, 5),
        ended_on=dt.date(2025, 2, 1),
        outflow_reason="doelen bereikt",
    )
    CareEpisodeFactory(
        client=client,
        phase=Phase.IN_CARE,
        started_on=dt.date(2025, 9, 1),
        reopened_from=first,
        plan_review_required=True,
    )
    CareEpisodeFactory(  # the same start as the open one: the id orders them
        client=client,
        phase=Phase.OUTFLOW,
        started_on=dt.date(2025, 9, 1),
        ended_on=dt.date(2025, 9, 1),
        outflow_reason="verhuisd",
    )
    seen = UserFactory(first_name="Ilse", last_name="de Wit")
    seen.last_login = timezone.now().replace(microsecond=123456)
    seen.save()
    AssignmentFactory(client=client, worker=seen, role=AssignmentRole.CASEMANAGER)
    AssignmentFactory(client=client, role=AssignmentRole.BEGELEIDER, start_date=DAY)
    AssignmentFactory(client=client, role=AssignmentRole.BEGELEIDER, end_date=DAY)
    AssignmentFactory(client=client, role=AssignmentRole.PSYCHIATER, end_date=DAY.replace(day=1))
    AssignmentFactory(client=client, role=AssignmentRole.PSYCHIATER, start_date=DAY.replace(day=3))
    ClientFactory(team=team)  # another client's rows stay out
    return client


def test_episodes_from_the_client_row_are_the_orms_rows_in_its_order(client_with_history):
    annotated = _annotated(client_with_history)
    with request_cache.request_cache():
        from_json = client_episodes(client=annotated)
    from_orm = _episodes(client_with_history.pk)
    assert len(from_orm) == 3
    assert [_fields(e) for e in from_json] == [_fields(e) for e in from_orm]
    assert all(e._state.db == "default" and not e._state.adding for e in from_json)
    assert from_json[0].created_at.tzinfo is dt.UTC


def test_the_care_team_from_the_client_row_is_the_orms_on_each_day(client_with_history):
    annotated = _annotated(client_with_history)
    for day in (DAY.replace(day=1), DAY, DAY.replace(day=3), dt.date(2019, 1, 1)):
        with request_cache.request_cache():
            from_json = client_care_team(client=annotated, day=day)
        from_orm = _care_team(client_with_history.pk, day)
        assert [_fields(a) for a in from_json] == [_fields(a) for a in from_orm], day
        assert [_fields(a.worker) for a in from_json] == [_fields(a.worker) for a in from_orm]
    with request_cache.request_cache():
        on_day = client_care_team(client=annotated, day=DAY)
    assert [(a.role, a.start_date) for a in on_day] == [
        (AssignmentRole.BEGELEIDER, dt.date(2020, 1, 1)),
        (AssignmentRole.BEGELEIDER, DAY),
        (AssignmentRole.CASEMANAGER, dt.date(2020, 1, 1)),
    ]


def test_the_rows_cost_no_statement_of_their_own(client_with_history, django_assert_num_queries):
    annotated = _annotated(client_with_history)
    with django_assert_num_queries(0), request_cache.request_cache():
        episodes = client_episodes(client=annotated)
        team = client_care_team(client=annotated, day=DAY)
        names = [a.worker.get_full_name() for a in team]
    assert len(episodes) == 3 and "Ilse de Wit" in names


def test_a_client_without_rows_has_empty_lists(team):
    bare = _annotated(ClientFactory(team=team))
    assert getattr(bare, EPISODES_ANNOTATION) is None
    assert getattr(bare, ASSIGNMENTS_ANNOTATION) is None
    with request_cache.request_cache():
        assert client_episodes(client=bare) == []
        assert client_care_team(client=bare, day=DAY) == []


def test_a_field_without_an_exact_json_form_is_refused_when_the_reader_is_made():
    from olteams.models import Membership  # fte: a DecimalField

    assert any(f.get_internal_type() == "DecimalField" for f in Membership._meta.concrete_fields)
    with pytest.raises(TypeError, match="no exact JSON form"):
        JsonRows(Membership)
