"""Writes of the monthly accounts: compute drafts, close a month, book adjustments.

The lines of a draft are derived from the registered work and the dated financial data
(``finance.services._compute`` states every rule); totals are never stored. A closed account
is frozen by the database (migration 0002); corrections go into a later, open month as
adjustment lines with a reason. The consolidated account (no team) is the per-line sum of
the team accounts of its month and is re-summed whenever a team account of the month changes.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.constants import AccountStatus, LineCode, LineSection
from finance.models import AccountLine, MonthlyAccount
from finance.selectors.accounts import account_totals, can_work_with_accounts
from finance.selectors.close import close_blockers, close_findings
from finance.services._compute import CODE_POSITION, MonthComputation, money, order_lines
from finance.services.steering import steering_month_compute, steering_month_mark_stale
from olteams.models import Team, User

logger = logging.getLogger(__name__)

ADJUSTABLE_SECTIONS = (LineSection.REVENUE, LineSection.COST, LineSection.SUBSIDY)


def closed_message() -> str:
    return _(
        "Deze maand is gesloten: de verantwoording kan niet meer worden gewijzigd. Boek een correctie in een latere, open maand."
    )


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _require_worker(actor: User) -> None:
    if not can_work_with_accounts(actor):
        raise PermissionDenied(
            _("Alleen controllers en functioneel beheerders werken met de verantwoording.")
        )


# --- computing ---------------------------------------------------------------------------


def _write_team_lines(
    *,
    month: dt.date,
    lines_by_team: dict[int, list[AccountLine]],
    existing: dict[int, MonthlyAccount],
    now: dt.datetime,
) -> list[int]:
    """Store the computed lines of draft team accounts (creating missing accounts); keep
    adjustment lines. Closed accounts are left alone. A fixed number of queries."""
    missing = [team_id for team_id in lines_by_team if team_id not in existing]
    created = MonthlyAccount.objects.bulk_create(
        [MonthlyAccount(team_id=team_id, month=month, computed_at=now) for team_id in missing]
    )
    drafts = {team_id: a for team_id, a in existing.items() if not a.is_closed}
    drafts.update({a.team_id: a for a in created if a.team_id is not None})
    account_ids = [drafts[team_id].pk for team_id in lines_by_team if team_id in drafts]
    if not account_ids:
        return []
    AccountLine.objects.filter(account_id__in=account_ids).exclude(
        code=LineCode.ADJUSTMENT
    ).delete()
    new_lines = []
    for team_id, lines in lines_by_team.items():
        if team_id not in drafts:
            continue
        for line in lines:
            line.account_id = drafts[team_id].pk
            new_lines.append(line)
    AccountLine.objects.bulk_create(new_lines, batch_size=2000)
    MonthlyAccount.objects.filter(pk__in=[existing[t].pk for t in drafts if t in existing]).update(
        computed_at=now
    )
    return account_ids


def _consolidate(
    *, month: dt.date, now: dt.datetime, account: MonthlyAccount | None
) -> MonthlyAccount:
    """(Re)write the consolidated account: per key the sum of the team accounts' lines."""
    if account is not None and account.is_closed:
        raise ValidationError(closed_message(), code="closed")
    rows = (
        AccountLine.objects.filter(account__month=month, account__team__isnull=False)
        .values(
            "section",
            "code",
            "funding_stream",
            "organisation_id",
            "discipline",
            "municipality_id",
            "arrangement_id",
            "unit",
            "prestatie",
            "adjusts_month",
        )
        .annotate(
            total_quantity=Sum("quantity"),
            total_amount=Sum("amount"),
            first_position=Min("position"),
            label_min=Min("label"),
            label_max=Max("label"),
            reason_min=Min("reason"),
            reason_max=Max("reason"),
        )
        .order_by("first_position", "code", "label_min")
    )
    if account is None:
        account = MonthlyAccount.objects.create(team=None, month=month, computed_at=now)
    else:
        AccountLine.objects.filter(account=account).delete()
        MonthlyAccount.objects.filter(pk=account.pk).update(computed_at=now)
        account.computed_at = now
    lines = []
    for row in rows:
        same_label = row["label_min"] == row["label_max"]
        reason = ""
        if row["code"] == LineCode.ADJUSTMENT:
            reason = (
                row["reason_min"]
                if row["reason_min"] == row["reason_max"]
                else _("Correcties van meerdere teams")
            )
        lines.append(
            AccountLine(
                account=account,
                section=row["section"],
                code=row["code"],
                label=row["label_min"] if same_label else str(LineCode(row["code"]).label),
                funding_stream=row["funding_stream"],
                organisation_id=row["organisation_id"],
                discipline=row["discipline"],
                municipality_id=row["municipality_id"],
                arrangement_id=row["arrangement_id"],
                unit=row["unit"],
                prestatie=row["prestatie"],
                adjusts_month=row["adjusts_month"],
                reason=reason,
                quantity=row["total_quantity"],
                amount=row["total_amount"] or Decimal("0"),
            )
        )
    AccountLine.objects.bulk_create(order_lines(lines), batch_size=2000)
    return account


