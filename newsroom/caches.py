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
import math
import os
import socket
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("newsroom.cache")
# After the watch fails, this long before it is tried again.
RETRY_WATCH_SECONDS = 2.0


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


class _Incomplete(Exception):
    pass


class _Refused(Exception):
    pass


def _parse(buffer, at=0):
    """Return (one RESP2 value at buffer[at:], where the next starts); raise _Incomplete."""
    end = buffer.find(b"\r\n", at)
    if end < 0:
        raise _Incomplete
    kind, line = buffer[at : at + 1], buffer[at + 1 : end]
    at = end + 2
    if kind in (b"+", b"-"):
        return (line if kind == b"+" else RuntimeError(line.decode(errors="replace"))), at
    if kind == b":":
        return int(line), at
    if kind == b"$":
        size = int(line)
        if size < 0:
            return None, at
        if len(buffer) < at + size + 2:
            raise _Incomplete
        return bytes(buffer[at : at + size]), at + size + 2
    if kind == b"*":
        size = int(line)
        if size < 0:
            return None, at
        items = []
        for _ in range(size):
            item, at = _parse(buffer, at)
            items.append(item)
        return items, at
    raise ValueError(f"not RESP2: {bytes(buffer[at - 2 - len(line) - 1 : at])!r}")


def _command(*parts):
    encoded = [part if isinstance(part, bytes) else str(part).encode() for part in parts]
    return b"".join(
        [f"*{len(encoded)}\r\n".encode()]
        + [f"${len(part)}\r\n".encode() + part + b"\r\n" for part in encoded]
    )


class Watch:
    """Values read from Redis, kept in this process until Redis says they changed.

    Redis tracks every key under the given prefixes for a connection of this
    process (CLIENT TRACKING … BCAST, redirected to itself, subscribed to the
    invalidations) and writes a message to it as each change is made, before
    it answers the write: by the time a write has returned to whoever made it,
    the message is on its way to every watching process, and taking it in
    costs one non-blocking read of a socket, not a round trip. A closed
    connection or a message it cannot read forgets everything, and until the
    watch is back every read goes to Redis as before.

    keep(token, values) keeps only what was read after token = begin() with
    no message in between, so a change made while the read was on its way is
    never kept as current.

    The connection speaks plain RESP2 on its own socket: redis-py's parsers
    treat such messages differently from version to version. Redis over TCP
    or a Unix socket, with or without a password; not TLS (then nothing is
    watched).
    """

    CHANNEL = b"__redis__:invalidate"
    LIMIT = 100_000  # values kept; past it, all are forgotten

    def __init__(self, cache, prefixes):
        self.cache = cache
        self.prefixes = prefixes
        self.values = {}
        self.epoch = 0
        self.pid = None
        self.sock = None
        self.buffer = bytearray()
        self.down_until = 0.0
        self.lock = threading.Lock()

    def _connect(self):
        kwargs = self.cache._cache._get_connection_pool(False).connection_kwargs
        if kwargs.get("ssl") or "ssl_keyfile" in kwargs or "ssl_cert_reqs" in kwargs:
            raise OSError("the watch does not speak TLS")
        timeout = kwargs.get("socket_connect_timeout") or 1.0
        if kwargs.get("path"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(kwargs["path"])
        else:
            sock = socket.create_connection((kwargs["host"], kwargs["port"]), timeout=timeout)
        sock.settimeout(kwargs.get("socket_timeout") or 1.0)
        return sock, kwargs

    def _ask(self, sock, *parts):
        sock.sendall(_command(*parts))
        buffer = bytearray()
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                raise OSError("Redis closed the connection")
            buffer += chunk
            try:
                value, _end = _parse(buffer)
            except _Incomplete:
                continue
            if isinstance(value, RuntimeError):
                raise _Refused(f"Redis refused {parts[0]}: {value}")
            return value

    def _start(self):
        try:
            sock, kwargs = self._connect()
            try:
                if kwargs.get("password"):
                    auth = [kwargs["username"]] if kwargs.get("username") else []
                    self._ask(sock, "AUTH", *auth, kwargs["password"])
                ident = self._ask(sock, "CLIENT", "ID")
                prefixes = [self.cache.make_key(prefix) for prefix in self.prefixes]
                self._ask(
                    sock,
                    *("CLIENT", "TRACKING", "ON", "REDIRECT", ident, "BCAST"),
                    *[part for prefix in prefixes for part in ("PREFIX", prefix)],
                )
                self._ask(sock, "SUBSCRIBE", self.CHANNEL)
            except BaseException:
                sock.close()
                raise
        except _Refused as error:
            # A Redis without tracking (before 6), or one that forbids it: for good.
            self.down_until = math.inf
            logger.warning("not watching the cache, reading it each time: %s", error)
            return
        except (OSError, ValueError) as error:
            self.down_until = time.monotonic() + RETRY_WATCH_SECONDS
            logger.warning("not watching the cache, reading it each time: %s", error)
            return
        sock.setblocking(False)
        self.sock, self.pid, self.buffer, self.ident = sock, os.getpid(), bytearray(), ident
        self.key_start = len(self.cache.make_key(""))

    def _forget(self):
        self.values.clear()
        self.epoch += 1

    def stop(self):
        if self.sock is not None and self.pid == os.getpid():
            self.sock.close()
        self.sock = None
        self._forget()

    def _take_in(self, message):
        if not isinstance(message, list) or len(message) != 3 or message[0] != b"message":
            raise ValueError(f"unexpected message {message!r}")
        keys = message[2]
        if keys is None:  # a flush: everything changed
            self.values.clear()
        else:
            for key in keys:
                self.values.pop(key[self.key_start :].decode(), None)
        self.epoch += 1

    def current(self):
        """Take in the changes Redis told of; return whether the watch is on."""
        # Threaded workers share the watch: one reads the socket at a time,
        # or a message split between two reads could be lost.
        with self.lock:
            return self._current()

    def _current(self):
        if self.sock is None or self.pid != os.getpid():
            # A forked worker watches with a connection of its own.
            self.sock = None
            if time.monotonic() < self.down_until:
                return False
            self._forget()
            self._start()
            return self.sock is not None
        try:
            while True:
                try:
                    chunk = self.sock.recv(65536)
                except BlockingIOError:
                    break
                if not chunk:
                    raise OSError("Redis closed the connection")
                self.buffer += chunk
                at = 0
                try:
                    while at < len(self.buffer):
                        message, at = _parse(self.buffer, at)
                        self._take_in(message)
                except _Incomplete:
                    pass
                del self.buffer[:at]
        except (OSError, ValueError) as error:
            logger.warning("the cache watch was cut, reading the cache each time: %s", error)
            self.stop()
            self.down_until = time.monotonic() + RETRY_WATCH_SECONDS
            return False
        return True

    def begin(self):
        """Return a token for keep(), or None if nothing read now can be kept."""
        return self.epoch if self.current() else None

    def keep(self, token, values):
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

    def drop(self, keys):
        """Forget keys this process is changing itself (their message is on its way too)."""
        with self.lock:
            for key in keys:
                self.values.pop(key, None)
            self.epoch += 1
