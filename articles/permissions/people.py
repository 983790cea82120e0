"""People: who changes the records of those credited, and who links them to accounts."""

from django.utils.translation import gettext as _

from articles.permissions.base import PERM_LINK_ACCOUNT


def why_not_change_person(user, person):
    if person.pk is None:
        return None if user.has_perm("people.add_person") else _("You may not add people.")
    if not user.has_perm("people.change_person"):
        return _("You may not change people's records.")
    return None


def can_link_account(user):
    """Return whether user may link a person to a user account (or unlink one)."""
    return user.has_perm(PERM_LINK_ACCOUNT)


def why_not_delete_person(user, person):
    if not user.has_perm("people.delete_person"):
        return _("You may not delete people's records.")
    return None
