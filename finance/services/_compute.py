"""The set-based computation of a month's account lines, for one team or for all teams at once.

Every figure comes from a handful of aggregate SQL queries over the month, each grouped by
team (never one query per team), so computing 2,000 teams costs the same number of queries
as computing two. The rules (amounts in euro, rounded to cents per line):

Revenue
- Zvw (the GGZ zorgprestatiemodel of the NZa): each worker present at a contact funded
  "zvw" bills one prestatie when the contact lasted 5 minutes or more (shorter contacts are
  not billed), the worker's discipline maps to an NZa beroep (``DISCIPLINE_BEROEP``) and the
  contact is not written: a group contact is a group consult, an MDO contact an MDO, any
  other contact with the client or a naaste a consult, diagnostiek while the client's episode
  is in its intake phase on the day, behandeling otherwise. Consults and group consults are
  billed in the NZa duration class the duration reaches (5, 15, 30, 45, 60, 75, 90, 120
  minutes). An outreach consult (at home or in the neighbourhood) with travel time adds the
  travel supplement. The amount is the ``zvw_consult`` tariff valid on the date: the client's
  insurer's own before a general one, a team's or municipality's before a general one, an
  exact prestatie, beroep and discipline before an empty one (an empty prestatie covers the
  consults, never a group consult, MDO or travel supplement), and the highest ``min_minutes``
  the duration reaches (``max_minutes``, when set, caps it). One line per prestatie, duration
  class, beroep and organisation, with the count and the amount.
- Wmo hours, as municipalities pay them: only for a contact funded "wmo" on a day the client
  holds an active indication of the client's municipality; per delivered unit to the client
  (the contact's duration once; a second worker counts only where the indication allows it);
  capped at the granted volume per period of the indication's frequency (per day, ISO week,
  calendar month, or in total since the indication started; minutes in time units only);
  x the ``wmo_uur`` tariff valid on the date (one for the indication's product wins over one
  without a product). Each counted minute belongs to the organisation of the worker who
  delivered it, so revenue is split per mother organisation like the costs.
- Wmo fixed amount: per client with an active Wmo indication in the month, the ``wmo_vast``
  tariff of the indication's municipality x days of the indication in the month / 28; the
  days stop at the client's outflow (death is an outflow) even if the indication runs on.
- Wmo arrangement: an indication granted with an arrangement (``wmo.Arrangement``) earns the
  arrangement's ``wmo_vast`` tariff x days of the indication in the month / 28, cut like the
  fixed amount (indication, tariff and month bounds, the client's outflow), the same whatever
  the hours or intensity inside it; its contacts earn no Wmo hour tariff (no double
  payment) and it earns no municipality-wide fixed amount. One line per municipality,
  arrangement and registering organisation.
- Wmo lump sum: the ``wmo_lumpsum`` tariff of the team and municipality, once per month
  (days of the tariff's validity in the month / days of the month, so a whole month is 1x).
- Wlz: per presence at a contact funded "wlz", duration / 60 x the ``wlz_uur`` tariff.
Costs
- Personnel per organisation and discipline: Σ over the team's memberships active in the
  month of fte x cost rate x days active (and the rate valid) / days in the month.
- Housing and overhead: the team's monthly amounts, for the days they are valid.
Subsidy: amount / number of months of its period, in each month of the period.
Production (quantities, amount 0): clients in care at month end and on average (care days
/ days of the month), inflow (transitions to "in zorg"), outflow (transitions to
"uitgestroomd"), FTE (Σ fte x active share), direct hours (Σ presence minutes / 60),
indirect hours (travel of each worker present + non-client time except absence +
consultations) / 60 and unpaid hours (presence minutes of contacts funded lijntje houden,
voorzorg or nazorg + consultations) / 60.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection

from caseload.constants import ABSENCE_CODES, UNPAID_FUNDING, ContactFunding, ContactKind
from clients.constants import Phase
from finance.constants import (
    DISCIPLINE_BEROEP,
    FOUR_WEEKS_DAYS,
    MONEY_PLACES,
    ZVW_CLASSED,
    ZVW_DURATION_CLASSES,
    ZVW_MIN_MINUTES,
    ZVW_OUTREACH_KINDS,
    LineCode,
    LineSection,
    TariffKind,
    TeamCostKind,
    ZvwPrestatie,
    zvw_prestatie_code,
    zvw_prestatie_label,
    zvw_prestatie_sort_key,
)
from finance.models import AccountLine
from olteams.constants import Discipline
from olteams.models import Municipality, Organisation
from wmo.models import Arrangement

_ZERO = Decimal("0")
_SIXTY = Decimal("60")
QUANTITY_PLACES = Decimal("0.01")

# Display order of the codes (lines of one code keep the order they were built in).
CODE_ORDER: list[str] = [
    LineCode.CLIENTS_MONTH_END,
    LineCode.CLIENTS_AVERAGE,
    LineCode.INFLOW,
    LineCode.OUTFLOW,
    LineCode.FTE,
    LineCode.DIRECT_HOURS,
    LineCode.INDIRECT_HOURS,
    LineCode.UNPAID_HOURS,
    LineCode.REVENUE_ZVW,
    LineCode.REVENUE_WMO_HOURS,
    LineCode.REVENUE_WMO_FIXED,
    LineCode.REVENUE_WMO_ARRANGEMENT,
    LineCode.REVENUE_WMO_LUMP_SUM,
    LineCode.REVENUE_WLZ,
    LineCode.PERSONNEL,
    LineCode.HOUSING,
    LineCode.OVERHEAD,
    LineCode.SUBSIDY,
    LineCode.ADJUSTMENT,
]
CODE_POSITION = {code: (i + 1) * 1000 for i, code in enumerate(CODE_ORDER)}


def money(value: Decimal | int | None) -> Decimal:
    return Decimal(value or 0).quantize(MONEY_PLACES, rounding=ROUND_HALF_UP)


def quantity(value: Decimal | int | None) -> Decimal:
    return Decimal(value or 0).quantize(QUANTITY_PLACES, rounding=ROUND_HALF_UP)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


@dataclass
class _Params:
    start: dt.date
    end: dt.date
    days: int
    teams: list[int] | None  # None: every team

    def sql(self) -> dict[str, Any]:
        return {
            "s": self.start,
            "e": self.end,
            # The Monday of the week the month starts in (for weekly Wmo caps).
            "ws": self.start - dt.timedelta(days=self.start.weekday()),
            "all": self.teams is None,
            "teams": self.teams or [],
        }


def _rows(sql: str, params: _Params) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params.sql())
        return list(cursor.fetchall())


_TEAM_FILTER = "(%(all)s OR {col} = ANY(%(teams)s::bigint[]))"
_VALID_ON = "t.valid_from <= {d} AND (t.valid_to IS NULL OR t.valid_to >= {d})"

# The tariff of a presence depends on its team, municipality, discipline, duration and date.
# Looking it up once per presence (millions a month at the national scale) made the month
# nine times slower than the bare aggregate. So presences are first grouped by those keys,
# with the date replaced by the start of its "tariff segment" (the month cut at every date a
# tariff starts or ends, usually one segment), and the tariff is looked up once per group.
# Only when a Wmo hour tariff is product-specific does the client's indication on the day
# matter; then Wmo presences keep their client and date in the key.
CONTACT_BOUNDS_SQL = f"""
SELECT COALESCE(array_agg(DISTINCT b.d ORDER BY b.d), '{{}}'::date[]),
       EXISTS (
           SELECT 1 FROM finance_tariff t
           WHERE t.kind = '{TariffKind.WMO_HOUR}' AND t.product_id IS NOT NULL
             AND t.valid_from <= %(e)s AND (t.valid_to IS NULL OR t.valid_to >= %(s)s))
