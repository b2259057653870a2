"""``{% load i18n %}`` is the project's cached library: the same output as Django's own."""

from __future__ import annotations

import pytest
from django.template import Context, Engine
from django.test import override_settings
from django.utils import translation

from olteams.templatetags import cached_i18n

SOURCE = (
    "{% load i18n %}"
    '[{% translate "Dossier" %}]'
    "[{% trans 'Afmelden' %}]"
    '[{% translate "Meldingen per e-mail" %}]'
    '[{% translate "100%% zeker" %}]'
    "[{% translate \"<b>vet</b> & 'x'\" %}]"
    '[{% translate "Dossier" noop %}]'
    '[{% translate "Dossier" as kop %}{{ kop }}]'
    '[{% translate "May" context "month name" %}]'
    "[{% translate label %}]"
    "[{% blocktranslate with n=3 %}{{ n }} open{% endblocktranslate %}]"
    "{% autoescape off %}[{% translate \"<b>vet</b> & 'x'\" %}]{% endautoescape %}"
    '[{% translate "Nog niets vastgelegd." %}]'
)


def _render(libraries: dict[str, str], language: str, label: str) -> str:
    engine = Engine(libraries=libraries)
    with translation.override(language):
        return engine.from_string(SOURCE).render(Context({"label": label}))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("label", ["Dossier", "<i>x</i>", "Tijdlijn"])
def test_it_renders_exactly_as_djangos_library(language, label):
    django_i18n = {"i18n": "django.templatetags.i18n"}
    ours = {"i18n": "olteams.templatetags.cached_i18n"}
    expected = _render(django_i18n, language, label)
    assert _render(ours, language, label) == expected
    assert _render(ours, language, label) == expected  # from the store the second time


def test_the_projects_templates_load_it_as_i18n():
    from django.template import engines

    libraries = engines["django"].engine.template_libraries
    assert libraries["i18n"] is cached_i18n.register


def test_a_literal_is_looked_up_once_per_language_and_escaping():
    cached_i18n._STORE.clear()
    engine = Engine(libraries={"i18n": "olteams.templatetags.cached_i18n"})
    template = engine.from_string('{% load i18n %}{% translate "Dossier" %}{% translate x %}')
    for language in ("nl", "en", "nl"):
        with translation.override(language):
            template.render(Context({"x": "Tijdlijn"}))
    # The literal only (not the variable), once per language.
    assert sorted(key[:2] for key in cached_i18n._STORE) == [("en", "Dossier"), ("nl", "Dossier")]


def test_changing_the_translation_settings_empties_the_store():
    cached_i18n._STORE[("nl", "x", True)] = "y"
    with override_settings(LOCALE_PATHS=[]):
        assert cached_i18n._STORE == {}


def test_i18n_is_the_only_label_two_tag_modules_share():
    """The settings silence Django's templates.W003 for the deliberate ``i18n``; any other
    label shared by two modules is still an error here."""
    from django.template import engines

    warnings = engines["django"]._check_for_template_tags_with_the_same_name()
    assert [w.id for w in warnings] == ["templates.W003"]
    assert "'i18n'" in warnings[0].msg
    assert "olteams.templatetags.cached_i18n" in warnings[0].msg
