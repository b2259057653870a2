"""Writes of the client in the portal (Mijn Optimaal Leven): a remark on a draft plan, the
client's own agreement to it, and the client's own I.ROC at home.

The actor is a ``PortalPrincipal`` (no staff user). Only the client themselves may write
here, never a naaste; the principal's client must be the plan's client. Messages are
plain Dutch (B1): they are shown to the client as they are.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from clients.models import Client
from herstelplan.constants import IROC_INDICATOR_COUNT, AgreementMethod, PlanStatus
from herstelplan.models import (
    IrocIndicator,
    IrocSelfAnswer,
    IrocSelfAssessment,
    Plan,
    PlanChange,
    PlanComment,
)
from herstelplan.services.instruments import _clean_iroc_answers, iroc_items_ensure
from herstelplan.services.plans import _as_int, _label, _text
from olteams.access import PortalPrincipal

logger = logging.getLogger(__name__)

PLAN_COMMENT_MAX_LENGTH = 2000


def _own_client_only(principal: PortalPrincipal, client_id: int) -> None:
    """Defence in depth: the views already refuse a naaste and another client's data."""
    if not principal.is_client or principal.client_id != client_id:
        raise PermissionDenied


def _short_date(value: dt.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@transaction.atomic
def plan_agree_by_client(
    *,
    principal: PortalPrincipal,
    plan: Plan,
    lock_version: Any,
    now: dt.datetime | None = None,
) -> Plan:
    """Record that the client agrees to this draft, given by the client themselves in the
    portal: the same effect as the agreement a worker records (``plan_agreement_record``):
    the draft is agreed and the team can put it in force; a later change to the draft's
    content lapses it. ``lock_version`` is the version the client read: if the team changed
    the draft since, nothing is recorded and the client reads it again first."""
    _own_client_only(principal, plan.client_id)
    now = now or timezone.now()
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != PlanStatus.DRAFT:
        raise ValidationError(
            {"plan": _("Dit plan is geen concept meer. U hoeft er geen akkoord op te geven.")}
        )
    if locked.agreed_on is not None:
        raise ValidationError(
            {
                "plan": _("Uw akkoord op dit plan staat al vast (%(d)s).")
                % {"d": _short_date(locked.agreed_on)}
            }
        )
    if not locked.goals.exists():
        raise ValidationError(
            {"plan": _("Dit plan heeft nog geen doelen. Uw team maakt het plan eerst af.")}
        )
    if _as_int(lock_version) != locked.lock_version:
        raise ValidationError(
            {
                "plan": _(
                    "Uw team heeft het plan veranderd nadat u het opende. Lees het plan "
                    "opnieuw. Daarna kunt u akkoord geven."
                )
            }
        )
    today = timezone.localdate(now)
    locked.agreed_on, locked.agreed_how, locked.agreed_recorded_by = (
        today,
        AgreementMethod.DIGITAL,
        None,
    )
    locked.agreed_in_portal_at = now
    locked.agreed_portal_account_id = principal.account_id
    locked.agreed_sign_in = principal.method
    locked.lock_version += 1
    locked.save()
    who = locked.agreed_in_portal_label
    PlanChange.objects.bulk_create(
        PlanChange(
            plan=locked,
            lock_version=locked.lock_version,
            changed_by=None,
            changed_by_label=who,
            changed_at=now,
            field=field,
            field_label=_label(Plan, field),
            new_value=_text(value),
        )
        for field, value in (
            ("agreed_on", today),
            ("agreed_how", AgreementMethod.DIGITAL.label),
            ("agreed_in_portal_at", who),
        )
    )
    logger.info("plan agreed in portal plan_id=%s client_id=%s", locked.pk, locked.client_id)
    return locked


@transaction.atomic
def plan_comment_create(
    *, principal: PortalPrincipal, plan: Plan, text: str, now: dt.datetime | None = None
) -> PlanComment:
    """A remark of the client on a draft of their plan; the team reads it on the plan page.
    The same remark sent twice (a double click) is saved once."""
    _own_client_only(principal, plan.client_id)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)  # one write at a time per plan
    text = (text or "").strip()
    if locked.status != PlanStatus.DRAFT:
        raise ValidationError(
            {
                "plan": _(
                    "U kunt alleen reageren op een plan dat nog niet klaar is (een concept). "
                    "Wilt u iets veranderen? Vertel het uw team."
                )
            }
        )
    if not text:
        raise ValidationError({"text": _("Schrijf eerst uw opmerking.")})
    if len(text) > PLAN_COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Uw opmerking is te lang. Gebruik minder dan %(n)s tekens.")
                % {"n": PLAN_COMMENT_MAX_LENGTH}
            }
        )
    last = (
        PlanComment.objects.filter(plan=locked, portal_account_id=principal.account_id)
        .order_by("-written_at", "-id")
        .first()
    )
    if last is not None and last.text == text:
        raise ValidationError({"text": _("Deze opmerking heeft u al gestuurd.")})
    comment = PlanComment.objects.create(
        plan=locked,
        text=text,
        written_at=now or timezone.now(),
        portal_account_id=principal.account_id,
        sign_in=principal.method,
    )
    logger.info("plan comment from portal plan_id=%s comment_id=%s", locked.pk, comment.pk)
    return comment


@transaction.atomic
def iroc_self_assessment_create(
    *,
    principal: PortalPrincipal,
    client: Client,
    answers: Iterable[Mapping[str, Any]],
    now: dt.datetime | None = None,
) -> IrocSelfAssessment:
    """The client's own I.ROC, filled in at home: 12 answers scored 1-6, dated today. It is
    stored apart from the worker's I.ROC and never changes it. The same answers sent twice
    on one day (a double click) are saved once."""
    _own_client_only(principal, client.pk)
    now = now or timezone.now()
    Client.objects.select_for_update().filter(pk=client.pk).first()  # serialise per client
    errors: dict[str, list[str]] = {}
    cleaned = _clean_iroc_answers(answers, errors)
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate(now)
    last = (
        IrocSelfAssessment.objects.filter(client=client, date=today)
        .prefetch_related("answers")
        .order_by("-id")
        .first()
    )
    if (
        last is not None
        and {a.indicator_id: (a.score, a.note) for a in last.answers.all()} == cleaned
    ):
        raise ValidationError({"answers": [_("U heeft deze antwoorden vandaag al opgeslagen.")]})
    assessment = IrocSelfAssessment.objects.create(
        client=client, date=today, created_at=now, portal_account_id=principal.account_id
    )
    indicators = {i.number: i for i in IrocIndicator.objects.all()}
    if len(indicators) != IROC_INDICATOR_COUNT:  # wording flushed away: load it again
        iroc_items_ensure()
        indicators = {i.number: i for i in IrocIndicator.objects.all()}
    IrocSelfAnswer.objects.bulk_create(
        IrocSelfAnswer(assessment=assessment, indicator=indicators[n], score=score, note=note)
        for n, (score, note) in sorted(cleaned.items())
    )
    logger.info("iroc self assessment id=%s client_id=%s", assessment.pk, client.pk)
    return assessment
