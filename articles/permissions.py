"""Who may do what to which object in which state: the newsroom's rules, in one place.

The role groups' model permissions (migration articles.0004) say what a role
does at all; the functions here add the object rules on top:

- copy belongs to its *filer* (the user who created it or is bylined on it),
  who edits it while it is a draft or returned; the desk edits it once
  submitted; published copy changes only with a correction (see services);
- an edition that is signed off or published, its pages and the copy on them
  are read-only until the chief editor reopens it;
- reporters, correspondents and photographers see only their own copy, and
  photographers also the copy on the desk that they may illustrate;
- photographers change their own pictures; the desk changes any;
- only those who manage user accounts link a person to an account;
- copy passes the review levels of its section (三审) in order, each level
  given by a role allowed at it and by a person who gave no other level of
  the same round.

Admin classes (has_*_permission, get_queryset, form field choices), the
services of the write path and the staff preview ask here; nothing else
decides. Each `why_not_*` returns the refusal as a sentence for the user, or
None when the action is allowed; the `can_*` forms are their booleans.
"""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from articles.models import Article, ArticlePhoto, Assignment, Byline, Edition, ReviewLevel
from media.models import PhotoCredit
from newsroom.writepath import Refused, refuse_unless  # noqa: F401 (the rules' refusal)

S = Article.Status
E = Edition.Status

PERM_ADD = "articles.add_article"
PERM_EDIT_ANY = "articles.edit_any_article"
PERM_DESK = "articles.approve_article"
PERM_PUBLISH = "articles.publish_article"
PERM_EDITION = "articles.publish_edition"
# Photographers see the copy on the desk to illustrate it; filers add photos
# to their own drafts with the ArticlePhoto permissions alone.
PERM_ILLUSTRATE = "articles.illustrate_article"
PERM_PREVIEW = "articles.preview_article"
PERM_LINK_ACCOUNT = "auth.change_user"
# Who may approve copy at each level of 三审: 初审 any editor, 复审 a desk
# head (部门主任), 终审 the chief or duty chief editor (值班总编).
PERM_REVIEW = {
    ReviewLevel.FIRST: PERM_DESK,
    ReviewLevel.SECOND: "articles.review_second",
    ReviewLevel.FINAL: "articles.review_final",
}
# Log actions that start a new round of review: approvals before them no longer count.
REVIEW_ROUND_STARTS = ("submit", "resubmit", "reopen")

# Copy whose text a role may change, by status. Published copy needs a
# correction note as well (services.save_article).
EDITABLE_BY_FILER = frozenset({S.DRAFT, S.RETURNED})
EDITABLE_BY_DESK = frozenset({S.SUBMITTED, S.APPROVED})
# Copy a photographer may illustrate: what has left its filer for the desk.
ON_THE_DESK = EDITABLE_BY_DESK


# --- who is who -------------------------------------------------------------------


def is_filer(user, article):
    """Return whether user created article or is bylined on it."""
    if not user.is_authenticated or article.pk is None:
        return False
    if article.created_by_id == user.pk:
        return True
    return Byline.objects.filter(article=article, person__user=user).exists()


def is_desk(user):
    return user.has_perm(PERM_EDIT_ANY)


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


# --- copy ---------------------------------------------------------------------------


def visible_articles(user, queryset):
    """Return the copy of queryset that user may see in the newsroom.

    The desk (and whoever may preview any copy) sees everything; filers see
    what they created or are bylined on; photographers also see the copy on
    the desk, to illustrate it (drafts and returned copy stay private to their
    filers).
    """
    if user.is_superuser or is_desk(user) or user.has_perm(PERM_PREVIEW):
        return queryset
    bylined = Exists(Byline.objects.filter(article=OuterRef("pk"), person__user=user))
    visible = Q(created_by=user) | Q(is_bylined=True)
    if user.has_perm(PERM_ILLUSTRATE):
        visible |= Q(status__in=ON_THE_DESK)
    return queryset.alias(is_bylined=bylined).filter(visible)


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


