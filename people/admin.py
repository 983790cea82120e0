from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from newsroom.widgets import AutocompleteFields
from newsroom.writepath import ExtensibleAdmin, VersionedForm

from .models import Person, name_of


@admin.register(Person)
class PersonAdmin(AutocompleteFields, ExtensibleAdmin):
    """People in the newsroom's records.

    Their names are printed on copy, so saving one goes through the write
    path of the app that prints them, installed with PersonAdmin.extend()
    (articles.copy.admin.related); this app knows no copy.
    """

    form = VersionedForm
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


def person_display(field, description):
    """An admin column or read-only field showing the user in field by their name (林晓)."""

    @admin.display(description=description)
    def show(self, obj):
        return name_of(getattr(obj, field)) or "—"

    show.__name__ = f"{field}_name"
    return show


from . import accounts  # noqa: E402, F401  (the account pages, by Chinese names)
