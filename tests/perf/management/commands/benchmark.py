"""Benchmark the production path against the floor, with wrk, on a realistic data set.

    make bench                                     # 6,000 articles, PostgreSQL, Redis
    python manage.py benchmark --articles 100000 --seconds 8 --rounds 3
    python manage.py benchmark --admin-only --only "article list"   # the admin's pages alone

Builds (once; with COPY on PostgreSQL, tests/perf/copyload.py) daily
editions with bylines, tags and photos into the configured database (a
database of its own: it refuses one with other editions in it; --build-only
stops there), then starts, on 127.0.0.1, with the same gunicorn settings
(newsroom/gunicorn.conf.py, 2 sync workers, DEBUG off, Redis):

- the project, as production runs it;
- the project with the page cache off (PUBLIC_PAGE_CACHE=0), for the rows
  that measure rendering;
- the floor: a constant answer through startproject's middleware
  (tests/perf/floor.py, the issue's reference floor vendored; --floor PATH
  runs another).

wrk (2 threads, 16 connections) loads the floor and then each page for
--seconds, in --rounds alternating rounds; each page's ratio is the median
of its rounds over the median of the floor's. It also reports the queries
each page costs when rendered, the workers' memory, the time to publish a
60-article edition and to open the admin's article list at that size.
These are figures, not tests: they vary with the machine and whatever else
it is doing (the load average is printed with them).
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
from dataclasses import dataclass
from pathlib import Path

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
from tests.perf import benchdata, copyload, liveserver, wrk
from tests.perf.synthetic import Writer

# In-process measurements keep their cache and sessions to themselves.
LOCAL_CACHE = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    for alias in ("default", "sessions")
}
FLOOR = Path(__file__).resolve().parents[2] / "floor.py"


@dataclass
class Row:
    label: str
    path: str
    # "cached" (as production runs), "rendered" (page cache off), "shared" (no
    # in-process tier: every hit from Redis), "varnish" (Varnish in front of "cached")
    server: str
    goal: float | None  # × floor; None: a figure to show, with no goal of its own
    distinct: bool = False  # every request a different word of the data (path shows one)


def targets(sample):
    """Return the rows of the table: the issue's pages, from a sample of the data.

    The goals are issue 30's: cached pages ≥ 0.8× the floor, home rendered
    0.20×, article 0.5×, edition 0.35×, search of distinct words 0.15×, one
    common word rendered 0.10×.
    """
    rows = [
        Row("home, cached", "/", "cached", 0.8),
        Row("edition, cached", sample["edition"], "cached", 0.8),
        Row("article, cached", sample["article"], "cached", 0.8),
        Row("RSS, cached", "/feeds/rss/", "cached", 0.8),
        Row("API list of 50, cached", "/api/v1/articles/?page_size=50", "cached", 0.6),
        Row("home, rendered", "/", "rendered", 0.20),
        Row("article, rendered", sample["article"], "rendered", 0.5),
        Row("edition, rendered", sample["edition"], "rendered", 0.35),
        Row("search, one common word", f"/search/?q={sample['query']}", "cached", 0.8),
        # What a word nobody asked for yet costs: the same search, rendered (the
        # issue's goal is this row's; cached, it is a page like the others).
        Row("search, one common word, rendered", f"/search/?q={sample['query']}", "rendered", 0.10),
        # Every request another 2–3 character word of the headlines: no cache answers.
        Row(
            "search, distinct words",
            f"/search/?q={sample['words'][0]}",
            "cached",
            0.15,
            distinct=True,
        ),
    ]
    # The in-process tier earns its place only if these fall short of the rows above.
    rows += [
        Row("home, cached, Redis only", "/", "shared", 0.8),
        Row("article, cached, Redis only", sample["article"], "shared", 0.8),
    ]
    if liveserver.varnish_missing() is None:
        rows.append(Row("home, through Varnish", "/", "varnish", 0.8))
    return rows


# The newsroom's side: (label, path, role, goal p50 ms at 1,000,000 articles).
# The 工作台 is the admin's index.
ADMIN_PAGES = [
    ("article list", "/admin/articles/article/", 25),
    (
        "article list, published, page 50",
        "/admin/articles/article/?status__exact=published&p=50",
        25,
    ),
    ("desk queue", "/admin/articles/deskqueue/", 25),
    ("admin search", "/admin/articles/article/?q={word}", 25),
    ("change form", "/admin/articles/article/{article}/change/", 60),
    ("工作台", "/admin/", 40),
    ("planner", "/admin/articles/edition/{edition}/planner/", None),
]
ADMIN_ROLES = {  # account: (group, pages it opens)
    benchdata.SENTINEL: (None, None),  # the chief editor: every page
    benchdata.EDITOR: (None, None),
    "bench-deskhead": ("Desk head", None),
    "bench-reporter": ("Reporter", {"article list", "admin search", "工作台"}),
}
PUBLICATION_GOAL = {"ms": 150, "queries": 20}
WORKER_RSS_GOAL_MIB = 150  # each worker's, after every row has been served


def headline_words(rng, headlines=20_000):
    """Return the dictionary's 2–3 character words found in a sample of the headlines, shuffled."""
    from tests.perf.synthetic import vocabulary

    last = Article.objects.published().order_by("-pk").values_list("pk", flat=True).first() or 0
    picked = rng.sample(range(1, last + 1), min(last, headlines))
    text = "\n".join(
        Article.objects.published().filter(pk__in=picked).values_list("headline", flat=True)
    )
    words = sorted({w for w in vocabulary()[0] if 2 <= len(w) <= 3 and w in text})
    rng.shuffle(words)
    return words


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
        parser.add_argument("--articles", type=int, default=6_000)
        parser.add_argument("--days", type=int, default=3 * 365, help="daily editions")
        parser.add_argument("--seconds", type=float, default=8, help="per page and round")
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--threads", type=int, default=2, help="wrk's")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, each server")
        parser.add_argument("--floor", help=f"the floor app (default {FLOOR})")
        parser.add_argument(
            "--only", help="measure only rows (and admin pages) whose label contains this"
        )
        parser.add_argument(
            "--admin-only",
            action="store_true",
            help="measure only the admin's pages (no servers, no publication)",
        )
        parser.add_argument("--json", help="also write the figures to this file")
        parser.add_argument(
            "--build-only", action="store_true", help="build (or check) the data set, then stop"
        )

    def handle(self, *args, **options):
        self.options = options
        if not options["admin_only"] and (reason := wrk.missing()):
            raise CommandError(reason)
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
        if options["build_only"]:
            return
        report = {"machine": machine(), "data": data, "options": options, "pages": []}
        sample = self.sample()
        self.sample_words, self.words_used = sample["words"], 0
        rows = [] if options["admin_only"] else targets(sample)
        admin_pages = ADMIN_PAGES
        if options["only"]:
            rows = [row for row in rows if options["only"] in row.label]
            admin_pages = [page for page in admin_pages if options["only"] in page[0]]
        report["queries"] = self.count_queries(rows)
        report["search_database_cpu"] = (
            self.search_database_cpu(sample, {row.label for row in rows})
            if connection.vendor == "postgresql"
            else None
        )
        report["pages"], report["floor"], report["memory"] = [], None, []
        if rows:
            report["pages"], report["floor"], report["memory"] = self.measure_http(rows)
        report["publication"] = None if options["admin_only"] else self.time_publication()
        report["admin"] = self.time_admin(sample, admin_pages)
        report["load_after"] = os.getloadavg()[0]
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
            if connection.vendor == "postgresql":
                # COPY: a million articles in minutes, where the ORM takes days.
                summary = copyload.CopyBuilder(
                    articles, days=days, progress=progress, log=self.stderr.write
                ).build()
            else:
                summary = benchdata.Builder(articles, days=days, progress=progress).build()
            self.stderr.write(f"built in {time.monotonic() - started:.0f} s: {summary}")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
                    self.stderr.write(f"database size: {cursor.fetchone()[0]}")
        return vars(summary)

    def sample(self):
        rng = random.Random(1)
        ids = list(Article.objects.published().values_list("pk", flat=True))
        latest = Edition.objects.published().order_by("-date").first()
        # The common word of the search row: among the most frequent
        # words of the synthetic copy, so that it matches thousands of articles.
        word = Writer(5).sample_words(2, 1)[0]
        return {
            "edition": latest.get_absolute_url(),
            "article": f"/articles/{rng.choice(ids)}/",
            "query": urllib.parse.quote(word),
            "words": [urllib.parse.quote(w) for w in headline_words(rng)],
        }

    # --- queries per page ------------------------------------------------------------

    def count_queries(self, rows):
        """Return {label: queries} of each page rendered from scratch, in process."""
        counts = {}
        client = Client(HTTP_HOST="127.0.0.1")
        with override_settings(CACHES=LOCAL_CACHE, SECURE_SSL_REDIRECT=False):
            for row in rows:
                from django.core.cache import caches

                for alias in LOCAL_CACHE:
                    caches[alias].clear()
                with CaptureQueriesContext(connection) as context:
                    status = client.get(row.path).status_code
                counts[row.label] = len(context.captured_queries) if status == 200 else None
        return counts

    def search_database_cpu(self, sample, labels):
        """Return {row: PostgreSQL's CPU ms a request} of the rendered search rows in labels.

        The search's queries run on the same cores as the app servers: the
        CPU they take of PostgreSQL bounds what any Python could reach. Read
        from the backend's own clock (/proc, so PostgreSQL must run on this
        machine), over requests rendered in process one after the other.
        """
        # Words the wrk rows did not ask for: from the far end of the sample.
        loads = {
            "search, one common word, rendered": [sample["query"]] * 100,
            "search, distinct words": sample["words"][-200:],
        }
        loads = {label: words for label, words in loads.items() if label in labels}
        if not loads:
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
        if not stat.exists():
            return None
        tick = os.sysconf("SC_CLK_TCK")

        def backend_seconds():
            fields = stat.read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / tick  # utime + stime

        costs = {}
        # The page cache off, as for the rendered rows: its middleware is left
        # out when the client's handler loads, inside these settings.
        with override_settings(
            CACHES=LOCAL_CACHE, SECURE_SSL_REDIRECT=False, PUBLIC_PAGE_CACHE=False
        ):
            client = Client(HTTP_HOST="127.0.0.1")
            client.get(f"/search/?q={sample['query']}")  # the connection and its plans warm
            for label, words in loads.items():
                started = backend_seconds()
                for word in words:
                    client.get(f"/search/?q={word}")
                costs[label] = (backend_seconds() - started) * 1000 / len(words)
        return costs

    # --- HTTP ------------------------------------------------------------------------

    def floor_app(self):
        return Path(self.options["floor"]) if self.options["floor"] else FLOOR

    def measure_http(self, rows):
        options = self.options
        prefix = f"bench-{uuid.uuid4().hex[:8]}"
        env = liveserver.production_environment(
            database=liveserver.database_url(connection.settings_dict),
            redis=os.environ["REDIS_URL"],
            static_root=settings.VAR_DIR / "bench-static",
            key_prefix=prefix,
        )
        self.stderr.write("collecting static files for the production server…")
        liveserver.collect_static(env)
        floor = self.floor_app()
        self.stderr.write(f"the floor: {floor}")
        log = open(settings.VAR_DIR / "bench-gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115
        workers = options["workers"]
        servers = {
            "floor": liveserver.FloorServer(floor, workers=workers, log=log),
            "cached": liveserver.ProductionServer(env, workers=workers, log=log),
            "rendered": liveserver.ProductionServer(
                {**env, "PUBLIC_PAGE_CACHE": "0"}, workers=workers, log=log
            ),
        }
        if any(row.server == "shared" for row in rows):
            servers["shared"] = liveserver.ProductionServer(
                {**env, "PUBLIC_LOCAL_CACHE_MIB": "0"}, workers=workers, log=log
            )
        if any(row.server == "varnish" for row in rows):
            servers["varnish"] = liveserver.Varnish(
                servers["cached"].port, settings.VAR_DIR / "bench-varnish"
            )
        floor_results, page_results = [], {row.label: [] for row in rows}
        try:
            with contextlib.ExitStack() as stack:
                for server in servers.values():
                    stack.enter_context(server)
                connection.close()  # nothing of ours competes with the servers
                self.warm_up(servers, rows)
                for number in range(1, options["rounds"] + 1):
                    self.stderr.write(f"round {number} of {options['rounds']}…")
                    floor_results.append(self.load(servers["floor"], "/"))
                    for row in rows:
                        page_results[row.label].append(self.load_row(servers, row))
                memory = servers["cached"].memory()
        finally:
            log.close()
            liveserver.forget_keys(os.environ["REDIS_URL"], prefix)
        floor_rps = statistics.median(r.rps for r in floor_results)
        pages = []
        for row in rows:
            results = page_results[row.label]
            rps = statistics.median(r.rps for r in results)
            pages.append(
                {
                    "label": row.label,
                    "path": row.path,
                    "goal": row.goal,
                    "rps": rps,
                    "rounds": [round(r.rps) for r in results],
                    "ratio": rps / floor_rps if floor_rps else None,
                    "p50_ms": statistics.median(r.p50_ms for r in results),
                    "p99_ms": statistics.median(r.p99_ms for r in results),
                    "errors": sum(r.errors for r in results),
                }
            )
        floor = {
            "rps": floor_rps,
            "rounds": [round(r.rps) for r in floor_results],
            "p50_ms": statistics.median(r.p50_ms for r in floor_results),
            "errors": sum(r.errors for r in floor_results),
        }
        memory = [{"pid": pid, "rss_mib": r / 1024, "pss_mib": p / 1024} for pid, r, p in memory]
        return pages, floor, memory

    def load(self, server, path, seconds=None, paths=None):
        options = self.options
        headers = liveserver.FORWARDED if not isinstance(server, liveserver.FloorServer) else {}
        return wrk.run(
            f"{server.base}{path}",
            threads=options["threads"],
            connections=options["connections"],
            seconds=seconds or options["seconds"],
            headers={**headers, "Host": "127.0.0.1"},
            paths=paths,
        )

    def load_row(self, servers, row, seconds=None):
        paths = None
        if row.distinct:
            # A fresh share of the words for each run: none asked twice.
            words, start = self.sample_words, self.words_used
            share = max(1, len(words) // (self.options["rounds"] + 1))
            self.words_used += share
            paths = [f"/search/?q={w}" for w in (words[start:] + words[:start])[:share]]
        return self.load(servers[row.server], row.path, seconds=seconds, paths=paths)

    def warm_up(self, servers, rows):
        """Load every worker with every page once, so that none is measured cold."""
        self.load(servers["floor"], "/", seconds=2)
        for row in rows:
            self.load_row(servers, row, seconds=2)

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

    def time_admin(self, sample, pages=ADMIN_PAGES):
        """Time the admin's pages as each role opens them (in process, p50 of 5)."""
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        User = get_user_model()
        word = urllib.parse.quote(Writer(5).sample_words(2, 1)[0])
        article = Article.objects.filter(status=Article.Status.SUBMITTED).order_by("pk").first()
        edition = Edition.objects.published().order_by("-date").first()
        results = []
        with override_settings(CACHES=LOCAL_CACHE, SECURE_SSL_REDIRECT=False):
            for username, (group, opens) in ADMIN_ROLES.items():
                user, created = User.objects.get_or_create(
                    username=username, defaults={"is_staff": True}
                )
                if created and group:
                    user.groups.add(Group.objects.get(name=group))
                client = Client(HTTP_HOST="127.0.0.1")
                client.force_login(user)
                for label, url, goal in pages:
                    if opens is not None and label not in opens:
                        continue
                    url = url.format(word=word, article=article.pk, edition=edition.pk)
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
                            "role": username,
                            "url": url,
                            "status": status,
                            "goal_ms": goal,
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
        out(f"Machine: {report['machine']}; {report['load_after']:.2f} at the end")
        out(
            f"Data: {data['published']:,} published articles in {data['editions']:,} editions, "
            f"{data['photos']:,} photos, {data['bylines']:,} bylines, {data['tags']:,} tags"
        )
        if report["pages"]:
            self.print_pages(report)
        publication, goal = report["publication"], PUBLICATION_GOAL
        if publication is not None:
            missed = publication["ms"] > goal["ms"] or publication["queries"] > goal["queries"]
            out(
                f"Publishing an edition of {publication['articles']} articles: "
                f"{publication['ms']:.0f} ms, {publication['queries']} queries"
                f"{' ✗' if missed else ''} (goal ≤ {goal['ms']} ms, ≤ {goal['queries']} queries)"
            )
        out("")
        out("| admin page | as | p50 ms | goal (at 1,000,000) | queries | status |")
        out("|---|---|---:|---:|---:|---:|")
        for view in report["admin"]:
            goal = view["goal_ms"]
            mark = "" if goal is None or view["p50_ms"] <= goal else " ✗"
            out(
                f"| {view['label']} | {view['role']} | {view['p50_ms']:.0f}{mark} | "
                f"{'—' if goal is None else f'≤ {goal} ms'} | {view['queries']} | "
                f"{view['status']} |"
            )
        out(f"Measured {datetime.datetime.now():%Y-%m-%d %H:%M}")

    def print_pages(self, report):
        out = self.stdout.write
        options, floor = report["options"], report["floor"]
        out(
            f"Servers: gunicorn, {options['workers']} sync workers each, DEBUG off, PostgreSQL and "
            f"Redis; wrk -t{options['threads']} -c{options['connections']} "
            f"-d{options['seconds']:g}s, {options['rounds']} alternating rounds, medians"
        )
        out(
            f"The floor ({self.floor_app().name}): {floor['rps']:,.0f} req/s "
            f"(rounds {', '.join(map(str, floor['rounds']))}), p50 {floor['p50_ms']:.1f} ms"
        )
        out("")
        out("| page | path | req/s | × floor | goal | p50 ms | p99 ms | queries | errors |")
        out("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for page in report["pages"]:
            queries = report["queries"].get(page["label"])
            queries = "—" if queries is None else str(queries)
            goal = page["goal"]
            mark = "" if goal is None or page["ratio"] >= goal else " ✗"
            goal = "—" if goal is None else f"≥ {goal:g}"
            out(
                f"| {page['label']} | `{page['path']}` | {page['rps']:,.0f} | "
                f"{page['ratio']:.2f}{mark} | {goal} | {page['p50_ms']:.1f} | "
                f"{page['p99_ms']:.1f} | {queries} | {page['errors']} |"
            )
        out("")
        out(
            "Queries: those of the page rendered from scratch; a cached page costs none. "
            "Rendered rows: the page cache off. Redis only: no in-process tier "
            "(PUBLIC_LOCAL_CACHE_MIB=0). Distinct words: each request another word."
        )
        memory = report["memory"]
        if memory:
            rss = [m["rss_mib"] for m in memory]
            pss = [m["pss_mib"] for m in memory]
            mark = "" if max(rss) <= WORKER_RSS_GOAL_MIB else " ✗"
            out(
                f"Worker memory after the run: RSS {min(rss):.0f}–{max(rss):.0f} MiB each{mark} "
                f"(goal ≤ {WORKER_RSS_GOAL_MIB} MiB), "
                f"PSS {sum(pss):.0f} MiB for all {len(memory)} workers together"
            )
        self.print_search_ceiling(report)

    def print_search_ceiling(self, report):
        """Print what the search rows could reach were their Python free: PostgreSQL's share."""
        costs, floor = report.get("search_database_cpu"), report["floor"]
        if not costs or not floor:
            return
        goals = {page["label"]: page["goal"] for page in report["pages"]}
        cores = os.cpu_count() or 1
        for label, ms in costs.items():
            if not ms:  # under the clock's tick: too few requests to tell
                continue
            ceiling = cores * 1000 / ms
            ratio = ceiling / floor["rps"]
            goal = goals.get(label)
            mark = "" if goal is None or ratio >= goal else " ✗"
            self.stdout.write(
                f"{label}: PostgreSQL's CPU {ms:.1f} ms a request; on {cores} cores at most "
                f"{ceiling:,.0f} req/s, {ratio:.2f}×{mark} the floor with no Python at all"
                + ("" if goal is None else f" (goal ≥ {goal:g})")
            )