def why_not_review(user, article):
    """Return why user may not approve submitted article at the level it awaits, or None.

    Each level has the roles allowed at it (PERM_REVIEW), and 三审 means three
    people: whoever approved an earlier level of this round gives no other.
    """
    level = article.awaited_level
    if level is None:
        return _("Only submitted copy is reviewed.")
    if not user.has_perm(PERM_REVIEW[level]):
        if level == ReviewLevel.FIRST:
            return _("You may not approve copy: that is the desk's decision.")
        if level == ReviewLevel.SECOND:
            return _("The second review (复审) is given by a desk head (部门主任).")
        return _("The final review (终审) is given by the chief editor.")
    if article.review_level and approved_this_round(user, article):
        return _(
            "You approved this copy at an earlier level; %(level)s is given by someone else."
        ) % {"level": level.label}
    return None


def approved_this_round(user, article):
    """Return whether user approved article at some level since it was last (re)submitted."""
    start = (
        article.transitions.filter(action__in=REVIEW_ROUND_STARTS).order_by("-pk").values("pk")[:1]
    )
    approvals = article.transitions.filter(action="approve", actor=user)
    return approvals.filter(Q(pk__gt=Subquery(start)) | ~Exists(start)).exists()


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
    bylined = Exists(Byline.objects.filter(article=OuterRef("pk"), person__user=user))
    own_drafts = (Q(created_by=user) | Q(is_bylined=True)) & Q(status__in=EDITABLE_BY_FILER)
    allowed = own_drafts
    if user.has_perm(PERM_ILLUSTRATE):
        allowed |= desk_open
    return queryset.alias(is_bylined=bylined).filter(allowed)


# --- photos ---------------------------------------------------------------------------


def is_own_photo(user, photo):
    """Return whether user uploaded photo or is credited for it."""
    if photo.created_by_id == user.pk:
        return True
    return PhotoCredit.objects.filter(photo=photo, person__user=user).exists()


def changeable_photos(user, queryset):
    """Return the photos of queryset that user may describe (caption, alt text, credit)."""
    if not user.has_perm("media.change_photo"):
        return queryset.none()
    if user.is_superuser or is_desk(user):
        return queryset
    credited = Exists(PhotoCredit.objects.filter(photo=OuterRef("pk"), person__user=user))
    return queryset.alias(is_credited=credited).filter(Q(created_by=user) | Q(is_credited=True))


def why_not_change_photo(user, photo):
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


def can_change_photo(user, photo):
    return why_not_change_photo(user, photo) is None


def photo_printed_on(photo):
    """Return the copy that prints photo: (published articles, signed-off editions)."""
    uses = ArticlePhoto.objects.filter(photo=photo).select_related("article__page__edition")
    published, locked = [], []
    for use in uses:
        if use.article.status == S.PUBLISHED:
            published.append(use.article)
        elif edition := locked_edition(use.article):
            locked.append(edition)
    return published, locked


def why_not_delete_photo(user, photo):
    if not user.has_perm("media.delete_photo"):
        return _("You may not delete photos.")
    if ArticlePhoto.objects.filter(photo=photo).exists():
        return _("The photo is used on copy; take it off the copy first.")
    return None


# --- people -------------------------------------------------------------------------------


def why_not_change_person(user, person):
    if person.pk is None:
        return None if user.has_perm("people.add_person") else _("You may not add people.")
    if not user.has_perm("people.change_person"):
        return _("You may not change people's records.")
    return None


def can_link_account(user):
    """Return whether user may link a person to a user account (or unlink one)."""
    return user.has_perm(PERM_LINK_ACCOUNT)


# --- editions and pages -------------------------------------------------------------------


