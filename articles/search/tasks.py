"""Search's background job: re-indexing the many articles a rename prints on."""

from articles.models import Article
from articles.search.index import index_articles
from newsroom.background import task


@task()
def reindex_articles(ids: list[int]) -> int:
    """Rebuild the search documents of the articles ids, as they read now.

    Idempotent: run twice (or after a later change), it writes the same
    documents; an article deleted meanwhile is skipped.
    """
    return index_articles(Article.objects.filter(pk__in=ids))
