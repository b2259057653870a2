"""Choices and rule constants of the clients app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("Man")
    FEMALE = "V", _("Vrouw")
    OTHER = "X", _("Anders / onbekend")


class AssignmentRole(models.TextChoices):
    CASEMANAGER = "casemanager", _("Casemanager")
    # The municipal route: the one contact of the client, from any partner organisation.
    CASUSREGISSEUR = "casusregisseur", _("Casusregisseur")
    REGIEBEHANDELAAR = "regiebehandelaar", _("Regiebehandelaar")
    PSYCHIATER = "psychiater", _("Psychiater")
    BEGELEIDER = "begeleider", _("Ambulant begeleider")
    ERVARINGSDESKUNDIGE = "ervaringsdeskundige", _("Ervaringsdeskundige")
    IPS = "ips", _("IPS-trajectbegeleider")
    WELZIJNSWERKER = "welzijnswerker", _("Welzijnswerker")
    OTHER = "overig", _("Overig")


class ReferralSource(models.TextChoices):
    HUISARTS = "huisarts", _("Huisarts")
    POH_GGZ = "poh_ggz", _("POH-GGZ")
    MOEDERORGANISATIE = "moederorganisatie", _("Afdeling van een moederorganisatie")
    VNN = "vnn", _("VNN")
    COSIS = "cosis", _("Cosis")
    WELZIJN = "welzijn", _("Welzijn")
    WIJKTEAM = "wijkteam", _("Sociaal team / wijkteam")
    OGGZ = "oggz", _("OGGZ")
    POLITIE = "politie", _("Politie")
    CRISISDIENST = "crisisdienst", _("Crisisdienst")
    KLINIEK = "kliniek", _("Kliniek")
    EIGEN_INITIATIEF = "eigen_initiatief", _("Eigen initiatief")
    NAASTE = "naaste", _("Naaste")
    OVERIG = "overig", _("Overig")


class Urgency(models.TextChoices):
    NORMAL = "normaal", _("Normaal")
    HIGH = "hoog", _("Hoog")
    URGENT = "spoed", _("Spoed")


class ReferralStatus(models.TextChoices):
    NEW = "nieuw", _("Nieuw, nog niet besloten")
    ACCEPTED = "wachtlijst", _("Geaccepteerd op de wachtlijst")
    CONSULTATION = "consultatie", _("Alleen consultatie")
    REDIRECTED = "doorverwezen", _("Doorverwezen")


class DecisionKind(models.TextChoices):
    ACCEPT = "wachtlijst", _("Accepteren op de wachtlijst")
    CONSULTATION = "consultatie", _("Alleen consultatie")
    REDIRECT = "doorverwijzen", _("Doorverwijzen naar elders")


STATUS_FOR_DECISION = {
    DecisionKind.ACCEPT: ReferralStatus.ACCEPTED,
    DecisionKind.CONSULTATION: ReferralStatus.CONSULTATION,
    DecisionKind.REDIRECT: ReferralStatus.REDIRECTED,
}


class Phase(models.TextChoices):
    REFERRED = "aangemeld", _("Aangemeld")
    WAITING = "voorzorg", _("Voorzorg / wachtlijst")
    INTAKE = "intake", _("Intake")
    IN_CARE = "in_zorg", _("In zorg")
    AFTERCARE = "nazorg", _("Nazorg")
    OUTFLOW = "uitgestroomd", _("Uitgestroomd")


# The care path. Outflow is possible from every open phase but only through
# ``episode_outflow`` (it needs a reason); re-entry starts a new episode in care.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Phase.REFERRED: frozenset({Phase.WAITING, Phase.OUTFLOW}),
    Phase.WAITING: frozenset({Phase.INTAKE, Phase.OUTFLOW}),
    Phase.INTAKE: frozenset({Phase.WAITING, Phase.IN_CARE, Phase.OUTFLOW}),
    Phase.IN_CARE: frozenset({Phase.AFTERCARE, Phase.OUTFLOW}),
    Phase.AFTERCARE: frozenset({Phase.IN_CARE, Phase.OUTFLOW}),
    Phase.OUTFLOW: frozenset(),
}
OPEN_PHASES = frozenset(p for p in Phase.values if p != Phase.OUTFLOW)
# Everyone in these phases waits for (the end of) their intake.
WAITING_PHASES = (Phase.WAITING, Phase.INTAKE)


class OutflowReason(models.TextChoices):
    GOALS_MET = "doelen_bereikt", _("Doelen bereikt")
    BASIC_GGZ = "basis_ggz", _("Naar basis-GGZ")
    GP = "poh_huisarts", _("Naar POH-GGZ / huisarts")
    OTHER_PROVIDER = "andere_aanbieder", _("Naar andere aanbieder")
    MOVED = "verhuisd", _("Verhuisd")
    DECEASED = "overleden", _("Overleden")
    REFUSED = "zorg_geweigerd", _("Zorg geweigerd")
    WLZ = "wlz", _("Naar Wlz")
    OTHER = "overig", _("Overig")


class FundingStream(models.TextChoices):
    ZVW = "zvw", _("Zvw")
    WMO = "wmo", _("Wmo")
    WLZ = "wlz", _("Wlz")
    NONE = "geen", _("Nog geen")


class NaasteRole(models.TextChoices):
    MANTELZORGER = "mantelzorger", _("Mantelzorger")
    FAMILY = "familie", _("Familie")
    FRIEND = "vriend", _("Vriend(in)")
    LEGAL = "wettelijk_vertegenwoordiger", _("Wettelijk vertegenwoordiger")
    OTHER = "overig", _("Overig")


class ShareScope(models.TextChoices):
    NOTHING = "niets", _("Niets")
    PRACTICAL = "praktisch", _("Praktische afspraken")
    PLAN = "herstelplan", _("Herstelplan en afspraken")
    ALL = "alles", _("Alles wat met de zorg te maken heeft")


class PortalShare(models.TextChoices):
    """What a client can let a naaste read in the portal, one grant per category."""

    PLAN = "plan", _("Mijn plan")
    APPOINTMENTS = "appointments", _("Mijn afspraken")
    CONTACTS = "contacts", _("Contacten met het team")


class PortalAccountKind(models.TextChoices):
    CLIENT = "client", _("Cliënt")
    NAASTE = "naaste", _("Naaste")


class ImportStatus(models.TextChoices):
    PENDING = "wachtend", _("Wacht op verwerking")
    RUNNING = "bezig", _("Bezig")
    DONE = "klaar", _("Klaar")
    FAILED = "mislukt", _("Mislukt")


EARLIEST_BIRTH_DATE_YEAR = 1900
ZAG_INTERVAL_DAYS = 365  # the yearly care-coordination meeting with the naaste
IMPORT_ASYNC_ROWS = 200  # larger files are processed by a Celery worker

# Which disciplines may hold a role in a client's care team (unlisted roles: any discipline).
ROLE_DISCIPLINES: dict[str, frozenset[str]] = {
    AssignmentRole.REGIEBEHANDELAAR: frozenset(
        {"psychiater", "gz_psycholoog", "verslavingsarts", "verpleegkundig_specialist"}
    ),
    AssignmentRole.PSYCHIATER: frozenset({"psychiater"}),
}


class ExternalPartyKind(models.TextChoices):
    """Who, beyond the partner organisations, takes part in the client's life and care."""

    DAGBESTEDING = "dagbesteding", _("Dagbesteding")
    LOTGENOTEN = "lotgenoten", _("Lotgenotengroep")
    SPORT = "sport", _("Sportvereniging")
    VRIJWILLIGER = "vrijwilliger", _("Vrijwilliger(s)")
    MANTELZORGER = "mantelzorger", _("Mantelzorger")
    HUISARTS = "huisarts", _("Huisarts of praktijkondersteuner")
    OTHER = "overig", _("Overig")


