"""Path converters for dates in URLs, registered once for the site and the API."""

import datetime

from django.urls import register_converter


class IsoDateConverter:
    """2026-11-27 ↔ datetime.date; an impossible date does not match."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return datetime.date.fromisoformat(value)

    def to_url(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)


class YearMonthConverter:
    """2026-11 ↔ the first day of that month."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value):
        return datetime.date.fromisoformat(f"{value}-01")

    def to_url(self, value):
        return value.strftime("%Y-%m") if isinstance(value, datetime.date) else str(value)


register_converter(IsoDateConverter, "isodate")
register_converter(YearMonthConverter, "yearmonth")
