"""Writes of the signaleringsplan (crisis plan): a draft, its texts and crisis contacts, and
the client's agreement that puts a version in force.

A new version is always a draft copied from the version in force. Recording the client's
agreement (date, how, by whom) puts the draft in force at once and archives the version
that was in force; archived versions stay readable. Every write locks the row and compares
the form's ``lock_version``: a stale save is refused, never silently overwritten.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from herstelplan.constants import (
    SIGNAL_MAX_CONTACTS,
    SIGNAL_STAGE_PARTS,
    AgreementMethod,
    PlanStatus,
    SignalStage,
)
from herstelplan.models import SignalPlan, SignalPlanContact
from olteams.access import ClientAction, require_client
from olteams.models import User

logger = logging.getLogger(__name__)

SIGNAL_STAGE_FIELDS: tuple[str, ...] = tuple(
    f"{stage}_{part}" for stage in SignalStage.values for part in SIGNAL_STAGE_PARTS
)
SIGNAL_ADMISSION_FIELDS: tuple[str, ...] = (
    "admission_wishes",
    "admission_must",
    "admission_must_not",
    "admission_care",
)
SIGNAL_TEXT_FIELDS = SIGNAL_STAGE_FIELDS + SIGNAL_ADMISSION_FIELDS
CONTACT_FIELDS = ("name", "role", "phone")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-()]{1,28}$")


def _today(now: dt.datetime | None) -> dt.date:
    return timezone.localdate(now) if now else timezone.localdate()


def _draft_exists_error() -> ValidationError:
    return ValidationError({"plan": _("Er is al een concept van het signaleringsplan.")})


@transaction.atomic
def signal_plan_create(*, actor: User, client: Client) -> SignalPlan:
    """Start a draft signaleringsplan. With a version in force, the draft copies its texts and
    crisis contacts (the next version starts from what was agreed)."""
    require_client(actor, client, ClientAction.CHANGE_CLINICAL)
    Client.objects.select_for_update().filter(pk=client.pk).first()  # serialise per client
    plans = SignalPlan.objects.filter(client=client)
    if plans.filter(status=PlanStatus.DRAFT).exists():
        raise _draft_exists_error()
    source = plans.filter(status=PlanStatus.ACTIVE).prefetch_related("contacts").first()
    last = plans.aggregate(v=Max("version"))["v"] or 0
    values = {f: getattr(source, f) for f in SIGNAL_TEXT_FIELDS} if source else {}
    try:
        with transaction.atomic():
            draft = SignalPlan.objects.create(
                client=client,
                version=last + 1,
                copied_from=source,
                created_by=actor,
                updated_by=actor,
                **values,
            )
    except IntegrityError:
        raise _draft_exists_error() from None
    if source is not None:
        SignalPlanContact.objects.bulk_create(
            SignalPlanContact(
                plan=draft, name=c.name, role=c.role, phone=c.phone, position=c.position
            )
            for c in source.contacts.all()
        )
    logger.info(
        "signal plan draft created signal_plan_id=%s client_id=%s version=%s",
        draft.pk,
        client.pk,
        draft.version,
    )
    return draft


def _locked_draft(plan: SignalPlan, lock_version: Any) -> SignalPlan:
    locked = SignalPlan.objects.select_for_update().select_related("client").get(pk=plan.pk)
    if locked.status != PlanStatus.DRAFT:
        raise ValidationError(
            {
                "plan": _(
                    "Deze versie is geen concept meer en kan niet worden gewijzigd. "
                    "Maak een nieuwe versie."
                )
            }
        )
    try:
        expected = int(lock_version)
    except (TypeError, ValueError):
        raise ValidationError(
            {"lock_version": _("Ongeldig versienummer van het formulier.")}
        ) from None
    if expected != locked.lock_version:
        raise ValidationError(
            {
                "lock_version": _(
                    "Iemand anders heeft dit signaleringsplan gewijzigd nadat u het opende. "
                    "Uw wijziging is niet opgeslagen. Open het plan opnieuw."
                )
            }
        )
    return locked


def _clean_contacts(contacts: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Rows with only blanks are dropped (an empty row removes a contact); a row needs a name
    and a phone number that can be dialled."""
    rows = [{f: str(c.get(f) or "").strip() for f in CONTACT_FIELDS} for c in contacts]
    rows = [r for r in rows if any(r.values())]
    errors: list[str] = []
    for number, row in enumerate(rows, start=1):
        if not row["name"]:
            errors.append(_("Contact %(n)s: vul de naam in.") % {"n": number})
        if not row["phone"]:
            errors.append(_("Contact %(n)s: vul het telefoonnummer in.") % {"n": number})
        elif not _PHONE.match(row["phone"]):
            errors.append(
                _("Contact %(n)s: het telefoonnummer bevat alleen cijfers, spaties, - en +.")
                % {"n": number}
            )
        if len(row["name"]) > 200 or len(row["role"]) > 100:
            errors.append(_("Contact %(n)s: de naam of rol is te lang.") % {"n": number})
    if len(rows) > SIGNAL_MAX_CONTACTS:
        errors.append(
            _("Een signaleringsplan heeft hoogstens %(n)s crisiscontacten.")
            % {"n": SIGNAL_MAX_CONTACTS}
        )
    if errors:
        raise ValidationError({"contacts": errors})
    return rows


