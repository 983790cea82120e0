import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from media.models import Photo
from newsroom.fields import actor_field, version_field
from newsroom.models import JobState
from people.models import Person

from .bodytext import caption_title, count_chars, split_paragraphs


class ReviewLevel(models.IntegerChoices):
    """The levels of 三审, in the order copy passes them."""

    FIRST = 1, _("first review")
    SECOND = 2, _("second review")
    FINAL = 3, _("final review")


class Section(models.Model):
    """A part of the paper and the site (要闻, 综合, 教育…)."""

    class ReviewLevels(models.IntegerChoices):
        """How many approvals the section's copy needs before it counts as approved."""

        ONE = 1, _("one level: first review")
        TWO = 2, _("two levels: first and second review")
        THREE = 3, _("three levels: first, second and final review (三审)")

    name = models.CharField(_("name"), max_length=32, unique=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True, allow_unicode=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.TextField(_("description"), blank=True)
    review_levels = models.PositiveSmallIntegerField(
        _("review levels"),
        choices=ReviewLevels.choices,
        default=ReviewLevels.ONE,
        help_text=_(
            "How many approvals the section's copy needs: 初审 by an editor, 复审 by a desk "
            "head, 终审 by the chief editor."
        ),
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_levels__gte=1, review_levels__lte=3),
                name="section_review_levels_1_to_3",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])


class EditionQuerySet(models.QuerySet):
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
        help_text=_("When a signed-off edition is published by publish_scheduled."),
    )
    scheduled_by = actor_field(_("scheduled by"))
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


def page_pdf_name(page, filename):
    """Name a page PDF so that nobody can guess it before its edition is published."""
    return f"epaper/{secrets.token_urlsafe(18)}/page.pdf"


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


class TaggedArticle(TaggedItemBase):
    """The article-tag link, with a real foreign key so tag pages can use an index."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("article tag")
        verbose_name_plural = _("article tags")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag"),
        ]

    def __str__(self):
        return str(self.tag)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Return the articles a reader may see: published, due, not withdrawn.

        Every public view, feed, sitemap, search and API call starts here.
        """
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def withdrawn(self, since=None):
        """Return copy taken down after it was public (at or after since, if given).

        Readers get 410 Gone for it, and API clients syncing get it as canceled.
        """
        queryset = self.filter(
            status=Article.Status.WITHDRAWN,
            withdrawn_at__isnull=False,
            published_at__isnull=False,
        )
        return queryset.filter(withdrawn_at__gte=since) if since is not None else queryset


