"""Run background workers for the configured task backend (README, "Background work")."""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from newsroom import background


class Command(BaseCommand):
    help = (
        "Run background workers: the database backend's (db_worker) or RQ's (rqworker), "
        "each with a heartbeat that lets a lost worker's job run again, and the sweeps "
        "of TASKS_SWEEPS. --processes N runs N workers and starts again any that dies."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="How many workers to run side by side (default 1).",
        )
        parser.add_argument(
            "--queues",
            default=",".join(settings.TASKS_QUEUES),
            help="Comma-separated queues to take jobs from (default: all of TASKS_QUEUES).",
        )
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=None,
            help="Stop after this many jobs (tests, or recycling a worker).",
        )
        parser.add_argument(
            "--reload",
            action=argparse.BooleanOptionalAction,
            default=settings.DEBUG,
            help="Restart on code changes (default: DEBUG; database backend only).",
        )

    def handle(self, *args, processes, queues, max_tasks, reload, verbosity, **options):
        if processes < 1:
            raise CommandError("--processes must be 1 or more.")
        queue_names = [name.strip() for name in queues.split(",") if name.strip()]
        unknown = set(queue_names) - set(settings.TASKS_QUEUES)
        if unknown:
            raise CommandError(
                f"Unknown queues {sorted(unknown)}; TASKS_QUEUES has {settings.TASKS_QUEUES}."
            )
        if processes > 1:
            return self.supervise(processes, queues, max_tasks, reload, verbosity)
        if settings.TASKS_BACKEND == "rq":
            return self.run_rq(queue_names, max_tasks, verbosity)
        return self.run_database(queue_names, max_tasks, reload, verbosity)

    def run_database(self, queue_names, max_tasks, reload, verbosity):
        worker_options = {
            "queue_name": ",".join(queue_names),
            "interval": settings.TASKS_POLL_SECONDS,
            "max_tasks": max_tasks,
            "verbosity": verbosity,
            "reload": reload,
        }
        if reload and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # This process only watches the code and runs the worker (this
            # command again) in a child process; the child has the heartbeat.
            call_command("db_worker", **worker_options)
            return
        worker_id = background.new_worker_id()
        with self.heartbeat(worker_id, verbosity):
            call_command("db_worker", worker_id=worker_id, **worker_options)

    def run_rq(self, queue_names, max_tasks, verbosity):
        worker_id = background.new_worker_id()
        with self.heartbeat(worker_id, verbosity):
            call_command(
                "rqworker",
                *queue_names,
                # django-tasks-rq runs django.tasks jobs through its own Job class;
                # RQ's scheduler (in the worker) enqueues deferred jobs (retries).
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                name=worker_id,
                max_jobs=max_tasks,
                verbosity=verbosity,
            )

    @contextlib.contextmanager
    def heartbeat(self, worker_id, verbosity):
        """Register the worker and keep saying it is alive (and sweeping) while it runs."""
        background.register_worker(worker_id, settings.TASKS_BACKEND)
        beat = background.Heartbeat(worker_id)
        beat.start()
        if verbosity > 0:
            self.stdout.write(f"worker {worker_id} ({settings.TASKS_BACKEND})")
        try:
            yield
        finally:
            beat.stop()
            background.worker_stopped(worker_id)

    def supervise(self, processes, queues, max_tasks, reload, verbosity):
        """Run `processes` workers; start again any that stops on its own; stop all on TERM/INT."""
        argv = [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "run_worker",
            "--queues",
            queues,
            "--verbosity",
            str(verbosity),
            "--reload" if reload else "--no-reload",
        ]
        if max_tasks:
            argv += ["--max-tasks", str(max_tasks)]
        children = {}
        stopping = []

        def stop(signum, frame):
            if not stopping and signum == signal.SIGTERM:
                # SIGINT from a terminal reaches the workers themselves; TERM is ours to pass on.
                for child in children.values():
                    if child.poll() is None:
                        child.send_signal(signal.SIGTERM)
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        started = {}
        for slot in range(processes):
            children[slot], started[slot] = subprocess.Popen(argv), time.monotonic()
        while not stopping:
            time.sleep(0.5)
            for slot, child in list(children.items()):
                if child.poll() is None or stopping:
                    continue
                if max_tasks and child.returncode == 0:
                    del children[slot]  # done its share of jobs
                    continue
                self.stderr.write(
                    f"worker {child.pid} stopped ({child.returncode}): starting another"
                )
                # One that dies at once is not started again in a tight loop.
                time.sleep(max(0.0, 5 - (time.monotonic() - started[slot])))
                children[slot], started[slot] = subprocess.Popen(argv), time.monotonic()
            if not children:
                return
        # A worker finishes its job before it stops: give it the longest a job may take.
        deadline = time.monotonic() + settings.EPAPER_JOB_SECONDS + 30
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
