"""Notification e-mail: per user off, direct, or a daily overview.

An e-mail only says that there is something to see and links to the notifications page,
behind the sign-in with two factors: never a title, a body, a client's name, a BSN or a
note (subject and body are fixed texts and a number). Notices are written by
``notification_create`` and by the set-based SQL of the Wmo sweeps alike, so what was mailed
is kept per user as a moment (``mailed_until``): each run mails about the notices created
after it, and moves it on, under a row lock, so two runs at once never mail twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from olteams.models import Notification, NotificationEmailPreference, User

logger = logging.getLogger(__name__)

Mode = NotificationEmailPreference.Mode


def notifications_url() -> str:
    return f"{settings.SITE_URL}{reverse('olteams:notification-list')}"


def notification_email_mode(*, user: User) -> str:
    pref = NotificationEmailPreference.objects.filter(user=user).first()
    return pref.mode if pref is not None else Mode.OFF


@transaction.atomic
def notification_email_mode_set(
    *, user: User, mode: str, now: dt.datetime | None = None
) -> NotificationEmailPreference:
    """Choose off, direct or daily. Switching on mails only about notices from now on."""
    if mode not in Mode.values:
        raise ValidationError({"mode": _("Kies uit, direct of dagelijks overzicht.")})
    moment = now or timezone.now()
    pref, created = NotificationEmailPreference.objects.select_for_update().get_or_create(
        user=user, defaults={"mode": mode, "mailed_until": moment}
    )
    if not created and pref.mode != mode:
        if pref.mode == Mode.OFF:
            pref.mailed_until = moment
        pref.mode = mode
        pref.save(update_fields=["mode", "mailed_until", "updated_at"])
    return pref


def _message(mode: str, count: int) -> tuple[str, str]:
    """Subject and body: fixed words and a number, nothing about whom or what."""
    if mode == Mode.DAILY:
        subject = _("Uw dagelijks overzicht van Optimaal Leven")
        lead = ngettext(
            "Sinds het vorige overzicht is er %(n)s nieuwe melding voor u.",
            "Sinds het vorige overzicht zijn er %(n)s nieuwe meldingen voor u.",
            count,
        ) % {"n": count}
    else:
        subject = _("Nieuwe melding in Optimaal Leven")
        lead = ngettext(
            "Er is %(n)s nieuwe melding voor u.", "Er zijn %(n)s nieuwe meldingen voor u.", count
        ) % {"n": count}
    body = "\n\n".join(
        [
            lead,
            _("Bekijk ze na het aanmelden op: %(url)s") % {"url": notifications_url()},
            _(
                "Deze e-mail noemt bewust geen cliënten of inhoud. U kunt de e-mail over "
                "meldingen uitzetten onder Meldingen per e-mail."
            ),
        ]
    )
    return subject, body


def notification_emails_send(
    *, mode: str, user_ids: Iterable[int] | None = None, now: dt.datetime | None = None
) -> int:
    """E-mail each user of ``mode`` (optionally only ``user_ids``) who has unread notices
    created since the last e-mail: one e-mail per user. Returns the number of e-mails."""
    moment = now or timezone.now()
    sent = 0
    with transaction.atomic():
        prefs = (
            NotificationEmailPreference.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(mode=mode, user__is_active=True, mailed_until__isnull=False)
            .exclude(user__email="")
            .select_related("user")
        )
        if user_ids is not None:
            prefs = prefs.filter(user_id__in=list(user_ids))
        rows = list(prefs)
        counts = dict(
            Notification.objects.filter(
                recipient_id__in=[p.user_id for p in rows],
                read_at__isnull=True,
                created_at__gt=F("recipient__notification_email__mailed_until"),
                created_at__lte=moment,
            )
            .values("recipient_id")
            .annotate(n=Count("id"))
            .values_list("recipient_id", "n")
        )
        for pref in rows:
            if counts.get(pref.user_id):
                subject, body = _message(mode, counts[pref.user_id])
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [pref.user.email])
                sent += 1
            pref.mailed_until = moment
        NotificationEmailPreference.objects.bulk_update(rows, ["mailed_until"])
    if sent:
        logger.info("notification mail sent mode=%s count=%s", mode, sent)
    return sent


def notification_email_enqueue(*, recipient_ids: Iterable[int]) -> None:
    """After the commit, mail the recipients who chose "direct" (a Celery task). No message
    at all when none of them did."""
    ids = list(recipient_ids)
    wanted = list(
        NotificationEmailPreference.objects.filter(user_id__in=ids, mode=Mode.DIRECT).values_list(
            "user_id", flat=True
        )
    )
    if not wanted:
        return

    def _send() -> None:
        from olteams.outbox import send
        from olteams.tasks import notification_email_direct_task

        # When the broker is down the periodic run mails them a few minutes later.
        send(notification_email_direct_task, [wanted])

    transaction.on_commit(_send, robust=True)


def urgent_email_send(*, addresses: list[str]) -> None:
    """An alert that cannot wait for anyone's choice (the audit log broke): the same fixed
    words, sent at once."""
    if not addresses:
        return
    subject = _("Dringende melding in Optimaal Leven")
    body = "\n\n".join(
        [
            _("Er is een dringende melding voor u."),
            _("Bekijk ze na het aanmelden op: %(url)s") % {"url": notifications_url()},
        ]
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
    logger.info("urgent mail sent count=%s", len(addresses))
