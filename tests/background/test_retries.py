"""A job that fails for a passing reason is tried again later, each time later; a bug is not."""

import datetime

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsroom.background import enqueue_on_commit, first_time, retry_delay
from newsroom.models import WorkDone
from tests.jobs import queued, run_jobs

from .jobs import broken, flaky

pytestmark = pytest.mark.django_db


def keys(prefix):
    return sorted(WorkDone.objects.filter(key__startswith=prefix).values_list("key", flat=True))


def test_a_failing_job_is_tried_again_later_each_time_later_until_it_succeeds():
    start = timezone.now()
    flaky.enqueue("mail", failures=2)
    with time_machine.travel(start, tick=False) as clock:
        assert run_jobs() == 1  # first try: fails, the second is deferred
        [second] = queued(flaky)
        assert second.args_kwargs["kwargs"] == {"failures": 2, "retry_attempt": 2}
        assert start + datetime.timedelta(seconds=5) <= second.run_after
        assert second.run_after <= start + datetime.timedelta(seconds=10)
        assert run_jobs() == 0  # not before its time
        clock.move_to(second.run_after)
        assert run_jobs() == 1  # second try: fails, the third waits twice as long
        [third] = queued(flaky)
        assert second.run_after + datetime.timedelta(seconds=10) <= third.run_after
        assert third.run_after <= second.run_after + datetime.timedelta(seconds=20)
        clock.move_to(third.run_after)
        assert run_jobs() == 1
    results = sorted(
        DBTaskResult.objects.all(), key=lambda r: r.args_kwargs["kwargs"].get("retry_attempt", 1)
    )
    assert [r.status for r in results] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert "ConnectionError: try 1 failed" in results[0].traceback
    assert results[2].return_value == 3
    assert keys("mail:") == ["mail:try 1", "mail:try 2", "mail:try 3"]


def test_after_the_last_attempt_the_failure_is_recorded_and_nothing_is_queued():
    flaky.enqueue("fax", failures=10)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _attempt in range(3):
            run_jobs()
            clock.shift(datetime.timedelta(hours=1))
    assert not queued()
    assert keys("fax:") == ["fax:gave up after try 3 failed", "fax:try 1", "fax:try 2", "fax:try 3"]
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"] * 3


def test_a_bug_is_not_tried_again():
    broken.enqueue("bug")
    run_jobs()
    assert not queued()
    assert keys("bug:") == ["bug:ran"]
    assert DBTaskResult.objects.get().status == "FAILED"


def test_the_wait_doubles_with_jitter_and_has_a_ceiling():
    for attempt in range(1, 8):
        delay = retry_delay(attempt, backoff=30, factor=2, longest=600)
        ceiling = min(600, 30 * 2 ** (attempt - 1))
        assert ceiling / 2 <= delay <= ceiling


def test_work_keyed_alike_is_committed_once():
    with transaction.atomic():
        assert first_time("publish:edition:7")
        assert not first_time("publish:edition:7")
    try:
        with transaction.atomic():
            assert first_time("publish:edition:8")
            raise RuntimeError("the work failed")
    except RuntimeError:
        pass
    with transaction.atomic():
        assert first_time("publish:edition:8")  # the failed attempt claimed nothing


def test_a_job_enqueued_by_writes_that_roll_back_is_never_run():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(flaky, "rolled back", failures=0)
        raise RuntimeError("the writes failed")
    assert not queued()
    with transaction.atomic():
        enqueue_on_commit(flaky, "kept", failures=0)
    assert len(queued(flaky)) == 1
