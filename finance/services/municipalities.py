"""An arrangement with its amount per four weeks, added in one step by a functional
administrator or the municipality's own administrator: the arrangement (``wmo``) and its
dated ``wmo_vast`` tariff (the same rules as on the tariff pages) in one transaction, so a
refused amount leaves no arrangement without a price."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from finance.constants import TariffKind
from finance.models import Tariff
from finance.services.data import _tariff_save
from olteams.models import Municipality, User
from olteams.services.municipalities import require_municipality_manager
from wmo.models import Arrangement, MunicipalProduct
from wmo.services.catalogue import arrangement_create

logger = logging.getLogger(__name__)


def arrangement_with_tariff_create(
    *,
    actor: User,
    municipality: Municipality,
    name: str,
    product: MunicipalProduct | None,
    start: dt.date | None,
    amount: Decimal | None,
    end: dt.date | None = None,
    code: str = "",
    description: str = "",
) -> Arrangement:
    """The arrangement and its tariff per four weeks, valid from the arrangement's start to
    its end. Field errors of both are raised together; nothing is saved on an error."""
    require_municipality_manager(actor, municipality)
    errors: dict[str, Any] = {}
    if amount is None:
        errors["amount"] = [_("Vul het bedrag per 4 weken in.")]
    try:
        with transaction.atomic():
            arrangement = arrangement_create(
                actor=actor,
                municipality=municipality,
                name=name,
                product=product,
                start=start,
                end=end,
                code=code,
                description=description,
            )
            if errors or start is None:
                raise ValidationError(errors)
            _tariff_save(
                Tariff(
                    kind=TariffKind.WMO_FIXED,
                    municipality=municipality,
                    arrangement=arrangement,
                    amount=amount,
                    valid_from=start,
                    valid_to=end,
                    note=f"Arrangement {arrangement.name}"[:200],
                    discipline="",
                    prestatie="",
                    beroep="",
                )
            )
    except ValidationError as exc:
        raise ValidationError({**errors, **exc.message_dict}) from exc
    logger.info("arrangement tariff created arrangement_id=%s by=%s", arrangement.pk, actor.pk)
    return arrangement
