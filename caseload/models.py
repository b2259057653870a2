"""The team's daily work: contacts, non-client time, intensity changes, crises, consultations,
and the documents in the client file.

Every row that costs time carries the worker's organisation and discipline as they were on the
day (a snapshot), so the monthly accounts can split hours by organisation and discipline
without re-deriving memberships that may since have changed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from caseload.constants import (
    CLINICAL_DOCUMENT_CATEGORIES,
    MAX_MINUTES,
    ConsultationRequester,
    ContactFunding,
    ContactKind,
    CrisisSetting,
    DocumentCategory,
    IntensityLevel,
    MdoStatus,
    NonClientCode,
    NonClientTarget,
    TaskSource,
)
from clients.models import Client
from herstelplan.models import Goal
from olteams.constants import DataCategory, Discipline
from olteams.models import Organisation, Team


def _minutes_in_range(field: str, *, minimum: int = 1) -> Q:
    return Q(**{f"{field}__gte": minimum, f"{field}__lte": MAX_MINUTES})


class Contact(models.Model):
    """One contact with (or about) a client, by one or more workers of the team."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="contacts")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="contacts")
    starts_at = models.DateTimeField(_("datum en tijd"))
    date = models.DateField(_("datum"))  # local date of starts_at; what months are cut on
    duration_minutes = models.PositiveIntegerField(_("duur (minuten)"))
    travel_minutes = models.PositiveIntegerField(_("reistijd (minuten)"), default=0)
    kind = models.CharField(_("soort contact"), max_length=20, choices=ContactKind.choices)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ContactWorker",
        related_name="contacts",
        verbose_name=_("aanwezige medewerkers"),
    )
    naaste_present = models.BooleanField(_("naaste aanwezig"), default=False)
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="contacts", verbose_name=_("doelen uit het herstelplan")
    )
    note = models.TextField(_("verslag"), blank=True)
    # Which consent category the report falls under (from the author's organisation):
    # staff outside the treating organisations read it only under the consent rules.
    note_category = models.CharField(
        _("soort verslag"), max_length=30, choices=DataCategory.choices
    )
    funding_stream = models.CharField(
        _("financiering"), max_length=20, choices=ContactFunding.choices, blank=True
    )
    funding_proposed = models.CharField(
        _("voorgestelde financiering"), max_length=20, choices=ContactFunding.choices, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts_written"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacten")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["client", "-starts_at"], name="contact_client_time"),
            models.Index(fields=["team", "date"], name="contact_team_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_minutes_in_range("duration_minutes"), name="contact_duration_range"
            ),
            models.CheckConstraint(
                condition=Q(travel_minutes__lte=MAX_MINUTES), name="contact_travel_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y} ({self.duration_minutes} min)"

    @property
    def is_unpaid(self) -> bool:
        return self.funding_stream in (
            ContactFunding.LIJNTJE_HOUDEN,
            ContactFunding.VOORZORG,
            ContactFunding.NAZORG,
        )


class ContactWorker(models.Model):
    """A worker present at a contact, with organisation and discipline as on the day."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="presences")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contact_presences"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    discipline = models.CharField(_("discipline"), max_length=40, choices=Discipline.choices)

    class Meta:
        verbose_name = _("aanwezige medewerker")
        verbose_name_plural = _("aanwezige medewerkers")
        constraints = [
            models.UniqueConstraint(fields=["contact", "worker"], name="contactworker_once"),
        ]
        indexes = [models.Index(fields=["worker", "contact"], name="contactworker_worker")]

    def __str__(self) -> str:
        return str(self.worker)


class NonClientTime(models.Model):
    """Time a worker spent on the team's work but not on one client (hour-sheet codes 1-7)."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="non_client_time"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="non_client_time")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    discipline = models.CharField(_("discipline"), max_length=40, choices=Discipline.choices)
    date = models.DateField(_("datum"))
    minutes = models.PositiveIntegerField(_("minuten"))
    code = models.CharField(_("code"), max_length=1, choices=NonClientCode.choices)
    target = models.CharField(
        _("met wie / waarvoor"), max_length=30, choices=NonClientTarget.choices, blank=True
    )
    explanation = models.CharField(_("toelichting"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("niet-cliëntgebonden tijd")
        verbose_name_plural = _("niet-cliëntgebonden tijd")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["team", "date"], name="nonclient_team_date"),
            models.Index(fields=["worker", "date"], name="nonclient_worker_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_minutes_in_range("minutes"), name="nonclient_minutes_range"
            ),
            models.CheckConstraint(
                condition=~Q(code=NonClientCode.OTHER) | ~Q(explanation=""),
                name="nonclient_other_explained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.date:%d-%m-%Y} ({self.minutes} min)"


class IntensityChange(models.Model):
    """Opschalen or afschalen: the client's care intensity from a date, with the reason."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="intensity_changes")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("per"))
    level = models.PositiveSmallIntegerField(_("intensiteit"), choices=IntensityLevel.choices)
    previous_level = models.PositiveSmallIntegerField(
        _("vorige intensiteit"), choices=IntensityLevel.choices, null=True, blank=True
    )
    reason = models.TextField(_("reden"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set on the change in force when care ends (outflow): no intensity from this day on.
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("op- of afschaling")
        verbose_name_plural = _("op- en afschalingen")
        ordering = ["client", "-date", "-id"]
        indexes = [models.Index(fields=["client", "-date"], name="intensity_client_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="intensity_level_range"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="intensity_reason_given"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} per {self.date:%d-%m-%Y}"

    @property
    def direction(self) -> str:
        if self.previous_level is None or self.previous_level == self.level:
            return ""
        return "op" if self.level > self.previous_level else "af"


class Crisis(models.Model):
    """A crisis, with or without an admission; whether an admission was prevented."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="crises")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("begin"))
    ended_on = models.DateField(_("einde"), null=True, blank=True)
    setting = models.CharField(_("opname"), max_length=10, choices=CrisisSetting.choices)
    setting_other = models.CharField(_("andere setting"), max_length=100, blank=True)
    reason = models.TextField(_("aanleiding"))
    admission_prevented = models.BooleanField(_("opname voorkomen"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("crisis of opname")
        verbose_name_plural = _("crises en opnames")
        ordering = ["client", "-started_on", "-id"]
        indexes = [models.Index(fields=["client", "-started_on"], name="crisis_client_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="crisis_period_order",
            ),
            # "Admission prevented" only makes sense when there was no admission.
            models.CheckConstraint(
                condition=Q(admission_prevented=False) | Q(setting=CrisisSetting.NONE),
                name="crisis_prevented_without_admission",
            ),
            models.CheckConstraint(
                condition=~Q(setting=CrisisSetting.OTHER) | ~Q(setting_other=""),
                name="crisis_other_setting_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_setting_display()} {self.started_on:%d-%m-%Y}"

    @property
    def is_admission(self) -> bool:
        return self.setting != CrisisSetting.NONE


class Consultation(models.Model):
    """Advice given without care: who asked, about whom (not necessarily a client), minutes."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="consultations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    discipline = models.CharField(_("discipline"), max_length=40, choices=Discipline.choices)
    date = models.DateField(_("datum"))
    requester_kind = models.CharField(
        _("vraagsteller"), max_length=20, choices=ConsultationRequester.choices
    )
    requester_name = models.CharField(_("naam vraagsteller"), max_length=200, blank=True)
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("over cliënt"),
    )
    # When the person is not a client: a description without identifying data (e.g. "man, 40").
    about = models.CharField(_("over (geen cliënt)"), max_length=200, blank=True)
    minutes = models.PositiveIntegerField(_("minuten"))
    note = models.TextField(_("advies"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consultatie")
        verbose_name_plural = _("consultaties")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["team", "date"], name="consultation_team_date")]
        constraints = [
            models.CheckConstraint(
                condition=_minutes_in_range("minutes"), name="consultation_minutes_range"
            ),
            models.CheckConstraint(
                condition=Q(client__isnull=False) | ~Q(about=""), name="consultation_about_someone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_requester_kind_display()} {self.date:%d-%m-%Y}"


class Reassignment(models.Model):
    """One bulk move of clients from one worker to another, with the reason (audited)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    from_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("per"))
    reason = models.CharField(_("reden"), max_length=300)
    clients = models.ManyToManyField(Client, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_worker=F("to_worker")), name="reassignment_other_worker"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="reassignment_reason_given"),
        ]

    def __str__(self) -> str:
        return f"{self.from_worker} → {self.to_worker} ({self.on:%d-%m-%Y})"


class MdoMeeting(models.Model):
    """A team's multidisciplinary meeting (MDO): who chaired, who attended, which clients
    were discussed (``items``). Closing it writes each decision into the client's file."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="mdo_meetings")
    starts_at = models.DateTimeField(_("datum en tijd"))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voorzitter"),
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mdo_meetings", verbose_name=_("aanwezigen")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MdoStatus.choices, default=MdoStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("MDO")
        verbose_name_plural = _("MDO's")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["team", "-starts_at"], name="mdo_team_time")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=MdoStatus.CLOSED) & Q(closed_at__isnull=False))
                | (Q(status=MdoStatus.OPEN) & Q(closed_at__isnull=True)),
                name="mdo_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"MDO {self.team} {self.starts_at:%d-%m-%Y %H:%M}"

    @property
    def is_closed(self) -> bool:
        return self.status == MdoStatus.CLOSED


class MdoItem(models.Model):
    """One client discussed in an MDO: why (from the MDO list), the summary and the
    decisions. ``decided_on`` is set when the meeting closes: from then on the decision is an
    "MDO-besluit" on the client's timeline."""

    meeting = models.ForeignKey(MdoMeeting, on_delete=models.CASCADE, related_name="items")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="mdo_items")
    reasons = models.CharField(_("bespreken omdat"), max_length=300, blank=True)
    summary = models.TextField(_("bespreking"), blank=True)
    decisions = models.TextField(_("besluiten"), blank=True)
    decided_on = models.DateField(_("besloten op"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("besproken cliënt")
        verbose_name_plural = _("besproken cliënten")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "client"], name="mdoitem_client_once"),
        ]
        indexes = [models.Index(fields=["client", "-decided_on"], name="mdoitem_client_day")]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.client_id}"


class Task(models.Model):
    """Work for one team member: made by a colleague, by a daily reminder job (``source``
    system, idempotent through ``dedupe_key``) or as an MDO's follow-up. Completing it
    records who and when."""

    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="tasks")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("voor"),
    )
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("cliënt"),
    )
    due_on = models.DateField(_("uiterlijk"), null=True, blank=True)
    source = models.CharField(
        _("herkomst"), max_length=10, choices=TaskSource.choices, default=TaskSource.USER
    )
    dedupe_key = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)  # where to act (system reminders)
    mdo_item = models.ForeignKey(
        MdoItem, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("taak")
        verbose_name_plural = _("taken")
        ordering = ["done_at", "due_on", "id"]
        indexes = [
            models.Index(fields=["assignee", "done_at"], name="task_assignee_done"),
            models.Index(fields=["team", "done_at"], name="task_team_done"),
            models.Index(fields=["client", "done_at"], name="task_client_done"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["assignee", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="task_unique_dedupe_key",
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True)
                | Q(done_at__isnull=False, done_by__isnull=False),
                name="task_done_by_whom",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="task_title_given"),
            models.CheckConstraint(
                condition=~Q(source=TaskSource.USER) | Q(created_by__isnull=False),
                name="task_user_task_has_creator",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


# --- documents in the client file -------------------------------------------------------


def document_storage() -> Storage:
    """The storage of the client file's documents (``STORAGES["documents"]``): the file
    system locally, an S3 bucket in production. Never served from a public URL."""
    return storages["documents"]


def document_path(instance: Document, filename: str) -> str:
    """A name that says nothing about the client or the file: the client's id and a random
    id, with the checked extension."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{instance.client_id}/{uuid.uuid4().hex}.{extension}"


class Document(models.Model):
    """A file in the client file: a GP letter, a signed plan, a report, an identity paper.

    Its type was checked on its content at upload, its sha256 is kept, and it is read only
    through the audited download view. Deleting is logical: the row and the file stay, with
    who deleted it, when and why; the list hides it, the functional administrator sees it.
    """

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="documents")
    category = models.CharField(_("soort"), max_length=20, choices=DocumentCategory.choices)
    title = models.CharField(_("titel"), max_length=200)
    document_date = models.DateField(_("datum van het document"))
    author = models.CharField(
        _("auteur"), max_length=200, blank=True, help_text=_("Wie het document schreef.")
    )
    file = models.FileField(_("bestand"), storage=document_storage, upload_to=document_path)
    original_filename = models.CharField(_("oorspronkelijke bestandsnaam"), max_length=255)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    content_type = models.CharField(_("soort inhoud"), max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("toegevoegd door"),
    )
    uploaded_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)
    deleted_at = models.DateTimeField(_("verwijderd op"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verwijderd door"),
    )
    deletion_reason = models.TextField(_("reden van verwijderen"), blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["client", "-document_date", "-id"]
        indexes = [
            models.Index(fields=["client", "-document_date"], name="document_client_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True)
                | Q(deleted_by__isnull=False) & ~Q(deletion_reason=""),
                name="document_deletion_has_reason",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_size_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_clinical(self) -> bool:
        return self.category in CLINICAL_DOCUMENT_CATEGORIES

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


# The appointments live in their own module; importing them here registers them in the app.
from caseload.models_appointments import (  # noqa: E402
    Appointment,
    AppointmentSeries,
    CalendarFeedToken,
)

__all__ = [
    "Appointment",
    "AppointmentSeries",
    "CalendarFeedToken",
    "Consultation",
    "Contact",
    "ContactWorker",
    "Crisis",
    "Document",
    "IntensityChange",
    "MdoItem",
    "MdoMeeting",
    "NonClientTime",
    "Reassignment",
    "Task",
]
