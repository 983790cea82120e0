"""稿费: the chief editor's rules, each month's lines with the facts they were computed from.

A month's lines are computed from the workflow's record (the print
publications of the month, the bylines and photo credits) while it is
open; the desk head adjusts a line with a reason (an adjustment of its own);
the chief editor approves the month, which locks it: from then on its lines
are the record, never computed again. A correction or withdrawal after the
lock becomes a carry line in the next open month.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.copy.models import Article, ArticlePhoto, Section
from media.models import Photo
from newsroom.fields import actor_field, version_field
from people.models import Person

ZERO = Decimal("0.00")
MONEY = {"max_digits": 12, "decimal_places": 2}


def money_field(verbose_name, **kwargs):
    """An amount in yuan, to the fen: a Decimal, never a float."""
    return models.DecimalField(verbose_name, **MONEY, **kwargs)


class FeeRules(models.Model):
    """How 稿费 is computed: the chief editor's rules (one row), with a rate per 体裁."""

    class Sharing(models.TextChoices):
        EQUAL = "equal", _("shared equally among the bylined")
        EACH = "each", _("each bylined person is paid the whole")

    per_photo = money_field(
        _("per photo"),
        default=Decimal("30.00"),
        validators=[MinValueValidator(ZERO)],
        help_text=_("For each published photo, shared among its photographers."),
    )
    front_page_multiplier = models.DecimalField(
        _("front-page multiplier (头版)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.50"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("10"))],
    )
    lead_multiplier = models.DecimalField(
        _("lead-story multiplier (头条)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.20"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("10"))],
        help_text=_("For the first piece on its page; the front page's lead gets both."),
    )
    sharing = models.CharField(
        _("several bylines"), max_length=8, choices=Sharing.choices, default=Sharing.EQUAL
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = actor_field(_("updated by"))
    version = version_field()

    class Meta:
        verbose_name = _("fee rules")
        verbose_name_plural = _("fee rules (稿费标准)")

    def __str__(self):
        return str(_("Fee rules"))


class KindRate(models.Model):
    """The rate per thousand characters (千字) and the minimum per piece of one 体裁."""

    rules = models.ForeignKey(
        FeeRules, verbose_name=_("rules"), on_delete=models.CASCADE, related_name="rates"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Article.Kind.choices)
    per_thousand = money_field(
        _("per 1,000 characters"), default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    minimum = money_field(
        _("minimum per piece"), default=ZERO, validators=[MinValueValidator(ZERO)]
    )

    class Meta:
        verbose_name = _("rate")
        verbose_name_plural = _("rates by kind")
        ordering = ["rules", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["rules", "kind"], name="unique_rate_per_kind"),
            models.CheckConstraint(
                condition=Q(per_thousand__gte=0, minimum__gte=0), name="rate_not_negative"
            ),
        ]

    def __str__(self):
        return self.get_kind_display()


class FeeMonth(models.Model):
    """One month's 稿费: open while it is computed and adjusted, locked once approved."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        LOCKED = "locked", _("approved and locked")

    month = models.DateField(_("month"), unique=True, help_text=_("Its first day."))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    computed_by = actor_field(_("computed by"))
    locked_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    locked_by = actor_field(_("approved by"))
    version = version_field()

    class Meta:
        verbose_name = _("fee month")
        verbose_name_plural = _("fees by month (稿费)")
        ordering = ["-month"]
        permissions = [
            ("view_all_statistics", _("Can see everyone's statistics and fees")),
            ("adjust_feeline", _("Can adjust a fee line of one's sections, with a reason")),
            ("approve_feemonth", _("Can approve a month's fees, which locks them")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="fee_month_first_day"),
        ]

    def __str__(self):
        return f"{self.month.year}年{self.month.month}月"

    @property
    def is_locked(self):
        return self.status == self.Status.LOCKED


class FeeLine(models.Model):
    """One person's fee for one piece or photo of the month, with the facts it came from.

    Nothing here is looked up again once the month is locked: the name,
    the piece, its date, page, 字数, the rates and the share are copied.
    """

    class Kind(models.TextChoices):
        TEXT = "text", _("copy")
        PHOTO = "photo", _("photo")
        CARRY = "carry", _("carried from a locked month")

    month = models.ForeignKey(
        FeeMonth, verbose_name=_("month"), on_delete=models.CASCADE, related_name="lines"
    )
    key = models.CharField(_("key"), max_length=64)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="fee_lines",
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    use = models.ForeignKey(
        ArticlePhoto,
        verbose_name=_("photo use"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    photo = models.ForeignKey(
        Photo, verbose_name=_("photo"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried from"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="carries",
    )
    # The facts, as they were when the line was computed.
    person_name = models.CharField(_("name"), max_length=64)
    organization = models.CharField(_("organization"), max_length=128, blank=True)
    headline = models.CharField(_("piece"), max_length=200)
    published_on = models.DateField(_("date"))
    page_number = models.PositiveSmallIntegerField(_("page"), null=True)
    position = models.PositiveSmallIntegerField(_("position"), null=True)
    article_kind = models.CharField(_("kind"), max_length=16, choices=Article.Kind.choices)
    chars = models.PositiveIntegerField(_("characters"), default=0)
    per_thousand = money_field(_("per 1,000 characters"), default=ZERO)
    minimum = money_field(_("minimum per piece"), default=ZERO)
    per_photo = money_field(_("per photo"), default=ZERO)
    multiplier = models.DecimalField(_("multiplier"), max_digits=6, decimal_places=4, default=1)
    share_of = models.PositiveSmallIntegerField(
        _("shared among"), default=1, help_text=_("1: paid the whole.")
    )
    piece_amount = money_field(_("the piece's fee"), default=ZERO)
    amount = money_field(_("amount"), default=ZERO)
    is_void = models.BooleanField(_("void"), default=False)
    note = models.CharField(_("remarks"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("fee line")
        verbose_name_plural = _("fee lines")
        ordering = ["month", "person_name", "published_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["month", "key"], name="unique_fee_line_key"),
        ]

    def __str__(self):
        return f"{self.person_name} {self.headline}"


class FeeAdjustment(models.Model):
    """A desk head's change to a line's amount, with the reason: its own row, never overwritten."""

    line = models.ForeignKey(
        FeeLine, verbose_name=_("line"), on_delete=models.CASCADE, related_name="adjustments"
    )
    amount = money_field(_("adjustment"), help_text=_("Added to the line; negative to reduce it."))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = actor_field(_("by"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fee adjustment")
        verbose_name_plural = _("fee adjustments")
        ordering = ["line", "pk"]

    def __str__(self):
        return f"{self.amount} {self.reason}"
