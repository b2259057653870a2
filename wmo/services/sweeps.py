"""Daily jobs: the 14-day deadline sweep and the indication expiry sweep.

Both are one set-based SQL statement each: no Python loop over requests or indications.
Running either twice, or twice at the same moment, sends every notice exactly once:

- the deadline sweep locks the due rows (``FOR UPDATE``) and stamps ``reminder_sent_at`` /
  ``escalated_at`` in the same statement; a concurrent run waits for the lock, re-checks the
  row, finds the stamp and skips it;
- every notice carries a dedupe key, and the notification table's unique (recipient,
  dedupe_key) constraint with ``ON CONFLICT DO NOTHING`` is the second guard.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from clients.models import Assignment
from olteams.models import Membership, MunicipalityRole, Notification, User
from wmo.constants import (
    EXPIRY_NOTICE_DAYS,
    EXPIRY_NOTICE_DAYS_TEMPORARY,
    OPEN_STATUSES,
    PENDING_STATUSES,
    STATUTORY_DECISION_DAYS,
    STATUTORY_ONDERZOEK_DAYS,
    WMO_DECISION_DAYS,
    WMO_REMINDER_DAY,
    DecisionKind,
)
from wmo.models import Decision, Indication, IndicationRequest

logger = logging.getLogger(__name__)

# The notification's kind badge says "Herinnering" / "Escalatie"; the title does not repeat it.
REMINDER_TITLE = "Besluit op Wmo-aanvraag %s uiterlijk %s"
REMINDER_BODY = "Deze aanvraag is %s dagen geleden ingediend; de termijn van %s dagen loopt af."
ESCALATION_TITLE = "Wmo-aanvraag %s heeft de termijn van %s dagen bereikt"
ESCALATION_BODY = "Er is nog geen besluit genomen. Uiterste besluitdatum: %s."
EXPIRY_TITLE = "Vervolgindicatie aanvragen: %s %s loopt af op %s"
EXPIRY_BODY = "Vraag tijdig een vervolgindicatie aan als de ondersteuning nodig blijft."


@dataclass(frozen=True)
class SweepResult:
    reminded: int  # requests that reached day 10 in this run
    escalated: int  # requests that reached day 14 in this run
    notifications: int  # notices actually created


def _url_template(name: str, **kwargs: int) -> str:
    """A ``format()`` template of a URL: the sentinels become ``%s``, in kwargs order."""
    url = reverse(name, kwargs={k: 900000000 + i for i, k in enumerate(kwargs)})
    for i, _k in enumerate(kwargs):
        url = url.replace(str(900000000 + i), "%s")
    return url


_DEADLINE_SQL = """
WITH due AS (
    SELECT r.id, r.reminder_sent_at IS NULL AND r.submitted_on <= %(remind_before)s AS remind,
           r.escalated_at IS NULL AND {late} AS escalate
    FROM {request} r
    WHERE r.status = ANY(%(pending)s)
      AND ((r.reminder_sent_at IS NULL AND r.submitted_on <= %(remind_before)s)
        OR (r.escalated_at IS NULL AND {late}))
    ORDER BY r.id
    FOR UPDATE
), stamped AS (
    UPDATE {request} r
    SET reminder_sent_at = CASE WHEN due.remind THEN %(now)s ELSE r.reminder_sent_at END,
        escalated_at = CASE WHEN due.escalate THEN %(now)s ELSE r.escalated_at END,
        is_overdue = r.is_overdue OR due.escalate
    FROM due WHERE r.id = due.id
    RETURNING r.id, r.client_id, r.team_id, r.municipality_id, r.reference, r.deadline,
              r.requested_by_id, due.remind, due.escalate
), notices AS (
    SELECT mr.user_id AS recipient_id, 'reminder' AS kind,
           format(%(reminder_title)s, s.reference, to_char(s.deadline, 'DD-MM-YYYY')) AS title,
           format(%(reminder_body)s, %(reminder_day)s, %(decision_days)s) AS body,
           'wmo-reminder:' || s.id AS dedupe_key, s.deadline, s.client_id, s.id
    FROM stamped s JOIN {mrole} mr ON mr.municipality_id = s.municipality_id
    WHERE s.remind AND mr.valid_from <= %(today)s
      AND (mr.valid_to IS NULL OR mr.valid_to >= %(today)s)
    UNION
    SELECT esc.user_id, 'escalation',
           format(%(escalation_title)s, s.reference, %(decision_days)s),
           format(%(escalation_body)s, to_char(s.deadline, 'DD-MM-YYYY')),
           'wmo-escalation:' || s.id, s.deadline, s.client_id, s.id
    FROM stamped s JOIN (
        SELECT mr.user_id, mr.municipality_id, NULL::bigint AS team_id FROM {mrole} mr
        WHERE mr.is_lead AND mr.valid_from <= %(today)s
          AND (mr.valid_to IS NULL OR mr.valid_to >= %(today)s)
        UNION ALL
        SELECT m.user_id, NULL::bigint, m.team_id FROM {membership} m
        WHERE m.role = 'lead' AND m.valid_from <= %(today)s
          AND (m.valid_to IS NULL OR m.valid_to >= %(today)s)
    ) esc ON esc.municipality_id = s.municipality_id OR esc.team_id = s.team_id
    WHERE s.escalate
    UNION
    -- the team member who asked is told of the reminder and the escalation too
    SELECT s.requested_by_id, CASE WHEN s.escalate THEN 'escalation' ELSE 'reminder' END,
           CASE WHEN s.escalate
                THEN format(%(escalation_title)s, s.reference, %(decision_days)s)
                ELSE format(%(reminder_title)s, s.reference, to_char(s.deadline, 'DD-MM-YYYY'))
           END,
           CASE WHEN s.escalate
                THEN format(%(escalation_body)s, to_char(s.deadline, 'DD-MM-YYYY'))
                ELSE format(%(reminder_body)s, %(reminder_day)s, %(decision_days)s)
           END,
           CASE WHEN s.escalate THEN 'wmo-escalation:' ELSE 'wmo-reminder:' END || s.id,
           s.deadline, s.client_id, s.id
    FROM stamped s JOIN {user} u ON u.id = s.requested_by_id AND u.is_active
), inserted AS (
    INSERT INTO {notification}
        (recipient_id, kind, title, body, url, dedupe_key, created_at, due_on, client_id)
    SELECT n.recipient_id, n.kind, left(n.title, 200), n.body,
           format(%(url)s, n.client_id, n.id), n.dedupe_key, %(now)s, n.deadline, n.client_id
    FROM notices n
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM stamped WHERE remind), (SELECT count(*) FROM stamped WHERE escalate),
       (SELECT count(*) FROM inserted)
