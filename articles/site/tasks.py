"""The public site's background jobs: purges of the shared caches in front that failed at once."""

import logging

from django.conf import settings

from articles import cache
from newsroom.background import retrying, task

logger = logging.getLogger(__name__)


def purges_given_up(error, keys, **_kwargs):
    # /readyz still says purges fail (until one goes through); the pages
    # Varnish kept expire by their s-maxage.
    logger.error("purge of %s keys given up: %s", len(keys), error)


@task()
@retrying(
    on=(cache.PurgeFailed,),
    attempts=settings.PURGE_ATTEMPTS,
    backoff=settings.PURGE_BACKOFF_SECONDS,
    gave_up=purges_given_up,
)
def purge_shared_caches(keys: list[str]) -> None:
    """Purge keys from every shared cache in front; tried again with a growing wait if one fails.

    Idempotent: a purge sent twice drops nothing more.
    """
    cache.send_purges(keys)
