"""Templates never localise a number that goes into a URL or a form value.

With ``USE_THOUSAND_SEPARATOR`` on and Dutch formats, ``{{ team.pk }}`` renders id 1185 as
"1.185": a link or hidden field built from it points at nothing once ids pass 999 (found by
the browser journey when a long test run pushed the ids over 1,000). Such values go through
``|unlocalize`` (or ``{% url %}``).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

# {{ something.pk }}, {{ x_id }}, {{ page.next_page_number }} … inside value="…" or after "=".
_NUMBER_IN_ATTRIBUTE = re.compile(
    r'(?:value="|=)\{\{\s*[\w.]*(?:\.pk|_id|\.id|_number|percent)\s*\}\}'
)


def test_no_template_localises_an_id_in_a_url_or_form_value():
    offenders = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if _NUMBER_IN_ATTRIBUTE.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert offenders == []


def test_unlocalize_keeps_a_large_id_usable():
    rendered = Template('{% load l10n %}<a href="?team={{ pk|unlocalize }}">{{ pk }}</a>').render(
        Context({"pk": 1185})
    )
    assert rendered == '<a href="?team=1185">1.185</a>'
