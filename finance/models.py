"""Dated financial data, the monthly integrated accounts and their reports.

Every total and result of an account is computed from its lines (``finance.selectors``); no
total is stored or typed in. A closed account and its lines are frozen by a PostgreSQL trigger
(migration 0002), so not even a bug in the application can change a closed month.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from finance.constants import (
    AccountStatus,
    LineCode,
    LineSection,
    NzaBeroep,
    ReportFormat,
    ReportStatus,
    TariffKind,
    TariffUnit,
    TeamCostKind,
    ZvwPrestatie,
)
from olteams.constants import Discipline
from olteams.models import Municipality, Organisation, Team
from wmo.models import Arrangement, DateRange, MunicipalProduct

_ZERO = Decimal("0")
_period_order = Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from"))


def _period() -> tuple[DateRange, str]:
    return (DateRange("valid_from", "valid_to", Value("[]")), RangeOperators.OVERLAPS)


def _money(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class Tariff(models.Model):
    """A price for one funding stream's product or activity, valid for a period."""

    kind = models.CharField(_("soort tarief"), max_length=20, choices=TariffKind.choices)
    funding_stream = models.CharField(_("financieringsstroom"), max_length=10)
    unit = models.CharField(_("eenheid"), max_length=10, choices=TariffUnit.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="tariffs"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="tariffs"
    )
    product = models.ForeignKey(
        MunicipalProduct, on_delete=models.PROTECT, null=True, blank=True, related_name="tariffs"
    )
    # Wmo: the municipality's arrangement this fixed amount per four weeks pays (kind
    # ``wmo_vast``; no product, no team): an indication granted with the arrangement earns it.
    arrangement = models.ForeignKey(
        Arrangement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tariffs",
        verbose_name=_("arrangement"),
    )
    discipline = models.CharField(
        _("discipline"), max_length=40, choices=Discipline.choices, blank=True
    )
    # Zvw: the insurer that pays this tariff (empty: every insurer without a tariff of its
    # own), the prestatie and the NZa beroep (empty: any).
    insurer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "zorgverzekeraar"},
        verbose_name=_("zorgverzekeraar"),
    )
    prestatie = models.CharField(
        _("zorgprestatie"),
        max_length=30,
        choices=ZvwPrestatie.choices,
        blank=True,
        db_default="",  # COPY loads (benchmarks) that name no prestatie
    )
    beroep = models.CharField(
        _("beroep (NZa)"),
        max_length=30,
        choices=NzaBeroep.choices,
        blank=True,
        db_default="",
    )
    min_minutes = models.PositiveIntegerField(_("vanaf minuten"), null=True, blank=True)
    max_minutes = models.PositiveIntegerField(_("tot en met minuten"), null=True, blank=True)
    amount = _money(_("bedrag"), validators=[MinValueValidator(_ZERO)])
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tarief")
        verbose_name_plural = _("tarieven")
        ordering = ["kind", "municipality", "discipline", "min_minutes", "-valid_from"]
        constraints = [
            models.CheckConstraint(condition=_period_order, name="tariff_period_order"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="tariff_amount_positive"),
            models.CheckConstraint(
                condition=Q(max_minutes__isnull=True)
                | Q(min_minutes__isnull=True)
                | Q(max_minutes__gte=F("min_minutes")),
                name="tariff_minutes_order",
            ),
            ExclusionConstraint(
                name="tariff_no_overlap",
                expressions=[
                    ("kind", RangeOperators.EQUAL),
                    (Coalesce("municipality", Value(0)), RangeOperators.EQUAL),
                    (Coalesce("team", Value(0)), RangeOperators.EQUAL),
                    (Coalesce("product", Value(0)), RangeOperators.EQUAL),
                    (Coalesce("arrangement", Value(0)), RangeOperators.EQUAL),
                    ("discipline", RangeOperators.EQUAL),
                    (Coalesce("min_minutes", Value(0)), RangeOperators.EQUAL),
                    (Coalesce("insurer", Value(0)), RangeOperators.EQUAL),
                    ("prestatie", RangeOperators.EQUAL),
                    ("beroep", RangeOperators.EQUAL),
                    _period(),
                ],
                violation_error_message=_(
                    "Er geldt al een tarief voor dit product in (een deel van) deze periode."
                ),
            ),
            # A municipality pays a product one way at a time: per hour, a fixed amount per
            # 4 weeks, or a lump sum; never an hourly tariff on top of a fixed amount.
            ExclusionConstraint(
                name="tariff_one_wmo_variant",
                expressions=[
                    ("municipality", RangeOperators.EQUAL),
                    (Coalesce("product", Value(0)), RangeOperators.EQUAL),
                    (Coalesce("arrangement", Value(0)), RangeOperators.EQUAL),
                    ("kind", RangeOperators.NOT_EQUAL),
                    _period(),
                ],
                condition=Q(
                    kind__in=[TariffKind.WMO_HOUR, TariffKind.WMO_FIXED, TariffKind.WMO_LUMP_SUM]
                ),
                violation_error_message=_(
                    "Deze gemeente betaalt dit product in (een deel van) deze periode al op een "
                    "andere manier (per uur, vast bedrag per 4 weken of lumpsum); kies één "
                    "betaalvariant per gemeente en product."
                ),
            ),
            # An arrangement is paid as a fixed amount per four weeks, for the whole
            # municipality (no product, no team of its own).
            models.CheckConstraint(
                condition=Q(arrangement__isnull=True)
                | Q(
                    kind=TariffKind.WMO_FIXED,
                    municipality__isnull=False,
                    product__isnull=True,
                    team__isnull=True,
                ),
                name="tariff_arrangement_fixed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} € {self.amount}"


class CostRate(models.Model):
    """What one FTE of a discipline costs its organisation per month."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cost_rates"
    )
    discipline = models.CharField(_("discipline"), max_length=40, choices=Discipline.choices)
    monthly_cost_per_fte = _money(
        _("kosten per fte per maand"), validators=[MinValueValidator(_ZERO)]
    )
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("kostentarief")
        verbose_name_plural = _("kostentarieven")
        ordering = ["organisation", "discipline", "-valid_from"]
        constraints = [
            models.CheckConstraint(condition=_period_order, name="costrate_period_order"),
            models.CheckConstraint(
                condition=Q(monthly_cost_per_fte__gte=0), name="costrate_amount_positive"
            ),
            ExclusionConstraint(
                name="costrate_no_overlap",
                expressions=[
                    ("organisation", RangeOperators.EQUAL),
                    ("discipline", RangeOperators.EQUAL),
                    _period(),
                ],
                violation_error_message=_(
                    "Er geldt al een kostentarief voor deze organisatie en discipline in "
                    "(een deel van) deze periode."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_discipline_display()} € {self.monthly_cost_per_fte}"


class TeamCost(models.Model):
    """Housing or overhead of a team per month, for a period."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="fixed_costs")
    kind = models.CharField(_("soort"), max_length=20, choices=TeamCostKind.choices)
    monthly_amount = _money(_("bedrag per maand"), validators=[MinValueValidator(_ZERO)])
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("vaste teamkosten")
        verbose_name_plural = _("vaste teamkosten")
        ordering = ["team", "kind", "-valid_from"]
        constraints = [
            models.CheckConstraint(condition=_period_order, name="teamcost_period_order"),
            models.CheckConstraint(
                condition=Q(monthly_amount__gte=0), name="teamcost_amount_positive"
            ),
            ExclusionConstraint(
                name="teamcost_no_overlap",
                expressions=[
                    ("team", RangeOperators.EQUAL),
                    ("kind", RangeOperators.EQUAL),
                    _period(),
                ],
                violation_error_message=_(
                    "Er gelden al kosten van deze soort voor dit team in (een deel van) deze "
                    "periode."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.get_kind_display()} € {self.monthly_amount}"


class Subsidy(models.Model):
    """A subsidy for a team: the amount is spread evenly over the months of its period."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="subsidies")
    source = models.CharField(_("bron"), max_length=200)
    amount = _money(_("bedrag"), validators=[MinValueValidator(_ZERO)])
    valid_from = models.DateField(_("eerste maand"))
    valid_to = models.DateField(_("laatste maand"))
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("subsidie")
        verbose_name_plural = _("subsidies")
        ordering = ["team", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="subsidy_period_order"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="subsidy_amount_positive"),
            models.CheckConstraint(
                condition=Q(valid_from__day=1) & Q(valid_to__day=1), name="subsidy_whole_months"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.source} € {self.amount}"


class BusinessCase(models.Model):
    """The formation a team was planned with: target clients and FTE per discipline."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="business_cases")
    name = models.CharField(_("naam"), max_length=100)
    target_clients = models.PositiveIntegerField(_("beoogd aantal cliënten"))
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("businesscase")
        verbose_name_plural = _("businesscases")
        ordering = ["team", "-valid_from"]
        constraints = [
            models.CheckConstraint(condition=_period_order, name="businesscase_period_order"),
            ExclusionConstraint(
                name="businesscase_no_overlap",
                expressions=[("team", RangeOperators.EQUAL), _period()],
                violation_error_message=_(
                    "Er geldt al een businesscase voor dit team in (een deel van) deze periode."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} — {self.name}"


class BusinessCaseLine(models.Model):
    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="lines")
    discipline = models.CharField(_("discipline"), max_length=40, choices=Discipline.choices)
    target_fte = models.DecimalField(
        _("beoogde fte"), max_digits=6, decimal_places=2, validators=[MinValueValidator(_ZERO)]
    )

    class Meta:
        verbose_name = _("businesscaseregel")
        verbose_name_plural = _("businesscaseregels")
        ordering = ["business_case", "discipline"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_case", "discipline"], name="businesscaseline_once"
            ),
            models.CheckConstraint(condition=Q(target_fte__gte=0), name="businesscaseline_fte"),
        ]

    def __str__(self) -> str:
        return f"{self.get_discipline_display()} {self.target_fte}"


class MonthlyAccount(models.Model):
    """The integrated account of one team (or, with no team, of all teams) for one month."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts"
    )
    month = models.DateField(_("maand"))  # the first day of the month
    status = models.CharField(
        _("status"), max_length=10, choices=AccountStatus.choices, default=AccountStatus.DRAFT
    )
    computed_at = models.DateTimeField(_("berekend op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A close the guards flagged (no revenue, no costs, hours far from the formation) needs
    # the controller's reason; the findings are kept as they were at the close.
    close_reason = models.TextField(_("toelichting bij het sluiten"), blank=True, default="")
    close_findings = models.JSONField(_("bevindingen bij het sluiten"), default=list, blank=True)

    class Meta:
        verbose_name = _("maandverantwoording")
        verbose_name_plural = _("maandverantwoordingen")
        ordering = ["-month", "team__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "month"], nulls_distinct=False, name="account_one_per_team_month"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="account_first_of_month"),
            models.CheckConstraint(
                condition=Q(status=AccountStatus.DRAFT)
                | Q(closed_at__isnull=False, closed_by__isnull=False),
                name="account_closed_has_closer",
            ),
        ]
        indexes = [models.Index(fields=["month", "status"], name="account_month_status")]

    def __str__(self) -> str:
        who = self.team.name if self.team is not None else _("Alle teams")
        return f"{who} {self.month:%m-%Y}"

    @property
    def is_consolidated(self) -> bool:
        return self.team_id is None

    @property
    def is_closed(self) -> bool:
        return self.status == AccountStatus.CLOSED


class AccountLine(models.Model):
    """One line of an account: a production figure (quantity) or an amount in euro.

    Adjustment lines correct an earlier, closed month: they carry the month they correct and
    a reason, and are booked into the account of a later (open) month.
    """

    account = models.ForeignKey(MonthlyAccount, on_delete=models.CASCADE, related_name="lines")
    section = models.CharField(_("onderdeel"), max_length=12, choices=LineSection.choices)
    code = models.CharField(_("code"), max_length=30, choices=LineCode.choices)
    label = models.CharField(_("omschrijving"), max_length=200)
    funding_stream = models.CharField(_("financieringsstroom"), max_length=10, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    discipline = models.CharField(
        _("discipline"), max_length=40, choices=Discipline.choices, blank=True
    )
    quantity = models.DecimalField(
        _("aantal"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("eenheid"), max_length=20, blank=True)
    # A Wmo revenue line of an arrangement (paid per four weeks).
    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A Zvw revenue line's prestatie: "<ZvwPrestatie>[/<duration class>][/<NzaBeroep>]".
    prestatie = models.CharField(_("zorgprestatie"), max_length=80, blank=True, db_default="")
    amount = _money(_("bedrag"), default=_ZERO)
    adjusts_month = models.DateField(_("corrigeert maand"), null=True, blank=True)
    reason = models.TextField(_("reden"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("verantwoordingsregel")
        verbose_name_plural = _("verantwoordingsregels")
        ordering = ["account", "position", "id"]
        indexes = [models.Index(fields=["account", "section"], name="accountline_section")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(code=LineCode.ADJUSTMENT)
                | (Q(adjusts_month__isnull=False) & ~Q(reason="")),
                name="accountline_adjustment_reasoned",
            ),
            models.CheckConstraint(
                condition=~Q(section=LineSection.PRODUCTION) | Q(amount=0),
                name="accountline_production_no_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"


class HistoricalImport(models.Model):
    """One upload of historical accounts (CSV as printed by the teams before this product)."""

    filename = models.CharField(_("bestand"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("import historische verantwoording")
        verbose_name_plural = _("imports historische verantwoording")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class HistoricalAccount(models.Model):
    """A historical month as printed, stored exactly as given, with the checks it failed."""

    source = models.ForeignKey(HistoricalImport, on_delete=models.CASCADE, related_name="rows")
    line_number = models.PositiveIntegerField(_("regel"))
    month = models.DateField(_("maand"))
    team_name = models.CharField(_("team (zoals in het bestand)"), max_length=100)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_total = models.BooleanField(_("totaalregel"), default=False)
    clients = models.IntegerField(_("cliënten"))
    fte = models.DecimalField(_("fte"), max_digits=8, decimal_places=2)
    revenue = _money(_("opbrengsten"))
    expenses = _money(_("kosten"))
    result_excl_subsidy = _money(_("resultaat zonder subsidie"))
    result_incl_subsidy = _money(_("resultaat met subsidie"))
    flags = models.JSONField(_("bevindingen"), default=list)

    class Meta:
        verbose_name = _("historische maandverantwoording")
        verbose_name_plural = _("historische maandverantwoordingen")
        ordering = ["month", "is_total", "team_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "month", "team_name"], name="historical_once_per_import"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_name} {self.month:%m-%Y}"


class ReportJob(models.Model):
    """A request to render accounts as PDF or XLSX; the worker reports progress here."""

    month = models.DateField(_("maand"))
    format = models.CharField(_("formaat"), max_length=4, choices=ReportFormat.choices)
    team = models.ForeignKey(  # empty: every team plus the consolidated account
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consolidated_only = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(  # empty when the monthly schedule asked
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The outbox (olteams.outbox): when the message was last sent, how often, last progress.
    queued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    progress_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporten")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="reportjob_progress"),
            # The monthly schedule makes one job per month, even if beat fires twice at once.
            models.UniqueConstraint(
                fields=["month", "format"],
                condition=Q(requested_by__isnull=True, team__isnull=True),
                name="reportjob_one_scheduled_per_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} {self.month:%m-%Y}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


class ReportFile(models.Model):
    """One rendered file of a report job (one team's or the consolidated account)."""

    job = models.ForeignKey(ReportJob, on_delete=models.CASCADE, related_name="files")
    account = models.ForeignKey(MonthlyAccount, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    was_draft = models.BooleanField(_("concept"), default=True)
    render_seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rapportbestand")
        verbose_name_plural = _("rapportbestanden")
        ordering = ["job", "id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "account"], name="reportfile_once_per_job"),
        ]

    def __str__(self) -> str:
        return self.filename


class SteeringMonth(models.Model):
    """The state of one month's stored steering figures (``SteeringFigure``).

    ``stale`` is set when something the figures depend on was recomputed (an account), so
    the next read or the nightly task computes the month again; a ``frozen`` month (closed
    consolidated account) is never computed again."""

    month = models.DateField(_("maand"), unique=True)  # the first day of the month
    computed_at = models.DateTimeField(_("berekend op"))
    stale = models.BooleanField(_("verouderd"), default=False)
    frozen = models.BooleanField(_("bevroren"), default=False)
    # The day the figures were measured at: the month's last day, or for the open month the
    # day they were computed (the month is then shown as "lopende maand, t/m <dag>").
    measured_until = models.DateField(_("gemeten tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("stuurcijfermaand")
        verbose_name_plural = _("stuurcijfermaanden")
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="steeringmonth_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m-%Y}"

    @property
    def is_open(self) -> bool:
        """Measured before the month's last day: the figures are of a month still running."""
        last_day = self.month + relativedelta(months=1) - relativedelta(days=1)
        return self.measured_until is not None and self.measured_until < last_day


class SteeringFigure(models.Model):
    """One dashboard figure of one team (no team: all teams together) and month, stored with
    the clients it counts or is derived from and its disclosure state: ``mark`` is ``"<5"``
    (under 5 clients) or ``COMPLEMENTARY`` (withheld so a hidden figure cannot be recovered by
    subtraction), empty when shown. Pages and the API read these rows as they are."""

    month = models.ForeignKey(SteeringMonth, on_delete=models.CASCADE, related_name="figures")
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.CharField(_("cijfer"), max_length=60)
    value = models.DecimalField(_("waarde"), max_digits=16, decimal_places=2, null=True)
    numerator = models.IntegerField(_("teller"), null=True)
    base = models.IntegerField(_("noemer"), null=True)
    mark = models.CharField(_("onderdrukking"), max_length=2, blank=True, default="")

    class Meta:
        verbose_name = _("stuurcijfer")
        verbose_name_plural = _("stuurcijfers")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "team", "key"],
                nulls_distinct=False,
                name="steeringfigure_one_per_key",
            ),
        ]
        indexes = [models.Index(fields=["team", "month"], name="steeringfigure_team_month")]

    def __str__(self) -> str:
        return f"{self.key} {self.value}"

    @property
    def suppressed(self) -> bool:
        return bool(self.mark)
