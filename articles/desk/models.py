"""The desk: the workflow's log, assignments (选题, 派稿), comments (批注), notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.copy.models import Article
from articles.desk.levels import ReviewLevel
from articles.editions.models import Edition
from newsroom.fields import actor_field, version_field
from people.models import Person


class DeskQueue(Article):
    """Submitted copy waiting for the desk, oldest first (a view of Article)."""

    class Meta:
        proxy = True
        verbose_name = _("desk queue item")
        verbose_name_plural = _("desk queue")


# Steps that leave the status as it was, by what they did.
STEPS_IN_PLACE = {
    "place": _("placed on a page"),
    "unplace": _("taken off its page"),
    "file_on_page": _("filed on its page by the import"),
    "schedule": _("scheduled"),
    "unschedule": _("schedule cancelled"),
}


# Every step the log records, by the name the newsroom calls it (its filter, its list).
STEP_NAMES = {
    "submit": pgettext_lazy("workflow step", "submit"),
    "unsubmit": pgettext_lazy("workflow step", "withdraw submission"),
    "return": pgettext_lazy("workflow step", "return"),
    "resubmit": pgettext_lazy("workflow step", "resubmit"),
    "approve": pgettext_lazy("workflow step", "approve"),
    "review_again": pgettext_lazy("workflow step", "review again after a change"),
    "reopen": pgettext_lazy("workflow step", "reopen"),
    "spike": pgettext_lazy("workflow step", "spike"),
    "publish_now": pgettext_lazy("workflow step", "publish on the web"),
    "withdraw": pgettext_lazy("workflow step", "withdraw from publication"),
    "place": pgettext_lazy("workflow step", "place on a page"),
    "unplace": pgettext_lazy("workflow step", "take off a page"),
    "file_on_page": pgettext_lazy("workflow step", "filed on a page by an import"),
    "publish_with_edition": pgettext_lazy("workflow step", "published with its edition"),
    "sign_off": pgettext_lazy("workflow step", "sign off an edition"),
    "schedule": pgettext_lazy("workflow step", "schedule an edition"),
    "unschedule": pgettext_lazy("workflow step", "cancel a schedule"),
    "publish": pgettext_lazy("workflow step", "publish an edition"),
}


class TransitionLog(models.Model):
    """One workflow step of an article or an edition: who, when, from, to, why."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transitions",
    )
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transitions",
    )
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=16)
    to_status = models.CharField(_("to"), max_length=16)
    level = models.PositiveSmallIntegerField(
        _("review level"), choices=ReviewLevel.choices, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    actor = actor_field(_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transition log")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False, edition__isnull=True)
                | Q(article__isnull=True, edition__isnull=False),
                name="transition_of_article_or_edition",
            ),
        ]

    def __str__(self):
        if self.level:
            return _("%(level)s passed") % {"level": ReviewLevel(self.level).label}
        if self.from_status == self.to_status and self.action in STEPS_IN_PLACE:
            return str(STEPS_IN_PLACE[self.action])
        states = Edition.Status if self.edition_id else Article.Status
        return f"{states(self.from_status).label} → {states(self.to_status).label}"


