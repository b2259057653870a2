"""``DateFormatter``: ``django.utils.dateformat.format`` for one format string, parsed once.

``dateformat.format(value, fmt)`` splits ``fmt`` with a regular expression, builds a
``DateFormat`` and evaluates a lazy translation for every month or day name, on every call:
~20 µs per value, ~1 ms for the fifty dates of a timeline page. Here the format is split once
per process (with Django's own expressions, so escapes mean the same) into a ``%`` template
with one getter per format character, and each name is translated once per formatter, on
first use. Characters without a getter here (time zones, ISO weeks, ``r``, ``c``, ...) are
formatted by ``dateformat.format`` itself, one character at a time; a ``date`` given a
format with time characters goes to ``dateformat.format`` whole, which raises as before.
The output is Django's, byte for byte (``tests/caseload/test_timeline_format.py``).

Names are translated in the language active when first needed and then kept: build one
formatter per page render (or per language), not one per process.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any

from django.utils import dateformat
from django.utils.dateformat import TimeFormat, re_escaped, re_formatchars
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_ALT, MONTHS_AP, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext

Getter = Callable[[Any], Any]

_day = attrgetter("day")
_month = attrgetter("month")
_year = attrgetter("year")
_hour = attrgetter("hour")
_minute = attrgetter("minute")


def _weekday(value: dt.date) -> int:
    return value.weekday()


def _hour12(value: dt.datetime) -> int:
    return value.hour % 12 or 12


def _suffix(value: dt.date) -> str:
    """Django's English ordinal suffix (``S``)."""
    day = value.day
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


# Format character -> (``%`` conversion, getter) for the numeric characters.
_NUMBERS: dict[str, tuple[str, Getter]] = {
    "d": ("%02d", _day),
    "j": ("%d", _day),
    "m": ("%02d", _month),
    "n": ("%d", _month),
    "y": ("%02d", lambda v: v.year % 100),
    "Y": ("%04d", _year),
    "H": ("%02d", _hour),
    "G": ("%d", _hour),
    "h": ("%02d", _hour12),
    "g": ("%d", _hour12),
    "i": ("%02d", _minute),
    "s": ("%02d", attrgetter("second")),
    "u": ("%06d", attrgetter("microsecond")),
    "w": ("%d", lambda v: (v.weekday() + 1) % 7),
    "S": ("%s", _suffix),
}

# Format character -> (names, key, title-cased) for the translated names.
_NAMES: dict[str, tuple[Mapping[int, str], Getter, bool]] = {
    "b": (MONTHS_3, _month, False),
    "M": (MONTHS_3, _month, True),
    "F": (MONTHS, _month, False),
    "E": (MONTHS_ALT, _month, False),
    "N": (MONTHS_AP, _month, False),
    "D": (WEEKDAYS_ABBR, _weekday, False),
    "l": (WEEKDAYS, _weekday, False),
}


def _translated(names: Mapping[int, str], key: Getter, title: bool) -> Getter:
    """The name of a value's month or weekday, translated once per key."""
    seen: dict[int, str] = {}

    def name(value: Any) -> str:
        k = key(value)
        try:
            return seen[k]
        except KeyError:
            text = str(names[k])
            seen[k] = text = text.title() if title else text
            return text

    return name


def _meridiem(upper: bool) -> Getter:
    """``A`` (``AM``/``PM``) or ``a`` (``a.m.``/``p.m.``), each translated once."""
    am, pm = ("AM", "PM") if upper else ("a.m.", "p.m.")
    seen: dict[bool, str] = {}

    def meridiem(value: Any) -> str:
        after = value.hour > 11
        if after not in seen:
            seen[after] = gettext(pm if after else am)
        return seen[after]

    return meridiem


def _django(char: str) -> Getter:
    """One character formatted by Django itself."""
    return lambda value: dateformat.format(value, char)


@functools.lru_cache(maxsize=64)
def _parse(format_string: str) -> tuple[str, tuple[str, ...], bool]:
    """The ``%`` template of a format string, its format characters (one per conversion) and
    whether any of them is a time character; split as ``Formatter.format`` splits it."""
    pieces = re_formatchars.split(format_string)
    template: list[str] = []
    for i, piece in enumerate(pieces):
        if i % 2:
            template.append(_NUMBERS[piece][0] if piece in _NUMBERS else "%s")
        elif piece:
            template.append(re_escaped.sub(r"\1", piece).replace("%", "%%"))
    chars = tuple(pieces[1::2])
    return "".join(template), chars, any(hasattr(TimeFormat, char) for char in chars)


class DateFormatter:
    """``dateformat.format(value, format_string)`` as a callable: ``formatter(value)``."""

    __slots__ = ("_getters", "_has_time", "_template", "format_string")

    def __init__(self, format_string: str) -> None:
        self.format_string = str(format_string)
        self._template, chars, self._has_time = _parse(self.format_string)
        self._getters = tuple(self._getter(char) for char in chars)

    @staticmethod
    def _getter(char: str) -> Getter:
        if char in _NUMBERS:
            return _NUMBERS[char][1]
        if char in _NAMES:
            return _translated(*_NAMES[char])
        if char in "aA":
            return _meridiem(upper=char == "A")
        return _django(char)

    def __call__(self, value: dt.date | dt.datetime) -> str:
        if self._has_time and type(value) is dt.date:
            # Django refuses time characters for a date: let it say so.
            return dateformat.format(value, self.format_string)
        return self._template % tuple([get(value) for get in self._getters])
