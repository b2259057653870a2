"""Test settings: only what tests need to differ from base."""

import os
from pathlib import Path

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from olteams.settings.base import *  # noqa: F403
from olteams.settings.base import CACHES

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES["default"]["KEY_PREFIX"] = "olteams-test"
AXES_FAILURE_LIMIT = 5
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "privates": {
        "BACKEND": "django.core.files.storage.InMemoryStorage",
        "OPTIONS": {"location": "/privates-test", "base_url": "/geen-publieke-url/"},
    },
}
SENDFILE_ROOT = Path("/privates-test")
DIGID_MODE = "mock"
CLAMAV_HOST = ""
CLAMAV_SOCKET = ""

# Tests clear the cache between tests: keep them off the development Redis database. Under
# pytest-xdist each worker (gw0, gw1, …) takes its own database counting down from the base, so
# one worker's cache.clear() or broker purge never touches another's.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw"):
    _base, _, _db = TEST_REDIS_URL.rpartition("/")
    TEST_REDIS_URL = f"{_base}/{int(_db or 15) - int(_worker[2:])}"
CACHES["default"]["LOCATION"] = TEST_REDIS_URL
CELERY_BROKER_URL = TEST_REDIS_URL
CELERY_RESULT_BACKEND = TEST_REDIS_URL
