"""A job whose worker died is run again by another worker; one that kills its workers fails."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsroom import background
from newsroom.models import TaskWorker, WorkDone
from newsroom.tasks import probe
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db


def worker(name, *, seen_ago=0, stopped=False):
    now = timezone.now()
    return TaskWorker.objects.create(
        id=name,
        host="app1",
        pid=1,
        backend="database",
        started_at=now - datetime.timedelta(hours=1),
        seen_at=now - datetime.timedelta(seconds=seen_ago),
        stopped_at=now if stopped else None,
    )


def running(*workers):
    """A probe job taken by each of workers in turn, the last one still running it."""
    job = DBTaskResult.objects.get(pk=probe.enqueue("lost?").id)
    for each in workers:
        job.claim(each)
    return job


def status(job):
    return DBTaskResult.objects.get(pk=job.pk).status


def test_a_job_whose_worker_went_silent_is_ready_again_and_runs(settings):
    worker("app1-11-dead", seen_ago=settings.TASKS_WORKER_LOST_SECONDS + 1)
    job = running("app1-11-dead")
    assert background.recover_lost_jobs() == 1
    assert status(job) == "READY"
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL" and job.worker_ids == ["app1-11-dead", "test-process"]


def test_a_job_whose_worker_stopped_is_ready_again():
    worker("app1-12-stopped", stopped=True)
    job = running("app1-12-stopped")
    assert background.recover_lost_jobs() == 1
    assert status(job) == "READY"


def test_a_job_whose_worker_is_alive_or_unknown_is_left_alone(settings):
    worker("app1-13-alive", seen_ago=1)
    alive = running("app1-13-alive")
    # A worker not started by run_worker says nothing of itself: it may be alive.
    foreign = running("db-worker-without-heartbeat")
    assert background.recover_lost_jobs() == 0
    assert status(alive) == status(foreign) == "RUNNING"


def test_a_job_that_lost_its_worker_too_often_fails(settings):
    for number in range(settings.TASKS_MAX_ATTEMPTS):
        worker(f"app1-2{number}-dead", stopped=True)
    job = running(*(f"app1-2{n}-dead" for n in range(settings.TASKS_MAX_ATTEMPTS)))
    assert background.recover_lost_jobs() == 0
    job.refresh_from_db()
    assert job.status == "FAILED"
    assert job.exception_class_path == "newsroom.background.WorkerLost"
    assert f"stopped answering {settings.TASKS_MAX_ATTEMPTS} times" in job.traceback
    assert run_jobs() == 0


def test_old_records_are_forgotten_and_recent_ones_kept(settings):
    old = timezone.now() - datetime.timedelta(days=settings.TASKS_KEEP_DAYS + 1)
    finished = DBTaskResult.objects.get(pk=probe.enqueue("old").id)
    DBTaskResult.objects.filter(pk=finished.pk).update(status="SUCCESSFUL", finished_at=old)
    waiting = probe.enqueue("still waiting")
    worker("app1-30-long-gone", seen_ago=(settings.TASKS_KEEP_DAYS + 1) * 86400)
    worker("app1-31-recent", seen_ago=5)
    WorkDone.objects.create(key="old work")
    WorkDone.objects.filter(key="old work").update(done_at=old)
    WorkDone.objects.create(key="recent work")
    background.forget_old_jobs()
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [
        DBTaskResult.objects.get(pk=waiting.id).pk
    ]
    assert list(TaskWorker.objects.values_list("id", flat=True)) == ["app1-31-recent"]
    assert list(WorkDone.objects.values_list("key", flat=True)) == ["recent work"]
