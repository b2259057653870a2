"""The organisational backbone: users, organisations, teams, roles, notifications, audit."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from olteams.constants import (
    AuditAction,
    AuditEventType,
    AuditOutcome,
    Discipline,
    NotificationKind,
    OrganisationKind,
    TeamRole,
)


class User(AbstractUser):
    """A person who signs in. Roles come from memberships and role grants, not from flags,
    except the two organisation-wide ones below."""

    is_stuurgroep = models.BooleanField(_("lid stuurgroep"), default=False)
    is_functional_admin = models.BooleanField(_("functioneel beheerder"), default=False)
    # Reads the NEN 7513 access log (Toegangslog) and reviews emergency accesses.
    is_privacy_officer = models.BooleanField(_("privacyfunctionaris"), default=False)

    if TYPE_CHECKING:
        from django.db.models.fields.related_descriptors import RelatedManager
        from django_otp.plugins.otp_static.models import StaticDevice

        # Added by django_otp: ``OTPMiddleware`` sets ``is_verified`` on the request's user,
        # and ``StaticDevice.user`` gives the reverse accessor.
        def is_verified(self) -> bool: ...

        staticdevice_set: RelatedManager[StaticDevice]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    short_name = models.CharField(_("korte naam"), max_length=40, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=OrganisationKind.choices)
    agb_code = models.CharField(_("AGB-code"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name


class Municipality(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    cbs_code = models.CharField(
        _("CBS-code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("Een CBS-gemeentecode bestaat uit 4 cijfers."))],
    )

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="teams", verbose_name=_("gemeenten")
    )
    neighbourhoods = models.TextField(_("wijken"), blank=True, help_text=_("Eén wijk per regel."))
    address = models.CharField(_("adres"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # What clients read in the portal ("Mijn team"): when the team answers the phone, and
    # whom to call outside those hours (the partner organisation's crisis service).
    opening_hours = models.CharField(
        _("bereikbaar"),
        max_length=200,
        blank=True,
        db_default="",
        help_text=_("Voor cliënten, bijvoorbeeld: maandag tot en met vrijdag van 9 tot 17 uur."),
    )
    crisis_phone = models.CharField(
        _("crisislijn buiten kantoortijd"),
        max_length=20,
        blank=True,
        db_default="",
        help_text=_("Het nummer dat cliënten bellen als het team niet bereikbaar is."),
    )
    cost_centre = models.CharField(_("kostenplaats"), max_length=20, blank=True)
    started_on = models.DateField(_("gestart op"), null=True, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A worker's place in a team: from which mother organisation, in which discipline,
    with how much FTE, for which period."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("moederorganisatie"),
    )
    discipline = models.CharField(_("discipline"), max_length=40, choices=Discipline.choices)
    role = models.CharField(
        _("rol in het team"), max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER
    )
    fte = models.DecimalField(
        _("FTE"), max_digits=4, decimal_places=2, validators=[MinValueValidator(0)]
    )
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["team", "user"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gte=0) & Q(fte__lte=1.5), name="membership_fte_range"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_period_order",
            ),
        ]
        indexes = [models.Index(fields=["user", "valid_from"]), models.Index(fields=["team"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.team} ({self.get_discipline_display()})"


class MunicipalityRole(models.Model):
    """A Wmo consultant of a municipality; a lead also receives escalations."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="municipality_roles")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="consultant_roles"
    )
    is_lead = models.BooleanField(_("teamleider Wmo"), default=False)
    # The municipality's own functional administrator: manages its consultants, products,
    # arrangements and their tariffs (only of this municipality).
    is_admin = models.BooleanField(_("functioneel beheerder van de gemeente"), default=False)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("Wmo-consulent")
        verbose_name_plural = _("Wmo-consulenten")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "valid_from"], name="unique_municipality_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.municipality}"


