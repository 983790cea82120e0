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

from __future__ import annotations

import logging
import math
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, cast

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisSerializer
from django.utils.functional import cached_property
from redis.backoff import NoBackoff
from redis.client import PubSub
from redis.retry import Retry

logger = logging.getLogger("newsroom.cache")
# After the watch fails, this long before it is tried again.
RETRY_WATCH_SECONDS = 2.0


_after_outage: list[Callable[[], object]] = []

T = TypeVar("T")
Callback = TypeVar("Callback", bound=Callable[[], object])


def after_outage(callback: Callback) -> Callback:
    """Call callback() in a process once its cache answers again after failing."""
    _after_outage.append(callback)
    return callback


class _Breaker:
    def __init__(self, retry_seconds: float) -> None:
        self.retry_seconds = retry_seconds
        self.down_until = 0.0
        self.tripped = False

    def closed(self) -> bool:
        return time.monotonic() >= self.down_until

    def trip(self, error: Exception) -> None:
        if self.closed():
            logger.error("cache unavailable, carrying on without it: %s", error)
        self.down_until = time.monotonic() + self.retry_seconds
        self.tripped = True

    def recovered(self) -> bool:
        """Return True once after an outage, when the cache may be tried again."""
        if self.tripped and self.closed():
            self.tripped = False
            return True
        return False


class ResilientRedisCache(BaseCache):
    """Django's cache API on redis-py, answering as an empty cache while Redis is away.

    LOCATION is one Redis URL; OPTIONS are redis-py's connection options
    (keep socket_connect_timeout and socket_timeout short) and RETRY_SECONDS
    (default 2), how long a failed Redis is left alone. Values are stored as
    Django's RedisCache stores them (RedisSerializer: integers as they are,
    the rest pickled), so either backend reads the other's entries.

    Written on redis-py's public API rather than as a subclass of Django's
    RedisCache, whose client class and connection pools are private to it:
    one client per process (building a redis.Redis for each call, as
    Django's does, costs more than the round trip), the same client the
    watch below uses.
    """

    def __init__(self, server: str | Sequence[str], params: dict[str, Any]) -> None:
        super().__init__(params)
        options = dict(params.get("OPTIONS", {}))
        self.breaker = _Breaker(float(options.pop("RETRY_SECONDS", 2.0)))
        self.url = re.split("[;,]", server)[0] if isinstance(server, str) else server[0]
        self.options = options
        self.serializer = RedisSerializer()
        self._readers = threading.local()

    @cached_property
    def client(self) -> redis.Redis:
        """This process's redis-py client (its pool notices a fork and starts afresh)."""
        return redis.Redis.from_url(self.url, **self.options)

    def _read(self, *command: Any) -> Any:
        """Send a read (GET, MGET) on this thread's own connection and return Redis's answer.

        A cached page is one MGET, and redis-py's client spent more of the
        worker's time on it than the round trip took: a connection taken from
        the pool and checked with a poll of its socket, a retry wrapper and
        observability hooks, for every command. Reads go instead through a
        connection the client's pool makes once per thread and process and
        this thread keeps (redis-py's Connection, send_command() and
        read_response(): the same options and parser). The pool does not
        hold it, so it closes with its thread (the development server starts
        one per request). A connection that fails is closed, and the next
        read opens it again; one that the server closed since its last read
        (a restart, its idle timeout) is tried once more at once, as the
        client's retry would; one that cannot be opened is not.
        """
        readers, pid = self._readers, os.getpid()
        if getattr(readers, "pid", None) != pid:
            # A forked worker, or a thread's first read: a connection of its own.
            readers.connection = self.client.connection_pool.make_connection()
            readers.pid = pid
        connection = readers.connection
        for attempt in range(2):
            opened_before = connection.is_connected
            try:
                connection.send_command(*command)
                return connection.read_response()
            except redis.ConnectionError:
                connection.disconnect()
                if attempt or not opened_before:
                    raise
            except BaseException:
                # Whatever was left unread must not be taken as the next answer.
                connection.disconnect()
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _guard(self, fallback: T, action: Callable[[], T]) -> T:
        """Run action() against Redis, or answer fallback while Redis is away."""
        if not self.breaker.closed():
            return fallback
        if self.breaker.recovered():
            logger.warning("cache answers again")
            for callback in _after_outage:
                callback()
            if not self.breaker.closed():  # it failed again meanwhile
                return fallback
        try:
            return action()
        except redis.RedisError as error:
            self.breaker.trip(error)
            return fallback

    def get_backend_timeout(self, timeout: float | None = DEFAULT_TIMEOUT) -> int | None:
        if timeout == DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        # None keeps the key for good; zero or less removes it (as Django's backend).
        return None if timeout is None else max(0, int(timeout))

    def validate_key(self, key: Any) -> None:
        # Django warns about keys memcached would refuse; Redis takes any, and
        # checking each character of each key costs every cache hit.
        pass

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        key, timeout = self.make_key(key, version=version), self.get_backend_timeout(timeout)
        value = self.serializer.dumps(value)

        def add() -> bool:
            if timeout == 0:
                added = bool(self.client.set(key, value, nx=True))
                if added:
                    self.client.delete(key)
                return added
            return bool(self.client.set(key, value, ex=timeout, nx=True))

        return self._guard(False, add)

    def get(self, key: Any, default: Any | None = None, version: int | None = None) -> Any:
        key = self.make_key(key, version=version)
        value = self._guard(None, lambda: self._read("GET", key))
        # The client decodes nothing (no decode_responses): Redis answers bytes.
        return default if value is None else self.serializer.loads(cast(bytes, value))

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        key, timeout = self.make_key(key, version=version), self.get_backend_timeout(timeout)
        value = self.serializer.dumps(value)
        if timeout == 0:
            self._guard(None, lambda: self.client.delete(key))
        else:
            self._guard(None, lambda: self.client.set(key, value, ex=timeout))

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        key, timeout = self.make_key(key, version=version), self.get_backend_timeout(timeout)
        if timeout is None:
            return self._guard(False, lambda: bool(self.client.persist(key)))
        return self._guard(False, lambda: bool(self.client.expire(key, timeout)))

    def delete(self, key: Any, version: int | None = None) -> bool:
        key = self.make_key(key, version=version)
        return self._guard(False, lambda: bool(self.client.delete(key)))

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        names = {self.make_key(key, version=version): key for key in keys}
        if not names:
            return {}
        values = self._guard(None, lambda: self._read("MGET", *names))
        if values is None:
            return {}
        return {
            names[name]: self.serializer.loads(cast(bytes, value))
            for name, value in zip(names, values, strict=True)
            if value is not None
        }

    def has_key(self, key: Any, version: int | None = None) -> bool:
        key = self.make_key(key, version=version)
        return self._guard(False, lambda: bool(self.client.exists(key)))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # A counter that silently stays put would mislead: errors reach the caller.
        key = self.make_key(key, version=version)
        if not self.client.exists(key):
            raise ValueError(f"Key '{key}' not found.")
        return self.client.incr(key, delta)

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        if not data:
            return []
        timeout = self.get_backend_timeout(timeout)
        values = {
            self.make_key(key, version=version): self.serializer.dumps(value)
            for key, value in data.items()
        }

        def set_many() -> None:
            pipeline = self.client.pipeline()
            pipeline.mset(values)
            if timeout is not None:
                for key in values:  # Redis's MSET takes no expiry
                    pipeline.expire(key, timeout)
            pipeline.execute()

        self._guard(None, set_many)
        return []

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        names = [self.make_key(key, version=version) for key in keys]
        if names:
            self._guard(None, lambda: self.client.delete(*names))

    # Django's RedisCache answers whether it cleared (its stub says so too; BaseCache's, None).
    def clear(self) -> bool:  # type: ignore[override]
        return self._guard(False, lambda: bool(self.client.flushdb()))

    def reachable(self) -> bool:
        """Return whether Redis answers now (readiness), whatever the last failure was."""
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False