def _consolidated_locked(month: dt.date) -> MonthlyAccount | None:
    return (
        MonthlyAccount.objects.select_for_update()
        .filter(team=None, month=month)
        .order_by("pk")
        .first()
    )


def _compute_teams(
    *, month: dt.date, now: dt.datetime, team: Team | None = None, only_missing: bool = False
) -> None:
    locked = (
        MonthlyAccount.objects.select_for_update()
        .filter(month=month, team__isnull=False)
        .order_by("pk")
    )
    if team is not None:
        locked = locked.filter(team=team)
    existing = {a.team_id: a for a in locked if a.team_id is not None}
    if team is not None and team.pk in existing and existing[team.pk].is_closed:
        raise ValidationError(closed_message(), code="closed")
    computation = MonthComputation(
        month=month,
        team_ids=None if team is None else [team.pk],
        ensure=[] if only_missing else [t for t, a in existing.items() if not a.is_closed],
    )
    lines = computation.run()
    if only_missing:
        lines = {t: team_lines for t, team_lines in lines.items() if t not in existing}
    _write_team_lines(month=month, lines_by_team=lines, existing=existing, now=now)


def account_compute(
    *, team: Team | None, month: dt.date, now: dt.datetime | None = None
) -> MonthlyAccount:
    """Create or recompute the draft account of ``team`` (None: the consolidated account) for
    ``month``: its computed lines are replaced, its adjustment lines kept. The consolidated
    account first computes the team drafts that do not exist yet. A closed month raises a
    ValidationError."""
    month = first_of_month(month)
    now = now or timezone.now()
    with transaction.atomic():
        consolidated = _consolidated_locked(month)
        if consolidated is not None and consolidated.is_closed:
            raise ValidationError(closed_message(), code="closed")
        if team is None:
            _compute_teams(month=month, now=now, only_missing=True)
            return _consolidate(month=month, now=now, account=consolidated)
        _compute_teams(month=month, now=now, team=team)
        if consolidated is not None:
            _consolidate(month=month, now=now, account=consolidated)
        account = MonthlyAccount.objects.select_related("team").get(team=team, month=month)
        # Steering figures (finance.services.steering): the month follows on next use.
        steering_month_mark_stale(month=month)
    logger.info("account computed account_id=%s month=%s", account.pk, month)
    return account


def accounts_compute_month(
    *, month: dt.date, now: dt.datetime | None = None
) -> list[MonthlyAccount]:
    """Compute the drafts of every team with work, staff, clients or financial data in the
    month (and every team that already has a draft), then the consolidated account. Set-based:
    the number of queries does not depend on the number of teams. Closed accounts are left as
    they are; when the consolidated account is closed nothing is computed."""
    month = first_of_month(month)
    now = now or timezone.now()
    with transaction.atomic():
        consolidated = _consolidated_locked(month)
        if consolidated is None or not consolidated.is_closed:
            _compute_teams(month=month, now=now)
            _consolidate(month=month, now=now, account=consolidated)
        accounts = list(
            MonthlyAccount.objects.filter(month=month).select_related("team").order_by("team__name")
        )
    logger.info("month computed month=%s accounts=%s", month, len(accounts))
    # Steering figures (finance.services.steering): the whole month, set-based.
    steering_month_compute(month=month, now=now)
    # Team accounts by name, then the consolidated account.
    return sorted(accounts, key=lambda a: (a.team_id is None, a.team.name if a.team else ""))


# --- closing and correcting --------------------------------------------------------------


