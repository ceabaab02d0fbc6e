"""Settings, all from the environment (see .env.example).

Local defaults are safe for `make run` (SQLite, tasks in-process, debug on). A value that cannot be
understood stops the start with ImproperlyConfigured instead of being guessed at.
"""

import json
import re
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A boolean setting; anything but a plain yes/no word is a configuration error."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no).")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.str(name, default=str(default)).strip()
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


# On by default for development, as a fresh clone expects; the production image (Dockerfile) and
# compose set 0, and `check --deploy` refuses debug mode.
DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-only-for-debug-mode-0123456789"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "portal.library_apps.GuardianConfig",  # guardian, named in the user's language
    "simple_history",
    "portal.library_apps.AxesConfig",  # axes, named in the user's language
    "csp",
    "workdays",
    "enforcement",
    "complaints",
    "assessment",
    "accountability",
    "reporting",
    "portal",  # last: its post_migrate needs every other app's permissions
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, without the work for language prefixes in URLs, which the portal has none of.
    "portal.locale.LocaleMiddleware",
    # A refusal with an empty body (require_POST's 405) gets the error page, in that language.
    "portal.errors.BlankRefusals",
    # NUL and other control characters are refused here, in the request's language.
    "portal.input_guard.ControlCharacterGuard",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in session's expiry moves on with use (SESSION_IDLE_MINUTES).
    "portal.sessions.IdleSessionMiddleware",
    # Django's, with the message storage made only when a request uses it.
    "portal.messages.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with an ordinary response's policy built once (portal/csp.py).
    "portal.csp.PolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database: PostgreSQL in production, SQLite when DATABASE_URL is unset.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (or be unset for SQLite).")
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

# --- Cache: Redis when configured, so that every web process shares it.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://portal")}

# Anonymous public pages are served from that cache (portal.public_cache); 0 turns it off.
PUBLIC_CACHE_ENABLED = env_bool("PUBLIC_CACHE_ENABLED", True)

# --- Celery: a broker makes tasks real; without one they run in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
CELERY_BEAT_SCHEDULE = {
    # The safety net behind the after-commit recompute (a lost broker message loses nothing).
    "workdays-sweep-provisional-deadlines": {
        "task": "workdays.tasks.sweep_provisional_deadlines",
        "schedule": crontab(hour=1, minute=30),
    },
    # R2: remind agencies of revision tasks due within five working days and escalate overdue
    # ones to the region's supervisors; each task once, however often the job runs.
    "enforcement-sweep-revision-tasks": {
        "task": "enforcement.tasks.sweep_revision_tasks",
        "schedule": crontab(hour=7, minute=0),
    },
    # R4: a delegation ends with the last day of its term: the day after, it leaves every public
    # page and officers enforcing only under it lose their certificates. Before the revision
    # sweep, so that nobody is reminded of work under a delegation that has ended.
    "enforcement-expire-delegations": {
        "task": "enforcement.tasks.expire_delegations",
        "schedule": crontab(hour=0, minute=10),
    },
    # R16, R17: remind handlers two working days before a complaint's deadline and escalate
    # passed ones, each once; deliver any notice the broker could not take at the time.
    "complaints-sweep-deadlines": {
        "task": "complaints.tasks.sweep_deadlines",
        "schedule": crontab(minute=15),
    },
    "complaints-deliver-notifications": {
        "task": "complaints.tasks.deliver_pending_notifications",
        "schedule": crontab(minute="*/5"),
    },
    # R21, R22: officers' results become final once the objection period has passed.
    "assessment-finalise-officer-results": {
        "task": "assessment.tasks.officers.finalise_officer_results",
        "schedule": crontab(hour=0, minute=20),
    },
    # Files left in storage by uploads whose transaction rolled back (ORPHAN_FILE_GRACE_HOURS).
    "enforcement-sweep-orphan-files": {
        "task": "enforcement.tasks.sweep_orphan_files",
        "schedule": crontab(hour=3, minute=30),
    },
    # R23: remind departments of rectification orders nearly due, escalate overdue ones once.
    "assessment-sweep-rectification-orders": {
        "task": "assessment.tasks.results.sweep_rectification_orders",
        "schedule": crontab(hour=7, minute=20),
    },
    # R26: escalate accountability clues past their time limit once, and trace the unit.
    "accountability-sweep-clues": {
        "task": "accountability.tasks.sweep_clues",
        "schedule": crontab(hour=7, minute=40),
    },
    # R24: remind each accountability case's step once before its limit, escalate it once after.
    "accountability-sweep-proceedings": {
        "task": "accountability.tasks.sweep_proceedings",
        "schedule": crontab(hour=7, minute=45),
    },
    # R12: last month's shared information for the supervision and audit bodies, once a region.
    "accountability-export-cooperation": {
        "task": "accountability.tasks.export_cooperation",
        "schedule": crontab(day_of_month=1, hour=2, minute=10),
    },
}

