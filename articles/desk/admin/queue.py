"""The desk queue: submitted copy, oldest first, with the review level each piece awaits.

A list and nothing else: each row opens the article's own page, where the
rules of the copy apply. The queue has no change, add, delete or history
pages of its own (a proxy model would otherwise get Django's default form).
"""

from django.contrib import admin
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles import permissions, selectors, workflow
from articles.copy.admin.articles import ArticleListMixin
from articles.models import Article, DeskQueue, ReviewLevel
from newsroom.paginators import EstimatedCountPaginator


class AwaitedLevelFilter(admin.SimpleListFilter):
    """Submitted copy by the level of 三审 it waits for."""

    title = _("awaiting")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [(str(level.value), level.label) for level in ReviewLevel]

    def queryset(self, request, queryset):
        if self.value() in {str(level.value) for level in ReviewLevel}:
            return queryset.filter(review_level=int(self.value()) - 1)
        return queryset


@admin.register(DeskQueue)
class DeskQueueAdmin(ArticleListMixin, admin.ModelAdmin):
    """Submitted copy, oldest first: what the desk should read next."""

    list_display = [
        "desk_title",
        "awaits",
        "filed_by",
        "submitted_at",
        "char_count",
        "section",
        "placement",
        "present",
    ]
    list_display_links = None
    list_select_related = ["page__edition", "section", "created_by__person"]
    list_filter = [AwaitedLevelFilter, "section", "kind"]
    search_fields = ["headline", "bylines__person__name"]
    ordering = ["submitted_at", "pk"]
    show_full_result_count = False  # no COUNT(*) of every article beside the queue's
    paginator = EstimatedCountPaginator
    list_per_page = 50  # as the article list

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.changelist_view)
        return [path("", view, name="{}_{}_changelist".format(*info))]

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .filter(status=Article.Status.SUBMITTED)
            .prefetch_related(selectors.bylines())
        )
        return permissions.visible_articles(request.user, queryset)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("awaiting"), ordering="review_level")
    def awaits(self, obj):
        return workflow.review_progress(obj)

    @admin.display(description=_("headline"), ordering="headline")
    def desk_title(self, obj):
        return format_html('<a href="{}">{}</a>', obj.nr_change_url, obj)
