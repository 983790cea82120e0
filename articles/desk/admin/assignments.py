"""选题 and 派稿: stories proposed by reporters or planned by the desk, and assigned.

The desk's decision (assign, or decline with a note) is a pair of buttons of
the assignment's own form, so what was typed is saved with it; assigning
creates the draft the reporter then writes. Saves and decisions go through
articles.services; who may see and change which assignment is asked of
articles.permissions.
"""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import permissions, services
from articles.models import Assignment
from newsroom.widgets import AutocompleteFields
from newsroom.writepath import VersionedForm, WritePathAdmin, status_badge
from people.models import name_of

A = Assignment.Status


class MineFilter(admin.SimpleListFilter):
    """The assignments one proposed, writes or takes the pictures for."""

    title = _("whose")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("mine"))]

    def queryset(self, request, queryset):
        if self.value() != "1":
            return queryset
        user = request.user
        assigned = Exists(
            Assignment.reporters.through.objects.filter(
                assignment=OuterRef("pk"), person__user=user
            )
        )
        return queryset.filter(Q(proposed_by=user) | Q(photographer__user=user) | assigned)


class OverdueFilter(admin.SimpleListFilter):
    """Open assignments whose deadline has passed."""

    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("1", _("overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.overdue()
        return queryset


class AssignmentForm(VersionedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The deadline's date and time boxes share one label, which names neither.
        if "deadline" in self.fields and hasattr(self.fields["deadline"].widget, "widgets"):
            date, time = self.fields["deadline"].widget.widgets
            date.attrs["aria-label"] = gettext("deadline: date")
            time.attrs["aria-label"] = gettext("deadline: time")

    class Meta:
        model = Assignment
        fields = [
            "topic",
            "notes",
            "section",
            "reporters",
            "photographer",
            "deadline",
            "target_chars",
            "edition",
            "page",
        ]


@admin.register(Assignment)
class AssignmentAdmin(AutocompleteFields, WritePathAdmin):
    form = AssignmentForm
    change_form_template = "admin/articles/assignment/change_form.html"
    list_display = [
        "topic",
        "status_badge",
        "people",
        "deadline_flag",
        "target_chars",
        "planned",
        "draft",
    ]
    list_filter = [MineFilter, OverdueFilter, "status", "section"]
    list_select_related = ["photographer", "page__edition", "edition", "article", "section"]
    search_fields = ["topic", "notes", "reporters__name"]
    autocomplete_fields = ["section", "reporters", "photographer", "edition", "page"]
    show_full_result_count = False
    readonly_fields = [
        "status_badge",
        "proposed_by_name",
        "proposed_at",
        "decided_by_name",
        "decided_at",
        "decision_note",
        "draft",
        "filed_at",
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("reporters")
        return permissions.visible_assignments(request.user, queryset)

    def get_fieldsets(self, request, obj=None):
        plan = [
            "topic",
            "notes",
            "section",
            "reporters",
            "photographer",
            "deadline",
            "target_chars",
        ]
        if permissions.may_plan_placement(request.user):
            plan += ["edition", "page"]  # where it runs is the desk's call
        fieldsets = [(None, {"fields": plan})]
        if obj is not None:
            fieldsets.append(
                (
                    _("Decision"),
                    {
                        "fields": [
                            "status_badge",
                            "proposed_by_name",
                            "proposed_at",
                            "decided_by_name",
                            "decided_at",
                            "decision_note",
                            "draft",
                            "filed_at",
                            "base_version",
                        ]
                    },
                )
            )
        return fieldsets

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        person = getattr(request.user, "person", None)
        if person is not None and not permissions.works_the_desk(request.user):
            # A reporter proposes a story they will write themselves.
            initial.setdefault("reporters", [person.pk])
        return initial

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_view_assignment(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_change_assignment(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request, obj)
        return permissions.why_not_delete_assignment(request.user, obj) is None

    def write(self, request, obj, form, formsets):
        services.save_assignment(
            obj,
            user=request.user,
            reporters=form.cleaned_data.get("reporters"),
            base_version=self.base_version(form),
        )

    def delete(self, request, obj):
        services.delete_assignment(obj, user=request.user)

    # --- the desk's decision: buttons of the assignment's own form --------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), **self.decision_context(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self.decision_context(request, None)}
        return super().add_view(request, form_url, extra_context)

    def decision_context(self, request, obj):
        may_decide = permissions.works_the_desk(request.user)
        if obj is not None:
            may_decide = permissions.why_not_decide_assignment(request.user, obj) is None
        return {
            "may_decide": may_decide,
            "decision_note": request.POST.get("decision", ""),
            "overdue": obj is not None and obj.is_overdue(),
        }

    def _decide(self, request, obj):
        step, note = request.POST.get("_assignment", ""), request.POST.get("decision", "")
        if step == "accept":
            obj = services.accept_assignment(obj, user=request.user, note=note)
            message = gettext("Assigned: the draft “%(article)s” is waiting for %(who)s.") % {
                "article": obj.article,
                "who": "、".join(p.name for p in obj.reporters.all()),
            }
        elif step == "decline":
            services.decline_assignment(obj, user=request.user, note=note)
            message = gettext("Declined; whoever proposed it is told why.")
        else:
            raise permissions.Refused(gettext("Unknown action."))
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_assignment_change", args=[obj.pk]))

    def response_change(self, request, obj):
        if request.POST.get("_assignment"):
            return self._decide(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if request.POST.get("_assignment"):
            return self._decide(request, obj)
        return super().response_add(request, obj, post_url_continue)

    # --- columns --------------------------------------------------------------------

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return status_badge(f"assignment-{obj.status}", obj.get_status_display())

    @admin.display(description=_("who"))
    def people(self, obj):
        names = [p.name for p in obj.reporters.all()]
        if obj.photographer_id:
            names.append(gettext("%(name)s (pictures)") % {"name": obj.photographer.name})
        return "、".join(names) or "—"

    @admin.display(description=_("deadline"), ordering="deadline")
    def deadline_flag(self, obj):
        if obj.deadline is None:
            return "—"
        when = timezone.localtime(obj.deadline).strftime("%Y-%m-%d %H:%M")
        if obj.is_overdue():
            return format_html(
                '{} <span class="nr-badge nr-badge--overdue">{}</span>', when, gettext("overdue")
            )
        return when

    @admin.display(description=_("planned for"))
    def planned(self, obj):
        if obj.page_id:
            return str(obj.page)
        return str(obj.edition) if obj.edition_id else "—"

    @admin.display(description=_("draft"))
    def draft(self, obj):
        if obj.article_id is None:
            return "—"
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article)

    @admin.display(description=_("proposed by"))
    def proposed_by_name(self, obj):
        return name_of(obj.proposed_by) or "—"

    @admin.display(description=_("decided by"))
    def decided_by_name(self, obj):
        return name_of(obj.decided_by) or "—"
