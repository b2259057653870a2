"""The timeline's dates (``olteams.fast_dateformat``) are Django's, byte for byte: every month,
every day, the hours around noon and midnight, both daylight-saving switches in Amsterdam,
in Dutch and English, for the page's formats and others."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import linebreaksbr
from django.test import override_settings
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.formats import get_format

from caseload.templatetags.timeline import _WORDS_BY_LANGUAGE, _e, _lines, _Page, _words
from olteams.fast_dateformat import DateFormatter

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LANGUAGES = ["nl", "en"]
# The page's own formats (SHORT_DATE_FORMAT, SHORT_DATETIME_FORMAT) are added per language.
FORMATS = [
    "j F Y",
    "j b Y",
    "j b Y H:i",
    "D j M Y, H:i",
    "l j F Y G:i",
    "d-m-Y",
    "y n j g:i a A h:i:s.u w jS",
    "E N",
    r"\j\a\n\u\a\r\i j \\F 100% %s %% l",
    # handed to dateformat.format one character at a time
    "e O T Z I P f c r U L o W z t",
]
DATE_FORMATS = [f for f in FORMATS if not any(c in f for c in "aAeOTZIPfcrUhHgGiIsu")]


def _dates() -> list[dt.date]:
    """Every day of a leap year and of the page's year, and years of fewer digits."""
    start = dt.date(2024, 1, 1)
    days = [start + dt.timedelta(days=n) for n in range((dt.date(2027, 1, 1) - start).days)]
    return [
        *days,
        dt.date(2000, 2, 29),
        dt.date(2009, 12, 31),
        dt.date(999, 1, 1),
        dt.date(5, 6, 7),
    ]


def _moments() -> list[dt.datetime]:
    """Aware datetimes in UTC: every day of 2026 at a changing hour and minute, every hour
    of one day at several minutes, and every quarter hour around both switches of 2026."""
    values = [
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=n, hours=n % 24, minutes=n % 60)
        for n in range(365)
    ]
    values += [
        dt.datetime(2026, 6, 15, hour, minute, tzinfo=dt.UTC)
        for hour in range(24)
        for minute in (0, 1, 30, 59)
    ]
    values += [dt.datetime(2007, 8, 9, 23, 59, 58, 123, tzinfo=dt.UTC)]
    for switch in (
        dt.datetime(2026, 3, 29, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 25, 1, tzinfo=dt.UTC),
    ):
        values += [switch + dt.timedelta(minutes=15 * n) for n in range(-12, 13)]
    return values


DATES = _dates()
MOMENTS = _moments()


def _page() -> _Page:
    """A page with the active language's formats, as ``timeline_entries`` builds it."""
    return _Page(
        user_id=1,
        client_id=1,
        can_change=False,
        lead_here=False,
        clinical=False,
        next_query="",
        crisis_withheld="",
        words={},
        kinds={},
        funding={},
        day_format=get_format("SHORT_DATE_FORMAT"),
        moment_format=get_format("SHORT_DATETIME_FORMAT"),
        minutes={},
    )


