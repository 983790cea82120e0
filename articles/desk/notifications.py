"""Who is told what: notifications in the admin and by e-mail.

The workflow and the write path call notify() as part of a step, inside its
transaction: the notifications are written with the step and vanish with it
if the step is refused. E-mail leaves once the transaction commits, through
Django's mail settings (the console by default), to each recipient who has an
address and has not turned e-mail off (NotificationSettings). Nobody is told
what they did themselves. The e-mail is a background job
(articles/desk/tasks.py), enqueued with the step: a slow or absent mail
server never holds the click; a failed send is tried again with a growing
wait, and once the retries are spent it is marked failed on the
notification, where its recipient sees it in their list.

The words are put together when a notification is shown or sent, from its
kind, its actor and its objects (message()).
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles import permissions
from articles.models import (
    Article,
    Assignment,
    Byline,
    Notification,
    NotificationSettings,
    ReviewLevel,
)
from newsroom.background import enqueue_on_commit
from people.models import name_of

K = Notification.Kind
logger = logging.getLogger(__name__)


# --- who ---------------------------------------------------------------------------


def filers(*articles):
    """Return the users who filed these articles: their creators and the bylined."""
    User = get_user_model()
    ids = [article.pk for article in articles]
    bylined = Byline.objects.filter(article__in=ids, person__user__isnull=False)
    return list(
        User.objects.filter(is_active=True).filter(
            Q(pk__in=Article.objects.filter(pk__in=ids).values("created_by"))
            | Q(pk__in=bylined.values("person__user"))
        )
    )


def first_reviewers(article):
    """Who gives article's copy its 初审: its section's editors, or every editor if none is named."""
    User = get_user_model()
    if article.section_id:
        named = User.objects.filter(is_active=True, person__in=article.section.editors.values("pk"))
        if named.exists():
            return list(named)
    return permissions.reviewers_at(ReviewLevel.FIRST)


# --- telling them ----------------------------------------------------------------------


def notify(kind, recipients, *, actor, article=None, level=None, note="", **objects):
    """Tell recipients (but not actor) what happened; e-mail them once the step commits."""
    return _write(
        _rows(kind, recipients, actor, article=article, level=level, note=note, **objects)
    )


def notify_each(kind, recipients_by_article, *, actor):
    """Tell each article's recipients the same kind of news, in one write."""
    rows = []
    for article, recipients in recipients_by_article:
        rows += _rows(kind, recipients, actor, article=article)
    return _write(rows)


def _subject(fields):
    """What a notification is about, as it reads now: kept with it (Notification.subject)."""
    for name in ("article", "assignment"):
        if fields.get(name) is not None:
            return str(fields[name])[:200]
    return ""


def _rows(kind, recipients, actor, *, note="", **fields):
    seen, rows = set(), []
    subject = _subject(fields)
    for user in recipients:
        if user is None or user.pk in seen or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                actor=actor,
                note=note[:2000],
                subject=subject,
                **fields,
            )
        )
    return rows


def _unmuted(rows):
    """rows, less those of a kind their recipient turned off (one query for them all)."""
    ids = {row.recipient_id for row in rows}
    muted = {
        (user, kind)
        for user, kinds in NotificationSettings.objects.filter(user__in=ids)
        .exclude(muted_kinds=[])
        .values_list("user_id", "muted_kinds")
        for kind in kinds
    }
    return [row for row in rows if (row.recipient_id, row.kind) not in muted]


def _write(rows):
    rows = _unmuted(rows) if rows else rows
    if not rows:
        return []
    rows = Notification.objects.bulk_create(rows)
    # Whether each still wants e-mail is asked by the job (no query per recipient here).
    emailed = [row.pk for row in rows if row.recipient.email]
    if emailed:
        from articles.desk.tasks import send_notification_emails

        enqueue_on_commit(send_notification_emails, emailed)
    return rows


def wants_email(user):
    """Return whether user has an address and has not turned e-mail off."""
    if not user.email:
        return False
    try:
        return user.notification_settings.email
    except NotificationSettings.DoesNotExist:
        return True


def send_emails(ids):
    """E-mail the notifications ids to those who want e-mail, each once; the job's work.

    A notification already e-mailed is not sent again (a job run twice). A
    send that fails is noted on its notification (email_error) and the
    others are sent all the same; then the first failure is raised, for the
    job to be tried again later (the ones sent are skipped then).
    """
    pending = (
        Notification.objects.filter(pk__in=ids, emailed_at=None, email_failed_at=None)
        .select_related(
            "recipient__notification_settings", "actor__person", *LINKED, "recipient__person"
        )
        .order_by("pk")
    )
    failure = None
    with translation.override(settings.LANGUAGE_CODE):
        for notification in pending:
            if not wants_email(notification.recipient) or not may_see(notification):
                continue
            text = message(notification)
            url = absolute(link(notification))
            body = "\n\n".join(
                part
                for part in [
                    _("Hello %(name)s,") % {"name": name_of(notification.recipient)},
                    text,
                    notification.note and f"“{notification.note}”",
                    url and _("Open it in the newsroom: %(url)s") % {"url": url},
                    _(
                        "You get this because you work on this copy. Turn e-mail off under "
                        "“Notifications” in the newsroom."
                    ),
                ]
                if part
            )
            try:
                send_mail(
                    f"[{settings.NEWSPAPER_NAME}] {text}",
                    body,
                    None,
                    [notification.recipient.email],
                )
            except (OSError, smtplib.SMTPException) as error:
                logger.warning("Notification %s not e-mailed: %s", notification.pk, error)
                Notification.objects.filter(pk=notification.pk).update(email_error=_why(error))
                failure = failure or error
                continue
            Notification.objects.filter(pk=notification.pk).update(
                emailed_at=timezone.now(), email_error=""
            )
    if failure is not None:
        raise failure


