"""Where each article sits on its printed page."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ArticleZone(models.Model):
    """Where an article sits on its printed page (热区), as fractions of the page.

    Found from the page PDF's text layer (articles/epaper/locate.py) or drawn
    by an editor; an editor's zone is kept when the page is located again.
    """

    page = models.ForeignKey(
        "articles.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="zones"
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="zones",
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
