"""I.ROC and HoNOS measurements, recovery phases and the one shared recovery plan."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Expression, F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from clients.models import Client
from herstelplan.constants import (
    HONOS_DEFAULT_THRESHOLDS,
    HONOS_NOT_KNOWN,
    HONOS_SUBSCALES,
    IROC_DEFAULT_INTERVAL_MONTHS,
    PORTAL_SIGN_IN_LABELS,
    SIGNAL_STAGE_PARTS,
    ActionPerformer,
    AgreementMethod,
    EvaluationOutcome,
    GoalStatus,
    HonosProblemType,
    HonosScore,
    IrocArea,
    PlanStatus,
    RecoveryPhaseNumber,
    SignalStage,
)
from olteams.models import Organisation, Team

HONOS_ITEM_FIELDS = tuple(f"item_{n}" for n in range(1, 13))


# --- I.ROC definitions (data, replaceable by an administrator) ---------------------------


class IrocIndicator(models.Model):
    """One of the 12 I.ROC indicators. Code refers to ``number`` only; wording is data."""

    number = models.PositiveSmallIntegerField(
        _("nummer"), primary_key=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    area = models.CharField(_("gebied"), max_length=20, choices=IrocArea.choices)
    label = models.CharField(_("naam"), max_length=100)
    question = models.TextField(_("vraag"))

    class Meta:
        verbose_name = _("I.ROC-indicator")
        verbose_name_plural = _("I.ROC-indicatoren")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=12), name="iroc_indicator_number_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"


class IrocAnswerLabel(models.Model):
    """The words for answer 1-6 (nooit … altijd)."""

    score = models.PositiveSmallIntegerField(_("score"), primary_key=True)
    label = models.CharField(_("omschrijving"), max_length=50)

    class Meta:
        verbose_name = _("I.ROC-antwoordlabel")
        verbose_name_plural = _("I.ROC-antwoordlabels")
        ordering = ["score"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=6), name="iroc_answer_label_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score} - {self.label}"


class TeamInstrumentSettings(models.Model):
    """Per-team settings of the measurement instruments (defaults from DOMAIN.md)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="instrument_settings")
    iroc_interval_months = models.PositiveSmallIntegerField(
        _("I.ROC elke … maanden"),
        default=IROC_DEFAULT_INTERVAL_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    honos_threshold_outpatient = models.PositiveSmallIntegerField(
        _("HoNOS-drempel ambulant - opname"), default=HONOS_DEFAULT_THRESHOLDS["outpatient"]
    )
    honos_threshold_residential = models.PositiveSmallIntegerField(
        _("HoNOS-drempel langdurig ambulant - beschermd wonen"),
        default=HONOS_DEFAULT_THRESHOLDS["residential"],
    )
    honos_threshold_admission = models.PositiveSmallIntegerField(
        _("HoNOS-drempel langdurig ambulant - opname"),
        default=HONOS_DEFAULT_THRESHOLDS["admission"],
    )
    honos_threshold_act = models.PositiveSmallIntegerField(
        _("HoNOS-drempel langdurig ambulant - ACT"), default=HONOS_DEFAULT_THRESHOLDS["act"]
    )

    class Meta:
        verbose_name = _("instellingen meetinstrumenten")
        verbose_name_plural = _("instellingen meetinstrumenten")
        constraints = [
            models.CheckConstraint(
                condition=Q(iroc_interval_months__gte=1, iroc_interval_months__lte=24),
                name="instrument_settings_iroc_interval_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.team)

    @property
    def honos_thresholds(self) -> dict[str, int]:
        return {
            "outpatient": self.honos_threshold_outpatient,
            "residential": self.honos_threshold_residential,
            "admission": self.honos_threshold_admission,
            "act": self.honos_threshold_act,
        }


# --- I.ROC assessments ------------------------------------------------------------------


class IrocAssessment(models.Model):
    """One I.ROC, filled in by the client together with a worker. Exactly 12 answers."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="iroc_assessments")
    date = models.DateField(_("datum"))
    filled_in_with = models.CharField(_("ingevuld met"), max_length=200)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("I.ROC")
        verbose_name_plural = _("I.ROC's")
        ordering = ["client", "-date", "-id"]
        indexes = [models.Index(fields=["client", "date"], name="iroc_client_date")]

    def __str__(self) -> str:
        return f"I.ROC {self.date:%Y-%m-%d}"

    def _scores(self) -> dict[int, int]:
        return {a.indicator_id: a.score for a in self.answers.all()}

    @property
    def total(self) -> int:
        return sum(self._scores().values())

    def area_totals(self, areas: dict[int, str]) -> dict[str, int]:
        """Subtotal per HOPE area; ``areas`` maps indicator number → area (from the data)."""
        totals = dict.fromkeys(IrocArea.values, 0)
        for number, score in self._scores().items():
            totals[areas[number]] += score
        return totals


class _IrocScore(models.Model):
    """One indicator's score (1 to 6) with its note: the worker's and the client's own alike."""

    indicator = models.ForeignKey(IrocIndicator, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.score}"


class IrocAnswer(_IrocScore):
    assessment = models.ForeignKey(IrocAssessment, on_delete=models.CASCADE, related_name="answers")

    class Meta:
        verbose_name = _("I.ROC-antwoord")
        verbose_name_plural = _("I.ROC-antwoorden")
        ordering = ["assessment", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="iroc_answer_one_per_indicator"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=6), name="iroc_answer_range"
            ),
        ]


class IrocSelfAssessment(models.Model):
    """The client's own I.ROC, filled in at home in the portal. Kept apart from the worker's
    ``IrocAssessment``: it never changes or replaces a measurement of the team."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="iroc_self_assessments"
    )
    date = models.DateField(_("datum"))
    created_at = models.DateTimeField(_("ingevuld op"))
    portal_account = models.ForeignKey(
        "clients.PortalAccount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("I.ROC van de cliënt zelf")
        verbose_name_plural = _("I.ROC's van de cliënt zelf")
        ordering = ["client", "-date", "-id"]
        indexes = [models.Index(fields=["client", "date"], name="iroc_self_client_date")]

    def __str__(self) -> str:
        return f"I.ROC zelf {self.date:%Y-%m-%d}"


class IrocSelfAnswer(_IrocScore):
    assessment = models.ForeignKey(
        IrocSelfAssessment, on_delete=models.CASCADE, related_name="answers"
    )

    class Meta:
        verbose_name = _("antwoord I.ROC van de cliënt zelf")
        verbose_name_plural = _("antwoorden I.ROC van de cliënt zelf")
        ordering = ["assessment", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="iroc_self_answer_one_per_indicator"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=6), name="iroc_self_answer_range"
            ),
        ]


# --- HoNOS ------------------------------------------------------------------------------


def _honos_item_field(number: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("item %(n)s") % {"n": number}, choices=HonosScore.choices
    )


def _valid(field: str) -> Case:
    return Case(When(**{f"{field}__lt": HONOS_NOT_KNOWN}, then=F(field)), default=Value(0))


def _counted(field: str) -> Case:
    return Case(When(**{f"{field}__lt": HONOS_NOT_KNOWN}, then=Value(1)), default=Value(0))


def _sum(parts: list[Case]) -> Expression:
    total: Expression = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


class HonosAssessment(models.Model):
    """A HoNOS rating (clinician-rated). 9 = not known and is left out of totals."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="honos_assessments")
    date = models.DateField(_("datum"))
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beoordelaar"),
    )
    item_1 = _honos_item_field(1)
    item_2 = _honos_item_field(2)
    item_3 = _honos_item_field(3)
    item_4 = _honos_item_field(4)
    item_5 = _honos_item_field(5)
    item_6 = _honos_item_field(6)
    item_7 = _honos_item_field(7)
    item_8 = _honos_item_field(8)
    item_9 = _honos_item_field(9)
    item_10 = _honos_item_field(10)
    item_11 = _honos_item_field(11)
    item_12 = _honos_item_field(12)
    item_8_problem_type = models.CharField(
        _("soort probleem bij item 8"), max_length=1, choices=HonosProblemType.choices, blank=True
    )
    notes = models.TextField(_("toelichting"), blank=True)
    # Stored by the database so team figures can aggregate without loading rows.
    total = models.GeneratedField(
        expression=_sum([_valid(f) for f in HONOS_ITEM_FIELDS]),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    valid_item_count = models.GeneratedField(
        expression=_sum([_counted(f) for f in HONOS_ITEM_FIELDS]),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("HoNOS")
        verbose_name_plural = _("HoNOS-metingen")
        ordering = ["client", "-date", "-id"]
        indexes = [models.Index(fields=["client", "date"], name="honos_client_date")]
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__in": list(HonosScore.values)}),
                    name=f"honos_{f}_valid_score",
                )
                for f in HONOS_ITEM_FIELDS
            ],
            models.CheckConstraint(
                condition=Q(item_8_problem_type="") | Q(item_8__in=[1, 2, 3, 4]),
                name="honos_problem_type_needs_item_8",
            ),
        ]

    def __str__(self) -> str:
        return f"HoNOS {self.date:%Y-%m-%d}"

    @property
    def scores(self) -> dict[int, int]:
        return {n: getattr(self, f"item_{n}") for n in range(1, 13)}

    @property
    def is_incomplete(self) -> bool:
        return self.valid_item_count < 12

    @property
    def subscales(self) -> dict[str, int]:
        scores = self.scores
        return {
            name: sum(scores[n] for n in items if scores[n] != HONOS_NOT_KNOWN)
            for name, items in HONOS_SUBSCALES.items()
        }


