"""Production: base settings, no debug, secure cookies and HSTS, and no start without keys.

Required environment: DJANGO_SECRET_KEY, GONGHUI_FIELD_ENCRYPTION_KEY (a Fernet key) and
GONGHUI_FIELD_DIGEST_KEY. See docs/deploy.md for the rest (DATABASE_URL, DJANGO_ALLOWED_HOSTS,
CACHE_URL, the TLS switches below).
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env, env_bool, env_list
from config.settings.base import *  # noqa: F401,F403
from config.settings.base import STORAGES


def _required(name: str) -> str:
    value = env(name).strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set in production (see docs/deploy.md, 'Keys'). The site refuses to start without it."
        )
    return value


DEBUG = False

SECRET_KEY = _required("DJANGO_SECRET_KEY")
FIELD_ENCRYPTION_KEY = _required("GONGHUI_FIELD_ENCRYPTION_KEY")
FIELD_DIGEST_KEY = _required("GONGHUI_FIELD_DIGEST_KEY")
try:
    from cryptography.fernet import Fernet

    Fernet(FIELD_ENCRYPTION_KEY.encode())
except ValueError:
    raise ImproperlyConfigured(
        "GONGHUI_FIELD_ENCRYPTION_KEY is not a Fernet key (32 url-safe base64-encoded bytes); "
        "generate one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    ) from None
if FIELD_DIGEST_KEY == SECRET_KEY:
    raise ImproperlyConfigured("GONGHUI_FIELD_DIGEST_KEY must differ from DJANGO_SECRET_KEY.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

# TLS. Behind a reverse proxy that terminates TLS, set DJANGO_SECURE_PROXY_SSL_HEADER=true and
# have the proxy send "X-Forwarded-Proto: https" (and strip any such header from clients).
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# The health check answers plain HTTP too: a load balancer probes gunicorn directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Static files: collectstatic writes each under a name carrying a hash of its content
# (tabler.min.3b7ba02654bb.css) with a gzip and a brotli copy beside it, and {% static %} links
# those names (staticfiles.json). whitenoise sends hashed names with a cache of ten years
# ("immutable"): a new release has new names, so nothing stale is ever served, and a returning
# phone fetches no CSS, script or icon again. Strict: a {% static %} name missing from the
# manifest is an error (a template naming a file that does not exist), never a broken link.
# Run collectstatic on every release (docs/deploy.md, section 4).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}

# The Content-Security-Policy is base.py's (django-csp, docs/deploy.md); over HTTPS, browsers are
# also told to fetch any http:// address on a page by https://.
if SECURE_SSL_REDIRECT:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True  # noqa: F405
