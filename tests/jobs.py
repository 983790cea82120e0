"""Running background jobs in the test process, as a database worker runs them."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

WORKER_ID = "test-process"


def queued(task=None):
    """The jobs waiting (READY), oldest first; of one task only, if given."""
    jobs = DBTaskResult.objects.filter(status="READY").order_by("enqueued_at")
    if task is not None:
        jobs = jobs.filter(task_path=task.module_path)
    return list(jobs)


def run_jobs(limit=100):
    """Run the jobs that are due in this process, one at a time, as db_worker does; return how many.

    db_worker itself cannot run here: between jobs it closes connections
    that look old, which a test's transaction is.
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=WORKER_ID,
        excluded_queue_names=[],
    )
    count = 0
    while count < limit and (job := DBTaskResult.objects.ready().first()) is not None:
        job.claim(WORKER_ID)
        worker.run_task(job)
        count += 1
    return count
