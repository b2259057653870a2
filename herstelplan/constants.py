"""Choices and rule constants of the herstelplan app (I.ROC, HoNOS, phases, the plan)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

IROC_INDICATOR_COUNT = 12
IROC_SCORE_MIN = 1
IROC_SCORE_MAX = 6
IROC_DEFAULT_INTERVAL_MONTHS = 3

HONOS_ITEM_COUNT = 12
HONOS_NOT_KNOWN = 9
HONOS_VALID_SCORES = (0, 1, 2, 3, 4, HONOS_NOT_KNOWN)
HONOS_ITEM_WITH_PROBLEM_TYPE = 8
# Subscales (DOMAIN.md): behaviour 1-3, impairment 4-5, symptoms 6-8, social 9-12.
HONOS_SUBSCALES: dict[str, tuple[int, ...]] = {
    "behaviour": (1, 2, 3),
    "impairment": (4, 5),
    "symptoms": (6, 7, 8),
    "social": (9, 10, 11, 12),
}
HONOS_SUBSCALE_LABELS = {
    "behaviour": _("Gedrag"),
    "impairment": _("Beperkingen"),
    "symptoms": _("Symptomen"),
    "social": _("Sociaal functioneren"),
}
# Nugter et al. 2012, defaults per team (DOMAIN.md).
HONOS_DEFAULT_THRESHOLDS = {
    "outpatient": 10,
    "residential": 11,
    "admission": 12,
    "act": 13,
}

PLAN_REVIEW_DEFAULT_MONTHS = 6
NAASTE_MEETING_NOTICE_DAYS = 14
REVIEW_NOTICE_DAYS = 14


class IrocArea(models.TextChoices):
    """The four HOPE areas of the I.ROC (Dutch names)."""

    THUIS = "thuis", _("Thuis")
    KANSEN = "kansen", _("Kansen")
    MENSEN = "mensen", _("Mensen")
    EMPOWERMENT = "empowerment", _("Empowerment")


class HonosItem(models.IntegerChoices):
    AGGRESSION = 1, _("Overactief, agressief of storend gedrag")
    SELF_INJURY = 2, _("Opzettelijke zelfverwonding")
    SUBSTANCE = 3, _("Problematisch alcohol- of drugsgebruik")
    COGNITIVE = 4, _("Cognitieve problemen")
    PHYSICAL = 5, _("Lichamelijke ziekte of handicap")
    HALLUCINATIONS = 6, _("Hallucinaties en wanen")
    DEPRESSED = 7, _("Depressieve stemming")
    OTHER_MENTAL = 8, _("Andere psychische en gedragsproblemen")
    RELATIONSHIPS = 9, _("Problemen met relaties")
    DAILY_LIVING = 10, _("Problemen met algemene dagelijkse levensverrichtingen")
    LIVING_CONDITIONS = 11, _("Problemen met woonomstandigheden")
    OCCUPATION = 12, _("Problemen met werk en vrijetijdsbesteding")


class HonosScore(models.IntegerChoices):
    NONE = 0, _("0 - geen probleem")
    MINOR = 1, _("1 - klein probleem")
    MILD = 2, _("2 - licht probleem")
    MODERATE = 3, _("3 - matig ernstig probleem")
    SEVERE = 4, _("4 - ernstig tot zeer ernstig probleem")
    NOT_KNOWN = 9, _("9 - niet bekend")


class HonosProblemType(models.TextChoices):
    """Type of the 'other' problem of HoNOS item 8."""

    PHOBIC = "A", _("A - fobisch")
    ANXIETY = "B", _("B - angst")
    OBSESSIVE = "C", _("C - obsessief-compulsief")
    STRESS = "D", _("D - stress")
    DISSOCIATIVE = "E", _("E - dissociatief")
    SOMATOFORM = "F", _("F - somatoform")
    EATING = "G", _("G - eten")
    SLEEP = "H", _("H - slaap")
    SEXUAL = "I", _("I - seksueel")
    OTHER = "J", _("J - anders")


class HonosThreshold(models.TextChoices):
    OUTPATIENT = "outpatient", _("Ambulant in behandeling - opname")
    RESIDENTIAL = "residential", _("Langdurig ambulant - beschermd wonen")
    ADMISSION = "admission", _("Langdurig ambulant - opname")
    ACT = "act", _("Langdurig ambulant - ACT")


class RecoveryPhaseNumber(models.IntegerChoices):
    """The four phases of recovery (Ypsilon, after Gagne)."""

    OVERWHELMED = 1, _("Overweldigd door de aandoening")
    STRUGGLING = 2, _("Worstelen met de aandoening")
    LIVING_WITH = 3, _("Leven met de aandoening")
    LIVING_BEYOND = 4, _("Leven voorbij de aandoening")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    ACTIVE = "active", _("Actief")
    ARCHIVED = "archived", _("Gearchiveerd")


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Loopt")
    ACHIEVED = "achieved", _("Behaald")
    STOPPED = "stopped", _("Gestopt")


class AgreementMethod(models.TextChoices):
    PAPER = "paper", _("Op papier getekend")
    DIGITAL = "digital", _("Digitaal akkoord gegeven")
    VERBAL = "verbal", _("Mondeling akkoord gegeven")


class ActionPerformer(models.TextChoices):
    WORKER = "worker", _("Medewerker")
    ORGANISATION = "organisation", _("Organisatie")
    CLIENT = "client", _("Cliënt zelf")
    NAASTE = "naaste", _("Naaste")


class EvaluationOutcome(models.TextChoices):
    CONTINUE = "continue", _("Doorgaan zoals afgesproken")
    GOAL_ACHIEVED = "goal_achieved", _("Doel behaald, afsluiten")
    GOAL_STOPPED = "goal_stopped", _("Doel stoppen")
    NEW_VERSION = "new_version", _("Nieuwe versie van het plan maken")


GOAL_CLOSING_OUTCOMES: dict[str, GoalStatus] = {
    EvaluationOutcome.GOAL_ACHIEVED: GoalStatus.ACHIEVED,
    EvaluationOutcome.GOAL_STOPPED: GoalStatus.STOPPED,
}


class SignalStage(models.TextChoices):
    """The three stages of a signaleringsplan (crisis plan); the colour is never the only
    signal, every stage is named in words too."""

    GREEN = "green", _("Groen: stabiel")
    ORANGE = "orange", _("Oranje: vroege signalen")
    RED = "red", _("Rood: crisis")


# Per stage the plan says: the signs, and what the client, the naaste and the team do.
SIGNAL_STAGE_PARTS: tuple[str, ...] = ("signs", "client", "naaste", "team")
SIGNAL_MAX_CONTACTS = 12


# How the client signed in to the portal when they agreed or commented (olteams.portal).
PORTAL_SIGN_IN_LABELS: dict[str, StrOrPromise] = {
    "digid": _("DigiD"),
    "activation": _("activeringscode"),
}
