"""Versions: every change raises one, and a form opened before a change is refused.

Each versioned row (Article, Photo, Person, Page, Edition, Assignment) has a
version; a form carries the version it was opened at, and the write path
compares (check_version) before it writes and raises it (bump) after.
"""

from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from articles.permissions import Refused


class Stale(Refused):
    """A save from a form opened before someone else's change."""


def check_version(current, base_version, who=None, at=None):
    """Refuse unless the form was opened at current's version (None: not from a form)."""
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


def bump(model, obj, **fields):
    """Raise obj's version in the database (and on obj), with fields set alongside."""
    model.objects.filter(pk=obj.pk).update(version=F("version") + 1, **fields)
    obj.refresh_from_db(fields=["version", *fields])