def why_not_change_edition(user, edition):
    if edition.pk is None:
        return None if user.has_perm("articles.add_edition") else _("You may not plan editions.")
    if not user.has_perm("articles.change_edition"):
        return _("You may not change editions.")
    if edition.status == E.SIGNED_OFF:
        return locked_message(edition)
    if edition.status == E.PUBLISHED:
        return published_edition_message(edition)
    return None


def can_change_edition(user, edition):
    return why_not_change_edition(user, edition) is None


def why_not_delete_edition(user, edition):
    if not user.has_perm("articles.delete_edition"):
        return _("You may not delete editions.")
    if reason := why_not_change_edition(user, edition):
        return reason
    if Article.objects.filter(page__edition=edition).exists():
        return _("Copy is placed in this edition; take it off its pages first.")
    return None


def why_not_change_page(user, page, edition=None):
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


def can_change_page(user, page):
    return why_not_change_page(user, page) is None


def why_not_delete_page(user, page):
    if not user.has_perm("articles.delete_page"):
        return _("You may not delete pages.")
    if reason := why_not_change_page(user, page):
        return reason
    if page.articles.exists():
        return _("Copy is placed on this page; take it off the page first.")
    return None


# --- assignments (选题, 派稿) ----------------------------------------------------------------

A = Assignment.Status


def visible_assignments(user, queryset):
    """Return the assignments of queryset user may see.

    The desk sees every one; others the ones they proposed, are assigned to
    as reporters, or are asked to take the pictures for.
    """
    if user.is_superuser or is_desk(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    assigned = Exists(
        Assignment.reporters.through.objects.filter(assignment=OuterRef("pk"), person__user=user)
    )
    return queryset.alias(is_assigned=assigned).filter(
        Q(proposed_by=user) | Q(is_assigned=True) | Q(photographer__user=user)
    )


def can_view_assignment(user, assignment):
    return visible_assignments(user, Assignment.objects.filter(pk=assignment.pk)).exists()


def why_not_change_assignment(user, assignment):
    """Return why user may not change assignment's plan (topic, people, deadline…), or None.

    Whoever proposes a story changes it until the desk decides; the desk
    changes it until it is filed. Declined and filed ones are the record.
    """
    if assignment.pk is None:
        if user.has_perm("articles.add_assignment"):
            return None
        return _("You may not propose stories.")
    if not user.has_perm("articles.change_assignment"):
        return _("You may not change assignments.")
    if assignment.status in (A.DECLINED, A.FILED):
        return _("The assignment is %(status)s: it is kept as it was.") % {
            "status": assignment.get_status_display()
        }
    if user.is_superuser or is_desk(user):
        return None
    if assignment.status == A.PROPOSED and assignment.proposed_by_id == user.pk:
        return None
    if assignment.status == A.PROPOSED:
        return _("Only whoever proposed the story changes it before the desk decides.")
    return _("The story is assigned: only the desk changes the assignment now.")


def can_change_assignment(user, assignment):
    return why_not_change_assignment(user, assignment) is None


def why_not_decide_assignment(user, assignment):
    """Return why user may not accept (assign) or decline a proposed story, or None."""
    if not (user.is_superuser or user.has_perm(PERM_DESK)):
        return _("The desk decides which stories are assigned.")
    if assignment.status != A.PROPOSED:
        return _("The story is %(status)s already.") % {"status": assignment.get_status_display()}
    return None


def why_not_delete_assignment(user, assignment):
    if not user.has_perm("articles.delete_assignment"):
        return _("You may not delete assignments.")
    if assignment.status != A.PROPOSED:
        return _("Only a proposal the desk has not decided on is deleted; decline it instead.")
    if not (user.is_superuser or assignment.proposed_by_id == user.pk):
        return _("Only whoever proposed the story withdraws it.")
    return None


# --- the site's own settings ----------------------------------------------------------------


def why_not_change_site_settings(user):
    if not user.has_perm("articles.change_sitesettings"):
        return _("Only the chief editor changes the site settings.")
    return None
