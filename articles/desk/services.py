"""The desk's write path: comments (批注), assignments (选题, 派稿), notifications read."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import permissions
from articles.copy.services import Credit, save_article
from articles.desk import notifications
from articles.models import (
    Article,
    Assignment,
    Byline,
    Comment,
    Notification,
    NotificationSettings,
    Page,
)
from articles.permissions import Refused, refuse_unless
from articles.versions import bump, check_version

S = Article.Status

# --- comments (批注) -------------------------------------------------------------------

COMMENT_MAX = 2000


def add_comment(article, *, user, text, parent=None):
    """Comment on article as user (or reply to parent), on the revision it is at now.

    A reply joins the thread of the comment it answers. The filers and the
    others in the thread are told.
    """
    text = text.strip()
    with transaction.atomic():
        article = Article.objects.select_related("section").get(pk=article.pk)
        refuse_unless(permissions.why_not_comment(user, article))
        if not text:
            raise Refused(_("Write the comment first."), "comment")
        if len(text) > COMMENT_MAX:
            raise Refused(
                _("A comment is at most %(max)s characters long.") % {"max": COMMENT_MAX},
                "comment",
            )
        if parent is not None:
            if parent.article_id != article.pk:
                raise Refused(_("That comment is on other copy."))
            parent = parent.parent or parent
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            revision=article.revisions.order_by("-number").first(),
            text=text,
            created_by=user,
        )
        thread = []
        if parent is not None:
            thread = [
                parent.created_by,
                *(r.created_by for r in parent.replies.select_related("created_by")),
            ]
        notifications.notify(
            Notification.Kind.COMMENTED,
            [*notifications.filers(article), *thread],
            actor=user,
            article=article,
            comment=comment,
            note=text,
        )
        return comment


# --- assignments (选题, 派稿) ------------------------------------------------------------

# What the desk's decision and the copy's progress set; a form never writes them.
ASSIGNMENT_WORKFLOW_FIELDS = [
    "status",
    "article",
    "proposed_by",
    "decided_by",
    "decided_at",
    "decision_note",
    "filed_at",
]


def _check_planned_page(assignment):
    if assignment.page_id is None:
        return
    page = Page.objects.select_related("edition").get(pk=assignment.page_id)
    if assignment.edition_id is None:
        assignment.edition = page.edition
    elif assignment.edition_id != page.edition_id:
        raise Refused(_("%(page)s is not a page of the planned edition.") % {"page": page}, "page")


def save_assignment(assignment, *, user, reporters=None, base_version=None):
    """Save an assignment's plan as user: a new one is a proposal (报题) by user.

    reporters (People), when given, replace the assignment's reporters.
    """
    with transaction.atomic():
        current = None
        if assignment.pk is None:
            refuse_unless(permissions.why_not_change_assignment(user, assignment))
            for name in ASSIGNMENT_WORKFLOW_FIELDS:
                field = Assignment._meta.get_field(name)
                setattr(assignment, field.attname, field.get_default())
            assignment.proposed_by = user
        else:
            current = Assignment.objects.select_for_update().get(pk=assignment.pk)
            refuse_unless(permissions.why_not_change_assignment(user, current))
            check_version(current, base_version)
            for name in ASSIGNMENT_WORKFLOW_FIELDS:
                attname = Assignment._meta.get_field(name).attname
                setattr(assignment, attname, getattr(current, attname))
            assignment.version = current.version
        _check_planned_page(assignment)
        assignment.save()
        if reporters is not None:
            assignment.reporters.set(reporters)
        if current is not None:
            bump(Assignment, assignment)
        return assignment


def _lock_assignment(assignment):
    return Assignment.objects.select_for_update().get(pk=assignment.pk)


def accept_assignment(assignment, *, user, note=""):
    """Assign a proposed story (派稿): create its draft, bylined to its reporters, and tell them.

    The draft is filed by the first reporter with an account, so that it is
    theirs to write; its working headline is the topic.
    """
    with transaction.atomic():
        current = _lock_assignment(assignment)
        refuse_unless(permissions.why_not_decide_assignment(user, current))
        reporters = list(current.reporters.select_related("user").order_by("name", "pk"))
        if not reporters:
            raise Refused(_("Name the reporter who writes the story first."), "reporters")
        photographer = current.photographer

        credits = [Credit(person, Byline.Role.REPORTER) for person in reporters]
        if photographer is not None and photographer not in reporters:
            credits.append(Credit(photographer, Byline.Role.PHOTOGRAPHER))
        draft = Article(
            kind=Article.Kind.NEWS,
            headline=current.topic,
            source="本报讯",
            section=current.section,
        )
        save_article(
            draft,
            user=user,
            bylines=credits,
            filer=next((p.user for p in reporters if p.user_id), None),
            note=_("Assigned: %(topic)s") % {"topic": current.topic},
        )
        current.status = Assignment.Status.ACCEPTED
        current.article = draft
        current.decided_by, current.decided_at = user, timezone.now()
        current.decision_note = note.strip()
        current.save()
        bump(Assignment, current)
        assigned = [p.user for p in reporters if p.user_id]
        if photographer is not None and photographer.user_id:
            assigned.append(photographer.user)
        notifications.notify(
            Notification.Kind.ASSIGNED,
            assigned,
            actor=user,
            article=draft,
            assignment=current,
            note=current.decision_note,
        )
        if current.proposed_by_id and current.proposed_by_id not in {u.pk for u in assigned}:
            notifications.notify(
                Notification.Kind.PROPOSAL_ACCEPTED,
                [current.proposed_by],
                actor=user,
                article=draft,
                assignment=current,
            )
        return current


def decline_assignment(assignment, *, user, note):
    """Decline a proposed story, saying why; whoever proposed it is told."""
    with transaction.atomic():
        current = _lock_assignment(assignment)
        refuse_unless(permissions.why_not_decide_assignment(user, current))
        if not note.strip():
            raise Refused(_("Say why the story is not taken."), "decision_note")
        current.status = Assignment.Status.DECLINED
        current.decided_by, current.decided_at = user, timezone.now()
        current.decision_note = note.strip()
        current.save()
        bump(Assignment, current)
        notifications.notify(
            Notification.Kind.PROPOSAL_DECLINED,
            [current.proposed_by],
            actor=user,
            assignment=current,
            note=current.decision_note,
        )
        return current


def delete_assignment(assignment, *, user):
    with transaction.atomic():
        current = _lock_assignment(assignment)
        refuse_unless(permissions.why_not_delete_assignment(user, current))
        current.delete()


# --- notifications ---------------------------------------------------------------------


def mark_read(user, items=None):
    """Mark user's notifications (items, or all unread ones) as read."""
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if items is not None:
        unread = unread.filter(pk__in=[n.pk for n in items])
    return unread.update(read_at=timezone.now())


def save_notification_settings(user, *, email, muted_kinds=None):
    """Turn e-mail notifications on or off for user (only their own), and, when
    muted_kinds is given, the kinds of news they no longer want."""
    if not user.is_authenticated:
        raise Refused(_("Log in to change how you are notified."))
    defaults = {"email": bool(email)}
    if muted_kinds is not None:
        kinds = set(Notification.Kind.values)
        defaults["muted_kinds"] = sorted({kind for kind in muted_kinds if kind in kinds})
    row, _created = NotificationSettings.objects.update_or_create(user=user, defaults=defaults)
    return row
