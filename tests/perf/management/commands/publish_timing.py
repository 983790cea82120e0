"""How long from the chief's 立即发布 to the last page purged from the shared cache in front.

    DJANGO_SETTINGS_MODULE=tests.perf.settings python manage.py publish_timing --articles 60

On the configured database and task backend, with one task worker started
here (run_worker) and a stand-in for Varnish (an HTTP server on --purge-port
that records each PURGE and when it came), each run:

1. makes an edition of --articles approved, bylined articles on four pages,
   and signs it off (as the chief);
2. clicks 立即发布 as the planner does (workflow.request_publication), timed;
3. waits for the purge that drops the edition's pages, sent by the worker
   once the publication commits.

It prints, per run and as medians: the click (what the chief waits for), the
job's wait in the queue, the publication's run in the worker, and 立即发布 to
the last purge (what a reader behind Varnish waits for). Figures, not a
test. The editions it makes are left in the database: use a database of its
own (DATABASE_URL).
"""

import http.server
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django_tasks_db.models import DBTaskResult

from articles import cache, workflow
from articles.editions import tasks
from articles.models import Article, Edition, Page
from people.models import Person
from tests.factories import ArticleFactory, BylineFactory, UserFactory


class Purges(http.server.BaseHTTPRequestHandler):
    """Varnish's stand-in: answers every PURGE, keeping its keys and the time it came."""

    received: list[tuple[float, set[str]]] = []

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        Purges.received.append((time.time(), set(self.headers["xkey-purge"].split())))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = (
        "Time 立即发布 to the last page purged: the click, the queue, the publication, the purge."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=60)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--purge-port", type=int, default=8101)
        parser.add_argument("--timeout", type=float, default=120)

    def handle(self, *args, articles, runs, purge_port, timeout, **options):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", purge_port), Purges)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        purge_url = f"http://127.0.0.1:{purge_port}/"
        settings.PURGE_URLS = [purge_url]
        # Its pages have no PDF: a web-only paper's preflight (here and in the worker).
        settings.EPAPER = False
        env = {
            **os.environ,
            "PURGE_URLS": purge_url,
            "EPAPER": "0",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        }
        worker = subprocess.Popen(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_worker", "--no-reload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        chief = UserFactory(username=f"timing-{uuid.uuid4().hex[:8]}")
        chief.groups.add(Group.objects.get(name="Chief editor"))
        Person.objects.create(name="高远", user=chief)
        rows = []
        try:
            for run in range(runs):
                rows.append(self.run_once(chief, articles, timeout))
                self.stdout.write(self.line(f"run {run + 1}", rows[-1]))
        finally:
            worker.terminate()
            worker.wait(timeout=60)
            server.shutdown()
        medians = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
        backend = settings.TASKS_BACKEND
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        poll = f", polling every {settings.TASKS_POLL_SECONDS} s" if backend == "database" else ""
        self.stdout.write(
            self.line(
                f"median of {runs}, {articles} articles, {backend} on {engine}{poll}", medians
            )
        )

    def line(self, label, row):
        inside = (
            f"queue {row['queue']:.0f} ms; publication {row['publish']:.0f} ms; "
            if "queue" in row
            else ""
        )
        return (
            f"{label}: click {row['click']:.0f} ms; {inside}"
            f"立即发布 to last purge {row['total']:.0f} ms"
        )

    def run_once(self, chief, count, timeout):
        edition = self.ready_edition(count)
        workflow.sign_off(edition, user=chief)
        key = cache.edition_key(edition.pk)
        Purges.received.clear()
        start = time.time()
        workflow.request_publication(edition, user=chief)
        clicked = time.time()
        deadline = time.monotonic() + timeout
        # Two purges carry the edition's key: one made inside the publication's
        # transaction, and the one after it commits, which is the last.
        while len([1 for _at, keys in Purges.received if key in keys]) < 2:
            if time.monotonic() > deadline:
                raise CommandError(f"no purge of {key} within {timeout} s")
            time.sleep(0.005)
        last = max(at for at, keys in Purges.received if key in keys)
        while Edition.objects.get(pk=edition.pk).status != Edition.Status.PUBLISHED:
            if time.monotonic() > deadline:
                raise CommandError(f"{edition} was not published")
            time.sleep(0.05)
        row = {"click": (clicked - start) * 1000, "total": (last - start) * 1000}
        if settings.TASKS_BACKEND == "database":  # the job's own times, from its record
            job = DBTaskResult.objects.filter(
                task_path=tasks.publish_when_due.module_path, args_kwargs__args=[edition.pk]
            ).latest("enqueued_at")
            while job.finished_at is None and time.monotonic() < deadline:
                time.sleep(0.05)
                job.refresh_from_db()
            row["queue"] = (aware(job.started_at) - aware(job.enqueued_at)).total_seconds() * 1000
            row["publish"] = (aware(job.finished_at) - aware(job.started_at)).total_seconds() * 1000
        return row

    def ready_edition(self, count):
        """An edition that passes preflight: four named pages with an editor, approved bylined copy."""
        last = Edition.objects.order_by("-date").values_list("date", flat=True).first()
        day = max(last + timedelta(days=1), date(2040, 1, 1)) if last else date(2040, 1, 1)
        number = (
            Edition.objects.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        edition = Edition.objects.create(date=day, number=number)
        editor = Person.objects.create(name="苏文")
        reporter = Person.objects.create(name="林晓")
        pages = [
            Page.objects.create(edition=edition, number=n, name=f"第{n}版", editor=editor)
            for n in range(1, 5)
        ]
        for position in range(count):
            # With its review record, as the workflow would have left it.
            article = ArticleFactory(
                headline=f"测试稿件{position}",
                status=Article.Status.APPROVED,
                page=pages[position % 4],
                position=position // 4 + 1,
            )
            BylineFactory(article=article, person=reporter)
        return edition