FROM (
    SELECT t.valid_from AS d FROM finance_tariff t
    WHERE t.kind IN ('{TariffKind.ZVW_CONSULT}', '{TariffKind.WMO_HOUR}', '{TariffKind.WLZ_HOUR}')
    UNION
    SELECT t.valid_to + 1 FROM finance_tariff t
    WHERE t.kind IN ('{TariffKind.ZVW_CONSULT}', '{TariffKind.WMO_HOUR}', '{TariffKind.WLZ_HOUR}')
      AND t.valid_to IS NOT NULL
) b
WHERE b.d > %(s)s AND b.d <= %(e)s
"""  # noqa: S608 - built from constants and table names only


_OUTREACH_KINDS = ", ".join(f"'{kind}'" for kind in sorted(ZVW_OUTREACH_KINDS))
_CONSULT_PRESTATIES = (
    f"('{ZvwPrestatie.CONSULT_DIAGNOSTIEK}', '{ZvwPrestatie.CONSULT_BEHANDELING}')"
)
# The NZa beroep of a presence (NULL: a discipline that delivers no Zvw consults).
_BEROEP = (
    "CASE cw.discipline "
    + " ".join(f"WHEN '{d}' THEN '{b}'" for d, b in sorted(DISCIPLINE_BEROEP.items()))
    + " END"
)
# The client's intake periods that reach into the month (from a transition to "intake" up to
# the client's next transition): a consult on such a day is diagnostiek. One pass over the
# transitions up to the month's end, joined by client; no lookup per contact.
_INTAKE_CTE = f"""intake AS (
    SELECT client_id, since, until FROM (
        SELECT e.client_id, ph.to_phase, ph."on" AS since,
               LEAD(ph."on") OVER (PARTITION BY e.client_id ORDER BY ph."on", ph.id) AS until
        FROM clients_phasetransition ph
        JOIN clients_careepisode e ON e.id = ph.episode_id
        WHERE ph."on" <= %(e)s
    ) t
    WHERE t.to_phase = '{Phase.INTAKE}' AND (t.until IS NULL OR t.until > %(s)s)
)"""  # noqa: S608
_IN_INTAKE = "ik.client_id IS NOT NULL"
# The prestatie of a presence at a Zvw contact (NULL: nothing billed): 5 minutes or more,
# by a worker with an NZa beroep, not written; a group or an MDO is its own prestatie.
_PRESTATIE = f"""CASE WHEN c.funding_stream = 'zvw' AND c.duration_minutes >= {ZVW_MIN_MINUTES}
         AND {_BEROEP} IS NOT NULL AND c.kind <> '{ContactKind.WRITTEN}' THEN
    CASE c.kind WHEN '{ContactKind.GROUP}' THEN '{ZvwPrestatie.GROUP_CONSULT}'
                WHEN '{ContactKind.MDO}' THEN '{ZvwPrestatie.MDO}'
    ELSE CASE WHEN {_IN_INTAKE} THEN '{ZvwPrestatie.CONSULT_DIAGNOSTIEK}'
              ELSE '{ZvwPrestatie.CONSULT_BEHANDELING}' END
    END
END"""
# The duration class: the highest NZa lower bound the duration reaches (classed prestaties).
_CLASS = (
    "CASE WHEN p.prestatie IN ("
    + ", ".join(f"'{x}'" for x in sorted(ZVW_CLASSED))
    + ") THEN CASE "
    + " ".join(f"WHEN p.dur >= {low} THEN {low}" for low in reversed(ZVW_DURATION_CLASSES))
    + " END END"
)


def contacts_sql(bounds: list[dt.date]) -> str:
    """The grouped contacts query for a month cut at ``bounds`` (parameters b0, b1, ...).

    Zvw presences carry their prestatie, NZa beroep, the client's insurer and whether the
    travel supplement applies; a Zvw tariff is looked up per group: the insurer's own before a
    general one, then the team's, and the most specific prestatie, beroep and discipline, and
    the highest minute bound the duration reaches."""
    segment = "%(s)s::date"
    for i in range(len(bounds)):
        segment = f"CASE WHEN c.date >= %(b{i})s::date THEN %(b{i})s::date ELSE {segment} END"
    return f"""
