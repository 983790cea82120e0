"""Model fields shared by the apps."""

from django.conf import settings
from django.db import models


def actor_field(verbose_name):
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
