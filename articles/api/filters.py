"""What API clients may filter and order by: an allowlist, nothing internal.

The FilterSets below are the whole public vocabulary of the list endpoints;
a query parameter that is not one of theirs (status, notes, users, revision
data, a typo) is refused with 400 rather than silently ignored, so a partner
never believes a filter applied that did not. openapi.py documents the same
parameters from the same classes.
"""

import datetime
import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from taggit.models import Tag

from articles.api import queries
from articles.models import Article, Byline, Edition

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

# "+08:00" arrives as " 08:00" when a client forgets to percent-encode the
# plus sign; read it as meant rather than refuse our own timestamps.
_UNENCODED_PLUS = re.compile(r"(T[\d:.]+) (\d\d:?\d\d)$")


def in_utc(value):
    """Return value in UTC, the first or last representable moment if it is beyond them.

    0001-01-01T00:00+08:00 is a valid time that has no UTC datetime; it
    means "since ever", not a server error.
    """
    if value is None:
        return None
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        extreme = datetime.datetime.min if value.year == 1 else datetime.datetime.max
        return extreme.replace(tzinfo=datetime.UTC)


class SyncDateTimeField(django_filters.fields.IsoDateTimeField):
    def to_python(self, value):
        if isinstance(value, str):
            value = _UNENCODED_PLUS.sub(r"\1+\2", value.strip())
        return in_utc(super().to_python(value))


class SyncDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = SyncDateTimeField


class DayRangeField(django_filters.fields.DateRangeField):
    """Whole days in the paper's time zone, from the first moment to the last."""

    def compress(self, data_list):
        days = super().compress(data_list)
        return days and slice(in_utc(days.start), in_utc(days.stop))


class DayRangeFilter(django_filters.DateFromToRangeFilter):
    field_class = DayRangeField


class StableOrderingFilter(django_filters.OrderingFilter):
    """Ordering with the primary key as tie-breaker, so pages never overlap."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            first = next((param for param in value if param), "")
            qs = qs.order_by(*qs.query.order_by, "-pk" if first.startswith("-") else "pk")
        return qs


class ArticleFilter(django_filters.FilterSet):
    section = django_filters.CharFilter(field_name="section__slug")
    tag = django_filters.CharFilter(method="filter_tag")
    person = django_filters.CharFilter(method="filter_person")
    kind = django_filters.ChoiceFilter(choices=Article.Kind.choices)
    published = DayRangeFilter(field_name="published_at")
    edition = django_filters.DateFilter(method="filter_edition")
    # Applied in filter_queryset, before everything else: it widens the set.
    updated_since = SyncDateTimeFilter(method="filter_nothing")
    ordering = StableOrderingFilter(
        fields=[("published_at", "published"), ("updated_at", "updated")],
    )

    class Meta:
        model = Article
        fields: list[str] = []

    def filter_queryset(self, queryset):
        since = self.form.cleaned_data.get("updated_since")
        if since is not None:
            # Sync: withdrawn copy comes too, for clients to take down.
            queryset = queries.changed_since(queryset, since)
        return super().filter_queryset(queryset)

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_tag(self, queryset, name, value):
        tags = Tag.objects.filter(slug=value)
        return queryset.filter(
            Exists(Article.tags.through.objects.filter(content_object=OuterRef("pk"), tag__in=tags))
        )

    def filter_person(self, queryset, name, value):
        # Exists, not a join: one person may hold two roles on the same article.
        bylines = Byline.objects.filter(article=OuterRef("pk"), person__slug=value)
        return queryset.filter(Exists(bylines))

    def filter_edition(self, queryset, name, value):
        return queryset.filter(page__edition__in=Edition.objects.published().filter(date=value))


class EditionFilter(django_filters.FilterSet):
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Edition
        fields: list[str] = []


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)
    page_size = forms.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


def parameters(filterset_class):
    """Yield (query parameter, filter) for every parameter filterset_class reads."""
    for name, filter_ in filterset_class.base_filters.items():
        suffixes = getattr(filter_.field_class.widget, "suffixes", None)
        if suffixes:
            for suffix in suffixes:
                yield f"{name}_{suffix}", filter_
        else:
            yield name, filter_


def allowed_parameters(filterset_class=None):
    """Return the query parameters an endpoint accepts, pagination included."""
    names = [name for name, _filter in parameters(filterset_class)] if filterset_class else []
    if filterset_class:
        names += list(PageForm.base_fields)
    return names