# R21: the officers' score formula, a local choice; any of assessment.services.officers'
# FORMULA_DEFAULTS as JSON, e.g. {"everyday_weight": 70}. A malformed value fails the system check.
ASSESSMENT_OFFICER_FORMULA = env.json("ASSESSMENT_OFFICER_FORMULA", default={})

# R26: working days a clue has from registration to its finding, a local choice (1 to 365).
# A malformed value fails at start-up (env.int) or at the first registration (out of range).
ACCOUNTABILITY_CLUE_WORKING_DAYS = env.int("ACCOUNTABILITY_CLUE_WORKING_DAYS", default=30)
# R27: working days within which a referred complaint must be registered as a clue (local choice).
ACCOUNTABILITY_REFERRAL_WORKING_DAYS = env.int("ACCOUNTABILITY_REFERRAL_WORKING_DAYS", default=5)

# --- Authentication
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:workspace"
GUARDIAN_RAISE_403 = True
ANONYMOUS_USER_NAME = None  # the public never holds object permissions

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60  # hours
# Lock only the pair of an account and an address: whoever guesses from one address locks
# themselves out of that account, never its owner elsewhere nor the rest of their office.
# Failures on one account from many addresses, or on many accounts from one address, call for
# a proof-of-work challenge instead (portal.throttle).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A user name longer than any account's is cut before axes records it (it cannot store more).
AXES_USERNAME_CALLABLE = "portal.throttle.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Trusted reverse proxies in front (X-Forwarded-For): one reading of the client's address for
# axes, the throttle, the complaint limits and DRF (portal.throttle.client_address).
TRUSTED_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "portal.throttle.client_address"
# Axes' banner and per-attempt lines only when asked for; lockouts are logged anyway.
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)

# --- E-mail: EMAIL_URL (smtp+tls://user:pass@host:587, smtp+ssl://…:465) or the console.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")

# --- SMS to complainants: the adapter's dotted path. The default writes each message to the
# log (development); a deployment plugs in its operator's gateway with the same interface.
SMS_BACKEND = env.str("SMS_BACKEND", default="complaints.sms.LogBackend")

