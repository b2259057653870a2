"""URL kwargs of the finance app for tests/olteams/test_url_audit.py.

The finance routes carry no ``client_id``: the accounts are aggregates and the checks page
(``finance:checks``, client-identifying) records a SEARCH event per request like the
clients' list pages, so no route needs a client-scoped kwarg factory.
"""

from __future__ import annotations

from typing import Any

KWARG_FACTORIES: dict[str, Any] = {}