def _mismatches(fmt: str, values: list) -> list[tuple[object, str, str]]:
    fast = DateFormatter(fmt)
    return [
        (v, fast(v), django) for v in values if fast(v) != (django := dateformat.format(v, fmt))
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_formats_dates_and_moments_as_django_does(language):
    with translation.override(language):
        page = _page()
        for value in DATES:
            assert page.day(value) == _e(dateformat.format(value, page.day_format)), value
        for value in MOMENTS:
            expected = _e(dateformat.format(timezone.localtime(value), page.moment_format))
            assert page.moment(value) == expected, value
        assert page.day(None) == ""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_datetimes_in_amsterdam_as_django_formats_them(language, fmt):
    local = [timezone.localtime(v, AMSTERDAM) for v in MOMENTS]
    naive = [v.replace(tzinfo=None) for v in local[:60]]
    with translation.override(language):
        assert _mismatches(fmt, local + MOMENTS + naive) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("fmt", DATE_FORMATS)
def test_dates_as_django_formats_them(language, fmt):
    with translation.override(language):
        assert _mismatches(fmt, DATES) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_formats_of_each_language(language):
    with translation.override(language):
        for name in (
            "DATE_FORMAT",
            "SHORT_DATE_FORMAT",
            "DATETIME_FORMAT",
            "SHORT_DATETIME_FORMAT",
        ):
            fmt = get_format(name)
            assert _mismatches(fmt, MOMENTS) == [], name
            if name.endswith("DATE_FORMAT"):
                assert _mismatches(fmt, DATES) == [], name


def test_dutch_names_and_the_switches_to_and_from_summer_time():
    """Not only equal to Django: what a Dutch reader sees."""
    with translation.override("nl"):
        page = _page()
        assert page.day(dt.date(2026, 3, 2)) == "2 mrt 2026"
        assert page.moment(dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)) == "29 mrt 2026 01:30"
        assert page.moment(dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)) == "29 mrt 2026 03:30"
        assert page.moment(dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)) == "25 okt 2026 02:30"
        assert page.moment(dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)) == "25 okt 2026 02:30"
        assert DateFormatter("l j F Y")(dt.date(2026, 5, 4)) == "maandag 4 mei 2026"
    with translation.override("en"):
        assert (
            DateFormatter("D j M Y, H:i")(dt.datetime(2026, 5, 4, 0, 5)) == "Mon 4 May 2026, 00:05"
        )


def test_the_current_time_zone_of_the_page():
    value = dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)
    with translation.override("nl"), timezone.override(ZoneInfo("America/New_York")):
        page = _page()
        assert page.moment(value) == _e(
            dateformat.format(timezone.localtime(value), page.moment_format)
        )
        assert page.moment(value).endswith(" 08:00")


def test_errors_stay_django_s():
    with translation.override("nl"):
        page = _page()
        with pytest.raises(ValueError, match="naive"):
            page.moment(dt.datetime(2026, 3, 2, 14, 30))
        with pytest.raises(TypeError, match="time-related"):
            DateFormatter("j b Y H:i")(dt.date(2026, 3, 2))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "één regel",
        "twee\nregels",
        "windows\r\nregels\r\nen\roude mac",
        "\n\nleeg begin\n\n",
        "<script>alert('x')</script> & \"aanhalingstekens\"\r\n<b>vet</b>",
    ],
)
def test_the_line_breaks_of_a_note_are_djangos_linebreaksbr(text):
    assert _lines(text) == linebreaksbr(text, autoescape=True)


def test_every_edit_link_names_its_own_row_and_returns_here():
    page = _page()
    page.next_query = "/clienten/1/%3Fpagina%3D876543219"
    links = [page.link("caseload:contact-update", "Wijzigen", contact_id=pk) for pk in (7, 12, 7)]
    assert links == [
        f'<a href="{reverse("caseload:contact-update", kwargs={"client_id": 1, "contact_id": pk})}'
        f'?next=/clienten/1/%3Fpagina%3D876543219">Wijzigen</a>'
        for pk in (7, 12, 7)
    ]
    crisis = page.link("caseload:crisis-update", "Beëindigen", crisis_id=7)
    assert reverse("caseload:crisis-update", kwargs={"client_id": 1, "crisis_id": 7}) in crisis
    # a client whose id holds the stand-in's digits keeps them
    page = _page()
    page.client_id = 1_876_543_219
    kwargs = {"client_id": page.client_id, "contact_id": 5}
    assert reverse("caseload:contact-update", kwargs=kwargs) in page.link(
        "caseload:contact-update", "Wijzigen", contact_id=5
    )


def test_the_words_are_looked_up_once_per_language():
    _WORDS_BY_LANGUAGE.clear()
    with translation.override("nl"):
        dutch = _words()
        assert _words() is dutch
        assert dutch.words["edit"] == "Wijzigen"
    with translation.override("en"):
        assert _words() is not dutch
    assert set(_WORDS_BY_LANGUAGE) == {"nl", "en"}
    with override_settings(LANGUAGES=[("nl", "Nederlands")]):
        assert not _WORDS_BY_LANGUAGE  # a change of languages empties the store
