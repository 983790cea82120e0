"""Editions and pages: planned by the desk, signed off and published by the chief editor.

An edition that is signed off or published, its pages and the copy on them
are read-only until the chief editor reopens it; only approved copy is
placed, by the desk, while its edition is being planned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from articles.models import Article, Edition
from articles.permissions.base import (
    PERM_ADD,
    PERM_DESK,
    PERM_EDITION,
    locked_message,
    published_edition_message,
)

if TYPE_CHECKING:
    from articles.models import Page
    from articles.permissions.base import AnyUser

S = Article.Status
E = Edition.Status


def why_not_change_edition(user: AnyUser, edition: Edition) -> str | None:
    if edition.pk is None:
        return None if user.has_perm("articles.add_edition") else _("You may not plan editions.")
    if not user.has_perm("articles.change_edition"):
        return _("You may not change editions.")
    if edition.status == E.SIGNED_OFF:
        return locked_message(edition)
    if edition.status == E.PUBLISHED:
        return published_edition_message(edition)
    return None


def can_change_edition(user: AnyUser, edition: Edition) -> bool:
    return why_not_change_edition(user, edition) is None


def why_not_delete_edition(user: AnyUser, edition: Edition) -> str | None:
    if not user.has_perm("articles.delete_edition"):
        return _("You may not delete editions.")
    if reason := why_not_change_edition(user, edition):
        return reason
    if Article.objects.filter(page__edition=edition).exists():
        return _("Copy is placed in this edition; take it off its pages first.")
    return None


def why_not_change_page(user: AnyUser, page: Page, edition: Edition | None = None) -> str | None:
    """Return why user may not change page (moving it to edition, if given), or None."""
    permission = "articles.add_page" if page.pk is None else "articles.change_page"
    if not user.has_perm(permission):
        return _("You may not change pages.")
    editions = [edition] if edition is not None else []
    if page.pk is not None:
        # The edition it is in now, whatever a form has set on the object since.
        editions.append(Edition.objects.get(pages=page.pk))
    for each in editions:
        if each.status == E.SIGNED_OFF:
            return locked_message(each)
        if each.status == E.PUBLISHED:
            return published_edition_message(each)
    return None


def can_change_page(user: AnyUser, page: Page) -> bool:
    return why_not_change_page(user, page) is None


def why_not_delete_page(user: AnyUser, page: Page) -> str | None:
    if not user.has_perm("articles.delete_page"):
        return _("You may not delete pages.")
    if reason := why_not_change_page(user, page):
        return reason
    if page.articles.exists():
        return _("Copy is placed on this page; take it off the page first.")
    return None


def why_not_place(user: AnyUser) -> str | None:
    """Return why user may not place copy on pages (or take it off), or None."""
    if not user.has_perm(PERM_DESK):
        return _("Only the desk places copy on pages.")
    return None


def may_place(user: AnyUser, article: Article) -> bool:
    """Return whether user may place article on a page now (the article page's button)."""
    return why_not_place(user) is None and article.status == S.APPROVED


def may_unplace(user: AnyUser, article: Article) -> bool:
    """Return whether user may take article off its page now."""
    return (
        why_not_place(user) is None
        and article.page is not None
        and article.page.edition.status == E.PLANNING
    )


def why_not_run_edition(user: AnyUser) -> str | None:
    """Return why user may not sign off, schedule, publish or reopen editions, or None."""
    if not user.has_perm(PERM_EDITION):
        return _("Only the chief editor signs off and publishes editions.")
    return None


def may_import_pages(user: AnyUser) -> bool:
    """Return whether user may import a page's text (its copy is filed by them)."""
    return user.has_perm("articles.add_page") and user.has_perm(PERM_ADD)