WITH {_INTAKE_CTE},
p AS (
    SELECT c.team_id, c.funding_stream AS funding, cw.discipline, cl.municipality_id AS muni,
           cw.organisation_id AS org, c.duration_minutes AS dur,
           CASE WHEN %(by_product)s AND c.funding_stream = 'wmo' THEN c.client_id END
               AS client_id,
           CASE WHEN %(by_product)s AND c.funding_stream = 'wmo' THEN c.date
                ELSE {segment} END AS seg,
           {_PRESTATIE} AS prestatie,
           CASE WHEN c.funding_stream = 'zvw' THEN {_BEROEP} END AS beroep,
           CASE WHEN c.funding_stream = 'zvw' THEN cl.insurer_id END AS insurer,
           (c.kind IN ({_OUTREACH_KINDS}) AND c.travel_minutes > 0) AS outreach,
           COUNT(*) AS n, SUM(c.travel_minutes) AS travel
    FROM caseload_contactworker cw
    JOIN caseload_contact c ON c.id = cw.contact_id
    JOIN clients_client cl ON cl.id = c.client_id
    LEFT JOIN intake ik ON ik.client_id = c.client_id AND c.funding_stream = 'zvw'
        AND ik.since <= c.date AND (ik.until IS NULL OR c.date < ik.until)
    WHERE c.date BETWEEN %(s)s AND %(e)s AND {_TEAM_FILTER.format(col="c.team_id")}
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
)
SELECT p.team_id, p.funding, p.org, p.prestatie, p.beroep, {_CLASS} AS cls,
       SUM(p.n)::bigint, SUM(p.n * p.dur)::bigint, SUM(p.travel)::bigint,
       SUM(p.n * zt.amount), SUM(p.n * p.dur * ht.amount),
       COALESCE(SUM(p.n) FILTER (WHERE p.outreach AND p.prestatie IN {_CONSULT_PRESTATIES}), 0)
           ::bigint,
       SUM(p.n * rt.amount) FILTER (WHERE p.outreach AND p.prestatie IN {_CONSULT_PRESTATIES})
FROM p
LEFT JOIN LATERAL (
    SELECT t.amount FROM finance_tariff t
    WHERE p.prestatie IS NOT NULL AND t.kind = '{TariffKind.ZVW_CONSULT}'
      AND (t.prestatie = p.prestatie
           OR (t.prestatie = '' AND p.prestatie IN {_CONSULT_PRESTATIES}))
      AND (t.beroep = '' OR t.beroep = p.beroep)
      AND (t.discipline = '' OR t.discipline = p.discipline)
      AND (t.insurer_id IS NULL OR t.insurer_id = p.insurer)
      AND (t.min_minutes IS NULL OR t.min_minutes <= p.dur)
      AND (t.max_minutes IS NULL OR p.dur <= t.max_minutes)
      AND {_VALID_ON.format(d="p.seg")}
      AND (t.team_id IS NULL OR t.team_id = p.team_id)
      AND (t.municipality_id IS NULL OR t.municipality_id = p.muni)
    ORDER BY t.insurer_id NULLS LAST, t.team_id NULLS LAST, t.municipality_id NULLS LAST,
             t.prestatie = '', t.beroep = '', t.discipline = '', t.min_minutes DESC NULLS LAST
    LIMIT 1
) zt ON true
LEFT JOIN LATERAL (
    SELECT t.amount FROM finance_tariff t
    WHERE p.outreach AND p.prestatie IN {_CONSULT_PRESTATIES}
      AND t.kind = '{TariffKind.ZVW_CONSULT}' AND t.prestatie = '{ZvwPrestatie.TRAVEL}'
      AND (t.beroep = '' OR t.beroep = p.beroep)
      AND (t.insurer_id IS NULL OR t.insurer_id = p.insurer)
      AND {_VALID_ON.format(d="p.seg")}
      AND (t.team_id IS NULL OR t.team_id = p.team_id)
    ORDER BY t.insurer_id NULLS LAST, t.team_id NULLS LAST, t.beroep = ''
    LIMIT 1
) rt ON true
LEFT JOIN LATERAL (
    SELECT t.amount FROM finance_tariff t
    WHERE (
        (p.funding = 'wmo' AND t.kind = '{TariffKind.WMO_HOUR}'
         AND t.municipality_id = p.muni
         AND (t.product_id IS NULL OR EXISTS (
             SELECT 1 FROM wmo_indication i
             WHERE i.client_id = p.client_id AND i.product_id = t.product_id
               AND i.start <= p.seg AND (i."end" IS NULL OR i."end" >= p.seg))))
        OR (p.funding = 'wlz' AND t.kind = '{TariffKind.WLZ_HOUR}'
            AND (t.municipality_id IS NULL OR t.municipality_id = p.muni))
    )
      AND {_VALID_ON.format(d="p.seg")}
      AND (t.team_id IS NULL OR t.team_id = p.team_id)
    ORDER BY t.team_id NULLS LAST, t.product_id NULLS LAST, t.municipality_id NULLS LAST
    LIMIT 1
) ht ON true
GROUP BY 1, 2, 3, 4, 5, 6
"""  # noqa: S608 - built from constants, table names and parameter names only


OTHER_TIME_SQL = f"""
SELECT team_id, 'nonclient', SUM(minutes) FROM caseload_nonclienttime
WHERE date BETWEEN %(s)s AND %(e)s AND code NOT IN ({", ".join(f"'{c}'" for c in ABSENCE_CODES)})
  AND {_TEAM_FILTER.format(col="team_id")}
GROUP BY team_id
UNION ALL
SELECT team_id, 'consultation', SUM(minutes) FROM caseload_consultation
WHERE date BETWEEN %(s)s AND %(e)s AND {_TEAM_FILTER.format(col="team_id")}
GROUP BY team_id
"""  # noqa: S608 - built from constants and table names only

_M_TO = "LEAST(COALESCE(m.valid_to, %(e)s), %(e)s)"
_M_FROM = "GREATEST(m.valid_from, %(s)s)"
PERSONNEL_SQL = f"""
SELECT m.team_id, m.organisation_id, m.discipline,
       SUM(m.fte * ({_M_TO} - {_M_FROM} + 1)),
       SUM(m.fte * COALESCE(rc.rate_days, 0))
