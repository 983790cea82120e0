from django.core.management.base import BaseCommand

from articles.models import Article
from articles.search import index_articles
from newsroom.progress import Progress


class Command(BaseCommand):
    help = "Rebuild the search documents of all articles, in batches, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options):
        total = Article.objects.count()
        progress = Progress("reindex", total, stream=self.stderr._out)
        done = index_articles(
            Article.objects.all(), batch_size=options["batch_size"], progress=progress
        )
        self.stdout.write(self.style.SUCCESS(f"reindexed {done} articles"))
