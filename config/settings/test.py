"""Test settings: the same as development, with fast hashing and inline tasks.

DATABASE_URL selects the database, so the suite runs on SQLite and on PostgreSQL.
"""

from config.settings.base import *  # noqa: F401,F403
from config.settings.base import INSTALLED_APPS

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "zh-hans"

# A real CAS server (django-cas-server) mounted at /cas-server/ for the CAS sign-in tests.
CAS_TEST_SERVER = True
INSTALLED_APPS = [*INSTALLED_APPS, "cas_server"]
# The CAS server authenticates against a stand-in for the university's staff directory,
# never against gonghui's own users, and never asks PyPI about new versions.
CAS_AUTH_CLASS = "gonghui.accounts.tests.cas_directory.StaffDirectoryAuthUser"
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_SHOW_POWERED = False
