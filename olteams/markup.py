"""HTML written in Python where a template loop costs more than the markup (issue 15)."""

from __future__ import annotations

import html
from typing import Any

from django.utils.safestring import SafeData


def html_text(value: Any) -> str:
    """The value as HTML text, as a template's ``{{ value }}`` writes it: escaped, unless it
    is already safe markup (Django's ``conditional_escape`` without its lazy-string
    wrapper)."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))
