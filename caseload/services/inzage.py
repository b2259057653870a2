"""The inzage export (AVG art. 15): the client's whole file, for the client (portal
"Mijn gegevens") and for staff answering a written request.

``build_export(client)`` gives a dict for machines (JSON, schema in
``docs/inzage-export.schema.json``, made by ``export_schema()`` from the same field lists so
the two never drift apart); ``export_pdf(client)`` renders the same dict for people, with a
heading per part. ``access_history_pdf`` renders "Wie heeft mijn dossier bekeken" alone.

Every part is one query (with its related rows prefetched), so the export's query count does
not grow with the size of the file. The caller checks access and writes the audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from caseload.models import Contact, Crisis, Document
from caseload.models_appointments import Appointment
from caseload.selectors.access_history import AccessEntry, client_access_entries
from clients.models import (
    Assignment,
    CareEpisode,
    Client,
    Consent,
    ExternalParty,
    InvolvedOrganisation,
    Naaste,
    NaasteGrant,
    PhaseTransition,
    PortalAccount,
    Referral,
)
from herstelplan.models import (
    HONOS_ITEM_FIELDS,
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

SCHEMA_VERSION = "1.0"
SCHEMA_ID = "https://optimaal-leven.example/schemas/inzage-export.schema.json"

# --- the fields of every part (the export and its schema are made from these) -------------
PERSONALIA = (
    "bsn", "initials", "first_name", "name_prefix", "last_name", "date_of_birth", "gender",
    "address", "postcode", "city", "neighbourhood", "municipality", "phone", "email",
    "gp_practice", "gp_name", "team", "registering_organisation", "insurer", "created_at",
)  # fmt: skip
REFERRAL = (
    "referred_on", "source", "referrer_name", "referrer_organisation", "question", "urgency",
    "status",
)  # fmt: skip
EPISODE = ("phase", "started_on", "ended_on", "outflow_reason", "outflow_destination")
TRANSITION = ("from_phase", "to_phase", "on", "by", "note")
INTAKE = (
    "planned_on", "planned_time", "location", "naaste_invited", "naaste_present",
    "outcome_notes", "completed_at",
)  # fmt: skip
ASSIGNMENT = ("worker", "role", "start_date", "end_date", "cross_team_reason")
INVOLVED = ("organisation", "start_date", "end_date", "funding_stream", "note")
EXTERNAL = ("name", "kind", "contact_name", "phone", "email", "start_date", "end_date")
NAASTE = ("name", "relation", "role", "phone", "email", "share_scope", "share_note", "ended_on")
GRANT = ("category", "granted_at", "withdrawn_at")
CONSENT = (
    "recipient_organisation", "recipient_role", "category", "purpose", "given_on",
    "withdrawn_on", "recorded_by", "recorded_at",
)  # fmt: skip
PLAN = (
    "version", "status", "valid_from", "review_date", "who_i_am", "wishes", "dreams",
    "strengths", "agreed_on", "agreed_how", "activated_on", "archived_on", "created_at",
    "updated_at",
)  # fmt: skip
GOAL = ("text", "priority", "status", "evaluation_date", "closed_on")
ACTION = ("description", "performer", "worker", "organisation", "performer_name", "frequency")
EVALUATION = ("goal", "date", "text", "outcome", "by")
RECOVERY_PHASE = ("phase", "date", "set_with", "note", "recorded_by")
IROC = ("date", "filled_in_with", "by")
IROC_ANSWER = ("score", "note")
HONOS = ("date", "rater", *HONOS_ITEM_FIELDS, "item_8_problem_type", "total", "notes")
SIGNAL_PLAN = (
    "version", "status",
    "green_signs", "green_client", "green_naaste", "green_team",
    "orange_signs", "orange_client", "orange_naaste", "orange_team",
    "red_signs", "red_client", "red_naaste", "red_team",
    "admission_wishes", "admission_must", "admission_must_not", "admission_care",
    "agreed_on", "agreed_how", "archived_on",
)  # fmt: skip
SIGNAL_CONTACT = ("name", "role", "phone")
CONTACT = (
    "starts_at", "duration_minutes", "kind", "naaste_present", "note", "note_category",
    "author",
)  # fmt: skip
CRISIS = ("started_on", "ended_on", "setting", "setting_other", "reason", "admission_prevented")
APPOINTMENT = (
    "starts_at", "duration_minutes", "kind", "place_kind", "place", "state", "cancel_reason",
)  # fmt: skip
DOCUMENT = (
    "title", "category", "document_date", "author", "original_filename", "size",
    "content_type", "uploaded_at",
)  # fmt: skip
WMO_REQUEST = (
    "municipality", "status", "product", "volume", "unit", "frequency", "start", "end",
    "result_areas", "motivation", "is_temporary", "reference", "submitted_on", "deadline",
)  # fmt: skip
WMO_GOAL = ("text", "priority")
WMO_DECISION = ("kind", "reason", "decided_on", "beschikking_number", "municipality")
WMO_INDICATION = (
    "municipality", "product", "volume", "unit", "frequency", "start", "end", "is_temporary",
    "toewijzing_number", "toewijzing_date", "end_reason",
)  # fmt: skip
MELDING = (
    "municipality", "status", "reported_on", "question", "conversation_on",
    "conversation_summary",
)  # fmt: skip
ACCESS_ENTRY_FIELDS = (
    "at", "kind", "who", "role", "organisation", "team", "what", "emergency", "refused",
)  # fmt: skip

DOCUMENT_HOW_TO_GET = (
    "Een kopie van dit document krijgt u van uw team: vraag het aan uw casemanager of "
    "bel het team. Het team geeft het u zonder kosten."
)


# --- one value, as JSON ----------------------------------------------------------------
def _field(model: type[models.Model], name: str) -> Any:
    return model._meta.get_field(name)


def _value(obj: models.Model, name: str) -> Any:
    field = _field(type(obj), name)
    if field.is_relation:
        related = getattr(obj, name)
        return None if related is None else str(related)
    value = getattr(obj, name)
    if value is None:
        return None
    if field.choices and value != "":
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return [str(item) for item in value]
    return value


def _pick(obj: models.Model, names: Iterable[str], **extra: Any) -> dict[str, Any]:
    return {name: _value(obj, name) for name in names} | extra


def _people(rows: Iterable[Any]) -> list[str]:
    return [str(row) for row in rows]


# --- the parts -------------------------------------------------------------------------
def _episodes(client: Client) -> list[dict[str, Any]]:
    episodes = (
        CareEpisode.objects.filter(client=client)
        .select_related("intake")
        .prefetch_related(
            Prefetch("transitions", PhaseTransition.objects.select_related("by")),
            "intake__workers",
        )
    )
    rows = []
    for episode in episodes:
        intake = getattr(episode, "intake", None)
        rows.append(
            _pick(
                episode,
                EPISODE,
                phase_transitions=[_pick(t, TRANSITION) for t in episode.transitions.all()],
                intake=None
                if intake is None
                else _pick(intake, INTAKE, workers=_people(intake.workers.all())),
            )
        )
    return rows


def _naasten(client: Client) -> list[dict[str, Any]]:
    accounts = Prefetch(
        "portal_accounts", PortalAccount.objects.filter(kind="naaste"), to_attr="accounts"
    )
    grants = Prefetch("grants", NaasteGrant.objects.order_by("granted_at", "id"))
    rows = []
    for naaste in Naaste.objects.filter(client=client).prefetch_related(accounts, grants):
        account = naaste.accounts[0] if naaste.accounts else None  # type: ignore[attr-defined]
        rows.append(
            _pick(
                naaste,
                NAASTE,
                portal_account=None
                if account is None
                else {
                    "bsn": mask_bsn(account.bsn) or None,
                    "is_active": account.is_active,
                    "last_login_at": _value(account, "last_login_at"),
                },
                grants=[_pick(g, GRANT) for g in naaste.grants.all()],
            )
        )
    return rows


def mask_bsn(bsn: str | None) -> str:
    """A BSN as shown back to people: only the last four digits (``*****1234``)."""
    return f"*****{bsn[-4:]}" if bsn else ""


def _plans(client: Client) -> list[dict[str, Any]]:
    actions = GoalAction.objects.select_related("worker", "organisation")
    goals = Goal.objects.prefetch_related(Prefetch("actions", actions))
    plans = Plan.objects.filter(client=client).prefetch_related(
        Prefetch("goals", goals),
        Prefetch("evaluations", Evaluation.objects.select_related("goal", "by")),
    )
    return [
        _pick(
            plan,
            PLAN,
            goals=[
                _pick(goal, GOAL, actions=[_pick(a, ACTION) for a in goal.actions.all()])
                for goal in plan.goals.all()
            ],
            evaluations=[_pick(e, EVALUATION) for e in plan.evaluations.all()],
        )
        for plan in plans
    ]


def _iroc(client: Client) -> list[dict[str, Any]]:
    answers = IrocAnswer.objects.select_related("indicator")
    assessments = (
        IrocAssessment.objects.filter(client=client)
        .select_related("by")
        .prefetch_related(Prefetch("answers", answers))
    )
    return [
        _pick(
            a,
            IROC,
            answers=[
                _pick(x, IROC_ANSWER, indicator=x.indicator.number, label=x.indicator.label)
                for x in a.answers.all()
            ],
        )
        for a in assessments
    ]


def _signal_plans(client: Client) -> list[dict[str, Any]]:
    plans = SignalPlan.objects.filter(client=client).prefetch_related(
        Prefetch("contacts", SignalPlanContact.objects.all())
    )
    return [
        _pick(p, SIGNAL_PLAN, contacts=[_pick(c, SIGNAL_CONTACT) for c in p.contacts.all()])
        for p in plans
    ]


def _contacts(client: Client) -> list[dict[str, Any]]:
    contacts = (
        Contact.objects.filter(client=client)
        .select_related("author")
        .prefetch_related("workers")
        .order_by("-starts_at", "-id")
    )
    return [_pick(c, CONTACT, workers=_people(c.workers.all())) for c in contacts]


def _appointments(client: Client) -> list[dict[str, Any]]:
    rows = (
        Appointment.objects.filter(client=client)
        .prefetch_related("workers")
        .order_by("-starts_at", "-id")
    )
    return [_pick(a, APPOINTMENT, workers=_people(a.workers.all())) for a in rows]


def _documents(client: Client) -> list[dict[str, Any]]:
    rows = Document.objects.filter(client=client, deleted_at__isnull=True).order_by(
        "-document_date", "-id"
    )
    return [_pick(d, DOCUMENT, how_to_get=_(DOCUMENT_HOW_TO_GET)) for d in rows]


def _wmo(client: Client) -> dict[str, Any]:
    requests = (
        IndicationRequest.objects.filter(client=client)
        .select_related("municipality", "product")
        .prefetch_related(
            Prefetch("goals", RequestGoal.objects.order_by("priority", "id")),
            Prefetch("decisions", Decision.objects.select_related("municipality")),
        )
        .order_by("-created_at", "-id")
    )
    indications = (
        Indication.objects.filter(client=client)
        .select_related("municipality", "product")
        .order_by("-start", "-id")
    )
    meldingen = (
        Melding.objects.filter(client=client)
        .select_related("municipality")
        .order_by("-reported_on", "-id")
    )
    return {
        "requests": [
            _pick(
                r,
                WMO_REQUEST,
                goals=[_pick(g, WMO_GOAL) for g in r.goals.all()],
                decisions=[_pick(d, WMO_DECISION) for d in r.decisions.all()],
            )
            for r in requests
        ],
        "indications": [_pick(i, WMO_INDICATION) for i in indications],
        "meldingen": [_pick(m, MELDING) for m in meldingen],
    }


def _rows(qs: Any, names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [_pick(obj, names) for obj in qs]


def build_export(client: Client, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything recorded about the client, part by part (see the module docstring)."""
    return _build(client, now=now)[0]


