"""Writes of municipalities and their Wmo consultants, by a functional administrator.

The functional administrator adds a municipality; the municipality's own functional
administrator (``MunicipalityRole.is_admin``) and the functional administrator add its
consultants. A new consultant gets a user with a first password; at the first sign-in the
product asks them to enrol a second factor, as for every user. Bad input raises a
``ValidationError`` with Dutch field errors and saves nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from olteams.models import Municipality, MunicipalityRole, User

logger = logging.getLogger(__name__)

CBS_CODE = re.compile(r"^\d{4}$")
USERNAME = re.compile(r"^[\w.@+-]+$")


def municipalities_managed_by(user: User, *, today: dt.date | None = None) -> QuerySet:
    """Every municipality for a functional administrator; for a municipality's own
    administrator (a role valid today) that municipality; otherwise none."""
    if not user.is_authenticated or not user.is_active:
        return Municipality.objects.none()
    if user.is_functional_admin:
        return Municipality.objects.all()
    today = today or timezone.localdate()
    roles = MunicipalityRole.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        user=user,
        is_admin=True,
        valid_from__lte=today,
    )
    return Municipality.objects.filter(pk__in=roles.values("municipality_id"))


def can_manage_municipalities(user: User) -> bool:
    """A functional administrator (also before any municipality exists) or a municipality's
    own administrator."""
    return bool(user.is_authenticated and user.is_active and user.is_functional_admin) or (
        municipalities_managed_by(user).exists()
    )


def require_municipality_manager(user: User, municipality: Municipality) -> None:
    if not municipalities_managed_by(user).filter(pk=municipality.pk).exists():
        raise PermissionDenied(_("U beheert deze gemeente niet."))


def municipality_create(*, actor: User, name: str, cbs_code: str) -> Municipality:
    """A new municipality (functional administrators only): a unique name and a unique
    CBS code of 4 digits."""
    if not actor.is_functional_admin:
        raise PermissionDenied(_("Alleen een functioneel beheerder voegt een gemeente toe."))
    name, cbs_code = (name or "").strip(), (cbs_code or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Vul de naam van de gemeente in.")
    elif Municipality.objects.filter(name__iexact=name).exists():
        errors["name"] = _("Er is al een gemeente met deze naam.")
    if not CBS_CODE.match(cbs_code):
        errors["cbs_code"] = _("Een CBS-gemeentecode bestaat uit 4 cijfers, bijvoorbeeld 0626.")
    elif Municipality.objects.filter(cbs_code=cbs_code).exists():
        errors["cbs_code"] = _("Er is al een gemeente met deze CBS-code.")
    if errors:
        raise ValidationError(errors)
    municipality = Municipality.objects.create(name=name, cbs_code=cbs_code)
    logger.info("municipality created municipality_id=%s by=%s", municipality.pk, actor.pk)
    return municipality


def consultant_create(
    *,
    actor: User,
    municipality: Municipality,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    is_lead: bool = False,
    is_admin: bool = False,
    valid_from: dt.date | None = None,
) -> MunicipalityRole:
    """A new Wmo consultant of ``municipality``: the user (with a first password, checked
    by the password rules) and the role. A lead also gets escalations; ``is_admin`` makes
    them the municipality's own functional administrator."""
    require_municipality_manager(actor, municipality)
    username = (username or "").strip()
    errors: dict[str, list[str]] = {}
    if not USERNAME.match(username):
        errors["username"] = [_("Kies een gebruikersnaam van letters, cijfers en . @ + - _.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("Deze gebruikersnaam is al in gebruik.")]
    if not (last_name or "").strip():
        errors["last_name"] = [_("Vul de achternaam in.")]
    try:
        validate_email((email or "").strip())
    except ValidationError:
        errors["email"] = [_("Vul een geldig e-mailadres in: daar komen de meldingen.")]
    candidate = User(username=username, first_name=first_name, last_name=last_name, email=email)
    try:
        validate_password(password or "", user=candidate)
    except ValidationError:
        # One Dutch message (Django's own lack a Dutch plural for the length rule).
        errors["password"] = [
            _(
                "Kies een sterker wachtwoord: minstens 10 tekens, niet alleen cijfers, niet "
                "te algemeen en niet te veel op de naam lijkend."
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        candidate.set_password(password)
        candidate.save()
        role = MunicipalityRole.objects.create(
            user=candidate,
            municipality=municipality,
            is_lead=is_lead,
            is_admin=is_admin,
            valid_from=valid_from or timezone.localdate(),
        )
    logger.info(
        "consultant created user_id=%s municipality_id=%s by=%s",
        candidate.pk,
        municipality.pk,
        actor.pk,
    )
    return role