@transaction.atomic
def signal_plan_update(
    *,
    actor: User,
    plan: SignalPlan,
    lock_version: Any,
    contacts: Iterable[Mapping[str, Any]] | None = None,
    **texts: Any,
) -> SignalPlan:
    """Save the texts and (when given) the crisis contacts of a draft. Fields not given keep
    their value; ``contacts`` replaces the list as a whole."""
    unknown = set(texts) - set(SIGNAL_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    locked = _locked_draft(plan, lock_version)
    require_client(actor, locked.client, ClientAction.CHANGE_CLINICAL)
    rows = _clean_contacts(contacts) if contacts is not None else None
    for field, value in texts.items():
        setattr(locked, field, (value or "").strip())
    if locked.agreed_on is not None:  # defensive: a draft never carries an agreement
        locked.agreed_on, locked.agreed_how, locked.agreed_recorded_by = None, "", None
    locked.lock_version += 1
    locked.updated_by = actor
    locked.save()
    if rows is not None:
        locked.contacts.all().delete()
        SignalPlanContact.objects.bulk_create(
            SignalPlanContact(plan=locked, position=position, **row)
            for position, row in enumerate(rows, start=1)
        )
    return locked


@transaction.atomic
def signal_plan_agree(
    *,
    actor: User,
    plan: SignalPlan,
    lock_version: Any,
    agreed_on: dt.date | None,
    agreed_how: str,
    now: dt.datetime | None = None,
) -> SignalPlan:
    """Record the client's agreement to a draft (date, how, by ``actor``): the draft is in
    force from now on and the version in force until now is archived (kept, readable).

    A plan in force must say what happens in a crisis: the red stage's signs and at least
    one crisis contact."""
    today = _today(now)
    locked = _locked_draft(plan, lock_version)
    require_client(actor, locked.client, ClientAction.CHANGE_CLINICAL)
    errors: dict[str, list[str]] = {}
    if agreed_on is None:
        errors["agreed_on"] = [_("Vul de datum van het akkoord in.")]
    elif agreed_on > today:
        errors["agreed_on"] = [_("De datum van het akkoord mag niet in de toekomst liggen.")]
    if agreed_how not in AgreementMethod.values:
        errors["agreed_how"] = [_("Kies hoe de cliënt akkoord gaf.")]
    if not locked.red_signs.strip():
        errors["red_signs"] = [_("Beschrijf eerst de signalen van een crisis (rood).")]
    if not locked.contacts.exists():
        errors["contacts"] = [_("Vul eerst minstens één crisiscontact in.")]
    if errors:
        raise ValidationError(errors)
    SignalPlan.objects.select_for_update().filter(
        client_id=locked.client_id, status=PlanStatus.ACTIVE
    ).update(status=PlanStatus.ARCHIVED, archived_on=today)
    locked.status = PlanStatus.ACTIVE
    locked.agreed_on, locked.agreed_how, locked.agreed_recorded_by = agreed_on, agreed_how, actor
    locked.lock_version += 1
    locked.updated_by = actor
    locked.save()
    logger.info("signal plan in force signal_plan_id=%s client_id=%s", locked.pk, locked.client_id)
    return locked
