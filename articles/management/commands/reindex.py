from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import Article
from articles.search import index_articles


class Command(BaseCommand):
    help = "Rebuild the search documents of all articles, in batches, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options):
        with tqdm(
            total=Article.objects.count(), desc="reindex", unit=" articles", file=self.stderr._out
        ) as bar:
            done = index_articles(
                Article.objects.all(), batch_size=options["batch_size"], progress=bar.update
            )
        self.stdout.write(self.style.SUCCESS(f"reindexed {done} articles"))
