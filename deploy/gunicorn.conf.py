"""gunicorn settings for Simpul (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`), used by
deploy/systemd/simpul-web.service and by tests/ops/test_deploy.py. Each value can be set from the environment."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # nginx in front; never exposed directly
# A worker holds WeasyPrint and matplotlib (about 200 MB once a letter or chart was drawn): three fit a small server.
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# Referral letters are rendered to PDF inside the request; anything slower than this is a fault, not a page.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then so memory taken by one large PDF or photo does not stay for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100
# Only the local nginx may say a request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# The path without its query string: a search box's text must not reach the logs.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(D)sus'
errorlog = "-"