# --- the client's privacy rights (AVG art. 15, 16, 17, 21) -----------------------------


class PrivacyRequestKind(models.TextChoices):
    INZAGE = "inzage", _("Inzage (AVG art. 15)")
    CORRECTION = "correctie", _("Correctie (AVG art. 16)")
    ADDITION = "aanvulling", _("Aanvulling (AVG art. 16)")
    REMOVAL = "verwijdering", _("Verwijdering (AVG art. 17)")
    OBJECTION = "bezwaar", _("Bezwaar tegen gebruik (AVG art. 21)")


# While a request of these kinds is open, the disputed data is marked in the file.
DISPUTING_KINDS = frozenset(
    {PrivacyRequestKind.CORRECTION, PrivacyRequestKind.REMOVAL, PrivacyRequestKind.OBJECTION}
)


class DisputedPart(models.TextChoices):
    """The part of the file a request is about (a data category or kind of record)."""

    WHOLE_FILE = "hele_dossier", _("Het hele dossier")
    PERSONALIA = "personalia", _("Personalia")
    HERSTELPLAN = "herstelplan", _("Herstelplan")
    CONTACTVERSLAGEN = "contactverslagen", _("Contactverslagen")
    IROC = "iroc", _("I.ROC")
    HONOS = "honos", _("HoNOS")
    SIGNALERINGSPLAN = "signaleringsplan", _("Signaleringsplan")
    WMO = "wmo", _("Wmo")
    OTHER = "overig", _("Anders")


# The client frame's tab that shows a disputed part (olteams.client_frame.TABS keys).
DISPUTED_PART_TAB: dict[str, str] = {
    DisputedPart.PERSONALIA: "gegevens",
    DisputedPart.HERSTELPLAN: "herstelplan",
    DisputedPart.IROC: "herstelplan",
    DisputedPart.HONOS: "herstelplan",
    DisputedPart.SIGNALERINGSPLAN: "herstelplan",
    DisputedPart.CONTACTVERSLAGEN: "dossier",
    DisputedPart.WMO: "wmo",
}


class FiledVia(models.TextChoices):
    PORTAL = "portaal", _("Via het cliëntportaal")
    LETTER = "brief", _("Per brief")
    IN_PERSON = "persoonlijk", _("Persoonlijk")
    EMAIL = "email", _("Per e-mail")


class PrivacyRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DECIDED = "besloten", _("Besloten")
    WITHDRAWN = "ingetrokken", _("Ingetrokken")


class PrivacyDecision(models.TextChoices):
    GRANTED = "toegewezen", _("Toegewezen")
    PARTLY = "deels", _("Deels toegewezen")
    REFUSED = "afgewezen", _("Afgewezen")


# AVG art. 12(3): answered within one month of receipt, extendable by at most two months.
PRIVACY_TERM_MONTHS = 1
PRIVACY_MAX_EXTENSION_MONTHS = 2
# Reminders: "due soon" this many days before the deadline, then "overdue".
PRIVACY_DUE_SOON_DAYS = 7
