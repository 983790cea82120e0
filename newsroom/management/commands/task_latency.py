"""How long a job waits between its enqueue and its start, on the configured backend."""

import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom.background import TaskResultStatus
from newsroom.tasks import probe


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = (
        "Measure queue latency (enqueue to start, p50/p95/max) on the configured backend "
        "(TASKS_BACKEND): start workers, enqueue probe jobs one by one, read when each began."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jobs", type=int, default=200, help="Probe jobs to measure.")
        parser.add_argument(
            "--gap",
            type=float,
            default=0.05,
            help="Seconds between two enqueues: an idle queue's latency, not a backlog's.",
        )
        parser.add_argument("--workers", type=int, default=1, help="Workers to start.")
        parser.add_argument(
            "--no-start",
            action="store_true",
            help="Measure the workers already running instead of starting some.",
        )
        parser.add_argument("--timeout", type=float, default=300)

    def handle(self, *args, jobs, gap, workers, no_start, timeout, **options):
        started = []
        if not no_start:
            started.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        str(settings.BASE_DIR / "manage.py"),
                        "run_worker",
                        "--processes",
                        str(workers),
                        "--no-reload",
                        "--verbosity",
                        "0",
                    ]
                )
            )
        try:
            # Warm up: the workers are up and have imported the task.
            self.wait([probe.enqueue("warm-up") for _ in range(max(3, workers))], timeout)
            results = []
            for number in range(jobs):
                results.append(probe.enqueue(f"latency {number}"))
                time.sleep(gap)
            finished = self.wait(results, timeout)
        finally:
            for worker in started:
                worker.terminate()
                worker.wait(timeout=60)
        latency = sorted(
            (aware(r.started_at) - aware(r.enqueued_at)).total_seconds() * 1000 for r in finished
        )
        cuts = statistics.quantiles(latency, n=100, method="inclusive")
        backend = settings.TASKS_BACKEND
        poll = f", polling every {settings.TASKS_POLL_SECONDS} s" if backend == "database" else ""
        self.stdout.write(
            f"{backend} backend ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
            f"{poll}), {workers} worker(s), {jobs} jobs {gap} s apart: enqueue to start "
            f"p50 {cuts[49]:.0f} ms, p95 {cuts[94]:.0f} ms, max {latency[-1]:.0f} ms"
        )

    def wait(self, results, timeout):
        deadline = time.monotonic() + timeout
        pending = list(results)
        done = []
        while pending:
            if time.monotonic() > deadline:
                raise CommandError(f"{len(pending)} jobs did not finish within {timeout} s.")
            still = []
            for result in pending:
                result.refresh()
                if result.status == TaskResultStatus.SUCCESSFUL:
                    done.append(result)
                elif result.status == TaskResultStatus.FAILED:
                    raise CommandError(f"probe job {result.id} failed")
                else:
                    still.append(result)
            pending = still
            if pending:
                time.sleep(0.2)
        return done
