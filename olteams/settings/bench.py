"""Benchmark settings: production-like (DEBUG off) on a database of its own.

Used by ``make bench`` (``python -m benchmarks``) for the in-process measurements and the
gunicorn it starts on the loopback interface. The database name comes from
``BENCH_POSTGRES_DB`` (default ``olteams_bench``), never from ``POSTGRES_DB`` or
``DATABASE_URL``, so benchmark data can never land in the development database.
"""

import os
from urllib.parse import urlsplit

BENCH_SECRET_KEY = "bench-only-secret-key-not-for-any-real-use"  # noqa: S105
os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)  # base refuses to load without one

from olteams.settings.base import *  # noqa: E402, F403
from olteams.settings.base import CACHES, DATABASE_OWNER, DATABASES, REDIS_URL, env  # noqa: E402

DEBUG = False
SECRET_KEY = BENCH_SECRET_KEY
ALLOWED_HOSTS = ["127.0.0.1"]
DATABASES["default"]["NAME"] = env("BENCH_POSTGRES_DB") or "olteams_bench"
# The benchmarks create their database, drop and rebuild the contact tables' indexes around
# the COPY loads and ANALYZE: the owner role's work (the runtime role may do none of it).
if DATABASE_OWNER:
    for _key in ("USER", "PASSWORD", "HOST", "PORT"):
        if _key in DATABASE_OWNER:
            DATABASES["default"][_key] = DATABASE_OWNER[_key]  # type: ignore[literal-required,typeddict-item]
# A Redis database of its own: a test run's cache.clear() (FLUSHDB) elsewhere must not
# empty the cache under a running benchmark, nor the benchmark touch development keys.
CACHES["default"]["LOCATION"] = env(
    "BENCH_REDIS_URL", urlsplit(REDIS_URL)._replace(path="/14").geturl()
)
CACHES["default"]["KEY_PREFIX"] = "olteams-bench"
# Plain HTTP on the loopback interface: no TLS redirect, cookies without the Secure flag.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
