"""The audit trail of the workflow, read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import (
    TransitionLog,
)


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    """The audit trail of the workflow, read-only."""

    list_display = ["at", "actor", "action", "subject", "from_status", "to_status", "note"]
    list_filter = ["action", "to_status"]
    list_select_related = ["actor", "article", "edition"]
    search_fields = ["article__headline", "note", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("subject"))
    def subject(self, obj):
        return obj.article or obj.edition