FROM olteams_membership m
LEFT JOIN LATERAL (
    SELECT SUM(r.monthly_cost_per_fte * (
        LEAST({_M_TO}, COALESCE(r.valid_to, %(e)s)) - GREATEST({_M_FROM}, r.valid_from) + 1
    )) AS rate_days
    FROM finance_costrate r
    WHERE r.organisation_id = m.organisation_id AND r.discipline = m.discipline
      AND r.valid_from <= {_M_TO} AND COALESCE(r.valid_to, %(e)s) >= {_M_FROM}
) rc ON true
WHERE m.valid_from <= %(e)s AND (m.valid_to IS NULL OR m.valid_to >= %(s)s)
  AND {_TEAM_FILTER.format(col="m.team_id")}
GROUP BY 1, 2, 3
"""  # noqa: S608 - built from constants and table names only

_T_DAYS = "(LEAST(COALESCE(t.valid_to, %(e)s), %(e)s) - GREATEST(t.valid_from, %(s)s) + 1)"
_T_OVERLAPS = "t.valid_from <= %(e)s AND (t.valid_to IS NULL OR t.valid_to >= %(s)s)"
TEAM_COSTS_SQL = f"""
SELECT t.team_id, 'cost:' || t.kind, NULL::bigint, SUM(t.monthly_amount * {_T_DAYS})
FROM finance_teamcost t
WHERE {_T_OVERLAPS} AND {_TEAM_FILTER.format(col="t.team_id")}
GROUP BY 1, 2
UNION ALL
SELECT t.team_id, 'lumpsum', t.municipality_id, SUM(t.amount * {_T_DAYS})
FROM finance_tariff t
WHERE t.kind = '{TariffKind.WMO_LUMP_SUM}' AND t.team_id IS NOT NULL
  AND {_T_OVERLAPS} AND {_TEAM_FILTER.format(col="t.team_id")}
GROUP BY 1, 2, 3
"""  # noqa: S608 - built from constants and table names only

SUBSIDY_SQL = f"""
SELECT s.team_id, s.id, s.source, s.amount,
       (EXTRACT(YEAR FROM s.valid_to) - EXTRACT(YEAR FROM s.valid_from)) * 12
       + EXTRACT(MONTH FROM s.valid_to) - EXTRACT(MONTH FROM s.valid_from) + 1
FROM finance_subsidy s
WHERE s.valid_from <= %(s)s AND s.valid_to >= %(s)s AND {_TEAM_FILTER.format(col="s.team_id")}
ORDER BY s.team_id, s.valid_from, s.id
"""  # noqa: S608 - built from constants and table names only

_OUTFLOW_DAY = f"""(
    SELECT MIN(p."on") FROM clients_phasetransition p
    JOIN clients_careepisode e ON e.id = p.episode_id
    WHERE e.client_id = i.client_id AND p.to_phase = '{Phase.OUTFLOW}' AND p."on" >= i.start)"""  # noqa: S608
_I_TO = (
    'LEAST(COALESCE(i."end", %(e)s), COALESCE(t.valid_to, %(e)s), %(e)s, '
    f"COALESCE({_OUTFLOW_DAY}, %(e)s))"
)
_I_FROM = "GREATEST(i.start, t.valid_from, %(s)s)"
WMO_FIXED_SQL = f"""
SELECT cl.team_id, i.municipality_id, cl.registering_organisation_id,
       COUNT(DISTINCT i.client_id), SUM(t.amount * ({_I_TO} - {_I_FROM} + 1))
FROM wmo_indication i
JOIN clients_client cl ON cl.id = i.client_id
JOIN finance_tariff t ON t.kind = '{TariffKind.WMO_FIXED}'
    AND t.municipality_id = i.municipality_id
    AND (t.team_id IS NULL OR t.team_id = cl.team_id)
    AND (t.product_id = i.product_id OR (t.product_id IS NULL AND NOT EXISTS (
        SELECT 1 FROM finance_tariff t2
        WHERE t2.kind = t.kind AND t2.municipality_id = t.municipality_id
          AND t2.product_id = i.product_id
          AND t2.valid_from <= %(e)s AND (t2.valid_to IS NULL OR t2.valid_to >= %(s)s))))
    AND t.arrangement_id IS NULL
    AND {_I_FROM} <= {_I_TO}
WHERE i.start <= %(e)s AND (i."end" IS NULL OR i."end" >= %(s)s) AND i.arrangement_id IS NULL
  AND {_TEAM_FILTER.format(col="cl.team_id")}
GROUP BY 1, 2, 3
"""  # noqa: S608 - built from constants and table names only

# Arrangements: per indication granted with an arrangement and per tariff of that arrangement
# valid in the month, the days it earns (the same cut as the fixed amount: indication, tariff,
# month and the client's outflow).
WMO_ARRANGEMENT_SQL = f"""
SELECT cl.team_id, i.municipality_id, cl.registering_organisation_id, i.arrangement_id, i.id,
       i.client_id, t.amount, {_I_FROM}, {_I_TO}
FROM wmo_indication i
JOIN clients_client cl ON cl.id = i.client_id
JOIN finance_tariff t ON t.kind = '{TariffKind.WMO_FIXED}'
    AND t.arrangement_id = i.arrangement_id
    AND {_I_FROM} <= {_I_TO}
WHERE i.arrangement_id IS NOT NULL
  AND i.start <= %(e)s AND (i."end" IS NULL OR i."end" >= %(s)s)
  AND {_TEAM_FILTER.format(col="cl.team_id")}
ORDER BY i.id, t.valid_from
"""  # noqa: S608 - built from constants and table names only

# Wmo contacts with the indication that covers them and the hour tariff of that day; from the
# Monday of the month's first week (earlier minutes of that week count against its cap).
WMO_HOURS_SQL = f"""
WITH c AS (
    SELECT c.id, c.team_id, c.client_id, c.date, c.duration_minutes AS dur,
           cl.municipality_id AS muni,
           array_agg(cw.organisation_id ORDER BY cw.id) AS orgs
    FROM caseload_contact c
    JOIN clients_client cl ON cl.id = c.client_id
    JOIN caseload_contactworker cw ON cw.contact_id = c.id
    WHERE c.funding_stream = 'wmo' AND c.date BETWEEN %(ws)s AND %(e)s
      AND {_TEAM_FILTER.format(col="c.team_id")}
    GROUP BY c.id, cl.municipality_id
)
SELECT c.team_id, c.muni, c.date, c.dur, c.orgs, i.id, i.volume, i.unit, i.frequency,
       i.second_worker, ht.amount, COALESCE(prior.minutes, 0)
