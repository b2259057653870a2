"""Production settings: base plus a static-file storage with hashed names."""

from olteams.settings.base import *  # noqa: F403
from olteams.settings.base import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
