"""``{% timeline_entries %}``: the client file's timeline as HTML, written in Python.

A page of the timeline is up to fifty entries, each with a dozen values, links and
translated words: as a template loop that was ~20 ms of the ~70 ms the client file cost
(issue 15); written here it is a few milliseconds. The rule that keeps it safe: every value
passes through ``_e`` (HTML-escaped unless already safe), markup is only ever literal text
in this module. Translated words are looked up once per language, the edit URLs reversed once
(``olteams.reverse.fast_reverse``).
The markup is the one the template had (classes, visually hidden link text) and is tested
as such.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django import template
from django.utils import timezone
from django.utils.formats import get_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from caseload.constants import ContactFunding, ContactKind
from caseload.selectors.timeline import ContactRow, TimelineEntry, TimelineKind
from olteams.fast_dateformat import DateFormatter
from olteams.markup import html_text as _e
from olteams.reverse import fast_reverse
from olteams.templatetags.cached_i18n import translation_store

register = template.Library()

GOAL_CHARS = 60
_ROW_STAND_IN = 876_543_219  # digits no URL of a client page contains


def _name(user: Any) -> str:
    return _e(user.get_full_name() or user.username)


def _lines(text: str) -> str:
    """``linebreaksbr`` of plain text: escaped, each line break a ``<br>`` (without the
    filter's lazy-string and safe-string wrappers, which cost more than the work)."""
    return html.escape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


@dataclass
class _Page:
    """What every entry of one page shares: who looks, where to return, the words (each
    escaped once), the date formats (each parsed once) and the URLs (each reversed once)."""

    user_id: int
    client_id: int
    can_change: bool
    lead_here: bool
    clinical: bool
    next_query: str
    crisis_withheld: str
    words: dict[str, str]
    kinds: dict[str, str]
    funding: dict[str, str]
    day_format: str
    moment_format: str
    minutes: dict[int, str]
    _links: dict[tuple[str, str], tuple[str, str]] = field(
        init=False, repr=False, default_factory=dict
    )
    _day: DateFormatter = field(init=False, repr=False)
    _moment: DateFormatter = field(init=False, repr=False)
    _zone: dt.tzinfo = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._day = DateFormatter(self.day_format)
        self._moment = DateFormatter(self.moment_format)
        self._zone = timezone.get_current_timezone()

    def day(self, value: Any) -> str:
        """``value`` as ``day_format`` (``dateformat.format``); empty for no date."""
        return _e(self._day(value)) if value else ""

    def moment(self, value: Any) -> str:
        """``value`` in the current time zone, as ``moment_format``."""
        if value.utcoffset() is None:  # naive: timezone.localtime raises, as it did
            value = timezone.localtime(value)
        return _e(self._moment(value.astimezone(self._zone)))

    def link(self, name: str, text: str, **kwargs: int) -> str:
        """``<a>`` to the page ``name`` of this client and the row in ``kwargs``, returning
        here afterwards; ``text`` is HTML."""
        ((key, pk),) = kwargs.items()
        around = self._links.get((name, key))
        if around is None:  # reversed once per page, with a stand-in for the row's id
            url = fast_reverse(name, client_id=self.client_id, **{key: _ROW_STAND_IN})
            head, _, tail = url.rpartition(str(_ROW_STAND_IN))  # the row comes after the client
            around = self._links[(name, key)] = (head, tail)
        url = _e(f"{around[0]}{int(pk)}{around[1]}")
        return f'<a href="{url}?next={self.next_query}">{text}</a>'

    def duration(self, n: int) -> str:
        if n not in self.minutes:
            self.minutes[n] = _e(ngettext("%(n)s minuut", "%(n)s minuten", n) % {"n": localize(n)})
        return self.minutes[n]


def _contact(e: TimelineEntry, p: _Page) -> str:
    o: ContactRow = e.obj
    w = p.words
    moment = p.moment(o.starts_at)
    funding = (
        f" · {p.funding.get(o.funding_stream) or _e(o.funding_stream)}" if o.funding_stream else ""
    )
    kind = p.kinds.get(o.kind) or _e(o.kind)
    head = f"<strong>{moment}</strong> · {w['contact']}: {kind}, {p.duration(o.duration_minutes)}{funding}"
    people = ", ".join(f"{_e(x.name)} ({_e(x.organisation)})" for x in o.presences)
    if o.naaste_present:
        people += f" · {w['naaste']}"
    if o.travel_minutes:
        people += " · " + w["travel"] % {"n": _e(localize(o.travel_minutes))}
    edit = ""
    if p.can_change and (o.author_id == p.user_id or p.lead_here):
        text = f'{w["edit"]}<span class="visually-hidden"> {w["contact_of"]} {moment}</span>'
        edit = " · " + p.link("caseload:contact-update", text, contact_id=o.pk)
    body = ""
    if e.note_visible:
        if o.goals:
            goals = "; ".join(_e(Truncator(g).chars(GOAL_CHARS)) for g in o.goals)
            body += f"<br>{w['goals']}: {goals}"
        if o.note:
            body += f'<p class="note">{_lines(o.note)}</p>'
    elif o.note:
        body = f"<br><em>{w['note_withheld']}</em>"
    return f'{head}\n    <br><span class="muted">{people}</span>\n    {edit}\n    {body}'


def _intensity(e: TimelineEntry, p: _Page) -> str:
    o, w = e.obj, p.words
    label = {"op": w["up"], "af": w["down"]}.get(o.direction, w["intensity"])
    reason = f"\n    <br>{_e(o.reason)}" if e.note_visible else ""
    return (
        f"<strong>{p.day(o.date)}</strong> · {label}: {_e(o.get_level_display())} "
        f'<span class="muted">({_name(o.by)})</span>{reason}'
    )


def _crisis(e: TimelineEntry, p: _Page) -> str:
    o, w = e.obj, p.words
    if o.ended_on:
        state = f" · {w['until']} {p.day(o.ended_on)}"
    else:
        state = f' <span class="badge badge-late">{w["running"]}</span>'
    prevented = f" · {w['prevented']}" if o.admission_prevented else ""
    end = ""
    if p.can_change and not o.ended_on:
        end = " · " + p.link("caseload:crisis-update", w["end_crisis"], crisis_id=o.pk)
    note = ""
    if e.note_visible:
        note = f"\n    <br>{_e(o.reason)}"
    elif p.clinical and o.reason:
        note = f"\n    <br><em>{_e(p.crisis_withheld)}</em>"
    return (
        f"<strong>{p.day(o.started_on)}</strong> · {w['crisis']}: "
        f"{_e(o.get_setting_display())}{state}{prevented}{end}{note}"
    )


def _consultation(e: TimelineEntry, p: _Page) -> str:
    o, w = e.obj, p.words
    note = f"\n    <br>{_e(o.note)}" if e.note_visible and o.note else ""
    return (
        f"<strong>{p.day(o.date)}</strong> · {w['consultation']}: "
        f"{_e(o.get_requester_kind_display())}, {p.duration(o.minutes)} "
        f'<span class="muted">({_name(o.worker)})</span>{note}'
    )


def _mdo(e: TimelineEntry, p: _Page) -> str:
    o, w = e.obj, p.words
    if e.note_visible:
        tasks = "; ".join(
            f"{_e(t.title)} ({_name(t.assignee)}{', ' + p.day(t.due_on) if t.due_on else ''})"
            for t in o.tasks.all()
        )
        follow_up = f"<br>{w['follow_up']}: {tasks}" if tasks else ""
        body = f'<p class="note">{_lines(o.decisions)}</p>{follow_up}'
    else:
        body = f"<br><em>{w['decision_withheld']}</em>"
    return (
        f"<strong>{p.day(o.decided_on)}</strong> · {w['mdo']} "
        f'<span class="muted">({w["chair"]} {_name(o.meeting.chair)})</span>\n    {body}'
    )


def _phase(e: TimelineEntry, p: _Page) -> str:
    o, w = e.obj, p.words
    start = f"{_e(o.get_from_phase_display())} → " if o.from_phase else ""
    note = f" · {_e(o.note)}" if o.note else ""
    return (
        f"<strong>{p.day(o.on)}</strong> · {w['phase']}: {start}"
        f'{_e(o.get_to_phase_display())}{note} <span class="muted">({_name(o.by)})</span>'
    )


_RENDER: dict[str, Callable[[TimelineEntry, _Page], str]] = {
    TimelineKind.CONTACT: _contact,
    TimelineKind.INTENSITY: _intensity,
    TimelineKind.CRISIS: _crisis,
    TimelineKind.CONSULTATION: _consultation,
    TimelineKind.MDO: _mdo,
    TimelineKind.PHASE: _phase,
}

_WORDS = {
    "contact": gettext_noop("Contact"),
    "naaste": gettext_noop("naaste aanwezig"),
    "edit": gettext_noop("Wijzigen"),
    "contact_of": gettext_noop("contact van"),
    "goals": gettext_noop("Doelen"),
    "note_withheld": gettext_noop("verslag afgeschermd"),
    "up": gettext_noop("Opgeschaald"),
    "down": gettext_noop("Afgeschaald"),
    "intensity": gettext_noop("Intensiteit"),
    "crisis": gettext_noop("Crisis"),
    "until": gettext_noop("tot"),
    "running": gettext_noop("loopt"),
    "prevented": gettext_noop("opname voorkomen"),
    "end_crisis": gettext_noop("Crisis beëindigen"),
    "consultation": gettext_noop("Consultatie"),
    "mdo": gettext_noop("MDO-besluit"),
    "chair": gettext_noop("voorzitter"),
    "follow_up": gettext_noop("Vervolgacties"),
    "decision_withheld": gettext_noop("besluit afgeschermd"),
    "phase": gettext_noop("Fase"),
    "travel": gettext_noop("reistijd %(n)s min"),
}


def render_timeline(entries: Iterable[TimelineEntry], p: _Page) -> SafeString:
    items = (
        f'<li class="timeline-{_e(e.kind)}">\n    {_RENDER[e.kind](e, p)}\n</li>' for e in entries
    )
    return mark_safe("\n".join(items))  # noqa: S308 - every value went through _e


@dataclass(frozen=True)
class _Words:
    """The words of a page in one language, escaped: the same for every page of it."""

    words: dict[str, str]
    kinds: dict[str, str]
    funding: dict[str, str]


_WORDS_BY_LANGUAGE: dict[str | None, _Words] = translation_store({})


def _words() -> _Words:
    """The active language's words, looked up once per process (the catalogs do not change
    while it runs; a test that changes them empties the store with ``cached_i18n``'s)."""
    language = get_language()
    found = _WORDS_BY_LANGUAGE.get(language)
    if found is None:
        found = _WORDS_BY_LANGUAGE[language] = _Words(
            # the ids are marked with gettext_noop above, so makemessages finds them
            words={key: _e(gettext(text)) for key, text in _WORDS.items()},
            kinds={k: _e(v) for k, v in ContactKind.choices},
            funding={k: _e(v) for k, v in ContactFunding.choices},
        )
    return found


@register.simple_tag(takes_context=True)
def timeline_entries(context: template.Context, entries: list[TimelineEntry]) -> SafeString:
    """The ``<li>`` of every entry; the page's context says who looks and what they may do."""
    words = _words()
    page = _Page(
        user_id=context["user"].pk,
        client_id=context["client"].pk,
        can_change=bool(context.get("can_change")),
        lead_here=bool(context.get("lead_here")),
        clinical=bool(context["file"].clinical),
        next_query=_e(quote(context.get("here") or "", safe="/")),
        crisis_withheld=str(context.get("crisis_withheld") or ""),
        words=words.words,
        kinds=words.kinds,
        funding=words.funding,
        day_format=get_format("SHORT_DATE_FORMAT"),
        moment_format=get_format("SHORT_DATETIME_FORMAT"),
        minutes={},
    )
    return render_timeline(entries, page)
