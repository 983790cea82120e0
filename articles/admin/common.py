"""What the newsroom's admin pages share: status badges, read-only inlines, list columns."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ADMIN_CSS = {"all": ["newsroom/admin.css"]}


def status_badge(status, label):
    return format_html('<span class="nr-badge nr-badge--{}">{}</span>', status, label)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ArticleListMixin:
    """Columns shared by the article list and the desk queue."""

    def view_on_site(self, obj):
        # "View on site" opens the staff preview: it shows copy in any state.
        return reverse("articles:preview", args=[obj.pk])

    @admin.display(description=_("headline"), ordering="headline")
    def title(self, obj):
        return str(obj)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description=_("edition / page"), ordering="page__edition__date")
    def placement(self, obj):
        if obj.page is None:
            return "—"
        return format_html(
            "{} {}",
            obj.page.edition.date.isoformat(),
            gettext("Page %(number)s") % {"number": obj.page.number},
        )

    @admin.display(description=_("filed by"))
    def filed_by(self, obj):
        names = [b.person.name for b in obj.bylines.all()]
        if names:
            return " ".join(names)
        return obj.created_by.get_username() if obj.created_by else "—"
