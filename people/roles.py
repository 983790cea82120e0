"""The newsroom's roles. Each is a Django group of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REPORTER = "Reporter", _("Reporter")
    CORRESPONDENT = "Correspondent", _("Correspondent")
    PHOTOGRAPHER = "Photographer", _("Photographer")
    EDITOR = "Editor", _("Editor")
    # 部门主任: heads a department's desk and gives copy its 复审.
    DESK_HEAD = "Desk head", _("Desk head")
    CHIEF_EDITOR = "Chief editor", _("Chief editor")
