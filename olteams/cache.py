"""A Redis cache that tolerates Redis being down: the web keeps working without it.

Nothing the product needs to be correct lives only in the cache (sessions are in the
database, jobs in their own rows), so a read during an outage is a miss and a write is
dropped, with one warning in the log instead of a 500 on every page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _tolerant(name: str, fallback: Any) -> Any:
    parent = getattr(RedisCache, name)

    def method(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return parent(self, *args, **kwargs)
        except (RedisError, OSError) as exc:
            logger.warning("cache unavailable op=%s error=%s", name, type(exc).__name__)
            if name in ("get", "get_or_set") and len(args) > 1:
                return args[1]  # the caller's default
            if name == "get" and "default" in kwargs:
                return kwargs["default"]
            return fallback() if callable(fallback) else fallback

    method.__name__ = name
    return method


class TolerantRedisCache(RedisCache):
    """``RedisCache`` whose operations answer "miss"/"not stored" when Redis is unreachable."""

    get = _tolerant("get", None)
    set = _tolerant("set", None)
    add = _tolerant("add", False)
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    get_many = _tolerant("get_many", dict)
    set_many = _tolerant("set_many", list)
    delete_many = _tolerant("delete_many", None)
    has_key = _tolerant("has_key", False)
    clear = _tolerant("clear", None)