FROM c
JOIN LATERAL (
    SELECT i.id, i.volume, i.unit, i.frequency, i.second_worker, i.product_id, i.start,
           i.arrangement_id
    FROM wmo_indication i
    WHERE i.client_id = c.client_id AND i.municipality_id = c.muni
      AND i.start <= c.date AND (i."end" IS NULL OR i."end" >= c.date)
    ORDER BY i.start, i.id
    LIMIT 1
) i ON true
LEFT JOIN LATERAL (
    SELECT t.amount FROM finance_tariff t
    WHERE t.kind = '{TariffKind.WMO_HOUR}' AND t.municipality_id = c.muni
      -- An arrangement pays per four weeks whatever the hours: no hourly tariff on top.
      AND i.arrangement_id IS NULL
      AND (t.product_id IS NULL OR t.product_id = i.product_id)
      AND {_VALID_ON.format(d="c.date")}
      AND (t.team_id IS NULL OR t.team_id = c.team_id)
    ORDER BY t.team_id NULLS LAST, t.product_id NULLS LAST
    LIMIT 1
) ht ON true
LEFT JOIN LATERAL (
    -- For a volume "in total": the minutes delivered under it before this month's window.
    SELECT SUM(c2.duration_minutes) AS minutes FROM caseload_contact c2
    WHERE i.frequency = '6' AND c2.client_id = c.client_id AND c2.funding_stream = 'wmo'
      AND c2.date >= i.start AND c2.date < %(ws)s
) prior ON true
ORDER BY i.id, c.date, c.id
"""  # noqa: S608 - built from constants and table names only

# In care between a transition to "in zorg" and the episode's next transition (exclusive).
CLIENTS_SQL = f"""
WITH tr AS (
    SELECT cl.team_id, e.client_id, p.to_phase, p."on" AS since,
           LEAD(p."on") OVER (PARTITION BY p.episode_id ORDER BY p."on", p.id) AS next_on
    FROM clients_phasetransition p
    JOIN clients_careepisode e ON e.id = p.episode_id
    JOIN clients_client cl ON cl.id = e.client_id
    WHERE p."on" <= %(e)s AND cl.merged_into_id IS NULL
      AND {_TEAM_FILTER.format(col="cl.team_id")}
)
SELECT team_id,
       COUNT(DISTINCT client_id) FILTER (
           WHERE to_phase = '{Phase.IN_CARE}' AND (next_on IS NULL OR next_on > %(e)s)),
       COALESCE(SUM(LEAST(COALESCE(next_on - 1, %(e)s), %(e)s) - GREATEST(since, %(s)s) + 1)
           FILTER (WHERE to_phase = '{Phase.IN_CARE}'
                   AND COALESCE(next_on - 1, %(e)s) >= GREATEST(since, %(s)s)), 0),
       COUNT(*) FILTER (WHERE to_phase = '{Phase.IN_CARE}' AND since >= %(s)s),
       COUNT(*) FILTER (WHERE to_phase = '{Phase.OUTFLOW}' AND since >= %(s)s)
FROM tr
GROUP BY team_id
"""  # noqa: S608 - built from constants and table names only


@dataclass
class _TeamFigures:
    lines: list[AccountLine] = field(default_factory=list)
    direct_minutes: int = 0
    unpaid_minutes: int = 0
    indirect_minutes: int = 0
    fte_days: Decimal = _ZERO


@dataclass
class _Names:
    organisations: dict[int, str]
    municipalities: dict[int, str]
    arrangements: dict[int, str] = field(default_factory=dict)


@dataclass
class ArrangementDays:
    """One indication's arrangement in a month: the days it earns and the amount."""

    arrangement_id: int
    start: dt.date
    end: dt.date
    days: int = 0
    amount_days: Decimal = _ZERO

    @property
    def amount(self) -> Decimal:
        return money(self.amount_days / FOUR_WEEKS_DAYS)


def _line(code: str, section: str, label: str, **kwargs: Any) -> AccountLine:
    kwargs.setdefault("prestatie", "")
    return AccountLine(code=code, section=section, label=label[:200], **kwargs)


def _production(code: str, value: Decimal | int, unit: str = "") -> AccountLine:
    return _line(
        code,
        LineSection.PRODUCTION,
        str(LineCode(code).label),
        quantity=quantity(value),
        unit=unit,
        amount=_ZERO,
    )


def _discipline_label(discipline: str) -> str:
    return str(Discipline(discipline).label) if discipline in Discipline.values else discipline


