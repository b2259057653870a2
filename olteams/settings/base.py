"""Settings for Optimaal Leven, driven by environment variables (see .env.example)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any, overload

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@overload
def env(name: str) -> str | None: ...
@overload
def env(name: str, default: str) -> str: ...
def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    # DigiD for the portal (django-digid-eherkenning) and what its configuration needs.
    "solo",
    "privates",
    "simple_certmanager",
    "digid_eherkenning",
    "olteams",
    "clients",
    "herstelplan",
    "wmo",
    "caseload",
    "finance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "olteams.portal.PortalSessionMiddleware",
    "olteams.middleware.RequestCacheMiddleware",
    "olteams.middleware.IdleSessionMiddleware",
    "olteams.replica.ReplicaPinMiddleware",
    "olteams.middleware.OTPMiddleware",  # django-otp's, the device read compiled once
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "olteams.middleware.RequestContextMiddleware",
    "olteams.middleware.RequireOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "olteams.urls"
WSGI_APPLICATION = "olteams.wsgi.application"
AUTH_USER_MODEL = "olteams.User"
LOGIN_URL = "olteams:login"
LOGIN_REDIRECT_URL = "olteams:home"
LOGOUT_REDIRECT_URL = "olteams:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "olteams.context_processors.navigation",
                "olteams.portal.portal_context",
            ],
            # {% load i18n %} with literal {% translate %} looked up once per language.
            "libraries": {"i18n": "olteams.templatetags.cached_i18n"},
            # {% url %} with integer arguments reversed once per process (fast_reverse).
            "builtins": ["olteams.templatetags.fast_url"],
        },
    }
]
# templates.W003 warns that two tag modules share a label: the label i18n is ours on
# purpose (above). tests/olteams/test_cached_i18n.py fails on any other shared label.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]
# Django's form renderer, with the standard widget templates built in Python (same HTML).
FORM_RENDERER = "olteams.form_renderer.FastWidgetRenderer"

# Database: two roles (olteams/db.py, docs/operations.md). The app connects as the runtime
# role, which owns no table and may only INSERT and SELECT audit events; migrations (and
# test-database setup) run as the owner role. DATABASE_URL / DATABASE_OWNER_URL win;
# otherwise POSTGRES_* with local defaults. Without an owner the one role does everything.
_database_url = env("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url)}
    _owner_url = env("DATABASE_OWNER_URL")
    _owner = dj_database_url.parse(_owner_url) if _owner_url else None
    DATABASE_OWNER: dict[str, object] | None = (
        {key: _owner[key] for key in ("USER", "PASSWORD", "HOST", "PORT")} if _owner else None  # type: ignore[literal-required]
    )
else:
    DATABASES = {
        "default": {
            "NAME": env("POSTGRES_DB", "olteams"),
            "USER": env("POSTGRES_USER", "olteams_app"),
            "PASSWORD": env("POSTGRES_PASSWORD", "olteams_app"),
            "HOST": env("POSTGRES_HOST", "127.0.0.1"),
            "PORT": env("POSTGRES_PORT", "5432"),
        }
    }
    DATABASE_OWNER = {
        "USER": env("POSTGRES_OWNER_USER", "olteams_owner"),
        "PASSWORD": env("POSTGRES_OWNER_PASSWORD", "olteams_owner"),
    }
# Django's PostgreSQL backend with a health check without a round trip and a faster
# timestamptz loader, each with Django's outcome (olteams/dbbackend/base.py).
DB_ENGINE = "olteams.dbbackend"
DATABASES["default"]["ENGINE"] = DB_ENGINE
DATABASES["default"]["CONN_MAX_AGE"] = int(env("CONN_MAX_AGE", "60") or 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# An optional streaming replica (olteams/replica.py, docs/operations.md): the runtime role on
# a hot standby. Only blocks that ask for it read there (the steering figures, report
# rendering, the audit-log export); without DATABASE_REPLICA_URL there is no such alias.
_replica_url = env("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url)
    DATABASES["replica"]["ENGINE"] = DB_ENGINE
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # An unreachable replica costs a page at most this long once; then the primary serves.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        env("REPLICA_CONNECT_TIMEOUT", "2") or 2
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["olteams.replica.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = float(env("REPLICA_MAX_LAG_SECONDS", "30") or 30)
REPLICA_PIN_SECONDS = int(env("REPLICA_PIN_SECONDS", "15") or 15)
REPLICA_RETRY_SECONDS = int(env("REPLICA_RETRY_SECONDS", "10") or 10)
REPLICA_CATCH_UP_SECONDS = float(env("REPLICA_CATCH_UP_SECONDS", "2") or 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0") or ""
CACHES = {
    "default": {
        # Redis down is a cache miss, not a 500 (olteams.cache); short socket timeouts so a
        # page does not wait for an unreachable Redis.
        "BACKEND": "olteams.cache.TolerantRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "olteams"),
        "TIMEOUT": 300,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
    # Template fragments that depend on their cache key alone ({% cache ... using="fragments"
    # %}), such as the client file's unfiltered timeline filter: in each process's memory,
    # since reading them from Redis would cost a round trip per page.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "olteams-fragments",
        "TIMEOUT": 86400,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "olteams.backends.StaffModelBackend",  # Django's ModelBackend, the user read compiled once
    "olteams.backends.FunctionalAdminBackend",  # admin rights without superuser status
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in hardening.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "olteams/locked_out.html"
OTP_TOTP_ISSUER = "Optimaal Leven"
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_SECONDS", "1800") or 1800)  # idle expiry (sliding)
# Sessions live in PostgreSQL only: signed-in pages keep working while Redis is down.
# olteams.sessions is Django's database store with its per-request read compiled once.
SESSION_ENGINE = "olteams.sessions"
# Sliding expiry without a write per request: olteams.middleware.IdleSessionMiddleware
# refreshes the session at most once per SESSION_TOUCH_SECONDS.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = 60
# The portal (/mijn/) has its own session cookie and a 15-minute idle expiry (olteams.portal).
PORTAL_SESSION_COOKIE_NAME = "olteams_portal"
PORTAL_IDLE_SECONDS = int(env("PORTAL_IDLE_SECONDS", "900") or 900)
# Portal sign-in with DigiD (django-digid-eherkenning, docs/operations.md "DigiD"):
# "saml" is the real DigiD (SAML artifact binding, configured with `manage.py
# configure_digid` from the DIGID_* variables); "mock" is the library's mock identity
# provider at /digid-mock/ (development, demo and tests: any valid BSN can sign in).
DIGID_MODE = env("DIGID_MODE", "mock" if DEBUG else "saml")
if DIGID_MODE not in ("mock", "saml"):
    raise ImproperlyConfigured("DIGID_MODE is mock or saml.")
# The mock lets anyone sign in to the portal with any valid BSN: never by accident in
# production. A demo server without DEBUG must say so (DIGID_MOCK_ALLOWED=true).
if DIGID_MODE == "mock" and not DEBUG and not env_bool("DIGID_MOCK_ALLOWED", False):
    raise ImproperlyConfigured(
        "DIGID_MODE=mock lets anyone sign in with any BSN; with DEBUG off it needs "
        "DIGID_MOCK_ALLOWED=true (a demo server only)."
    )
DIGID_MOCK_APP_TITLE = "Mijn Optimaal Leven"
DIGID_MOCK_RETURN_URL = "/mijn/"
DIGID_MOCK_CANCEL_URL = "/mijn/aanmelden/"
DIGID_MOCK_IDP_VALIDATE_CALLBACK_URLS = True
DIGID_SESSION_AGE = PORTAL_IDLE_SECONDS
# A client without BSN signs in with an activation code and later with a login name,
# password and authenticator code. Wrong attempts: PORTAL_SIGN_IN_FAILURE_LIMIT per
# address or per account within PORTAL_SIGN_IN_LOCK_SECONDS locks for that long.
PORTAL_ACTIVATION_DAYS = 14
PORTAL_SIGN_IN_FAILURE_LIMIT = int(env("PORTAL_SIGN_IN_FAILURE_LIMIT", "5") or 5)
PORTAL_SIGN_IN_LOCK_SECONDS = 15 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000") or 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies in front of the app (addresses or CIDRs). Only a request whose peer
# (REMOTE_ADDR) is one of them has its X-Forwarded-For read for the audit log's access
# point; empty: the peer itself is the client (olteams.audit.client_ip).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

# Retention of the audit log in years (NEN 7513: at least 5; a lower value counts as 5).
RETENTION_AUDIT_YEARS = max(5, int(env("RETENTION_AUDIT_YEARS", "5") or 5))
# Break-the-glass: how long an emergency access to a client outside one's teams lasts.
EMERGENCY_ACCESS_HOURS = int(env("EMERGENCY_ACCESS_HOURS", "24") or 24)

# Content Security Policy: nothing from third parties, no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# The real DigiD: the sign-in page posts the SAML request to DigiD's own site.
if DIGID_MODE == "saml":
    SECURE_CSP["form-action"] = [CSP.SELF, *env_list("DIGID_IDP_ORIGINS", "https://*.digid.nl")]

LANGUAGE_CODE = "nl"
# Dutch only: the interface text is written in Dutch, so offering "en" to an English browser
# gave Dutch words with English dates and numbers ("October", "€ 91,948.86").
LANGUAGES = [("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# One short and one long date format everywhere (olteams/formats/nl/formats.py).
FORMAT_MODULE_PATH = ["olteams.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")) or "")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")) or "")
MEDIA_URL = "/media/"
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")) or "")

# Documents in the client file (caseload.Document): never served from MEDIA_URL, only through
# the audited download view. Stored on the file system under MEDIA_ROOT/documenten by
# default; DOCUMENTS_STORAGE=s3 stores them in an S3-compatible bucket (django-storages;
# credentials come from the usual AWS_* environment variables or the instance role).
DOCUMENTS_STORAGE = env("DOCUMENTS_STORAGE", "filesystem")
_DOCUMENT_STORAGES: dict[str, dict[str, Any]] = {
    "filesystem": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "documenten", "base_url": "/geen-publieke-url/"},
    },
    "s3": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "location": env("DOCUMENTS_S3_PREFIX", "documenten"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    },
}
if DOCUMENTS_STORAGE not in _DOCUMENT_STORAGES:
    raise ImproperlyConfigured("DOCUMENTS_STORAGE is filesystem or s3.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": _DOCUMENT_STORAGES[DOCUMENTS_STORAGE],
    # DigiD's certificates, keys and IdP metadata (django-simple-certmanager, django-privates):
    # never public.
    "privates": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/geen-publieke-url/"},
    },
}
SENDFILE_BACKEND = "django_sendfile.backends.simple"
SENDFILE_ROOT = PRIVATE_MEDIA_ROOT
SENDFILE_URL = "/geen-publieke-url/"
# Largest document accepted in the client file, in bytes (default 20 MB).
DOCUMENT_MAX_UPLOAD_BYTES = int(env("DOCUMENT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Optional virus scan of every uploaded document by clamd (INSTREAM): a host (and port) or a
# unix socket. Not configured: no scan. Configured but unreachable: the upload is refused.
CLAMAV_HOST = env("CLAMAV_HOST", "")
CLAMAV_PORT = int(env("CLAMAV_PORT", "3310"))
CLAMAV_SOCKET = env("CLAMAV_SOCKET", "")
CLAMAV_TIMEOUT = float(env("CLAMAV_TIMEOUT", "30"))

# E-mail through Django 6.1's MAILERS (the EMAIL_* settings are deprecated); the environment
# variables keep their EMAIL_* names. Only the SMTP backend takes connection options.
# Development prints mail on the console; production sends it by SMTP unless told otherwise.
_MAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_SMTP_OPTIONS = {
    "host": env("EMAIL_HOST", "localhost"),
    "port": int(env("EMAIL_PORT", "25") or 25),
    "username": env("EMAIL_HOST_USER", ""),
    "password": env("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
}
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": _SMTP_OPTIONS if _MAIL_BACKEND.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Optimaal Leven <noreply@optimaalleven.invalid>")
# The address users open the application on: links in e-mails start with it.
SITE_URL = (env("SITE_URL", "http://localhost:8000") or "").rstrip("/")
# A password-reset link works once and for this many seconds.
PASSWORD_RESET_TIMEOUT = int(env("PASSWORD_RESET_TIMEOUT", "3600") or 3600)
# Self-service password reset: requests per IP address and per account in the window.
PASSWORD_RESET_LIMIT_PER_IP = 10
PASSWORD_RESET_LIMIT_PER_ACCOUNT = 3
PASSWORD_RESET_WINDOW_SECONDS = 3600

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "olteams.api.authentication.VerifiedSessionAuthentication",
        "olteams.api.authentication.ApiTokenAuthentication",  # personal, scoped, expiring
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "olteams.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "olteams.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Optimaal Leven API",
    "DESCRIPTION": "REST API of the Optimaal Leven integrated-care product.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "olteams.api.schema.document_errors",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name across apps get a stable name of their own;
    # each app adds its own here ("<Name>Enum": "<app>.constants.<Choices>").
    "ENUM_NAME_OVERRIDES": {
        "TeamRoleEnum": "olteams.constants.TeamRole",
        "AppointmentKindEnum": "caseload.api.appointments._KINDS",
        "AppointmentScopeEnum": "caseload.constants.AppointmentScope",
        "DocumentCategoryEnum": "caseload.constants.DocumentCategory",
        "DataCategoryEnum": "olteams.constants.DataCategory",
        "DisciplineEnum": "olteams.constants.Discipline",
        "NotificationKindEnum": "olteams.constants.NotificationKind",
        "ClientPhaseEnum": "clients.constants.Phase",
        "ReferralSourceEnum": "clients.constants.ReferralSource",
        "ReferralStatusEnum": "clients.constants.ReferralStatus",
        "ReferralDecisionKindEnum": "clients.constants.DecisionKind",
        "AssignmentRoleEnum": "clients.constants.AssignmentRole",
        "NaasteRoleEnum": "clients.constants.NaasteRole",
        "FundingStreamEnum": "clients.constants.FundingStream",
        "ShareScopeEnum": "clients.constants.ShareScope",
        "UrgencyEnum": "clients.constants.Urgency",
        "OutflowReasonEnum": "clients.constants.OutflowReason",
        "ImportStatusEnum": "clients.constants.ImportStatus",
        "PrivacyRequestKindEnum": "clients.constants.PrivacyRequestKind",
        "PrivacyDisputedPartEnum": "clients.constants.DisputedPart",
        "PrivacyFiledViaEnum": "clients.constants.FiledVia",
        "PrivacyRequestStatusEnum": "clients.constants.PrivacyRequestStatus",
        "PrivacyDecisionEnum": "clients.constants.PrivacyDecision",
        "HonosScoreEnum": "herstelplan.constants.HonosScore",
        "WmoRequestStatusEnum": "wmo.constants.RequestStatus",
        "WmoDecisionKindEnum": "wmo.constants.DecisionKind",
        "ContactKindEnum": "caseload.constants.ContactKind",
        "ContactFundingEnum": "caseload.constants.ContactFunding",
        "NonClientCodeEnum": "caseload.constants.NonClientCode",
        "NonClientTargetEnum": "caseload.constants.NonClientTarget",
        "IntensityLevelEnum": "caseload.constants.IntensityLevel",
        "CrisisSettingEnum": "caseload.constants.CrisisSetting",
        "ConsultationRequesterEnum": "caseload.constants.ConsultationRequester",
        "WmoUnitEnum": "wmo.constants.Unit",
        "TariffKindEnum": "finance.constants.TariffKind",
        "TariffUnitEnum": "finance.constants.TariffUnit",
        "TeamCostKindEnum": "finance.constants.TeamCostKind",
        "AccountStatusEnum": "finance.constants.AccountStatus",
        "AccountLineSectionEnum": "finance.constants.LineSection",
        "AccountLineCodeEnum": "finance.constants.LineCode",
        "ReportFormatEnum": "finance.constants.ReportFormat",
        "ApiTokenScopeEnum": "olteams.models.ApiToken.Scope",
    },
}

# Celery: Redis broker, JSON only, bounded tasks, schedules here (no django-celery-beat).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# At least once, exactly-once effect: a message is acknowledged after its task ran, a task
# whose pool process died is given back to the queue, and Redis hands an unacknowledged
# message to another worker only after the visibility timeout (longer than any task).
# Every task is idempotent; olteams.outbox requeues what the broker lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"timeout": 2.0}}
# Reconnect to Redis forever (at start and after an outage) instead of giving up.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CONNECTION_TIMEOUT = 2.0
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "jobs-reconcile": {  # the outbox: send unsent jobs, requeue or fail stuck ones
        "task": "olteams.tasks.jobs_reconcile_task",
        "schedule": float(env("JOBS_RECONCILE_SECONDS", "60") or 60),
    },
    "audit-verify": {  # the audit hash chain; a break alerts the functional administrators
        "task": "olteams.tasks.audit_verify_task",
        "schedule": crontab(hour=3, minute=30),
    },
    "beat-heartbeat": {
        "task": "olteams.tasks.beat_heartbeat_task",
        "schedule": 60.0,
    },
    "wmo-deadline-sweep": {
        "task": "wmo.tasks.deadline_sweep_task",
        "schedule": crontab(hour=6, minute=0),
    },
    "wmo-expiry": {
        "task": "wmo.tasks.expiry_task",
        "schedule": crontab(hour=6, minute=15),
    },
    "clients-privacy-request-reminders": {  # AVG requests due within 7 days or overdue
        "task": "clients.tasks.privacy_request_reminders_task",
        "schedule": crontab(hour=6, minute=5),
    },
    "herstelplan-plan-reviews": {
        "task": "herstelplan.tasks.plan_reviews_due_task",
        "schedule": crontab(hour=6, minute=0),
    },
    "caseload-system-tasks": {  # after the reminder jobs above: reminders become tasks
        "task": "caseload.tasks.system_tasks_sync_task",
        "schedule": crontab(hour=6, minute=30),
    },
    "notification-email-direct": {  # new notifications of users who chose "direct"
        "task": "olteams.tasks.notification_email_direct_task",
        "schedule": float(env("NOTIFICATION_EMAIL_SECONDS", "300") or 300),
    },
    "notification-email-digest": {  # the daily overview of users who chose "dagelijks"
        "task": "olteams.tasks.notification_email_digest_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "retention-scan": {  # what passed its retention term: a batch to confirm, nothing removed
        "task": "olteams.tasks.retention_scan_task",
        "schedule": crontab(hour=2, minute=30),
    },
    "finance-monthly-reports": {  # the previous month's draft accounts as PDFs
        "task": "finance.tasks.reports_monthly_task",
        "schedule": crontab(day_of_month="1", hour=5, minute=30),
    },
    "finance-steering-figures": {  # the open months' stored dashboard figures
        "task": "finance.tasks.steering_figures_refresh_task",
        "schedule": crontab(minute="*/15"),
    },
}
# The outbox sweep sends a committed job only after this many seconds (its own on_commit
# send comes first).
OUTBOX_SEND_GRACE_SECONDS = int(env("OUTBOX_SEND_GRACE_SECONDS", "30") or 30)
# Daily jobs of later apps register here; crontab is imported for them.
_ = crontab

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"kv": {"format": "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
