"""The desk queue: submitted copy, oldest first.

A list and nothing else: each row opens the article's own page, where the
rules of the copy apply. The queue has no change, add, delete or history
pages of its own (a proxy model would otherwise get Django's default form).
"""

from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..models import Article, DeskQueue
from .common import ADMIN_CSS, ArticleListMixin


@admin.register(DeskQueue)
class DeskQueueAdmin(ArticleListMixin, admin.ModelAdmin):
    """Submitted copy, oldest first: what the desk should read next."""

    list_display = ["desk_title", "filed_by", "submitted_at", "char_count", "section", "placement"]
    list_display_links = None
    list_select_related = ["page__edition", "section", "created_by"]
    list_filter = ["section", "kind"]
    search_fields = ["headline", "bylines__person__name"]
    ordering = ["submitted_at", "pk"]

    class Media:
        css = ADMIN_CSS

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.changelist_view)
        return [path("", view, name="{}_{}_changelist".format(*info))]

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .filter(status=Article.Status.SUBMITTED)
            .prefetch_related("bylines__person")
        )
        return permissions.visible_articles(request.user, queryset)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("headline"), ordering="headline")
    def desk_title(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj)
