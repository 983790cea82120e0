"""Benchmark the production path on a realistic data set.

    make bench                                   # 100,000 articles, PostgreSQL, Redis
    python manage.py benchmark --articles 2000 --duration 5

Builds (once) three years of daily editions with bylines, tags and photos
into the configured database (a database of its own: it refuses one with
other editions in it), starts the production server (gunicorn, DEBUG off,
Redis) on 127.0.0.1, and reports requests per second and p50/p99 latency of
each page next to a minimal Django view served by the same server in the
same run, the queries each page costs when it is not cached, the workers'
memory, the time to publish a 60-article edition and to open the admin's
article list at that size. These are figures, not tests: they vary with the
machine and whatever else it is doing.
"""

import contextlib
import datetime
import json
import os
import platform
import random
import statistics
import time
import urllib.parse
import uuid

import django
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from tqdm import tqdm

from articles import workflow
from articles.models import Article, Edition
from tests.perf import benchdata, httpload, liveserver
from tests.perf.synthetic import Writer

# In-process measurements keep their cache and sessions to themselves.
LOCAL_CACHE = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    for alias in ("default", "sessions")
}


def targets(sample):
    """Return the pages to measure: (label, list of paths, cached?) from a sample of the data.

    Uncached pages get a query string never asked for before (the view ignores
    it; the page cache keys on it), so every request renders, whatever the
    size of the data set.
    """
    tag = uuid.uuid4().hex[:8]
    n = (f"{tag}{i}" for i in range(10**9))
    return [
        ("minimal Django view", ["/healthz"], None),
        ("home page", ["/"], True),
        ("edition page", [sample["edition"]], True),
        ("edition page, uncached", [f"{u}?b={next(n)}" for u in sample["editions"]], False),
        ("article page, cached", [sample["article"]], True),
        ("article page, uncached", [f"{u}?b={next(n)}" for u in sample["articles"]], False),
        ("search", [f"/search/?q={q}" for q in sample["queries"]], False),
        ("RSS feed", ["/feeds/rss/"], True),
        ("API list (50 articles)", ["/api/v1/articles/?page_size=50"], None),
        ("minimal Django view (again)", ["/healthz"], None),
    ]


def machine():
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        kib = int(open("/proc/meminfo", encoding="utf-8").readline().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = connection.vendor
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, {database}; "
        f"load average {os.getloadavg()[0]:.2f} at start"
    )


def ensure_postgresql_database():
    """Create the configured PostgreSQL database if it does not exist yet."""
    import psycopg2
    from psycopg2 import sql

    params = connection.get_connection_params()
    name = params.pop("database", None) or params.pop("dbname")
    params["dbname"] = "postgres"
    server = psycopg2.connect(**params)
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                return True
    finally:
        server.close()
    return False


