"""gunicorn's settings for `make serve`; every one can be changed from the environment.

The site runs behind an HTTPS reverse proxy that forwards to PORT on 127.0.0.1 (BIND to
listen elsewhere). WEB_CONCURRENCY workers of the sync kind, each one request at a time;
a request that takes longer than WEB_TIMEOUT seconds is cut off and its worker replaced.
The database timeouts (config/settings.py) are well inside it, so a database that does not
answer gives the 503 page, not a killed worker.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter), so no slow leak can grow.
max_requests = 2000
max_requests_jitter = 200
# The proxy is the one client; it says who the reader is and whether they used HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
