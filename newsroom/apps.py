from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """The project package as an app: its deployment checks and health views."""

    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
