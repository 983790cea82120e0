from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from newsroom.fields import actor_field, version_field
from people.models import Person

from .fields import PhotoImageField, media_url
from .renditions import Rendition

# renditions/ab/<key>/640w.webp: every rendition of a picture is under its key.
RENDITION_NAME = re.compile(r"^renditions/[0-9a-f]{2}/(?P<key>[0-9a-f]{32})/[^/]+$")


def format_credit(names):
    """Render photographer names as the paper prints them: 宋卫东 李学军 摄."""
    names = [name for name in names if name]
    return f"{' '.join(names)} 摄" if names else ""


class PhotoQuerySet(models.QuerySet["Photo"]):
    """Photos by what they still lack; each filter matches what `Photo.missing()` reports."""

    # One condition per gap, shared by the single filters and incomplete().
    NO_IMAGE = Q(image="") | Q(image__isnull=True)
    NO_CAPTION = Q(caption="")
    NO_ALT_TEXT = Q(alt_text="")

    @staticmethod
    def _no_credit():
        return ~Exists(PhotoCredit.objects.filter(photo=OuterRef("pk")))

    def awaiting_image(self):
        """Return the photos whose picture has not arrived (a photo news item filed early)."""
        return self.filter(self.NO_IMAGE)

    def without_caption(self):
        return self.filter(self.NO_CAPTION)

    def without_alt_text(self):
        return self.filter(self.NO_ALT_TEXT)

    def without_credit(self):
        return self.filter(self._no_credit())

    def incomplete(self):
        """Return the photos that lack a picture, a caption, alt text or a photographer credit.

        The admin's "needs attention" filter. A caption given for one use on
        an article is not seen here; the edition preflight asks
        `Photo.missing(caption=…)` for each use instead.
        """
        return self.filter(self.NO_IMAGE | self.NO_CAPTION | self.NO_ALT_TEXT | self._no_credit())

    def with_file(self, name):
        """Return the photos whose picture or one of whose renditions is stored under name."""
        match = RENDITION_NAME.match(name)
        if match:
            return self.filter(file_key=match["key"])
        return self.filter(image=name)

    def on_published_copy(self):
        """Return the photos that copy readers may see uses: their files are public.

        The rule is the articles app's (Article.objects.published(), at the
        time of asking), named by the PHOTOS_ON_PUBLISHED_COPY setting, since
        media never imports articles. Without it, no photo is public.
        """
        path = getattr(settings, "PHOTOS_ON_PUBLISHED_COPY", "")
        return import_string(path)(self) if path else self.none()


class Photo(models.Model):
    """A picture, possibly still without its file while the page is being made."""

    class Missing(models.TextChoices):
        """What a photo may still lack: a stable code, and a message for editors."""

        IMAGE = "image", _("awaiting its picture")
        CAPTION = "caption", _("no caption")
        ALT_TEXT = "alt_text", _("no alt text")
        CREDIT = "credit", _("no photographer credit")

    image = PhotoImageField(
        _("image"),
        # Stored as photos/2026/11/<file_key>.jpg: never the camera's name.
        upload_to="photos/%Y/%m/",
        blank=True,
        db_index=True,  # media.views.serve finds the photo of a requested file
        width_field="width",
        height_field="height",
        help_text=_(
            "JPEG, PNG, WebP or GIF. May be left empty while the picture has not arrived yet."
        ),
    )
    caption = models.TextField(_("caption"), blank=True)
    alt_text = models.CharField(
        _("alt text"),
        max_length=255,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it. Required before publication."
        ),
    )
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    taken_at = models.DateTimeField(
        _("taken at"),
        null=True,
        blank=True,
        help_text=_("Filled in from the camera's data when left empty."),
    )
    camera = models.CharField(_("camera"), max_length=100, blank=True, editable=False)
    file_key = models.CharField(
        _("file key"),
        max_length=32,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("A hash of the stored picture: its file and its renditions are named by it."),
    )
    rendition_files = models.JSONField(
        _("renditions"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("The web sizes made from the picture: name, width, height, content type."),
    )
    photographers: models.ManyToManyField[Person, PhotoCredit] = models.ManyToManyField(
        Person,
        through="PhotoCredit",
        related_name="photos",
        verbose_name=_("photographers"),
        blank=True,
    )
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        text = self.caption.strip() or self.alt_text or _("untitled photo")
        return f"{text[:40]}…" if len(text) > 40 else str(text)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.image and not self.image._committed:
            # Store (and clean) a new upload before the row is written, so the
            # facts taken from it are saved with it whatever the field order.
            self.image.save(self.image.name, self.image.file, save=False)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                derived = {
                    "image",
                    "width",
                    "height",
                    "taken_at",
                    "camera",
                    "file_key",
                    "rendition_files",
                }
                kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)

    def picture_stored(self, photo, key):
        """Keep what the stored picture tells (called by the image field as it stores one).

        A new picture has no renditions until its job makes them; the same
        picture stored again keeps those it has.
        """
        self.camera = photo.camera
        if self.taken_at is None:
            self.taken_at = photo.taken_at
        if key != self.file_key:
            self.rendition_files = []
        self.file_key = key

    @property
    def renditions_pending(self):
        """True while the picture's web renditions are still to be made (by a job)."""
        return bool(self.image) and not self.rendition_files

    @property
    def credit_line(self):
        """Return the printed credit, 宋卫东 李学军 摄 (uses prefetched credits)."""
        return format_credit([credit.person.name for credit in self.credits.all()])

    def missing(self, caption=None):
        """Return what this photo still lacks before it may be published, as `Photo.Missing`s.

        Each item is a stable code (`item == "caption"`, `item.value`) with a
        translated message for editors (`item.label`), in the order image,
        caption, alt text, credit; an empty list means the photo is ready.
        `caption` is the caption one use of the photo prints (an article's
        caption for it): when not empty it stands in for the photo's own.
        Credits are read through `credits.all()`, so prefetch them for a list.
        """
        missing = []
        if not self.image:
            missing.append(self.Missing.IMAGE)
        if not (caption or self.caption):
            missing.append(self.Missing.CAPTION)
        if not self.alt_text:
            missing.append(self.Missing.ALT_TEXT)
        if self.pk is None or not self.credits.all():
            missing.append(self.Missing.CREDIT)
        return missing

    def renditions(self):
        """Return the web renditions as `Rendition`s (name, url, width, height, content_type).

        Smallest first, WebP before JPEG at each width; none is wider than
        the picture. Empty while the photo has no picture. Reading them costs
        no query and no storage access.
        """
        if not self.image:
            return []
        return [
            Rendition(
                name=item["name"],
                url=media_url(item["name"]),
                width=item["width"],
                height=item["height"],
                content_type=item["content_type"],
            )
            for item in self.rendition_files
        ]

    def thumbnail_url(self, width=320):
        """Return the URL of the smallest JPEG at least `width` wide (or the largest there is)."""
        jpegs = [r for r in self.renditions() if r.content_type == "image/jpeg"]
        if not jpegs:
            return self.image.url if self.image else ""
        return next((r.url for r in jpegs if r.width >= width), jpegs[-1].url)


class PhotoCredit(models.Model):
    """One photographer credited for a photo, in printed order."""

    photo = models.ForeignKey(
        Photo, verbose_name=_("photo"), on_delete=models.CASCADE, related_name="credits"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("photographer"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("photo credit")
        verbose_name_plural = _("photo credits")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["photo", "person"], name="unique_photo_credit"),
        ]

    def __str__(self):
        return self.person.name
