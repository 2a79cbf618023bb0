"""Settings shared by every mode. Values come from the environment (config/env.py).

Local development runs on SQLite with no set-up; DATABASE_URL selects PostgreSQL.
"""

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, env, env_bool, env_list

SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# Keys for personal ID numbers: a Fernet key encrypts, a separate secret keys the lookup digest.
# Development falls back to a fixed key; production refuses to start without its own (production.py).
FIELD_ENCRYPTION_KEY = env("GONGHUI_FIELD_ENCRYPTION_KEY", "q0d8l6Jd7sQ2c1kq3T6bq8m2l4nZ0p5oX9y1r3s5t7U=")
FIELD_DIGEST_KEY = env("GONGHUI_FIELD_DIGEST_KEY", "dev-only-digest-key")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_cas_ng",
    "csp",
    "gonghui.core",
    "gonghui.accounts",
    "gonghui.people",
    "gonghui.attachments",
    "gonghui.notifications",
    "gonghui.portal",
    "gonghui.mutual_aid",
    "gonghui.insurance",
    "gonghui.drives",
    "gonghui.congress",
    "gonghui.proposals",
    "gonghui.deliberations",
    "gonghui.appraisals",
    "gonghui.competitions",
    "gonghui.mentorship",
    "gonghui.admissions",
    "gonghui.projects",
    "gonghui.reports",
    "gonghui.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below)
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for pages and API answers (not static files: whitenoise answered above); ADR 0007
    "gonghui.core.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # a NUL in a query or form value: 400 here, not a database error in a view
    "gonghui.core.middleware.NulParameterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # no-store on what a signed-in user gets (personal data): gonghui/core/middleware.py
    "gonghui.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # axes must be last: it turns locked-out sign-in attempts into a lockout response.
    "axes.middleware.AxesMiddleware",
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
                "gonghui.accounts.context_processors.roles",
                "gonghui.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

VAR_DIR = BASE_DIR / env("GONGHUI_VAR_DIR", "var")
DATABASES = {
    "default": dj_database_url.parse(env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gonghui.sqlite3'}"), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker read while the site writes; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env("GONGHUI_PG_JIT", "off") == "off":
    # JIT compiles a plan to machine code once its cost is high; on the yearly aggregates over a
    # million rows the compiling cost seconds and saved less (docs/adr/0010-postgresql-jit-off.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Progress of long jobs lives in the cache so that it is visible while the job's own
# transaction is still open. The file cache is shared by the site and the worker on one
# machine; several machines set CACHE_URL to Redis.
if env("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL")}}
    # Sessions are read from Redis first (one database query less on every signed-in request)
    # and still written to the database, so a Redis restart signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Roles answer has_perm() first, from the access computed once per request: a permission a
    # role grants never costs ModelBackend's two queries of user and group permissions (which
    # answer below for what the administrator grants in /admin/). It authenticates nobody.
    "gonghui.accounts.backends.RolePermissionBackend",
    # What the administrator grants in /admin/ (user and group permissions): one query, and the
    # last word on has_perm() (a permission it lacks is refused here, not asked again below).
    "gonghui.accounts.backends.GrantedPermissionBackend",
    # Signs in by password (and keeps the sessions that name it).
    "django.contrib.auth.backends.ModelBackend",
    "gonghui.accounts.cas.StaffNumberCASBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Content-Security-Policy (django-csp) on every page: scripts, styles, fonts and images from the
