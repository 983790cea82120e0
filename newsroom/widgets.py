"""The admin's autocomplete, with valid HTML.

Django's AutocompleteSelect draws its blank choice as an empty <option>,
which the HTML standard (and the Nu HTML checker) refuses on a select that
is not required. This one gives it a label; select2 still shows its own
placeholder. Admin classes and inlines take it with AutocompleteFields.
"""

from django.contrib.admin import widgets


class AutocompleteSelect(widgets.AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        for _group, options, _index in groups:
            for option in options:
                if option["value"] == "" and not option["label"]:
                    option["attrs"] = {**option["attrs"], "label": "—"}
        return groups


class AutocompleteFields:
    """A ModelAdmin or inline mixin: its autocomplete foreign keys use AutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
