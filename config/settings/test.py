"""Test settings: whatever DATABASE_URL says (SQLite locally, PostgreSQL in CI)."""

from .base import *  # noqa: F403

DEBUG = False
# Hashing is deliberately slow in production; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process unless a test starts a real worker against the real broker.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from static/ (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory, so tests with threads see real locking (as on PostgreSQL).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-casework.sqlite3")}  # noqa: F405

if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    # Keep test tasks out of the folders a local `make run` worker is reading.
    CELERY_BROKER_TRANSPORT_OPTIONS = {  # noqa: F405
        key: value.replace(str(CELERY_BROKER_FOLDER), str(VAR_DIR / "celery-test")) if isinstance(value, str) else value  # noqa: F405,E501
        for key, value in CELERY_BROKER_TRANSPORT_OPTIONS.items()  # noqa: F405
    }
