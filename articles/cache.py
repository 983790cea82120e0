"""The public cache: one version for everything readers see, and what is kept under it.

Whatever changes what readers see (a publication, a withdrawal, a correction)
bumps the public version once its transaction commits, so everything cached
under the old version is stale at once, on every app server sharing the cache:

- rendered public pages, feeds and sitemaps (cache_public_page), keyed by the
  version, the language, the host and the full path;
- API bodies, counts and last-change times (remembered).

Public pages render the same for every visitor, logged in or not; staff
previews are never cached and never come from here. Scheduled publication
needs no one to bump the version: nothing is kept longer than until the next
scheduled publication time.
"""

import hashlib
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation

from .models import Article, Edition

# --- the public version -------------------------------------------------------

KEY = "newsroom:public-version"


def current_version():
    """Return the version of public content that cached pages must match."""
    version = cache.get(KEY)
    if version is None:
        # A time-based start keeps versions growing across cache flushes.
        cache.add(KEY, int(time.time() * 1000), timeout=None)
        version = cache.get(KEY)
    return version


def _bump():
    try:
        cache.incr(KEY)
    except ValueError:  # the key was evicted
        cache.set(KEY, int(time.time() * 1000), timeout=None)


def public_content_changed():
    """Invalidate every cached public page, now and once the current transaction commits.

    The bump on commit is the one that matters: a reader who rendered a page
    between the first bump and the commit saw the old content and may have
    cached it under the new version. The bump at once makes the change seen
    by anything that reads within the same transaction (and by tests, whose
    transactions never commit).
    """
    _bump()
    transaction.on_commit(_bump)


# --- what is kept under it ------------------------------------------------------

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


def remembered(name, params, compute):
    """Return compute(), worked out once per public version and params.

    Counts and last-change times over all published copy cost a scan of the
    table, yet they change only when what readers see changes, and that is
    exactly when the public version moves.
    """
    version = current_version()
    digest = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
    key = f"newsroom:api:{name}:{version}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, cache_timeout(version))
    return value
