"""What Django's admin would show in English whatever the catalogue says, shown in Chinese.

- The delete page lists the link rows of many-to-many relations
  ("Assignment-person relationship: Assignment_reporters object (1)"):
  they are the links themselves, named by class names, so they are left out
  of the list and its counts (they go with the object all the same).
- Apps that name themselves without gettext (django-axes, django-tasks'
  database backend) get their names from the catalogue.
- A yes/no column's icon says 是/否 to a screen reader, not "True"/"False".
- django-axes' login records name themselves in English f-strings
  ("Attempted Access: …"): they read 编辑 的登录尝试（…） instead.

Installed once from NewsroomConfig.ready(), so that a page added tomorrow
is covered too (tests/admin/test_chinese.py reads every page).
"""

from functools import wraps

from django.apps import apps
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.utils import NestedObjects
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

APP_NAMES = {
    "axes": _("Login protection"),
    "django_tasks_database": _("Background jobs"),
    # taggit's catalogue calls its app 标签项 (tagged items): it holds the tags.
    "taggit": pgettext_lazy("app", "Tags"),
}


def _drop_links(items):
    kept = []
    for item in items:
        if isinstance(item, list):
            item = _drop_links(item)
            if not item:
                continue
        elif item is None:
            continue
        kept.append(item)
    return kept


def _nested_without_links(nested):
    @wraps(nested)
    def without_links(self, format_callback=None):
        for model in [m for m in self.model_objs if m._meta.auto_created]:
            del self.model_objs[model]

        def shown(obj):
            if obj._meta.auto_created:
                return None
            return format_callback(obj) if format_callback else obj

        return _drop_links(nested(self, shown))

    return without_links


def _boolean_icon(value):
    """Django's yes/no icon, its alternative text in the reader's language."""
    icon = {True: "yes", False: "no", None: "unknown"}[value]
    alt = {True: _("Yes"), False: _("No"), None: _("Unknown")}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), alt)


def _login_record_names():
    """django-axes' records by who tried and when, in the catalogue's words."""
    from axes.admin import AccessAttemptAdmin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    # Columns axes leaves without a description (Django would say "Status").
    AccessAttemptAdmin.status.short_description = _("status")
    AccessAttemptAdmin.expiration.short_description = _("Expires At")

    def when(at):
        return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S") if at else "—"

    AccessAttempt.__str__ = lambda self: (
        _("Login attempts of %(user)s (%(at)s)")
        % {
            "user": self.username,
            "at": when(self.attempt_time),
        }
    )
    AccessLog.__str__ = lambda self: (
        _("Login of %(user)s (%(at)s)")
        % {
            "user": self.username,
            "at": when(self.attempt_time),
        }
    )
    AccessFailureLog.__str__ = lambda self: (
        _("Failed login of %(user)s (%(at)s)")
        % {
            "user": self.username,
            "at": when(self.attempt_time),
        }
    )


def install():
    """Called once from NewsroomConfig.ready()."""
    for label, name in APP_NAMES.items():
        try:
            apps.get_app_config(label).verbose_name = name
        except LookupError:  # not installed here
            continue
    admin_list._boolean_icon = _boolean_icon
    if apps.is_installed("axes"):
        _login_record_names()
    if not getattr(NestedObjects.nested, "newsroom_mended", False):
        NestedObjects.nested = _nested_without_links(NestedObjects.nested)
        NestedObjects.nested.newsroom_mended = True
