"""Edits made elsewhere that change what articles print."""

from django.utils import timezone

from . import search
from .cache import content_changed


def printed_content_changed(articles, *, keys=()):
    """A caption, a name, a section or a tag printed with these articles changed.

    Re-index them, re-stamp them so that API clients syncing with
    updated_since fetch them again, and drop the public pages that show them (keys: also those the
    change takes them off, or the section bar).
    """
    articles = articles.order_by().distinct()
    if not articles.exists():
        return
    search.index_articles(articles)
    articles.model.objects.filter(pk__in=articles.values("pk")).update(updated_at=timezone.now())
    content_changed(articles=articles, keys=keys)
