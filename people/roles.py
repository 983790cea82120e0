"""The newsroom's roles. Each is a Django group of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REPORTER = "Reporter", _("Reporter")
    CORRESPONDENT = "Correspondent", _("Correspondent")
    PHOTOGRAPHER = "Photographer", _("Photographer")
    EDITOR = "Editor", _("Editor")
    CHIEF_EDITOR = "Chief editor", _("Chief editor")
