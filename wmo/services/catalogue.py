"""Writes of a municipality's catalogue: its iWmo products and its arrangements.

A functional administrator, or the municipality's own administrator
(``olteams.services.municipalities``), adds them. Bad input raises a ``ValidationError``
with Dutch field errors and saves nothing. The amount an arrangement is paid per four weeks
is a dated tariff in finance (``finance.services.municipalities``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from olteams.models import Municipality, User
from olteams.services.municipalities import require_municipality_manager
from wmo.constants import Unit
from wmo.models import Arrangement, MunicipalProduct, ProductCategory

logger = logging.getLogger(__name__)

PRODUCT_CODE = re.compile(r"^[0-9A-Z]{5}$")


def _period_errors(start: dt.date | None, end: dt.date | None, errors: dict[str, str]) -> None:
    if start is None:
        errors["start"] = _("Vul de begindatum in.")
    elif end is not None and end < start:
        errors["end"] = _("De einddatum ligt vóór de begindatum.")


def product_create(
    *,
    actor: User,
    municipality: Municipality,
    code: str,
    name: str,
    category: ProductCategory | None,
    unit: str,
    start: dt.date | None,
    end: dt.date | None = None,
) -> MunicipalProduct:
    """A product of the municipality: a code of 5 digits or capitals, unique within it."""
    require_municipality_manager(actor, municipality)
    code, name = (code or "").strip().upper(), (name or "").strip()
    errors: dict[str, str] = {}
    if not PRODUCT_CODE.match(code):
        errors["code"] = _("Een productcode bestaat uit 5 cijfers of hoofdletters, bijv. 02A01.")
    elif MunicipalProduct.objects.filter(municipality=municipality, code=code).exists():
        errors["code"] = _("Deze gemeente heeft al een product met deze code.")
    if not name:
        errors["name"] = _("Vul de naam van het product in.")
    if category is None:
        errors["category"] = _("Kies de productcategorie.")
    if unit not in Unit.values:
        errors["unit"] = _("Kies een eenheid.")
    _period_errors(start, end, errors)
    if errors:
        raise ValidationError(errors)
    assert start is not None and category is not None
    product = MunicipalProduct.objects.create(
        municipality=municipality,
        code=code,
        name=name,
        category=category,
        unit=unit,
        start=start,
        end=end,
    )
    logger.info("product created product_id=%s by=%s", product.pk, actor.pk)
    return product


def arrangement_create(
    *,
    actor: User,
    municipality: Municipality,
    name: str,
    product: MunicipalProduct | None,
    start: dt.date | None,
    end: dt.date | None = None,
    code: str = "",
    description: str = "",
) -> Arrangement:
    """An arrangement of the municipality, declared as one of its own products; the code
    (unique within the municipality) follows from the name when left empty."""
    require_municipality_manager(actor, municipality)
    name = (name or "").strip()
    code = slugify(code or name)[:40]
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Vul de naam van het arrangement in.")
    elif Arrangement.objects.filter(municipality=municipality, code=code).exists():
        errors["name"] = _("Deze gemeente heeft al een arrangement met deze naam of code.")
    if product is None:
        errors["product"] = _("Kies het product waarmee het arrangement wordt gedeclareerd.")
    elif product.municipality_id != municipality.pk:
        errors["product"] = _("Kies een product van deze gemeente.")
    _period_errors(start, end, errors)
    if errors:
        raise ValidationError(errors)
    assert start is not None and product is not None
    with transaction.atomic():
        arrangement = Arrangement.objects.create(
            municipality=municipality,
            code=code,
            name=name,
            description=(description or "").strip(),
            product=product,
            start=start,
            end=end,
        )
    logger.info("arrangement created arrangement_id=%s by=%s", arrangement.pk, actor.pk)
    return arrangement
