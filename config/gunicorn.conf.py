"""gunicorn's settings for `make serve`; every one can be changed from the environment.

The site runs behind an HTTPS reverse proxy that forwards to PORT on 127.0.0.1 (BIND to
listen elsewhere). WEB_CONCURRENCY worker processes of WEB_THREADS threads each. A worker
that stops answering its master for WEB_TIMEOUT seconds is replaced; a request, however
long, is not cut off: a CSV export of a million rows streams to its end (a sync worker
would be killed half-way, with a 200 status already sent). What bounds a request instead
are the database timeouts (config/settings.py): a database that does not answer gives the
503 page within seconds.
"""

import gc
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


# The application is loaded once, in the master, and warmed there (config/warmup.py); each
# worker is a fork of it. A worker, and one that replaces another after `max_requests`,
# starts in milliseconds, already warm, and shares the loaded code and data with the others.
# New code takes a restart of the service: a HUP reloads the configuration, not the code.
preload_app = True


def when_ready(server):
    from config.warmup import warm

    warm()
    # What is loaded now lives as long as the process: out of the collector's sight, so no
    # collection in a worker walks it (and copies the pages it sits on) again and again.
    gc.collect()
    gc.freeze()
