"""Sidebar filters of the article list."""

import datetime

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import permissions
from articles.models import (
    Byline,
    Edition,
)
from newsroom.keys import clean_pk


class EditionFilter(admin.SimpleListFilter):
    """The latest editions only: three years of dailies would not fit a sidebar."""

    title = _("edition")
    parameter_name = "edition"

    def lookups(self, request, model_admin):
        return [(str(e.pk), str(e)) for e in Edition.objects.order_by("-date")[:14]]

    def queryset(self, request, queryset):
        if self.value():
            edition = clean_pk(Edition, self.value())
            if edition is None:  # the admin's answer to a bad filter: the list with ?e=1
                raise IncorrectLookupParameters(f"not an edition: {self.value()!r}")
            return queryset.filter(page__edition_id=edition)
        return queryset


class MineFilter(admin.SimpleListFilter):
    """The copy one created or is bylined on (the 工作台's counts link here)."""

    title = _("whose")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("mine"))]

    def queryset(self, request, queryset):
        if self.value() != "1":
            return queryset
        return queryset.filter(pk__in=permissions.filed_by(request.user))


class PlacedFilter(admin.SimpleListFilter):
    title = _("placement")
    parameter_name = "placed"

    def lookups(self, request, model_admin):
        return [("1", _("on a page")), ("0", _("not on a page"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(page__isnull=False)
        if self.value() == "0":
            return queryset.filter(page__isnull=True)
        return queryset


class InputFilter(admin.SimpleListFilter):
    """A sidebar filter with a text box, for values too many to list."""

    template = "admin/articles/input_filter.html"

    def lookups(self, request, model_admin):
        return ()

    def has_output(self):
        return True

    def choices(self, changelist):
        # Keep every other filter and the search when this one is submitted.
        yield {
            "others": [
                (key, value)
                for key, value in changelist.params.items()
                if key not in self.expected_parameters()
            ],
        }


class PersonFilter(InputFilter):
    title = _("person")
    parameter_name = "person"

    def queryset(self, request, queryset):
        if self.value():
            bylined = Byline.objects.filter(
                article=OuterRef("pk"), person__name__icontains=self.value().strip()
            )
            return queryset.filter(Exists(bylined))
        return queryset


class TagFilter(InputFilter):
    title = _("tag")
    parameter_name = "tag"

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__name=self.value().strip())
        return queryset


class EditionDateFilter(InputFilter):
    """Edition date range: 2022-02-01..2022-02-28, or a single date."""

    title = _("edition dates")
    parameter_name = "edition_dates"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        first, _sep, last = value.partition("..")
        try:
            start = datetime.date.fromisoformat(first.strip())
            end = datetime.date.fromisoformat(last.strip()) if last.strip() else start
        except ValueError:
            messages.warning(request, gettext("Write edition dates as 2022-02-01..2022-02-28."))
            return queryset
        return queryset.filter(page__edition__date__range=(start, end))
