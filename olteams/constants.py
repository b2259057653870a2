"""Choices and rule constants of the organisational backbone."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GGZ = "ggz", _("GGZ (geestelijke gezondheidszorg)")
    VERSLAVINGSZORG = "verslavingszorg", _("Verslavingszorg")
    BEGELEIDING = "begeleiding", _("Ambulante begeleiding")
    WELZIJN = "welzijn", _("Welzijn")
    GEMEENTE = "gemeente", _("Gemeente")
    ZORGVERZEKERAAR = "zorgverzekeraar", _("Zorgverzekeraar")
    OVERIG = "overig", _("Overig")


class Discipline(models.TextChoices):
    PROJECTLEIDER = "projectleider", _("Regionale projectleider")
    PSYCHIATER = "psychiater", _("Psychiater")
    GZ_PSYCHOLOOG = "gz_psycholoog", _("(Basis) GZ-psycholoog")
    VERSLAVINGSARTS = "verslavingsarts", _("Verslavingsarts")
    SPV = "spv", _("SPV'er")
    VERSLAVINGSZORG_MEDEWERKER = "medewerker_vnn", _("Medewerker verslavingszorg")
    CASEMANAGER = "casemanager", _("Casemanager")
    MAATSCHAPPELIJK_WERKER = "maatschappelijk_werker", _("Maatschappelijk werker")
    VERPLEEGKUNDIG_SPECIALIST = "verpleegkundig_specialist", _("Verpleegkundig specialist")
    VERPLEEGKUNDIGE = "verpleegkundige", _("Verpleegkundige")
    AMBULANT_BEGELEIDER = "ambulant_begeleider", _("Ambulant begeleider")
    ERVARINGSDESKUNDIGE = "ervaringsdeskundige", _("Ervaringsdeskundige")
    WELZIJNSWERKER = "welzijnswerker", _("Welzijnswerker")
    IPS = "ips", _("IPS-trajectbegeleider")
    SECRETARIAAT = "secretariaat", _("Zorgsecretariaat")


# Disciplines whose work is treatment (Zvw) rather than support (Wmo) or welfare.
TREATMENT_DISCIPLINES = frozenset(
    {
        Discipline.PSYCHIATER,
        Discipline.GZ_PSYCHOLOOG,
        Discipline.VERSLAVINGSARTS,
        Discipline.SPV,
        Discipline.VERPLEEGKUNDIG_SPECIALIST,
        Discipline.VERPLEEGKUNDIGE,
        Discipline.CASEMANAGER,
        Discipline.VERSLAVINGSZORG_MEDEWERKER,
    }
)


class TeamRole(models.TextChoices):
    MEMBER = "member", _("Teamlid")
    LEAD = "lead", _("Teamleider")
    SECRETARIAAT = "secretariaat", _("Zorgsecretariaat")


class Role(models.TextChoices):
    """Every role a user can hold; a user may hold several."""

    TEAM_MEMBER = "team_member", _("Teamlid")
    TEAM_LEAD = "team_lead", _("Teamleider")
    SECRETARIAAT = "secretariaat", _("Zorgsecretariaat")
    WMO_CONSULTANT = "wmo_consultant", _("Wmo-consulent")
    WMO_LEAD = "wmo_lead", _("Teamleider Wmo-consulenten")
    CONTROLLER = "controller", _("Controller")
    STUURGROEP = "stuurgroep", _("Stuurgroep")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functioneel beheerder")
    PRIVACY_OFFICER = "privacy_officer", _("Privacyfunctionaris")


class AuditAction(models.TextChoices):
    """NEN 7513 action codes."""

    CREATE = "C", _("Aanmaken")
    READ = "R", _("Inzien")
    UPDATE = "U", _("Wijzigen")
    DELETE = "D", _("Verwijderen")
    EXECUTE = "E", _("Uitvoeren (export, afdruk, zoeken)")


class AuditEventType(models.TextChoices):
    CREATE = "create", _("aangemaakt")
    READ = "read", _("ingezien")
    UPDATE = "update", _("gewijzigd")
    DELETE = "delete", _("verwijderd")
    SEARCH = "search", _("gezocht")
    EXPORT = "export", _("geëxporteerd")
    PRINT = "print", _("afgedrukt")
    MERGE = "merge", _("samengevoegd")
    EMERGENCY = "emergency", _("noodtoegang")
    LOGIN = "login", _("aangemeld")
    # The privacy officer read the access log (NEN 7513: reading the log is logged too).
    LOG_READ = "log_read", _("toegangslog ingezien")


AUDIT_ACTION_FOR_EVENT = {
    AuditEventType.CREATE: AuditAction.CREATE,
    AuditEventType.READ: AuditAction.READ,
    AuditEventType.UPDATE: AuditAction.UPDATE,
    AuditEventType.DELETE: AuditAction.DELETE,
    AuditEventType.SEARCH: AuditAction.EXECUTE,
    AuditEventType.EXPORT: AuditAction.EXECUTE,
    AuditEventType.PRINT: AuditAction.EXECUTE,
    AuditEventType.MERGE: AuditAction.UPDATE,
    AuditEventType.EMERGENCY: AuditAction.READ,
    AuditEventType.LOGIN: AuditAction.EXECUTE,
    AuditEventType.LOG_READ: AuditAction.READ,
}


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Gelukt")
    DENIED = "denied", _("Geweigerd")
    FAILURE = "failure", _("Mislukt")


class Ground(models.TextChoices):
    """Grounds on which access to a client's record was allowed (NEN 7513 check string)."""

    AUTHORISATION = "authorisation", _("autorisatie")
    TREATMENT_RELATION = "treatment", _("behandelrelatie")
    CONSENT = "consent", _("toestemming")
    EMERGENCY = "emergency", _("noodtoegang")
    WMO_REQUEST = "wmo_request", _("Wmo-aanvraag")
    FINANCE = "finance", _("verantwoording")
    # The privacy officer handles a privacy request of the client (AVG).
    PRIVACY_REQUEST = "privacy_request", _("privacyverzoek")


