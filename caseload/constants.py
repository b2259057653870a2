"""Choices and rule constants of the team's daily workspace."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    HOME = "huisbezoek", _("Face-to-face thuis")
    TEAM_LOCATION = "teamlocatie", _("Face-to-face op de teamlocatie")
    NEIGHBOURHOOD = "wijk", _("Face-to-face in de wijk")
    PHONE = "telefoon", _("Telefonisch")
    VIDEO = "video", _("Beeldbellen")
    WRITTEN = "schriftelijk", _("E-mail / brief")
    GROUP = "groep", _("Groep")
    MDO = "mdo", _("MDO")


FACE_TO_FACE_KINDS = frozenset(
    {ContactKind.HOME, ContactKind.TEAM_LOCATION, ContactKind.NEIGHBOURHOOD}
)


class ContactFunding(models.TextChoices):
    """Who pays for a contact. The last three are unpaid work, kept visible, not hidden."""

    ZVW = "zvw", _("Zvw (behandeling)")
    WMO = "wmo", _("Wmo (ondersteuning)")
    WLZ = "wlz", _("Wlz")
    LIJNTJE_HOUDEN = "lijntje_houden", _("Lijntje houden (onbetaald)")
    VOORZORG = "voorzorg", _("Voorzorg (onbetaald)")
    NAZORG = "nazorg", _("Nazorg (onbetaald)")


PAID_FUNDING = frozenset({ContactFunding.ZVW, ContactFunding.WMO, ContactFunding.WLZ})
UNPAID_FUNDING = frozenset(
    {ContactFunding.LIJNTJE_HOUDEN, ContactFunding.VOORZORG, ContactFunding.NAZORG}
)


class NonClientCode(models.TextChoices):
    """The codes of the teams' hour sheets (DESIGN.md)."""

    COLLABORATION = "1", _("1 Lokale samenwerking")
    LEARNING = "2", _("2 Leren en ontwikkelen")
    CONSULTATION = "3", _("3 Consultatie")
    REFERRAL = "4", _("4 Verwijzing")
    MDO = "5", _("5 MDO (niet betrokken bij cliënt)")
    ABSENCE = "6", _("6 Ziekte, verlof")
    OTHER = "7", _("7 Overig (met toelichting)")


class NonClientTarget(models.TextChoices):
    """The sub-codes on the hour sheets: with whom (1, 3, 4) or what (2)."""

    WIJKTEAM = "wijkteam", _("Wijkteam")
    HUISARTS = "huisarts", _("Huisarts")
    OGGZ = "oggz", _("OGGZ")
    WELZIJN = "welzijn", _("Welzijn")
    GEMEENTE = "gemeente", _("Gemeente")
    OTHER_ORGANISATION = "andere_organisatie", _("Andere organisaties")
    NETWORKING = "netwerken", _("Netwerken en presentaties")
    WITHIN_TEAM = "binnen_team", _("Binnen het team")
    MOTHER_ORGANISATION = "moederorganisatie", _("Diensten van de moederorganisaties")
    ACTION_LEARNING = "actieleren", _("Actieleren")
    THEME_DAY = "themadag", _("Themadag")
    INTERVISION = "intervisie", _("Intervisie")
    TRAINING = "scholing", _("Scholing")
    PROGRAMME = "programma", _("Ontwikkelen van programma's")
    WORK_PROCESSES = "werkprocessen", _("Structuur en werkprocessen")
    SICKNESS = "ziekte", _("Ziekte")
    HOLIDAY = "verlof", _("Verlof")
    OTHER = "overig", _("Overig")


# Which sub-codes belong to which code; a code without an entry takes no sub-code.
_WITH_WHOM = (
    NonClientTarget.WIJKTEAM,
    NonClientTarget.HUISARTS,
    NonClientTarget.OGGZ,
    NonClientTarget.WELZIJN,
    NonClientTarget.GEMEENTE,
    NonClientTarget.OTHER_ORGANISATION,
)
NON_CLIENT_TARGETS: dict[str, tuple[str, ...]] = {
    NonClientCode.COLLABORATION: (*_WITH_WHOM, NonClientTarget.NETWORKING),
    NonClientCode.LEARNING: (
        NonClientTarget.ACTION_LEARNING,
        NonClientTarget.THEME_DAY,
        NonClientTarget.INTERVISION,
        NonClientTarget.TRAINING,
        NonClientTarget.PROGRAMME,
        NonClientTarget.WORK_PROCESSES,
        NonClientTarget.OTHER,
    ),
    NonClientCode.CONSULTATION: (
        NonClientTarget.WITHIN_TEAM,
        NonClientTarget.MOTHER_ORGANISATION,
        NonClientTarget.OTHER_ORGANISATION,
    ),
    NonClientCode.REFERRAL: (
        NonClientTarget.WITHIN_TEAM,
        NonClientTarget.MOTHER_ORGANISATION,
        NonClientTarget.OTHER_ORGANISATION,
    ),
    NonClientCode.ABSENCE: (NonClientTarget.SICKNESS, NonClientTarget.HOLIDAY),
}
# Non-client time that is absence, not work: left out of indirect hours.
ABSENCE_CODES = frozenset({NonClientCode.ABSENCE})