"""


# Late: past the covenant's 14 days; a request the municipality put "in onderzoek" follows the
# statutory route instead (onderzoek within 6 weeks of the melding, then the beschikking within
# 2 weeks of the aanvraag), so it is late only after submission + 8 weeks.
_LATE_SQL = """CASE WHEN EXISTS (
        SELECT 1 FROM {decision} d WHERE d.request_id = r.id AND d.kind = %(onderzoek)s)
    THEN r.submitted_on + %(statutory_days)s <= %(today)s
    ELSE r.deadline <= %(today)s END"""


def deadline_sweep(*, today: dt.date, now: dt.datetime | None = None) -> SweepResult:
    """The daily 14-day clock, in one statement. Day 10 after submission: a reminder to the
    municipality's active consultants. Day 14 (the deadline): an escalation to the
    municipality's consultant leads and the team lead(s) of the requesting team, and the
    request is flagged overdue. The team member who asked is told of both (of the escalation
    only, when both fall in one run). Decided and withdrawn requests are left alone."""
    now = now or timezone.now()
    late = _LATE_SQL.format(decision=Decision._meta.db_table)
    sql = _DEADLINE_SQL.format(
        late=late,
        request=IndicationRequest._meta.db_table,
        mrole=MunicipalityRole._meta.db_table,
        membership=Membership._meta.db_table,
        notification=Notification._meta.db_table,
        user=User._meta.db_table,
    )
    params: dict[str, Any] = {
        "today": today,
        "now": now,
        "pending": [str(s) for s in PENDING_STATUSES],
        "remind_before": today - dt.timedelta(days=WMO_REMINDER_DAY),
        "reminder_day": WMO_REMINDER_DAY,
        "decision_days": WMO_DECISION_DAYS,
        "onderzoek": str(DecisionKind.IN_ONDERZOEK),
        "statutory_days": STATUTORY_ONDERZOEK_DAYS + STATUTORY_DECISION_DAYS,
        "reminder_title": REMINDER_TITLE,
        "reminder_body": REMINDER_BODY,
        "escalation_title": ESCALATION_TITLE,
        "escalation_body": ESCALATION_BODY,
        "url": _url_template("wmo:request-detail", client_id=0, pk=0),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        reminded, escalated, created = cursor.fetchone()
    logger.info(
        "wmo deadline sweep today=%s reminded=%s escalated=%s notifications=%s",
        today,
        reminded,
        escalated,
        created,
    )
    return SweepResult(reminded=reminded, escalated=escalated, notifications=created)


_EXPIRY_SQL = """
WITH inserted AS (
    INSERT INTO {notification}
        (recipient_id, kind, title, body, url, dedupe_key, created_at, due_on, client_id)
    SELECT DISTINCT a.worker_id, 'task',
           left(format(%(title)s, CASE WHEN i.is_temporary THEN 'tijdelijke indicatie'
                                       ELSE 'indicatie' END,
                       i.toewijzing_number, to_char(i."end", 'DD-MM-YYYY')), 200),
           %(body)s, format(%(url)s, i.client_id), 'wmo-expiry:' || i.id, %(now)s, i."end",
           i.client_id
    FROM {indication} i
    JOIN {assignment} a ON a.client_id = i.client_id AND a.role = 'casemanager'
         AND a.start_date <= %(today)s AND (a.end_date IS NULL OR a.end_date >= %(today)s)
    WHERE i."end" >= %(today)s
      AND i.end_reason = ''  -- ended early (outflow): nothing to follow up
      AND i."end" <= %(today)s + CASE WHEN i.is_temporary THEN %(temporary_days)s::int
                                      ELSE %(days)s::int END
      AND NOT EXISTS (
          SELECT 1 FROM {request} r
          WHERE r.client_id = i.client_id AND r.product_id = i.product_id
            AND r.status = ANY(%(open)s) AND r.created_at > i.created_at)
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM inserted
"""


def expiry_sweep(*, today: dt.date, now: dt.datetime | None = None) -> int:
    """Indications ending within 6 weeks (temporary: within 2 weeks) give the client's
    casemanager a task to request a follow-up, once per indication, unless a follow-up
    request is already open. Returns the number of tasks created."""
    now = now or timezone.now()
    sql = _EXPIRY_SQL.format(
        notification=Notification._meta.db_table,
        indication=Indication._meta.db_table,
        assignment=Assignment._meta.db_table,
        request=IndicationRequest._meta.db_table,
    )
    params: dict[str, Any] = {
        "today": today,
        "now": now,
        "title": EXPIRY_TITLE,
        "body": EXPIRY_BODY,
        "days": EXPIRY_NOTICE_DAYS,
        "temporary_days": EXPIRY_NOTICE_DAYS_TEMPORARY,
        "open": [str(s) for s in OPEN_STATUSES],
        "url": _url_template("wmo:indication-list", client_id=0),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        (created,) = cursor.fetchone()
    logger.info("wmo expiry sweep today=%s notifications=%s", today, created)
    return created
