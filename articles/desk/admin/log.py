"""The audit trail of the workflow, read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import TransitionLog
from people.admin import person_display


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    """The audit trail of the workflow, read-only."""

    list_display = ["at", "actor_name", "step", "subject", "note"]
    list_filter = ["action", "to_status", "level"]
    list_select_related = ["actor__person", "article", "edition"]
    search_fields = ["article__headline", "note", "actor__username", "actor__person__name"]
    actor_name = person_display("actor", _("by"))
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("step"))
    def step(self, obj):
        return str(obj)

    @admin.display(description=_("subject"))
    def subject(self, obj):
        return obj.article or obj.edition
