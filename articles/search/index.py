"""Keep each article's search document up to date."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connection
from django.db.models import Case, Func, QuerySet, Value, When

from articles.models import Article, ArticleSearch
from articles.search.tokens import document, grams_document
from articles.selectors import for_index

# The headline stack, weighted A in the document; search ranks by it too (query._relevance).
TITLE_COLUMNS = ("kicker", "headline", "subheadline")


def _article_texts(article: Article) -> tuple[str, list[str]]:
    """Return (title text, other text) of article, from prefetched relations."""
    title = " ".join(filter(None, [getattr(article, column) for column in TITLE_COLUMNS]))
    captions = [use.display_caption for use in article.article_photos.all()]
    names = [byline.person.name for byline in article.bylines.all()]
    tags = [link.tag.name for link in article.taggedarticle_set.all()]
    return title, [article.body, article.summary, *captions, " ".join(names), " ".join(tags)]


def index_articles(
    queryset: QuerySet[Article],
    *,
    batch_size: int = 500,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Rebuild the search documents of the articles in queryset, in batches.

    progress, if given, is called with the number of articles each batch indexed.
    """
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch_size):
        batch = list(for_index(Article.objects.filter(pk__in=ids[start : start + batch_size])))
        documents = []
        for article in batch:
            title, rest = _article_texts(article)
            documents.append(
                ArticleSearch(article=article, title=document(title), text=document(title, *rest))
            )
        ArticleSearch.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["title", "text"],
        )
        if connection.vendor == "postgresql":
            # Build the tsvectors from the token text, then drop the text: one
            # UPDATE, whose SET expressions all read the row as it was.
            ArticleSearch.objects.filter(pk__in=[a.pk for a in batch]).update(
                vector=SearchVector("title", weight="A", config="simple")
                + SearchVector("text", weight="C", config="simple"),
                grams=_grams(batch),
                title="",
                text="",
            )
        done += len(batch)
        if progress:
            progress(len(batch))
    return done


def _grams(articles: Sequence[Article]) -> Case:
    """Return an expression giving each of articles its trigrams, without positions."""
    return Case(
        *[
            When(
                pk=article.pk,
                then=Func(
                    SearchVector(Value(grams_document(*_texts(article))), config="simple"),
                    function="strip",
                    output_field=SearchVectorField(),
                ),
            )
            for article in articles
        ],
        output_field=SearchVectorField(),
    )


def _texts(article: Article) -> list[str]:
    title, rest = _article_texts(article)
    return [title, *rest]


def index_article(article: Article) -> None:
    """Bring article's search document up to date (after its bylines, tags and photos)."""
    index_articles(Article.objects.filter(pk=article.pk))
