"""The querysets the API starts from, and what they load for a document.

Visibility is Article.objects.published() and Edition.objects.published();
nothing here re-spells it. Sync clients also hear of Article.objects.withdrawn()
(as pubstatus canceled) so they can take that copy down too.
"""

from django.db.models import Max, Prefetch

from articles.cache import ARTICLES, remembered
from articles.models import Article, Edition
from articles.selectors import for_documents


def changed_since(published, since):
    """Return the published articles updated since since, and those withdrawn since then."""
    return published.filter(updated_at__gte=since) | Article.objects.withdrawn(since)


def last_public_change():
    """Return when anything readers see last changed: a publication, edit or withdrawal.

    The Last-Modified of article lists: an item that leaves a filtered list
    (withdrawn, or moved to another section) changes no row of that list, yet
    the list has changed, so If-Modified-Since must not answer 304 then.
    """
    published = Article.objects.published()
    return remembered(
        "last-change",
        (),
        lambda: (published | Article.objects.withdrawn()).aggregate(at=Max("updated_at"))["at"],
        keys=[ARTICLES],
    )


def edition_pages(edition):
    """Return edition's pages, each with its published articles in order as .published."""
    articles = for_documents(Article.objects.published()).order_by("position", "pk")
    return list(
        edition.pages.select_related("editor")
        .order_by("number")
        .prefetch_related(Prefetch("articles", queryset=articles, to_attr="published"))
    )


def published_editions():
    """Return the editions a reader may see, newest first."""
    return Edition.objects.published().order_by("-date")
