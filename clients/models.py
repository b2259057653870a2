"""Who the client is, who works with them, and what they consented to share."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clients.constants import AssignmentRole, Gender
from olteams.constants import DataCategory
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
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="clients",
        verbose_name=_("gemeente"),
    )
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    gp_practice = models.CharField(_("huisartsenpraktijk"), max_length=200, blank=True)
    gp_name = models.CharField(_("huisarts"), max_length=200, blank=True)
    registering_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("registrerende organisatie"),
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["team", "last_name"], name="client_team_name"),
            models.Index(fields=["last_name", "date_of_birth"], name="client_name_dob"),
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
            # One casemanager and one regiebehandelaar at a time.
            models.UniqueConstraint(
                fields=["client", "role"],
                condition=Q(end_date__isnull=True, role__in=["casemanager", "regiebehandelaar"]),
                name="assignment_one_open_lead_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} — {self.get_role_display()}"


class Consent(models.Model):
    """The client's consent to share one category of data with a recipient, for a purpose."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    recipient_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ontvangende organisatie"),
    )
    recipient_role = models.CharField(
        _("ontvangende rol"), max_length=100, blank=True,
        help_text=_("Bijvoorbeeld 'welzijnswerker' of 'Wmo-consulent'."),
    )
    category = models.CharField(_("soort gegevens"), max_length=30, choices=DataCategory.choices)
    purpose = models.CharField(_("doel"), max_length=300)
    given_on = models.DateField(_("gegeven op"))
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
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
                condition=Q(recipient_organisation__isnull=False) | ~Q(recipient_role=""),
                name="consent_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.recipient_organisation or self.recipient_role}"
