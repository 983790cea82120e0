"""Edits made elsewhere that change what articles print."""

from django.utils import timezone

from . import search
from .cache import public_content_changed


def printed_content_changed(articles):
    """A caption, a name, a section or a tag printed with these articles changed.

    Re-index them, re-stamp them so that API clients syncing with
    updated_since fetch them again, and refresh the public pages.
    """
    articles = articles.order_by().distinct()
    if not articles.exists():
        return
    search.index_articles(articles)
    articles.model.objects.filter(pk__in=articles.values("pk")).update(updated_at=timezone.now())
    public_content_changed()
