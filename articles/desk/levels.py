"""The levels of 三审: copy (its section's setting) and the desk (review) both name them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewLevel(models.IntegerChoices):
    """The levels of 三审, in the order copy passes them."""

    FIRST = 1, _("first review")
    SECOND = 2, _("second review")
    FINAL = 3, _("final review")