class IntensityLevel(models.IntegerChoices):
    """Care intensity, low to high (op- en afschalen moves along this scale)."""

    LIJNTJE_HOUDEN = 1, _("Lijntje houden")
    LOW = 2, _("Laag (eens per twee weken of minder)")
    REGULAR = 3, _("Regulier (wekelijks)")
    HIGH = 4, _("Hoog (meerdere keren per week)")
    FACT_BOARD = 5, _("Intensief (FACT-bord, dagelijks)")


class CrisisSetting(models.TextChoices):
    NONE = "geen", _("Geen opname (crisis thuis)")
    ACUTE = "acuut", _("Acute opname")
    CLINIC = "kliniek", _("Kliniek")
    ELDERLY = "ouderen", _("Ouderenpsychiatrie")
    HIC = "hic", _("HIC (high intensive care)")
    OTHER = "overig", _("Overig")


class ConsultationRequester(models.TextChoices):
    GP = "huisarts", _("Huisarts / POH-GGZ")
    SOCIAL_TEAM = "sociaal_team", _("Sociaal team / wijkteam")
    OTHER_PROVIDER = "andere_aanbieder", _("Andere aanbieder")
    MUNICIPALITY = "gemeente", _("Gemeente")
    POLICE = "politie", _("Politie / veiligheidshuis")
    OTHER = "overig", _("Overig")


MAX_MINUTES = 24 * 60  # anything longer is a typing error, not a contact
CASELOAD_NORM_PER_FTE = 20  # clients per casemanager FTE (the teams' own norm)


# Outflow ends every Wmo indication with the WMO307 reason that fits the outflow reason
# (clients.constants.OutflowReason → wmo.constants.StopReason code).
OUTFLOW_STOP_REASONS = {
    "doelen_bereikt": "19",  # ended as planned
    "basis_ggz": "38",  # other provider
    "poh_huisarts": "38",
    "andere_aanbieder": "38",
    "verhuisd": "31",  # moved
    "overleden": "02",  # death
    "zorg_geweigerd": "21",  # by the client
    "wlz": "39",  # outflow to another domain
    "overig": "23",  # ended early by agreement
}


# --- appointments (issue 16) ---------------------------------------------------------------


class AppointmentPlace(models.TextChoices):
    """Where an appointment takes place; the calendar feed names only this, never an address."""

    HOME = "thuis", _("Bij de cliënt thuis")
    TEAM_OFFICE = "teamlocatie", _("Op de teamlocatie")
    PHONE = "telefoon", _("Telefonisch")
    VIDEO = "video", _("Beeldbellen")
    ELSEWHERE = "elders", _("Elders")


# The contact kinds an appointment can be planned as (a written contact is not planned).
APPOINTMENT_KINDS = (
    ContactKind.HOME,
    ContactKind.TEAM_LOCATION,
    ContactKind.NEIGHBOURHOOD,
    ContactKind.PHONE,
    ContactKind.VIDEO,
    ContactKind.GROUP,
    ContactKind.MDO,
)


class AppointmentState(models.TextChoices):
    PLANNED = "gepland", _("Gepland")
    LOGGED = "gelogd", _("Gelogd")
    CANCELLED = "geannuleerd", _("Geannuleerd")


class AppointmentScope(models.TextChoices):
    """Which occurrences of a series a change or a cancellation applies to."""

    ONE = "alleen_deze", _("Alleen deze afspraak")
    FOLLOWING = "deze_en_volgende", _("Deze en alle volgende afspraken van de reeks")
    SERIES = "hele_reeks", _("De hele reeks (alle toekomstige, niet gelogde afspraken)")


MAX_OCCURRENCES = 104  # two years of weekly appointments; more is a typing error
MAX_INTERVAL_WEEKS = 52


class DocumentCategory(models.TextChoices):
    """What a document in the client file is. The clinical ones need clinical access to read
    (and to add or delete); the others every worker with access to the client may see."""

    GP_LETTER = "brief_huisarts", _("Brief van of aan de huisarts")
    SIGNED_PLAN = "ondertekend_plan", _("Ondertekend plan")
    REPORT = "verslag", _("Verslag")
    IDENTITY = "identiteit", _("Identiteit")
    OTHER = "overig", _("Overig")


CLINICAL_DOCUMENT_CATEGORIES = frozenset(
    {DocumentCategory.GP_LETTER, DocumentCategory.SIGNED_PLAN, DocumentCategory.REPORT}
)


class TaskSource(models.TextChoices):
    """Where a task comes from: a person, a daily reminder job, or an MDO's follow-up."""

    USER = "gebruiker", _("Gemaakt door een medewerker")
    SYSTEM = "systeem", _("Herinnering van het systeem")
    MDO = "mdo", _("Vervolgactie uit een MDO")


class TaskState(models.TextChoices):
    """The filters of "Mijn taken"."""

    OPEN = "open", _("Open")
    OVERDUE = "te_laat", _("Te laat")
    DONE = "afgerond", _("Afgerond")


class MdoStatus(models.TextChoices):
    OPEN = "open", _("Gepland")
    CLOSED = "gesloten", _("Afgesloten")


# The reminder kinds the daily jobs create (olteams.Notification) that become system tasks.
SYSTEM_TASK_NOTIFICATION_KINDS = ("reminder", "task")
# The dedupe keys of those reminders that ask for work on a client (wmo, herstelplan jobs).
SYSTEM_TASK_KEY_PREFIXES = (
    "herstelplan:plan-review:",
    "herstelplan:goal-review:",
    "herstelplan:iroc-due:",
    "herstelplan:naaste-zag:",
    "wmo-expiry:",
)
