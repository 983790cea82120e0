"""The querysets the API starts from, and what they load for a document.

Visibility is Article.objects.published() and Edition.objects.published();
nothing here re-spells it. Sync clients also hear of Article.objects.withdrawn()
(as pubstatus canceled) so they can take that copy down too.
"""

import hashlib

from django.core.cache import cache
from django.db.models import Max, Prefetch

from media.models import PhotoCredit

from ..models import Article, ArticlePhoto, Byline, Edition, TaggedArticle
from ..pagecache import cache_timeout
from ..publiccache import current_version


def remembered(name, params, compute):
    """Return compute(), worked out once per public version and params.

    Counts and last-change times over all published copy cost a scan of the
    table, yet they change only when what readers see changes, and that is
    exactly when the public version moves (publiccache).
    """
    version = current_version()
    digest = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
    key = f"newsroom:api:{name}:{version}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, cache_timeout(version))
    return value


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
    )


def document_prefetches():
    """Return the prefetches a ninjs document of an article reads."""
    uses = ArticlePhoto.objects.select_related("photo").order_by("position", "pk")
    credits = PhotoCredit.objects.select_related("person").order_by("position", "pk")
    return [
        Prefetch("bylines", queryset=Byline.objects.select_related("person")),
        # The link rows, not taggit's manager: article.tags.all() builds a fresh
        # queryset per article even when prefetched, a third of a page's time.
        Prefetch("taggedarticle_set", queryset=TaggedArticle.objects.select_related("tag")),
        Prefetch("article_photos", queryset=uses),
        Prefetch("article_photos__photo__credits", queryset=credits),
        "corrections",
    ]


def for_documents(queryset):
    """Return queryset loading everything a ninjs document reads, in constant queries."""
    return queryset.select_related("section").prefetch_related(*document_prefetches())


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
