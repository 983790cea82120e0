"""Cache rendered public pages, feeds and sitemaps under the public version.

A cached page is keyed by the public version (see publiccache), the language,
the host and the full path, so a publication, withdrawal or correction makes
every cached page stale at once. Public pages render the same for every
visitor, logged in or not; staff previews are never cached and never come
from here.

Scheduled publication needs no one to bump the version: a page is kept no
longer than until the next scheduled publication time.
"""

import hashlib
import math
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation

from .models import Article, Edition
from .publiccache import current_version

PREFIX = "newsroom:page"
# Only complete answers are kept: a 404 is cheap and would let anyone fill
# the cache with made-up URLs.
CACHEABLE_STATUS = {200, 410}


def _page_key(request, version):
    where = "|".join(
        [
            translation.get_language() or "",
            request.scheme,
            request.get_host(),
            request.get_full_path(),
        ]
    )
    return f"{PREFIX}:{version}:{hashlib.sha256(where.encode()).hexdigest()}"


def next_scheduled_publication(version):
    """Return the timestamp of the next scheduled publication, or 0 if none is due.

    Looked up once per public version and then whenever the time it gave has
    passed, so most rendered pages cost no query for it.
    """
    key = f"{PREFIX}:{version}:next-publication"
    now = timezone.now()
    stamp = cache.get(key)
    if stamp is None or 0 < stamp <= now.timestamp():
        # Anything with a future publication time, whatever its state, can
        # only shorten the time pages are kept: no visibility rule needed.
        upcoming = (
            Article.objects.filter(published_at__gt=now)
            .order_by()
            .values_list("published_at", flat=True)
            .union(
                Edition.objects.filter(published_at__gt=now)
                .order_by()
                .values_list("published_at", flat=True)
            )
            .order_by("published_at")[:1]
        )
        first = next(iter(upcoming), None)
        stamp = first.timestamp() if first else 0
        cache.set(key, stamp, settings.PUBLIC_CACHE_TIMEOUT)
    return stamp


def cache_timeout(version):
    """Return how long something cached under version may be kept."""
    timeout = settings.PUBLIC_CACHE_TIMEOUT
    stamp = next_scheduled_publication(version)
    if stamp:
        timeout = min(timeout, max(1, math.ceil(stamp - timezone.now().timestamp())))
    return timeout


def _store(key, response, version):
    if response.status_code not in CACHEABLE_STATUS or response.cookies or response.streaming:
        return
    cache.set(
        key,
        (response.status_code, list(response.headers.items()), response.content),
        cache_timeout(version),
    )


def cache_public_page(view):
    """Serve view's GET answers from the cache, keyed by the public version."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version = current_version()
        key = _page_key(request, version)
        hit = cache.get(key)
        if hit is not None:
            status, headers, content = hit
            return HttpResponse(content, status=status, headers=dict(headers))
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.add_post_render_callback(lambda r: _store(key, r, version))
        else:
            _store(key, response, version)
        return response

    return cached_view
