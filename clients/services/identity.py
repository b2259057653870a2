"""Client identity: registration with duplicate detection, updates, and merging two records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.nl import bsn as stdnum_bsn

from clients.constants import EARLIEST_BIRTH_DATE_YEAR, Phase
from clients.models import (
    Assignment,
    CareEpisode,
    Client,
    ClientMerge,
    Consent,
    InvolvedOrganisation,
    Naaste,
    PhaseTransition,
    Referral,
)
from clients.services._common import require_team, strip_all, today_or
from olteams.access import ClientAction, clients_visible_to, municipality_ids_for
from olteams.audit import audit_record
from olteams.constants import AuditEventType, OrganisationKind
from olteams.models import Municipality, Team

# Identity fields a caller may set; everything else on Client is managed by services.
IDENTITY_FIELDS = (
    "bsn",
    "initials",
    "first_name",
    "name_prefix",
    "last_name",
    "date_of_birth",
    "gender",
    "address",
    "postcode",
    "city",
    "neighbourhood",
    "municipality",
    "phone",
    "email",
    "gp_practice",
    "gp_name",
    "registering_organisation",
    "insurer",
)


class DuplicateClientError(ValidationError):
    """The person seems to be registered already; ``existing`` is that record so the UI can
    show it instead of creating a second one. ``certain`` is True for a BSN match (never
    overridable) and False for a name + birth date match (the user may confirm twins)."""

    def __init__(self, existing: Client, *, field: str, message: str, certain: bool) -> None:
        super().__init__({field: message}, code="duplicate")
        self.existing = existing
        self.certain = certain


def clean_bsn(value: str | None) -> str | None:
    """Normalise and validate a BSN (11-proef via python-stdnum); empty means unknown."""
    if value is None:
        return None
    # Not stdnum's compact(): it left-pads with zeros, which would hide a too-short number.
    compact = "".join(ch for ch in str(value) if ch not in " .-")
    if not compact:
        return None
    if not compact.isdigit() or len(compact) != 9:
        raise ValidationError({"bsn": _("Een BSN bestaat uit 9 cijfers.")})
    if compact == "000000000" or not stdnum_bsn.is_valid(compact):
        raise ValidationError({"bsn": _("Dit BSN is niet geldig (de elfproef klopt niet).")})
    return compact


def _validate_birth_date(value: dt.date | None, today: dt.date) -> None:
    if value is None:
        return
    if value > today:
        raise ValidationError({"date_of_birth": _("De geboortedatum ligt in de toekomst.")})
    if value.year < EARLIEST_BIRTH_DATE_YEAR:
        raise ValidationError({"date_of_birth": _("De geboortedatum ligt vóór 1900.")})


def _validate_identity(fields: dict[str, Any], today: dt.date) -> dict[str, Any]:
    fields = strip_all(fields)
    errors: dict[str, str] = {}
    for name, label in (("first_name", _("roepnaam")), ("last_name", _("achternaam"))):
        if name in fields and not fields[name]:
            errors[name] = _("Vul de %(label)s in.") % {"label": label}
    try:
        if "bsn" in fields:
            fields["bsn"] = clean_bsn(fields["bsn"])
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    try:
        _validate_birth_date(fields.get("date_of_birth"), today)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    insurer = fields.get("insurer")
    if insurer is not None and insurer.kind != OrganisationKind.ZORGVERZEKERAAR:
        errors["insurer"] = _("Kies een zorgverzekeraar.")
    if errors:
        raise ValidationError(errors)
    if fields.get("postcode"):
        fields["postcode"] = fields["postcode"].upper()
    return fields


def _find_duplicate(
    fields: dict[str, Any], *, exclude_pk: int | None, allow_possible_duplicate: bool
) -> None:
    others = Client.objects.exclude(pk=exclude_pk) if exclude_pk else Client.objects.all()
    if fields.get("bsn"):
        existing = others.filter(bsn=fields["bsn"]).first()
        if existing is not None:
            raise DuplicateClientError(
                existing,
                field="bsn",
                certain=True,
                message=_("Er is al een cliënt met dit BSN geregistreerd."),
            )
    if allow_possible_duplicate or not fields.get("date_of_birth"):
        return
    existing = (
        others.filter(
            merged_into__isnull=True,
            last_name__iexact=fields.get("last_name", ""),
            date_of_birth=fields["date_of_birth"],
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        raise DuplicateClientError(
            existing,
            field="last_name",
            certain=False,
            message=_(
                "Er is al een cliënt met deze achternaam en geboortedatum. Controleer of het "
                "dezelfde persoon is."
            ),
        )


@transaction.atomic
def client_register(
    *,
    actor: Any,
    team: Team,
    referral: Referral | None = None,
    today: dt.date | None = None,
    allow_possible_duplicate: bool = False,
    **fields: Any,
) -> Client:
    """Register a client in ``team``. Same BSN, or same last name and birth date, raises
    ``DuplicateClientError`` carrying the existing record. With a referral the client is linked
    to it and an episode opens in phase 'aangemeld' on the referral date."""
    day = today_or(today)
    require_team(actor, team.pk, today=day)
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    fields = _validate_identity(fields, day)
    _find_duplicate(fields, exclude_pk=None, allow_possible_duplicate=allow_possible_duplicate)
    if referral is not None and (referral.team_id != team.pk or referral.client_id is not None):
        raise ValidationError({"referral": _("Deze aanmelding hoort al bij een cliënt.")})
    client = Client(team=team, **fields)
    client.full_clean(
        exclude=[
            "team",
            "municipality",
            "registering_organisation",
            "insurer",
            "merged_into",
            "bsn",
        ]
    )
    try:
        # No savepoint of its own: the error leaves this function's atomic block, which
        # rolls the registration back as a whole.
        client.save()
    except IntegrityError:
        # Two registrations of the same BSN at once: the unique index decides.
        raise ValidationError(
            {"bsn": _("Er is al een cliënt met dit BSN geregistreerd.")}
        ) from None
    if referral is not None:
        referral.client = client
        referral.save(update_fields=["client"])
        episode = CareEpisode.objects.create(
            client=client, referral=referral, phase=Phase.REFERRED, started_on=referral.referred_on
        )
        PhaseTransition.objects.create(
            episode=episode, to_phase=Phase.REFERRED, on=referral.referred_on, by=actor
        )
    return client


@transaction.atomic
def client_register_at_wmo_desk(
    *,
    actor: Any,
    team: Team,
    municipality: Municipality,
    today: dt.date | None = None,
    allow_possible_duplicate: bool = False,
    **fields: Any,
) -> Client:
    """A Wmo consultant registers a resident who reported at the municipality's Wmo desk (the
    municipal route; the caller records the melding in the same transaction, which is what
    lets the consultant see the resident). Only a consultant of ``municipality``, only for a
    team that serves it; the same identity checks and duplicate detection as
    ``client_register``. No episode opens: the team starts care when it takes the intake."""
    day = today_or(today)
    if municipality.pk not in municipality_ids_for(actor, today=day):
        raise PermissionDenied(_("U bent geen Wmo-consulent van deze gemeente."))
    if not team.municipalities.filter(pk=municipality.pk).exists():
        raise ValidationError({"team": _("Dit team werkt niet in deze gemeente.")})
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    fields = _validate_identity(fields, day)
    _find_duplicate(fields, exclude_pk=None, allow_possible_duplicate=allow_possible_duplicate)
    fields["municipality"] = municipality
    client = Client(team=team, **fields)
    client.full_clean(
        exclude=[
            "team",
            "municipality",
            "registering_organisation",
            "insurer",
            "merged_into",
            "bsn",
        ]
    )
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError:
        raise ValidationError(
            {"bsn": _("Er is al een cliënt met dit BSN geregistreerd.")}
        ) from None
    return client


@transaction.atomic
def client_update(
    *,
    actor: Any,
    client: Client,
    today: dt.date | None = None,
    allow_possible_duplicate: bool = True,
    **fields: Any,
) -> Client:
    """Change identity fields; BSN rules and duplicate detection as at registration."""
    day = today_or(today)
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    fields = _validate_identity(fields, day)
    merged = {name: getattr(client, name) for name in IDENTITY_FIELDS} | fields
    _find_duplicate(merged, exclude_pk=client.pk, allow_possible_duplicate=allow_possible_duplicate)
    for name, value in fields.items():
        setattr(client, name, value)
    client.save()
    return client


# --- merge --------------------------------------------------------------------------

_FILLABLE = (
    "bsn",
    "initials",
    "name_prefix",
    "date_of_birth",
    "gender",
    "address",
    "postcode",
    "city",
    "neighbourhood",
    "municipality_id",
    "phone",
    "email",
    "gp_practice",
    "gp_name",
    "registering_organisation_id",
    "insurer_id",
)
_OWN_RELATIONS: tuple[tuple[str, type[models.Model]], ...] = (
    ("referrals", Referral),
    ("episodes", CareEpisode),
    ("assignments", Assignment),
    ("naasten", Naaste),
    ("consents", Consent),
    ("involved_organisations", InvolvedOrganisation),
)


def _other_app_relations() -> list[tuple[str, type[models.Model], str]]:
    """Foreign keys to Client in apps to the right (herstelplan, wmo, …), found at run time so
    this app never imports them: the merge moves their rows too."""
    found = []
    for rel in Client._meta.related_objects:
        model = rel.related_model
        if model._meta.app_label == "clients" or rel.many_to_many:
            continue
        found.append((model._meta.label, model, rel.field.name))
    return found


def _validate_merge(actor: Any, survivor: Client, merged: Client) -> None:
    if survivor.pk == merged.pk:
        raise ValidationError({"merged": _("Kies twee verschillende dossiers.")})
    mergeable = clients_visible_to(actor, action=ClientAction.MERGE)
    if not mergeable.filter(pk__in=[survivor.pk, merged.pk]).count() == 2:
        raise PermissionDenied(_("Alleen de teamleider van beide dossiers kan samenvoegen."))
    if survivor.bsn and merged.bsn and survivor.bsn != merged.bsn:
        raise ValidationError(
            {
                "merged": _(
                    "De dossiers hebben een verschillend BSN; dit zijn twee verschillende personen."
                )
            }
        )
    open_count = CareEpisode.objects.filter(
        client__in=[survivor, merged], ended_on__isnull=True
    ).count()
    if open_count > 1:
        raise ValidationError(
            {"merged": _("Beide dossiers hebben een lopende zorgperiode. Sluit er eerst één af.")}
        )


def _end_clashing_lead_roles(survivor: Client, merged: Client, day: dt.date) -> None:
    """One open casemanager/regiebehandelaar per client: the survivor's own one stays."""
    taken = set(
        Assignment.objects.filter(client=survivor, end_date__isnull=True).values_list(
            "role", flat=True
        )
    )
    for assignment in Assignment.objects.filter(
        client=merged, end_date__isnull=True, role__in=taken & {"casemanager", "regiebehandelaar"}
    ):
        assignment.end_date = max(day, assignment.start_date)
        assignment.save(update_fields=["end_date"])


