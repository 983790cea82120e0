"""Background work: Django's task framework, and what every task here shares.

Work that takes time or can fail (drawing a page PDF, later e-mail, purges,
imports, publishing) runs as a task, in a worker, not in the request that
asked for it. The API is Django's own (`django.tasks` from Django 6.0; on 5.2
the django-tasks backport, imported here and nowhere else, so that moving to
6.0 changes this file's first lines). The backend is chosen by settings
(TASKS_BACKEND): the database by default, RQ on Redis for many hosts.

How a concern adds a task (articles/epaper/tasks.py is the example):

- Its tasks live in its own `tasks.py`, one `@task()` function each, taking
  ids and keys (JSON values), never model instances: the row may have
  changed by the time the job runs, and it is read again then.
- A task is thin: it calls the concern's write path, where the rules are.
- A task may run twice (a retry, a worker lost mid-job, two enqueues): it
  is keyed by what it does (a page and the digest of its PDF), finds out
  whether that is still to do, and does it in one transaction, or uses
  first_time(key) inside that transaction.
- Enqueue with enqueue_on_commit(): a job never runs before the writes that
  asked for it are committed, and on the database backend the job commits
  with them or not at all.
- Transient failures (a mail server away) are retried with @retrying (the
  backport does not retry by itself); a job that keeps failing records its
  reason where people see it (its own model's state), not only in the log.
- What a lost worker or a lost enqueue may leave behind is found by a sweep
  (TASKS_SWEEPS), which every worker runs now and then.
"""

from __future__ import annotations

import functools
import logging
import os
import random
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, OperationalError, close_old_connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

if TYPE_CHECKING:  # the pinned Django is 5.2: mypy reads the backport's types
    from django_tasks import TaskResultStatus, task, task_backends
    from django_tasks.base import Task, TaskContext, TaskResult
else:
    try:  # Django 6.0 and later
        from django.tasks import TaskResultStatus, task, task_backends
        from django.tasks.base import Task, TaskContext, TaskResult
    except ImportError:  # Django 5.2: the backport
        from django_tasks import TaskResultStatus, task, task_backends
        from django_tasks.base import Task, TaskContext, TaskResult

__all__ = [
    "Task",
    "TaskContext",
    "TaskResult",
    "TaskResultStatus",
    "WorkerLost",
    "enqueue_on_commit",
    "first_time",
    "retrying",
    "task",
    "task_backends",
]

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


class WorkerLost(RuntimeError):
    """The worker running a job stopped answering, too often for it to be tried again."""


def uses_database_backend(alias: str = "default") -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[alias], DatabaseBackend)


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Enqueue task(*args, **kwargs) to run once the current transaction commits.

    On the database backend the job is a row written in the current
    transaction: it commits with the writes that asked for it, or not at all.
    Other backends (RQ) are sent the job once those writes are committed; an
    enqueue that fails then (Redis away) is logged, and the sweep of the
    concern that asked for it (TASKS_SWEEPS) enqueues it again.
    """
    if uses_database_backend(task.backend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(functools.partial(task.enqueue, *args, **kwargs), robust=True)


def retry_delay(attempt: int, *, backoff: float, factor: float, longest: float) -> float:
    """Seconds to wait before attempt + 1: backoff, doubled each time, with jitter."""
    delay = min(longest, backoff * factor ** (attempt - 1))
    # Jitter: jobs that failed together (a mail server that went away) do not
    # all come back in the same second.
    return delay * random.uniform(0.5, 1.0)  # noqa: S311


def retrying(
    *,
    on: tuple[type[BaseException], ...],
    attempts: int = 5,
    backoff: float = 30.0,
    factor: float = 2.0,
    longest: float = 3600.0,
    gave_up: Callable[..., None] | None = None,
) -> Callable[[F], F]:
    """Run a task again later when it fails with one of `on`, at most `attempts` times in all.

    Put it under @task():

        @task()
        @retrying(on=(smtplib.SMTPException, OSError), attempts=5, gave_up=mark_failed)
        def send_notification(notification_id): ...

    A failed attempt enqueues the next one, deferred by backoff × factor^n
    seconds (with jitter, at most `longest`), then fails as itself, so that
    its error is on record. The attempt number travels as the keyword
    argument retry_attempt. After the last attempt, gave_up(error, *args,
    **kwargs) is called (to record the failure where people see it) and the
    job fails. Other exceptions fail the job at once: retrying cannot mend a
    bug or a refusal.
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def run(*args: Any, retry_attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except on as error:
                payload = args[1:] if args and isinstance(args[0], TaskContext) else args
                if retry_attempt >= attempts:
                    if gave_up is not None:
                        gave_up(error, *payload, **kwargs)
                    raise
                delay = retry_delay(retry_attempt, backoff=backoff, factor=factor, longest=longest)
                this_task: Task = import_string(f"{func.__module__}.{func.__qualname__}")
                later = this_task.using(run_after=timezone.now() + timedelta(seconds=delay))
                later.enqueue(*payload, retry_attempt=retry_attempt + 1, **kwargs)
                logger.warning(
                    "%s failed (attempt %s of %s), again in %.0f s: %s",
                    this_task.name,
                    retry_attempt,
                    attempts,
                    delay,
                    error,
                )
                raise

        # run keeps func's signature (functools.wraps) plus retry_attempt, which
        # typing cannot say of a decorator over any F: the ignore is for that.
        return run  # type: ignore[return-value]

    return decorate


def first_time(key: str) -> bool:
    """Return True the first time key is claimed, False ever after.

    Call it inside the transaction that does the work: the key commits with
    the work, so work keyed alike is committed once however often, and by
    however many workers, it is run.
    """
    from .models import WorkDone

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("first_time() belongs inside the transaction that does the work.")
    try:
        with transaction.atomic():
            WorkDone.objects.create(key=key)
    except IntegrityError:
        return False
    return True


# --- What keeps failing (for /readyz) -------------------------------------

FAILING = "newsroom:failing"


def report_failing(what: str, error: str) -> None:
    """Say that work of kind `what` (e.g. "purges") fails now, and why; /readyz tells it.

    Kept in the shared cache, so that every app server's /readyz says it,
    whichever worker saw the failure; the first failure's time is kept.
    """
    from django.core.cache import cache

    failing = cache.get(FAILING) or {}
    since = failing.get(what, {}).get("since") or timezone.now().isoformat(timespec="seconds")
    failing[what] = {"since": since, "error": error[:300]}
    cache.set(FAILING, failing, timeout=None)


def report_working(what: str) -> None:
    """Say that work of kind `what` succeeds again."""
    from django.core.cache import cache

    failing = cache.get(FAILING) or {}
    if failing.pop(what, None) is not None:
        cache.set(FAILING, failing, timeout=None)


def failing() -> dict[str, dict]:
    """Return {what: {"since": …, "error": …}} of the kinds of work failing now."""
    from django.core.cache import cache

    return cache.get(FAILING) or {}


# --- Workers ---------------------------------------------------------------


def new_worker_id() -> str:
    """A worker id that says where the worker runs: host, process id, and a nonce."""
    host = socket.gethostname().split(".")[0][:40] or "host"
    return f"{host}-{os.getpid()}-{get_random_string(8)}"


def register_worker(worker_id: str, backend: str) -> None:
    from .models import TaskWorker

    now = timezone.now()
    TaskWorker.objects.update_or_create(
        id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "backend": backend,
            "started_at": now,
            "seen_at": now,
            "stopped_at": None,
        },
    )