# --- Complaints: abuse limits on the public forms (django-ratelimit; "count/period", period in
# s, m, h or d). RATELIMIT_ENABLE=0 switches them off for load tests and benchmarks only.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
COMPLAINT_FILE_RATE_IP = env.str("COMPLAINT_FILE_RATE_IP", default="10/h")
COMPLAINT_FILE_RATE_PHONE = env.str("COMPLAINT_FILE_RATE_PHONE", default="5/h")
COMPLAINT_TRACK_RATE_IP = env.str("COMPLAINT_TRACK_RATE_IP", default="30/h")
COMPLAINT_TRACK_RATE_NUMBER = env.str("COMPLAINT_TRACK_RATE_NUMBER", default="10/h")
# The public evaluation card (R20): cards a network address may submit.
EVALUATION_CARD_RATE_IP = env.str("EVALUATION_CARD_RATE_IP", default="20/h")
# The proof of work (ALTCHA) asked of attempts on a target under attack or from an address that
# failed often (portal.throttle): the base, which an owner's browser solves in well under a
# second, doubles with each failure of the asking address, up to the maximum.
THROTTLE_BASE_WORK = env_int("THROTTLE_BASE_WORK", 50_000, minimum=1)
THROTTLE_MAX_WORK = env_int("THROTTLE_MAX_WORK", 5_000_000, minimum=1)
if THROTTLE_MAX_WORK < THROTTLE_BASE_WORK:
    raise ImproperlyConfigured("THROTTLE_MAX_WORK must be at least THROTTLE_BASE_WORK.")
for _name in (
    "COMPLAINT_FILE_RATE_IP",
    "COMPLAINT_FILE_RATE_PHONE",
    "COMPLAINT_TRACK_RATE_IP",
    "COMPLAINT_TRACK_RATE_NUMBER",
    "EVALUATION_CARD_RATE_IP",
):
    if not re.fullmatch(r"[1-9][0-9]*/[1-9]?[0-9]*[smhd]", globals()[_name]):
        raise ImproperlyConfigured(f"{_name} must look like 10/h, got {globals()[_name]!r}")
# Attachments to a complaint: how many, and the largest size of each kind, in MiB.
COMPLAINT_MAX_ATTACHMENTS = env_int("COMPLAINT_MAX_ATTACHMENTS", 5, minimum=0)
COMPLAINT_MAX_IMAGE_MB = env_int("COMPLAINT_MAX_IMAGE_MB", 10, minimum=1)
COMPLAINT_MAX_DOCUMENT_MB = env_int("COMPLAINT_MAX_DOCUMENT_MB", 20, minimum=1)
COMPLAINT_MAX_VIDEO_MB = env_int("COMPLAINT_MAX_VIDEO_MB", 100, minimum=1)

# Evaluation (R19–R22): the local choices (本地选择) a new cycle starts from, as JSON, e.g.
# {"excellent_from": 90, "qualified_from": 60, "objection_working_days": 5,
#  "dual_vertical_weight": 50, "regions": {"220100": {"dual_vertical_weight": 60}}}.
# Each key is checked when a cycle opens (assessment.services.cycles.evaluation_defaults).
try:
    EVALUATION_DEFAULTS = json.loads(env.str("EVALUATION_DEFAULTS", default="{}"))
except ValueError:
    EVALUATION_DEFAULTS = None
if not isinstance(EVALUATION_DEFAULTS, dict):
    raise ImproperlyConfigured("EVALUATION_DEFAULTS must be a JSON object.")
# Photos of an inspection or unannounced visit (R20): the largest size of each, in MiB.
EVALUATION_PHOTO_MAX_MB = env_int("EVALUATION_PHOTO_MAX_MB", 10, minimum=1)

# Records of an enforcement case (R6): the largest size of each kind, in MiB. Uploads stream to
# a temporary file and then to storage, never whole into memory.
CASE_MAX_IMAGE_MB = env_int("CASE_MAX_IMAGE_MB", 20, minimum=1)
CASE_MAX_DOCUMENT_MB = env_int("CASE_MAX_DOCUMENT_MB", 50, minimum=1)
CASE_MAX_AUDIO_MB = env_int("CASE_MAX_AUDIO_MB", 500, minimum=1)
CASE_MAX_VIDEO_MB = env_int("CASE_MAX_VIDEO_MB", 2048, minimum=1)

# --- Internationalisation: Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# locale/: the portal's English. locale_libraries/: Chinese for the English messages of the
# libraries (admin scripts, django-axes, …) that their own zh_Hans catalogues lack; second, so
# that `makemessages` keeps writing the portal's messages to locale/.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_libraries"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files, through the storage API only.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An uploaded file no row names is deleted by the daily sweep once older than this: longer than
# any transaction that may still insert its row.
ORPHAN_FILE_GRACE_HOURS = 24

