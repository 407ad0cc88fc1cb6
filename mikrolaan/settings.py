"""Settings for Mikrolån, driven entirely by environment variables.

Embedded default (no variables): SQLite file, Celery tasks run in-process,
e-mail printed to the console, DEBUG on. Production: set DJANGO_DEBUG=false,
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; a missing secret stops start-up.
Every variable is tabled in README.md.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"  # noqa: S105 - refused when DEBUG is off
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=false (production mode)."
        )
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=false.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto, and take the
# client's address from the last X-Forwarded-For entry (login throttling).
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)

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
    "bootstrap",
    "axes",
    "csp",
    "mikrolaan",
    "mikrolaan.letters",
    "mikrolaan.privacy",
    "applicants",
    "screening",
    "courses",
    "loans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every query of the request sees the user's municipality only.
    "mikrolaan.tenancy.MunicipalityMiddleware",
    # One access-log row per citizen whose data the page showed.
    "mikrolaan.access_log.AccessLogMiddleware",
    # A citizen's idle timeout slides with every request.
    "applicants.portal.middleware.PortalIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # Every response that reaches here may show personal data: no-store.
    "mikrolaan.middleware.NoStoreMiddleware",
    # NUL, lone surrogates and non-UTF-8 in a query or form: 400, before a view.
    "mikrolaan.middleware.RejectBadInputMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mikrolaan.urls"

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
                "mikrolaan.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "mikrolaan.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Production keeps each worker's database connection open between requests:
# opening a PostgreSQL connection (a forked backend, authentication) costs more
# than a whole list page's queries. A sync gunicorn worker serves one request
# at a time, so one persistent connection per worker is the pool it needs. The
# health check (one "SELECT 1" when a request first uses a reused connection)
# replaces a connection the database has dropped instead of failing a request.
DATABASES["default"].setdefault(
    "CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0 if DEBUG else 600)
)
DATABASES["default"].setdefault(
    "CONN_HEALTH_CHECKS", env.bool("DJANGO_CONN_HEALTH_CHECKS", default=True)
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user's municipality with the user.
    "mikrolaan.backends.MunicipalityModelBackend",
    # The citizen's sign-in link (django-sesame; applicants/portal/views.py).
    "sesame.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes, with mikrolaan.throttling): after 5 failed
# attempts for one username the account is locked for 15 minutes; after 30
# failed attempts from one client address, whatever the usernames, that address
# is locked for as long. The address limit is higher because a jobcentre's
# staff may share one address: one user's typos must not lock them all.
# A success resets the username's count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "mikrolaan.throttling.AxesHandler"
AXES_CLIENT_IP_CALLABLE = "mikrolaan.throttling.client_ip_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("Engelsk"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Det Fælles Designsystem for the citizen's pages: the npm package's dist
    # folder (installed by `npm ci` from package-lock.json), at static/dkfds/.
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Letter PDFs (alias "letters", mikrolaan/letters/storage.py): a private
# folder by default; with S3_BUCKET an S3-compatible object store shared by
# every web and worker host (docs/deployment.md). Objects are never
# overwritten (a letter is immutable) and carry no public ACL.
S3_BUCKET = env.str("S3_BUCKET", default="")
S3_OPTIONS = {
    "bucket_name": S3_BUCKET,
    # Empty: AWS itself; e.g. https://s3.example.dk for MinIO, Ceph, a cloud provider.
    "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
    "region_name": env.str("S3_REGION", default="") or None,
    # Empty: boto3's own chain (AWS_* variables, an instance role).
    "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
    "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
    "addressing_style": env.str("S3_ADDRESSING_STYLE", default="") or None,
    "signature_version": "s3v4",
    "default_acl": None,
    "file_overwrite": False,
    "querystring_auth": True,
    "querystring_expire": 60,
}
if env.str("S3_SERVER_SIDE_ENCRYPTION", default=""):
    S3_OPTIONS["object_parameters"] = {"ServerSideEncryption": env.str("S3_SERVER_SIDE_ENCRYPTION")}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "letters": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**S3_OPTIONS, "location": env.str("S3_LETTERS_PREFIX", default="letters")},
        }
        if S3_BUCKET
        else {"BACKEND": "mikrolaan.letters.storage.LetterStorage"}
    ),
    # Files citizens attach to their business plan: private, like the letters;
    # served only through the portal's download view (docs/portal.md).
    "attachments": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **S3_OPTIONS,
                "location": env.str("S3_ATTACHMENTS_PREFIX", default="attachments"),
            },
        }
        if S3_BUCKET
        else {"BACKEND": "applicants.portal.storage.AttachmentStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# In development WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
FORMS_URLFIELD_ASSUME_HTTPS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console unless EMAIL_URL names an SMTP server,
# e.g. smtp+tls://user:password@smtp.example.dk:587
globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="mikrolaan@localhost")

# Celery: a Redis broker when REDIS_URL is set; otherwise every task runs
# in-process (eager), so the embedded default needs no services.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = False  # only idempotent tasks opt in, per task
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must not hold up a web request: connect within a
# short time, and give up on a broker that stops answering (a publish would
# otherwise wait forever on a half-open connection). Workers keep retrying
# their own connection (broker_connection_retry) whatever these say.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=2.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": 10.0,
}
# After a failed publish, this process leaves the broker alone for so many
# seconds (mikrolaan.broker): the sweep queues what was left pending.
BROKER_DOWN_SECONDS = env.int("BROKER_DOWN_SECONDS", default=30)
CELERY_RESULT_EXPIRES = 3600
# The daily-jobs registry (mikrolaan.jobs) holds the beat task that runs them.
CELERY_IMPORTS = ["mikrolaan.jobs"]
CELERY_BEAT_SCHEDULE: dict = {
    # Letters still pending after a few minutes (broker down, worker died) are
    # queued again: nothing is lost (SPEC §9).
    "sweep-pending-letters": {"task": "letters.sweep_pending_letters", "schedule": 300.0},
    # A letter whose worker died mid-render (its claim no longer renewed) is
    # queued again within LETTERS_CLAIM_STALE_SECONDS + 30 s.
    "recover-stale-letter-claims": {
        "task": "letters.recover_stale_claims",
        "schedule": 30.0,
    },
    # Every registered daily job, once a day, in CELERY_TIMEZONE (Europe/Copenhagen).
    "run-daily-jobs": {"task": "mikrolaan.run_daily_jobs", "schedule": crontab(hour=6, minute=0)},
}

# Letters (mikrolaan.letters). Generated PDFs hold personal data, so they live
# outside MEDIA_ROOT (which DEBUG serves publicly); empty means a folder
# "private" beside MEDIA_ROOT.
LETTERS_ROOT = env.str("DJANGO_LETTERS_ROOT", default="")
# One render plus up to 5 automatic retries, then the letter is marked failed.
LETTERS_MAX_ATTEMPTS = env.int("LETTERS_MAX_ATTEMPTS", default=6)
# Days a citizen has to comment on a hearing (partshøring, forvaltningsloven § 19).
HEARING_DEADLINE_DAYS = env.int("HEARING_DEADLINE_DAYS", default=14)
# The support watch warns this many days before a support grant ends
# (SPEC §6: "well before the end", default 4 weeks); the citizen gets this
# many days to send the self-evaluation.
SUPPORT_WATCH_DAYS = env.int("SUPPORT_WATCH_DAYS", default=28)
SELF_EVALUATION_DAYS = env.int("SELF_EVALUATION_DAYS", default=14)
# A claim older than this is taken to belong to a dead worker. A render
# that takes long renews its claim every third of this (tasks.py), so a
# short limit only costs a killed worker's letter this long plus the 30 s of
# the recovery beat.
LETTERS_CLAIM_STALE_SECONDS = env.int("LETTERS_CLAIM_STALE_SECONDS", default=60)
# The sweep re-queues letters pending for longer than this.
LETTERS_SWEEP_AFTER_SECONDS = env.int("LETTERS_SWEEP_AFTER_SECONDS", default=120)
# PDF/A-3u for archiving in the municipality's document system ("" for plain
# PDF, about 20 % faster to render).
LETTERS_PDF_VARIANT = env.str("LETTERS_PDF_VARIANT", default="pdf/a-3u")
# The address in the "you have a new letter" e-mail.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Services the test suite must find (CI sets REQUIRE_SERVICES=1).
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)

# Datatilsynet's logging guidance: reads of personal data kept 6 months.
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=183)
# A closed case (and, once all their cases are, the citizen) is anonymised
# this many years after it closed, unless a keep rule holds it (SPEC §13).
RETENTION_CLOSED_CASE_YEARS = env.int("RETENTION_CLOSED_CASE_YEARS", default=5)

SESSION_COOKIE_AGE = 8 * 3600

# The citizen's portal (docs/portal.md). Sign-in links (django-sesame) work
# once and for PORTAL_LINK_MINUTES; at most PORTAL_LINKS_PER_ADDRESS links per
# e-mail address and PORTAL_LINKS_PER_IP per client address an hour. A
# citizen's session ends after PORTAL_IDLE_MINUTES without a request (drafts
# are saved as they type, so nothing is lost).
PORTAL_LINK_MINUTES = env.int("PORTAL_LINK_MINUTES", default=15)
PORTAL_LINKS_PER_ADDRESS = env.int("PORTAL_LINKS_PER_ADDRESS", default=3)
PORTAL_LINKS_PER_IP = env.int("PORTAL_LINKS_PER_IP", default=20)
PORTAL_IDLE_MINUTES = env.int("PORTAL_IDLE_MINUTES", default=30)
# The ways in, in the order the sign-in page offers them: "email_link" today;
# "mitid" (MitID through NemLog-in, OpenID Connect) once configured.
PORTAL_SIGN_IN_METHODS = env.list("PORTAL_SIGN_IN_METHODS", default=["email_link"])
SESAME_MAX_AGE = PORTAL_LINK_MINUTES * 60
SESAME_ONE_TIME = True
SESAME_TOKEN_NAME = "link"  # noqa: S105 - the query parameter's name, not a secret
# Attachments to the business plan: at most this many bytes each.
PORTAL_ATTACHMENT_MAX_BYTES = env.int("PORTAL_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only
# from our own static files; no inline scripts or style attributes anywhere
# (htmx's own indicator styles are off, see base.html and mikrolaan.css).
# data: images are Bootstrap's icons inside its CSS (select arrows, checkboxes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (django-permissions-policy): the application needs none
# of the browser's powerful features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}
