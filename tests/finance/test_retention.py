"""Retention and the monthly accounts: a destroyed or anonymised client file leaves the
figures alone (the contacts keep their minutes; an account holds totals, never a client),
and a closed month stays exactly as it was closed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from clients.constants import OutflowReason, Phase
from clients.models import CareEpisode
from clients.services.retention import destroy_client_file
from finance.models import AccountLine, MonthlyAccount
from finance.services.accounts import account_close, account_compute
from olteams.models import RetentionBatch
from olteams.services.retention import retention_batch_confirm, retention_scan
from tests.factories.finance import build_team_month

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)
APRIL_15 = dt.datetime(2026, 4, 15, 10, tzinfo=dt.UTC)


def _lines(account: MonthlyAccount) -> list[tuple]:
    return sorted(
        AccountLine.objects.filter(account=account).values_list(
            "code", "funding_stream", "discipline", "quantity", "amount"
        )
    )


def test_destroying_a_file_changes_no_figure_and_leaves_a_closed_month_alone(
    admin_user, controller
):
    tm = build_team_month(month=MARCH)
    gone = tm.clients[0]
    CareEpisode.objects.filter(client=gone).update(
        phase=Phase.OUTFLOW, ended_on=dt.date(2026, 3, 31), outflow_reason=OutflowReason.GOALS_MET
    )
    with time_machine.travel(APRIL_15, tick=False):
        draft = account_compute(team=tm.team, month=MARCH)
        before = _lines(draft)
        batch = destroy_client_file(gone, reason="AVG art. 17", confirmed_by=admin_user)
        retention_batch_confirm(actor=admin_user, batch_id=batch.pk, today=APRIL_15.date())
        gone.refresh_from_db()
        assert gone.anonymised_on is not None and gone.bsn is None
        recomputed = account_compute(team=tm.team, month=MARCH)
        assert _lines(recomputed) == before

        closed = account_close(actor=controller, account=recomputed, reason="Test", now=APRIL_15)
        closed_lines = _lines(closed)
    assert closed_lines == before
    # Twenty years on, the daily job and its confirmation leave the closed month alone.
    with time_machine.travel(dt.datetime(2046, 3, 31, 10, tzinfo=dt.UTC), tick=False):
        CareEpisode.objects.filter(client__in=tm.clients[1:]).update(
            phase=Phase.OUTFLOW,
            ended_on=dt.date(2026, 3, 31),
            outflow_reason=OutflowReason.GOALS_MET,
        )
        later = retention_scan(today=dt.date(2046, 3, 31))
        assert later is not None
        retention_batch_confirm(actor=admin_user, batch_id=later.pk, today=dt.date(2046, 3, 31))
    assert RetentionBatch.objects.count() == 2
    closed.refresh_from_db()
    assert closed.is_closed and _lines(closed) == before
