"""Measure search: latency and recall against an exact substring scan.

    python manage.py search_benchmark --articles 200000

Generates synthetic published articles (marked with the source 基准测试 and
removed at the end unless --keep), indexes them, then for 2-, 3- and
4-character queries reports the search's p50/p95 latency, the scan's, the
speed-up, and the recall of the search against LIKE '%…%' over headline and
body. Meant for PostgreSQL; on SQLite it runs, but both sides are scans.
"""

import datetime
import math
import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from tqdm import tqdm

from articles import search
from articles.models import Article, ArticleSearch
from tests.perf.synthetic import Writer

MARKER = "基准测试"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def first_page(ranked):
    return ranked.count(), ranked[0:20]


def timed(function):
    start = time.perf_counter()
    result = function()
    return (time.perf_counter() - start) * 1000, result


class Command(BaseCommand):
    help = "Benchmark search latency and recall against a LIKE scan on synthetic articles."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=200_000)
        parser.add_argument("--queries", type=int, default=20, help="queries per length")
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument("--keep", action="store_true", help="keep the generated articles")
        parser.add_argument(
            "--unique",
            type=int,
            default=50_000,
            help="articles written and indexed one by one; the rest are copies of them in SQL",
        )

    def handle(self, *args, **options):
        writer = Writer(options["seed"])
        existing = Article.objects.filter(source=MARKER).count()
        wanted = options["articles"]
        unique = min(wanted, options["unique"])
        if existing < unique:
            self.generate(writer, unique - existing)
            existing = unique
        if existing < wanted:
            self.copy(wanted - existing)
        try:
            self.measure(writer, options)
        finally:
            if not options["keep"]:
                deleted, _ = Article.objects.filter(source=MARKER).delete()
                self.stderr.write(f"removed {deleted} generated rows (use --keep to keep them)")

    def generate(self, writer, count, batch=1000):
        rng = random.Random(7)
        now = timezone.now()
        bar = tqdm(total=count, desc="generate", file=self.stderr._out)
        made = 0
        while made < count:
            size = min(batch, count - made)
            articles = [
                Article(
                    headline=writer.headline(),
                    body=writer.body(),
                    source=MARKER,
                    status=Article.Status.PUBLISHED,
                    published_at=now - datetime.timedelta(minutes=rng.randint(1, 3 * 525_600)),
                )
                for _ in range(size)
            ]
            with transaction.atomic():
                created = Article.objects.bulk_create(articles)
                search.index_articles(Article.objects.filter(pk__in=[a.pk for a in created]))
            made += size
            bar.update(made - bar.n)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Article._meta.db_table}")  # fresh planner statistics

    def copy(self, count):
        """Add count copies of generated articles, published at other times, in SQL.

        Writing and segmenting each article takes a few milliseconds; copying
        the rows with their token vectors takes seconds, and gives the index
        and the ranking the same work a paper of that size would.
        """
        table = Article._meta.db_table
        documents = ArticleSearch._meta.db_table
        columns = [
            f.column
            for f in Article._meta.concrete_fields
            if f.column not in {"id", "published_at", "created_at", "updated_at"}
        ]
        names = ", ".join(f'"{c}"' for c in columns)
        copies = ", ".join(f'a."{c}"' for c in columns)
        base = Article.objects.filter(source=MARKER).count()
        with connection.cursor() as cursor:
            # Built once over every row, the index takes a minute; kept up row
            # by row through 150,000 inserts, an hour.
            cursor.execute("DROP INDEX IF EXISTS article_search_gin")
            cursor.execute("DROP INDEX IF EXISTS article_grams_gin")
            try:
                # Each copy's new id beside the id it copies, so that its search
                # document can be copied too.
                cursor.execute(
                    f"""
                    CREATE TEMPORARY TABLE copies AS
                    SELECT nextval(pg_get_serial_sequence('{table}', 'id')) AS id, a.id AS original
                    FROM (SELECT id FROM {table} WHERE source = %s) AS a
                    CROSS JOIN generate_series(1, %s) AS round
                    LIMIT %s
                    """,
                    [MARKER, math.ceil(count / max(1, base)), count],
                )
                cursor.execute(
                    f"""
                    INSERT INTO {table} (id, {names}, published_at, created_at, updated_at)
                    SELECT c.id, {copies},
                           NOW() - (random() * INTERVAL '1095 days'), NOW(), NOW()
                    FROM copies AS c JOIN {table} AS a ON a.id = c.original
                    """
                )
                cursor.execute(
                    f"""
                    INSERT INTO {documents} (article_id, title, text, vector, grams)
                    SELECT c.id, d.title, d.text, d.vector, d.grams
                    FROM copies AS c JOIN {documents} AS d ON d.article_id = c.original
                    """
                )
                cursor.execute("DROP TABLE copies")
            finally:
                for name, column in (
                    ("article_search_gin", "vector"),  # as migrations 0012 and 0030 leave it
                    ("article_grams_gin", "grams"),  # as migration 0030 does
                ):
                    cursor.execute(
                        f"CREATE INDEX IF NOT EXISTS {name} ON {documents} USING gin ({column}) "
                        "WITH (fastupdate = off)"
                    )
            cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute(f"VACUUM ANALYZE {documents}")
        self.stderr.write(f"copied {count} generated articles")

    def measure(self, writer, options):
        pool = Article.objects.published().filter(source=MARKER)
        total = pool.count()
        self.stdout.write(
            f"{total} synthetic articles on {connection.vendor} "
            f"({connection.settings_dict['NAME']}); {options['queries']} queries per length, "
            f"each run {options['repeat']} times"
        )
        self.stdout.write(
            f"{'length':>6} {'search p50':>11} {'p95':>8} {'scan p50':>10} {'p95':>8} "
            f"{'speed-up':>9} {'recall':>7} {'hits/query':>11}"
        )
        for length in (2, 3, 4):
            words = writer.sample_words(length, options["queries"])
            search_ms, scan_ms, found, expected = [], [], 0, 0
            for word in words:
                query = search.parse(word)
                for _ in range(options["repeat"]):
                    # What the search page does (its paginator): the count, no
                    # further than search.query.COUNT_LIMIT, then the first page, ranked.
                    ms, _page = timed(lambda q=query: first_page(search.Ranked(pool, q)))
                    search_ms.append(ms)
                    ms, scanned = timed(
                        lambda w=word: set(
                            pool.filter(Q(headline__contains=w) | Q(body__contains=w)).values_list(
                                "pk", flat=True
                            )
                        )
                    )
                    scan_ms.append(ms)
                hits = set(search.search(pool, query).values_list("pk", flat=True))
                found += len(hits & scanned)
                expected += len(scanned)
            recall = found / expected if expected else 1.0
            self.stdout.write(
                f"{length:>6} {percentile(search_ms, 0.5):>9.1f}ms {percentile(search_ms, 0.95):>6.1f}ms "
                f"{percentile(scan_ms, 0.5):>8.1f}ms {percentile(scan_ms, 0.95):>6.1f}ms "
                f"{statistics.median(scan_ms) / max(statistics.median(search_ms), 1e-6):>8.1f}× "
                f"{recall:>7.1%} {expected / len(words):>11.0f}"
            )
