"""Filters readers can add to a search. Every choice lists public things only."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Article
from .queries import public_people, public_sections, public_tags


class SearchFilter(django_filters.FilterSet):
    """Narrow published articles by section, kind, person, tag and date."""

    section = django_filters.ModelChoiceFilter(
        label=_("section"), queryset=public_sections(), to_field_name="slug"
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Article.Kind.choices)
    person = django_filters.ModelChoiceFilter(
        label=_("person"), queryset=public_people(), to_field_name="slug", method="by_person"
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("tag"), queryset=public_tags(), to_field_name="slug", field_name="tags"
    )
    since = django_filters.DateFilter(
        label=pgettext_lazy("date range", "from"),
        field_name="published_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=pgettext_lazy("date range", "until"),
        field_name="published_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Article
        fields = ["section", "kind", "person", "tag", "since", "until"]

    def by_person(self, queryset, name, person):
        from .queries import credited

        return queryset.filter(credited(person)).distinct()