def worker_stopped(worker_id: str) -> None:
    from .models import TaskWorker

    TaskWorker.objects.filter(id=worker_id).update(stopped_at=timezone.now())


class Heartbeat(threading.Thread):
    """Says the worker is alive, and runs the sweeps that are due, beside the worker's loop."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat {worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()
        self.last_run: dict[str, float] = {}

    def run(self) -> None:
        from .models import TaskWorker

        try:
            while True:
                self.sweep()
                if self.stopping.wait(settings.TASKS_HEARTBEAT_SECONDS):
                    break
                close_old_connections()
                try:
                    TaskWorker.objects.filter(id=self.worker_id).update(seen_at=timezone.now())
                except OperationalError as error:  # a busy SQLite file: next beat
                    logger.warning("heartbeat of %s not written: %s", self.worker_id, error)
        finally:
            from django.db import connections

            connections.close_all()

    def sweep(self) -> None:
        now = time.monotonic()
        for path, every in settings.TASKS_SWEEPS.items():
            if now - self.last_run.get(path, float("-inf")) < every:
                continue
            self.last_run[path] = now
            try:
                import_string(path)()
            except Exception:  # a sweep that fails is tried at its next turn
                logger.exception("sweep %s failed", path)

    def stop(self) -> None:
        self.stopping.set()


# --- Sweeps (TASKS_SWEEPS) -------------------------------------------------


def recover_lost_jobs() -> int:
    """Give the jobs of workers that stopped answering to another worker; return how many.

    The database backend marks a job RUNNING when a worker takes it and has
    no way of knowing that the worker died (SIGKILL, out of memory, a host
    gone). A job whose worker (one started by run_worker) has not been seen
    for TASKS_WORKER_LOST_SECONDS, or stopped, is made READY again, unless it
    has had TASKS_MAX_ATTEMPTS workers already: then it fails (WorkerLost),
    so that a job that kills its worker cannot kill them all. Jobs are
    idempotent, so a job that was in fact almost done does no harm when run
    again. RQ finds its own lost jobs.
    """
    if not uses_database_backend():
        return 0
    from django_tasks_db.models import DBTaskResult

    from .models import TaskWorker

    now = timezone.now()
    silent_since = now - timedelta(seconds=settings.TASKS_WORKER_LOST_SECONDS)
    running = list(
        DBTaskResult.objects.running().only("id", "worker_ids", "started_at", "task_path")
    )
    if not running:
        return 0
    last_workers = {job.worker_ids[-1] for job in running if job.worker_ids}
    known = {
        worker.id: worker
        for worker in TaskWorker.objects.filter(id__in=last_workers).only("seen_at", "stopped_at")
    }
    recovered = 0
    for job in running:
        worker = known.get(job.worker_ids[-1]) if job.worker_ids else None
        # Workers not started by run_worker send no heartbeat: left alone.
        if worker is None or (worker.stopped_at is None and worker.seen_at >= silent_since):
            continue
        same_claim = DBTaskResult.objects.filter(
            pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at
        )
        if len(job.worker_ids) >= settings.TASKS_MAX_ATTEMPTS:
            logger.error("job %s (%s) lost its worker too often: failed", job.pk, job.task_path)
            same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=(
                    f"WorkerLost: its worker stopped answering {len(job.worker_ids)} times "
                    f"(last {job.worker_ids[-1]})."
                ),
            )
        elif same_claim.update(status=TaskResultStatus.READY, started_at=None):
            logger.warning(
                "job %s (%s) lost worker %s: ready again", job.pk, job.task_path, worker.id
            )
            recovered += 1
    return recovered


def forget_old_jobs() -> None:
    """Drop the records of finished jobs, stopped workers and work done past TASKS_KEEP_DAYS."""
    from .models import TaskWorker, WorkDone

    before = timezone.now() - timedelta(days=settings.TASKS_KEEP_DAYS)
    if uses_database_backend():
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    TaskWorker.objects.filter(seen_at__lt=before).delete()
    WorkDone.objects.filter(done_at__lt=before).delete()
