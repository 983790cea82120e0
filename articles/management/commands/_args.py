"""Argument types shared by the page commands."""

import datetime

from django.core.management.base import CommandError


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date written YYYY-MM-DD, not {value!r}") from None


def page_number(value):
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise CommandError(f"--page must be a page number from 1 up, not {value!r}")
    return number
