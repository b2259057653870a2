"""Test-data helpers: BSNs pass the 11-proef and are reproducible from a seed."""

from __future__ import annotations

import random

from stdnum.nl import bsn

from tests.factories.clients import make_bsn


def test_make_bsn_passes_the_eleven_test_and_is_reproducible():
    numbers = [make_bsn(random.Random(seed)) for seed in range(300)]
    assert all(len(n) == 9 and n.isdigit() and bsn.is_valid(n) for n in numbers)
    assert len(set(numbers)) > 290
    assert make_bsn(42) == make_bsn(42) == make_bsn(random.Random(42))


def test_eleven_test_weights():
    number = make_bsn(7)
    total = sum(w * int(d) for w, d in zip((9, 8, 7, 6, 5, 4, 3, 2, -1), number, strict=True))
    assert total % 11 == 0
