"""Photos: photographers change their own pictures, the desk any; what a change reprints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from articles.models import Article, ArticlePhoto
from articles.permissions.base import PERM_PUBLISH, is_desk, locked_edition, locked_message
from media.models import PhotoCredit

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.db.models import QuerySet

    from articles.models import Edition
    from articles.permissions.base import AnyUser
    from media.models import Photo

S = Article.Status


def is_own_photo(user: AnyUser, photo: Photo) -> bool:
    """Return whether user uploaded photo or is credited for it."""
    if not user.is_authenticated:
        return False
    if photo.created_by_id == user.pk:
        return True
    return PhotoCredit.objects.filter(photo=photo, person__user=user).exists()


def changeable_photos(user: AnyUser, queryset: QuerySet[Photo]) -> QuerySet[Photo]:
    """Return the photos of queryset that user may describe (caption, alt text, credit)."""
    if not user.has_perm("media.change_photo"):
        return queryset.none()
    if user.is_superuser or is_desk(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    credited = Exists(PhotoCredit.objects.filter(photo=OuterRef("pk"), person__user=user))
    return queryset.alias(is_credited=credited).filter(Q(created_by=user) | Q(is_credited=True))


def why_not_change_photo(user: AnyUser, photo: Photo) -> str | None:
    """Return why user may not change photo at all, or None.

    What the change then reprints (published or signed-off copy using the
    photo) is checked by services.save_photo, which knows what changed.
    """
    if photo.pk is None:
        return None if user.has_perm("media.add_photo") else _("You may not add photos.")
    if not user.has_perm("media.change_photo"):
        return _("You may not change photos.")
    if user.is_superuser or is_desk(user) or is_own_photo(user, photo):
        return None
    return _("Photographers change only their own photos.")


def can_change_photo(user: AnyUser, photo: Photo) -> bool:
    return why_not_change_photo(user, photo) is None


def photo_printed_on(photo: Photo) -> tuple[list[Article], list[Edition]]:
    """Return the copy that prints photo: (published articles, signed-off editions)."""
    uses = ArticlePhoto.objects.filter(photo=photo).select_related("article__page__edition")
    published, locked = [], []
    for use in uses:
        if use.article.status == S.PUBLISHED:
            published.append(use.article)
        elif edition := locked_edition(use.article):
            locked.append(edition)
    return published, locked


def why_not_delete_photo(user: AnyUser, photo: Photo) -> str | None:
    if not user.has_perm("media.delete_photo"):
        return _("You may not delete photos.")
    if ArticlePhoto.objects.filter(photo=photo).exists():
        return _("The photo is used on copy; take it off the copy first.")
    return None


def why_not_reprint_photo(user: AnyUser, photo: Photo, articles: Sequence[Article]) -> str | None:
    """Return why user may not change what photo prints on articles (those using it), or None.

    Copy on a signed-off edition waits for its reopening; published copy
    takes the change from an editor only, with a correction note.
    """
    for article in articles:
        if edition := locked_edition(article):
            return _("This photo is on “%(article)s”. ") % {"article": article} + locked_message(
                edition
            )
    published = [a for a in articles if a.status == S.PUBLISHED]
    if published and not user.has_perm(PERM_PUBLISH):
        return _(
            "This photo is on published copy (“%(article)s”): only an editor changes it, "
            "with a correction note."
        ) % {"article": published[0]}
    return None
