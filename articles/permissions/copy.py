"""Copy: who sees which articles, changes them in which state, comments, illustrates, corrects.

Copy belongs to its *filer* (the user who created it or is bylined on it),
who edits it while it is a draft or returned; the desk edits it once
submitted; published copy changes only with a correction; copy on a signed-off
edition is read-only until the chief editor reopens it. Reporters and
correspondents see only their own copy; photographers also the copy on the
desk that they may illustrate.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from articles.models import Article, Edition
from articles.permissions.base import (
    EDITABLE_BY_DESK,
    EDITABLE_BY_FILER,
    ON_THE_DESK,
    PERM_ADD,
    PERM_EDITION,
    PERM_ILLUSTRATE,
    PERM_PREVIEW,
    PERM_PUBLISH,
    PERM_REVISIONS,
    bylined,
    is_desk,
    is_filer,
    locked_edition,
    locked_message,
)
from people.models import Person
from people.roles import Role

S = Article.Status
E = Edition.Status


def visible_articles(user, queryset):
    """Return the copy of queryset that user may see in the newsroom.

    The desk (and whoever may preview any copy) sees everything; filers see
    what they created or are bylined on; photographers also see the copy on
    the desk, to illustrate it (drafts and returned copy stay private to their
    filers).
    """
    if user.is_superuser or is_desk(user) or user.has_perm(PERM_PREVIEW):
        return queryset
    visible = Q(created_by=user) | Q(is_bylined=True)
    if user.has_perm(PERM_ILLUSTRATE):
        visible |= Q(status__in=ON_THE_DESK)
    return queryset.alias(is_bylined=bylined(user)).filter(visible)


def can_view_article(user, article):
    if not user.is_authenticated:
        return False
    if user.is_superuser or is_desk(user) or user.has_perm(PERM_PREVIEW):
        return True
    if is_filer(user, article):
        return True
    return user.has_perm(PERM_ILLUSTRATE) and article.status in ON_THE_DESK


def why_not_edit_article(user, article):
    """Return why user may not change article's content now, or None if they may."""
    if article.pk is None:
        return None if user.has_perm(PERM_ADD) else _("You may not file copy.")
    status = article.status
    if status in EDITABLE_BY_FILER:
        if user.is_superuser or is_filer(user, article):
            return None
        return _("Only its author changes copy while it is %(status)s.") % {
            "status": article.get_status_display()
        }
    if status in EDITABLE_BY_DESK:
        if not is_desk(user):
            return _("The copy is with the desk now (%(status)s); only editors change it.") % {
                "status": article.get_status_display()
            }
        if edition := locked_edition(article):
            return locked_message(edition)
        return None
    if status == S.PUBLISHED:
        if user.has_perm(PERM_PUBLISH):
            return None
        return _("Only editors change published copy, with a correction note.")
    return _("%(status)s copy does not change.") % {"status": article.get_status_display()}


def can_edit_article(user, article):
    return why_not_edit_article(user, article) is None


def why_not_delete_article(user, article):
    if not user.has_perm("articles.delete_article"):
        return _("You may not delete copy.")
    if article.status != S.DRAFT or article.transitions.exists():
        # Once copy has been to the desk, its record stays: it is spiked instead.
        return _("Only drafts that never went to the desk are deleted; spike other copy.")
    return None


def why_not_comment(user, article):
    """Return why user may not comment on article (批注), or None: whoever sees the copy may."""
    if not can_view_article(user, article):
        return _("You may not see this copy.")
    return None


def why_not_illustrate(user, article):
    """Return why user may not change article's photos, or None if they may."""
    if can_edit_article(user, article) and (
        user.has_perm(PERM_ILLUSTRATE) or user.has_perm("articles.change_articlephoto")
    ):
        return None
    if (
        user.has_perm(PERM_ILLUSTRATE)
        and article.status in ON_THE_DESK
        and locked_edition(article) is None
    ):
        return None
    if article.status == S.PUBLISHED:
        return _("The photos of published copy change on the article's own page, by an editor.")
    return _("You may not change the photos of “%(article)s”.") % {"article": article}


def can_illustrate(user, article):
    return why_not_illustrate(user, article) is None


