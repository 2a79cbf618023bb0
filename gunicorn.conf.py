"""gunicorn settings for gonghui: `gunicorn config.wsgi` reads this file from the working directory.

Every value can be changed by environment variable, so one file serves every server:
  GUNICORN_BIND        address to listen on (default 127.0.0.1:8000; the reverse proxy connects here)
  GUNICORN_WORKERS     worker processes (default 2 × CPUs + 1, at most 8)
  GUNICORN_THREADS     threads per worker (default 2)
  GUNICORN_TIMEOUT     seconds before a silent worker is restarted (default 120: large roster uploads)
  GUNICORN_ACCESS_LOG  access log file, "-" for stdout (default "-")
  GUNICORN_ERROR_LOG   error log file, "-" for stderr (default "-")
  GUNICORN_LOG_LEVEL   (default info)
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Restart workers now and then so that a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client address from the proxy's X-Forwarded-For, request time in microseconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'
# Trust X-Forwarded-* only from the local reverse proxy.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

raw_env = ["DJANGO_SETTINGS_MODULE=" + os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.production")]
