"""What the public site says about the paper itself: footer, licences, contact."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.fields import validate_footer_url


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
        _("address"),
        max_length=300,
        validators=[validate_footer_url],
        help_text=_("A path on this site (/about/), a full http(s) address, or mailto:."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("footer link")
        verbose_name_plural = _("footer links")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label
