"""Simpul settings: one module, every value read from the environment.

Without DATABASE_URL Simpul runs on a SQLite file with Celery eager (the embedded default used by
`make run`). With DATABASE_URL it uses PostgreSQL; with REDIS_URL Celery sends jobs to Redis for a
worker and beat. DEBUG=0 is production: it refuses to start without SECRET_KEY and ALLOWED_HOSTS.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    # Development only: a fixed key keeps sessions across restarts of `make run`.
    SECRET_KEY = SECRET_KEY or "django-insecure-simpul-development-only"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]
else:
    missing = [name for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS)) if not value]
    if missing:
        raise ImproperlyConfigured(
            f"DEBUG is off, so Simpul needs {' and '.join(missing)} in the environment. "
            "Set SECRET_KEY to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(50))') "
            "and ALLOWED_HOSTS to the comma-separated host names Simpul is served under."
        )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

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
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes: each works once
    "axes",
    "core",
    "agencies",
    "inbox",
    "cases",
    "referrals",
    "prevention",
    "reports",
    "demo",  # demo and synthetic data: after the domain apps, whose services it calls
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # outside SecurityHeadersMiddleware, which exempts inline PDFs from it
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body (the control-character check, CSRF); inside the security and CSP headers.
    "core.middleware.RequestTooLargeMiddleware",
    "core.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor of this session
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.IdleTimeoutMiddleware",  # after messages: it tells the person why they are signed out
    "core.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into core.signin's page
]

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# The embedded default is a SQLite file in var/; DATABASE_URL=postgres://... switches to PostgreSQL.
VAR_DIR = Path(os.environ.get("SIMPUL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # holds the SQLite file and private uploads; never served
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A PostgreSQL streaming replica for the statistics behind dashboards, exports and reports (core.db routes
# them there; every write and every other read stays on the primary). Unset or unreachable: the primary serves.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True)
    # A replica that does not answer within seconds is treated as down rather than holding up the page.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests see the test database through it
DATABASE_ROUTERS = ["core.db.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agencies.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out username (at that address) is refused before its password is checked.
    "core.signin.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates are typed day first in both languages, whatever the browser's language (core/dates.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Makassar"  # WITA, the district's local time
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))  # nginx serves it in production
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise expects it; `collectstatic` fills it in production
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded documents are never under a public path: they are served through views that check access.
    # core.files: each file is written to a temporary name and moved into place only when complete.
    "default": {"BACKEND": "core.files.WholeFileSystemStorage",
                "OPTIONS": {"location": str(VAR_DIR / "private")}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "private"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Request bodies are bounded before any view runs (Django answers 400 beyond them): the fullest intake
# form (20 victims, 20 perpetrators, every box ticked) sends about 1,100 fields; uploads go to files.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB of form fields, files excluded
DATA_UPLOAD_MAX_NUMBER_FILES = 20  # at most 6 photos per activity; one attachment per upload
# A whole request (files included) larger than this is refused with 413 before it is read
# (core.middleware.RequestTooLargeMiddleware): six photos of 5 MB and the form, with room to spare.
SIMPUL_MAX_REQUEST_MB = env_int("SIMPUL_MAX_REQUEST_MB", 32)  # as deploy/nginx/simpul.conf
# Uploads above this are spooled to a temporary file rather than held in the web process's memory (Django's default).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Redis is optional: without it Celery runs tasks in-process and the cache is local memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker started before Redis, or cut off from it, keeps trying for ever instead of exiting after Celery's
# default 100 attempts (about 45 minutes) with nothing left to restart it.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Report rendering (WeasyPrint, minutes of CPU and hundreds of MB) has its own queue, so report workers can run
# on another host (`celery -A config worker -Q reports`). A worker started without -Q consumes both queues.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("reports"))
CELERY_TASK_ROUTES = {"reports.tasks.*": {"queue": "reports"},
                      # The reports heal job is light and must not wait behind long renders on a busy report worker.
                      "reports.tasks.report_heal_task": {"queue": "celery"}}
# A worker process whose memory passed this (KiB) after a task is replaced by a fresh one: WeasyPrint and
# Pango keep what a large report made them allocate. The kernel's OOM killer remains the hard ceiling; a report
# killed by it is put back by its lease (REPORT_LEASE_SECONDS). Prefork pool only.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 400_000)
CELERY_BEAT_SCHEDULE: dict = {}  # filled by config.schedule, the one place that lists periodic jobs

# A publish (`.delay()`, the outbox's kick after commit) with Redis down gives up within seconds instead of
# holding the page: one connection attempt of CELERY_BROKER_CONNECTION_TIMEOUT, no publish retries. What was not
# published is in the outbox (core/outbox.py) and the beat relay delivers it when Redis is back.
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "2"))
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
                                   "socket_timeout": CELERY_BROKER_CONNECTION_TIMEOUT + 3}

# The cache only saves work (holidays of a year, rate-limit counters): with Redis down a read misses and a write
# is dropped (django-redis IGNORE_EXCEPTIONS), within a second, instead of answering the page with a 500.
CACHES = {
    "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL,
                "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # logged (the key and error only), so an outage is seen

# The outbox (core/outbox.py): a failed delivery is tried again after OUTBOX_RETRY_SECONDS, doubling each time up
# to OUTBOX_RETRY_MAX_SECONDS; after OUTBOX_MAX_ATTEMPTS it is marked failed (django-admin lists it) for a person.
# With the defaults that is about 5 hours of retries: an SMTP or broker outage of an afternoon loses nothing.
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 30)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 12)
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 30)  # sent messages are deleted after this (pending and failed stay)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "simpul@localhost")

# Referrals (referrals app): how long a receiving agency has to accept or decline, by urgency. Still
# unanswered one more such window after the deadline, the referral is escalated to the sender's supervisor.
REFERRAL_ANSWER_HOURS_DARURAT = env_int("REFERRAL_ANSWER_HOURS_DARURAT", 2)
REFERRAL_ANSWER_HOURS_SEGERA = env_int("REFERRAL_ANSWER_HOURS_SEGERA", 24)
REFERRAL_ANSWER_WORKING_DAYS_BIASA = env_int("REFERRAL_ANSWER_WORKING_DAYS_BIASA", 3)
# The address links in notification e-mails point to.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # for the file-based e-mail backend

# The district whose kecamatan and desa the forms offer (Kemendagri code; 73.22 is Luwu Utara).
DISTRICT_CODE = os.environ.get("DISTRICT_CODE", "73.22")

# Published reports hide counts from 1 to this threshold (shown "<3" for 2), with complementary suppression.
REPORT_SUPPRESSION_THRESHOLD = env_int("REPORT_SUPPRESSION_THRESHOLD", 2)
# Self-healing report runs (reports.services.reports_heal, beat every REPORT_HEAL_CHECK_SECONDS, config/schedule.py).
# A run past the soft limit fails with its reason (and is retried); past the hard limit its process is killed.
REPORT_TASK_SOFT_TIME_LIMIT = env_int("REPORT_TASK_SOFT_TIME_LIMIT", 240)
REPORT_TASK_TIME_LIMIT = env_int("REPORT_TASK_TIME_LIMIT", 300)
# A run renews its lease at each step; not renewed for this long (worker killed), the report is queued again.
# At least the hard time limit, so a live run never loses its lease (checked by reports.checks).
REPORT_LEASE_SECONDS = env_int("REPORT_LEASE_SECONDS", 360)
# Queued this long and never started: the job was lost (Redis restarted without persistence) and is sent again.
# A job still waiting behind others is harmless to send twice: the second finds the report done or leased.
REPORT_QUEUE_LOST_SECONDS = env_int("REPORT_QUEUE_LOST_SECONDS", 900)
# Runs lost (lease lapsed) before the report is failed rather than queued again: a report that exhausts the
# worker's memory every time must not loop for ever.
REPORT_MAX_RECOVERIES = env_int("REPORT_MAX_RECOVERIES", 3)
# A failed scheduled report (nobody will press its retry button) is tried again this often, until it has had this
# many runs in all (each time with the task's own three retries): persistent failures then wait for a person.
REPORT_CATCH_UP_RETRY_MINUTES = env_int("REPORT_CATCH_UP_RETRY_MINUTES", 30)
REPORT_CATCH_UP_MAX_ATTEMPTS = env_int("REPORT_CATCH_UP_MAX_ATTEMPTS", 20)
# Fault tests only, 0 otherwise: the render step waits this long, so a test can kill the worker mid-render.
REPORT_RENDER_DELAY_SECONDS = float(os.environ.get("REPORT_RENDER_DELAY_SECONDS") or 0)
# With Celery eager (no broker: `make run`) a requested report is made in a thread started after the response's
# commit, so the request returns at once and the page shows progress (issue 14). Tests that read the finished
# report right after requesting it turn this off (tests/conftest.py); the browser journeys keep it on.
REPORT_EAGER_IN_BACKGROUND = env_bool("REPORT_EAGER_IN_BACKGROUND", True)

# Time standards of case handling (domain.md section 2). Permen PPPA 2/2022 via the district SOP:
# high risk is served at once, medium risk within about 6 hours; a complaint is followed up within
# 3 working days (core.workdays: Mon-Fri WITA without public holidays and cuti bersama);
# UU 12/2022 Pasal 41: a TPKS case is reported to the police within 3x24 h.
CASE_HIGH_RISK_SERVICE_MINUTES = env_int("CASE_HIGH_RISK_SERVICE_MINUTES", 60)
CASE_MEDIUM_RISK_SERVICE_HOURS = env_int("CASE_MEDIUM_RISK_SERVICE_HOURS", 6)
CASE_FOLLOW_UP_WORKING_DAYS = env_int("CASE_FOLLOW_UP_WORKING_DAYS", 3)
CASE_TPKS_POLICE_REPORT_HOURS = env_int("CASE_TPKS_POLICE_REPORT_HOURS", 72)
# Retention (UU 27/2022 PDP Pasal 16 ayat 2): a closed case's identifying data is anonymised this many years
# after its closure, unless a supervisor put it under legal hold; the statistics it counts in stay.
SIMPUL_RETENTION_YEARS = env_int("SIMPUL_RETENTION_YEARS", 10)
# UU 27/2022 Pasal 46: a personal-data breach is notified within 3x24 hours of its discovery.
BREACH_NOTIFICATION_HOURS = env_int("BREACH_NOTIFICATION_HOURS", 72)
# Case attachments (PDF, JPEG, PNG) larger than this are refused.
CASE_ATTACHMENT_MAX_MB = env_int("CASE_ATTACHMENT_MAX_MB", 10)

# Backups (core.backup): `manage.py backup` and the nightly job write archives of the database and the private
# files, encrypted with SIMPUL_BACKUP_KEY (`manage.py backup --generate-key`; kept apart from SECRET_KEY and
# from the archives), into SIMPUL_BACKUP_DIR, keeping the SIMPUL_BACKUP_KEEP newest.
BACKUP_KEY = os.environ.get("SIMPUL_BACKUP_KEY", "")
BACKUP_DIR = Path(os.environ.get("SIMPUL_BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP = env_int("SIMPUL_BACKUP_KEEP", 14)

# Encryption at rest (core.crypto): SIMPUL_FIELD_KEYS encrypts personal fields and uploaded files (comma-separated
# base64 keys, the first encrypts, all decrypt; `manage.py rotate_keys` moves every row to the first);
# SIMPUL_BLIND_INDEX_KEY keys the HMAC behind exact lookups (NIK, name with birth date). Both are apart from
# SECRET_KEY and SIMPUL_BACKUP_KEY; `manage.py rotate_keys --generate-key` makes one. Fixed keys only when DEBUG.
FIELD_KEYS = env_list("SIMPUL_FIELD_KEYS")
BLIND_INDEX_KEY = os.environ.get("SIMPUL_BLIND_INDEX_KEY", "")
if DEBUG:
    FIELD_KEYS = FIELD_KEYS or ["c2ltcHVsLWRldmVsb3BtZW50LWZpZWxkLWtleS0wMDE"]  # "simpul-development-field-key-001"
    BLIND_INDEX_KEY = BLIND_INDEX_KEY or "c2ltcHVsLWRldmVsb3BtZW50LWluZGV4LWtleS0wMDE"

# Production hardening; each can be relaxed from the environment for an HTTP-only intranet.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
# The reverse proxies (IPs or CIDRs) whose X-Forwarded-For is believed (core.net.client_ip); none by default,
# so a client cannot choose the address the audit log records.
SIMPUL_TRUSTED_PROXIES = env_list("SIMPUL_TRUSTED_PROXIES")
for _proxy in SIMPUL_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"SIMPUL_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): our own scripts, styles, fonts and images only, nothing inline (no
# inline <script>, <style> or style=""), no plugins, no framing. data: images are Bootstrap's CSS icons and the
# dashboard's SVG charts. Permissions-Policy and Cache-Control: core.middleware.SecurityHeadersMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-in hardening (issue 12). A second factor (TOTP, core.policy.needs_second_factor) for every account that
# opens survivors' data or administers accounts; recovery codes (each works once) for a lost phone.
OTP_TOTP_ISSUER = "Simpul"
SIGNIN_RECOVERY_CODES = 10
# django-axes: this many failed logins for one username from one address lock it for the cool-off; an
# administrator can unlock it sooner (agencies: user page). The address is core.net.client_ip's, never a header.
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5)
SIGNIN_LOCKOUT_MINUTES = env_int("SIGNIN_LOCKOUT_MINUTES", 30)
AXES_COOLOFF_TIME = timedelta(minutes=SIGNIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"
AXES_USERNAME_CALLABLE = "core.signin.lockout_username"  # bounded: a hostile username must not reach the database
AXES_LOCKOUT_CALLABLE = "core.signin.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False  # no unaudited unlock in django-admin: the user page's unlock is the one way
AXES_VERBOSE = False  # axes' own log lines name the username and address; the audit log keeps what we need
# A signed-in session ends after this many minutes without a request (core.middleware.IdleTimeoutMiddleware).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)

# Logs name records by id or pseudonymous code only; never a survivor's name, NIK, address or phone.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # Without REDIS_URL the in-memory broker makes kombu warn on every task; nothing is wrong.
        "kombu.connection": {"level": "ERROR"},
        # Eager tasks run inside web requests and commands: one INFO line per task is noise there.
        "celery.app.trace": {"level": "INFO" if REDIS_URL else "WARNING"},
        # WeasyPrint logs every layout step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        # django-axes logs every login at INFO (usernames masked); lockouts reach the audit log.
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

from config.schedule import BEAT_SCHEDULE  # noqa: E402  (kept in its own module: one place for all jobs)

CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
