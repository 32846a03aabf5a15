"""Settings shared by every environment. Everything that differs comes from the environment."""

from pathlib import Path

import environ

from core.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # embedded database, broker folders and test databases; not committed
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
# A local .env is convenient for operators; the real environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_celery_beat",
    "axes",
    "core",
    "casework",
    "contacts",
    "risk",
    "allocation",
]

MIDDLEWARE = [
    # First, so every log line of the request carries its id.
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads form data: text that is not UTF-8 is refused, never saved garbled.
    "core.middleware.RefuseInvalidUtf8Middleware",
    "casework.middleware.SessionRenewalMiddleware",
    # Every page needs a signed-in user unless its view opts out with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "casework.middleware.ContentSecurityPolicyMiddleware",
    "casework.middleware.NoStoreMiddleware",
    "casework.middleware.AccessAuditMiddleware",
    # Last, so a locked-out sign-in is refused before anything else happens.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while an account is locked out
    "casework.backends.CaseworkBackend",  # Django's ModelBackend, reading the signed-in user with prepared SQL
]
# Lock out after repeated failed sign-ins for one username from one address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# How many proxies in front of the app append to X-Forwarded-For (0: the header is ignored). The audit and
# the lockout both take the client's address from core.net.client_ip. USE_X_FORWARDED_FOR=true means one.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if env.bool("USE_X_FORWARDED_FOR", default=False) else 0)
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casework.context_processors.service",
            ],
            # {% url %} from a pattern made once per view (a list page has two links a row).
            "builtins": ["core.templatetags.fast_url"],
        },
    },
]

# --- Caches ---------------------------------------------------------------------------------
# Each process's own memory. What is kept is keyed by everything it shows (the case overview's cards, by the case's
# records version and the day), so nothing needs sharing between processes or clearing, and a release starts empty.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template-fragments",
        "TIMEOUT": 86400,
        "OPTIONS": {"MAX_ENTRIES": env.int("FRAGMENT_CACHE_ENTRIES", default=2000)},
    },
    # Staff names as lists show them, kept by each process (casework.selectors.officer_names): a renamed officer
    # shows under the new name in other processes within STAFF_NAMES_SECONDS.
    "staff_names": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "staff-names",
        "TIMEOUT": env.int("STAFF_NAMES_SECONDS", default=60),
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    },
}

# --- Database -------------------------------------------------------------------------------
# Embedded default: one SQLite file under var/, shared by web, worker and beat.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'casework.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + immediate transactions: concurrent writers wait rather than fail "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }


def postgresql(database: dict) -> dict:
    """How the app talks to PostgreSQL (here and in production)."""
    database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # Without health checks the first request after a database restart is a 500.
    database["CONN_HEALTH_CHECKS"] = True
    # The planner's price of reading a page out of order against reading the next one. PostgreSQL's default (4)
    # is for spinning disks; for SSDs, or a working set held in memory, its manual suggests 1.1. At 4 a
    # manager's 400 cases of 5,000 joined their statuses by hashing the whole statuses table (3.0 ms) rather
    # than looking each up by its key (1.5 ms). Set per connection, so it needs nothing of the server.
    cost = env.float("DATABASE_RANDOM_PAGE_COST", default=1.1)
    options = database.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c random_page_cost={cost}".strip()
    return database


if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    postgresql(DATABASES["default"])
# The queries every page runs are planned once per connection (core.prepared). Turn off behind a pooler that
# does not keep a session's prepared statements (PgBouncer in transaction mode before 1.21).
PREPARED_STATEMENTS = env.bool("PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "casework.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "casework:caseload"
LOGOUT_REDIRECT_URL = "signed_out"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Signed out after this much inactivity: casework.middleware.SessionRenewalMiddleware renews the session.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 30)
SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = "casework.sessions"  # database sessions, each read with its user in one statement
# The access audit's row for a case page viewed is committed without waiting for the disk (core.db): a crash of
# the database server could lose the last fraction of a second of views. Changes, refusals and every record always
# wait. True makes views wait too.
AUDIT_VIEWS_WAIT_FOR_DISK = env.bool("AUDIT_VIEWS_WAIT_FOR_DISK", default=False)

