"""Wmo indication requests, decisions (beschikkingen) and indications (toewijzingen).

The field names ``client``, ``municipality`` and ``status`` of ``IndicationRequest`` and of
``Melding`` are part of the access policy's contract (``olteams.access``): consultants see
clients with a request to their municipality in one of ``WMO_VISIBLE_STATUSES``, and the
residents of a melding at their municipality's Wmo desk (``MELDING_VISIBLE_STATUSES``).
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

from clients.models import Client, Naaste
from herstelplan.models import Goal
from olteams.models import Municipality, Organisation, Team
from wmo.constants import (
    INTAKE_WORKING_DAYS,
    KINDS_NEEDING_REASON,
    OPEN_STATUSES,
    PENDING_STATUSES,
    STATUTORY_DECISION_DAYS,
    STATUTORY_ONDERZOEK_DAYS,
    WMO_DECISION_DAYS,
    DecisionKind,
    DecisionSource,
    Frequency,
    GoalResult,
    MeldingStatus,
    MessageDirection,
    RequestStatus,
    ResultArea,
    Satisfaction,
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


# --- the municipal route ------------------------------------------------------------------


class MunicipalRouteSettings(models.Model):
    """A municipality's terms for the route that starts at its Wmo desk."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="wmo_route_settings",
        verbose_name=_("gemeente"),
    )
    intake_working_days = models.PositiveSmallIntegerField(
        _("intake binnen (werkdagen)"),
        default=INTAKE_WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Binnen hoeveel werkdagen na de toewijzing het team de intake doet."),
    )

    class Meta:
        verbose_name = _("termijnen gemeentelijke route")
        verbose_name_plural = _("termijnen gemeentelijke route")

    def __str__(self) -> str:
        return str(self.municipality)