# --- Recovery phase ---------------------------------------------------------------------


class RecoveryPhase(models.Model):
    """One dated entry of the client's recovery phase history (phases are not linear)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="recovery_phases")
    phase = models.PositiveSmallIntegerField(_("fase"), choices=RecoveryPhaseNumber.choices)
    date = models.DateField(_("datum"))
    set_with = models.CharField(_("vastgesteld met"), max_length=200)
    note = models.TextField(_("toelichting"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("herstelfase")
        verbose_name_plural = _("herstelfasen")
        ordering = ["client", "-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(phase__gte=1, phase__lte=4), name="phase_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} ({self.date:%Y-%m-%d})"


# --- The Herstelplan --------------------------------------------------------------------


class Plan(models.Model):
    """One version of a client's Herstelplan. At most one active and one draft per client."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    review_date = models.DateField(_("evalueren op"), null=True, blank=True)
    who_i_am = models.TextField(_("wie ben ik"), blank=True)
    wishes = models.TextField(_("mijn wensen"), blank=True)
    dreams = models.TextField(_("mijn dromen"), blank=True)
    strengths = models.TextField(_("mijn sterke kanten"), blank=True)
    agreed_on = models.DateField(_("akkoord gegeven op"), null=True, blank=True)
    agreed_how = models.CharField(
        _("manier van akkoord"), max_length=10, choices=AgreementMethod.choices, blank=True
    )
    agreed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("akkoord vastgelegd door"),
    )
    # The client gave the agreement themselves in the portal (Mijn Optimaal Leven): when,
    # from which portal account and how they signed in. Then ``agreed_recorded_by`` is empty.
    agreed_in_portal_at = models.DateTimeField(
        _("akkoord gegeven in het portaal op"), null=True, blank=True
    )
    agreed_portal_account = models.ForeignKey(
        "clients.PortalAccount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    agreed_sign_in = models.CharField(_("aangemeld met"), max_length=20, blank=True)
    activated_on = models.DateField(_("actief gemaakt op"), null=True, blank=True)
    archived_on = models.DateField(_("gearchiveerd op"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Optimistic locking: every write compares and increments (see services.plan_update).
    lock_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("herstelplan")
        verbose_name_plural = _("herstelplannen")
        ordering = ["client", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="plan_unique_version"),
            models.UniqueConstraint(
                fields=["client"], condition=Q(status=PlanStatus.ACTIVE), name="plan_one_active"
            ),
            models.UniqueConstraint(
                fields=["client"], condition=Q(status=PlanStatus.DRAFT), name="plan_one_draft"
            ),
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.ACTIVE)
                | Q(agreed_on__isnull=False, valid_from__isnull=False),
                name="plan_active_is_agreed",
            ),
            models.CheckConstraint(
                condition=Q(agreed_on__isnull=True) | ~Q(agreed_how=""),
                name="plan_agreement_complete",
            ),
            models.CheckConstraint(
                condition=Q(review_date__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(review_date__gte=F("valid_from")),
                name="plan_review_after_start",
            ),
            models.CheckConstraint(
                condition=Q(agreed_in_portal_at__isnull=True)
                | Q(agreed_on__isnull=False, agreed_recorded_by__isnull=True),
                name="plan_portal_agreement_by_client",
            ),
        ]

    def __str__(self) -> str:
        return f"Herstelplan versie {self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def is_agreed(self) -> bool:
        return self.agreed_on is not None

    @property
    def agreed_in_portal(self) -> bool:
        """The client gave the agreement themselves in the portal (not recorded by staff)."""
        return self.agreed_in_portal_at is not None

    @property
    def agreed_in_portal_label(self) -> str:
        """Who and how, in words: "cliënt, via portaal (DigiD)"."""
        how = PORTAL_SIGN_IN_LABELS.get(self.agreed_sign_in, self.agreed_sign_in)
        return str(_("cliënt, via portaal (%(how)s)") % {"how": how})


class Goal(models.Model):
    """A goal in the client's own words, with the priority the client gives it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("doel (in de woorden van de cliënt)"))
    priority = models.PositiveSmallIntegerField(
        _("prioriteit"), default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    indicators = models.ManyToManyField(
        IrocIndicator, blank=True, related_name="goals", verbose_name=_("I.ROC-indicatoren")
    )
    evaluation_date = models.DateField(_("evalueren op"), null=True, blank=True)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["plan", "priority", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(priority__gte=1), name="goal_priority_positive"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class GoalAction(models.Model):
    """What is done for a goal, by whom and how often."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("wat"))
    performer = models.CharField(_("wie"), max_length=15, choices=ActionPerformer.choices)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("medewerker"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    performer_name = models.CharField(
        _("naam"), max_length=200, blank=True, help_text=_("Bijvoorbeeld de naam van de naaste.")
    )
    frequency = models.CharField(_("hoe vaak"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        ordering = ["goal", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(performer=ActionPerformer.WORKER) | Q(worker__isnull=False),
                name="goal_action_worker_named",
            ),
            models.CheckConstraint(
                condition=~Q(performer=ActionPerformer.ORGANISATION)
                | Q(organisation__isnull=False),
                name="goal_action_organisation_named",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class Evaluation(models.Model):
    """An evaluation of the plan as a whole (goal empty) or of one goal."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evaluations")
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="evaluations"
    )
    date = models.DateField(_("datum"))
    text = models.TextField(_("evaluatie"))
    outcome = models.CharField(
        _("besluit"),
        max_length=20,
        choices=EvaluationOutcome.choices,
        default=EvaluationOutcome.CONTINUE,
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["plan", "-date", "-id"]

    def __str__(self) -> str:
        return f"Evaluatie {self.date:%Y-%m-%d}"


class PlanChange(models.Model):
    """Append-only history of every change to a plan version: who, when, field, old, new."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    lock_version = models.PositiveIntegerField(
        help_text="The plan's lock_version after the change."
    )
    # Empty when the client changed the plan in the portal (``changed_by_label`` says so).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_by_label = models.CharField(max_length=200, blank=True)
    changed_at = models.DateTimeField()
    field = models.CharField(max_length=100)
    field_label = models.CharField(max_length=200)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)

    class Meta:
        verbose_name = _("wijziging herstelplan")
        verbose_name_plural = _("wijzigingen herstelplan")
        ordering = ["plan", "changed_at", "id"]
        indexes = [models.Index(fields=["plan", "lock_version"], name="plan_change_version")]

    def __str__(self) -> str:
        return f"{self.field_label} ({self.changed_at:%Y-%m-%d %H:%M})"

    @property
    def changed_by_name(self) -> str:
        if self.changed_by is None:
            return self.changed_by_label
        return self.changed_by.get_full_name() or self.changed_by.get_username()


class PlanComment(models.Model):
    """A remark of the client on a draft of their plan, written in the portal."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("opmerking"))
    written_at = models.DateTimeField(_("geschreven op"))
    # Written by the client in Mijn Optimaal Leven (the only source of comments for now).
    portal_account = models.ForeignKey(
        "clients.PortalAccount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sign_in = models.CharField(_("aangemeld met"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("opmerking bij het herstelplan")
        verbose_name_plural = _("opmerkingen bij het herstelplan")
        ordering = ["plan", "written_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="plan_comment_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


# --- The signaleringsplan (crisis plan) -------------------------------------------------


def _stage_text(label: StrOrPromise) -> models.TextField:
    return models.TextField(label, blank=True)


class SignalPlan(models.Model):
    """One version of a client's signaleringsplan: early warning signs per stage (groen,
    oranje, rood), what the client, a naaste and the team do in each stage, crisis contacts
    and agreements about an admission. Made with the client: a version is in force only once
    the client's agreement is recorded; older versions stay readable (archived)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="signal_plans")
    version = models.PositiveIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    green_signs = _stage_text(_("groen: zo gaat het goed met mij"))
    green_client = _stage_text(_("groen: wat ik zelf doe"))
    green_naaste = _stage_text(_("groen: wat mijn naaste doet"))
    green_team = _stage_text(_("groen: wat het team doet"))
    orange_signs = _stage_text(_("oranje: vroege signalen"))
    orange_client = _stage_text(_("oranje: wat ik zelf doe"))
    orange_naaste = _stage_text(_("oranje: wat mijn naaste doet"))
    orange_team = _stage_text(_("oranje: wat het team doet"))
    red_signs = _stage_text(_("rood: signalen van een crisis"))
    red_client = _stage_text(_("rood: wat ik zelf doe"))
    red_naaste = _stage_text(_("rood: wat mijn naaste doet"))
    red_team = _stage_text(_("rood: wat het team doet"))
    admission_wishes = _stage_text(_("mijn wensen bij een opname"))
    admission_must = _stage_text(_("wat moet gebeuren"))
    admission_must_not = _stage_text(_("wat niet mag gebeuren"))
    admission_care = _stage_text(_("wie zorgt voor kinderen, huisdieren en huis"))
    agreed_on = models.DateField(_("akkoord gegeven op"), null=True, blank=True)
    agreed_how = models.CharField(
        _("manier van akkoord"), max_length=10, choices=AgreementMethod.choices, blank=True
    )
    agreed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("akkoord vastgelegd door"),
    )
    archived_on = models.DateField(_("vervangen op"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Optimistic locking: a save based on an older lock_version is refused.
    lock_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("signaleringsplan")
        verbose_name_plural = _("signaleringsplannen")
        ordering = ["client", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "version"], name="signal_plan_unique_version"
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status=PlanStatus.ACTIVE),
                name="signal_plan_one_active",
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status=PlanStatus.DRAFT),
                name="signal_plan_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(status=PlanStatus.DRAFT)
                | Q(agreed_on__isnull=False, agreed_recorded_by__isnull=False) & ~Q(agreed_how=""),
                name="signal_plan_in_force_is_agreed",
            ),
        ]

    def __str__(self) -> str:
        return f"Signaleringsplan versie {self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    def stage(self, stage: str) -> dict[str, str]:
        """The texts of one stage: signs, client, naaste, team."""
        return {part: getattr(self, f"{stage}_{part}") for part in SIGNAL_STAGE_PARTS}

    @property
    def stage_rows(self) -> list[tuple[str, str, dict[str, str]]]:
        """(stage, its Dutch name, its texts) for each stage, groen to rood."""
        return [(s.value, str(s.label), self.stage(s.value)) for s in SignalStage]


class SignalPlanContact(models.Model):
    """Whom to call in a crisis: the crisis service, the GP, a naaste (name, role, phone)."""

    plan = models.ForeignKey(SignalPlan, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("naam"), max_length=200)
    role = models.CharField(
        _("rol"), max_length=100, blank=True, help_text=_("Bijvoorbeeld crisisdienst, huisarts.")
    )
    phone = models.CharField(_("telefoon"), max_length=30)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("crisiscontact")
        verbose_name_plural = _("crisiscontacten")
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.name
