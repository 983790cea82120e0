from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.models import Person


def format_credit(names):
    """Render photographer names as the paper prints them: 宋卫东 李学军 摄."""
    names = [name for name in names if name]
    return f"{' '.join(names)} 摄" if names else ""


class Photo(models.Model):
    """A picture, possibly still without its file while the page is being made."""

    image = models.ImageField(
        _("image"),
        upload_to="photos/%Y/%m/",
        blank=True,
        width_field="width",
        height_field="height",
        help_text=_("May be left empty while the picture has not arrived yet."),
    )
    caption = models.TextField(_("caption"), blank=True)
    alt_text = models.CharField(
        _("alt text"),
        max_length=255,
        blank=True,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    photographers = models.ManyToManyField(
        Person,
        through="PhotoCredit",
        related_name="photos",
        verbose_name=_("photographers"),
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        text = self.caption.strip() or self.alt_text or _("untitled photo")
        return f"{text[:40]}…" if len(text) > 40 else str(text)

    @property
    def credit_line(self):
        """Return the printed credit, 宋卫东 李学军 摄 (uses prefetched credits)."""
        return format_credit([credit.person.name for credit in self.credits.all()])


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
