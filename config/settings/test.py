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