class MonthComputation:
    """Computes the lines of every (or the given) team's account of one month."""

    def __init__(
        self,
        *,
        month: dt.date,
        team_ids: Iterable[int] | None = None,
        ensure: Iterable[int] = (),
    ) -> None:
        end = month_end(month)
        self.params = _Params(
            start=month,
            end=end,
            days=end.day,
            teams=None if team_ids is None else sorted(set(team_ids)),
        )
        self.teams: dict[int, _TeamFigures] = defaultdict(_TeamFigures)
        # (team, prestatie, duration class, beroep, organisation) → [count, amount]
        self._zvw: dict[tuple[int, str, int | None, str, int], list[Decimal]] = {}
        # (team, municipality, organisation) → [counted minutes, amount]
        self._wmo_hours: dict[tuple[int, int | None, int | None], list[Decimal]] = {}
        self._wlz: dict[tuple[int, int], list[Decimal]] = {}
        # (organisation, municipality, indication) → [counted minutes, amount]: the WMO323.
        self.wmo_by_indication: dict[tuple[int, int, int], list[Decimal]] = {}
        # (organisation, municipality, indication) → arrangement figures: the WMO323.
        self.arrangement_by_indication: dict[tuple[int | None, int, int], ArrangementDays] = {}
        # (team, municipality, arrangement, organisation) → [client ids, amount x days]
        self._arrangements: dict[tuple[int, int, int, int | None], list[Any]] = {}
        # Team → organisation → fte-days: the key a team's lump sum is shared out by.
        self._fte_by_org: dict[int, dict[int, Decimal]] = {}
        self._org_ids: set[int] = set()
        self._municipality_ids: set[int] = set()
        # Teams that get an account even without any figure (all lines zero).
        for team_id in [*ensure, *(self.params.teams or [])]:
            self.teams[team_id] = _TeamFigures()

    def run(self) -> dict[int, list[AccountLine]]:
        """Team id → unsaved lines (positions set, account not set)."""
        clients = _rows(CLIENTS_SQL, self.params)
        contacts = self._contact_rows()
        other_time = _rows(OTHER_TIME_SQL, self.params)
        personnel = _rows(PERSONNEL_SQL, self.params)
        fixed_costs = _rows(TEAM_COSTS_SQL, self.params)
        subsidies = _rows(SUBSIDY_SQL, self.params)
        wmo_fixed = _rows(WMO_FIXED_SQL, self.params)
        self._wmo_counted(_rows(WMO_HOURS_SQL, self.params))
        self._arrangement_days(_rows(WMO_ARRANGEMENT_SQL, self.params))
        self._org_ids = (
            {row[1] for row in personnel}
            | {org for (_t, _m, org) in self._wmo_hours if org is not None}
            | {row[2] for row in contacts}
            | {row[2] for row in wmo_fixed if row[2] is not None}
            | {key[3] for key in self._arrangements if key[3] is not None}
        )
        self._municipality_ids = (
            {row[1] for row in wmo_fixed}
            | {row[2] for row in fixed_costs if row[1] == "lumpsum"}
            | {muni for (_t, muni, _o) in self._wmo_hours if muni}
            | {key[1] for key in self._arrangements}
        )
        names = self._names()
        self._clients(clients)
        self._contacts(contacts)
        self._other_time(other_time)
        self._personnel(personnel, names)
        self._revenue_lines(names)
        self._wmo_fixed(wmo_fixed, names)
        self._arrangement_lines(names)
        self._fixed_costs(fixed_costs, names)
        self._subsidies(subsidies)
        return self._finish()

    # --- reading ---------------------------------------------------------------------------
    def _contact_rows(self) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(CONTACT_BOUNDS_SQL, self.params.sql())
            bounds, by_product = cursor.fetchone()
            values = {
                **self.params.sql(),
                "by_product": bool(by_product),
                **{f"b{i}": bound for i, bound in enumerate(bounds)},
            }
            cursor.execute(contacts_sql(list(bounds)), values)
            return list(cursor.fetchall())

    def _names(self) -> _Names:
        organisations = dict(
            Organisation.objects.filter(pk__in=self._org_ids).values_list("pk", "short_name")
        )
        municipalities = dict(
            Municipality.objects.filter(pk__in=self._municipality_ids).values_list("pk", "name")
        )
        arrangement_ids = {key[2] for key in self._arrangements}
        arrangements = (
            dict(Arrangement.objects.filter(pk__in=arrangement_ids).values_list("pk", "name"))
            if arrangement_ids
            else {}
        )
        return _Names(organisations, municipalities, arrangements)

    def _clients(self, rows: list[tuple[Any, ...]]) -> None:
        for team_id, month_end_count, care_days, inflow, outflow in rows:
            figures = self.teams[team_id]
            figures.lines += [
                _production(LineCode.CLIENTS_MONTH_END, month_end_count),
                _production(LineCode.CLIENTS_AVERAGE, Decimal(care_days or 0) / self.params.days),
                _production(LineCode.INFLOW, inflow),
                _production(LineCode.OUTFLOW, outflow),
            ]

    def _contacts(self, rows: list[tuple[Any, ...]]) -> None:
        for (
            team_id,
            funding,
            org_id,
            prestatie,
            beroep,
            duration_class,
            n,
            minutes,
            travel,
            zvw,
            x60,
            outreach,
            travel_amount,
        ) in rows:
            figures = self.teams[team_id]
            figures.direct_minutes += minutes
            figures.indirect_minutes += travel
            if funding in UNPAID_FUNDING:
                figures.unpaid_minutes += minutes
            if funding == ContactFunding.ZVW and prestatie:
                self._zvw_add((team_id, prestatie, duration_class, beroep, org_id), n, zvw)
                if outreach:
                    key = (team_id, ZvwPrestatie.TRAVEL.value, None, "", org_id)
                    self._zvw_add(key, outreach, travel_amount)
            elif funding == ContactFunding.WLZ:
                acc = self._wlz.setdefault((team_id, org_id), [_ZERO, _ZERO])
                acc[0] += Decimal(minutes)
                acc[1] += (x60 or _ZERO) / _SIXTY

    def _zvw_add(self, key: tuple[int, str, int | None, str, int], n: int, amount: Any) -> None:
        acc = self._zvw.setdefault(key, [_ZERO, _ZERO])
        acc[0] += n
        acc[1] += amount or _ZERO

    def wmo_counted(self) -> None:
        """Only the Wmo hours within the indications (for a declaration)."""
        self._wmo_counted(_rows(WMO_HOURS_SQL, self.params))

    def _wmo_counted(self, rows: list[tuple[Any, ...]]) -> None:
        """Wmo hours within the indication: per delivered unit, capped per period."""
        used: dict[tuple[int, Any], int] = defaultdict(int)
        start = self.params.start
        for (
            team_id,
            municipality_id,
            day,
            duration,
            orgs,
            indication_id,
            volume,
            unit,
            frequency,
            second_worker,
            tariff,
            prior,
        ) in rows:
            key = (indication_id, _cap_period(frequency, day))
            if frequency == "6" and key not in used:
                used[key] = int(prior)
            # One unit per contact; the second worker's time only where allowed.
            shares = [(orgs[0], duration)]
            if second_worker and len(orgs) > 1:
                shares.append((orgs[1], duration))
            granted = _granted_minutes(volume, unit)
            for org_id, minutes in shares:
                counted = minutes if granted is None else max(0, min(minutes, granted - used[key]))
                used[key] += minutes
                if day < start or tariff is None or counted == 0:
                    continue
                for acc in (
                    self._wmo_hours.setdefault((team_id, municipality_id, org_id), [_ZERO, _ZERO]),
                    self.wmo_by_indication.setdefault(
                        (org_id, municipality_id, indication_id), [_ZERO, _ZERO]
                    ),
                ):
                    acc[0] += Decimal(counted)
                    acc[1] += Decimal(counted) * tariff / _SIXTY

    def _other_time(self, rows: list[tuple[Any, ...]]) -> None:
        for team_id, kind, minutes in rows:
            figures = self.teams[team_id]
            figures.indirect_minutes += minutes or 0
            if kind == "consultation":
                figures.unpaid_minutes += minutes or 0

    def _personnel(self, rows: list[tuple[Any, ...]], names: _Names) -> None:
        days = self.params.days
        for team_id, org_id, discipline, fte_days, cost_days in sorted(
            rows, key=lambda r: (r[0], names.organisations.get(r[1], ""), r[2])
        ):
            figures = self.teams[team_id]
            figures.fte_days += fte_days or _ZERO
            by_org = self._fte_by_org.setdefault(team_id, {})
            by_org[org_id] = by_org.get(org_id, _ZERO) + (fte_days or _ZERO)
            who = f"{_discipline_label(discipline)} ({names.organisations.get(org_id, '')})"
            common = {"organisation_id": org_id, "discipline": discipline}
            figures.lines.append(
                _line(
                    LineCode.FTE,
                    LineSection.PRODUCTION,
                    f"{LineCode.FTE.label}: {who}",
                    quantity=quantity((fte_days or _ZERO) / days),
                    unit="fte",
                    **common,
                )
            )
            figures.lines.append(
                _line(
                    LineCode.PERSONNEL,
                    LineSection.COST,
                    f"{LineCode.PERSONNEL.label}: {who}",
                    quantity=quantity((fte_days or _ZERO) / days),
                    unit="fte",
                    amount=money((cost_days or _ZERO) / days),
                    **common,
                )
            )

    def _revenue_lines(self, names: _Names) -> None:
        def by_name(kv: Any) -> tuple[Any, ...]:
            team_id, *rest, org_id = kv[0]
            return (team_id, *rest, names.organisations.get(org_id, ""))

        by_code = {key: zvw_prestatie_code(key[1], key[2], key[3]) for key in self._zvw}
        for key, (count, amount) in sorted(
            self._zvw.items(),
            key=lambda kv: (
                kv[0][0],
                zvw_prestatie_sort_key(by_code[kv[0]]),
                names.organisations.get(kv[0][4], ""),
            ),
        ):
            team_id, org_id, code = key[0], key[4], by_code[key]
            who = names.organisations.get(org_id, "")
            self.teams[team_id].lines.append(
                _line(
                    LineCode.REVENUE_ZVW,
                    LineSection.REVENUE,
                    f"Zvw: {zvw_prestatie_label(code)} ({who})",
                    funding_stream=ContactFunding.ZVW,
                    organisation_id=org_id,
                    prestatie=code,
                    quantity=quantity(count),
                    unit="prestatie",
                    amount=money(amount),
                )
            )
        for (team_id, municipality_id, hours_org), (minutes, amount) in sorted(
            self._wmo_hours.items(),
            key=lambda kv: (
                kv[0][0],
                names.municipalities.get(kv[0][1] or 0, ""),
                names.organisations.get(kv[0][2] or 0, ""),
            ),
        ):
            place = names.municipalities.get(municipality_id or 0, "gemeente onbekend")
            who = names.organisations.get(hours_org or 0, "")
            self.teams[team_id].lines.append(
                _line(
                    LineCode.REVENUE_WMO_HOURS,
                    LineSection.REVENUE,
                    f"{LineCode.REVENUE_WMO_HOURS.label}: {place} ({who})",
                    funding_stream=ContactFunding.WMO,
                    municipality_id=municipality_id,
                    organisation_id=hours_org,
                    quantity=quantity(minutes / _SIXTY),
                    unit="uur",
                    amount=money(amount),
                )
            )
        for (team_id, org_id), (minutes, amount) in sorted(self._wlz.items(), key=by_name):
            self.teams[team_id].lines.append(
                _line(
                    LineCode.REVENUE_WLZ,
                    LineSection.REVENUE,
                    f"{LineCode.REVENUE_WLZ.label} ({names.organisations.get(org_id, '')})",
                    funding_stream=ContactFunding.WLZ,
                    organisation_id=org_id,
                    quantity=quantity(minutes / _SIXTY),
                    unit="uur",
                    amount=money(amount),
                )
            )

    def _wmo_fixed(self, rows: list[tuple[Any, ...]], names: _Names) -> None:
        """Per client, on the organisation that registered the client (empty: unassigned)."""
        for team_id, municipality_id, org_id, clients, amount_days in sorted(
            rows,
            key=lambda r: (
                r[0],
                names.municipalities.get(r[1], ""),
                names.organisations.get(r[2] or 0, ""),
            ),
        ):
            place = names.municipalities.get(municipality_id, "")
            who = f" ({names.organisations[org_id]})" if org_id in names.organisations else ""
            self.teams[team_id].lines.append(
                _line(
                    LineCode.REVENUE_WMO_FIXED,
                    LineSection.REVENUE,
                    f"{LineCode.REVENUE_WMO_FIXED.label}: {place}{who}",
                    funding_stream=ContactFunding.WMO,
                    municipality_id=municipality_id,
                    organisation_id=org_id,
                    quantity=quantity(clients),
                    unit="cliënten",
                    amount=money((amount_days or _ZERO) / FOUR_WEEKS_DAYS),
                )
            )

    def wmo_arrangements(self) -> None:
        """Only the arrangement days per indication (for a declaration)."""
        self._arrangement_days(_rows(WMO_ARRANGEMENT_SQL, self.params))

    def _arrangement_days(self, rows: list[tuple[Any, ...]]) -> None:
        for row in rows:
            team_id, muni_id, org_id, arrangement_id, indication_id, client_id, amount = row[:7]
            start, end = row[7], row[8]
            days = (end - start).days + 1
            acc = self._arrangements.setdefault(
                (team_id, muni_id, arrangement_id, org_id), [set(), _ZERO]
            )
            acc[0].add(client_id)
            acc[1] += amount * days
            figures = self.arrangement_by_indication.setdefault(
                (org_id, muni_id, indication_id),
                ArrangementDays(arrangement_id=arrangement_id, start=start, end=end),
            )
            figures.start, figures.end = min(figures.start, start), max(figures.end, end)
            figures.days += days
            figures.amount_days += amount * days

    def _arrangement_lines(self, names: _Names) -> None:
        """Per municipality, arrangement and registering organisation: clients and amount."""
        for (team_id, muni_id, arrangement_id, org_id), (client_ids, amount_days) in sorted(
            self._arrangements.items(),
            key=lambda kv: (
                kv[0][0],
                names.municipalities.get(kv[0][1], ""),
                names.arrangements.get(kv[0][2], ""),
                names.organisations.get(kv[0][3] or 0, ""),
            ),
        ):
            place = names.municipalities.get(muni_id, "")
            name = names.arrangements.get(arrangement_id, "")
            who = f" ({names.organisations[org_id]})" if org_id in names.organisations else ""
            self.teams[team_id].lines.append(
                _line(
                    LineCode.REVENUE_WMO_ARRANGEMENT,
                    LineSection.REVENUE,
                    f"{LineCode.REVENUE_WMO_ARRANGEMENT.label}: {place} — {name}{who}",
                    funding_stream=ContactFunding.WMO,
                    municipality_id=muni_id,
                    organisation_id=org_id,
                    arrangement_id=arrangement_id,
                    quantity=quantity(len(client_ids)),
                    unit="cliënten",
                    amount=money(amount_days / FOUR_WEEKS_DAYS),
                )
            )

    def _fixed_costs(self, rows: list[tuple[Any, ...]], names: _Names) -> None:
        days = self.params.days
        for team_id, kind, municipality_id, amount_days in sorted(
            rows, key=lambda r: (r[0], r[1], r[2] or 0)
        ):
            amount = money((amount_days or _ZERO) / days)
            if kind == "lumpsum":
                place = names.municipalities.get(municipality_id, "")
                for org_id, share in _split(amount, self._fte_by_org.get(team_id, {})):
                    who = (
                        f" ({names.organisations[org_id]})" if org_id in names.organisations else ""
                    )
                    self.teams[team_id].lines.append(
                        _line(
                            LineCode.REVENUE_WMO_LUMP_SUM,
                            LineSection.REVENUE,
                            f"{LineCode.REVENUE_WMO_LUMP_SUM.label}: {place}{who}",
                            funding_stream=ContactFunding.WMO,
                            municipality_id=municipality_id,
                            organisation_id=org_id,
                            amount=share,
                        )
                    )
                continue
            code = LineCode.HOUSING if kind == "cost:" + TeamCostKind.HOUSING else LineCode.OVERHEAD
            self.teams[team_id].lines.append(
                _line(code, LineSection.COST, str(LineCode(code).label), amount=amount)
            )

    def _subsidies(self, rows: list[tuple[Any, ...]]) -> None:
        for team_id, _pk, source, amount, months in rows:
            self.teams[team_id].lines.append(
                _line(
                    LineCode.SUBSIDY,
                    LineSection.SUBSIDY,
                    source,
                    amount=money(amount / Decimal(int(months))),
                )
            )

    # --- the result ------------------------------------------------------------------------
    def _finish(self) -> dict[int, list[AccountLine]]:
        result: dict[int, list[AccountLine]] = {}
        for team_id, figures in self.teams.items():
            if not any(line.code == LineCode.CLIENTS_MONTH_END for line in figures.lines):
                figures.lines += [
                    _production(code, 0)
                    for code in (
                        LineCode.CLIENTS_MONTH_END,
                        LineCode.CLIENTS_AVERAGE,
                        LineCode.INFLOW,
                        LineCode.OUTFLOW,
                    )
                ]
            lines = [
                *figures.lines,
                _production(LineCode.DIRECT_HOURS, Decimal(figures.direct_minutes) / _SIXTY, "uur"),
                _production(
                    LineCode.INDIRECT_HOURS, Decimal(figures.indirect_minutes) / _SIXTY, "uur"
                ),
                _production(LineCode.UNPAID_HOURS, Decimal(figures.unpaid_minutes) / _SIXTY, "uur"),
            ]
            result[team_id] = order_lines(lines)
        return result


