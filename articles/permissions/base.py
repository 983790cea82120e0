"""What every policy shares: the roles' model permissions, who is who, locked editions."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from articles.desk.levels import ReviewLevel
from articles.models import Article, Byline, Edition
from newsroom.writepath import Refused, refuse_unless

__all__ = ["Refused", "refuse_unless"]

S = Article.Status
E = Edition.Status

# The role groups' model permissions (migration articles.0004 and later) say
# what a role does at all; the policies add the object rules on top.
PERM_ADD = "articles.add_article"
PERM_EDIT_ANY = "articles.edit_any_article"
PERM_DESK = "articles.approve_article"
PERM_PUBLISH = "articles.publish_article"
PERM_EDITION = "articles.publish_edition"
# Photographers see the copy on the desk to illustrate it; filers add photos
# to their own drafts with the ArticlePhoto permissions alone.
PERM_ILLUSTRATE = "articles.illustrate_article"
PERM_PREVIEW = "articles.preview_article"
PERM_REVISIONS = "articles.view_revision"
PERM_LINK_ACCOUNT = "auth.change_user"
# Who may approve copy at each level of 三审: 初审 any editor, 复审 a desk
# head (部门主任), 终审 the chief or duty chief editor (值班总编).
PERM_REVIEW = {
    ReviewLevel.FIRST: PERM_DESK,
    ReviewLevel.SECOND: "articles.review_second",
    ReviewLevel.FINAL: "articles.review_final",
}

# Copy whose text a role may change, by status. Published copy needs a
# correction note as well (services.save_article).
EDITABLE_BY_FILER = frozenset({S.DRAFT, S.RETURNED})
EDITABLE_BY_DESK = frozenset({S.SUBMITTED, S.APPROVED})
# Copy a photographer may illustrate: what has left its filer for the desk.
ON_THE_DESK = EDITABLE_BY_DESK


def is_filer(user, article):
    """Return whether user created article or is bylined on it."""
    if not user.is_authenticated or article.pk is None:
        return False
    if article.created_by_id == user.pk:
        return True
    # The admin's form asks this a score of times: bylines read with the
    # copy (prefetched with their people) answer without a query each.
    prefetched = getattr(article, "_prefetched_objects_cache", {}).get("bylines")
    if prefetched is not None and all(Byline.person.is_cached(b) for b in prefetched):
        return any(byline.person.user_id == user.pk for byline in prefetched)
    return Byline.objects.filter(article=article, person__user=user).exists()


def is_author(user, article):
    """Return whether user created article or is bylined on it for its words, not its pictures.

    A photographer credited 摄 on a story illustrates it; the story's steps
    (submitting it, withdrawing the submission) stay with those who wrote it.
    """
    if not user.is_authenticated or article.pk is None:
        return False
    if article.created_by_id == user.pk:
        return True
    return (
        Byline.objects.filter(article=article, person__user=user)
        .exclude(role=Byline.Role.PHOTOGRAPHER)
        .exists()
    )


def bylined(user):
    """An expression: the row's article has user in its bylines (for alias())."""
    return Exists(Byline.objects.filter(article=OuterRef("pk"), person__user=user))


def is_desk(user):
    """Return whether user works the desk (editors, desk heads, the chief; superusers)."""
    return user.is_superuser or user.has_perm(PERM_EDIT_ANY)


def locked_edition(article):
    """Return the signed-off edition article is placed in, or None.

    Published copy is not locked by its edition: it takes corrections.
    """
    page = article.page if article.page_id else None
    if page is not None and page.edition.status == E.SIGNED_OFF:
        return page.edition
    return None


def locked_message(edition):
    return _(
        "The edition of %(date)s is signed off: its pages and copy are read-only until "
        "the chief editor reopens it."
    ) % {"date": edition.date}


def published_edition_message(edition):
    return _("The edition of %(date)s is published: its pages can no longer change.") % {
        "date": edition.date
    }