class Submission(models.Model):
    """One round of review (三审) of a piece of copy, and what it needs, fixed when it was submitted.

    The levels the round needs are the section's when the copy was
    submitted; a later change of section or of the section's levels never
    lowers them (moving the copy to a section with more levels raises them).
    A round ends when the copy is returned, its submission withdrawn, it is
    reopened (a new round starts) or spiked; publication keeps it as the
    record of what was published.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="submissions"
    )
    section = models.ForeignKey(
        "articles.Section",
        verbose_name=_("section when submitted"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    levels = models.PositiveSmallIntegerField(
        _("review levels needed"), help_text=_("Fixed when submitted; never lowered.")
    )
    submitted_by = actor_field(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    closed_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["article", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(levels__gte=1, levels__lte=3), name="submission_levels_1_to_3"
            ),
            # One open round per article.
            models.UniqueConstraint(
                fields=["article"], condition=Q(closed_at=None), name="one_open_submission"
            ),
        ]

    def __str__(self):
        return _("Submission of %(article)s") % {"article": self.article}


class Approval(models.Model):
    """One level of a round's review, given by one person, to one revision of the copy.

    An approval stands as given: the approver held the level's role then,
    and the revision says what they approved. A change of approved copy that
    needs review again (a new headline, section, byline or photo, by someone
    other than the final approver) sets voided_at on the final level's
    approval, and the copy awaits that level again.
    """

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="approvals"
    )
    level = models.PositiveSmallIntegerField(_("review level"), choices=ReviewLevel.choices)
    approver = actor_field(_("approved by"))
    at = models.DateTimeField(_("approved at"), default=timezone.now)
    revision = models.ForeignKey(
        "articles.Revision",
        verbose_name=_("revision approved"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    voided_at = models.DateTimeField(_("no longer counts since"), null=True, blank=True)
    voided_by = actor_field(_("changed by"))

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["submission", "level", "at", "pk"]
        constraints = [
            # A level is given once per round, until a change voids it.
            models.UniqueConstraint(
                fields=["submission", "level"],
                condition=Q(voided_at=None),
                name="one_standing_approval_per_level",
            ),
        ]

    def __str__(self):
        return _("%(level)s passed") % {"level": ReviewLevel(self.level).label}


class ChangeAfterApproval(models.Model):
    """A change to approved copy, recorded against the approvals it was made after.

    Kept with what it changed and whether it needed review again, so that
    the approvers' notice and the history never recompute it.
    """

    class Kind(models.TextChoices):
        WORDING = "wording", _("correction of wording")
        REVIEW = "review", _("change that needs review again")

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="changes"
    )
    revision = models.ForeignKey(
        "articles.Revision",
        verbose_name=_("revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    changed = models.JSONField(_("what changed"), default=list)
    changed_by = actor_field(_("changed by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("change after approval")
        verbose_name_plural = _("changes after approval")
        ordering = ["submission", "at", "pk"]

    def __str__(self):
        return self.get_kind_display()


class AssignmentQuerySet(models.QuerySet):
    OPEN = ("proposed", "accepted")

    def open(self):
        """Return the assignments not yet filed, declined or done."""
        return self.filter(status__in=self.OPEN)

    def overdue(self, now=None):
        """Return the open assignments whose deadline has passed."""
        return self.open().filter(deadline__lt=now or timezone.now())


class Assignment(models.Model):
    """A story planned: proposed by a reporter (报题) or assigned by the desk (派稿).

    Accepting it (services.accept_assignment) creates the draft it is filed
    as; submitting that draft marks it filed.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("assigned")
        DECLINED = "declined", _("declined")
        FILED = "filed", _("filed")

    topic = models.CharField(
        _("topic"), max_length=200, help_text=_("选题: what the story is, in one line.")
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("The angle, whom to talk to, what the desk wants.")
    )
    section = models.ForeignKey(
        "articles.Section",
        verbose_name=_("section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    reporters = models.ManyToManyField(
        Person, verbose_name=_("reporters"), related_name="assignments", blank=True
    )
    photographer = models.ForeignKey(
        Person,
        verbose_name=_("photographer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photo_assignments",
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    target_chars = models.PositiveIntegerField(
        _("target length"), null=True, blank=True, help_text=_("字数 the desk wants.")
    )
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("planned edition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    page = models.ForeignKey(
        "articles.Page",
        verbose_name=_("planned page"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    article = models.OneToOneField(
        Article,
        verbose_name=_("draft"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="assignment",
    )
    proposed_by = actor_field(_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = actor_field(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("desk's note"), blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["deadline", "-pk"]

    def __str__(self):
        return self.topic

    def is_overdue(self, now=None):
        return (
            self.status in AssignmentQuerySet.OPEN
            and self.deadline is not None
            and self.deadline < (now or timezone.now())
        )


class Comment(models.Model):
    """A note on copy (批注), or a reply to one; seen in the newsroom by those who see the copy.

    It is kept with the revision of the copy it was written on, so that a
    reader can tell whether the copy changed since.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    revision = models.ForeignKey(
        "articles.Revision",
        verbose_name=_("written on revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    text = models.TextField(_("comment"))
    created_by = actor_field(_("by"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:40]


class Notification(models.Model):
    """Something a person in the newsroom should know: shown in the admin, sent by e-mail.

    What happened is kept as its kind, its actor, its objects and what they
    were called then (subject); the words are put together when it is shown
    (articles/desk/notifications.py), in the reader's language, and only
    while the reader may still see what it is about.
    """

    class Kind(models.TextChoices):
        RETURNED = "returned", _("copy returned")
        APPROVED = "approved", _("copy approved at a level")
        REVIEW = "review", _("copy awaiting your review")
        COMMENTED = "commented", _("comment on copy")
        PUBLISHED = "published", _("copy published")
        WITHDRAWN = "withdrawn", _("copy withdrawn")
        ASSIGNED = "assigned", _("story assigned")
        PROPOSAL_ACCEPTED = "proposal_accepted", _("proposal accepted")
        PROPOSAL_DECLINED = "proposal_declined", _("proposal declined")
        CHANGED = "changed", _("approved copy changed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = actor_field(_("by"))
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    level = models.PositiveSmallIntegerField(
        _("review level"), choices=ReviewLevel.choices, null=True, blank=True
    )
    # What it was about as it read when it was sent (the copy's title, the
    # story's topic): a later rename does not rewrite what people were told.
    subject = models.CharField(_("about"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # Why its e-mail did not leave, the last time it was tried (a retry may
    # still send it: then this is cleared); email_failed_at once no more
    # retries are left (articles/desk/tasks.py).
    email_error = models.CharField(_("why the e-mail failed"), max_length=500, blank=True)
    email_failed_at = models.DateTimeField(_("e-mail given up at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The header's count of unread ones and the list, newest first.
            models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox"),
        ]

    def __str__(self):
        return self.get_kind_display()


class NotificationSettings(models.Model):
    """How one user wants to be told: in the admin always, by e-mail unless turned off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    email = models.BooleanField(
        _("send notifications by e-mail"),
        default=True,
        help_text=_("They are always listed in the newsroom's admin as well."),
    )
    # The kinds of news the person turned off (Notification.Kind values):
    # neither listed nor e-mailed from then on.
    muted_kinds = models.JSONField(_("kinds turned off"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.user)
