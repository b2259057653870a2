"""A granted request to destroy the whole file (AVG art. 17, Wgbo art. 7:455) becomes the
retention batch a functional administrator confirms; while the client is in care the
decision is refused with a Dutch message and the request stays open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients.constants import (
    DisputedPart,
    FiledVia,
    OutflowReason,
    Phase,
    PrivacyDecision,
    PrivacyRequestKind,
    PrivacyRequestStatus,
)
from clients.services.privacy_requests import decide, file_request
from olteams.constants import RetentionBatchKind, RetentionBatchStatus, TeamRole
from olteams.models import RetentionBatch
from tests.factories.clients import CareEpisodeFactory, ClientFactory
from tests.factories.olteams import MembershipFactory

pytestmark = pytest.mark.django_db

REASON = "De cliënt is uit zorg en vraagt om vernietiging; geen zwaarwegend belang."


def _removal(client, part=DisputedPart.WHOLE_FILE):  # type: ignore[no-untyped-def]
    return file_request(
        client,
        kind=PrivacyRequestKind.REMOVAL,
        description="Vernietig mijn dossier alstublieft.",
        disputed=part,
        received_on=timezone.localdate(),
        filed_via=FiledVia.PORTAL,
        filed_by_label="cliënt, via Mijn Optimaal Leven (DigiD)",
    )


def _closed_episode(client):  # type: ignore[no-untyped-def]
    return CareEpisodeFactory(
        client=client,
        phase=Phase.OUTFLOW,
        ended_on=dt.date(2025, 6, 30),
        outflow_reason=OutflowReason.GOALS_MET,
    )


@pytest.fixture
def lead(team):  # type: ignore[no-untyped-def]
    return MembershipFactory(team=team, role=TeamRole.LEAD).user


def test_a_granted_removal_of_the_whole_file_makes_the_batch_to_confirm(team, lead) -> None:
    client = ClientFactory(team=team)
    _closed_episode(client)
    request = _removal(client)
    decide(request, actor=lead, decision=PrivacyDecision.GRANTED, reason=REASON)
    batch = RetentionBatch.objects.get(privacy_request_id=request.pk)
    assert batch.kind == RetentionBatchKind.REQUEST
    assert batch.status == RetentionBatchStatus.PENDING  # nothing removed yet


def test_while_in_care_the_grant_is_refused_and_nothing_changes(team, lead) -> None:
    client = ClientFactory(team=team)
    CareEpisodeFactory(client=client)  # open
    request = _removal(client)
    with pytest.raises(ValidationError) as refused:
        decide(request, actor=lead, decision=PrivacyDecision.GRANTED, reason=REASON)
    assert "nog in zorg" in str(refused.value.message_dict["decision"])
    request.refresh_from_db()
    assert request.status == PrivacyRequestStatus.OPEN
    assert not RetentionBatch.objects.exists()


@pytest.mark.parametrize(
    ("decision", "part"),
    [
        (PrivacyDecision.REFUSED, DisputedPart.WHOLE_FILE),
        (PrivacyDecision.GRANTED, DisputedPart.CONTACTVERSLAGEN),
    ],
)
def test_a_refusal_or_a_partial_removal_makes_no_batch(team, lead, decision, part) -> None:
    client = ClientFactory(team=team)
    _closed_episode(client)
    decide(_removal(client, part), actor=lead, decision=decision, reason=REASON)
    assert not RetentionBatch.objects.exists()
