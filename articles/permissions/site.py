"""The site's own settings: the chief editor's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from articles.permissions.base import AnyUser


def why_not_change_site_settings(user: AnyUser) -> str | None:
    if not user.has_perm("articles.change_sitesettings"):
        return _("Only the chief editor changes the site settings.")
    return None
