"""Wmo volume delivered under each indication so far, read from the contacts in one query,
for the indication register (``wmo.selectors.indication_overview`` asks through the reader
this app registers in ``CaseloadConfig.ready``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection

from wmo.constants import Unit
from wmo.models import Indication
from wmo.selectors import Usage, granted_to_date

# Each Wmo-funded contact belongs to the first indication in force on its day (as the
# accounts count it); its minutes once per contact (one delivered unit to the client).
USAGE_SQL = """
SELECT i.id, COUNT(*), COALESCE(SUM(c.duration_minutes), 0)
FROM caseload_contact c
JOIN LATERAL (
    SELECT i.id FROM wmo_indication i
    WHERE i.client_id = c.client_id AND i.start <= c.date
      AND (i."end" IS NULL OR i."end" >= c.date)
    ORDER BY i.start, i.id
    LIMIT 1
) i ON true
WHERE c.funding_stream = 'wmo' AND c.client_id = ANY(%(clients)s)
  AND c.date >= %(since)s AND c.date <= %(today)s AND i.id = ANY(%(ids)s)
GROUP BY i.id
"""

_MINUTES_PER = {Unit.MINUUT: Decimal(1), Unit.UUR: Decimal(60)}


def indication_usage(indications: list[Indication], today: dt.date) -> dict[int, Usage]:
    """Used against granted for each indication, set-based (one query for any number)."""
    if not indications:
        return {}
    params: dict[str, Any] = {
        "clients": sorted({i.client_id for i in indications}),
        "ids": [i.pk for i in indications],
        "since": min(i.start for i in indications),
        "today": today,
    }
    with connection.cursor() as cursor:
        cursor.execute(USAGE_SQL, params)
        delivered = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    result = {}
    for indication in indications:
        count, minutes = delivered.get(indication.pk, (0, 0))
        per = _MINUTES_PER.get(Unit(indication.unit))
        used = (Decimal(minutes) / per).quantize(Decimal("0.1")) if per else Decimal(count)
        result[indication.pk] = Usage(used=used, granted=granted_to_date(indication, today))
    return result
