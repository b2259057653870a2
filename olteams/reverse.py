"""``fast_reverse``: ``reverse`` for the URLs every page builds many times over.

A page reverses the same patterns again and again: the menu's items, a client's tabs, the
edit link of every timeline entry. Each ``reverse`` walks the resolver (~25 µs); the menu
and tabs alone were ~20 per request (issue 15). Here each pattern is reversed once per
process (and URL configuration and script prefix) with stand-in integers, and the real
integers are put in their place afterwards.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Stand-ins for integer arguments: digits no real URL of ours contains.
_STAND_INS = (987_654_321, 987_654_322, 987_654_323)
MAX_ARGUMENTS = len(_STAND_INS)
_STAND_IN_PATTERN = re.compile("|".join(str(n) for n in _STAND_INS))


@functools.lru_cache(maxsize=512)
def _pattern(name: str, keys: tuple[str, ...], urlconf: str | None, prefix: str) -> str | None:
    kwargs = dict(zip(keys, _STAND_INS, strict=False))
    try:
        return reverse(name, urlconf=urlconf, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def fast_reverse(name: str, **kwargs: int) -> str:
    """``reverse(name, kwargs=kwargs)`` for integer arguments (at most three); raises
    ``NoReverseMatch`` as ``reverse`` does."""
    if len(kwargs) > MAX_ARGUMENTS:
        return reverse(name, kwargs=kwargs)
    keys = tuple(sorted(kwargs))
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    url = _pattern(name, keys, urlconf, get_script_prefix())
    if url is None:
        raise NoReverseMatch(f"{name!r} with {keys}")
    if not keys:
        return url
    # One pass over the URL: a real value that is another argument's stand-in stays itself.
    values = {
        str(stand_in): str(int(kwargs[key]))
        for key, stand_in in zip(keys, _STAND_INS, strict=False)
    }
    return _STAND_IN_PATTERN.sub(lambda found: values.get(found.group(), found.group()), url)