class Melding(models.Model):
    """A resident's notice at the municipality's Wmo desk (the Voorschoten route): the
    consultant's onderzoek (keukentafelgesprek), the ZRM, the support goals in the resident's
    words (the ondersteuningsplan, the "what") and the beschikking with an arrangement; then
    the team's intake and casusregisseur.

    At the decision the product records the aanvraag as an ``IndicationRequest`` (``request``)
    so the decision, the indication, the letter and the iWmo messages are those of the
    team's route."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="wmo_meldingen")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="wmo_meldingen",
        verbose_name=_("gemeente"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="wmo_meldingen", verbose_name=_("team")
    )
    # A consortium: the organisations of the team the decision is sent to (none: the team).
    providers = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name=_("samenwerkende aanbieders"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeldingStatus.choices, default=MeldingStatus.GEMELD
    )
    reported_on = models.DateField(_("datum melding"))
    reporter = models.CharField(
        _("gemeld door"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld de inwoner zelf, de partner of de huisarts."),
    )
    question = models.TextField(_("hulpvraag in eigen woorden"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geregistreerd door"),
    )
    # The onderzoek (keukentafelgesprek); its date is the aanvraag of the statutory route.
    conversation_on = models.DateField(_("datum gesprek"), null=True, blank=True)
    conversation_present = models.CharField(
        _("aanwezig bij het gesprek"), max_length=300, blank=True
    )
    naaste = models.ForeignKey(
        Naaste,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("naaste bij het gesprek"),
    )
    conversation_summary = models.TextField(_("verslag van het gesprek"), blank=True)
    review_on = models.DateField(_("evaluatie gepland op"), null=True, blank=True)
    request = models.OneToOneField(
        IndicationRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="melding",
        verbose_name=_("aanvraag"),
    )
    intake_due_on = models.DateField(_("intake uiterlijk"), null=True, blank=True)
    intake_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisatie van de intake"),
    )
    accepted_at = models.DateTimeField(_("opgepakt door het team op"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opgepakt door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Wmo-melding")
        verbose_name_plural = _("Wmo-meldingen")
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["municipality", "status"], name="wmo_melding_municipality"),
            models.Index(fields=["client", "status"], name="wmo_melding_client"),
            models.Index(fields=["team", "status"], name="wmo_melding_team"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(conversation_on__isnull=True)
                | Q(conversation_on__gte=F("reported_on")),
                name="wmo_melding_conversation_after_report",
            ),
            models.CheckConstraint(
                condition=~Q(status=MeldingStatus.BESLOTEN) | Q(request__isnull=False),
                name="wmo_melding_decided_has_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Melding')} {self.reported_on:%d-%m-%Y}"

    @property
    def onderzoek_deadline(self) -> dt.date:
        """Wmo 2015 art. 2.3.2: the onderzoek within six weeks of the melding."""
        return self.reported_on + dt.timedelta(days=STATUTORY_ONDERZOEK_DAYS)

    @property
    def decision_deadline(self) -> dt.date | None:
        """Wmo 2015 art. 2.3.5: the beschikking within two weeks of the aanvraag."""
        if self.conversation_on is None:
            return None
        return self.conversation_on + dt.timedelta(days=STATUTORY_DECISION_DAYS)


class MeldingZrmScore(models.Model):
    """The consultant's ZRM score (1-5) per domain at the onderzoek."""

    melding = models.ForeignKey(Melding, on_delete=models.CASCADE, related_name="zrm_scores")
    domain = models.CharField(_("domein"), max_length=40, choices=ZrmDomain.choices)
    score = models.PositiveSmallIntegerField(
        _("score"),
        choices=ZrmScore.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    class Meta:
        verbose_name = _("ZRM-score bij de melding")
        verbose_name_plural = _("ZRM-scores bij de melding")
        ordering = ["melding", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["melding", "domain"], name="wmo_melding_zrm_one_per_domain"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="wmo_melding_zrm_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.score}"


class SupportGoal(models.Model):
    """A support goal of the municipality's ondersteuningsplan, in the resident's words."""

    melding = models.ForeignKey(Melding, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("doel (in de woorden van de inwoner)"))
    priority = models.PositiveSmallIntegerField(_("prioriteit"), default=1)
    plan_goals = models.ManyToManyField(
        Goal,
        through="PlanGoalLink",
        related_name="+",
        verbose_name=_("doelen in het herstelplan"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ondersteuningsdoel")
        verbose_name_plural = _("ondersteuningsdoelen")
        ordering = ["melding", "priority", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="wmo_support_goal_text")]

    def __str__(self) -> str:
        return self.text[:80]


class PlanGoalLink(models.Model):
    """A Herstelplan goal (the "how") written against a municipal support goal (the "what")."""

    support_goal = models.ForeignKey(
        SupportGoal, on_delete=models.CASCADE, related_name="plan_links"
    )
    plan_goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="wmo_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("koppeling plandoel en ondersteuningsdoel")
        verbose_name_plural = _("koppelingen plandoel en ondersteuningsdoel")
        ordering = ["support_goal", "plan_goal"]
        constraints = [
            models.UniqueConstraint(
                fields=["support_goal", "plan_goal"], name="wmo_plan_goal_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_goal_id} → {self.support_goal_id}"


class GoalReview(models.Model):
    """An evaluation of the municipal goals by the casusregisseur with the client: per goal
    behaald / deels / niet behaald, and the client's satisfaction. No clinical content: this
    is the account to the municipality."""

    melding = models.ForeignKey(Melding, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("datum evaluatie"))
    satisfaction = models.PositiveSmallIntegerField(
        _("tevredenheid van de cliënt"),
        choices=Satisfaction.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfaction_comment = models.CharField(
        _("toelichting tevredenheid"), max_length=300, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluatie van de ondersteuningsdoelen")
        verbose_name_plural = _("evaluaties van de ondersteuningsdoelen")
        ordering = ["melding", "-reviewed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["melding", "reviewed_on"], name="wmo_review_one_a_day"),
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1) & Q(satisfaction__lte=5),
                name="wmo_review_satisfaction_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Evaluatie')} {self.reviewed_on:%d-%m-%Y}"


class GoalAttainment(models.Model):
    """How far one support goal was reached at a review."""

    review = models.ForeignKey(GoalReview, on_delete=models.CASCADE, related_name="attainments")
    goal = models.ForeignKey(SupportGoal, on_delete=models.PROTECT, related_name="attainments")
    result = models.CharField(_("resultaat"), max_length=10, choices=GoalResult.choices)
    reason = models.CharField(_("korte toelichting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("doelrealisatie")
        verbose_name_plural = _("doelrealisatie")
        ordering = ["review", "goal__priority", "goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="wmo_attainment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.get_result_display()}"
