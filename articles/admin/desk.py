"""The desk queue: submitted copy, oldest first."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import (
    Article,
    DeskQueue,
)
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

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=Article.Status.SUBMITTED)
            .prefetch_related("bylines__person")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("headline"), ordering="headline")
    def desk_title(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj)
