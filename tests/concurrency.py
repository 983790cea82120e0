"""Make two database sessions overlap on purpose, without guessing with sleeps.

One session holds a row lock and waits here until PostgreSQL reports the
other session waiting for a lock; then it goes on. If the code under test
takes no lock, the other session never waits, and the first goes on after
the timeout: the overlap the test wanted to prevent then happens, and its
assertions fail.
"""

import threading
import time

from django.core.exceptions import PermissionDenied
from django.db import connection


def backend_pid():
    """Return this thread's PostgreSQL backend process id (connecting if need be)."""
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def wait_until_blocked(pid, timeout=10.0):
    """Wait until backend pid waits for a lock; return whether it did within timeout."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted", [pid])
            if cursor.fetchone():
                return True
            time.sleep(0.01)
    return False


def race(first, second, monkeypatch, target, name):
    """Run first, pausing it inside target.name (past its lock) until second waits for it."""
    original = getattr(target, name)
    second_pid, inside, started = [], threading.Event(), threading.Event()

    def paused(*args, **kwargs):
        if not inside.is_set():
            inside.set()
            started.wait(10)
            wait_until_blocked(second_pid[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, paused)
    results = {}

    def run(label, action, record_pid=False):
        try:
            if record_pid:
                second_pid.append(backend_pid())
                started.set()
            results[label] = action()
        except PermissionDenied as refused:  # a refusal of the write path
            results[label] = refused
        finally:
            connection.close()

    one = threading.Thread(target=run, args=("first", first))
    one.start()
    inside.wait(10)
    two = threading.Thread(target=run, args=("second", second, True))
    two.start()
    one.join(30)
    two.join(30)
    return results
