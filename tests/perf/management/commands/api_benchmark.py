from django.core.management.base import BaseCommand

from tests.perf import api_benchmark as benchmark


class Command(BaseCommand):
    help = "Time the API's article list page on generated data (rolled back) and print p50/p95."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=200)
        parser.add_argument("--requests", type=int, default=100)
        parser.add_argument("--page-size", type=int, default=50)

    def handle(self, *args, articles, requests, page_size, **options):
        result = benchmark.run(articles=articles, requests=requests, page_size=page_size)
        self.stdout.write(
            "{requests} requests of a {page_size}-item page ({articles} articles): "
            "p50 {p50_ms:.1f} ms, p95 {p95_ms:.1f} ms, {queries} queries, {bytes} bytes".format(
                **result
            )
        )
