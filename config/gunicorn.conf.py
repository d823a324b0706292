"""gunicorn's settings for `make serve`; every one can be changed from the environment.

The site runs behind an HTTPS reverse proxy that forwards to PORT on 127.0.0.1 (BIND to
listen elsewhere). WEB_CONCURRENCY worker processes of WEB_THREADS threads each. A worker
that stops answering its master for WEB_TIMEOUT seconds is replaced; a request, however
long, is not cut off: a CSV export of a million rows streams to its end (a sync worker
would be killed half-way, with a 200 status already sent). What bounds a request instead
are the database timeouts (config/settings.py): a database that does not answer gives the
503 page within seconds.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
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


def post_worker_init(worker):
    import gc

    if os.environ.get("GCX") == "freeze":
        gc.collect()
        gc.freeze()
    if os.environ.get("GCT"):
        gc.set_threshold(*map(int, os.environ["GCT"].split(",")))
