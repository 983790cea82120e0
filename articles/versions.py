"""Versions: every change raises one, and a form opened before a change is refused.

Each versioned row (Article, Photo, Person, Page, Edition, Assignment) has a
version; a form carries the version it was opened at, and the write path
compares (check_version) before it writes and raises it (bump) after.
"""

from __future__ import annotations

import datetime
from typing import Protocol, TypeVar

from django.db import models
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from articles.permissions import Refused

M = TypeVar("M", bound=models.Model)


class Stale(Refused):
    """A save from a form opened before someone else's change."""


class Versioned(Protocol):
    """A row with a version (newsroom.fields.version_field) and the time of its last change."""

    @property
    def version(self) -> int: ...

    @property
    def updated_at(self) -> datetime.datetime: ...


def check_version(
    current: Versioned,
    base_version: int | str | None,
    who: object = None,
    at: datetime.datetime | None = None,
) -> None:
    """Refuse unless the form was opened at current's version (None: not from a form).

    who: whoever saved it last, as the message prints them (a Person, a user name).
    """
    if base_version is None or int(base_version) == current.version:
        return
    when = formats.date_format(timezone.localtime(at or current.updated_at), "H:i:s")
    raise Stale(
        _(
            "%(user)s saved this at %(time)s, after you opened it. Nothing was overwritten: "
            "your text is still in the form below. Copy what you need, then reload the page "
            "to see their version."
        )
        % {"user": who or _("Someone"), "time": when}
    )


def bump(model: type[M], obj: M, **fields: object) -> None:
    """Raise obj's version in the database (and on obj), with fields set alongside."""
    model._default_manager.filter(pk=obj.pk).update(version=F("version") + 1, **fields)
    obj.refresh_from_db(fields=["version", *fields])
