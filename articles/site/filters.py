"""Filters readers can add to a search. Every choice lists public things only."""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.models import Article
from articles.selectors import credited_any, public_people, public_sections, public_tags


class DateSelects(forms.SelectDateWidget):
    """A date as three lists in the reader's order (2026 年 11 月 27 日), each one named."""

    names = {
        "year": pgettext_lazy("date part", "year"),
        "month": pgettext_lazy("date part", "month"),
        "day": pgettext_lazy("date part", "day"),
    }

    def __init__(self, attrs=None):
        this_year = timezone.localdate().year
        super().__init__(
            attrs=attrs,
            years=range(this_year, this_year - 30, -1),
            empty_label=(self.names["year"], self.names["month"], self.names["day"]),
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget in context["widget"]["subwidgets"]:
            part = subwidget["name"].rsplit("_", 1)[-1]
            subwidget["attrs"]["aria-label"] = f"{self.attrs.get('label', '')}{self.names[part]}"
        return context


class SuggestInput(forms.TextInput):
    """A box that offers names as one types (static/js/search.js, the field's <datalist>)."""

    def __init__(self, url, list_id):
        super().__init__(attrs={"list": list_id, "autocomplete": "off", "maxlength": "40"})
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-suggest"] = str(self.url)
        return context


class SearchFilter(django_filters.FilterSet):
    """Narrow published articles by section, kind, person, tag and date."""

    section = django_filters.ModelChoiceFilter(
        label=_("section"),
        queryset=public_sections(),
        to_field_name="slug",
        empty_label=_("All sections"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=Article.Kind.choices, empty_label=_("All kinds")
    )
    # People and tags are typed, not picked: a paper has thousands of each,
    # too many for a list in every search form. Names are offered as one types.
    person = django_filters.CharFilter(
        label=_("person"),
        method="by_person",
        widget=SuggestInput(reverse_lazy("articles:suggest-people"), "people-suggestions"),
    )
    tag = django_filters.CharFilter(
        label=_("tag"),
        method="by_tag",
        widget=SuggestInput(reverse_lazy("articles:suggest-tags"), "tag-suggestions"),
    )
    since = django_filters.DateFilter(
        label=pgettext_lazy("date range", "from"),
        field_name="published_at",
        lookup_expr="date__gte",
        widget=DateSelects(),
    )
    until = django_filters.DateFilter(
        label=pgettext_lazy("date range", "until"),
        field_name="published_at",
        lookup_expr="date__lte",
        widget=DateSelects(),
    )

    class Meta:
        model = Article
        fields = ["section", "kind", "person", "tag", "since", "until"]

    @classmethod
    def params(cls):
        """Return the query parameters the form reads (a date's three lists, or the date whole)."""
        names = []
        for name, filter_ in cls.base_filters.items():
            widget = filter_.extra.get("widget")
            if isinstance(widget, forms.SelectDateWidget):
                parts = (widget.year_field, widget.month_field, widget.day_field)
                names += [name, *(part % name for part in parts)]
            else:
                names.append(name)
        return names

    @classmethod
    def asked(cls, data):
        """Whether data gives any filter a value (most searches give none)."""
        return any(value for name in cls.params() for value in data.getlist(name))

    def by_person(self, queryset, name, value):
        """Articles crediting the person of that slug or name."""
        people = public_people().filter(Q(slug=value.strip()) | Q(name=value.strip()))
        return queryset.filter(credited_any(people)).distinct()

    def by_tag(self, queryset, name, value):
        """Articles with the tag of that slug or name."""
        tags = public_tags().filter(Q(slug=value.strip()) | Q(name=value.strip()))
        return queryset.filter(tags__in=tags).distinct()
