"""A Redis cache that a Redis outage cannot turn into server errors.

Django's RedisCache raises when Redis does not answer, and every page, the
API and every logged-in request would answer 500. This one answers as an
empty cache instead (get: nothing; set: nothing kept), so pages render from
the database, sessions are read from the database (``cached_db``), and
/readyz says the cache is down (reachable()).

After a failure the process leaves Redis alone for RETRY_SECONDS before it
tries again: one request in that time pays the (short) socket timeout, not
every request, and a Redis coming back is not met by every worker at once.

What a process wrote while Redis was away is lost, and what it would have
dropped is still there when Redis comes back. So the first thing a process
does once Redis answers again is run the after_outage() callbacks (the page
cache drops everything it kept: articles/cache.py), before the request that
found Redis back reads anything.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("newsroom.cache")


_after_outage = []


def after_outage(callback):
    """Call callback() in a process once its cache answers again after failing."""
    _after_outage.append(callback)
    return callback


class _Breaker:
    def __init__(self, retry_seconds):
        self.retry_seconds = retry_seconds
        self.down_until = 0.0
        self.tripped = False

    def closed(self):
        return time.monotonic() >= self.down_until

    def trip(self, error):
        if self.closed():
            logger.error("cache unavailable, carrying on without it: %s", error)
        self.down_until = time.monotonic() + self.retry_seconds
        self.tripped = True

    def recovered(self):
        """Return True once after an outage, when the cache may be tried again."""
        if self.tripped and self.closed():
            self.tripped = False
            return True
        return False


def _guarded(name, fallback):
    method = getattr(RedisCacheClient, name)

    def guarded(self, *args, **kwargs):
        if not self._breaker.closed():
            return fallback(*args)
        if self._breaker.recovered():
            logger.warning("cache answers again")
            for callback in _after_outage:
                callback()
            if not self._breaker.closed():  # it failed again meanwhile
                return fallback(*args)
        try:
            return method(self, *args, **kwargs)
        except self._lib.RedisError as error:
            self._breaker.trip(error)
            return fallback(*args)

    guarded.__name__ = name
    return guarded


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, *, retry_seconds=2.0, **options):
        super().__init__(servers, **options)
        self._breaker = _Breaker(retry_seconds)
        self._clients = {}

    add = _guarded("add", lambda key, value, timeout: False)
    get = _guarded("get", lambda key, default: default)
    set = _guarded("set", lambda key, value, timeout: None)
    touch = _guarded("touch", lambda key, timeout: False)
    delete = _guarded("delete", lambda key: False)
    get_many = _guarded("get_many", lambda keys: {})
    has_key = _guarded("has_key", lambda key: False)
    set_many = _guarded("set_many", lambda data, timeout: None)
    delete_many = _guarded("delete_many", lambda keys: None)
    clear = _guarded("clear", lambda: False)

    def get_client(self, key=None, *, write=False):
        # Django builds a redis.Redis around the pool for every call, and
        # building one costs more than a round trip to Redis: keep one per pool.
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def incr(self, key, delta):
        # A counter that silently stays put would mislead; let the caller decide.
        return super().incr(key, delta)

    def ping(self):
        return self.get_client(write=False).ping()


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, answering as an empty cache while Redis is away.

    OPTIONS takes RETRY_SECONDS (default 2) beside redis-py's connection
    options; keep socket_connect_timeout and socket_timeout short.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = float(options.pop("RETRY_SECONDS", 2.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._options = {**options, "retry_seconds": retry_seconds}
        self._class = ResilientRedisCacheClient

    def validate_key(self, key):
        # Django warns about keys memcached would refuse; Redis takes any, and
        # checking each character of each key costs every cache hit.
        pass

    def reachable(self):
        """Return whether Redis answers now (readiness), whatever the last failure was."""
        try:
            return bool(self._cache.ping())
        except self._cache._lib.RedisError:
            return False
