"""Read keys (ids) from request input without trusting them.

A query given "abc" for an integer key raises ValueError, and a number
beyond the column's range raises OverflowError on SQLite: a 500 either way,
where the honest answer is "no such object". These helpers keep only the
values the key could hold, so a lookup with what is left finds nothing
rather than fails.
"""

from django.core.exceptions import ValidationError
from django.db import connection


def clean_key(field, value):
    """Return value as field's Python value if the column could hold it, else None."""
    if field.is_relation:
        field = field.target_field
    try:
        python = field.to_python(value)
        field.get_prep_value(python)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return None
    if python is None:
        return None
    if isinstance(python, int):
        try:
            low, high = connection.ops.integer_field_range(field.get_internal_type())
        except KeyError:  # not an integer column after all
            return python
        if not (low is None or low <= python) or not (high is None or python <= high):
            return None
    return python


def clean_keys(field, values):
    """Return those of values (a list, or text separated by commas) that field could hold."""
    if isinstance(values, str):
        values = values.split(",")
    cleaned = (
        clean_key(field, value.strip() if isinstance(value, str) else value) for value in values
    )
    return [value for value in cleaned if value is not None]


def clean_pk(model, value):
    """Return value as a primary key of model, or None if no row could have it."""
    return clean_key(model._meta.pk, value)


def clean_pks(model, values):
    """Return the values (a list, or text separated by commas) that could be keys of model."""
    return clean_keys(model._meta.pk, values)