class NotificationKind(models.TextChoices):
    INFO = "info", _("Bericht")
    TASK = "task", _("Taak")
    REMINDER = "reminder", _("Herinnering")
    ESCALATION = "escalation", _("Escalatie")
    REPORT = "report", _("Rapport")


MAX_FTE = 1.5
STEERING_MIN_CELL = 5  # steering-group counts under this are suppressed ("<5")


class DataCategory(models.TextChoices):
    """Categories of client data that consent is given for, per recipient."""

    GGZ_TREATMENT = "ggz_treatment", _("GGZ-behandeling")
    ADDICTION_TREATMENT = "addiction_treatment", _("Verslavingsbehandeling")
    WMO_SUPPORT = "wmo_support", _("Wmo-ondersteuning")
    WELFARE = "welfare", _("Welzijn")
    OUTCOME_MEASURES = "outcome_measures", _("Meetinstrumenten (HoNOS, I.ROC)")
    RECOVERY_PLAN = "recovery_plan", _("Herstelplan")
    CRISIS_PLAN = "crisis_plan", _("Signaleringsplan en crisis")
    INTAKE = "intake", _("Intake")


TREATMENT_CATEGORIES = frozenset({DataCategory.GGZ_TREATMENT, DataCategory.ADDICTION_TREATMENT})
# The clinical categories: staff of organisations that need consent (welfare, ambulatory
# support, the municipality) read them only under the client's consent for the purpose.
CONSENT_CATEGORIES = TREATMENT_CATEGORIES | frozenset(
    {
        DataCategory.OUTCOME_MEASURES,
        DataCategory.RECOVERY_PLAN,
        DataCategory.CRISIS_PLAN,
        DataCategory.INTAKE,
    }
)


class ConsentPurpose(models.TextChoices):
    """What a consent allows the shared data to be used for; only a matching purpose counts."""

    CARE = "care", _("Zorg en ondersteuning in het team")
    WMO_REQUEST = "wmo_request", _("Wmo-aanvraag bij de gemeente")
    OTHER = "other", _("Ander doel (zie toelichting)")


class RecordKind(models.TextChoices):
    """The kinds of clinical record a page or response shows; each falls under one consent
    category (``RECORD_KIND_CATEGORY``). Contact notes carry their own category."""

    HONOS = "honos", _("HoNOS")
    IROC = "iroc", _("I.ROC")
    RECOVERY_PLAN = "recovery_plan", _("het herstelplan")
    SIGNAL_PLAN = "signal_plan", _("het signaleringsplan")
    CRISIS_NOTE = "crisis_note", _("crisisnotities")
    INTAKE = "intake", _("de intake")
    WMO_GOALS = "wmo_goals", _("de doelen uit het herstelplan")
    ZRM = "zrm", _("de zelfredzaamheidsmatrix (ZRM)")


RECORD_KIND_CATEGORY: dict[str, str] = {
    RecordKind.HONOS: DataCategory.OUTCOME_MEASURES,
    RecordKind.IROC: DataCategory.OUTCOME_MEASURES,
    RecordKind.RECOVERY_PLAN: DataCategory.RECOVERY_PLAN,
    RecordKind.SIGNAL_PLAN: DataCategory.CRISIS_PLAN,
    RecordKind.CRISIS_NOTE: DataCategory.CRISIS_PLAN,
    RecordKind.INTAKE: DataCategory.INTAKE,
    RecordKind.WMO_GOALS: DataCategory.RECOVERY_PLAN,
    RecordKind.ZRM: DataCategory.WMO_SUPPORT,
}
# What a Wmo request sends to the municipality: it needs the client's consent for the
# municipality, for the purpose of the Wmo request, in each of these record kinds.
WMO_REQUEST_RECORD_KINDS = (RecordKind.WMO_GOALS, RecordKind.ZRM)
# Organisation kinds whose staff may see treatment notes without explicit consent.
TREATMENT_ORGANISATION_KINDS = frozenset({OrganisationKind.GGZ, OrganisationKind.VERSLAVINGSZORG})


class RetentionAction(models.TextChoices):
    DESTROY = "destroy", _("Vernietigen")
    ANONYMISE = "anonymise", _("Anonimiseren")


class RetentionBatchKind(models.TextChoices):
    TERM = "term", _("Bewaartermijn verstreken")
    REQUEST = "request", _("Verzoek tot vernietiging")


class RetentionBatchStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op bevestiging")
    CONFIRMED = "confirmed", _("Uitgevoerd")
    REJECTED = "rejected", _("Afgewezen")


class RetentionItemStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op bevestiging")
    DONE = "done", _("Uitgevoerd")
    KEPT = "kept", _("Bewaard")
    SKIPPED = "skipped", _("Overgeslagen (niet meer verlopen)")
