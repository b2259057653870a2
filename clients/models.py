"""Who the client is, who works with them, and what they consented to share."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from clients.constants import (
    AssignmentRole,
    DecisionKind,
    DisputedPart,
    ExternalPartyKind,
    FiledVia,
    FundingStream,
    Gender,
    ImportStatus,
    NaasteRole,
    OutflowReason,
    Phase,
    PrivacyDecision,
    PrivacyRequestKind,
    PrivacyRequestStatus,
    ReferralSource,
    ReferralStatus,
    ShareScope,
    Urgency,
)
from olteams.constants import ConsentPurpose, DataCategory
from olteams.models import Municipality, Organisation, Team


class Client(models.Model):
    """A person in the care of one team. BSN is optional, unique when present, never a key."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="clients")
    bsn = models.CharField(_("BSN"), max_length=9, null=True, blank=True, unique=True)
    initials = models.CharField(_("voorletters"), max_length=20, blank=True)
    first_name = models.CharField(_("roepnaam"), max_length=100)
    name_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    gender = models.CharField(_("geslacht"), max_length=1, choices=Gender.choices, blank=True)
    address = models.CharField(_("adres"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("woonplaats"), max_length=100, blank=True)
    neighbourhood = models.CharField(_("wijk"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("gemeente"),
    )
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    gp_practice = models.CharField(_("huisartsenpraktijk"), max_length=200, blank=True)
    gp_name = models.CharField(_("huisarts"), max_length=200, blank=True)
    registering_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerende organisatie"),
    )
    # The health insurer (zorgverzekeraar) that pays the client's Zvw treatment.
    insurer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "zorgverzekeraar"},
        verbose_name=_("zorgverzekeraar"),
        help_text=_("Betaalt de behandeling (Zvw)."),
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    # Set when the medical file's retention term passed and a functional administrator
    # confirmed the anonymisation (olteams.retention): the row stays for the statistics.
    anonymised_on = models.DateField(_("geanonimiseerd op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["team", "last_name"], name="client_team_name"),
            models.Index(fields=["last_name", "date_of_birth"], name="client_name_dob"),
            # The duplicate check (clients.services.identity): last_name__iexact is
            # UPPER(last_name) = UPPER(%s), which the plain name index cannot serve.
            models.Index(Upper("last_name"), F("date_of_birth"), name="client_upper_name_dob"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(bsn__isnull=True) | Q(bsn__regex=r"^\d{9}$"),
                name="client_bsn_nine_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.name_prefix, self.last_name) if p)

    @property
    def masked_bsn(self) -> str:
        return f"*****{self.bsn[-4:]}" if self.bsn else ""


class Assignment(models.Model):
    """A worker's role in a client's care team, for a period."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="assignments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("rol"), max_length=30, choices=AssignmentRole.choices)
    start_date = models.DateField(_("vanaf"))
    end_date = models.DateField(_("tot en met"), null=True, blank=True)
    # A worker of another team, added by the team lead: why (shown with the care team).
    cross_team_reason = models.CharField(
        _("reden (ander team)"), max_length=300, blank=True, db_default=""
    )

    class Meta:
        verbose_name = _("zorgteamlid")
        verbose_name_plural = _("zorgteam")
        ordering = ["client", "role", "start_date"]
        indexes = [models.Index(fields=["worker", "end_date"], name="assignment_worker_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="assignment_period_order",
            ),
            # One casemanager, one regiebehandelaar and one casusregisseur at a time.
            models.UniqueConstraint(
                fields=["client", "role"],
                condition=Q(
                    end_date__isnull=True,
                    role__in=["casemanager", "regiebehandelaar", "casusregisseur"],
                ),
                name="assignment_one_open_lead_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} — {self.get_role_display()}"


class Consent(models.Model):
    """The client's consent to share one category of data with a recipient, for a purpose."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    recipient_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ontvangende organisatie"),
    )
    recipient_role = models.CharField(
        _("ontvangende rol"),
        max_length=100,
        blank=True,
        help_text=_("Bijvoorbeeld 'welzijnswerker' of 'Wmo-consulent'."),
    )
    # The municipality as recipient (the Wmo request's goals and ZRM go to its consultants).
    recipient_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ontvangende gemeente"),
    )
    category = models.CharField(_("soort gegevens"), max_length=30, choices=DataCategory.choices)
    # Only consent whose purpose matches the use counts (olteams.access).
    purpose_kind = models.CharField(
        _("doel"), max_length=20, choices=ConsentPurpose.choices, default=ConsentPurpose.CARE
    )
    purpose = models.CharField(_("toelichting op het doel"), max_length=300)
    given_on = models.DateField(_("gegeven op"))
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["client", "-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_period_order",
            ),
            models.CheckConstraint(
                condition=Q(recipient_organisation__isnull=False)
                | Q(recipient_municipality__isnull=False)
                | ~Q(recipient_role=""),
                name="consent_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_category_display()} → "
            f"{self.recipient_organisation or self.recipient_municipality or self.recipient_role}"
        )


class Referral(models.Model):
    """An aanmelding: who referred whom, with which question; the team lead decides."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="referrals")
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("cliënt"),
    )
    person_name = models.CharField(
        _("naam aangemelde"),
        max_length=200,
        help_text=_("Zoals de verwijzer de persoon noemt; de cliënt wordt later geregistreerd."),
    )
    referred_on = models.DateField(_("datum aanmelding"))
    source = models.CharField(_("verwijzer (soort)"), max_length=30, choices=ReferralSource.choices)
    referrer_name = models.CharField(_("naam verwijzer"), max_length=200, blank=True)
    referrer_organisation = models.CharField(_("organisatie verwijzer"), max_length=200, blank=True)
    question = models.TextField(_("hulpvraag in eigen woorden"))
    urgency = models.CharField(
        _("urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.NEW
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["-referred_on", "-id"]
        indexes = [
            models.Index(fields=["team", "status", "referred_on"], name="referral_team_status")
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.referred_on:%d-%m-%Y})"


class ReferralDecision(models.Model):
    """One decision on a referral; every decision is kept, the newest one counts."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("besluit"), max_length=20, choices=DecisionKind.choices)
    destination = models.CharField(_("doorverwezen naar"), max_length=200, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("besloten op"))

    class Meta:
        verbose_name = _("besluit over aanmelding")
        verbose_name_plural = _("besluiten over aanmeldingen")
        ordering = ["referral", "decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=DecisionKind.REDIRECT) | ~Q(destination=""),
                name="decision_redirect_has_destination",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class CareEpisode(models.Model):
    """One period of care, from referral to outflow. A client has at most one open episode."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="episodes")
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="episodes"
    )
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices)
    started_on = models.DateField(_("begonnen op"))
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)
    outflow_reason = models.CharField(
        _("reden uitstroom"), max_length=30, choices=OutflowReason.choices, blank=True
    )
    outflow_destination = models.CharField(_("uitgestroomd naar"), max_length=200, blank=True)
    reopened_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reentries",
        verbose_name=_("heropend na"),
    )
    plan_review_required = models.BooleanField(
        _("herstelplan opnieuw bespreken"),
        default=False,
        help_text=_("Na heraanmelding: bestaand plan en verhaal herzien, geen nieuwe intake."),
    )
    voorzorg_contact_on = models.DateField(
        _("eerste contact vóór de intake"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("zorgperiode")
        verbose_name_plural = _("zorgperiodes")
        ordering = ["client", "-started_on", "-id"]
        indexes = [models.Index(fields=["phase", "started_on"], name="episode_phase_start")]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(ended_on__isnull=True),
                name="episode_one_open_per_client",
            ),
            models.CheckConstraint(
                condition=(
                    Q(phase=Phase.OUTFLOW) & Q(ended_on__isnull=False) & ~Q(outflow_reason="")
                )
                | (~Q(phase=Phase.OUTFLOW) & Q(ended_on__isnull=True)),
                name="episode_outflow_complete",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="episode_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} sinds {self.started_on:%d-%m-%Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class PhaseTransition(models.Model):
    """The dated history of an episode's phases (from is blank for the first phase)."""

    episode = models.ForeignKey(CareEpisode, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(_("van"), max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("naar"), max_length=20, choices=Phase.choices)
    on = models.DateField(_("op"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("faseovergang")
        verbose_name_plural = _("faseovergangen")
        ordering = ["episode", "on", "id"]
        indexes = [models.Index(fields=["to_phase", "episode"], name="transition_to_phase")]

    def __str__(self) -> str:
        return f"{self.from_phase or '—'} → {self.to_phase} ({self.on:%d-%m-%Y})"


class Intake(models.Model):
    """The one intake of an episode: planned, letter sent, completed with its outcome."""

    episode = models.OneToOneField(CareEpisode, on_delete=models.CASCADE, related_name="intake")
    planned_on = models.DateField(_("datum"))
    planned_time = models.TimeField(_("tijd"))
    location = models.CharField(_("locatie"), max_length=200)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="intakes", verbose_name=_("medewerkers")
    )
    naaste_invited = models.BooleanField(_("naaste uitgenodigd"), default=False)
    letter_generated_at = models.DateTimeField(_("uitnodiging gemaakt op"), null=True, blank=True)
    outcome_notes = models.TextField(_("verslag"), blank=True)
    naaste_present = models.BooleanField(_("naaste aanwezig"), default=False)
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["planned_on", "planned_time"]

    def __str__(self) -> str:
        return f"Intake {self.planned_on:%d-%m-%Y} {self.planned_time:%H:%M}"


class InvolvedOrganisation(models.Model):
    """An organisation involved in the client's care (shared caseload), with its funding."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="involved_organisations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisatie")
    )
    start_date = models.DateField(_("vanaf"))
    end_date = models.DateField(_("tot en met"), null=True, blank=True)
    funding_stream = models.CharField(
        _("financiering"), max_length=10, choices=FundingStream.choices, default=FundingStream.NONE
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("betrokken organisatie")
        verbose_name_plural = _("betrokken organisaties")
        ordering = ["client", "start_date", "id"]
        indexes = [
            models.Index(
                fields=["client", "end_date", "funding_stream"], name="involved_open_funding"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="involved_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_funding_stream_display()})"


class ExternalParty(models.Model):
    """Anyone beyond the partner organisations who takes part in the client's care: a
    day-care provider, a peer group, a sports club, volunteers, the partner as mantelzorger.
    No ``Organisation`` row: these parties have no account and are not in the accounts."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="external_parties")
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=ExternalPartyKind.choices)
    contact_name = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("adres"), max_length=200, blank=True)
    activity = models.CharField(
        _("wat doen zij"),
        max_length=300,
        help_text=_(
            "Bijvoorbeeld 'dagbesteding vijf ochtenden per week in een prikkelarme groep'."
        ),
    )
    start_date = models.DateField(_("vanaf"))
    end_date = models.DateField(_("tot en met"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("betrokken partij")
        verbose_name_plural = _("betrokken partijen")
        ordering = ["client", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="external_party_period_order",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="external_party_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Naaste(models.Model):
    """Next of kin or informal carer, with what the client allows to be shared with them."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="naasten")
    name = models.CharField(_("naam"), max_length=200)
    relation = models.CharField(
        _("relatie tot de cliënt"),
        max_length=100,
        help_text=_("Bijvoorbeeld moeder, partner, buurman."),
    )
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("rol"), max_length=30, choices=NaasteRole.choices)
    invited_to_intake = models.BooleanField(_("uitgenodigd voor de intake"), default=False)
    present_at_intake = models.BooleanField(_("aanwezig bij de intake"), default=False)
    share_scope = models.CharField(
        _("wat mag gedeeld worden"),
        max_length=20,
        choices=ShareScope.choices,
        default=ShareScope.NOTHING,
    )
    share_note = models.CharField(_("toelichting delen"), max_length=300, blank=True)
    zag_due_on = models.DateField(
        _("volgend ZAG-gesprek uiterlijk"),
        null=True,
        blank=True,
        help_text=_("Het jaarlijkse zorgafstemmingsgesprek met de naaste."),
    )
    ended_on = models.DateField(_("niet meer betrokken sinds"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("naaste")
        verbose_name_plural = _("naasten")
        ordering = ["client", "name", "id"]
        indexes = [models.Index(fields=["zag_due_on"], name="naaste_zag_due")]
        constraints = [
            models.CheckConstraint(condition=~Q(relation=""), name="naaste_has_relation"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class ClientMerge(models.Model):
    """Trace of a merge: which record survived, which was merged into it, and what moved."""

    survivor = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="merges_received")
    merged = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="merges_given")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField()
    moved = models.JSONField(_("verplaatst"), default=dict)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("samenvoeging")
        verbose_name_plural = _("samenvoegingen")
        ordering = ["-merged_at"]
        constraints = [
            models.UniqueConstraint(fields=["merged"], name="merge_once"),
            models.CheckConstraint(condition=~Q(survivor=F("merged")), name="merge_distinct"),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"


class ImportJob(models.Model):
    """One upload of a client-tracking spreadsheet: dry run or real import, with progress."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("bestand"), max_length=200)
    content = models.BinaryField()
    dry_run = models.BooleanField(_("proefimport"), default=True)
    skip_invalid = models.BooleanField(_("ongeldige rijen overslaan"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=list)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The outbox (olteams.outbox): when the message was last sent, how often, last progress.
    queued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    progress_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class PrivacyRequest(models.Model):
    """A client's request under the AVG: inzage (art. 15), correction or addition (art. 16),
    removal (art. 17) or objection to a use (art. 21). Answered within one month of receipt
    (art. 12(3)): ``due_on``; extendable by at most two months with a reason the client is
    told: ``extended_until``. Written only by ``clients.services.privacy_requests``."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="privacy_requests", verbose_name=_("cliënt")
    )
    kind = models.CharField(_("soort verzoek"), max_length=20, choices=PrivacyRequestKind.choices)
    description = models.TextField(
        _("verzoek"), help_text=_("Welke gegevens, welke wijziging: in de woorden van de cliënt.")
    )
    disputed_part = models.CharField(_("betreft"), max_length=20, choices=DisputedPart.choices)
    disputed_other = models.CharField(_("betreft (anders)"), max_length=200, blank=True)
    received_on = models.DateField(_("ontvangen op"))
    filed_via = models.CharField(_("ingediend"), max_length=20, choices=FiledVia.choices)
    # The portal files without a staff user: then only the label says who filed it.
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geregistreerd door"),
    )
    filed_by_label = models.CharField(
        _("geregistreerd door (omschrijving)"), max_length=200, blank=True
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(_("wettelijke termijn"))
    extended_until = models.DateField(_("verlengd tot"), null=True, blank=True)
    extension_reason = models.TextField(_("reden van verlenging"), blank=True)
    extension_told_on = models.DateField(_("cliënt geïnformeerd op"), null=True, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PrivacyRequestStatus.choices,
        default=PrivacyRequestStatus.OPEN,
    )
    decision = models.CharField(
        _("beslissing"), max_length=20, choices=PrivacyDecision.choices, blank=True
    )
    decision_reason = models.TextField(_("motivering"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by_label = models.CharField(max_length=200, blank=True)
    withdrawal_note = models.TextField(_("toelichting intrekking"), blank=True)

    class Meta:
        verbose_name = _("privacyverzoek")
        verbose_name_plural = _("privacyverzoeken")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(description=""), name="privacy_request_has_description"
            ),
            models.CheckConstraint(
                condition=~Q(disputed_part=DisputedPart.OTHER) | ~Q(disputed_other=""),
                name="privacy_request_other_part_named",
            ),
            models.CheckConstraint(
                condition=Q(filed_by__isnull=False) | ~Q(filed_by_label=""),
                name="privacy_request_filed_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gt=F("received_on")), name="privacy_request_due_after_receipt"
            ),
            # An extension: later than the term, at most two months (62 days) beyond it, with
            # a reason and the day the client was told.
            models.CheckConstraint(
                condition=Q(extended_until__isnull=True, extension_reason="")
                | (
                    Q(
                        extended_until__gt=F("due_on"),
                        extended_until__lte=F("due_on") + dt.timedelta(days=62),
                        extension_told_on__isnull=False,
                    )
                    & ~Q(extension_reason="")
                ),
                name="privacy_request_extension_valid",
            ),
            # A decision has its kind, its reason, who and when; only a decided request has one.
            models.CheckConstraint(
                condition=(
                    Q(
                        status=PrivacyRequestStatus.DECIDED,
                        decision__in=PrivacyDecision.values,
                        decided_at__isnull=False,
                    )
                    & ~Q(decision_reason="")
                )
                | (
                    ~Q(status=PrivacyRequestStatus.DECIDED)
                    & Q(decision="", decided_at__isnull=True)
                ),
                name="privacy_request_decision_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=PrivacyRequestStatus.WITHDRAWN, withdrawn_at__isnull=False)
                | (~Q(status=PrivacyRequestStatus.WITHDRAWN) & Q(withdrawn_at__isnull=True)),
                name="privacy_request_withdrawal_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.received_on:%d-%m-%Y}"

    @property
    def deadline(self) -> dt.date:
        """The day by which the decision is due: the extended term, else the statutory one."""
        return self.extended_until or self.due_on

    @property
    def part_label(self) -> str:
        if self.disputed_part == DisputedPart.OTHER:
            return self.disputed_other
        return str(self.get_disputed_part_display())


# The portal's accounts and the naaste's grants live in their own module; importing them
# here registers them in the app.
from clients.models_portal import NaasteGrant, PortalAccount, PortalSignInFailure  # noqa: E402

__all__ = [
    "Assignment",
    "CareEpisode",
    "Client",
    "ClientMerge",
    "Consent",
    "ExternalParty",
    "ImportJob",
    "Intake",
    "InvolvedOrganisation",
    "Naaste",
    "NaasteGrant",
    "PhaseTransition",
    "PortalAccount",
    "PortalSignInFailure",
    "PrivacyRequest",
    "Referral",
    "ReferralDecision",
]