class Command(BaseCommand):
    help = "Build a realistic data set, serve it with the production server and measure it."
    requires_system_checks = []  # the database may not exist yet

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--days", type=int, default=3 * 365, help="daily editions")
        parser.add_argument("--duration", type=float, default=10, help="seconds per page")
        parser.add_argument("--concurrency", type=int, default=8, help="connections")
        parser.add_argument("--workers", type=int, help="gunicorn workers (default 2×cores+1)")
        parser.add_argument("--json", help="also write the figures to this file")

    def handle(self, *args, **options):
        self.options = options
        if connection.vendor == "postgresql":
            if ensure_postgresql_database():
                self.stderr.write(f"created database {connection.settings_dict['NAME']}")
        else:
            self.stderr.write(
                self.style.WARNING("Not PostgreSQL: figures will say little about production.")
            )
        if not os.environ.get("REDIS_URL"):
            raise CommandError("The production server needs Redis: set REDIS_URL.")
        call_command("migrate", verbosity=0)
        data = self.dataset(options["articles"], options["days"])
        report = {"machine": machine(), "data": data, "options": options, "pages": []}
        report["queries"] = self.count_queries()
        report["pages"], report["memory"] = self.measure_http()
        report["publication"] = self.time_publication()
        report["changelist"] = self.time_changelist()
        self.print_report(report)
        if options["json"]:
            with open(options["json"], "w", encoding="utf-8") as out:
                json.dump(report, out, ensure_ascii=False, indent=2, default=str)

    # --- data -------------------------------------------------------------------

    def dataset(self, articles, days):
        if benchdata.sentinel_exists():
            summary = benchdata.summary()
            if summary.published < articles:
                raise CommandError(
                    f"This database holds a data set of {summary.published} published articles; "
                    f"ask for that many, or drop the database to build {articles}."
                )
            self.stderr.write(f"reusing the data set: {summary}")
        elif Edition.objects.exists() or Article.objects.exists():
            raise CommandError(
                "This database has editions or articles of its own. The benchmark builds its "
                "data set only into a database of its own (make bench uses newsroom_perf)."
            )
        else:
            bar = tqdm(total=articles, desc="articles", file=self.stderr._out)
            progress = lambda made, total: bar.update(made - bar.n)  # noqa: E731
            started = time.monotonic()
            summary = benchdata.Builder(articles, days=days, progress=progress).build()
            self.stderr.write(f"built in {time.monotonic() - started:.0f} s: {summary}")
        return vars(summary)

    def sample(self):
        rng = random.Random(1)
        published = Article.objects.published()
        ids = list(published.values_list("pk", flat=True))
        rng.shuffle(ids)
        editions = list(Edition.objects.published().values_list("date", flat=True))
        rng.shuffle(editions)
        latest = Edition.objects.published().order_by("-date").first()
        writer = Writer(5)
        queries = writer.sample_words(2, 10) + writer.sample_words(3, 10)
        return {
            "edition": latest.get_absolute_url(),
            "editions": [f"/editions/{d.isoformat()}/" for d in editions],
            "article": f"/articles/{ids[0]}/",
            "articles": [f"/articles/{pk}/" for pk in ids[1:]],
            "queries": [urllib.parse.quote(q) for q in queries],
        }

    # --- queries per page ------------------------------------------------------------

    def count_queries(self):
        """Return {label: queries} for a first (uncached) request of each page, in process."""
        counts = {}
        client = Client(HTTP_HOST="127.0.0.1")
        with override_settings(CACHES=LOCAL_CACHE, SECURE_SSL_REDIRECT=False):
            for label, paths, _cached in targets(self.sample()):
                with CaptureQueriesContext(connection) as context:
                    status = client.get(paths[0]).status_code
                counts[label] = len(context.captured_queries) if status == 200 else None
        return counts

    # --- HTTP ------------------------------------------------------------------------

    def measure_http(self):
        options = self.options
        prefix = f"bench-{uuid.uuid4().hex[:8]}"
        static_root = settings.VAR_DIR / "bench-static"
        env = liveserver.production_environment(
            database=liveserver.database_url(connection.settings_dict),
            redis=os.environ["REDIS_URL"],
            static_root=static_root,
            key_prefix=prefix,
        )
        self.stderr.write("collecting static files for the production server…")
        liveserver.collect_static(env)
        sample = self.sample()
        pages = []
        log = open(settings.VAR_DIR / "bench-gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115
        server = liveserver.ProductionServer(env, workers=options["workers"], log=log)
        try:
            with server:
                self.stderr.write(
                    f"gunicorn on {server.base} with {len(server.worker_pids())} workers"
                )
                self.warm_up(server, targets(sample))
                for label, paths, cached in targets(sample):
                    pages.append(self.measure_page(server, label, paths, cached))
                memory = server.memory()
        finally:
            log.close()
            liveserver.forget_keys(os.environ["REDIS_URL"], prefix)
        baseline = statistics.mean(
            p["rps"] for p in pages if p["label"].startswith("minimal") and p["rps"]
        )
        for page in pages:
            page["ratio"] = page["rps"] / baseline if page["rps"] else None
        return pages, [
            {"pid": pid, "rss_mib": r / 1024, "pss_mib": p / 1024} for pid, r, p in memory
        ]

    def warm_up(self, server, pages):
        """Send every worker every kind of page, so that none is measured cold."""
        paths = [path for _label, paths, _cached in pages for path in paths[:20]]
        httpload.hammer(
            server.base,
            httpload.paths_from(paths),
            concurrency=self.options["concurrency"],
            duration=min(5, self.options["duration"]),
            headers=liveserver.FORWARDED,
        )

    def measure_page(self, server, label, paths, cached):
        options = self.options
        probe = httpload.Connection(server.base, liveserver.FORWARDED).get(paths[0])
        entry = {"label": label, "path": paths[0].split("?b=")[0], "cached": cached}
        if probe.status != 200:
            self.stderr.write(f"{label}: {paths[0]} answers {probe.status}: not available")
            return {**entry, "rps": None, "available": False, "status": probe.status}
        if cached is not False:  # warm the cache and the workers
            httpload.hammer(
                server.base,
                httpload.paths_from(paths),
                concurrency=options["concurrency"],
                duration=min(2, options["duration"]),
                headers=liveserver.FORWARDED,
            )
        self.stderr.write(f"measuring {label} for {options['duration']} s…")
        stats = httpload.hammer(
            server.base,
            httpload.paths_from(paths),
            concurrency=options["concurrency"],
            duration=options["duration"],
            headers=liveserver.FORWARDED,
            label=label,
        )
        return {
            **entry,
            "available": True,
            "requests": stats.count,
            "rps": stats.rps,
            "p50_ms": stats.latency_ms(0.5),
            "p99_ms": stats.latency_ms(0.99),
            "errors": len(stats.failures),
            "statuses": dict(stats.statuses),
        }

    # --- the newsroom's side -----------------------------------------------------------

    def time_publication(self):
        """Time the publication of a 60-article edition, then remove it again."""
        edition, chief = benchdata.ready_edition(60)
        try:
            edition = workflow.sign_off(edition, user=chief)
            with CaptureQueriesContext(connection) as context:
                started = time.perf_counter()
                workflow.publish_edition(edition, user=chief)
                elapsed = time.perf_counter() - started
            return {
                "articles": Article.objects.filter(page__edition=edition).count(),
                "ms": elapsed * 1000,
                "queries": len(context.captured_queries),
            }
        finally:
            benchdata.remove_edition(edition)

    def time_changelist(self):
        """Time the admin's article list as the chief editor opens it, plain, filtered and searched."""
        from django.contrib.auth import get_user_model

        chief = get_user_model().objects.get(username=benchdata.SENTINEL)
        client = Client(HTTP_HOST="127.0.0.1")
        word = Writer(5).sample_words(2, 1)[0]
        views = [
            ("article list", "/admin/articles/article/"),
            ("published, page 100", "/admin/articles/article/?status__exact=published&p=100"),
            ("desk: submitted", "/admin/articles/article/?status__exact=submitted"),
            ("searched", f"/admin/articles/article/?q={word}"),
        ]
        results = []
        with override_settings(CACHES=LOCAL_CACHE, SECURE_SSL_REDIRECT=False):
            client.force_login(chief)
            for label, url in views:
                client.get(url)  # warm
                times = []
                for _ in range(5):
                    with CaptureQueriesContext(connection) as context:
                        started = time.perf_counter()
                        status = client.get(url).status_code
                        times.append((time.perf_counter() - started) * 1000)
                results.append(
                    {
                        "label": label,
                        "url": url,
                        "status": status,
                        "p50_ms": statistics.median(times),
                        "queries": len(context.captured_queries),
                    }
                )
        return results

    # --- report ------------------------------------------------------------------------

    def print_report(self, report):
        out = self.stdout.write
        data = report["data"]
        out("")
        out(f"Machine: {report['machine']}")
        out(
            f"Data: {data['published']:,} published articles in {data['editions']:,} editions, "
            f"{data['photos']:,} photos, {data['bylines']:,} bylines, {data['tags']:,} tags"
        )
        memory = report["memory"]
        out(
            f"Server: gunicorn, {len(memory)} sync workers, DEBUG off, Redis cache; "
            f"{self.options['concurrency']} connections, {self.options['duration']:g} s per page"
        )
        out("")
        out("| page | path | req/s | p50 ms | p99 ms | × minimal view | queries | errors |")
        out("|---|---|---:|---:|---:|---:|---:|---:|")
        for page in report["pages"]:
            queries = report["queries"].get(page["label"])
            queries = "—" if queries is None else str(queries)
            if not page["available"]:
                out(
                    f"| {page['label']} | `{page['path']}` | not available ({page['status']}) | | | | | |"
                )
                continue
            out(
                f"| {page['label']} | `{page['path']}` | {page['rps']:,.0f} | {page['p50_ms']:.1f} "
                f"| {page['p99_ms']:.1f} | {page['ratio']:.2f} | {queries} | {page['errors']} |"
            )
        out("")
        if memory:
            rss = [m["rss_mib"] for m in memory]
            pss = [m["pss_mib"] for m in memory]
            out(
                f"Worker memory after the run: RSS {min(rss):.0f}–{max(rss):.0f} MiB each, "
                f"PSS {sum(pss):.0f} MiB for all {len(memory)} workers together"
            )
        publication = report["publication"]
        out(
            f"Publishing an edition of {publication['articles']} articles: "
            f"{publication['ms']:.0f} ms, {publication['queries']} queries"
        )
        for view in report["changelist"]:
            out(
                f"Admin {view['label']} (`{view['url']}`): {view['p50_ms']:.0f} ms p50, "
                f"{view['queries']} queries"
            )
        out(f"Measured {datetime.datetime.now():%Y-%m-%d %H:%M}")
