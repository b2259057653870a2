"""Closing a month freezes it; corrections go into a later month; two closers close once."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from finance.constants import AccountStatus, LineCode, LineSection
from finance.models import AccountLine, MonthlyAccount
from finance.selectors import account_totals
from finance.services import (
    account_close,
    account_compute,
    accounts_compute_month,
    adjustment_add,
)
from tests.factories.finance import contact
from tests.finance.conftest import MARCH, TEST_REASON

APRIL = dt.date(2026, 4, 1)
D = Decimal


@pytest.mark.django_db
def test_closed_month_is_unchanged_after_new_contacts(team_month, controller):
    account = account_compute(team=team_month.team, month=MARCH)
    closed = account_close(actor=controller, account=account, reason=TEST_REASON)
    assert closed.status == AccountStatus.CLOSED
    assert closed.closed_by == controller
    before = account_totals(closed)
    lines_before = list(closed.lines.values_list("code", "quantity", "amount").order_by("position"))
    contact(
        client=team_month.clients[0],
        team=team_month.team,
        date=dt.date(2026, 3, 20),
        minutes=60,
        workers=[team_month.casemanager],
    )
    with pytest.raises(ValidationError, match="gesloten"):
        account_compute(team=team_month.team, month=MARCH)
    accounts_compute_month(month=MARCH)  # leaves the closed account alone
    assert account_totals(closed) == before
    assert (
        list(closed.lines.values_list("code", "quantity", "amount").order_by("position"))
        == lines_before
    )


@pytest.mark.django_db
def test_database_refuses_changes_to_a_closed_month(team_month, controller):
    account = account_close(
        actor=controller,
        account=account_compute(team=team_month.team, month=MARCH),
        reason=TEST_REASON,
    )
    line = account.lines.filter(section=LineSection.REVENUE).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountLine.objects.filter(pk=line.pk).update(amount=D("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountLine.objects.create(
            account=account,
            section=LineSection.COST,
            code=LineCode.HOUSING,
            label="x",
            amount=D("1"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyAccount.objects.filter(pk=account.pk).update(status=AccountStatus.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountLine.objects.filter(account=account).delete()


@pytest.mark.django_db
def test_closing_twice_is_refused(team_month, controller):
    account = account_close(
        actor=controller,
        account=account_compute(team=team_month.team, month=MARCH),
        reason=TEST_REASON,
    )
    with pytest.raises(ValidationError) as excinfo:
        account_close(actor=controller, account=account, reason=TEST_REASON)
    assert excinfo.value.messages == ["Deze maand is al gesloten."]


@pytest.mark.django_db
def test_consolidated_closes_only_after_every_team(team_month, other_team_month, controller):
    accounts = accounts_compute_month(month=MARCH)
    consolidated = accounts[-1]
    with pytest.raises(ValidationError, match="Sluit eerst"):
        account_close(actor=controller, account=consolidated, reason=TEST_REASON)
    for account in accounts[:-1]:
        account_close(actor=controller, account=account, reason=TEST_REASON)
    closed = account_close(actor=controller, account=consolidated, reason=TEST_REASON)
    assert closed.is_closed
    with pytest.raises(ValidationError, match="gesloten"):
        account_compute(team=None, month=MARCH)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "stuurgroep_user"])
def test_only_controllers_and_admins_close(team_month, who, request):
    account = account_compute(team=team_month.team, month=MARCH)
    with pytest.raises(PermissionDenied):
        account_close(actor=request.getfixturevalue(who), account=account, reason=TEST_REASON)
    account.refresh_from_db()
    assert account.status == AccountStatus.DRAFT


@pytest.mark.django_db
def test_functional_admin_closes(team_month, admin_user):
    account = account_close(
        actor=admin_user,
        account=account_compute(team=team_month.team, month=MARCH),
        reason=TEST_REASON,
    )
    assert account.is_closed


@pytest.mark.django_db
def test_adjustment_in_later_open_month(team_month, controller):
    march = account_close(
        actor=controller,
        account=account_compute(team=team_month.team, month=MARCH),
        reason=TEST_REASON,
    )
    april = account_compute(team=team_month.team, month=APRIL)
    consolidated = account_compute(team=None, month=APRIL)
    revenue_before = account_totals(april).revenue
    line = adjustment_add(
        actor=controller,
        account=april,
        adjusts_month=MARCH,
        section=LineSection.REVENUE,
        label="Zvw-consult nagekomen",
        amount="125.50",
        reason="Consult van 20 maart niet geregistreerd",
    )
    assert line.code == LineCode.ADJUSTMENT
    assert line.adjusts_month == MARCH
    assert line.created_by == controller
    assert account_totals(april).revenue == revenue_before + D("125.50")
    # a recompute keeps the adjustment; the consolidated account includes it
    account_compute(team=team_month.team, month=APRIL)
    assert account_totals(april).revenue == revenue_before + D("125.50")
    assert account_totals(consolidated).revenue == account_totals(april).revenue
    assert account_totals(march) == account_totals(MonthlyAccount.objects.get(pk=march.pk))


@pytest.mark.django_db
def test_adjustment_refusals(team_month, controller):
    march = account_compute(team=team_month.team, month=MARCH)
    april = account_compute(team=team_month.team, month=APRIL)
    # March still open: it cannot be corrected
    with pytest.raises(ValidationError) as excinfo:
        adjustment_add(
            actor=controller,
            account=april,
            adjusts_month=MARCH,
            section="kosten",
            label="",
            amount="10",
            reason="reden",
        )
    assert "adjusts_month" in excinfo.value.message_dict
    account_close(actor=controller, account=march, reason=TEST_REASON)
    with pytest.raises(ValidationError) as excinfo:
        adjustment_add(
            actor=controller,
            account=april,
            adjusts_month=APRIL,
            section="productie",
            label="",
            amount="abc",
            reason=" ",
        )
    assert set(excinfo.value.message_dict) == {"adjusts_month", "section", "amount", "reason"}
    # into a closed account: refused
    with pytest.raises(ValidationError, match="gesloten"):
        adjustment_add(
            actor=controller,
            account=march,
            adjusts_month=dt.date(2026, 2, 1),
            section="kosten",
            label="",
            amount="10",
            reason="reden",
        )
    assert not AccountLine.objects.filter(code=LineCode.ADJUSTMENT).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_controllers_closing_at_once_close_once(team_month, controller, admin_user):
    account = account_compute(team=team_month.team, month=MARCH)
    barrier = threading.Barrier(2)
    closed: list[str] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def close(user) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=30)
            try:
                account_close(actor=user, account=account, reason=TEST_REASON)
            except ValidationError as exc:
                with lock:
                    refused.append(exc.messages[0])
            else:
                with lock:
                    closed.append(user.username)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(u,)) for u in (controller, admin_user)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(closed) == 1
    assert refused == ["Deze maand is al gesloten."]
    account.refresh_from_db()
    assert account.is_closed
    assert account.closed_by.username == closed[0]
