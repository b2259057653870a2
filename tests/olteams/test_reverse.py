"""``fast_reverse`` gives what ``reverse`` gives, for the URLs pages build many times."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from olteams.reverse import fast_reverse


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("olteams:home", {}),
        ("caseload:client-file", {"client_id": 7}),
        ("caseload:client-file", {"client_id": 987_654_321}),
        ("caseload:contact-update", {"client_id": 12, "contact_id": 345}),
        ("caseload:crisis-update", {"crisis_id": 9, "client_id": 1}),
        # a real id that is another argument's stand-in stays what it is
        ("caseload:contact-update", {"client_id": 987_654_322, "contact_id": 345}),
        ("caseload:contact-update", {"client_id": 987_654_322, "contact_id": 987_654_321}),
    ],
)
def test_the_same_url_as_reverse(name, kwargs):
    assert fast_reverse(name, **kwargs) == reverse(name, kwargs=kwargs or None)


def test_an_unknown_name_or_argument_raises_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        fast_reverse("caseload:no-such-page")
    with pytest.raises(NoReverseMatch):
        fast_reverse("caseload:client-file", contact_id=3)


def test_a_script_prefix_is_kept_apart():
    from django.urls import set_script_prefix

    plain = fast_reverse("caseload:client-file", client_id=5)
    set_script_prefix("/ol/")
    try:
        assert fast_reverse("caseload:client-file", client_id=5) == "/ol" + plain
    finally:
        set_script_prefix("/")
    assert fast_reverse("caseload:client-file", client_id=5) == plain


@override_settings(ROOT_URLCONF="tests.olteams.fake_urls")
def test_another_url_configuration_is_kept_apart():
    with pytest.raises(NoReverseMatch):
        fast_reverse("caseload:client-file", client_id=5)
