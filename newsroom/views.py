"""Probes for the load balancer."""

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse


def healthz(request):
    """Answer that this worker runs Django; touch nothing else (liveness, and the benchmark's baseline)."""
    return HttpResponse("ok\n", content_type="text/plain")


def readyz(request):
    """Answer 200 when the database and the cache both answer, else 503 naming what failed."""
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
    response = HttpResponse(body, status=503 if failed else 200, content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response
