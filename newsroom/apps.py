from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """The project package as an app: deployment checks, health views, sturdier lookups and admin."""

    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import admin_chinese, admin_input, checks, idle, lookups  # noqa: F401  (checks registers)

        lookups.register()
        admin_input.install()
        admin_chinese.install()
        user_logged_in.connect(idle.note_login, dispatch_uid="newsroom.idle.note_login")
