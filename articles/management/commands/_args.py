"""Argument types shared by the commands that write: dates, page numbers, who writes."""

import datetime

from django.contrib.auth import get_user_model
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


def acting_user(username, what):
    """Return the active user called username, who does what (the write path asks their rights)."""
    if not username:
        raise CommandError(f"say who {what}: --by USERNAME")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"there is no active user called {username!r}")
    return user
