"""``{% url %}`` is ``olteams.templatetags.fast_url``: Django's output for every form of the
tag, through ``fast_reverse`` where it can, through Django's node where it cannot."""

from __future__ import annotations

import pytest
from django.template import Context, Engine, engines
from django.test import override_settings
from django.urls import NoReverseMatch

from olteams.templatetags import fast_url

pytestmark = pytest.mark.urls("tests.olteams.fast_url_urls")

CASES = [
    ("{% url 'file' client_id=n %}", {"n": 5}),
    ("{% url 'file' client_id=0 %}", {}),
    ("{% url 'contact' client_id=n contact_id=m %}", {"n": 5, "m": 987_654_321}),
    ("{% url 'contact' contact_id=m client_id=n %}", {"n": 12, "m": 7}),
    ("{% url 'file' n %}", {"n": 5}),  # positional: Django's node
    ("{% url 'file' client_id='5' %}", {}),  # a string: Django's node
    ("{% url 'team' slug='noord' %}", {}),
    ("{% url 'year' year=2026 %}", {}),  # refuses the stand-in: Django's node
    ("{% url 'escaped' pk=3 %}", {}),
    ("{% autoescape off %}{% url 'escaped' pk=3 %}{% endautoescape %}", {}),
    ("{% url 'home' %}", {}),
    ("{% url name client_id=n %}", {"name": "file", "n": 8}),
    ("{% url 'app:item' pk=4 %}", {}),
    ("{% url 'file' client_id=n as u %}[{{ u }}]", {"n": 9}),
    ("{% url 'missing' client_id=n as u %}[{{ u }}]", {"n": 9}),
    ("{% url 'year' year=26 as u %}[{{ u }}]", {}),
]


def _render(builtins: list[str], source: str, values: dict) -> str:
    return Engine(builtins=builtins).from_string(source).render(Context(values))


@pytest.mark.parametrize(("source", "values"), CASES)
def test_it_renders_exactly_as_djangos_tag(source, values):
    expected = _render([], source, values)
    assert _render(["olteams.templatetags.fast_url"], source, values) == expected


@pytest.mark.parametrize(
    ("source", "values"),
    [
        ("{% url 'missing' client_id=1 %}", {}),
        ("{% url 'year' year=26 %}", {}),
        ("{% url 'file' client_id=-1 %}", {}),
        ("{% url 'file' contact_id=1 %}", {}),
        ("{% url 'file' client_id=flag %}", {"flag": True}),  # a bool is no integer here
    ],
)
def test_a_name_without_a_match_raises_as_djangos_tag(source, values):
    for builtins in ([], ["olteams.templatetags.fast_url"]):
        with pytest.raises(NoReverseMatch):
            _render(builtins, source, values)


def test_integers_go_through_fast_reverse(monkeypatch):
    calls = []
    real = fast_url.fast_reverse

    def spy(name, **kwargs):
        calls.append((name, kwargs))
        return real(name, **kwargs)

    monkeypatch.setattr(fast_url, "fast_reverse", spy)
    out = _render(
        ["olteams.templatetags.fast_url"],
        "{% url 'file' client_id=3 %} {% url 'team' slug='x' %} {% url 'file' 3 %}",
        {},
    )
    assert out == "/dossier/3/ /team/x/ /dossier/3/"
    assert calls == [("file", {"client_id": 3})]


@override_settings(ROOT_URLCONF="olteams.urls")
def test_the_projects_templates_use_it():
    template = engines["django"].from_string("{% url 'caseload:client-file' client_id=5 %}")
    assert isinstance(template.template.nodelist[0], fast_url.FastURLNode)
    assert template.render({}) == "/clienten/5/"
