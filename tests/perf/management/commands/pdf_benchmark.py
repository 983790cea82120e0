"""Hostile page PDFs uploaded twice at once while readers read the cached home page.

    make bench-pdf                                   # the 50 × 5,000 pt page
    make bench-pdf BENCH_ARGS="--pdf drawing"        # one that only drawing finds costly

Serves the configured database (a PostgreSQL database of its own, as `make
bench`) with the production server (gunicorn, DEBUG off, Redis) and
TASK_WORKERS task workers (run_worker), and, while two readers keep reading
the cached home page:

1. baseline: nothing else happens;
2. admin: two editors upload the PDF on two pages' forms at the same moment
   (the upload path as the admin has it);
3. jobs: the PDF is submitted for two pages at the same moment
   (pages.submit_pdf, the job path) and the task workers take the jobs.

It prints, for each phase, the readers' worst wait (goal: under 100 ms), what
the uploads were answered, and the peak memory (VmHWM) of the web workers,
the task workers, and the capped child processes that read the PDFs (goal:
workers under 300 MiB). Figures, not a test: they vary with the machine and
whatever else it does (the load average is printed with them).
"""

import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import lxml.html
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import timezone

from articles.epaper import pages
from articles.epaper.render import PagePDFError
from articles.models import Article, Edition, Page
from people.models import Person
from tests.epaper import hostile
from tests.perf import browser, liveserver
from tests.perf.management.commands.benchmark import ensure_postgresql_database, machine

PDFS = {
    "strip": ("a 50 × 5,000 pt page", hostile.strip_page),
    "huge": ("a 20,000 pt square page", hostile.huge_page),
    "contents": ("a 300 MB content stream", hostile.inflating_contents),
    "objects": ("150,000 text runs", hostile.text_runs),
    # These two pass the form's inspection and fail their job: in the workers' children.
    "characters": ("one text run of 150,000 characters", hostile.many_characters),
    "drawing": ("99,000 half-transparent fills of the whole page", hostile.costly_drawing),
}
USERNAMES = ("pdf-bench-editor-1", "pdf-bench-editor-2")
PASSWORD = f"pdf-bench-{uuid.uuid4().hex}"
PUBLISHED, PLANNING = date(2031, 1, 1), date(2031, 1, 2)
GOAL_WAIT_MS, GOAL_MIB = 100, 300


@dataclass
class Readers:
    """Readers of one page, each on its own keep-alive connection, one request after another."""

    base: str
    path: str = "/"
    count: int = 2
    # A pause between a reader's requests: readers, not a load test saturating the cores.
    gap: float = 0.01
    waits: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def __post_init__(self):
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.read, daemon=True) for _ in range(self.count)]

    def read(self):
        reader = browser.Connection(self.base, liveserver.FORWARDED)
        while not self.stopping.is_set():
            answer = reader.get(self.path)
            self.waits.append((answer.started, answer.elapsed * 1000))
            if answer.status != 200:
                self.errors.append(answer.status)
            self.stopping.wait(self.gap)
        reader.close()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def between(self, start, end):
        return [wait for started, wait in self.waits if start <= started < end]


class Memory(threading.Thread):
    """Peak resident memory (VmHWM) of the web workers, the task workers and their children."""

    def __init__(self, web, tasks):
        super().__init__(daemon=True)
        self.web, self.tasks = web, tasks
        self.peaks = {"web workers": 0, "task workers": 0, "PDF child processes": 0}
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.wait(0.02):
            self.sample()

    def sample(self):
        web = self.web.worker_pids()
        tasks = children(self.tasks.pid)  # the supervisor's workers
        for kind, pids in (("web workers", web), ("task workers", tasks)):
            for pid in pids:
                self.note(kind, pid)
                for child in descendants(pid):
                    self.note("PDF child processes", child)

    def note(self, kind, pid):
        with_kib = status_kib(pid, "VmHWM")
        self.peaks[kind] = max(self.peaks[kind], with_kib)

    def stop(self):
        self.stopping.set()
        self.join()
        self.sample()


def children(pid):
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def descendants(pid):
    found = []
    for child in children(pid):
        found += [child, *descendants(child)]
    return found


def status_kib(pid, key):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def form_values(html):
    doc = lxml.html.fromstring(html)
    form = next(f for f in doc.forms if f.get("id", "").endswith("_form"))
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


