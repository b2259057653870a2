"""The documented shape of the inzage export: a JSON Schema (draft 2020-12) made from the
same field lists as the export (``caseload.services.inzage``), and the labels the PDF shows.

``export_schema()`` is what ``docs/inzage-export.schema.json`` holds (a test keeps the file
and this function equal, and validates a rich client's export against the file)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseload.models import Contact, Crisis, Document
from caseload.models_appointments import Appointment
from caseload.services import inzage as ex
from clients.models import (
    Assignment,
    CareEpisode,
    Client,
    Consent,
    ExternalParty,
    Intake,
    InvolvedOrganisation,
    Naaste,
    NaasteGrant,
    PhaseTransition,
    Referral,
)
from herstelplan.models import (
    Evaluation,
    Goal,
    GoalAction,
    HonosAssessment,
    IrocAnswer,
    IrocAssessment,
    Plan,
    RecoveryPhase,
    SignalPlan,
    SignalPlanContact,
)
from wmo.models import Decision, Indication, IndicationRequest, Melding, RequestGoal

_NULLABLE_STRING = {"type": ["string", "null"]}
_STRINGS = {"type": "array", "items": {"type": "string"}}


@dataclass(frozen=True)
class Spec:
    """One kind of record: model fields plus extra keys (a schema, or nested records)."""

    title: Any
    model: type[models.Model] | None
    fields: tuple[str, ...]
    # key -> (label, schema dict | Spec (a list of records) | ("one", Spec) (record or null))
    extra: dict[str, tuple[Any, Any]] = field(default_factory=dict)


L = gettext_lazy
ACCESS_ENTRY = Spec(
    L("Wie heeft uw dossier bekeken"),
    None,
    (),
    {
        "at": (L("Wanneer"), {"type": "string", "format": "date-time"}),
        "kind": (
            L("Wie (soort)"),
            {"enum": ["staff", "naaste", "self"], "description": "medewerker, naaste of uzelf"},
        ),
        "who": (L("Wie"), {"type": "string"}),
        "role": (L("Rol"), {"type": "string"}),
        "organisation": (L("Organisatie"), {"type": "string"}),
        "team": (L("Team"), {"type": "string"}),
        "what": (L("Wat"), {"type": "string"}),
        "emergency": (L("Noodtoegang"), _NULLABLE_STRING),
        "refused": (L("Geweigerd"), {"type": "boolean"}),
    },
)
ACTION_SPEC = Spec(L("Acties"), GoalAction, ex.ACTION)
GOAL_SPEC = Spec(L("Doelen"), Goal, ex.GOAL, {"actions": (L("Acties"), ACTION_SPEC)})
REQUEST_SPEC = Spec(
    L("Wmo-aanvragen"),
    IndicationRequest,
    ex.WMO_REQUEST,
    {
        "goals": (L("Doelen"), Spec(L("Doelen"), RequestGoal, ex.WMO_GOAL)),
        "decisions": (L("Besluiten"), Spec(L("Besluiten"), Decision, ex.WMO_DECISION)),
    },
)
PORTAL_ACCOUNT = {
    "type": ["object", "null"],
    "properties": {
        "bsn": {"type": ["string", "null"], "description": "afgeschermd: *****1234"},
        "is_active": {"type": "boolean"},
        "last_login_at": {"type": ["string", "null"], "format": "date-time"},
    },
    "required": ["bsn", "is_active", "last_login_at"],
    "additionalProperties": False,
}

# The parts of the export, in order: key -> Spec (a list of records) or a single record.
PARTS: dict[str, Spec] = {
    "personalia": Spec(L("Persoonsgegevens"), Client, ex.PERSONALIA),
    "referrals": Spec(L("Aanmeldingen"), Referral, ex.REFERRAL),
    "care_episodes": Spec(
        L("Zorgperiodes en fases"),
        CareEpisode,
        ex.EPISODE,
        {
            "phase_transitions": (
                L("Fasewisselingen"),
                Spec(L("Fasewisselingen"), PhaseTransition, ex.TRANSITION),
            ),
            "intake": (
                L("Intake"),
                ("one", Spec(L("Intake"), Intake, ex.INTAKE, {"workers": (L("Met"), _STRINGS)})),
            ),
        },
    ),
    "care_team": Spec(L("Uw zorgteam"), Assignment, ex.ASSIGNMENT),
    "involved_organisations": Spec(L("Betrokken organisaties"), InvolvedOrganisation, ex.INVOLVED),
    "external_parties": Spec(L("Andere betrokkenen"), ExternalParty, ex.EXTERNAL),
    "naasten": Spec(
        L("Naasten en hun toegang"),
        Naaste,
        ex.NAASTE,
        {
            "portal_account": (L("Inloggen in het portaal"), PORTAL_ACCOUNT),
            "grants": (L("Toegang"), Spec(L("Toegang"), NaasteGrant, ex.GRANT)),
        },
    ),
    "consents": Spec(L("Toestemmingen"), Consent, ex.CONSENT),
    "herstelplan": Spec(
        L("Herstelplan (alle versies)"),
        Plan,
        ex.PLAN,
        {
            "goals": (L("Doelen"), GOAL_SPEC),
            "evaluations": (L("Evaluaties"), Spec(L("Evaluaties"), Evaluation, ex.EVALUATION)),
        },
    ),
    "recovery_phases": Spec(L("Herstelfases"), RecoveryPhase, ex.RECOVERY_PHASE),
    "iroc": Spec(
        L("I.ROC-metingen"),
        IrocAssessment,
        ex.IROC,
        {
            "answers": (
                L("Antwoorden"),
                Spec(
                    L("Antwoorden"),
                    IrocAnswer,
                    ex.IROC_ANSWER,
                    {
                        "indicator": (L("Vraag"), {"type": "integer"}),
                        "label": (L("Onderwerp"), {"type": "string"}),
                    },
                ),
            )
        },
    ),
    "honos": Spec(L("HoNOS-metingen"), HonosAssessment, ex.HONOS),
    "signaleringsplan": Spec(
        L("Signaleringsplan"),
        SignalPlan,
        ex.SIGNAL_PLAN,
        {
            "contacts": (
                L("Crisiscontacten"),
                Spec(L("Crisiscontacten"), SignalPlanContact, ex.SIGNAL_CONTACT),
            )
        },
    ),
    "contacts": Spec(
        L("Contacten en verslagen"), Contact, ex.CONTACT, {"workers": (L("Met"), _STRINGS)}
    ),
    "crises": Spec(L("Crises"), Crisis, ex.CRISIS),
    "appointments": Spec(
        L("Afspraken"), Appointment, ex.APPOINTMENT, {"workers": (L("Met"), _STRINGS)}
    ),
    "documents": Spec(
        L("Documenten"),
        Document,
        ex.DOCUMENT,
        {"how_to_get": (L("Hoe krijgt u het document"), {"type": "string"})},
    ),
    "access_log": ACCESS_ENTRY,
}
WMO_PARTS: dict[str, Spec] = {
    "requests": REQUEST_SPEC,
    "indications": Spec(L("Wmo-indicaties"), Indication, ex.WMO_INDICATION),
    "meldingen": Spec(L("Wmo-meldingen"), Melding, ex.MELDING),
}
SINGLE_PARTS = frozenset({"personalia"})
PART_TITLES = {key: spec.title for key, spec in PARTS.items()} | {"wmo": L("Wmo")}


# --- the JSON Schema -------------------------------------------------------------------
def _field_schema(model: type[models.Model], name: str) -> dict[str, Any]:
    f: Any = model._meta.get_field(name)
    title = str(f.verbose_name)
    if f.is_relation or f.choices:
        return {**_NULLABLE_STRING, "title": title}
    if isinstance(f, models.GeneratedField):
        f = f.output_field
    if isinstance(f, ArrayField):
        return {**_STRINGS, "title": title}
    if isinstance(f, models.BooleanField):
        return {"type": "boolean", "title": title}
    if isinstance(f, models.IntegerField):
        return {"type": ["integer", "null"], "title": title}
    for kind, fmt in (
        (models.DateTimeField, "date-time"),
        (models.DateField, "date"),
        (models.TimeField, "time"),
    ):
        if isinstance(f, kind):
            return {"type": ["string", "null"], "format": fmt, "title": title}
    return {"type": ["string", "null"] if f.null else "string", "title": title}


def _record_schema(spec: Spec, *, nullable: bool = False) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    if spec.model is not None:
        properties = {name: _field_schema(spec.model, name) for name in spec.fields}
    for key, (label, shape) in spec.extra.items():
        properties[key] = {**_shape_schema(shape), "title": str(label)}
    return {
        "type": ["object", "null"] if nullable else "object",
        "title": str(spec.title),
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _shape_schema(shape: Any) -> dict[str, Any]:
    if isinstance(shape, Spec):
        return {"type": "array", "items": _record_schema(shape)}
    if isinstance(shape, tuple):
        return _record_schema(shape[1], nullable=True)
    return dict(shape)


def export_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``build_export``'s result."""
    properties: dict[str, Any] = {
        "schema": {"const": ex.SCHEMA_ID},
        "schema_version": {"const": ex.SCHEMA_VERSION},
        "generated_at": {"type": "string", "format": "date-time"},
        "client_number": {"type": "integer", "description": "het cliëntnummer"},
    }
    for key, spec in PARTS.items():
        properties[key] = _record_schema(spec) if key in SINGLE_PARTS else _shape_schema(spec)
        properties[key]["title"] = str(spec.title)
    properties["wmo"] = {
        "type": "object",
        "title": "Wmo",
        "properties": {key: _shape_schema(spec) for key, spec in WMO_PARTS.items()},
        "required": list(WMO_PARTS),
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": ex.SCHEMA_ID,
        "title": "Inzage-export Optimaal Leven",
        "description": (
            "Alle gegevens die Optimaal Leven over één cliënt heeft vastgelegd (AVG art. 15). "
            "Zie docs/inzage-export.md."
        ),
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


# --- labels for the PDF ----------------------------------------------------------------
@dataclass
class Record:
    fields: list[tuple[str, Any]]
    children: list[tuple[str, list[Record]]]


def _label(spec: Spec, key: str) -> str:
    if key in spec.extra:
        return str(spec.extra[key][0])
    assert spec.model is not None
    field: Any = spec.model._meta.get_field(key)
    return str(field.verbose_name).capitalize()


def _record(spec: Spec, row: dict[str, Any]) -> Record:
    record = Record([], [])
    for key, value in row.items():
        shape = spec.extra.get(key, (None, None))[1]
        if isinstance(shape, Spec):
            record.children.append((_label(spec, key), [_record(shape, r) for r in value]))
        elif isinstance(shape, tuple):
            rows = [] if value is None else [_record(shape[1], value)]
            record.children.append((_label(spec, key), rows))
        else:
            record.fields.append((_label(spec, key), _display(value)))
    return record


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and _ISO_DATE.match(value):
        return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return date_format(dt.datetime.fromisoformat(value), "DATETIME_FORMAT")
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_display(v)}" for k, v in value.items())
    return str(value)


def labelled(data: dict[str, Any]) -> list[tuple[str, list[Record]]]:
    """The export's parts as (heading, records) with Dutch labels, for the PDF."""
    parts = []
    for key, spec in PARTS.items():
        if key == "access_log":
            continue  # the PDF shows it as on the portal page (the entries themselves)
        rows = [data[key]] if key in SINGLE_PARTS else data[key]
        parts.append((str(spec.title), [_record(spec, row) for row in rows]))
        if key == "documents":
            for wmo_key, wmo_spec in WMO_PARTS.items():
                wmo_rows = data["wmo"][wmo_key]
                parts.append((str(wmo_spec.title), [_record(wmo_spec, r) for r in wmo_rows]))
    return parts
