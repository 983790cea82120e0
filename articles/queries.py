"""Query helpers for the public site.

Visibility is not decided here: every article query starts from
Article.objects.published() and every edition query from
Edition.objects.published(). These helpers only narrow them and fetch, in a
fixed number of queries, what the pages print.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from taggit.models import Tag

from media.models import PhotoCredit
from people.models import Person

from .models import Article, ArticlePhoto, Byline, Edition, Section


def with_credits(queryset):
    """Add the section and the bylines (with their people) in printed order."""
    return queryset.select_related("section").prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("person"))
    )


def with_photos(queryset):
    """Add the photos in order, each with its photographers for the credit line."""
    uses = ArticlePhoto.objects.select_related("photo").prefetch_related(
        Prefetch("photo__credits", queryset=PhotoCredit.objects.select_related("person"))
    )
    return queryset.prefetch_related(Prefetch("article_photos", queryset=uses))


def in_page_order(queryset):
    return queryset.order_by("position", "pk")


def latest_first(queryset):
    return queryset.order_by("-published_at", "-pk")


def with_public_placement(queryset):
    """Add the page and edition, and whether that edition is published yet.

    Copy published on the web may sit on a page of an edition still being
    made; that page must not be named to readers before its edition is out.
    """
    return queryset.select_related("page__edition").annotate(
        placement_is_public=Exists(Edition.objects.published().filter(pages=OuterRef("page")))
    )


def public_sections():
    """Return the sections that have at least one published article."""
    return Section.objects.filter(
        Exists(Article.objects.published().filter(section=OuterRef("pk")))
    )


def public_tags():
    """Return the tags used on at least one published article."""
    return Tag.objects.filter(Exists(Article.objects.published().filter(tags=OuterRef("pk"))))


def credited(person_or_ref):
    """Return the condition 'person is bylined on it or took one of its photos'."""
    return Q(bylines__person=person_or_ref) | Q(
        article_photos__photo__credits__person=person_or_ref
    )


def credited_any(people):
    """Return the condition 'one of people is bylined on it or took one of its photos'."""
    return Q(bylines__person__in=people) | Q(article_photos__photo__credits__person__in=people)


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
