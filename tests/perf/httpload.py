"""A small HTTP load generator for the loopback: keep-alive connections in threads.

Enough for the benchmark and the load test, which must also read what the
answers say (a status per article, a cookie, a CSRF token), and nothing to
install. Every loop is bounded by a deadline.
"""

import http.client
import http.cookies
import itertools
import math
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Response:
    status: int  # 0 when no answer came (refused, reset, timed out)
    headers: dict
    body: bytes
    started: float  # time.monotonic() when the request was sent
    elapsed: float  # seconds
    error: str = ""
    set_cookies: list = field(default_factory=list)  # the Set-Cookie headers, whole


class Connection:
    """One keep-alive HTTP connection with its own cookies; reconnects when the server closes."""

    def __init__(self, base, headers=None, timeout=30):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.headers = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        self.timeout = timeout
        self.cookies = {}
        self.connection = None

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method, path, body=None, headers=None):
        headers = {**self.headers, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        for attempt in range(2):
            fresh = self.connection is None
            if fresh:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                answer = self.connection.getresponse()
                content = answer.read()
            except (OSError, http.client.HTTPException) as error:
                self.close()
                # A kept-alive connection the server has just closed: retry once, fresh.
                if not fresh and attempt == 0:
                    continue
                return Response(0, {}, b"", started, time.monotonic() - started, repr(error))
            elapsed = time.monotonic() - started
            set_cookies = answer.headers.get_all("Set-Cookie") or []
            for value in set_cookies:
                cookie = http.cookies.SimpleCookie(value)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            if answer.will_close:
                self.close()
            headers = dict(answer.headers.items())
            return Response(answer.status, headers, content, started, elapsed, "", set_cookies)
        raise AssertionError("unreachable")

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, data, headers=None):
        return self.request("POST", path, body=data, headers=headers)


def percentile(values, fraction):
    """Return the nearest-rank percentile of values (fraction 0.5 for the median)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass
class Stats:
    """What one load run measured."""

    label: str
    wall: float
    responses: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.responses)

    @property
    def rps(self):
        return self.count / self.wall if self.wall else 0.0

    def latency_ms(self, fraction):
        return 1000 * percentile([r.elapsed for r in self.responses], fraction)

    @property
    def statuses(self):
        return Counter(r.status for r in self.responses)

    @property
    def failures(self):
        """Answers that are server errors or no answer at all."""
        return [r for r in self.responses if r.status == 0 or r.status >= 500]


def paths_from(items):
    """Return a thread-safe callable giving items in turn, for ever."""
    cycle, lock = itertools.cycle(items), threading.Lock()

    def next_path():
        with lock:
            return next(cycle)

    return next_path


def hammer(base, next_path, *, concurrency, duration, headers=None, label="", keep=None):
    """Request next_path() from concurrency connections until duration seconds have passed.

    keep(path, response) may be given to look at each answer as it comes.
    """
    deadline = time.monotonic() + duration
    results = [[] for _ in range(concurrency)]

    def reader(out):
        connection = Connection(base, headers)
        try:
            while time.monotonic() < deadline:
                path = next_path()
                response = connection.get(path)
                response.path = path
                if keep:
                    keep(path, response)
                response.body = b""  # keep memory flat over long runs
                out.append(response)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader, args=(out,), daemon=True) for out in results]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 60)
    return Stats(label, time.monotonic() - started, list(itertools.chain(*results)))
