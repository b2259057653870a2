"""Random Dutch surnames that never contain a name the permission tables look for.

The tables decide "shown or hidden" by a client's surname on the page ("Boer", "Smit", …);
a randomly named worker in the page header ("Boersma") or a random other client must not
make a hidden client look shown (this happened once in CI). Nor a name that HTML escapes."""

from __future__ import annotations

import factory
from faker import Faker

# The surnames (parts) the worlds of tests/*/test_permissions.py give their clients.
RESERVED = ("boer", "smit", "dubbel", "onbeslist", "zonderfinanciering", "karel")

_faker = Faker("nl_NL")


# Characters HTML escapes ("van 't Riet" is "van &#x27;t Riet" on the page): a test that looks
# for a random name in a page would miss it now and then.
_ESCAPED = frozenset("'\"&<>")


def plain_surname() -> str:
    while True:
        name: str = _faker.last_name()
        if not any(part in name.lower() for part in RESERVED) and not _ESCAPED & set(name):
            return name


def person_name() -> str:
    return f"{_faker.first_name()} {plain_surname()}"


def surname() -> factory.LazyFunction:
    return factory.LazyFunction(plain_surname)