def can_work_on_article(user, article):
    """Return whether the article's form saves anything for user: the copy, or its photos.

    The photo desk adds, replaces and re-captions the photos of copy on the
    desk from the article's own form, its words staying read-only for them
    (the photo desk's step); the copy stays where it is in the workflow.
    """
    if can_edit_article(user, article) and user.has_perm("articles.change_article"):
        return True
    # Photographers hold no model permission to change copy: this is their door.
    return user.has_perm(PERM_ILLUSTRATE) and can_illustrate(user, article)


def why_not_keep_working_copy(user, article):
    """Return why user may not keep what they type in article's form (autosave), or None.

    Whoever may change the copy's words keeps a working copy of it; of new
    copy (article None), whoever may file copy.
    """
    if article is None:
        return None if user.has_perm(PERM_ADD) else _("You may not file copy.")
    return why_not_edit_article(user, article)


def illustratable_articles(user, queryset):
    """Return the copy of queryset whose photos user may change (a form's choices)."""
    if user.is_superuser:
        return queryset
    desk_open = Q(status__in=ON_THE_DESK) & ~Q(page__edition__status=E.SIGNED_OFF)
    if is_desk(user):
        allowed = desk_open
        if user.has_perm(PERM_PUBLISH):
            allowed |= Q(status=S.PUBLISHED)
        return queryset.filter(allowed)
    own_drafts = (Q(created_by=user) | Q(is_bylined=True)) & Q(status__in=EDITABLE_BY_FILER)
    allowed = own_drafts
    if user.has_perm(PERM_ILLUSTRATE):
        allowed |= desk_open
    return queryset.alias(is_bylined=bylined(user)).filter(allowed)


def why_not_correct(user, article):
    """Return why user may not record a correction (更正) of article, or None."""
    if article.status != S.PUBLISHED:
        return _("Only published copy takes a correction.")
    if not user.has_perm(PERM_PUBLISH):
        return _("Only editors may change published copy.")
    return None


def may_see_revisions(user, article):
    """Return whether user may read article's revisions and its changes since filing (留痕).

    The desk reads every piece's; its filers read their own copy's, to see
    what the desk changed in it.
    """
    if user.has_perm(PERM_REVISIONS):
        return True
    return is_filer(user, article)


# --- sections and tags ------------------------------------------------------------------


def why_not_change_section(user, section):
    permission = "add_section" if section.pk is None else "change_section"
    if not user.has_perm(f"articles.{permission}"):
        return _("You may not change sections.")
    return None


def why_not_set_review_levels(user):
    """Return why user may not change how many levels of review a section's copy needs, or None.

    三审 is the paper's policy, set by the chief editor: a desk that could
    lower its own section's levels could approve its copy alone.
    """
    if not user.has_perm(PERM_EDITION):
        return _("Only the chief editor sets how many levels of review a section needs.")
    return None


def why_not_delete_section(user, section):
    if not user.has_perm("articles.delete_section"):
        return _("You may not delete sections.")
    return None


def why_not_change_tag(user, tag):
    permission = "add_tag" if tag.pk is None else "change_tag"
    if not user.has_perm(f"taggit.{permission}"):
        return _("You may not change tags.")
    return None


def why_not_delete_tag(user, tag):
    if not user.has_perm("taggit.delete_tag"):
        return _("You may not delete tags.")
    return None


def is_correspondent(*user_ids):
    """Return whether any of these accounts writes as a correspondent (通讯员): by its
    person's kind or its role."""
    ids = [pk for pk in user_ids if pk is not None]
    return (
        Person.objects.filter(user__in=ids, kind=Person.Kind.CORRESPONDENT).exists()
        or get_user_model().objects.filter(pk__in=ids, groups__name=Role.CORRESPONDENT).exists()
    )


def why_not_submit_unsigned(user, article):
    """Return why article may not go to the desk without a byline, or None.

    A correspondent's copy comes from outside the paper (a district office,
    a school): the desk must know whom it credits before it reads it, so
    it is submitted with its byline. Staff copy may reach the desk unsigned
    (the desk adds the byline; the preflight checks it before sign-off).
    """
    if article.pk is not None and article.bylines.exists():
        return None
    filers = {pk for pk in (user.pk, article.created_by_id) if pk is not None}
    correspondent = (
        Person.objects.filter(user__in=filers, kind=Person.Kind.CORRESPONDENT).exists()
        or get_user_model().objects.filter(pk__in=filers, groups__name=Role.CORRESPONDENT).exists()
    )
    if correspondent:
        return _(
            "A correspondent's copy is submitted with its byline: add who wrote it "
            "(通讯员, and the office they write from) under 署名 first."
        )
    return None
