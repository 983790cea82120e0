"""Filters readers can add to a search. Every choice lists public things only."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Article
from ..selectors import credited_any, public_people, public_sections, public_tags


class SearchFilter(django_filters.FilterSet):
    """Narrow published articles by section, kind, person, tag and date."""

    section = django_filters.ModelChoiceFilter(
        label=_("section"), queryset=public_sections(), to_field_name="slug"
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Article.Kind.choices)
    # People and tags are typed, not picked: a paper has thousands of each,
    # too many for a list in every search form.
    person = django_filters.CharFilter(label=_("person"), method="by_person")
    tag = django_filters.CharFilter(label=_("tag"), method="by_tag")
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

    def by_person(self, queryset, name, value):
        """Articles crediting the person of that slug or name."""
        people = public_people().filter(Q(slug=value.strip()) | Q(name=value.strip()))
        return queryset.filter(credited_any(people)).distinct()

    def by_tag(self, queryset, name, value):
        """Articles with the tag of that slug or name."""
        tags = public_tags().filter(Q(slug=value.strip()) | Q(name=value.strip()))
        return queryset.filter(tags__in=tags).distinct()
