from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """The project package as an app: deployment checks, health views, sturdier lookups and admin."""

    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from . import admin_input, checks, lookups  # noqa: F401  (checks registers the deploy checks)

        lookups.register()
        admin_input.install()