# site's own files only; no inline script, event handler or style attribute anywhere (a test
# scans the templates: tests/test_content_security_policy.py), no eval, no framing, forms post
# only to the site itself. docs/deploy.md ("Content-Security-Policy") explains it and the one
# relaxed page (the API docs, gonghui/core/api_docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Where browsers post the violations they block (optional; e.g. a collector on the campus).
if env("GONGHUI_CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [env("GONGHUI_CSP_REPORT_URI")]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# The number of reverse proxies in front of the site that append to X-Forwarded-For
# (nginx alone: 1). The client's address is read from that header (gonghui/core/client_address.py,
# docs/deploy.md); 0 ignores the header and uses the socket's address.
TRUSTED_PROXY_COUNT = int(env("GONGHUI_TRUSTED_PROXY_COUNT", "0"))

# django-axes: lock a username+address after repeated failures, from the real client address.
AXES_CLIENT_IP_CALLABLE = "gonghui.core.client_address.client_address"
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed sign-in kept for the audit trail
# Per username, from every address together: after this many failures within the axes cool-off,
# each further attempt waits twice as long as the one before (1 s, 2 s, 4 s ... at most the cap),
# so that guessing from many addresses is slowed, yet nobody can lock an account for everyone.
SIGN_IN_USERNAME_FREE_FAILURES = int(env("SIGN_IN_USERNAME_FREE_FAILURES", "10"))
SIGN_IN_USERNAME_MAX_DELAY_SECONDS = int(env("SIGN_IN_USERNAME_MAX_DELAY_SECONDS", "300"))

# Campus single sign-on (django-cas-ng). Empty CAS_SERVER_URL hides the CAS button.
CAS_SERVER_URL = env("CAS_SERVER_URL", "")
CAS_VERSION = env("CAS_VERSION", "3")
CAS_CREATE_USER = True
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_REDIRECT_URL = "/"
CAS_FORCE_SSL_SERVICE_URL = env_bool("CAS_FORCE_SSL_SERVICE_URL", False)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
# Dates and numbers as each language writes them (2021年3月1日 / 1 Mar 2021, 1,234.50); pages
# format through Django's localisation and gonghui.core.templatetags.gonghui_format.
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / env("STATIC_ROOT", "var/staticfiles")
MEDIA_ROOT = BASE_DIR / env("MEDIA_ROOT", "var/private-media")
# No MEDIA_URL is served: attachments are only reachable through access-checked views.
STORAGES: dict[str, dict] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if env("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "access_key": env("S3_ACCESS_KEY"),
            "secret_key": env("S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
# What one account may keep in attachments (every file it uploaded that is still stored), and
# how many files it may upload a day. The union office and administrators enter paper forms
# for everyone: theirs are larger.
ATTACHMENT_QUOTA_BYTES_PER_USER = int(env("ATTACHMENT_QUOTA_BYTES_PER_USER", str(200 * 1024 * 1024)))
ATTACHMENT_QUOTA_BYTES_OFFICE = int(env("ATTACHMENT_QUOTA_BYTES_OFFICE", str(5 * 1024 * 1024 * 1024)))
ATTACHMENT_UPLOADS_PER_DAY = int(env("ATTACHMENT_UPLOADS_PER_DAY", "100"))
ATTACHMENT_UPLOADS_PER_DAY_OFFICE = int(env("ATTACHMENT_UPLOADS_PER_DAY_OFFICE", "1000"))
ROSTER_IMPORT_MAX_BYTES = int(env("ROSTER_IMPORT_MAX_BYTES", str(40 * 1024 * 1024)))
# What every imported spreadsheet may be (gonghui.core.tabular.DEFAULT_LIMITS has the defaults
# and their meaning; docs/modules/core-imports.md lists them). A kind may narrow them.
IMPORT_LIMITS: dict[str, int] = {}
# Uploads larger than this are read and classified by the task worker, never in the request.
IMPORT_READ_INLINE_MAX_BYTES = int(env("IMPORT_READ_INLINE_MAX_BYTES", str(256 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "gonghui@localhost")
# Notification channels beyond the inbox, by dotted path (SMS and WeCom plug in here).
NOTIFICATION_CHANNELS = env_list("NOTIFICATION_CHANNELS", "gonghui.notifications.channels.EmailChannel")
# Absolute links in e-mail, SMS and WeCom messages (e.g. https://gonghui.example.edu.cn).
SITE_URL = env("GONGHUI_SITE_URL", "")
# SmsChannel posts {"phone", "sign", "text"} as JSON to the campus SMS gateway.
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", "")
SMS_SIGN = env("SMS_SIGN", "工会")
# WeComChannel (企业微信) posts an application text message to message/send or a relay.
WECOM_WEBHOOK_URL = env("WECOM_WEBHOOK_URL", "")
WECOM_GATEWAY_TOKEN = env("WECOM_GATEWAY_TOKEN", "")
WECOM_AGENT_ID = env("WECOM_AGENT_ID", "")
NOTIFICATION_HTTP_TIMEOUT = float(env("NOTIFICATION_HTTP_TIMEOUT", "10"))

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# API tokens expire this many days after they are issued (gonghui/accounts/tokens.py).
API_TOKEN_LIFETIME_DAYS = int(env("API_TOKEN_LIFETIME_DAYS", "30"))

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes anonymous calls 401 rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "gonghui.accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "gonghui.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "gonghui.core.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "gonghui.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gonghui API",
    "DESCRIPTION": "高校工会服务平台 REST API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Redoc's script is served from the drf-spectacular-sidecar package: no CDN on campus.
    "REDOC_DIST": "SIDECAR",
    # Choice sets shared by several modules get one name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "EditionStatusEnum": "gonghui.core.editions.EditionStatus",
        "ImportStatusEnum": "gonghui.core.models.ImportStatus",
        # a list's and a record's serializers share these (insurance: the record adds next_steps)
        "PlanEnrollmentStatusEnum": "gonghui.insurance.choices.EnrollmentStatus",
        "PlanClaimStatusEnum": "gonghui.insurance.choices.ClaimStatus",
        "PlanClaimChannelEnum": "gonghui.insurance.choices.ClaimChannel",
        # a school's kind (admissions: the schools' filter and input)
        "AdmissionsSchoolKindEnum": "gonghui.admissions.choices.SchoolKind",
    },
}


def _without_template_context(record):
    """django.template logs a variable missing from a template (at DEBUG) with its exception,
    whose traceback text holds the template's whole context: on the ballot pages, the voter and
    their choices (docs/adr/0009-cadre-appraisal-secrecy.md). The message (which variable, which
    template) stays; the traceback goes, whatever LOG_LEVEL is."""
    record.exc_info = None
    record.exc_text = None
    return True


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_template_context": {"()": lambda: _without_template_context}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.template": {"filters": ["without_template_context"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