class ControllerRole(models.Model):
    """A controller of one mother organisation, or of all (organisation empty)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="controller_roles")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="controller_roles",
        help_text=_("Leeg: controller voor alle organisaties."),
    )

    class Meta:
        verbose_name = _("controller")
        verbose_name_plural = _("controllers")

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation or _('alle organisaties')}"


class Notification(models.Model):
    """An in-app message; ``dedupe_key`` makes job-generated notices idempotent."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("bericht"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    # The client the notice is about: an id, not a foreign key (clients sits above olteams).
    # The list names the client only to a reader the access policy lets see the client.
    client_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_unique_dedupe_key",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class EmergencyAccess(models.Model):
    """Break-the-glass: a care worker's time-limited right to view (never change) the file
    of a client outside their teams, with a mandatory reason that the privacy officer
    reviews. ``client_id`` is an id, not a foreign key (clients sits above olteams)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="emergency_accesses")
    client_id = models.BigIntegerField(_("cliënt"))
    reason = models.TextField(_("reden"))
    started_at = models.DateTimeField(_("gestart"), default=timezone.now)
    expires_at = models.DateTimeField(_("verloopt"))
    ended_at = models.DateTimeField(_("beëindigd"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("beoordeeld"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("notitie bij beoordeling"), blank=True)

    class Meta:
        verbose_name = _("noodtoegang")
        verbose_name_plural = _("noodtoegangen")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["user", "expires_at"], name="emergency_user_expires"),
            models.Index(fields=["client_id", "-started_at"], name="emergency_client_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("started_at")),
                name="emergency_expires_after_start",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="emergency_reason_required"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — cliënt {self.client_id} ({self.started_at:%Y-%m-%d %H:%M})"

    def is_active(self, now: dt.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.ended_at is None and self.expires_at > moment


class AuditEvent(models.Model):
    """NEN 7513 event. Append-only: a database trigger refuses UPDATE and DELETE."""

    id = models.BigAutoField(primary_key=True)
    # Set by the database (trigger olteams_auditevent_chain): the app cannot back-date.
    occurred_at = models.DateTimeField(_("tijdstip"), db_index=True, db_default=Now())
    action = models.CharField(_("actie"), max_length=1, choices=AuditAction.choices)
    event_type = models.CharField(_("soort"), max_length=20, choices=AuditEventType.choices)
    outcome = models.CharField(
        _("uitkomst"), max_length=10, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS
    )
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("gebruiker"), max_length=150)
    responsible_user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("rol"), max_length=40, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ip_address = models.GenericIPAddressField(_("toegangspunt (IP)"), null=True, blank=True)
    client_id = models.BigIntegerField(_("cliënt"), null=True, blank=True)
    object_type = models.CharField(_("object"), max_length=100, blank=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    grounds = models.CharField(_("grondslag"), max_length=200, blank=True)
    request_id = models.UUIDField(default=uuid.uuid4)
    path = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    # The worker's mother organisation at the time (of the grant's team membership).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A search or list export: the clients it showed (GIN-indexed, so "who saw client X in
    # a list?" is one indexed query together with ``client_id``). None: not a list event.
    client_ids = ArrayField(models.BigIntegerField(), null=True, blank=True)
    # The emergency access (break-the-glass) this event happened under, if any.
    emergency_access = models.ForeignKey(
        EmergencyAccess, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The hash chain, filled by the database: event ``seq`` carries sha256 of the previous
    # event's hash and its own fields (olteams_audit_digest); audit_verify recomputes it.
    seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditlog")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["client_id", "-occurred_at"], name="audit_client_time"),
            models.Index(fields=["user", "-occurred_at"], name="audit_user_time"),
            GinIndex(fields=["client_ids"], name="audit_client_ids"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.username} {self.action}"


class ApiToken(models.Model):
    """A personal API token: made in a session with a passed second factor, scoped (read or
    read-write), expiring, listed and revocable. Only a hash of the key is stored."""

    class Scope(models.TextChoices):
        READ = "lezen", _("Alleen lezen")
        WRITE = "schrijven", _("Lezen en schrijven")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("bereik"), max_length=10, choices=Scope.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt"))
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class NotificationEmailPreference(models.Model):
    """Whether (and how often) a user hears by e-mail that there are new notifications. The
    e-mail itself only says that there is something to see: never a client or a note."""

    class Mode(models.TextChoices):
        OFF = "uit", _("Uit")
        DIRECT = "direct", _("Direct bij elke nieuwe melding")
        DAILY = "dagelijks", _("Eén keer per dag een overzicht")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notification_email")
    mode = models.CharField(
        _("meldingen per e-mail"), max_length=10, choices=Mode.choices, default=Mode.OFF
    )
    # Notifications created up to this moment have been mailed about (or predate opting in).
    mailed_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("e-mailvoorkeur voor meldingen")
        verbose_name_plural = _("e-mailvoorkeuren voor meldingen")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_mode_display()}"
