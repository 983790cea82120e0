"""One version number for everything readers see.

Public pages are cached under keys that include this version. Whatever
changes what readers see (a publication, a withdrawal, a correction) bumps it
once its transaction commits, so every cached page is stale at once, on every
app server sharing the cache.
"""

import time

from django.core.cache import cache
from django.db import transaction

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