class Command(BaseCommand):
    help = "Upload a hostile page PDF twice at once while readers read the cached home page."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--pdf", choices=sorted(PDFS), default="strip")
        parser.add_argument(
            "--seconds", type=float, default=5, help="How long the baseline phase reads."
        )
        parser.add_argument("--task-workers", type=int, default=2)
        parser.add_argument("--web-workers", type=int, default=None)

    def handle(self, *args, pdf, seconds, task_workers, web_workers, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Run it on PostgreSQL (BENCH_DATABASE_URL), as production runs.")
        if not os.environ.get("REDIS_URL"):
            raise CommandError("The production server needs Redis: set REDIS_URL.")
        ensure_postgresql_database()
        call_command("migrate", verbosity=0)
        label, make = PDFS[pdf]
        data = make()
        planned = self.dataset()
        self.stdout.write(f"{machine()}\n{label}: {len(data):,} bytes\n")
        prefix = f"pdf-bench-{uuid.uuid4().hex[:8]}"
        static_root = Path(settings.VAR_DIR) / "pdf-bench-static"
        env = liveserver.production_environment(
            database=liveserver.database_url(connection.settings_dict),
            redis=os.environ["REDIS_URL"],
            static_root=static_root,
            key_prefix=prefix,
            GUNICORN_ACCESS_LOG="",
        )
        liveserver.collect_static(env)
        log = open(Path(settings.VAR_DIR) / "pdf-bench.log", "w", encoding="utf-8")  # noqa: SIM115
        server = liveserver.ProductionServer(env, workers=web_workers, log=log)
        workers = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--processes",
                str(task_workers),
                "--no-reload",
                "--verbosity",
                "0",
            ],
            cwd=liveserver.ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            with server:
                self.run_phases(server, workers, planned, data, seconds)
        finally:
            workers.terminate()
            workers.wait(timeout=120)
            log.close()
            liveserver.forget_keys(os.environ["REDIS_URL"], prefix)

    def run_phases(self, server, workers, planned, data, seconds):
        home = browser.Connection(server.base, liveserver.FORWARDED)
        for _ in range(3):  # cached from the second answer on
            home.get("/")
        memory = Memory(server, workers)
        memory.start()
        report = []
        with Readers(server.base) as readers:
            start = time.monotonic()
            time.sleep(seconds)
            report.append(("baseline", readers.between(start, time.monotonic()), []))
            start = time.monotonic()
            answers = self.upload_in_admin(server, planned, data)
            time.sleep(1)
            report.append(("admin upload ×2", readers.between(start, time.monotonic()), answers))
            start = time.monotonic()
            answers = self.submit_jobs(planned, data)
            time.sleep(1)
            report.append(("jobs ×2", readers.between(start, time.monotonic()), answers))
        memory.stop()
        load = os.getloadavg()[0]
        for phase, waits, answers in report:
            waits = sorted(waits)
            worst = waits[-1] if waits else float("nan")
            p99 = statistics.quantiles(waits, n=100)[98] if len(waits) > 1 else worst
            mark = "ok" if worst < GOAL_WAIT_MS else "over the goal"
            self.stdout.write(
                f"{phase:16} readers: {len(waits)} requests, p50 "
                f"{statistics.median(waits):.1f} ms, p99 {p99:.1f} ms, worst {worst:.1f} ms "
                f"({mark}: < {GOAL_WAIT_MS} ms)"
            )
            for answer in answers:
                self.stdout.write(f"{'':16} {answer}")
        if readers.errors:
            self.stdout.write(f"readers' errors: {sorted(set(readers.errors))}")
        for kind, kib in memory.peaks.items():
            if "child" in kind:
                goal = f"capped at {settings.EPAPER_JOB_MEMORY // 2**20} MiB of address space"
            else:
                goal = f"{'ok' if kib / 1024 < GOAL_MIB else 'over the goal'}: < {GOAL_MIB} MiB"
            self.stdout.write(f"peak memory, {kind}: {kib / 1024:.0f} MiB ({goal})")
        self.stdout.write(f"load average {load:.2f} at the end")

    # --- the two paths ---------------------------------------------------------

    def upload_in_admin(self, server, planned, data):
        """Two editors post the PDF on two pages' forms at the same moment."""
        sessions = []
        for username, page in zip(USERNAMES, planned, strict=True):
            origin = server.base.replace("http://", "https://")  # as the balancer forwards it
            editor = browser.Connection(
                server.base, {**liveserver.FORWARDED, "Origin": origin}, timeout=120
            )
            login = editor.get("/admin/login/")
            doc = lxml.html.fromstring(login.body.decode())
            [token] = doc.xpath('//input[@name="csrfmiddlewaretoken"]/@value')
            answer = editor.post(
                "/admin/login/",
                {
                    "username": username,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": token,
                    "next": "/admin/",
                },
            )
            if answer.status != 302:
                raise CommandError(f"{username} could not log in ({answer.status})")
            url = f"/admin/articles/page/{page.pk}/change/"
            sessions.append((editor, url, form_values(editor.get(url).body.decode())))
        together = threading.Barrier(len(sessions))
        answers = [None] * len(sessions)

        def upload(number):
            editor, url, values = sessions[number]
            values["upload"] = SimpleUploadedFile("page.pdf", data, "application/pdf")
            body = encode_multipart(BOUNDARY, values)
            together.wait()
            answer = editor.request(
                "POST",
                url,
                body=body,
                headers={"Content-Type": MULTIPART_CONTENT},
            )
            said = ""
            if answer.status == 200:  # the form again, saying what is wrong
                doc = lxml.html.fromstring(answer.body.decode())
                errors = doc.xpath('//ul[contains(@class, "errorlist")]')
                said = " ".join(error.text_content().strip() for error in errors)
            elif answer.status == 302:  # saved: what the next page says
                doc = lxml.html.fromstring(editor.get(answer.headers["Location"]).body.decode())
                notes = doc.xpath('//ul[contains(@class, "messagelist")]/li')
                said = " ".join(note.text_content().strip() for note in notes)
                page = Page.objects.get(pk=planned[number].pk)
                said += f" (the page's PDF job: {page.pdf_job} {page.pdf_job_error})"
            answers[number] = f"answered {answer.status} in {answer.elapsed * 1000:.0f} ms {said}"

        threads = [threading.Thread(target=upload, args=[n]) for n in range(len(sessions))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return answers

    def submit_jobs(self, planned, data):
        """The PDF submitted for two pages at once; wait for the task workers to finish them."""
        together = threading.Barrier(len(planned))
        answers = [None] * len(planned)
        editor = get_user_model().objects.get(username=USERNAMES[0])

        def submit(number):
            page = planned[number]
            together.wait()
            started = time.monotonic()
            try:
                pages.submit_pdf(page, data, user=editor)
                answers[number] = "queued"
            except PagePDFError as refused:
                answers[number] = (
                    f"refused in {(time.monotonic() - started) * 1000:.0f} ms: {refused}"
                )
            finally:
                connections.close_all()

        threads = [threading.Thread(target=submit, args=[n]) for n in range(len(planned))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        started = time.monotonic()
        for number, page in enumerate(planned):
            if answers[number] != "queued":
                continue
            while True:
                page.refresh_from_db()
                if page.pdf_job in ("done", "failed"):
                    break
                if time.monotonic() - started > 600:
                    raise CommandError("the jobs did not finish within 10 minutes")
                time.sleep(0.2)
            answers[number] = (
                f"job {page.pdf_job} after {time.monotonic() - started:.1f} s: "
                f"{page.pdf_job_error or 'drawn and located'}"
            )
        return answers

    # --- data ------------------------------------------------------------------

    def dataset(self):
        """A published edition for the home page; two pages being planned, for the uploads."""
        User = get_user_model()
        for username in USERNAMES:
            editor, _ = User.objects.get_or_create(username=username)
            editor.is_staff = editor.is_superuser = True
            editor.set_password(PASSWORD)
            editor.save()
            Person.objects.get_or_create(user=editor, defaults={"name": "苏文"})
        published, created = Edition.objects.get_or_create(
            date=PUBLISHED,
            defaults={
                "number": 9001,
                "status": Edition.Status.PUBLISHED,
                "published_at": timezone.now() - timedelta(hours=1),
            },
        )
        if created:
            page = Page.objects.create(edition=published, number=1, name="要闻")
            for position in range(1, 6):
                Article.objects.create(
                    headline=f"基准测试稿件{position}",
                    body="本报讯 这是一篇用于基准测试的稿件。\n\n第二段。",
                    status=Article.Status.PUBLISHED,
                    published_at=published.published_at,
                    page=page,
                    position=position,
                )
        planning, _ = Edition.objects.get_or_create(
            date=PLANNING, defaults={"number": 9002, "status": Edition.Status.PLANNING}
        )
        planned = []
        for number in (1, 2):
            page, _ = Page.objects.get_or_create(
                edition=planning, number=number, defaults={"name": "要闻"}
            )
            # Each run starts from a page without a PDF job.
            Page.objects.filter(pk=page.pk).update(pdf_job="", pdf_job_digest="")
            page.refresh_from_db()
            planned.append(page)
        return planned
