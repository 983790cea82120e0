"""Real workers in processes of their own: the database's (SQLite or PostgreSQL) and RQ's.

A job runs; a worker killed in the middle of a job (SIGKILL) leaves nothing
half-written, and another worker runs the job again; a scheduled edition is
published at its time, once, by two racing workers and no cron; an e-mail
that fails is retried, then shown as failed; an RQ worker runs a job when
Redis answers (CI=1: Redis must answer). Nothing here waits a fixed
time: each step waits for what it needs to see, with a generous limit.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.perf import liveserver
from tests.perf.conftest import REDIS_URL, redis_answers

ROOT = Path(__file__).resolve().parents[2]
PATIENCE = 120  # seconds: a limit for slow machines, never a measurement

pytestmark = [
    # On PostgreSQL the workers read the test database, so its data must be
    # committed; serialized, so the flush afterwards leaves the migrations' rows.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="session")
def sqlite_file(tmp_path_factory):
    """A migrated SQLite file that every process of a test can open (the test database is in memory)."""
    path = tmp_path_factory.mktemp("live-db") / "newsroom.sqlite3"
    env = {
        **base_environment(tmp_path_factory.mktemp("live-var")),
        "DATABASE_URL": f"sqlite:///{path}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    return path


def base_environment(var):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST_", "TASKS_", "REDIS_", "DATABASE_"))
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "VAR_DIR": str(var),
        "MEDIA_ROOT": str(Path(var) / "uploads"),
        "TASKS_POLL_SECONDS": "0.1",
        "TASKS_HEARTBEAT_SECONDS": "0.5",
        "TASKS_WORKER_LOST_SECONDS": "2",
        # A web-only paper, as in tests.settings: the scenarios' pages carry no PDF.
        "EPAPER": "0",
    }


class Project:
    """The project's commands, run as their own processes against one database."""

    def __init__(self, env, log_dir):
        self.env = env
        self.log_dir = log_dir
        self.workers = []

    def run(self, function, *args):
        """Call a function of scenario.py in a process of its own; return what it printed."""
        code = f"from tests.background import scenario; scenario.{function}(*{list(args)!r})"
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-v0", "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=PATIENCE,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start_worker(self, **env):
        log = open(self.log_dir / f"worker-{len(self.workers)}.log", "w")  # noqa: SIM115
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--no-reload"],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append((worker, log))
        return worker

    def stop(self):
        for worker, log in self.workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=PATIENCE)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
            log.close()

    def logs(self):
        return "\n".join(path.read_text() for path in sorted(self.log_dir.glob("worker-*.log")))


def wait_for(condition, what, project):
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen within {PATIENCE} s\n{project.logs()}")


@pytest.fixture
def project(request, tmp_path):
    if connection.vendor == "postgresql":
        database = liveserver.database_url(connection.settings_dict)
    else:
        database = f"sqlite:///{request.getfixturevalue('sqlite_file')}"
    running = Project({**base_environment(tmp_path), "DATABASE_URL": database}, tmp_path)
    yield running
    running.stop()


def finished(project, job_id):
    state = project.run("job", job_id)
    return state if state["status"] in ("SUCCESSFUL", "FAILED") else None


def test_a_database_worker_runs_a_job(project):
    job_id = project.run("enqueue", "newsroom.tasks.probe", "live")
    worker = project.start_worker()
    state = wait_for(lambda: finished(project, job_id), "the job", project)
    assert state["status"] == "SUCCESSFUL" and state["value"]["label"] == "live"
    [worker_id] = state["workers"]
    worker.terminate()  # stops between jobs, saying so
    assert worker.wait(timeout=PATIENCE) == 0
    assert project.run("workers")[worker_id]["stopped"]


def test_a_page_pdf_is_drawn_and_located_by_a_database_worker(project):
    page_id = project.run("submit_page_pdf")
    assert project.run("page_pdf", page_id)["job"] == "waiting"
    project.start_worker()
    state = wait_for(
        lambda: (s := project.run("page_pdf", page_id))["job"] in ("done", "failed") and s,
        "the page's job",
        project,
    )
    assert state == {"job": "done", "error": "", "facsimile": True, "zones": 4}