class Watch:
    """Values read from Redis, kept in this process until Redis says they changed.

    Redis tracks every key under the given prefixes for a connection of this
    process (CLIENT TRACKING … BCAST, redirected to that same connection,
    subscribed to the invalidations) and writes a message to it as each
    change is made, before it answers the write: by the time a write has
    returned to whoever made it, the message is on its way to every watching
    process, and taking it in costs one non-blocking poll of a socket, not a
    round trip. A closed connection or a message it cannot read forgets
    everything, and until the watch is back every read goes to Redis.

    keep(token, values) keeps only what was read after token = begin() with
    no message in between, so a change made while the read was on its way is
    never kept as current.

    The connection is redis-py's PubSub, over the cache's own URL (TCP, a Unix
    socket or TLS, with or without a password), with no retries: redis-py
    would reconnect and subscribe again, but tracking would not be on again,
    so a dropped connection must end the watch, not be mended behind it.
    """

    CHANNEL = "__redis__:invalidate"
    LIMIT = 100_000  # values kept; past it, all are forgotten

    def __init__(self, cache: ResilientRedisCache, prefixes: Iterable[str]) -> None:
        self.cache = cache
        self.prefixes = prefixes
        self.values: dict[str, Any] = {}
        self.epoch = 0
        self.pid: int | None = None
        self.pubsub: PubSub | None = None
        self.down_until = 0.0
        self.lock = threading.Lock()

    def _open(self) -> tuple[PubSub, int]:
        # RESP2: Redis sends a RESP3 connection its invalidations as push
        # messages, which redis-py keeps for its own client-side cache; on RESP2
        # they are messages of the __redis__:invalidate channel.
        pool = redis.ConnectionPool.from_url(
            self.cache.url, **self.cache.options, retry=Retry(NoBackoff(), 0), protocol=2
        )
        pubsub = redis.Redis(connection_pool=pool).pubsub()
        try:
            # Tracking is turned on for the subscribing connection itself,
            # before it subscribes (it then takes subscription commands only).
            pubsub.execute_command("CLIENT", "ID")
            ident = pubsub.parse_response(block=True)
            prefixes = [self.cache.make_key(prefix) for prefix in self.prefixes]
            pubsub.execute_command(
                *("CLIENT", "TRACKING", "ON", "REDIRECT", ident, "BCAST"),
                *[part for prefix in prefixes for part in ("PREFIX", prefix)],
            )
            pubsub.parse_response(block=True)
            pubsub.subscribe(self.CHANNEL)
            confirmed = pubsub.get_message(timeout=self.cache.options.get("socket_timeout") or 1)
            if not confirmed or confirmed["type"] != "subscribe":
                raise redis.ConnectionError(f"no subscription to the invalidations: {confirmed}")
        except BaseException:
            pubsub.close()
            raise
        return pubsub, ident

    def _start(self) -> None:
        try:
            pubsub, ident = self._open()
        except redis.ResponseError as error:
            # A Redis without tracking (before 6), or one that forbids it: for good.
            self.down_until = math.inf
            logger.warning("not watching the cache, reading it each time: %s", error)
            return
        except (redis.RedisError, OSError) as error:
            self.down_until = time.monotonic() + RETRY_WATCH_SECONDS
            logger.warning("not watching the cache, reading it each time: %s", error)
            return
        # ident: the connection's id at Redis (CLIENT KILL ID ends the watch, as a test does).
        self.pubsub, self.pid, self.ident = pubsub, os.getpid(), ident
        self.key_start = len(self.cache.make_key(""))

    def _forget(self) -> None:
        self.values.clear()
        self.epoch += 1

    def stop(self) -> None:
        if self.pubsub is not None and self.pid == os.getpid():
            self.pubsub.close()
        self.pubsub = None
        self._forget()

    def _take_in(self, message: dict[str, Any]) -> None:
        if message["type"] != "message" or message["channel"] != self.CHANNEL.encode():
            raise ValueError(f"unexpected message {message!r}")
        keys = message["data"]
        if keys is None:  # a flush: everything changed
            self.values.clear()
        else:
            for key in keys:
                self.values.pop(key[self.key_start :].decode(), None)
        self.epoch += 1

    def current(self) -> bool:
        """Take in the changes Redis told of; return whether the watch is on."""
        # Threaded workers share the watch: one takes messages in at a time.
        with self.lock:
            return self._current()

    def _current(self) -> bool:
        if self.pubsub is None or self.pid != os.getpid():
            # A forked worker watches with a connection of its own.
            self.pubsub = None
            if time.monotonic() < self.down_until:
                return False
            self._forget()
            self._start()
            return self.pubsub is not None
        try:
            # Almost always there is nothing: a look at the socket (redis-py's
            # Connection.can_read) costs half of what get_message() does to
            # find that out, and a public page asks twice.
            connection = self.pubsub.connection
            while (connection is None or connection.can_read(timeout=0)) and (
                message := self.pubsub.get_message(timeout=0)
            ) is not None:
                self._take_in(message)
        except (redis.RedisError, OSError, ValueError, TypeError) as error:
            logger.warning("the cache watch was cut, reading the cache each time: %s", error)
            self.stop()
            self.down_until = time.monotonic() + RETRY_WATCH_SECONDS
            return False
        return True

    def begin(self) -> int | None:
        """Return a token for keep(), or None if nothing read now can be kept."""
        return self.epoch if self.current() else None

    def keep(self, token: int | None, values: dict[str, Any]) -> bool:
        """Keep values ({key: value}) read since begin() returned token, if nothing changed since.

        Return whether they were kept.
        """
        with self.lock:
            if token is None or not self._current() or self.epoch != token:
                return False
            if len(self.values) + len(values) > self.LIMIT:
                self.values.clear()
            self.values.update(values)
            return True

    def drop(self, keys: Iterable[str]) -> None:
        """Forget keys this process is changing itself (their message is on its way too)."""
        with self.lock:
            for key in keys:
                self.values.pop(key, None)
            self.epoch += 1
