"""Two places in Django's admin that answer malformed input with a 500, mended for every admin class.

- An autocomplete widget (autocomplete_fields, and select2 widgets built on
  it) redisplaying a form looks up the submitted ids as they are: "abc" for
  an integer key raises ValueError while rendering the page. It now shows
  only the values that could be keys, and the form says the choice is not
  valid, as for any other bad choice.
- The date drill-down (date_hierarchy) of a change list turns ?year= into a
  date and catches ValueError only: a year of twenty digits raises
  OverflowError. It now gets the admin's own answer to bad filters (the list
  with "?e=1").

Patched once here, at start-up, rather than in each ModelAdmin, so that an
admin class added tomorrow is covered too (tests/production/
test_hostile_input.py sends such values to every admin page).
"""

from functools import wraps

from django.contrib.admin import widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList

from .keys import clean_keys


def _autocomplete_optgroups(optgroups):
    @wraps(optgroups)
    def safe_optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        field = remote.model._meta.get_field(
            getattr(remote, "field_name", None) or remote.model._meta.pk.name
        )
        keys = {str(key) for key in clean_keys(field, [v for v in value if v not in ("", None)])}
        return optgroups(self, name, [v for v in value if str(v) in keys], attr)

    return safe_optgroups


def _change_list_filters(get_filters):
    @wraps(get_filters)
    def safe_get_filters(self, request):
        try:
            return get_filters(self, request)
        except OverflowError as error:  # a year beyond any date
            raise IncorrectLookupParameters(error) from error

    return safe_get_filters


def install():
    """Mend the admin; called once from NewsroomConfig.ready()."""
    mixin = widgets.AutocompleteMixin
    if not getattr(mixin.optgroups, "newsroom_mended", False):
        mixin.optgroups = _autocomplete_optgroups(mixin.optgroups)
        mixin.optgroups.newsroom_mended = True
    if not getattr(ChangeList.get_filters, "newsroom_mended", False):
        ChangeList.get_filters = _change_list_filters(ChangeList.get_filters)
        ChangeList.get_filters.newsroom_mended = True
