"""gunicorn settings for Newsroom: `make serve`, the benchmark and the load test.

    gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi

Every value comes from the environment, with defaults for one app server.
"""

import gc
import os

bind = os.environ.get("BIND", "127.0.0.1:8000").split(",")
# Sync workers: each renders one page at a time, using one core; the rule of
# thumb is two per core plus one, so a worker waiting on the database or Redis
# leaves the core to another. Slow clients are the load balancer's to buffer.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak never grows unbounded;
# the jitter keeps them from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Load Django once in the master: workers start fast and share its memory.
preload_app = True
# Heartbeat files in memory: a busy or slow disk must not get workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Addresses whose X-Forwarded-Proto is believed (the load balancer's): the
# request is then https for Django (secure cookies, no redirect loop).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
if os.environ.get("GUNICORN_ACCESS_LOG_FORMAT"):
    # e.g. the load test's, which logs whether the page cache answered:
    # %({newsroom.cache}e)s is "hit" or "miss" (articles/cache.py).
    access_log_format = os.environ["GUNICORN_ACCESS_LOG_FORMAT"]
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "newsroom"
# gunicorn 25+ opens a control socket under ~/.gunicorn/ by default: state on
# the app server that nothing here uses.
control_socket_disable = True


def when_ready(server):
    # Runs in the master once Django is loaded, before any worker is forked:
    # what settings.WORKER_PRELOAD names is loaded once here, shared by every
    # worker, instead of in each worker's first request and again after every
    # recycling. (The benchmark's floor app runs with these settings too,
    # without it.)
    if getattr(server.app, "app_uri", "").startswith("newsroom."):
        from django.conf import settings
        from django.utils.module_loading import import_string

        for path in settings.WORKER_PRELOAD:
            import_string(path)()
    # Keep the collector from touching what is loaded, so forked pages stay shared.
    gc.freeze()
