from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from newsroom.fields import version_field


def unique_slug(model, value, *, exclude_pk=None, max_length=80):
    """Return a Unicode slug for value that no other row of model uses yet."""
    base = slugify(value, allow_unicode=True)[: max_length - 6] or "x"
    slug, n = base, 1
    taken = model._default_manager.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def name_of(user):
    """Return the name the newsroom knows user by: their Person's, else the username."""
    if user is None:
        return ""
    try:
        return user.person.name
    except ObjectDoesNotExist:
        return user.get_username()


class Person(models.Model):
    """Anyone the paper credits: staff, correspondents, freelancers."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("staff")
        CORRESPONDENT = "correspondent", _("correspondent")
        FREELANCE = "freelance", _("freelance")

    name = models.CharField(
        _("name"),
        max_length=64,
        db_index=True,
        help_text=_("As printed in bylines, e.g. 司勇. Two people may share a name."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.STAFF)
    organization = models.CharField(
        _("organization"),
        max_length=128,
        blank=True,
        help_text=_("For a correspondent: the office or school they write from."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    bio = models.TextField(_("short bio"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "pk"]

    def __str__(self):
        if self.organization:
            return f"{self.name}（{self.organization}）"
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Person, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # The public person page lists articles, so the articles app serves it;
        # naming the URL keeps people from importing articles.
        return reverse("articles:person", args=[self.slug])