def _build(client: Client, *, now: dt.datetime | None) -> tuple[dict[str, Any], list[AccessEntry]]:
    client = Client.objects.select_related(
        "team", "municipality", "registering_organisation", "insurer"
    ).get(pk=client.pk)
    moment = now or timezone.now()
    entries = client_access_entries(client=client)
    data = {
        "schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.localtime(moment).isoformat(),
        "client_number": client.pk,
        "personalia": _pick(client, PERSONALIA),
        "referrals": _rows(Referral.objects.filter(client=client), REFERRAL),
        "care_episodes": _episodes(client),
        "care_team": _rows(
            Assignment.objects.filter(client=client).select_related("worker"), ASSIGNMENT
        ),
        "involved_organisations": _rows(
            InvolvedOrganisation.objects.filter(client=client).select_related("organisation"),
            INVOLVED,
        ),
        "external_parties": _rows(ExternalParty.objects.filter(client=client), EXTERNAL),
        "naasten": _naasten(client),
        "consents": _rows(
            Consent.objects.filter(client=client).select_related(
                "recipient_organisation", "recorded_by"
            ),
            CONSENT,
        ),
        "herstelplan": _plans(client),
        "recovery_phases": _rows(
            RecoveryPhase.objects.filter(client=client).select_related("recorded_by"),
            RECOVERY_PHASE,
        ),
        "iroc": _iroc(client),
        "honos": _rows(
            HonosAssessment.objects.filter(client=client).select_related("rater"), HONOS
        ),
        "signaleringsplan": _signal_plans(client),
        "contacts": _contacts(client),
        "crises": _rows(Crisis.objects.filter(client=client).order_by("-started_on"), CRISIS),
        "appointments": _appointments(client),
        "documents": _documents(client),
        "wmo": _wmo(client),
        "access_log": [entry.as_dict() for entry in entries],
    }
    return data, entries


# --- PDF -------------------------------------------------------------------------------
def _render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is rendered

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def export_pdf(client: Client, *, now: dt.datetime | None = None) -> bytes:
    """The inzage export for people: the same parts as ``build_export``, a heading each."""
    from caseload.services.inzage_schema import PART_TITLES, labelled

    data, entries = _build(client, now=now)
    return _render_pdf(
        "caseload/pdf/inzage.html",
        {
            "data": data,
            "parts": labelled(data),
            "access_title": PART_TITLES["access_log"],
            "entries": entries,
            "client": client,
            "today": timezone.localdate(),
        },
    )


def access_history_pdf(
    client: Client,
    entries: list[AccessEntry],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> bytes:
    """'Wie heeft mijn dossier bekeken' as a PDF, for the period the client chose."""
    return _render_pdf(
        "portal/pdf/access_log.html",
        {
            "client": client,
            "entries": entries,
            "start": start,
            "end": end,
            "today": timezone.localdate(),
        },
    )
