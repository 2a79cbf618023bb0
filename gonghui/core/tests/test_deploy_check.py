"""Production settings pass Django's deployment checklist and refuse to start without keys."""

import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

REQUIRED = ("DJANGO_SECRET_KEY", "GONGHUI_FIELD_ENCRYPTION_KEY", "GONGHUI_FIELD_DIGEST_KEY")


def _production_env(**overrides) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GONGHUI_FIELD_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        GONGHUI_FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        GONGHUI_FIELD_DIGEST_KEY=secrets.token_urlsafe(32),
        DJANGO_ALLOWED_HOSTS="gonghui.example.edu.cn",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def _manage(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", env=_production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr, result.stderr


def test_check_deploy_behind_a_tls_proxy_reports_nothing():
    env = _production_env(DJANGO_SECURE_PROXY_SSL_HEADER="true")
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without_a_key(missing):
    result = _manage("check", env=_production_env(**{missing: None}))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set in production" in result.stderr


def test_production_refuses_a_malformed_encryption_key():
    result = _manage("check", env=_production_env(GONGHUI_FIELD_ENCRYPTION_KEY="not-a-fernet-key"))

    assert result.returncode != 0
    assert "GONGHUI_FIELD_ENCRYPTION_KEY is not a Fernet key" in result.stderr


def test_several_servers_share_the_cache_and_the_sessions_in_redis():
    """CACHE_URL=redis://… (docs: several app servers) gives a working Redis cache, job progress
    and sign-in lockouts shared between servers, and sessions read from it before the database."""
    code = (
        "import django; django.setup();"
        "from django.conf import settings; from django.core.cache import cache;"
        "key = 'gonghui-test-' + __import__('secrets').token_hex(8);"
        "cache.set(key, '工会', 30); print(cache.get(key)); cache.delete(key);"
        "print(settings.SESSION_ENGINE)"
    )
    env = _production_env(CACHE_URL="redis://127.0.0.1:6379/15")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["工会", "django.contrib.sessions.backends.cached_db"]