def _split(amount: Decimal, weights: dict[int, Decimal]) -> list[tuple[int | None, Decimal]]:
    """``amount`` shared by ``weights`` in cents; the rounding rest goes to the largest share,
    so the parts add up exactly. No weights: one unassigned part."""
    total = sum(weights.values(), _ZERO)
    if not weights or total <= 0:
        return [(None, amount)]
    parts = [(org, money(amount * w / total)) for org, w in sorted(weights.items())]
    rest = amount - sum((p for _o, p in parts), _ZERO)
    largest = max(range(len(parts)), key=lambda i: weights[parts[i][0]])
    org, value = parts[largest]
    parts[largest] = (org, value + rest)
    return [(org, value) for org, value in parts if value != 0]


def _cap_period(frequency: str, day: dt.date) -> Any:
    """The period a granted volume is counted in: day, ISO week, month or the whole term."""
    if frequency == "1":
        return day
    if frequency == "2":
        return day.isocalendar()[:2]
    if frequency == "4":
        return (day.year, day.month)
    return "total"


def _granted_minutes(volume: int, unit: str) -> int | None:
    """The granted volume in minutes; None when the unit is not time (no hour cap)."""
    if unit == "04":
        return volume * 60
    if unit == "01":
        return volume
    return None


def order_lines(lines: list[AccountLine]) -> list[AccountLine]:
    """Set ``position``: by code order, then in the order given within a code."""
    seen: dict[str, int] = defaultdict(int)
    ordered = sorted(lines, key=lambda line: CODE_POSITION.get(line.code, 99000))
    for line in ordered:
        line.position = CODE_POSITION.get(line.code, 99000) + seen[line.code]
        seen[line.code] += 1
    return ordered
