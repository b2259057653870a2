"""Dutch date formats of the whole product: one short and one long format (STYLE.md).

Django's own Dutch formats, with a short format that reads like the long one ("23 nov 2026",
lower-case month as Dutch writes it) instead of "23-11-2026". Templates and PDFs use the
named formats (``|date:"SHORT_DATE_FORMAT"``, ``|date`` for the long one), never a
hand-written pattern; ``tests/olteams/test_ui_guards.py`` enforces that.
"""

from django.conf.locale.nl.formats import *  # noqa: F403 - input formats, separators

DATE_FORMAT = "j F Y"  # 23 november 2026
SHORT_DATE_FORMAT = "j b Y"  # 23 nov 2026
DATETIME_FORMAT = "j F Y H:i"  # 23 november 2026 14:05
SHORT_DATETIME_FORMAT = "j b Y H:i"  # 23 nov 2026 14:05
YEAR_MONTH_FORMAT = "F Y"  # november 2026
MONTH_DAY_FORMAT = "j F"  # 23 november