class Article(models.Model):
    """A piece of copy: a story, a brief, a commentary or a photo news item."""

    class Kind(models.TextChoices):
        NEWS = "news", _("news")
        FEATURE = "feature", _("feature")
        COMMENTARY = "commentary", _("commentary")
        PHOTO = "photo", _("photo news")
        BRIEF = "brief", _("brief")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")
        SPIKED = "spiked", _("spiked")
        WITHDRAWN = "withdrawn", _("withdrawn")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NEWS)
    kicker = models.CharField(
        _("kicker"),
        max_length=200,
        blank=True,
        help_text=_("引题, the short line above the headline."),
    )
    headline = models.CharField(
        _("headline"), max_length=200, blank=True, help_text=_("主标题. Photo news may have none.")
    )
    web_headline = models.CharField(
        _("web headline"),
        max_length=200,
        blank=True,
        help_text=_(
            "For photo news, which prints no headline: the title readers see on the web. "
            "Left empty, the caption's first clause is used."
        ),
    )
    subheadline = models.CharField(
        _("subheadline"),
        max_length=200,
        blank=True,
        help_text=_("副题, the line under the headline."),
    )
    source = models.CharField(
        _("source"),
        max_length=64,
        blank=True,
        help_text=_("电头: 本报讯, or a wire dateline such as 新华社北京2月28日电."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_(
            "Plain text, one paragraph per line. A line that stops mid-sentence is joined "
            "with the next one."
        ),
    )
    summary = models.TextField(_("summary"), blank=True)
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    tags = TaggableManager(_("tags"), through=TaggedArticle, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    page = models.ForeignKey(
        Page,
        verbose_name=_("page"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    position = models.PositiveSmallIntegerField(
        _("position on page"), default=0, help_text=_("Order on the page, from the top.")
    )
    # A story printed over two pages (转版): one article, placed where it
    # starts, whose body holds both parts once both pages are imported.
    continued_on = models.PositiveSmallIntegerField(
        _("continued on page"),
        null=True,
        blank=True,
        help_text=_("下转第N版: the rest of the text is printed on page N of the same edition."),
    )
    continued_from = models.PositiveSmallIntegerField(
        _("continued from page"),
        null=True,
        blank=True,
        help_text=_(
            "上接第N版: the rest of an article begun on page N, kept apart until that part "
            "is imported."
        ),
    )
    continuation_offset = models.PositiveIntegerField(
        _("continuation offset"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Where in the body the text printed on the continuation page begins."),
    )
    review_level = models.PositiveSmallIntegerField(
        _("review levels passed"),
        default=0,
        editable=False,
        help_text=_("Approvals of the current round of review (三审); 0 until the first."),
    )
    char_count = models.PositiveIntegerField(
        _("character count"),
        default=0,
        editable=False,
        help_text=_(
            "Han characters and full-width punctuation count one each; so does a Latin word."
        ),
    )
    photos = models.ManyToManyField(
        Photo, through="ArticlePhoto", related_name="articles", verbose_name=_("photos"), blank=True
    )
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = actor_field(_("updated by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = actor_field(_("submitted by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = actor_field(_("approved by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    published_by = actor_field(_("published by"))
    spiked_at = models.DateTimeField(_("spiked at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # The search document (see articles/search.py): the tokens of the headline
    # and of everything, matched with LIKE on SQLite; on PostgreSQL only the
    # weighted tsvector built from them is kept.
    search_title = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True, default="")
    search_vector = SearchVectorField(editable=False, null=True)
    # Han trigrams, without positions (PostgreSQL): finds words of three or
    # more characters through the GIN index alone (articles/search/).
    search_grams = SearchVectorField(editable=False, null=True)
    version = version_field()

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("preview_article", _("Can preview unpublished articles")),
            ("edit_any_article", _("Can edit copy filed by others once submitted")),
            ("approve_article", _("Can return, approve, spike and place copy")),
            ("publish_article", _("Can publish web news, withdraw and correct published copy")),
            ("review_second", _("Can approve copy at the second review (复审)")),
            ("review_final", _("Can approve copy at the final review (终审)")),
            ("illustrate_article", _("Can see and illustrate copy on the desk")),
        ]
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["page", "position"], name="article_page_position"),
            # Public lists: published, newest first (status = published,
            # ORDER BY published_at DESC, id DESC), read backwards in order.
            models.Index(fields=["status", "published_at", "id"], name="article_status_published"),
            # The admin's list in its default order, without sorting the table.
            models.Index(fields=["created_at", "id"], name="article_created"),
            # API sync: what changed since (updated_since), in update order.
            models.Index(fields=["status", "updated_at", "id"], name="article_status_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="photo") | ~Q(headline=""), name="article_headline_unless_photo"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.char_count = count_chars(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "char_count"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.pk])

    @property
    def review_levels(self):
        """How many approvals this copy needs (its section's 三审 setting; one without)."""
        return self.section.review_levels if self.section_id else Section.ReviewLevels.ONE

    @property
    def awaited_level(self):
        """The review level submitted copy waits for (a ReviewLevel), or None."""
        if self.status != self.Status.SUBMITTED:
            return None
        # Copy moved to a section with fewer levels waits for its last one.
        return ReviewLevel(min(self.review_level + 1, self.review_levels))

    @property
    def title(self):
        """The headline; for photo news, the web headline or the caption's first clause."""
        return self.headline or self.web_headline or caption_title(self.body)

    @property
    def paragraphs(self):
        return split_paragraphs(self.body)


class DeskQueue(Article):
    """Submitted copy waiting for the desk, oldest first (a view of Article)."""

    class Meta:
        proxy = True
        verbose_name = _("desk queue item")
        verbose_name_plural = _("desk queue")


class Byline(models.Model):
    """A person credited on an article, with a role, in printed order."""

    class Role(models.TextChoices):
        REPORTER = "reporter", _("reporter")
        CORRESPONDENT = "correspondent", _("correspondent")
        PHOTOGRAPHER = "photographer", _("photographer")
        INTERN = "intern", _("intern")
        EDITOR = "editor", _("editor")
        AUTHOR = "author", _("author")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="bylines"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="bylines"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.REPORTER)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person", "role"], name="unique_byline_person_role"
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.person.name}"


class ArticlePhoto(models.Model):
    """A photo used on an article, in order, with an optional caption for this use."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="article_photos"
    )
    photo = models.ForeignKey(
        Photo, verbose_name=_("photo"), on_delete=models.PROTECT, related_name="uses"
    )
    caption = models.TextField(
        _("caption for this article"),
        blank=True,
        help_text=_("Leave empty to use the photo's own caption."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("article photo")
        verbose_name_plural = _("article photos")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "photo"], name="unique_article_photo"),
        ]

    def __str__(self):
        return str(self.photo)

    @property
    def display_caption(self):
        return self.caption or self.photo.caption


class Correction(models.Model):
    """A public note that published copy was changed (更正)."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="corrections"
    )
    text = models.TextField(_("correction"), help_text=_("What was wrong and what was changed."))
    created_at = models.DateTimeField(_("corrected at"), default=timezone.now)
    created_by = actor_field(_("corrected by"))

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:40]


# Steps that leave the status as it was, by what they did.
STEPS_IN_PLACE = {
    "place": _("placed on a page"),
    "unplace": _("taken off its page"),
    "file_on_page": _("filed on its page by the import"),
    "schedule": _("scheduled"),
    "unschedule": _("schedule cancelled"),
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


class Revision(models.Model):
    """A saved state of an article's content: text, bylines, tags and photos."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("number"))
    content = models.JSONField(_("content"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    created_by = actor_field(_("saved by"))

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_revision_number"),
        ]

    def __str__(self):
        return _("Revision %(number)s") % {"number": self.number}


class ArticleZone(models.Model):
    """Where an article sits on its printed page (热区), as fractions of the page.

    Found from the page PDF's text layer (articles/epaper/locate.py) or drawn
    by an editor; an editor's zone is kept when the page is located again.
    """

    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="zones"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="zones"
    )
    # From the page's top left corner, 0 to 1 of its width and height.
    left = models.FloatField(_("left"))
    top = models.FloatField(_("top"))
    width = models.FloatField(_("width"))
    height = models.FloatField(_("height"))
    score = models.FloatField(
        _("match"),
        default=0,
        help_text=_("Share of the article's text found on the page (0 to 1)."),
    )
    is_manual = models.BooleanField(
        _("set by an editor"),
        default=False,
        help_text=_("Kept as it is when the page is located again."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("article zone")
        verbose_name_plural = _("article zones")
        ordering = ["page", "top", "left"]
        constraints = [
            models.UniqueConstraint(fields=["page", "article"], name="unique_zone_per_page"),
            models.CheckConstraint(
                condition=Q(left__gte=0, top__gte=0, width__gt=0, height__gt=0)
                & Q(left__lte=1, top__lte=1, width__lte=1, height__lte=1),
                name="zone_inside_page",
            ),
        ]

    def __str__(self):
        return f"{self.page} · {self.article}"

    @property
    def box(self):
        """The zone in thousandths of the page, for the facsimile's SVG overlay."""
        return {
            "x": round(self.left * 1000, 1),
            "y": round(self.top * 1000, 1),
            "width": round(self.width * 1000, 1),
            "height": round(self.height * 1000, 1),
        }


class SiteSettings(models.Model):
    """What the site's footer says about the paper: one row, edited in the admin."""

    name = models.CharField(
        _("paper name"), max_length=64, blank=True, help_text=_("Leave empty for NEWSPAPER_NAME.")
    )
    icp_number = models.CharField(
        _("ICP licence number"), max_length=64, blank=True, help_text=_("ICP备案号.")
    )
    police_number = models.CharField(
        _("public security filing number"), max_length=64, blank=True, help_text=_("公安备案号.")
    )
    report_phone = models.CharField(
        _("reporting hotline"), max_length=64, blank=True, help_text=_("举报电话.")
    )
    report_email = models.EmailField(_("reporting e-mail"), blank=True)
    contact = models.TextField(
        _("contact"), blank=True, help_text=_("Address, telephone, e-mail: one per line.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return str(_("Site settings"))


class FooterLink(models.Model):
    """A link in the site's footer (关于我们, 联系我们, 版权声明…)."""

    settings = models.ForeignKey(
        SiteSettings,
        verbose_name=_("site settings"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    label = models.CharField(_("label"), max_length=32)
    url = models.CharField(
        _("address"), max_length=300, help_text=_("A path on this site (/about/) or a full URL.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("footer link")
        verbose_name_plural = _("footer links")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


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
        Section,
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
        Page,
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
        Revision,
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

    What happened is kept as its kind, its actor and its objects; the words
    are put together when it is shown (articles/notifications.py), in the
    reader's language.
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
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

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

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.user)