# --- REST API
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # Parse errors, missing objects, refusals and throttling answered in the request's language.
    "EXCEPTION_HANDLER": "portal.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "行政执法监督平台 API / Enforcement Supervision Portal API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Complaints reuse field names (status, category, kind) with their own choices; the power
    # items' enums keep the names they had before.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "enforcement.models.powers.PowerItem.Status",
        "CategoryEnum": "enforcement.models.powers.Category",
        "KindEnum": "enforcement.models.powers.PowerItemEvent.Kind",
        "ComplaintStatusEnum": "complaints.models.Complaint.Status",
        "ComplaintCategoryEnum": "complaints.models.Category",
        "ComplaintEventKindEnum": "complaints.models.ComplaintEvent.Kind",
        "RefusalReasonEnum": "complaints.models.RefusalReason",
        "ClueSourceEnum": "accountability.models.clues.Clue.Source",
        "ClueIntakeSourceEnum": "accountability.api.clues.FORM_SOURCES",
        "CaseSourceEnum": "enforcement.models.cases.Case.Source",
        "SanctionKindEnum": "accountability.models.rules.SanctionKind",
        "ShareStageEnum": "accountability.models.proceedings.ResponsibilityShare.Stage",
        "CaseStageEnum": "enforcement.models.cases.Stage",
        "ProceedingStepEnum": "accountability.models.proceedings.Proceeding.Step",
        "TypicalStatusEnum": "accountability.models.typical.TypicalCase.Status",
    },
}

# --- Security: strict unless debugging. Behind a TLS-terminating proxy that sets the header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"  # in Chinese, in the portal's layout

# A signed-in session ends after this many minutes without a request (default a working day):
# portal.sessions.IdleSessionMiddleware moves the expiry on with use, writing the session at most
# every five minutes rather than on every request. Logout flushes the session.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 480, minimum=10) * 60

# Content security policy (django-csp): scripts and styles from the portal's own origin only, no
# inline script, no eval, no inline style element or attribute (pages, the admin and the vendored
# ALTCHA and ECharts set styles through the CSSOM only, which CSP allows). The ALTCHA widget's
# worker is a static file; nothing may frame a page (frame-ancestors and X-Frame-Options).
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "worker-src": [_SELF],
        "media-src": [_SELF],
        "object-src": [_NONE],
        "frame-src": [_NONE],
        "base-uri": [_NONE],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's loggers print once, through the root's handler (not also through Django's own).
    "loggers": {"django": {"handlers": [], "propagate": True}},
}

PORTAL_NAME = _("行政执法监督平台")

# --- The public footer: who runs the site and its record numbers (every page shows them).
# Sites in mainland China show their owner (主办单位) and ICP record number (ICP备案号), and the
# public security record number (公安备案号) once filed; an empty value is left out of the footer.
PORTAL_OWNER = env.str("PORTAL_OWNER", default="").strip()
PORTAL_CONTACT = env.str("PORTAL_CONTACT", default="").strip()
PORTAL_ICP_RECORD = env.str("PORTAL_ICP_RECORD", default="").strip()
PORTAL_PSB_RECORD = env.str("PORTAL_PSB_RECORD", default="").strip()
# The policy document the deployment implements, cited by its own title and number. The code
# implements the Jilin opinions (docs/architecture.md), so they are the default; a province that
# deploys the portal under its own implementing document names that one here.
PORTAL_POLICY_TITLE = env.str(
    "PORTAL_POLICY_TITLE",
    default="吉林省人民政府办公厅关于全面落实行政执法责任制的实施意见",
).strip()
PORTAL_POLICY_NUMBER = env.str("PORTAL_POLICY_NUMBER", default="吉政办发〔2016〕91号").strip()
