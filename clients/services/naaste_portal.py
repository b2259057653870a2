"""The client's own say over their naasten in the portal: what each naaste may read
(``NaasteGrant`` per ``PortalShare`` category) and the naaste's BSN for signing in with DigiD.

A grant is never changed or deleted: a withdrawal closes it (``withdrawn_at``) and a new
grant is a new row, so the history of who could read what stays complete. The client acts
in the portal, so no staff user is recorded (``granted_by`` stays empty); the caller writes
the audit event (it has the request)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.constants import PortalAccountKind, PortalShare
from clients.models import Client, Naaste, NaasteGrant, PortalAccount
from clients.services.identity import clean_bsn


def _own_naaste(client: Client, naaste_id: int) -> Naaste:
    """The client's naaste, locked; another client's or an ended one is refused alike."""
    naaste = (
        Naaste.objects.select_for_update()
        .filter(pk=naaste_id, client=client, ended_on__isnull=True)
        .first()
    )
    if naaste is None:
        raise ValidationError({"naaste": _("Kies een van uw naasten.")})
    return naaste


def _category(value: str) -> str:
    if value not in PortalShare.values:
        raise ValidationError({"category": _("Kies wat uw naaste mag zien.")})
    return value


def naaste_grant_give(
    *, client: Client, naaste_id: int, category: str, now: dt.datetime | None = None
) -> NaasteGrant:
    """The client lets the naaste read ``category`` from now on (a new grant row)."""
    category = _category(category)
    with transaction.atomic():
        naaste = _own_naaste(client, naaste_id)
        if NaasteGrant.objects.filter(
            naaste=naaste, category=category, withdrawn_at__isnull=True
        ).exists():
            raise ValidationError(
                {"category": _("%(naaste)s mag dit al zien.") % {"naaste": naaste.name}}
            )
        try:
            with transaction.atomic():
                return NaasteGrant.objects.create(
                    client=client,
                    naaste=naaste,
                    category=category,
                    granted_at=now or timezone.now(),
                )
        except IntegrityError as error:  # a grant given at the same moment elsewhere
            raise ValidationError(
                {"category": _("%(naaste)s mag dit al zien.") % {"naaste": naaste.name}}
            ) from error


def naaste_grant_withdraw(
    *, client: Client, naaste_id: int, category: str, now: dt.datetime | None = None
) -> NaasteGrant:
    """The client ends the naaste's access to ``category``: the open grant gets
    ``withdrawn_at`` (the row stays). The naaste's next request is refused."""
    category = _category(category)
    with transaction.atomic():
        naaste = _own_naaste(client, naaste_id)
        grant = (
            NaasteGrant.objects.select_for_update()
            .filter(naaste=naaste, category=category, withdrawn_at__isnull=True)
            .first()
        )
        if grant is None:
            raise ValidationError(
                {"category": _("%(naaste)s mag dit al niet zien.") % {"naaste": naaste.name}}
            )
        grant.withdrawn_at = max(now or timezone.now(), grant.granted_at)
        grant.save(update_fields=["withdrawn_at"])
        return grant


def naaste_portal_bsn_set(*, client: Client, naaste_id: int, bsn: str) -> PortalAccount:
    """Record the naaste's BSN on their portal account (made when missing), so the naaste
    can sign in with DigiD. The BSN must pass the 11-proef, must not be the client's own and
    must not belong to another naaste of this client."""
    cleaned = clean_bsn(bsn)
    if cleaned is None:
        raise ValidationError({"bsn": _("Vul het BSN van uw naaste in.")})
    with transaction.atomic():
        naaste = _own_naaste(client, naaste_id)
        if cleaned == client.bsn:
            raise ValidationError({"bsn": _("Dit is uw eigen BSN. Vul het BSN van uw naaste in.")})
        taken = PortalAccount.objects.filter(
            client=client, kind=PortalAccountKind.NAASTE, bsn=cleaned
        ).exclude(naaste=naaste)
        if taken.exists():
            raise ValidationError({"bsn": _("Dit BSN hoort al bij een andere naaste van u.")})
        account, _created = PortalAccount.objects.get_or_create(
            naaste=naaste,
            kind=PortalAccountKind.NAASTE,
            defaults={"client": client, "bsn": cleaned},
        )
        if account.bsn != cleaned:
            account.bsn = cleaned
            account.save(update_fields=["bsn"])
        return account
