"""The audit trail of the workflow, read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import STEP_NAMES, Article, Edition, TransitionLog
from people.admin import person_display


class StepFilter(admin.SimpleListFilter):
    """The steps by the newsroom's names for them, not the codes the log keeps."""

    title = _("step")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(code, name) for code, name in STEP_NAMES.items()]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class ToStatusFilter(admin.SimpleListFilter):
    """Where a step left the copy or the edition, by the state's name."""

    title = _("to")
    parameter_name = "to_status"

    def lookups(self, request, model_admin):
        states = {}
        for value, label in [*Article.Status.choices, *Edition.Status.choices]:
            states.setdefault(value, label)
        return list(states.items())

    def queryset(self, request, queryset):
        return queryset.filter(to_status=self.value()) if self.value() else queryset


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    """The audit trail of the workflow, read-only."""

    list_display = ["at", "actor_name", "step", "subject", "note"]
    list_filter = [StepFilter, ToStatusFilter, "level"]
    list_select_related = ["actor__person", "article", "edition"]
    search_fields = ["article__headline", "note", "actor__username", "actor__person__name"]
    actor_name = person_display("actor", _("by"))
    date_hierarchy = "at"
    readonly_fields = ["step_name", "from_name", "to_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        # The codes the log keeps, each shown by its name.
        return [
            "article",
            "edition",
            "step_name",
            "from_name",
            "to_name",
            "level",
            "note",
            "actor",
            "at",
        ]

    @admin.display(description=_("step"))
    def step(self, obj):
        return str(obj)

    @admin.display(description=_("action"))
    def step_name(self, obj):
        return STEP_NAMES.get(obj.action, obj.action)

    @admin.display(description=_("from"))
    def from_name(self, obj):
        return _state_name(obj, obj.from_status)

    @admin.display(description=_("to"))
    def to_name(self, obj):
        return _state_name(obj, obj.to_status)

    @admin.display(description=_("subject"))
    def subject(self, obj):
        return obj.article or obj.edition


def _state_name(log, value):
    states = Edition.Status if log.edition_id else Article.Status
    return states(value).label if value in states.values else value
