"""People: who changes the records of those credited, and who links them to accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from articles.permissions.base import PERM_LINK_ACCOUNT

if TYPE_CHECKING:
    from articles.permissions.base import AnyUser
    from people.models import Person


def why_not_change_person(user: AnyUser, person: Person) -> str | None:
    if person.pk is None:
        return None if user.has_perm("people.add_person") else _("You may not add people.")
    if not user.has_perm("people.change_person"):
        return _("You may not change people's records.")
    return None


def can_link_account(user: AnyUser) -> bool:
    """Return whether user may link a person to a user account (or unlink one)."""
    return user.has_perm(PERM_LINK_ACCOUNT)


def why_not_delete_person(user: AnyUser, person: Person) -> str | None:
    if not user.has_perm("people.delete_person"):
        return _("You may not delete people's records.")
    return None
