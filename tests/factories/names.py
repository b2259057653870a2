"""Random Dutch surnames that never contain a name the permission tables look for.

The tables decide "shown or hidden" by a client's surname on the page ("Boer", "Smit", …);
a randomly named worker in the page header ("Boersma") or a random other client must not
make a hidden client look shown (this happened once in CI)."""

from __future__ import annotations

import factory
from faker import Faker

# The surnames (parts) the worlds of tests/*/test_permissions.py give their clients.
RESERVED = ("boer", "smit", "dubbel", "onbeslist", "zonderfinanciering", "karel")

_faker = Faker("nl_NL")


def plain_surname() -> str:
    while True:
        name: str = _faker.last_name()
        if not any(part in name.lower() for part in RESERVED):
            return name


def person_name() -> str:
    return f"{_faker.first_name()} {plain_surname()}"


def surname() -> factory.LazyFunction:
    return factory.LazyFunction(plain_surname)