# --- Locale ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Probation Casework <casework@localhost>")

# --- Celery ---------------------------------------------------------------------------------
# Redis in production; on the embedded default kombu's filesystem transport needs no server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="filesystem://"))
CELERY_BROKER_FOLDER = Path(env("CELERY_BROKER_FOLDER", default=str(VAR_DIR / "celery")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "store_processed": False,
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
    }
else:
    # Longer than the longest task so a slow task is not redelivered while it still runs.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# django-celery-beat's DatabaseScheduler (schedules edited in the admin) writing a heartbeat for /health/ready.
CELERY_BEAT_SCHEDULER = "core.beat:Scheduler"
# One message at a time per worker process: a long sweep batch never holds others back unstarted, and a
# worker that dies has only the message it was running to give back (sweep tasks use acks_late; core.tasks).
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With acks_late, a task whose broker connection is lost cannot be acknowledged; stop it, it is redelivered.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Reminders and escalation (the daily sweeps) ---------------------------------------------
REMINDER_DAYS_AHEAD = env.int("REMINDER_DAYS_AHEAD", default=2)
CONTACT_ESCALATE_AFTER_DAYS = env.int("CONTACT_ESCALATE_AFTER_DAYS", default=7)
ENQUIRY_ESCALATE_AFTER_DAYS = env.int("ENQUIRY_ESCALATE_AFTER_DAYS", default=7)
APPROVAL_REMINDER_WORKING_DAYS = env.int("APPROVAL_REMINDER_WORKING_DAYS", default=3)
SWEEP_BATCH_SIZE = env.int("SWEEP_BATCH_SIZE", default=500)
# A daily sweep not finished this long after its scheduled time is late: admins are told and /health/ready says so.
SWEEP_LATE_AFTER_MINUTES = env.int("SWEEP_LATE_AFTER_MINUTES", default=60)

# --- Logging --------------------------------------------------------------------------------
# Web, worker and beat all log with this (config/celery.py hands it to the worker). "json": one object a line.
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOG_FORMAT = env("LOG_FORMAT", default="plain")
# Use the X-Request-ID header a proxy in front sets (only when that proxy replaces any sent by the browser).
TRUST_REQUEST_ID_HEADER = env.bool("TRUST_REQUEST_ID_HEADER", default=False)
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)

SERVICE_NAME = "Probation Casework"
# For links in emails: `make run PORT=8123` serves on that port, so the links follow it.
# GOV.UK Notify for reminders to service users (contacts/notify.py). With no key, reminders go to the log and
# the case's outbox page. The callback token is the bearer token Notify sends with delivery receipts.
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_CALLBACK_TOKEN = env("NOTIFY_CALLBACK_TOKEN", default="")
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env('PORT', default='8000')}")
# Panels other apps add to a case's overview: callables (case, user) -> {"template", "attention", ...}.
CASE_OVERVIEW_PANELS = ["risk.panels.overview_panel", "contacts.panels.overview_panel"]
# Facts other apps add to each row of a page of the caseload (casework.selectors.with_row_facts).
CASELOAD_ROW_FACTS = ["contacts.selectors.caseload_contact_due"]
# Columns other apps add that sort the whole caseload: callables () -> (annotations, sorts) (casework.selectors).
CASELOAD_EXTRA_SORTS = ["contacts.selectors.caseload_sorts"]
# What waits for a line manager's decision, counted in "Approvals" in the navigation: callables (user) ->
# {kind: count or core.prepared.Counting} (casework.context_processors).
APPROVALS_WAITING = ["contacts.selectors.contact_requests_waiting", "allocation.selectors.transfers_waiting"]
PHASE = env("PHASE", default="Beta")
FEEDBACK_EMAIL = env("FEEDBACK_EMAIL", default="probation-casework-feedback@justice.gov.uk")
