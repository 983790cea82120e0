from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organization", "user", "is_active", "credit_count"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["user"]
    search_fields = ["name", "organization", "slug"]
    autocomplete_fields = ["user"]
    prepopulated_fields = {}
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        # The count groups rows, and Django drops Meta.ordering from grouped
        # queries: order again, or the byline autocomplete pages unordered.
        return (
            super()
            .get_queryset(request)
            .annotate(_credit_count=Count("bylines", distinct=True))
            .order_by(*Person._meta.ordering)
        )

    @admin.display(description=_("bylines"), ordering="_credit_count")
    def credit_count(self, obj):
        return obj._credit_count
