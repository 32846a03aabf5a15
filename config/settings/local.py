"""The embedded default for `make run`: SQLite, filesystem broker, console email."""

from .base import *  # noqa: F403
from .base import env

# The service's own error pages, as users see them; DEBUG=true when a developer wants Django's debug pages.
DEBUG = env.bool("DEBUG", default=False)
# Serve static files straight from static/ (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# No collectstatic for the embedded default: plain static storage (the manifest is a production concern).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
