"""Tasks the tests enqueue: each leaves its traces as WorkDone keys, visible from any process."""

import time
from pathlib import Path

from django.db import transaction

from newsroom.background import first_time, retrying, task
from newsroom.models import WorkDone


def _gave_up(error, key, failures):
    WorkDone.objects.create(key=f"{key}:gave up after {error}")


@task()
@retrying(on=(ConnectionError,), attempts=3, backoff=10, gave_up=_gave_up)
def flaky(key: str, failures: int) -> int:
    """Fail with ConnectionError the first `failures` times; return which try succeeded."""
    tries = WorkDone.objects.filter(key__startswith=f"{key}:try ").count() + 1
    WorkDone.objects.create(key=f"{key}:try {tries}")
    if tries <= failures:
        raise ConnectionError(f"try {tries} failed")
    return tries


@task()
@retrying(on=(ConnectionError,), attempts=3)
def broken(key: str) -> None:
    """A bug, not a passing failure: never retried."""
    WorkDone.objects.create(key=f"{key}:ran")
    raise ValueError("a bug")


@task()
def two_writes(key: str, gate: str) -> str:
    """Write twice in one transaction, waiting between the writes until the file gate exists.

    The test kills the worker while it waits: neither write may remain.
    """
    with transaction.atomic():
        if not first_time(key):
            return "done before"
        WorkDone.objects.create(key=f"{key}:first write")
        Path(f"{gate}.inside").touch()
        deadline = time.monotonic() + 600
        while not Path(gate).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        WorkDone.objects.create(key=f"{key}:second write")
    return "done"
