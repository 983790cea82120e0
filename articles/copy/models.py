"""Copy: sections, articles, their bylines, photos, corrections and revisions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.copy.bodytext import caption_title, count_chars, split_paragraphs
from articles.desk.levels import ReviewLevel
from media.models import Photo
from newsroom.fields import actor_field, version_field
from people.models import Person


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
    # Who heads the section's desk (部门主任): they see its statistics and adjust
    # its 稿费 lines (articles.ledger); set by the chief editor.
    desk_heads = models.ManyToManyField(
        Person,
        verbose_name=_("desk heads"),
        related_name="headed_sections",
        blank=True,
        help_text=_("部门主任: they see the section's statistics and adjust its fees."),
    )
    # Who gives the section's copy its 初审: told when copy is filed to it
    # (articles.desk.notifications); none named, every editor is told.
    editors = models.ManyToManyField(
        Person,
        verbose_name=_("first-review editors"),
        related_name="edited_sections",
        blank=True,
        help_text=_(
            "初审编辑: told when copy is filed to the section. None: every editor is told."
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


class TaggedArticle(TaggedItemBase):
    """The article-tag link, with a real foreign key so tag pages can use an index."""

    content_object: models.ForeignKey[Article, Article] = models.ForeignKey(
        "Article", on_delete=models.CASCADE
    )

    if TYPE_CHECKING:  # taggit has no types: what Django gives every model, said for mypy
        objects: ClassVar[models.Manager[TaggedArticle]]
        _default_manager: ClassVar[models.Manager[TaggedArticle]]

    class Meta:
        verbose_name = _("article tag")
        verbose_name_plural = _("article tags")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag"),
        ]

    def __str__(self):
        return str(self.tag)


class ArticleQuerySet(models.QuerySet["Article"]):
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
        "articles.Page",
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
    # The levels the current round needs, as its Submission recorded them when
    # the copy was submitted (raised, never lowered): kept here too so that
    # lists show where each piece stands without reading its record.
    levels_needed = models.PositiveSmallIntegerField(
        _("review levels needed"),
        default=0,
        editable=False,
        help_text=_("Approvals the current round of review needs; 0 outside a round."),
    )
    char_count = models.PositiveIntegerField(
        _("character count"),
        default=0,
        editable=False,
        help_text=_(
            "Han characters and full-width punctuation count one each; so does a Latin word."
        ),
    )
    photos: models.ManyToManyField[Photo, ArticlePhoto] = models.ManyToManyField(
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
    # Its search document is an ArticleSearch (below), a table of its own.
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
            # ... and filtered by a status (the desk's submitted copy, drafts):
            # at a million articles a rare status is not found by walking the above.
            models.Index(fields=["status", "created_at", "id"], name="article_status_created"),
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.char_count = count_chars(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "char_count"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.pk])

    @property
    def review_levels(self):
        """How many approvals this copy needs: its round's, once submitted; else its section's."""
        if self.levels_needed:
            return self.levels_needed
        return self.section.review_levels if self.section_id else Section.ReviewLevels.ONE

    @property
    def awaited_level(self):
        """The review level submitted copy waits for (a ReviewLevel), or None."""
        if self.status != self.Status.SUBMITTED:
            return None
        return ReviewLevel(min(self.review_level + 1, self.review_levels))

    @property
    def title(self):
        """The headline; for photo news, the web headline or the caption's first clause."""
        return self.headline or self.web_headline or caption_title(self.body)

    @property
    def paragraphs(self):
        return split_paragraphs(self.body)


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


class WorkingCopy(models.Model):
    """What a person has typed in an article's form and not saved yet (autosave).

    One per person and article, and one per person for copy not yet filed.
    Private to its owner: never shown to anyone else, never published, not a
    revision; dropped when the owner saves the article, discards it, or when
    it is older than settings.WORKING_COPY_DAYS (prune_working_copies).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="working_copies",
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="working_copies",
    )
    # The form's text fields as typed (name -> value), and the version it was opened at.
    fields = models.JSONField(_("fields as typed"), default=dict)
    base_version = models.PositiveIntegerField(_("opened at version"), null=True, blank=True)
    saved_at = models.DateTimeField(_("kept at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("working copy")
        verbose_name_plural = _("working copies")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "article"],
                condition=Q(article__isnull=False),
                name="one_working_copy_per_article",
            ),
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(article__isnull=True),
                name="one_working_copy_of_new_copy",
            ),
        ]

    def __str__(self):
        return _("Working copy of %(owner)s") % {"owner": self.owner_id}


class ArticleSearch(models.Model):
    """What search matches an article by, written only when what it prints changes.

    Apart from the article's row so that the steps of the workflow, which
    change indexed columns of the article (status, dates) and so write a new
    row version, do not enter the article's thousands of tokens into the GIN
    indexes again: publishing an edition spent most of its time there.
    On SQLite the tokens are matched as text (title, text); on PostgreSQL
    only the weighted tsvector and the trigrams built from them are kept,
    each with a GIN index (migrations 0030, after 0005, 0012 and 0017).
    """

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
        verbose_name=_("article"),
    )
    # The tokens of the headline stack, and of everything (articles/search/tokens.py).
    title = models.TextField(blank=True, default="")
    text = models.TextField(blank=True, default="")
    vector = SearchVectorField(null=True)
    # Han trigrams, without positions (PostgreSQL): finds words of three or
    # more characters through the GIN index alone.
    grams = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return str(self.article_id)