def _why(error):
    return (f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)[:500]


def email_given_up(error, ids, **_kwargs):
    """Mark the notifications ids whose e-mail never left as failed, for their recipients to see."""
    Notification.objects.filter(pk__in=ids, emailed_at=None, email_failed_at=None).exclude(
        email_error=""
    ).update(email_failed_at=timezone.now())


def absolute(path):
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL and path else path


# --- what it says ----------------------------------------------------------------------

# The objects a notification may be about, loaded with it for the list and the e-mail.
LINKED = ["article", "assignment"]


def link(notification):
    """Return the admin page the notification is about."""
    if notification.article_id:
        url = reverse("admin:articles_article_change", args=[notification.article_id])
        return f"{url}#comments" if notification.kind == K.COMMENTED else url
    if notification.assignment_id:
        return reverse("admin:articles_assignment_change", args=[notification.assignment_id])
    return reverse("admin:articles_notification_changelist")


def may_see(notification):
    """Return whether its recipient may still see what notification is about."""
    user = notification.recipient
    if notification.article_id:
        return permissions.can_view_article(user, notification.article)
    if notification.assignment_id:
        return permissions.can_view_assignment(user, notification.assignment)
    return True


def with_visibility(queryset, user):
    """Annotate user's notifications with is_visible: may they still see what each is about?"""
    visible_articles = permissions.visible_articles(
        user, Article.objects.filter(pk=OuterRef("article_id"))
    )
    visible_assignments = permissions.visible_assignments(
        user, Assignment.objects.filter(pk=OuterRef("assignment_id"))
    )
    return queryset.annotate(
        is_visible=Case(
            When(article__isnull=False, then=Exists(visible_articles)),
            When(assignment__isnull=False, then=Exists(visible_assignments)),
            default=Value(True),
            output_field=BooleanField(),
        )
    )


# Quotation marks inside quotation marks: “…‘…’…” (GB/T 15834).
INNER = str.maketrans({"“": "‘", "”": "’"})


def quoted(text):
    """text made ready to go inside “…”: its own double quotes become single ones.

    Curly quotes turn into their single forms; straight ones ("…") into
    ‘ and ’ by turns, as they open and close.
    """
    text = text.translate(INNER)
    parts = text.split('"')
    return "".join(
        part + ("" if i == len(parts) - 1 else "‘" if i % 2 == 0 else "’")
        for i, part in enumerate(parts)
    )


def kind_label(notification):
    """What kind of news it is; an approval names its level (初审通过)."""
    if notification.kind == K.APPROVED and notification.level:
        return _("%(level)s passed") % {"level": ReviewLevel(notification.level).label}
    if notification.kind == K.REVIEW and notification.level:
        return _("awaiting your %(level)s") % {"level": ReviewLevel(notification.level).label}
    return notification.get_kind_display()


def message(notification, *, visible=True):
    """Return what happened, in the current language, as it read when it was sent.

    About copy (or a story) the reader may no longer see, it says only that
    there was something: neither its headline nor its text.
    """
    if not visible:
        return _("A notification about copy you may no longer see.")
    words = {
        "actor": name_of(notification.actor) or _("Someone"),
        "article": quoted(notification.subject) if notification.article_id else "",
        "level": ReviewLevel(notification.level).label if notification.level else "",
        "topic": quoted(notification.subject) if notification.assignment_id else "",
    }
    texts = {
        K.RETURNED: _("%(actor)s returned “%(article)s” to you."),
        K.APPROVED: _("%(actor)s passed “%(article)s” at %(level)s."),
        K.REVIEW: _("“%(article)s” awaits your %(level)s."),
        K.COMMENTED: _("%(actor)s commented on “%(article)s”."),
        K.PUBLISHED: _("“%(article)s” is published."),
        K.WITHDRAWN: _("%(actor)s withdrew “%(article)s” from publication."),
        K.ASSIGNED: _("%(actor)s assigned you “%(topic)s”."),
        K.PROPOSAL_ACCEPTED: _("%(actor)s took your proposal “%(topic)s”."),
        K.PROPOSAL_DECLINED: _("%(actor)s did not take your proposal “%(topic)s”."),
        K.CHANGED: _("%(actor)s changed “%(article)s” after you approved it."),
    }
    return texts.get(notification.kind, notification.get_kind_display()) % words
