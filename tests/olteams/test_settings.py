"""Settings: env-driven, fail hard without a SECRET_KEY, deploy check clean in production."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
_APP_VARIABLES = (
    "SECRET_KEY",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DIGID_MODE",
    "DIGID_MOCK_ALLOWED",
)


def run_python(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in _APP_VARIABLES}
    return subprocess.run(  # noqa: S603 — this interpreter, fixed arguments
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_base_settings_refuse_to_load_without_a_secret_key_when_debug_is_off():
    result = run_python(["-c", "import olteams.settings.base"], DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_base_settings_load_without_a_secret_key_in_debug_mode():
    result = run_python(
        ["-c", "import olteams.settings.base as s; print(s.DEBUG, len(s.SECRET_KEY) > 0)"],
        DEBUG="true",
    )
    assert (result.returncode, result.stdout.strip()) == (0, "True True")


def test_database_url_wins_over_postgres_variables():
    code = (
        "import olteams.settings.base as s; d = s.DATABASES['default']; "
        "print(d['NAME'], d['PORT'], d['CONN_HEALTH_CHECKS'])"
    )
    result = run_python(
        ["-c", code],
        DEBUG="true",
        DATABASE_URL="postgres://u:p@db.example:5433/olteams_x",
        POSTGRES_DB="ignored",
    )
    assert (result.returncode, result.stdout.strip()) == (0, "olteams_x 5433 True")


def test_settings_that_the_issue_fixes():
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.USE_TZ is True
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["ENGINE"] == "olteams.dbbackend"
    # Redis errors are cache misses, not 500s (issue 14).
    assert settings.CACHES["default"]["BACKEND"] == "olteams.cache.TolerantRedisCache"
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert "beat-heartbeat" in settings.CELERY_BEAT_SCHEDULE
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE
    assert settings.SECURE_CSP["script-src"][0] == "'self'"


@pytest.mark.django_db
def test_check_deploy_is_clean_with_production_settings():
    db = connection.settings_dict
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="olteams.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="false",
        ALLOWED_HOSTS="example.org",
        POSTGRES_DB=db["NAME"],
        POSTGRES_USER=db["USER"],
        POSTGRES_PASSWORD=db["PASSWORD"],
        POSTGRES_HOST=db["HOST"],
        POSTGRES_PORT=str(db["PORT"]),
    )
    assert result.returncode == 0, result.stderr
    # One silenced: templates.W003 for the deliberate i18n label (test_cached_i18n.py).
    assert "System check identified no issues (1 silenced)." in result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_an_english_browser_still_gets_dutch_dates_and_numbers(client):
    response = client.get("/aanmelden/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"


def test_the_mock_digid_is_refused_in_production_unless_a_demo_server_says_so():
    """The mock DigiD signs anyone in with any valid BSN: with DEBUG off it needs an explicit
    DIGID_MOCK_ALLOWED=true."""
    key = secrets.token_urlsafe(50)
    code = "import olteams.settings.base as s; print(s.DIGID_MODE)"
    refused = run_python(["-c", code], DEBUG="false", SECRET_KEY=key, DIGID_MODE="mock")
    assert refused.returncode != 0
    assert "DIGID_MOCK_ALLOWED" in refused.stderr
    demo = run_python(
        ["-c", code], DEBUG="false", SECRET_KEY=key, DIGID_MODE="mock", DIGID_MOCK_ALLOWED="true"
    )
    assert (demo.returncode, demo.stdout.strip()) == (0, "mock")
    production = run_python(["-c", code], DEBUG="false", SECRET_KEY=key)
    assert (production.returncode, production.stdout.strip()) == (0, "saml")


def test_the_wsgi_module_freezes_what_the_worker_loaded():
    """A gunicorn worker imports ``olteams.wsgi`` itself; what it loaded (Django, the apps)
    is out of the cyclic collector's reach, so full collections stay short."""
    result = run_python(
        ["-c", "import gc, olteams.wsgi; print(gc.get_freeze_count())"],
        DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 50_000
