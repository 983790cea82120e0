"""Editions (one day's paper) and their pages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from articles.fields import page_pdf_name
from newsroom.fields import actor_field, version_field
from newsroom.models import JobState
from people.models import Person


class EditionQuerySet(models.QuerySet["Edition"]):
    def published(self):
        """Return the editions a reader may see."""
        return self.filter(status=Edition.Status.PUBLISHED, published_at__lte=timezone.now())


class Edition(models.Model):
    """One day's paper."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("planning")
        SIGNED_OFF = "signed_off", _("signed off")
        PUBLISHED = "published", _("published")

    date = models.DateField(_("date"), unique=True)
    number = models.PositiveIntegerField(
        _("number"), unique=True, null=True, blank=True, help_text=_("The running number, 第N期.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNING
    )
    signed_off_by = actor_field(_("signed off by"))
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    scheduled_at = models.DateTimeField(
        _("scheduled for"),
        null=True,
        blank=True,
        help_text=_("When a signed-off edition is published by its background job."),
    )
    scheduled_by = actor_field(_("scheduled by"))
    # Why the job that was to publish it at scheduled_at could not (the
    # preflight found a problem): shown on the planner and the 工作台;
    # cleared when the chief schedules, publishes or reopens it again.
    publish_error = models.CharField(_("why it was not published"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = actor_field(_("published by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-date"]
        permissions = [("publish_edition", _("Can sign off, schedule and publish editions"))]
        indexes = [models.Index(fields=["status", "scheduled_at"], name="edition_status_scheduled")]

    def __str__(self):
        date = formats.date_format(self.date, "DATE_FORMAT")
        if self.number:
            return _("%(date)s, No. %(number)s") % {"date": date, "number": self.number}
        return date

    def get_absolute_url(self):
        return reverse("articles:edition", args=[self.date])

    @property
    def is_public(self):
        """Whether readers may see it now: what EditionQuerySet.published() selects."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class Page(models.Model):
    """A numbered page of an edition (第1版 要闻)."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="pages"
    )
    number = models.PositiveSmallIntegerField(_("page number"))
    name = models.CharField(
        _("page name"), max_length=32, blank=True, help_text=_("版名, e.g. 要闻.")
    )
    editor = models.ForeignKey(
        Person,
        verbose_name=_("page editor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="edited_pages",
        help_text=_("责任编辑, the editor responsible for the page."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("字数 the page holds, to plan and place copy against."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()
    # The printed page as the layout system exports it, and its web pictures
    # (articles/epaper/). Stored under unguessable names and served only
    # through the e-paper's views, which check that the edition is published.
    pdf = models.FileField(
        _("page PDF"),
        upload_to=page_pdf_name,
        blank=True,
        max_length=200,
        help_text=_("The printed page as one PDF page, with its text layer."),
    )
    facsimile = models.JSONField(
        _("facsimile"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("The page's web pictures: size of the page and each rendition's file."),
    )
    # A page PDF being drawn and located in the background (articles/epaper/
    # pages.py, its job in articles/epaper/tasks.py): the file waits here until
    # its job is done, then replaces `pdf`, its pictures and its zones at once.
    pdf_pending = models.FileField(
        _("page PDF being processed"),
        upload_to=page_pdf_name,
        blank=True,
        max_length=200,
        editable=False,
    )
    pdf_job = models.CharField(
        _("PDF processing"),
        max_length=16,
        choices=JobState.choices,
        blank=True,
        editable=False,
        db_index=True,
    )
    pdf_job_error = models.TextField(_("why the PDF failed"), blank=True, editable=False)
    pdf_job_progress = models.PositiveSmallIntegerField(
        _("PDF progress (%)"), default=0, editable=False
    )
    # The editor who submitted it: the job changes the page only while that
    # editor still may (the edition may be signed off meanwhile).
    pdf_job_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("PDF submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # What the job is keyed by: the SHA-256 of the pending PDF. A job for
    # another digest is out of date and does nothing.
    pdf_job_digest = models.CharField(max_length=64, blank=True, editable=False)
    # The background job that took it on (its task result id), when, and how
    # many times a job has taken it on (a job that loses its worker again and
    # again is failed, not taken on for ever).
    pdf_job_claim = models.CharField(max_length=64, blank=True, editable=False)
    pdf_job_at = models.DateTimeField(_("PDF processing changed at"), null=True, editable=False)
    pdf_job_attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="unique_page_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="page_number_positive"),
        ]

    def __str__(self):
        label = _("Page %(number)s") % {"number": self.number}
        return f"{self.edition.date:%Y-%m-%d} {label} {self.name}".rstrip()

    def get_absolute_url(self):
        return reverse("articles:edition-page", args=[self.edition.date, self.number])

    @property
    def has_facsimile(self):
        return bool(self.pdf and self.facsimile.get("renditions"))

    def facsimile_url(self, name):
        """Return the public URL of one of the page's pictures (or its PDF)."""
        return reverse("articles:edition-page-file", args=[self.edition.date, self.number, name])

    @property
    def renditions(self):
        """The page pictures, widest last, each with its URL (for srcset)."""
        return [
            {**item, "url": self.facsimile_url(item["name"])}
            for item in sorted(self.facsimile.get("renditions", []), key=lambda item: item["width"])
            if item.get("kind") == "page"
        ]

    @property
    def thumbnail(self):
        thumb = next(
            (r for r in self.facsimile.get("renditions", []) if r.get("kind") == "thumbnail"),
            None,
        )
        return {**thumb, "url": self.facsimile_url(thumb["name"])} if thumb else None

    @property
    def pdf_url(self):
        return self.facsimile_url(self.pdf_download_name) if self.pdf else ""

    @property
    def pdf_download_name(self):
        return f"{self.edition.date:%Y%m%d}-{self.number:02d}.pdf"


class PageImport(models.Model):
    """A page's text to be imported by a background job, and how it went.

    The import's own page (admin, 导入版面) shows its progress, then what it
    wrote and where the reading was a guess, or why it failed: a failed
    import wrote nothing (articles/editions/imports.py).
    """

    text = models.TextField(_("page text"))
    date = models.DateField(_("edition date"))
    number = models.PositiveSmallIntegerField(_("page number"))
    name = models.CharField(_("page name"), max_length=32, blank=True)
    requested_by = actor_field(_("imported by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=16, choices=JobState.choices, default=JobState.WAITING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("why it failed"), blank=True)
    # What it wrote: the page, counts of copy created, updated, kept, and the warnings.
    result = models.JSONField(_("result"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("page import")
        verbose_name_plural = _("page imports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.number}"