def test_a_worker_killed_mid_job_leaves_nothing_half_written_and_the_job_runs_again(
    project, tmp_path
):
    gate = tmp_path / "gate"
    job_id = project.run("enqueue", "tests.background.jobs.two_writes", "kill-test", str(gate))
    first = project.start_worker()
    wait_for(lambda: Path(f"{gate}.inside").exists(), "the first write", project)
    first.send_signal(signal.SIGKILL)  # between its two writes, in one transaction
    first.wait(timeout=PATIENCE)
    assert project.run("work_done", "kill-test") == []  # nothing half-written
    assert project.run("job", job_id)["status"] == "RUNNING"  # as the dead worker left it
    [first_id] = project.run("job", job_id)["workers"]
    wait_for(
        lambda: project.run("workers")[first_id]["silent"] > 2.5,
        "the dead worker's silence",
        project,
    )
    gate.touch()
    project.start_worker()
    state = wait_for(lambda: finished(project, job_id), "the job run again", project)
    assert state["status"] == "SUCCESSFUL" and state["value"] == "done"
    assert state["workers"][0] == first_id and len(state["workers"]) == 2
    assert project.run("work_done", "kill-test") == [
        "kill-test",
        "kill-test:first write",
        "kill-test:second write",
    ]


def test_an_rq_worker_runs_a_job(project):
    if not redis_answers():
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    pytest.importorskip("django_tasks_rq")
    project.env.update(TASKS_BACKEND="rq", TASKS_REDIS_URL=REDIS_URL)
    label = f"rq-{uuid.uuid4().hex[:8]}"
    job_id = project.run("enqueue", "newsroom.tasks.probe", label)
    project.start_worker()
    state = wait_for(lambda: finished(project, job_id), "the RQ job", project)
    assert state["status"] == "SUCCESSFUL" and state["value"]["label"] == label
    assert len(state["workers"]) == 1


def use_rq(project):
    """Point the project's processes at RQ on the test Redis (skipped without it, but in CI).

    On PostgreSQL only: RQ forks a work-horse per job, and a forked SQLite
    connection corrupts the file ("database disk image is malformed"); RQ is
    the backend of papers on several hosts, which run PostgreSQL.
    """
    if connection.vendor != "postgresql":
        pytest.skip("RQ's jobs touch the database here: PostgreSQL only")
    if not redis_answers():
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    pytest.importorskip("django_tasks_rq")
    project.env.update(TASKS_BACKEND="rq", TASKS_REDIS_URL=REDIS_URL)


@pytest.mark.parametrize("backend", ["database", "rq"])
def test_a_scheduled_edition_is_published_at_its_time_once_by_two_workers_with_no_cron(
    project, backend
):
    if backend == "rq":
        use_rq(project)
    # A web-only paper: the preflight, at sign-off and at publication, asks no page PDF.
    project.env["EPAPER"] = "0"
    edition_id = project.run("schedule_edition", 4)
    # Two workers, both polling, both sweeping: the edition is theirs to race for.
    project.start_worker()
    project.start_worker()
    state = wait_for(
        lambda: (s := project.run("edition", edition_id))["status"] == "published" and s,
        "the scheduled publication",
        project,
    )
    assert state["published_at"] >= state["scheduled_at"]  # not before its time
    assert state["publish_steps"] == 1 and state["published"] == 3


@pytest.mark.parametrize("backend", ["database", "rq"])
def test_an_email_that_fails_is_retried_then_shown_as_failed(project, backend):
    if backend == "rq":
        use_rq(project)
    project.env.update(
        EMAIL_BACKEND="tests.desk.failing_mail.AwayBackend",
        NOTIFY_EMAIL_ATTEMPTS="3",
        NOTIFY_EMAIL_BACKOFF_SECONDS="0.5",
    )
    notice = project.run("return_copy")  # the step itself sends nothing
    assert project.run("notification", notice)["jobs"] in (["READY"], None)
    project.start_worker()
    state = wait_for(
        lambda: (s := project.run("notification", notice))["failed"] and s,
        "the e-mail given up",
        project,
    )
    if backend == "database":
        assert state["jobs"] == ["FAILED", "FAILED", "FAILED"]  # tried three times in all
    assert not state["emailed"]
    assert state["error"] == "SMTPServerDisconnected: Connection unexpectedly closed"