def account_close(
    *, actor: User, account: MonthlyAccount, reason: str = "", now: dt.datetime | None = None
) -> MonthlyAccount:
    """Recompute and close the account; from then on the database refuses any change to it.

    The row is locked first (``select_for_update``), so two controllers closing at once
    close it once: the second gets "Deze maand is al gesloten.". The consolidated account
    closes only when every team account of the month is closed. The guards of
    ``finance.selectors.close``: a month that is not over, or whose cost rates are not all
    in, is refused; a close with no revenue, no costs or hours far from the formation needs
    ``reason`` (a field error ``reason`` otherwise), which is stored with the findings.
    """
    _require_worker(actor)
    now = now or timezone.now()
    today = timezone.localdate(now)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = MonthlyAccount.objects.select_for_update().order_by().get(pk=account.pk)
        if locked.is_closed:
            raise ValidationError(_("Deze maand is al gesloten."), code="already_closed")
        blockers = close_blockers(account=locked, today=today)
        if blockers:
            raise ValidationError(blockers, code="not_closable")
        if locked.team_id is None:
            if (
                MonthlyAccount.objects.filter(month=locked.month, team__isnull=False)
                .exclude(status=AccountStatus.CLOSED)
                .exists()
            ):
                raise ValidationError(
                    _("Sluit eerst de verantwoording van elk team van deze maand."),
                    code="teams_open",
                )
            _consolidate(month=locked.month, now=now, account=locked)
        else:
            account_compute(team=locked.team, month=locked.month, now=now)
        findings = close_findings(account=locked, totals=account_totals(locked))
        if findings and not reason:
            raise ValidationError(
                {
                    "reason": _("Licht toe waarom u deze maand toch sluit: %(findings)s")
                    % {"findings": " ".join(findings)}
                },
                code="reason_required",
            )
        MonthlyAccount.objects.filter(pk=locked.pk).update(
            status=AccountStatus.CLOSED,
            closed_at=now,
            closed_by=actor,
            computed_at=now,
            close_reason=reason,
            close_findings=findings,
        )
        locked.refresh_from_db()
        if locked.team_id is None:
            # Steering figures freeze with the closed month (computed one last time).
            steering_month_compute(month=locked.month, freeze=True, now=now)
    logger.info("account closed account_id=%s by=%s", locked.pk, actor.pk)
    return locked


def _parse_amount(value: object) -> Decimal | None:
    try:
        return money(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return None


def adjustment_add(
    *,
    actor: User,
    account: MonthlyAccount,
    adjusts_month: dt.date | None,
    section: str,
    label: str,
    amount: Decimal | int | str,
    reason: str,
) -> AccountLine:
    """Book a correction of an earlier, closed month of the same team into this open account.

    Field errors in Dutch (``ValidationError`` with a dict); nothing is saved on an error.
    The consolidated account of the month is re-summed so it stays the sum of the teams.
    """
    _require_worker(actor)
    with transaction.atomic():
        locked = MonthlyAccount.objects.select_for_update().order_by().get(pk=account.pk)
        if locked.is_closed:
            raise ValidationError(closed_message(), code="closed")
        if locked.team_id is None:
            raise ValidationError(
                _("Een correctie wordt geboekt in de verantwoording van een team."),
                code="consolidated",
            )
        errors: dict[str, str] = {}
        target_month = first_of_month(adjusts_month) if adjusts_month else None
        if target_month is None:
            errors["adjusts_month"] = _("Kies de maand die u corrigeert.")
        elif target_month >= locked.month:
            errors["adjusts_month"] = _("De gecorrigeerde maand moet vóór deze maand liggen.")
        elif not MonthlyAccount.objects.filter(
            team_id=locked.team_id, month=target_month, status=AccountStatus.CLOSED
        ).exists():
            errors["adjusts_month"] = _(
                "Alleen een gesloten maand van dit team kan worden gecorrigeerd."
            )
        if section not in ADJUSTABLE_SECTIONS:
            errors["section"] = _("Kies opbrengsten, kosten of subsidie.")
        value = _parse_amount(amount)
        if value is None:
            errors["amount"] = _("Vul een bedrag in, bijvoorbeeld 125,50 of -80.")
        elif not value:
            errors["amount"] = _("Een correctie van nul euro verandert niets.")
        if not (reason or "").strip():
            errors["reason"] = _("Geef de reden van de correctie.")
        if errors:
            raise ValidationError(errors)
        assert target_month is not None and value is not None
        count = AccountLine.objects.filter(account=locked, code=LineCode.ADJUSTMENT).count()
        line = AccountLine.objects.create(
            account=locked,
            section=section,
            code=LineCode.ADJUSTMENT,
            label=(label or "").strip()[:200]
            or _("Correctie %(month)s") % {"month": target_month.strftime("%m-%Y")},
            amount=value,
            adjusts_month=target_month,
            reason=reason.strip(),
            created_by=actor,
            position=CODE_POSITION[LineCode.ADJUSTMENT] + count,
        )
        consolidated = _consolidated_locked(locked.month)
        if consolidated is not None:
            _consolidate(month=locked.month, now=timezone.now(), account=consolidated)
        steering_month_mark_stale(month=locked.month)
    logger.info("adjustment added account_id=%s line_id=%s", locked.pk, line.pk)
    return line
