"""What each surface loads with its articles: the prefetch recipes, spelled once.

The public site, the API, the search index and the edition planner each read
bylines, photos and credits; the recipes here fetch them in a fixed number of
queries, whatever the number of articles. Visibility is not decided here:
every public query starts from Article.objects.published() or
Edition.objects.published(), and these helpers only narrow and load.
"""

from __future__ import annotations

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from taggit.models import Tag

from articles.models import (
    Article,
    ArticlePhoto,
    ArticleZone,
    Assignment,
    Byline,
    Edition,
    Section,
    TaggedArticle,
)
from media.models import PhotoCredit
from people.models import Person

# --- the building blocks --------------------------------------------------------


def bylines():
    """The bylines in printed order, each with its person."""
    return Prefetch("bylines", queryset=Byline.objects.select_related("person"))


def photo_uses(*, credits=True):
    """The photos in order, and (if credits) each photo's photographers in credit order."""
    prefetches = [Prefetch("article_photos", queryset=ArticlePhoto.objects.select_related("photo"))]
    if credits:
        prefetches.append(
            Prefetch(
                "article_photos__photo__credits",
                queryset=PhotoCredit.objects.select_related("person"),
            )
        )
    return prefetches


def tag_links():
    """The tags through their link rows.

    Not taggit's manager: article.tags.all() builds a fresh queryset per
    article even when prefetched, a third of an API page's time.
    """
    return Prefetch("taggedarticle_set", queryset=TaggedArticle.objects.select_related("tag"))


# --- the recipes ------------------------------------------------------------------


def with_credits(queryset):
    """Add the section, the page and edition (print copy is dated by its edition) and the
    bylines (with their people) in printed order."""
    return queryset.select_related("section", "page__edition").prefetch_related(bylines())


def with_photos(queryset):
    """Add the photos in order, each with its photographers for the credit line."""
    return queryset.prefetch_related(*photo_uses())


def document_prefetches():
    """Return the prefetches a ninjs document of the API reads (beside its section)."""
    return [bylines(), *photo_uses(), tag_links(), "corrections"]


def for_documents(queryset):
    """Load everything a ninjs document of the API reads."""
    return queryset.select_related("section").prefetch_related(*document_prefetches())


def for_index(queryset: QuerySet[Article]) -> QuerySet[Article]:
    """Load what an article's search document is built from.

    The tags in the order they were given (their links' ids): taggit's Tag
    has no order, and a document must not change with the order PostgreSQL
    happens to join them in (the tags' positions in it would move).
    """
    tags = Prefetch(
        "taggedarticle_set", queryset=TaggedArticle.objects.select_related("tag").order_by("pk")
    )
    return queryset.prefetch_related(bylines(), *photo_uses(credits=False), tags)


def for_planner(edition, *, lock=False):
    """Return edition's pages, each with all its copy in page order (any state).

    The planner and the preflight read these: bylines, photos with their
    credits, who filed each piece, and the assigned stories planned for the
    page (against its capacity). lock (publication, inside its transaction):
    read the copy with its rows locked, and leave out the planned stories,
    which the preflight does not read.
    """
    articles = with_photos(with_credits(Article.objects.select_related("created_by")))
    if lock:
        # Only the article rows: PostgreSQL cannot lock the nullable side of
        # the outer joins to section and filer.
        articles = articles.select_for_update(of=("self",))
    prefetches = [Prefetch("articles", queryset=in_page_order(articles))]
    if not lock:
        planned = Assignment.objects.filter(
            status__in=[Assignment.Status.ACCEPTED, Assignment.Status.FILED]
        ).order_by("deadline", "pk")
        prefetches.append(Prefetch("assignments", queryset=planned))
    return list(edition.pages.select_related("editor").prefetch_related(*prefetches))


def in_page_order(queryset):
    return queryset.order_by("position", "pk")


def latest_first(queryset):
    return queryset.order_by("-published_at", "-pk")


def public_sections():
    """Return the sections that have at least one published article."""
    return Section.objects.filter(
        Exists(Article.objects.published().filter(section=OuterRef("pk")))
    )


def public_tags():
    """Return the tags used on at least one published article."""
    return Tag.objects.filter(Exists(Article.objects.published().filter(tags=OuterRef("pk"))))


def credited(person_or_ref: object) -> Q:
    """Return the condition 'person is bylined on it or took one of its photos'."""
    return Q(bylines__person=person_or_ref) | Q(
        article_photos__photo__credits__person=person_or_ref
    )


def credited_any(people):
    """Return the condition 'one of people is bylined on it or took one of its photos'."""
    return Q(bylines__person__in=people) | Q(article_photos__photo__credits__person__in=people)


def photos_on_published_copy(photos):
    """Return those of photos used on an article readers may see (settings.PHOTOS_ON_PUBLISHED_COPY).

    media.views.serve asks this before serving a photo's files: media never
    imports articles, so the rule reaches it through that setting.
    """
    return photos.filter(
        Exists(
            ArticlePhoto.objects.filter(
                photo=OuterRef("pk"), article__in=Article.objects.published()
            )
        )
    )


def public_people():
    """Return the people credited on at least one published article."""
    return Person.objects.filter(
        Exists(Article.objects.published().filter(credited(OuterRef("pk"))))
    )


def related_articles(article, tags, limit=5):
    """Return published articles sharing the most tags with article, newest first."""
    tag_ids = [tag.pk for tag in tags]
    if not tag_ids:
        return []
    return list(
        Article.objects.published()
        .filter(tags__in=tag_ids)
        .exclude(pk=article.pk)
        .annotate(shared_tags=Count("tags"))
        .select_related("section")
        .order_by("-shared_tags", "-published_at", "-pk")[:limit]
    )


# --- the e-paper ------------------------------------------------------------------


def public_zones(page):
    """Return the zones of page's published articles, top to bottom, with their articles."""
    return list(
        ArticleZone.objects.filter(page=page, article__in=Article.objects.published())
        .select_related("article")
        .order_by("top", "left", "pk")
    )


def edition_calendar(edition=None):
    """Return the dates of the first, last, previous and next published editions.

    One query whatever the number of editions: the date picker's range and
    上一期/下一期 around edition (if given).
    """
    date = edition.date if edition is not None else None
    aggregates = {"first": Min("date"), "last": Max("date")}
    if date is not None:
        aggregates["previous"] = Max("date", filter=Q(date__lt=date))
        aggregates["next"] = Min("date", filter=Q(date__gt=date))
    return Edition.objects.published().aggregate(**aggregates)


def nearest_edition(date):
    """Return the published edition of date, or the one before it, or failing that after it."""
    editions = Edition.objects.published()
    return (
        editions.filter(date__lte=date).order_by("-date").first()
        or editions.filter(date__gt=date).order_by("date").first()
    )


def page_neighbours(article):
    """Return the published articles before and after article on its page (上一篇/下一篇)."""
    if article.page_id is None:
        return None, None
    siblings = list(
        Article.objects.published()
        .filter(page_id=article.page_id)
        .order_by("position", "pk")
        .only("pk", "kind", "headline", "web_headline", "body", "page_id", "position")
    )
    index = next((i for i, item in enumerate(siblings) if item.pk == article.pk), None)
    if index is None:
        return None, None
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    return previous, following
