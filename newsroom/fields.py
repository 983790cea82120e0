"""Model fields shared by the apps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise


def version_field() -> models.PositiveIntegerField[Any, int]:
    """Return the edit counter that lets the write path refuse a save from a stale form.

    Every change through the write path (articles/services.py) raises it; a
    form carries the version it was opened at.
    """
    return models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Raised by every change, so that a save from a stale form is refused."),
    )


def actor_field(verbose_name: StrOrPromise) -> models.ForeignKey[User | None, User | None]:
    """Return a reference to the user who did something.

    Kept as NULL if the account is deleted: the record of what happened stays.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
