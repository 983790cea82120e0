"""The desk: who takes which workflow step, who reviews at which level, assignments, panels.

Copy passes the review levels of its section (三审) in order, each level
given by a role allowed at it and by a person who gave no other level of the
same round. Whoever proposes a story changes it until the desk decides; the
desk assigns and declines, and changes the assignment until it is filed.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from articles.desk import review
from articles.desk.levels import ReviewLevel
from articles.models import Assignment
from articles.permissions.base import (
    PERM_ADD,
    PERM_DESK,
    PERM_EDITION,
    PERM_ILLUSTRATE,
    PERM_PUBLISH,
    PERM_REVIEW,
    is_author,
    is_desk,
)

A = Assignment.Status

# Who may take a workflow step: the article's filer, the desk (editors), the
# reviewer of the level the copy awaits, or those who may publish and
# withdraw (editors too; the distinction keeps roles open).
FILER, DESK, REVIEWER, PUBLISHER = "filer", "desk", "reviewer", "publisher"


def may_act_as(user, who, article):
    """Return whether user may take a step that belongs to who (FILER, DESK…) on article."""
    if who == FILER:
        return user.is_superuser or is_author(user, article)
    if who == DESK:
        return user.has_perm(PERM_DESK)
    if who == REVIEWER:
        return why_not_review(user, article) is None
    return user.has_perm(PERM_PUBLISH)


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
    if review.approved_other_level(user, article, level):
        return _("You approved this copy at another level; %(level)s is given by someone else.") % {
            "level": level.label
        }
    return None


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


def may_plan_placement(user):
    """Return whether user says where a story runs (its planned edition and page)."""
    return is_desk(user)


# --- the 工作台: which panels a person's day has --------------------------------------


def works_the_desk(user):
    return is_desk(user)


def files_copy(user):
    """Return whether user files copy of their own (reporters, correspondents)."""
    return not is_desk(user) and user.has_perm(PERM_ADD)


def illustrates_copy(user):
    """Return whether user illustrates the desk's copy (photographers)."""
    return not is_desk(user) and user.has_perm(PERM_ILLUSTRATE)


def runs_editions(user):
    return user.has_perm(PERM_EDITION)


# django-axes' backend comes first and grants nothing; permissions are the model backend's.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def reviewers_at(level):
    """Return the people whose level of review this is: allowed at it, not at the one above.

    复审 is the desk heads' to give, though the chief editor may; the chief
    is told when 终审 is due. Superusers are left out: they see everything.
    """

    def allowed(level):
        return get_user_model().objects.with_perm(
            PERM_REVIEW[level], include_superusers=False, backend=MODEL_BACKEND
        )

    level = ReviewLevel(level)
    users = allowed(level)
    if level < ReviewLevel.FINAL:
        users = users.exclude(pk__in=allowed(ReviewLevel(level + 1)).values("pk"))
    return list(users)
