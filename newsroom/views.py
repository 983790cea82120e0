"""Probes for the load balancer, and the answer to what fails outside a view."""

import sys

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.views import defaults

from newsroom import background
from newsroom.middleware import database_unavailable, is_database_outage


def healthz(request):
    """Answer that this worker runs Django; touch nothing else (liveness, and the benchmark's baseline)."""
    return HttpResponse("ok\n", content_type="text/plain")


def readyz(request):
    """Answer 200 when the database and the cache both answer, else 503 naming what failed.

    Background work that keeps failing (purges of the shared caches in front)
    is named on a line of its own, with a 200 all the same: this server can
    serve, and a balancer that took every server out because Varnish is away
    would turn a stale page into an outage. Monitoring reads the line.
    """
    failed = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any failure means: send readers elsewhere
        failed.append("database")
    # The cache answers as empty while Redis is away (newsroom/caches.py), so
    # ask Redis itself; other backends raise if they fail.
    try:
        reachable = getattr(cache, "reachable", None)
        if reachable is not None and not reachable():
            failed.append("cache")
        elif reachable is None:
            cache.get("newsroom:readyz")
    except Exception:
        failed.append("cache")
    body = "ready\n" if not failed else f"unavailable: {', '.join(failed)}\n"
    if "cache" not in failed:
        try:
            for what, state in sorted(background.failing().items()):
                body += f"failing: {what} since {state['since']}: {state['error']}\n"
        except Exception:  # the cache is away: said above
            pass
    response = HttpResponse(body, status=503 if failed else 200, content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: 503 with Retry-After when the database is away, else the 500 page.

    A middleware that reads the session or the user (the idle timeout) fails
    before any view runs, where DatabaseUnavailableMiddleware cannot see it;
    Django calls this with the exception still being handled.
    """
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable()
    return defaults.server_error(request)