@transaction.atomic
def client_merge(
    *, actor: Any, survivor: Client, merged: Client, note: str = "", now: dt.datetime | None = None
) -> ClientMerge:
    """Merge two records of one person (team lead only): every referral, episode, care-team
    row, naaste, consent and involved organisation — and the rows other apps keep per
    client — move to ``survivor``; blank identity fields are filled from ``merged``;
    ``merged.merged_into`` points to the survivor; a ClientMerge row and MERGE audit events
    keep the trace."""
    moment = now or timezone.now()
    survivor = Client.objects.select_for_update().get(pk=survivor.pk)
    merged = Client.objects.select_for_update().get(pk=merged.pk)
    _validate_merge(actor, survivor, merged)
    _end_clashing_lead_roles(survivor, merged, timezone.localdate(moment))
    moved: dict[str, list[int]] = {}
    for name, model in _OWN_RELATIONS:
        ids = list(model._default_manager.filter(client=merged).values_list("pk", flat=True))
        model._default_manager.filter(pk__in=ids).update(client=survivor)
        moved[name] = ids
    try:
        with transaction.atomic():
            for label, model, field in _other_app_relations():
                ids = list(
                    model._default_manager.filter(**{field: merged}).values_list("pk", flat=True)
                )
                model._default_manager.filter(pk__in=ids).update(**{field: survivor})
                if ids:
                    moved[label] = ids
    except IntegrityError:
        raise ValidationError(
            {
                "merged": _(
                    "Samenvoegen kan niet: beide dossiers hebben gegevens "
                    "die maar één keer mogen bestaan (bijvoorbeeld een "
                    "geldend herstelplan)."
                )
            }
        ) from None
    bsn = merged.bsn
    for name in _FILLABLE:
        if getattr(survivor, name) in (None, "") and getattr(merged, name) not in (None, ""):
            setattr(survivor, name, getattr(merged, name))
    merged.bsn = None
    merged.merged_into = survivor
    merged.save(update_fields=["bsn", "merged_into", "updated_at"])
    if bsn and not survivor.bsn:
        survivor.bsn = bsn
    survivor.save()
    record = ClientMerge.objects.create(
        survivor=survivor, merged=merged, merged_by=actor, merged_at=moment, moved=moved, note=note
    )
    for client_id, other in ((survivor.pk, merged.pk), (merged.pk, survivor.pk)):
        audit_record(
            user=actor,
            event_type=AuditEventType.MERGE,
            client_id=client_id,
            obj=record,
            detail=f"samengevoegd: {merged.pk} -> {survivor.pk} (ander dossier {other})",
        )
    return record
