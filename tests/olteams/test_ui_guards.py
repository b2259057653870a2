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


# Machine values in URLs and form fields ("?maand=2026-03") are not dates for people.
_NAMED_FORMATS = {
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "l",  # the weekday before a long date in a letter: "maandag 20 januari 2020"
    "Y-m",
    "Y-m-d",
    "c",  # ISO 8601 in <time datetime="...">, for machines
}
_DATE_FILTER = re.compile(r"""\|date:\s*["']([^"']*)["']""")


def test_templates_and_pdfs_use_the_named_dutch_date_formats():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for pattern in _DATE_FILTER.findall(line):
                if pattern not in _NAMED_FORMATS:
                    offenders.append(f"{path.relative_to(TEMPLATES)}:{number} {pattern}")
    assert offenders == []


def test_python_code_never_formats_a_date_for_people_by_hand():
    """``date_format(x, "j M Y")`` gave "17 Mei"; ``strftime("%d-%m-%Y")`` a third format."""
    offenders = []
    for app in ("olteams", "clients", "herstelplan", "wmo", "caseload", "finance"):
        for path in sorted(Path(settings.BASE_DIR, app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(r"""date_format\([^)]*["'][^"']*\bM\b""", line) or re.search(
                    r"""strftime\(["']%d-%m-%Y""", line
                ):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert offenders == []


def test_the_two_dutch_formats_write_months_in_lower_case():
    import datetime as dt

    from django.template import Context, Template

    day = dt.date(2026, 5, 17)
    rendered = Template(
        '{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|date }}|{{ n|date:"SHORT_DATE_FORMAT" }}'
        '|{{ d|date:"YEAR_MONTH_FORMAT" }}'
    ).render(Context({"d": day, "n": dt.date(2026, 11, 23)}))
    assert rendered == "17 mei 2026|17 mei 2026|23 nov 2026|mei 2026"


def test_an_empty_choice_is_dutch():
    from django import forms

    from clients.models import Client
    from olteams.models import Team

    class _Form(forms.ModelForm):
        class Meta:
            model = Client
            fields = ["gender"]

    team = forms.ModelChoiceField(queryset=Team.objects.none())
    assert team.empty_label == "— Kies —"
    html = str(_Form()["gender"])
    assert '<option value="" selected>— Kies —</option>' in html


def test_required_fields_carry_a_star_and_the_form_explains_it():
    from django import forms
    from django.template.loader import render_to_string

    class _Form(forms.Form):
        name = forms.CharField(label="Naam")
        note = forms.CharField(label="Toelichting", required=False)
        other = forms.CharField(label="Ander", required=True)

    form = _Form()
    summary = render_to_string("includes/form_errors.html", {"form": form})
    assert summary.count("zijn verplicht") == 1
    assert "Velden met een" in summary
    star = '<span class="required" aria-hidden="true">*</span>'
    assert star in render_to_string("includes/field.html", {"field": form["name"]})
    assert star not in render_to_string("includes/field.html", {"field": form["note"]})

    class _Optional(forms.Form):
        note = forms.CharField(label="Toelichting", required=False)

    assert "verplicht" not in render_to_string("includes/form_errors.html", {"form": _Optional()})
