"""Wmo indication requests, decisions (beschikkingen) and indications (toewijzingen).

The field names ``client``, ``municipality`` and ``status`` of ``IndicationRequest`` are part
of the access policy's contract (``olteams.access``): consultants see clients with a
request to their municipality in one of ``WMO_VISIBLE_STATUSES``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from olteams.models import Municipality, Team
from wmo.constants import (
    KINDS_NEEDING_REASON,
    OPEN_STATUSES,
    PENDING_STATUSES,
    WMO_DECISION_DAYS,
    DecisionKind,
    DecisionSource,
    Frequency,
    MessageDirection,
    RequestStatus,
    ResultArea,
    StopReason,
    Unit,
    ZrmDomain,
    ZrmScore,
    unit_label,
)

_period_order = Q(end__isnull=True) | Q(end__gte=F("start"))


class DateRange(Func):
    """``daterange(start, end, '[]')``: an inclusive period; an empty end is open."""

    function = "daterange"
    output_field = DateRangeField()


class ProductCategory(models.Model):
    """iWmo code list Productcategorie (02 begeleiding, 07 dagbesteding, 15 beschermd wonen…)."""

    code = models.CharField(
        _("code"),
        max_length=2,
        primary_key=True,
        validators=[RegexValidator(r"^\d{2}$", _("Een productcategorie bestaat uit 2 cijfers."))],
    )
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("productcategorie")
        verbose_name_plural = _("productcategorieën")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MunicipalProduct(models.Model):
    """A municipality's (or region's) product code: data, kept per municipality."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="wmo_products",
        verbose_name=_("gemeente"),
    )
    code = models.CharField(
        _("productcode"),
        max_length=5,
        validators=[
            RegexValidator(
                r"^[0-9A-Z]{5}$", _("Een productcode bestaat uit 5 cijfers of hoofdletters.")
            )
        ],
    )
    name = models.CharField(_("naam"), max_length=200)
    category = models.ForeignKey(
        ProductCategory,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("productcategorie"),
    )
    unit = models.CharField(_("eenheid"), max_length=2, choices=Unit.choices)
    start = models.DateField(_("geldig vanaf"))
    end = models.DateField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("gemeentelijk product")
        verbose_name_plural = _("gemeentelijke producten")
        ordering = ["municipality", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="wmo_product_code"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9A-Z]{5}$"), name="wmo_product_code_format"
            ),
            models.CheckConstraint(condition=_period_order, name="wmo_product_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


class Arrangement(models.Model):
    """A municipality's arrangement (arrangement): a package of support the municipality pays
    with one fixed amount per four weeks, whatever the intensity inside it (e.g. "kort
    herstel", "één resultaatgebied", "herstel/groei/stabilisatie").

    Moving between heavier care, lighter care and general provisions inside an arrangement
    needs no new decision. The amount lives in finance (a dated tariff); the iWmo product is
    what the toewijzing and the declaration carry."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="wmo_arrangements",
        verbose_name=_("gemeente"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    product = models.ForeignKey(
        MunicipalProduct,
        on_delete=models.PROTECT,
        related_name="arrangements",
        verbose_name=_("product (iWmo)"),
    )
    start = models.DateField(_("geldig vanaf"))
    end = models.DateField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("arrangement")
        verbose_name_plural = _("arrangementen")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="wmo_arrangement_code"),
            models.CheckConstraint(condition=_period_order, name="wmo_arrangement_period_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


class IndicationRequest(models.Model):
    """The team's application (aanvraag) for Wmo support; iWmo 315 'verzoek om toewijzing'."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="wmo_requests")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="wmo_requests")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="wmo_requests",
        verbose_name=_("gemeente"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.CONCEPT
    )
    product = models.ForeignKey(
        MunicipalProduct,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("product"),
    )
    volume = models.PositiveIntegerField(_("omvang"))
    unit = models.CharField(_("eenheid"), max_length=2, choices=Unit.choices)
    frequency = models.CharField(_("frequentie"), max_length=1, choices=Frequency.choices)
    start = models.DateField(_("gevraagde ingangsdatum"))
    end = models.DateField(_("gevraagde einddatum"), null=True, blank=True)
    result_areas = ArrayField(
        models.PositiveSmallIntegerField(choices=ResultArea.choices),
        default=list,
        blank=True,
        verbose_name=_("resultaatgebieden"),
    )
    motivation = models.TextField(_("onderbouwing"))
    is_temporary = models.BooleanField(_("tijdelijke indicatie gevraagd"), default=False)
    client_authorised = models.BooleanField(
        _("toestemming van de cliënt"),
        default=False,
        help_text=_(
            "De cliënt heeft het team gemachtigd deze aanvraag namens hem of haar te doen."
        ),
    )
    reference = models.CharField(_("referentie aanbieder"), max_length=20, unique=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    submitted_on = models.DateField(_("ingediend op (datum)"), null=True, blank=True)
    deadline = models.DateField(_("uiterste besluitdatum"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    is_overdue = models.BooleanField(_("termijn verstreken"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicatieaanvraag")
        verbose_name_plural = _("indicatieaanvragen")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The inbox and the deadline sweep: pending requests per municipality by deadline.
            models.Index(
                fields=["municipality", "deadline"],
                name="wmo_request_pending",
                condition=Q(status__in=PENDING_STATUSES),
            ),
            models.Index(fields=["client", "status"], name="wmo_request_client"),
            models.Index(fields=["team", "status"], name="wmo_request_team"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(volume__gt=0), name="wmo_request_volume_positive"),
            models.CheckConstraint(condition=_period_order, name="wmo_request_period_order"),
            models.CheckConstraint(
                condition=Q(status=RequestStatus.CONCEPT)
                | Q(submitted_at__isnull=False, submitted_on__isnull=False, deadline__isnull=False),
                name="wmo_request_submitted_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True)
                | Q(deadline=F("submitted_on") + dt.timedelta(days=WMO_DECISION_DAYS)),
                name="wmo_request_deadline_14_days",
            ),
            # One open request per client, product and overlapping period.
            ExclusionConstraint(
                name="wmo_request_one_open_per_period",
                expressions=[
                    ("client", RangeOperators.EQUAL),
                    ("product", RangeOperators.EQUAL),
                    (DateRange("start", "end", Value("[]")), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=OPEN_STATUSES),
                violation_error_message=_(
                    "Er loopt al een aanvraag voor dit product in (een deel van) deze periode."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"

    @property
    def omvang_display(self) -> str:
        """Volume, unit and frequency as a reader says it: '5 dagdelen per week'."""
        return f"{self.volume} {unit_label(self.unit, self.volume)} {self.get_frequency_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    def days_left(self, today: dt.date) -> int | None:
        """Calendar days until the deadline (negative: days overdue); None before submission."""
        if self.deadline is None or not self.is_pending:
            return None
        return (self.deadline - today).days


class RequestGoal(models.Model):
    """A Herstelplan goal as the team sent it: the client's words, frozen at submission.

    ``plan_goal_id`` remembers which plan goal it came from without tying the request's
    history to the plan (a later plan version may change or drop the goal)."""

    request = models.ForeignKey(IndicationRequest, on_delete=models.CASCADE, related_name="goals")
    plan_goal_id = models.BigIntegerField(_("doel in het herstelplan"), null=True, blank=True)
    text = models.TextField(_("doel (in de woorden van de cliënt)"))
    priority = models.PositiveSmallIntegerField(_("prioriteit"), default=1)

    class Meta:
        verbose_name = _("doel van de aanvraag")
        verbose_name_plural = _("doelen van de aanvraag")
        ordering = ["request", "priority", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "plan_goal_id"], name="wmo_request_goal_once"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class RequestZrmScore(models.Model):
    """An optional ZRM score (1-5) per domain, as rated for this request."""

    request = models.ForeignKey(
        IndicationRequest, on_delete=models.CASCADE, related_name="zrm_scores"
    )
    domain = models.CharField(_("domein"), max_length=40, choices=ZrmDomain.choices)
    score = models.PositiveSmallIntegerField(
        _("score"),
        choices=ZrmScore.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    class Meta:
        verbose_name = _("ZRM-score")
        verbose_name_plural = _("ZRM-scores")
        ordering = ["request", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "domain"], name="wmo_zrm_one_per_domain"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="wmo_zrm_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.score}"


class Decision(models.Model):
    """The municipality's decision on a request; all but 'in onderzoek' are a beschikking."""

    request = models.ForeignKey(
        IndicationRequest, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("besluit"), max_length=20, choices=DecisionKind.choices)
    reason = models.TextField(_("motivering"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    decided_on = models.DateField(_("besluitdatum"))
    decided_at = models.DateTimeField(_("vastgelegd op"))
    beschikking_number = models.CharField(_("beschikkingnummer"), max_length=20, blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(
        _("bron"), max_length=10, choices=DecisionSource.choices, default=DecisionSource.APP
    )

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=KINDS_NEEDING_REASON) | ~Q(reason=""),
                name="wmo_decision_reason_required",
            ),
            # One final decision per request; 'in onderzoek' may precede it.
            models.UniqueConstraint(
                fields=["request"],
                condition=~Q(kind=DecisionKind.IN_ONDERZOEK),
                name="wmo_decision_one_final",
            ),
            models.UniqueConstraint(
                fields=["municipality", "beschikking_number"],
                condition=~Q(beschikking_number=""),
                name="wmo_beschikking_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.decided_on:%Y-%m-%d})"

    @property
    def is_beschikking(self) -> bool:
        return self.kind != DecisionKind.IN_ONDERZOEK


class Indication(models.Model):
    """Granted support (toewijzing): what the provider may deliver, for which period."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="wmo_indications")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="wmo_indications"
    )
    product = models.ForeignKey(
        MunicipalProduct, on_delete=models.PROTECT, related_name="indications"
    )
    volume = models.PositiveIntegerField(_("omvang"))
    unit = models.CharField(_("eenheid"), max_length=2, choices=Unit.choices)
    frequency = models.CharField(_("frequentie"), max_length=1, choices=Frequency.choices)
    start = models.DateField(_("ingangsdatum"))
    end = models.DateField(_("einddatum"), null=True, blank=True)
    is_temporary = models.BooleanField(_("tijdelijke indicatie"), default=False)
    second_worker = models.BooleanField(
        _("tweede begeleider toegestaan"),
        default=False,
        help_text=_("Telt de tijd van een tweede medewerker bij hetzelfde contact mee."),
    )
    toewijzing_number = models.CharField(_("toewijzingnummer"), max_length=20)
    toewijzing_date = models.DateField(_("toewijzingsdatum"))
    end_reason = models.CharField(
        _("reden van beëindiging"), max_length=2, choices=StopReason.choices, blank=True
    )
    decision = models.OneToOneField(
        Decision,
        on_delete=models.PROTECT,
        related_name="indication",
        verbose_name=_("besluit"),
    )
    # Granted as an arrangement: paid per four weeks, the intensity inside it free.
    arrangement = models.ForeignKey(
        Arrangement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indications",
        verbose_name=_("arrangement"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("indicatie")
        verbose_name_plural = _("indicaties")
        ordering = ["client", "-start", "-id"]
        indexes = [models.Index(fields=["end"], name="wmo_indication_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(volume__gt=0), name="wmo_indication_volume_positive"
            ),
            models.CheckConstraint(condition=_period_order, name="wmo_indication_period_order"),
            models.UniqueConstraint(
                fields=["municipality", "toewijzing_number"], name="wmo_toewijzing_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.toewijzing_number} {self.product}"

    @property
    def omvang_display(self) -> str:
        """Volume, unit and frequency as a reader says it: '5 dagdelen per week'."""
        return f"{self.volume} {unit_label(self.unit, self.volume)} {self.get_frequency_display()}"

    def days_remaining(self, today: dt.date) -> int | None:
        """Days of validity left including today; None for an open end."""
        if self.end is None:
            return None
        return max((self.end - max(today, self.start)).days + 1, 0)


class IwmoMessage(models.Model):
    """An iWmo 3.2 message the product produced or read, schema-valid, kept as sent/received.

    The XML is what a municipality's system receives (or sent); transport is out of scope."""

    message = models.CharField(_("bericht"), max_length=6)  # WMO301, WMO305, ...
    direction = models.CharField(_("richting"), max_length=3, choices=MessageDirection.choices)
    identification = models.CharField(_("identificatie"), max_length=12)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="iwmo_messages"
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="iwmo_messages"
    )
    indication = models.ForeignKey(
        Indication, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    reason_code = models.CharField(_("reden (code)"), max_length=2, blank=True)
    xml = models.TextField(_("bericht (XML)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("iWmo-bericht")
        verbose_name_plural = _("iWmo-berichten")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "direction", "message", "identification"],
                name="wmo_iwmo_message_identification_unique",
            ),
            models.CheckConstraint(
                condition=Q(message__regex=r"^WMO3[0-9]{2}$"), name="wmo_iwmo_message_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message} {self.identification}"
